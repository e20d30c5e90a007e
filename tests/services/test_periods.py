"""The reporting period rule: whole days in the office's zone, end inclusive."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jobfair import i18n
from jobfair.services import periods
from jobfair.services.errors import ValidationFailed
from jobfair.services.periods import Period, PeriodKind


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        ("month", 2, date(2024, 2, 1), date(2024, 2, 29)),
        ("month", 12, date(2024, 12, 1), date(2024, 12, 31)),
        ("quarter", 1, date(2024, 1, 1), date(2024, 3, 31)),
        ("quarter", 4, date(2024, 10, 1), date(2024, 12, 31)),
        ("semester", 2, date(2024, 7, 1), date(2024, 12, 31)),
        ("year", 1, date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_a_period_covers_whole_days(kind: str, number: int, start: date, end: date) -> None:
    period = Period.of(kind, 2024, number)
    assert (period.start, period.end) == (start, end)


def test_bounds_are_midnights_in_the_zone() -> None:
    period = Period.of("month", 2024, 7)
    opens, closes = period.utc_bounds("Asia/Jayapura")  # WIT, UTC+9
    assert opens == datetime(2024, 6, 30, 15, tzinfo=UTC)
    assert closes == datetime(2024, 7, 31, 15, tzinfo=UTC)


def test_previous_and_containing() -> None:
    assert Period.of("quarter", 2024, 1).previous() == Period.of("quarter", 2023, 4)
    assert Period.containing("semester", date(2024, 8, 17)) == Period.of("semester", 2024, 2)
    custom = Period.between(date(2024, 3, 11), date(2024, 3, 20))
    assert custom.previous() == Period.between(date(2024, 3, 1), date(2024, 3, 10))


def test_keys_and_labels() -> None:
    assert Period.of("quarter", 2024, 3).key == "2024-Q3"
    assert Period.of("month", 2024, 7).key == "2024-07"
    with i18n.using("id"):
        assert Period.of("quarter", 2024, 1).label() == "Triwulan I 2024"
        assert Period.of("month", 2024, 7).label() == "Juli 2024"
    with i18n.using("en"):
        assert Period.of("semester", 2024, 2).label() == "Semester II 2024"


def test_parse_good_input() -> None:
    assert periods.parse("quarter", 2024, 2) == Period.of(PeriodKind.QUARTER, 2024, 2)
    assert periods.parse("year", 2024) == Period.of(PeriodKind.YEAR, 2024)
    custom = periods.parse("custom", start=date(2024, 1, 15), end=date(2024, 2, 14))
    assert custom.days == 31


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "fortnight", "year": 2024}, "kind"),
        ({"kind": None}, "kind"),
        ({"kind": "quarter", "year": 2024, "number": 5}, "number"),
        ({"kind": "month", "year": 2024, "number": 0}, "number"),
        ({"kind": "month", "year": 1999, "number": 1}, "year"),
        ({"kind": "month", "year": None, "number": 1}, "year"),
        ({"kind": "custom", "start": date(2024, 2, 1)}, "end"),
        ({"kind": "custom", "start": date(2024, 2, 1), "end": date(2024, 1, 1)}, "end"),
        ({"kind": "custom", "start": date(2020, 1, 1), "end": date(2024, 1, 1)}, "end"),
    ],
)
def test_parse_bad_input_names_the_field(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        periods.parse(**arguments)  # type: ignore[arg-type]
    assert field in raised.value.fields
