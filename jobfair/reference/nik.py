"""NIK (Nomor Induk Kependudukan) structure: ``PP KK CC DDMMYY SSSS``.

There is no check digit, so validation is structural: 16 digits, a known province, a
regency part, a real birth date (women add 40 to the day), a plausible working age and
a serial above 0000. Sex and birth date are derived from it. The regency part is the
region of *first* registration: never use it to decide where someone lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jobfair.reference.regions import HISTORICAL_PROVINCE_CODES, province

MIN_AGE = 15
MAX_AGE = 70


class NikError(ValueError):
    """A structurally impossible NIK; ``code`` says which part is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str
    serial: str
    warnings: tuple[str, ...] = ()


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nik(nik: str, *, today: date) -> NikInfo:
    nik = nik.strip()
    if len(nik) != 16:
        raise NikError("length", f"a NIK has 16 digits, this has {len(nik)} characters")
    if not (nik.isascii() and nik.isdigit()):
        raise NikError("digits", "a NIK contains digits only")
    warnings: list[str] = []
    province_code = nik[:2]
    try:
        province(province_code)
    except KeyError:
        if province_code not in HISTORICAL_PROVINCE_CODES:
            raise NikError(
                "province", f"{province_code} is not an Indonesian province code"
            ) from None
        warnings.append(
            f"province code {province_code} is historical: "
            f"{HISTORICAL_PROVINCE_CODES[province_code]}"
        )
    if nik[2:4] == "00":
        raise NikError("province", "the regency part of a NIK cannot be 00")
    if nik[4:6] == "00":
        raise NikError("province", "the district part of a NIK cannot be 00")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise NikError("date", "the NIK's birth date (digits 7 to 12) is not a date")
    candidates = [
        born for century in (2000, 1900) if (born := _date(century + year2, month, day)) is not None
    ]
    if not candidates:
        raise NikError("date", "the NIK's birth date (digits 7 to 12) is not a date")
    plausible = [born for born in candidates if MIN_AGE <= age_on(born, today) <= MAX_AGE]
    if not plausible:
        raise NikError(
            "age", f"the NIK's birth date gives an age outside {MIN_AGE} to {MAX_AGE} years"
        )
    if nik[12:] == "0000":
        raise NikError("serial", "the NIK's serial number (last 4 digits) cannot be 0000")
    return NikInfo(
        nik=nik,
        province_code=province_code,
        regency_code=f"{nik[:2]}.{nik[2:4]}",
        district_code=f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=plausible[0],
        sex=sex,
        serial=nik[12:],
        warnings=tuple(warnings),
    )


def mask_nik(nik: str) -> str:
    """``3216••••••••0003``: what everyone but the NIK's owner sees."""
    return f"{nik[:4]}{'•' * 8}{nik[-4:]}"
