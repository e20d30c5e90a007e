"""Employer types, rows 21–26 of the IPK III/8 placement table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmployerType:
    code: int
    label_id: str
    label_en: str


EMPLOYER_TYPES: tuple[EmployerType, ...] = (
    EmployerType(21, "Instansi pemerintah", "Government agency"),
    EmployerType(22, "BUMN/BUMD", "State- or region-owned enterprise"),
    EmployerType(23, "Koperasi", "Cooperative"),
    EmployerType(24, "Perusahaan swasta", "Private company"),
    EmployerType(25, "Badan usaha lainnya", "Other business entity"),
    EmployerType(26, "Perorangan", "Individual"),
)
_BY_CODE = {kind.code: kind for kind in EMPLOYER_TYPES}


def employer_type(code: int) -> EmployerType:
    return _BY_CODE[code]
