"""The order of the organiser's company table: whitelisted ``?sort=`` keys, a leading
``-`` for the other way round, anything else the default (names A–Z)."""

from __future__ import annotations

from typing import Any

import pytest

from jobfair.services.live import COMPANY_SORT_KEYS, CompanySort


def _row(name: str, applications: int, share: float | None, online: int = 0) -> dict[str, Any]:
    return {
        "name": name,
        "applications": applications,
        "unreviewed": applications // 2,
        "share_answered": share,
        "recruiters_online": online,
    }


ROWS = [
    _row("PT Cahaya", 5, 0.5, 1),
    _row("pt Angkasa", 9, None, 0),
    _row("PT Bumi", 5, 1.0, 2),
]


def _names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


@pytest.mark.parametrize(
    ("param", "names"),
    [
        ("name", ["pt Angkasa", "PT Bumi", "PT Cahaya"]),
        ("-name", ["PT Cahaya", "PT Bumi", "pt Angkasa"]),
        # Ties keep the names' order, whichever way the figures go.
        ("applications", ["PT Bumi", "PT Cahaya", "pt Angkasa"]),
        ("-applications", ["pt Angkasa", "PT Bumi", "PT Cahaya"]),
        # No share answered yet: last, both ways.
        ("answered", ["PT Cahaya", "PT Bumi", "pt Angkasa"]),
        ("-answered", ["PT Bumi", "PT Cahaya", "pt Angkasa"]),
        ("-recruiters_online", ["PT Bumi", "PT Cahaya", "pt Angkasa"]),
    ],
)
def test_each_column_sorts(param: str, names: list[str]) -> None:
    sort = CompanySort.parse(param)
    assert sort.param == param
    assert _names(sort.apply(ROWS)) == names


@pytest.mark.parametrize(
    "raw",
    [None, "", "-", "--name", "share_answered", "company_name", "name;drop", "NAME", "-%00"],
)
def test_an_unknown_key_is_the_default_order(raw: str | None) -> None:
    assert CompanySort.parse(raw) == CompanySort("name", descending=False)


def test_a_heading_sorts_its_column_then_turns_it_round() -> None:
    default = CompanySort()
    assert default.toggled("name") == CompanySort("name", descending=True)
    assert default.toggled("applications") == CompanySort("applications", descending=True)
    assert CompanySort("applications", True).toggled("applications").param == "applications"
    assert all(CompanySort.parse(key).key == key for key in COMPANY_SORT_KEYS)
