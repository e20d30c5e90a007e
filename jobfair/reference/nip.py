"""NIP (Nomor Induk Pegawai) of a civil servant (PNS), the signing officer of a report:
``YYYYMMDD YYYYMM S NNN``, 18 digits.

- digits 1–8: birth date (year, month, day);
- digits 9–14: the year and month of appointment as a candidate civil servant (TMT CPNS);
- digit 15: sex, 1 a man, 2 a woman;
- digits 16–18: a serial, 001 to 999.

There is no check digit, so validation is structural: the digits, a real birth date, a
real appointment month after the officer's 18th birthday (the lowest age of appointment,
PP 11/2017 art. 23) and not in the future, a known sex digit and a serial above 000.
Spaces, dots and dashes between the groups ("19800512 200501 1 002") are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

NIP_LENGTH = 18
# The lowest age at appointment as a CPNS.
MIN_APPOINTMENT_AGE = 18
# What a form may hold: the 18 digits with the usual separators.
NIP_TYPED_MAX = 24
SEXES = {"1": "L", "2": "P"}
_SEPARATORS = re.compile(r"[ .\-]")


class NipError(ValueError):
    """A structurally impossible NIP; ``code`` says which part is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class NipInfo:
    nip: str  # the 18 digits
    birth_date: date
    appointed: tuple[int, int]  # (year, month) of the appointment as CPNS
    sex: str  # "L" or "P"
    serial: str

    @property
    def grouped(self) -> str:
        return grouped(self.nip)


def grouped(nip: str) -> str:
    """18 digits as printed under a signature: ``19800512 200501 1 002``."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if len(nip) == NIP_LENGTH else nip


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nip(text: str, *, today: date) -> NipInfo:
    nip = _SEPARATORS.sub("", text.strip())
    if not (nip.isascii() and nip.isdigit()):
        raise NipError("digits", "a NIP contains digits only")
    if len(nip) != NIP_LENGTH:
        raise NipError("length", f"a NIP has 18 digits, this has {len(nip)}")
    born = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if born is None or born.year < 1900:
        raise NipError("birth_date", "the NIP's birth date (digits 1 to 8) is not a date")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        raise NipError("appointed", "the NIP's appointment month (digits 9 to 14) is not a month")
    if (year, month) > (today.year, today.month):
        raise NipError("appointed", "the NIP's appointment month (digits 9 to 14) is in the future")
    # Appointed no earlier than the month of the 18th birthday.
    if (year, month) < (born.year + MIN_APPOINTMENT_AGE, born.month):
        raise NipError(
            "appointed", "the NIP's appointment month comes before the officer's 18th birthday"
        )
    if nip[14] not in SEXES:
        raise NipError("sex", "the NIP's 15th digit (sex) is 1 or 2")
    if nip[15:] == "000":
        raise NipError("serial", "the NIP's serial (digits 16 to 18) cannot be 000")
    return NipInfo(nip, born, (year, month), SEXES[nip[14]], nip[15:])
