"""KBJI 2014 (Indonesian standard classification of occupations, ISCO-08 based): the
major groups 0–9. Vacancies carry a code of 1 to 6 digits; its first is the major group."""

from __future__ import annotations

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
