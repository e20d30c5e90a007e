"""Education levels for forms and statistics, with their IPK III/8 report codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EducationLevel:
    code: str
    label_id: str
    label_en: str
    # Comparable rank: SMA and SMK are the same level, and so are D4 and S1.
    rank: int
    ipk_code: int


EDUCATION_LEVELS: tuple[EducationLevel, ...] = (
    EducationLevel("TTSD", "Tidak/belum tamat SD", "Did not finish primary school", 0, 11),
    EducationLevel("SD", "SD/sederajat", "Primary school", 1, 12),
    EducationLevel("SMP", "SMP/sederajat", "Junior secondary school", 2, 13),
    EducationLevel("SMA", "SMA/MA", "Senior secondary school", 3, 14),
    EducationLevel("SMK", "SMK/MAK", "Vocational secondary school", 3, 14),
    EducationLevel("D1", "Diploma I", "Diploma I", 4, 15),
    EducationLevel("D2", "Diploma II", "Diploma II", 5, 15),
    EducationLevel("D3", "Diploma III", "Diploma III", 6, 16),
    EducationLevel("D4", "Diploma IV", "Diploma IV (applied bachelor)", 7, 17),
    EducationLevel("S1", "Sarjana (S1)", "Bachelor's degree", 7, 17),
    EducationLevel("S2", "Magister (S2)", "Master's degree", 8, 17),
    EducationLevel("S3", "Doktor (S3)", "Doctorate", 9, 17),
)
EDUCATION_CODES: frozenset[str] = frozenset(level.code for level in EDUCATION_LEVELS)
_BY_CODE = {level.code: level for level in EDUCATION_LEVELS}


def education_level(code: str) -> EducationLevel:
    return _BY_CODE[code]


def meets_minimum(have: str, minimum: str) -> bool:
    return _BY_CODE[have].rank >= _BY_CODE[minimum].rank
