"""NIP structure (jobfair.reference.nip): 18 digits, birth date, appointment month,
sex digit and serial; separators ignored; every wrong part named."""

from __future__ import annotations

from datetime import date

import pytest

from jobfair.reference.nip import parse_nip

TODAY = date(2026, 11, 5)


def test_a_valid_nip_and_its_parts() -> None:
    info = parse_nip("198005122005011002", today=TODAY)
    assert info.birth_date == date(1980, 5, 12)
    assert info.appointed == (2005, 1)
    assert (info.sex, info.serial) == ("L", "002")
    assert info.grouped == "19800512 200501 1 002"
    # As printed, with spaces, dots or dashes between the groups.
    assert parse_nip(" 19800512 200501 1 002 ", today=TODAY).nip == "198005122005011002"
    assert parse_nip("19900228-201503-2-001", today=TODAY).sex == "P"
    # Appointed in the month of the 18th birthday, and this month.
    assert parse_nip("200011012018111001", today=TODAY).appointed == (2018, 11)
    assert parse_nip("199001012026111001", today=TODAY).appointed == (2026, 11)


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19800512200501100", "length"),  # 17 digits
        ("1980051220050110021", "length"),  # 19 digits
        ("19800512200501100A", "digits"),
        ("１９８００５１２２００５０１１００２", "digits"),  # full-width digits
        ("198002302005011002", "birth_date"),  # 30 February
        ("198013012005011002", "birth_date"),  # month 13
        ("180005122005011002", "birth_date"),  # born in 1800
        ("198005122005131002", "appointed"),  # month 13
        ("198005122005001002", "appointed"),  # month 00
        ("198005122027011002", "appointed"),  # in the future
        ("198005121997011002", "appointed"),  # at 16
        ("200011012018101001", "appointed"),  # a month before the 18th birthday
        ("198005122005013002", "sex"),
        ("198005122005010002", "sex"),
        ("198005122005011000", "serial"),
    ],
)
def test_impossible_nips_say_which_part(nip: str, code: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_nip(nip, today=TODAY)
    assert getattr(raised.value, "code", None) == code
