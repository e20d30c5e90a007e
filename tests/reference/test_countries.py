"""Countries abroad for vacancies (AKAN): ISO 3166-1 alpha-2 codes from Babel, without
Indonesia or the groupings and pseudo-regions Babel also names."""

from __future__ import annotations

import pytest

from jobfair.reference.countries import (
    countries,
    country_codes,
    country_name,
    is_country,
    is_work_location,
    work_location_name,
)


def test_the_list_holds_countries_only() -> None:
    codes = country_codes()
    assert {"MY", "SG", "JP", "KR", "TW", "HK", "SA", "AE", "DE", "AU"} <= codes
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in codes)
    for not_abroad in ("ID", "ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "001", "150"):
        assert not is_country(not_abroad), not_abroad
    assert 240 <= len(codes) <= 250


@pytest.mark.parametrize("bad", ["", "my", "MYS", "12.09", "ID", None, 12])
def test_other_values_are_no_country(bad: object) -> None:
    assert not is_country(bad)


def test_names_in_both_languages_sorted_by_the_name() -> None:
    assert country_name("JP", "id") == "Jepang" and country_name("JP", "en") == "Japan"
    assert country_name("QQ", "en") == "QQ"
    names = [name for _code, name in countries("id")]
    assert names == sorted(names, key=str.casefold)
    assert {code for code, _name in countries("en")} == country_codes()


def test_a_work_location_is_a_regency_or_a_country() -> None:
    assert is_work_location("12.09") and is_work_location("MY")
    assert not is_work_location("12.99") and not is_work_location("ID")
    assert not is_work_location("12") and not is_work_location(None)
    assert work_location_name("12.09") == "Kabupaten Asahan"
    assert work_location_name("KR", "id") == "Korea Selatan"
    assert work_location_name("KR", "en") == "South Korea"
