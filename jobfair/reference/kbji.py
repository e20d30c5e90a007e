"""KBJI 2014 (Indonesian standard classification of occupations, ISCO-08 based): the
major groups 0–9 and their sub-major groups (two digits, ISCO-08's 43). Vacancies carry
a code of 1 to 6 digits; its first is the major group, its first two the sub-major group.

The vacancy form offers these groups by name (:data:`KBJI_GROUPS`); a company that knows
a more precise code (four digits, ``8160``) types it, and the page names its group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class KbjiMajorGroup:
    digit: str
    label_id: str
    label_en: str


KBJI_MAJOR_GROUPS: tuple[KbjiMajorGroup, ...] = (
    KbjiMajorGroup("0", "TNI dan Polri", "Armed forces and police"),
    KbjiMajorGroup("1", "Manajer", "Managers"),
    KbjiMajorGroup("2", "Profesional", "Professionals"),
    KbjiMajorGroup("3", "Teknisi dan asisten ahli", "Technicians and associate professionals"),
    KbjiMajorGroup("4", "Tenaga tata usaha", "Clerical support workers"),
    KbjiMajorGroup("5", "Tenaga usaha jasa dan penjualan", "Service and sales workers"),
    KbjiMajorGroup(
        "6",
        "Pekerja terampil pertanian, kehutanan dan perikanan",
        "Skilled agricultural, forestry and fishery workers",
    ),
    KbjiMajorGroup(
        "7",
        "Pekerja pengolahan, kerajinan dan yang berhubungan dengan itu",
        "Craft and related trades workers",
    ),
    KbjiMajorGroup("8", "Operator dan perakit mesin", "Plant and machine operators and assemblers"),
    KbjiMajorGroup("9", "Pekerja kasar", "Elementary occupations"),
)
_BY_DIGIT = {group.digit: group for group in KBJI_MAJOR_GROUPS}


def kbji_major_group(code: str) -> KbjiMajorGroup:
    if not 1 <= len(code) <= 6 or not code.isascii() or not code.isdigit():
        raise ValueError(f"{code!r} is not a KBJI code: expected 1 to 6 digits")
    return _BY_DIGIT[code[0]]


def is_valid_kbji(code: str) -> bool:
    try:
        kbji_major_group(code)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class KbjiGroup:
    """A major (one digit) or sub-major (two digits) group."""

    code: str
    label_id: str
    label_en: str


KBJI_SUB_MAJOR_GROUPS: tuple[KbjiGroup, ...] = (
    KbjiGroup("01", "Perwira TNI dan Polri", "Commissioned armed forces officers"),
    KbjiGroup("02", "Bintara TNI dan Polri", "Non-commissioned armed forces officers"),
    KbjiGroup("03", "Tamtama TNI dan Polri", "Armed forces occupations, other ranks"),
    KbjiGroup(
        "11",
        "Kepala eksekutif, pejabat senior dan anggota legislatif",
        "Chief executives, senior officials and legislators",
    ),
    KbjiGroup("12", "Manajer administrasi dan komersial", "Administrative and commercial managers"),
    KbjiGroup(
        "13",
        "Manajer produksi dan layanan khusus",
        "Production and specialised services managers",
    ),
    KbjiGroup(
        "14",
        "Manajer perhotelan, perdagangan eceran dan jasa lainnya",
        "Hospitality, retail and other services managers",
    ),
    KbjiGroup("21", "Profesional sains dan teknik", "Science and engineering professionals"),
    KbjiGroup("22", "Profesional kesehatan", "Health professionals"),
    KbjiGroup("23", "Profesional pendidikan (guru dan dosen)", "Teaching professionals"),
    KbjiGroup(
        "24", "Profesional bisnis dan administrasi", "Business and administration professionals"
    ),
    KbjiGroup(
        "25",
        "Profesional teknologi informasi dan komunikasi",
        "Information and communications technology professionals",
    ),
    KbjiGroup(
        "26", "Profesional hukum, sosial dan budaya", "Legal, social and cultural professionals"
    ),
    KbjiGroup(
        "31",
        "Teknisi dan asisten ahli sains dan teknik",
        "Science and engineering associate professionals",
    ),
    KbjiGroup("32", "Asisten ahli kesehatan", "Health associate professionals"),
    KbjiGroup(
        "33",
        "Asisten ahli bisnis dan administrasi",
        "Business and administration associate professionals",
    ),
    KbjiGroup(
        "34",
        "Asisten ahli hukum, sosial, budaya dan yang berhubungan dengan itu",
        "Legal, social, cultural and related associate professionals",
    ),
    KbjiGroup(
        "35", "Teknisi informasi dan komunikasi", "Information and communications technicians"
    ),
    KbjiGroup("41", "Juru tulis umum dan operator papan ketik", "General and keyboard clerks"),
    KbjiGroup("42", "Tenaga layanan pelanggan", "Customer services clerks"),
    KbjiGroup("43", "Tenaga pencatat angka dan barang", "Numerical and material recording clerks"),
    KbjiGroup("44", "Tenaga tata usaha lainnya", "Other clerical support workers"),
    KbjiGroup("51", "Pekerja jasa perorangan", "Personal service workers"),
    KbjiGroup("52", "Tenaga penjualan", "Sales workers"),
    KbjiGroup("53", "Pekerja perawatan perorangan", "Personal care workers"),
    KbjiGroup("54", "Pekerja jasa perlindungan dan keamanan", "Protective services workers"),
    KbjiGroup(
        "61",
        "Pekerja terampil pertanian berorientasi pasar",
        "Market-oriented skilled agricultural workers",
    ),
    KbjiGroup(
        "62",
        "Pekerja terampil kehutanan, perikanan dan perburuan berorientasi pasar",
        "Market-oriented skilled forestry, fishery and hunting workers",
    ),
    KbjiGroup(
        "63",
        "Petani, nelayan, pemburu dan pengumpul subsisten",
        "Subsistence farmers, fishers, hunters and gatherers",
    ),
    KbjiGroup(
        "71",
        "Pekerja bangunan dan yang berhubungan dengan itu, kecuali tukang listrik",
        "Building and related trades workers, excluding electricians",
    ),
    KbjiGroup(
        "72",
        "Pekerja logam, mesin dan yang berhubungan dengan itu",
        "Metal, machinery and related trades workers",
    ),
    KbjiGroup("73", "Pekerja kerajinan tangan dan percetakan", "Handicraft and printing workers"),
    KbjiGroup("74", "Pekerja listrik dan elektronika", "Electrical and electronic trades workers"),
    KbjiGroup(
        "75",
        "Pekerja pengolahan makanan, kayu, pakaian dan kerajinan lainnya",
        "Food processing, wood working, garment and other craft and related trades workers",
    ),
    KbjiGroup("81", "Operator mesin dan instalasi tetap", "Stationary plant and machine operators"),
    KbjiGroup("82", "Perakit", "Assemblers"),
    KbjiGroup(
        "83", "Pengemudi dan operator alat berat bergerak", "Drivers and mobile plant operators"
    ),
    KbjiGroup("91", "Petugas kebersihan dan pembantu", "Cleaners and helpers"),
    KbjiGroup(
        "92",
        "Buruh pertanian, kehutanan dan perikanan",
        "Agricultural, forestry and fishery labourers",
    ),
    KbjiGroup(
        "93",
        "Buruh pertambangan, konstruksi, industri pengolahan dan angkutan",
        "Labourers in mining, construction, manufacturing and transport",
    ),
    KbjiGroup("94", "Asisten penyiapan makanan", "Food preparation assistants"),
    KbjiGroup(
        "95",
        "Pedagang kaki lima dan pekerja jasa jalanan",
        "Street and related sales and service workers",
    ),
    KbjiGroup(
        "96",
        "Pengumpul sampah dan pekerja kasar lainnya",
        "Refuse workers and other elementary workers",
    ),
)

# Each major group followed by its sub-major groups: the list the vacancy form offers.
KBJI_GROUPS: tuple[KbjiGroup, ...] = tuple(
    group
    for major in KBJI_MAJOR_GROUPS
    for group in (
        KbjiGroup(major.digit, major.label_id, major.label_en),
        *(sub for sub in KBJI_SUB_MAJOR_GROUPS if sub.code[0] == major.digit),
    )
)
_GROUP_BY_CODE = {group.code: group for group in KBJI_GROUPS}
# The longest occupation the form's field takes as typed: a group's name after its code.
KBJI_TYPED_MAX = 10 + max(len(label) for g in KBJI_GROUPS for label in (g.label_id, g.label_en))


def kbji_group(code: str) -> KbjiGroup:
    """The most precise group of this list that ``code`` falls in: its sub-major group
    (``8160`` → 81), else its major group."""
    kbji_major_group(code)  # the code's shape
    return _GROUP_BY_CODE.get(code[:2]) or _GROUP_BY_CODE[code[0]]


# "81 · Operator mesin…" or "81 Operator…": a code written with its group's name.
_CODE_FIRST = re.compile(r"([0-9]{1,6})(?:\s*[·:\-–]\s*|\s+)\D.*")


def kbji_code_of(text: str) -> str:
    """The code a typed occupation names: a code as it is, a code followed by its name,
    or a group's whole name in either language (any case); other text unchanged, so the
    code rule says what is wrong with it."""
    text = " ".join(text.split())
    if match := _CODE_FIRST.fullmatch(text):
        return match.group(1)
    wanted = text.casefold()
    for group in KBJI_GROUPS:
        if wanted in (group.label_id.casefold(), group.label_en.casefold()):
            return group.code
    return text
