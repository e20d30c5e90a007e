"""KBLI 2020 (Indonesian standard industrial classification): sections A–U and the
two-digit divisions each covers. Companies carry a 5-digit code; reports use sections."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KbliSection:
    letter: str
    label_id: str
    label_en: str
    first_division: int
    last_division: int


KBLI_SECTIONS: tuple[KbliSection, ...] = (
    KbliSection(
        "A", "Pertanian, kehutanan dan perikanan", "Agriculture, forestry and fishing", 1, 3
    ),
    KbliSection("B", "Pertambangan dan penggalian", "Mining and quarrying", 5, 9),
    KbliSection("C", "Industri pengolahan", "Manufacturing", 10, 33),
    KbliSection(
        "D",
        "Pengadaan listrik, gas, uap/air panas dan udara dingin",
        "Electricity, gas, steam and air conditioning supply",
        35,
        35,
    ),
    KbliSection(
        "E",
        "Pengelolaan air, limbah dan daur ulang sampah",
        "Water supply, sewerage, waste management and remediation",
        36,
        39,
    ),
    KbliSection("F", "Konstruksi", "Construction", 41, 43),
    KbliSection(
        "G",
        "Perdagangan besar dan eceran; reparasi mobil dan sepeda motor",
        "Wholesale and retail trade; repair of motor vehicles",
        45,
        47,
    ),
    KbliSection("H", "Pengangkutan dan pergudangan", "Transportation and storage", 49, 53),
    KbliSection(
        "I",
        "Penyediaan akomodasi dan makan minum",
        "Accommodation and food service activities",
        55,
        56,
    ),
    KbliSection("J", "Informasi dan komunikasi", "Information and communication", 58, 63),
    KbliSection(
        "K", "Aktivitas keuangan dan asuransi", "Financial and insurance activities", 64, 66
    ),
    KbliSection("L", "Real estat", "Real estate activities", 68, 68),
    KbliSection(
        "M",
        "Aktivitas profesional, ilmiah dan teknis",
        "Professional, scientific and technical activities",
        69,
        75,
    ),
    KbliSection(
        "N",
        "Aktivitas penyewaan, ketenagakerjaan, agen perjalanan dan penunjang usaha",
        "Administrative and support service activities",
        77,
        82,
    ),
    KbliSection(
        "O",
        "Administrasi pemerintahan, pertahanan dan jaminan sosial wajib",
        "Public administration and defence; compulsory social security",
        84,
        84,
    ),
    KbliSection("P", "Pendidikan", "Education", 85, 85),
    KbliSection(
        "Q",
        "Aktivitas kesehatan manusia dan aktivitas sosial",
        "Human health and social work activities",
        86,
        88,
    ),
    KbliSection(
        "R", "Kesenian, hiburan dan rekreasi", "Arts, entertainment and recreation", 90, 93
    ),
    KbliSection("S", "Aktivitas jasa lainnya", "Other service activities", 94, 96),
    KbliSection(
        "T",
        "Aktivitas rumah tangga sebagai pemberi kerja",
        "Activities of households as employers",
        97,
        98,
    ),
    KbliSection(
        "U",
        "Aktivitas badan internasional dan badan ekstra internasional lainnya",
        "Activities of extraterritorial organizations and bodies",
        99,
        99,
    ),
)
_BY_LETTER = {section.letter: section for section in KBLI_SECTIONS}


def section(letter: str) -> KbliSection:
    return _BY_LETTER[letter]


def kbli_section(code: str) -> KbliSection:
    """The section of a 5-digit KBLI code, from its two-digit division."""
    if len(code) != 5 or not code.isascii() or not code.isdigit():
        raise ValueError(f"{code!r} is not a KBLI code: expected 5 digits")
    division = int(code[:2])
    for candidate in KBLI_SECTIONS:
        if candidate.first_division <= division <= candidate.last_division:
            return candidate
    raise ValueError(f"{code!r} is not a KBLI code: division {code[:2]} does not exist")


def is_valid_kbli(code: str) -> bool:
    try:
        kbli_section(code)
    except ValueError:
        return False
    return True
