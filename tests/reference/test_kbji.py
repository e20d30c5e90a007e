"""The KBJI 2014 list the vacancy form offers: major and sub-major groups, a precise
code named by its group, and typed text turned into a code."""

from __future__ import annotations

import pytest

from jobfair.reference.kbji import (
    KBJI_GROUPS,
    KBJI_MAJOR_GROUPS,
    KBJI_SUB_MAJOR_GROUPS,
    KBJI_TYPED_MAX,
    is_valid_kbji,
    kbji_code_of,
    kbji_group,
)


def test_the_list_is_every_major_group_then_its_sub_major_groups() -> None:
    assert len(KBJI_SUB_MAJOR_GROUPS) == 43  # ISCO-08's sub-major groups
    codes = [group.code for group in KBJI_GROUPS]
    assert len(codes) == len(set(codes)) == 53
    assert codes[:5] == ["0", "01", "02", "03", "1"]
    assert {code for code in codes if len(code) == 1} == {g.digit for g in KBJI_MAJOR_GROUPS}
    for group in KBJI_SUB_MAJOR_GROUPS:
        assert is_valid_kbji(group.code) and group.label_id and group.label_en
        assert codes.index(group.code) > codes.index(group.code[0])
    assert all(len(g.label_id) + 10 <= KBJI_TYPED_MAX for g in KBJI_GROUPS)


@pytest.mark.parametrize(
    ("code", "group"), [("8160", "81"), ("81", "81"), ("8", "8"), ("05", "0"), ("999999", "9")]
)
def test_a_code_is_named_by_its_most_precise_group(code: str, group: str) -> None:
    assert kbji_group(code).code == group


@pytest.mark.parametrize("code", ["", "x", "1234567", "８１", "8 1"])
def test_a_bad_code_has_no_group(code: str) -> None:
    with pytest.raises(ValueError, match="not a KBJI code"):
        kbji_group(code)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("8160", "8160"),
        ("81 · Operator mesin dan instalasi tetap", "81"),
        ("82 Perakit", "82"),
        ("perakit", "82"),
        ("  STATIONARY plant and  machine operators ", "81"),
        ("Pekerja kasar", "9"),
        # Anything else stays as typed, for the code rule to refuse.
        ("operator", "operator"),
        ("81", "81"),
        ("1234567 Perakit", "1234567 Perakit"),
        ("", ""),
    ],
)
def test_typed_text_becomes_a_code(typed: str, code: str) -> None:
    assert kbji_code_of(typed) == code
