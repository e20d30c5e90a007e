"""Code lists of DOMAIN.md: education levels, KBLI sections, KBJI groups, employer
types, disability kinds."""

from __future__ import annotations

import pytest

from jobfair.reference.disability import DISABILITY_CODES
from jobfair.reference.education import EDUCATION_LEVELS, education_level, meets_minimum
from jobfair.reference.employer_types import EMPLOYER_TYPES, employer_type
from jobfair.reference.kbji import is_valid_kbji, kbji_major_group
from jobfair.reference.kbli import KBLI_SECTIONS, is_valid_kbli, kbli_section


def test_education_ranks_treat_sma_and_smk_alike() -> None:
    assert meets_minimum("SMK", "SMA") and meets_minimum("SMA", "SMK")
    assert meets_minimum("S1", "D4") and meets_minimum("D4", "S1")
    assert meets_minimum("D3", "SMA") and not meets_minimum("SMP", "SMA")
    assert not meets_minimum("TTSD", "SD")
    assert [level.code for level in EDUCATION_LEVELS][:3] == ["TTSD", "SD", "SMP"]
    assert education_level("S3").rank == max(level.rank for level in EDUCATION_LEVELS)
    with pytest.raises(KeyError):
        education_level("SMU")


def test_kbli_sections_cover_every_division_once() -> None:
    assert [s.letter for s in KBLI_SECTIONS] == [chr(c) for c in range(ord("A"), ord("V"))]
    previous = 0
    for section in KBLI_SECTIONS:
        assert section.first_division > previous
        assert section.first_division <= section.last_division
        previous = section.last_division
    assert kbli_section("01262").letter == "A"  # oil palm plantation
    assert kbli_section("10431").letter == "C"  # crude palm oil
    assert kbli_section("47111").letter == "G"  # minimarket
    assert kbli_section("86103").letter == "Q"  # private hospital


@pytest.mark.parametrize("code", ["0126", "012621", "01a62", "", "04000", "00000"])
def test_bad_kbli_codes(code: str) -> None:
    assert not is_valid_kbli(code)
    with pytest.raises(ValueError, match="KBLI"):
        kbli_section(code)


def test_kbji_major_group_is_the_first_digit() -> None:
    assert kbji_major_group("3142").digit == "3"
    assert kbji_major_group("9").label_en == "Elementary occupations"
    assert is_valid_kbji("811101")
    for bad in ("", "1234567", "12a4", "-1"):
        assert not is_valid_kbji(bad)


def test_employer_types_are_rows_21_to_26() -> None:
    assert [kind.code for kind in EMPLOYER_TYPES] == [21, 22, 23, 24, 25, 26]
    assert employer_type(23).label_en == "Cooperative"
    with pytest.raises(KeyError):
        employer_type(27)


def test_disability_kinds_of_uu_8_2016() -> None:
    assert {"physical", "intellectual", "mental"} <= DISABILITY_CODES
    assert len(DISABILITY_CODES) == 6
