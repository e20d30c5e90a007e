"""Reporting periods: the one home of "which days does a month, quarter, semester or year
cover", for the office's statistics, the officer evaluation, hiring drives and the
interchange exports.

Labour offices file the IPK III tables per month, quarter or semester (DOMAIN.md); a
period is a run of whole days in the office's zone, its end inclusive as people write it
("1 Januari – 31 Maret 2024"). Queries compare UTC instants against
:meth:`Period.utc_bounds` (start inclusive, end exclusive), so a row at 23:30 WIB on the
last day belongs to the period and one at 00:00 the day after does not. The stock-flow's
"carried over" is everything before the period's start: :meth:`Period.previous` gives the
period before, for "compared with the last quarter".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from jobfair import i18n
from jobfair.i18n import gettext
from jobfair.services.errors import ValidationFailed
from jobfair.services.times import DEFAULT_TIMEZONE

# A custom period longer than this is refused: the tables are filed per year at most,
# and a longer span is almost always a typing mistake in the year.
MAX_DAYS = 3 * 366
EARLIEST_YEAR = 2000


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR = "year"
    CUSTOM = "custom"


# How many periods of each kind a year holds, and how many months each covers.
_PER_YEAR = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.SEMESTER: 2,
    PeriodKind.YEAR: 1,
}


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole days ``start``..``end`` (both inclusive) of one kind.

    ``number`` is the month (1–12), quarter (1–4) or semester (1–2) in ``start``'s year;
    1 for a year, 0 for a custom period."""

    kind: PeriodKind
    start: date
    end: date
    number: int = 0

    @classmethod
    def of(cls, kind: PeriodKind | str, year: int, number: int = 1) -> Period:
        """The ``number``-th month/quarter/semester of ``year`` (or the year itself)."""
        kind = PeriodKind(kind)
        if kind is PeriodKind.CUSTOM:
            raise ValueError("a custom period is made with Period.between")
        per_year = _PER_YEAR[kind]
        if not 1 <= number <= per_year:
            raise ValueError(f"{kind} {number} is not in 1..{per_year}")
        months = 12 // per_year
        start = _month_start(year, (number - 1) * months + 1)
        end = _month_start(year, number * months + 1) - timedelta(days=1)
        return cls(kind, start, end, number)

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(PeriodKind.CUSTOM, start, end, 0)

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: date) -> Period:
        """The month/quarter/semester/year that ``day`` falls in."""
        kind = PeriodKind(kind)
        if kind is PeriodKind.CUSTOM:
            return cls.between(day, day)
        months = 12 // _PER_YEAR[kind]
        return cls.of(kind, day.year, (day.month - 1) // months + 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before (a custom period: as many days)."""
        if self.kind is PeriodKind.CUSTOM:
            end = self.start - timedelta(days=1)
            return Period.between(end - timedelta(days=self.days - 1), end)
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def utc_bounds(self, timezone: str = DEFAULT_TIMEZONE) -> tuple[datetime, datetime]:
        """``[start, end)`` as UTC instants: midnight of the first day in the zone, and
        midnight after the last day."""
        zone = ZoneInfo(timezone)
        opens = datetime.combine(self.start, time(), zone).astimezone(UTC)
        closes = datetime.combine(self.end + timedelta(days=1), time(), zone).astimezone(UTC)
        return opens, closes

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def key(self) -> str:
        """A stable, URL- and file-name-safe name: ``2024-Q1``, ``2024-S2``, ``2024-07``,
        ``2024``, ``2024-01-15_2024-02-14``."""
        year = self.start.year
        match self.kind:
            case PeriodKind.MONTH:
                return f"{year}-{self.number:02d}"
            case PeriodKind.QUARTER:
                return f"{year}-Q{self.number}"
            case PeriodKind.SEMESTER:
                return f"{year}-S{self.number}"
            case PeriodKind.YEAR:
                return f"{year}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def label(self) -> str:
        """ "Triwulan I 2024" / "Quarter 1 2024", in the current locale."""
        locale = i18n.current_locale()
        year = self.start.year
        match self.kind:
            case PeriodKind.MONTH:
                return format_date(self.start, "LLLL y", locale=locale)
            case PeriodKind.QUARTER:
                return gettext("Quarter %(number)s %(year)s", number=_roman(self.number), year=year)
            case PeriodKind.SEMESTER:
                return gettext(
                    "Semester %(number)s %(year)s", number=_roman(self.number), year=year
                )
            case PeriodKind.YEAR:
                return gettext("Year %(year)s", year=year)
        first = format_date(self.start, "d MMM y", locale=locale)
        last = format_date(self.end, "d MMM y", locale=locale)
        return f"{first} – {last}"


def _roman(number: int) -> str:
    return ("I", "II", "III", "IV")[number - 1]


def parse(
    kind: str | None,
    year: int | None = None,
    number: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """A period from a form or query (``kind=quarter&year=2024&number=1`` or
    ``kind=custom&start=…&end=…``); a domain error naming the field otherwise."""
    try:
        period_kind = PeriodKind(kind or "")
    except ValueError:
        message = gettext("Choose a month, quarter, semester, year or dates.")
        raise ValidationFailed(message, fields={"kind": message}) from None
    if period_kind is PeriodKind.CUSTOM:
        if start is None or end is None:
            message = gettext("Give the first and the last day of the period.")
            raise ValidationFailed(message, fields={"start" if start is None else "end": message})
        if end < start:
            message = gettext("The last day must not be before the first.")
            raise ValidationFailed(message, fields={"end": message})
        if (end - start).days + 1 > MAX_DAYS:
            message = gettext("A period may cover at most three years.")
            raise ValidationFailed(message, fields={"end": message})
        if start.year < EARLIEST_YEAR:
            message = gettext("Choose a year from %(year)s.", year=EARLIEST_YEAR)
            raise ValidationFailed(message, fields={"start": message})
        return Period.between(start, end)
    if year is None or not EARLIEST_YEAR <= year <= 2100:
        message = gettext("Choose a year from %(year)s.", year=EARLIEST_YEAR)
        raise ValidationFailed(message, fields={"year": message})
    per_year = _PER_YEAR[period_kind]
    number = 1 if period_kind is PeriodKind.YEAR else number
    if number is None or not 1 <= number <= per_year:
        message = gettext("Choose which one, from 1 to %(count)s.", count=per_year)
        raise ValidationFailed(message, fields={"number": message})
    return Period.of(period_kind, year, number)
