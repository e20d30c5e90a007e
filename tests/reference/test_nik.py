"""NIK validation: valid NIKs of both sexes, every way one can be wrong, leap days."""

from __future__ import annotations

from datetime import date

import pytest

from jobfair.reference.nik import MAX_AGE, MIN_AGE, NikError, age_on, mask_nik, parse_nik

TODAY = date(2026, 11, 23)


def nik(region: str = "120901", ddmmyy: str = "150899", serial: str = "0001") -> str:
    return region + ddmmyy + serial


def test_a_man_born_in_the_1990s() -> None:
    info = parse_nik(nik(ddmmyy="150899"), today=TODAY)
    assert info.sex == "L"
    assert info.birth_date == date(1999, 8, 15)
    assert (info.province_code, info.regency_code, info.district_code) == (
        "12",
        "12.09",
        "12.09.01",
    )
    assert info.serial == "0001" and info.warnings == ()


def test_a_woman_adds_forty_to_the_day() -> None:
    info = parse_nik(nik(ddmmyy="550803"), today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == date(2003, 8, 15)


def test_first_and_last_day_of_a_month_for_both_sexes() -> None:
    assert parse_nik(nik(ddmmyy="010190"), today=TODAY).birth_date == date(1990, 1, 1)
    assert parse_nik(nik(ddmmyy="310190"), today=TODAY).birth_date == date(1990, 1, 31)
    woman = parse_nik(nik(ddmmyy="410190"), today=TODAY)
    assert (woman.sex, woman.birth_date) == ("P", date(1990, 1, 1))
    woman = parse_nik(nik(ddmmyy="710190"), today=TODAY)
    assert (woman.sex, woman.birth_date) == ("P", date(1990, 1, 31))


def test_leap_days() -> None:
    assert parse_nik(nik(ddmmyy="290200"), today=TODAY).birth_date == date(2000, 2, 29)
    woman = parse_nik(nik(ddmmyy="690296"), today=TODAY)
    assert (woman.sex, woman.birth_date) == ("P", date(1996, 2, 29))
    # 1999 and 2001 have no 29 February; nor has 1900, which the century rule skips.
    for ddmmyy in ("290299", "290201", "690299"):
        with pytest.raises(NikError) as error:
            parse_nik(nik(ddmmyy=ddmmyy), today=TODAY)
        assert error.value.code == "date"


def test_two_digit_year_picks_the_century_that_gives_a_working_age() -> None:
    # 60 → 1960 (66 years old), not 2060; 10 → 2010 (16), not 1910 (116).
    assert parse_nik(nik(ddmmyy="010160"), today=TODAY).birth_date == date(1960, 1, 1)
    assert parse_nik(nik(ddmmyy="010110"), today=TODAY).birth_date == date(2010, 1, 1)


def test_age_boundaries_to_the_day() -> None:
    # Turns 15 today: accepted. Turns 15 tomorrow: refused.
    assert parse_nik(nik(ddmmyy="231111"), today=TODAY).birth_date == date(2011, 11, 23)
    with pytest.raises(NikError) as error:
        parse_nik(nik(ddmmyy="241111"), today=TODAY)
    assert error.value.code == "age"
    # 70 is the oldest accepted age; someone who turned 71 today is refused.
    assert age_on(parse_nik(nik(ddmmyy="241155"), today=TODAY).birth_date, TODAY) == MAX_AGE
    with pytest.raises(NikError) as error:
        parse_nik(nik(ddmmyy="231155"), today=TODAY)
    assert error.value.code == "age"
    assert MIN_AGE == 15


def test_surrounding_spaces_are_ignored() -> None:
    assert parse_nik(" " + nik() + "\n", today=TODAY).nik == nik()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "length"),
        ("120901150899001", "length"),
        ("12090115089900011", "length"),
        ("1209 1150899 001", "digits"),
        ("12090115089900a1", "digits"),
        ("１２０９０１１５０８９９０００１", "digits"),  # full-width digits
        ("990901150899 001".replace(" ", "0"), "province"),  # 99 is no province
        ("000901150899 001".replace(" ", "0"), "province"),
        ("120001150899 001".replace(" ", "0"), "province"),  # regency 00
        ("120900150899 001".replace(" ", "0"), "province"),  # district 00
        (nik(ddmmyy="000899"), "date"),  # day 00
        (nik(ddmmyy="320899"), "date"),  # day 32 (neither a man's nor a woman's day)
        (nik(ddmmyy="400899"), "date"),  # day 40
        (nik(ddmmyy="720899"), "date"),  # day 72 = 32 for a woman
        (nik(ddmmyy="150099"), "date"),  # month 00
        (nik(ddmmyy="151399"), "date"),  # month 13
        (nik(ddmmyy="310499"), "date"),  # 31 April
        (nik(ddmmyy="300299"), "date"),  # 30 February
        (nik(ddmmyy="010120"), "age"),  # six years old
        (nik(ddmmyy="010140"), "age"),  # 86 years old (2040 is in the future)
        (nik(serial="0000"), "serial"),
    ],
)
def test_every_way_a_nik_can_be_wrong(value: str, code: str) -> None:
    with pytest.raises(NikError) as error:
        parse_nik(value, today=TODAY)
    assert error.value.code == code
    assert error.value.message


def test_historical_province_is_accepted_with_a_warning() -> None:
    info = parse_nik("540101150899 0001".replace(" ", ""), today=TODAY)
    assert info.province_code == "54"
    assert len(info.warnings) == 1 and "Timor Timur" in info.warnings[0]


def test_mask_keeps_only_region_and_serial() -> None:
    masked = mask_nik("1209015508030007")
    assert masked == "1209••••••••0007"
    assert "550803" not in masked
