"""Upcoming / open / closed derive from the clock, to the second, in every timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobfair.models import Fair
from jobfair.models.fairs import FairPhase, FairStatus

SECOND = timedelta(seconds=1)


def make_fair(timezone: str, status: str = FairStatus.PUBLISHED) -> Fair:
    zone = ZoneInfo(timezone)
    opens = datetime(2026, 11, 3, 8, 0, tzinfo=zone)
    closes = datetime(2026, 11, 10, 23, 59, 59, tzinfo=zone)
    return Fair(
        slug="f",
        name="F",
        timezone=timezone,
        registration_opens_at=opens - timedelta(days=7),
        opens_at=opens.astimezone(UTC),
        closes_at=closes.astimezone(UTC),
        decision_deadline=(closes + timedelta(days=14)).astimezone(UTC),
        status=status,
    )


@pytest.mark.parametrize(
    ("timezone", "opens_utc"),
    [
        ("Asia/Jakarta", datetime(2026, 11, 3, 1, 0, tzinfo=UTC)),  # WIB, UTC+7
        ("Asia/Makassar", datetime(2026, 11, 3, 0, 0, tzinfo=UTC)),  # WITA, UTC+8
        ("Asia/Jayapura", datetime(2026, 11, 2, 23, 0, tzinfo=UTC)),  # WIT, UTC+9
    ],
)
def test_opening_boundary_to_the_second(timezone: str, opens_utc: datetime) -> None:
    fair = make_fair(timezone)
    assert fair.opens_at == opens_utc
    assert fair.phase(opens_utc - SECOND) == FairPhase.UPCOMING
    assert fair.phase(opens_utc) == FairPhase.OPEN
    assert fair.phase(opens_utc + SECOND) == FairPhase.OPEN


@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_closing_boundary_to_the_second(timezone: str) -> None:
    fair = make_fair(timezone)
    local_close = datetime(2026, 11, 10, 23, 59, 59, tzinfo=ZoneInfo(timezone))
    assert fair.phase(local_close - SECOND) == FairPhase.OPEN
    assert fair.phase(local_close) == FairPhase.CLOSED
    assert fair.phase(local_close + timedelta(days=30)) == FairPhase.CLOSED


def test_same_instant_differs_by_timezone() -> None:
    # 00:30 UTC on 3 November: 07:30 WIB (not yet open), 08:30 WITA and 09:30 WIT (open).
    instant = datetime(2026, 11, 3, 0, 30, tzinfo=UTC)
    assert make_fair("Asia/Jakarta").phase(instant) == FairPhase.UPCOMING
    assert make_fair("Asia/Makassar").phase(instant) == FairPhase.OPEN
    assert make_fair("Asia/Jayapura").phase(instant) == FairPhase.OPEN


@pytest.mark.parametrize(
    ("status", "phase"),
    [(FairStatus.DRAFT, FairPhase.DRAFT), (FairStatus.CANCELLED, FairPhase.CANCELLED)],
)
def test_draft_and_cancelled_ignore_the_clock(status: str, phase: FairPhase) -> None:
    fair = make_fair("Asia/Jakarta", status)
    for moment in (fair.opens_at - SECOND, fair.opens_at, fair.closes_at):
        assert fair.phase(moment) == phase


def test_registration_window() -> None:
    fair = make_fair("Asia/Jakarta")
    assert not fair.registration_open(fair.registration_opens_at - SECOND)
    assert fair.registration_open(fair.registration_opens_at)
    assert fair.registration_open(fair.closes_at - SECOND)
    assert not fair.registration_open(fair.closes_at)


def test_local_time_and_abbreviation() -> None:
    fair = make_fair("Asia/Jayapura")
    assert fair.timezone_abbreviation == "WIT"
    assert fair.local(fair.opens_at).hour == 8
