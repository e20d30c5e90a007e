"""Times as people read them: wall time in a fair's time zone, named by its Indonesian
abbreviation (WIB/WITA/WIT). The one home of the rule, for the screens (the
``local_datetime`` template filter) and the exports (a company's applicant CSV/XLSX and
the compiled report), so a file says the same time as the page it came from.

Indonesia keeps no daylight-saving time, so a zone's UTC offset is fixed and a column
header can name it once ("Dikirim (WIT, UTC+9)").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from jobfair import i18n
from jobfair.models.fairs import TIMEZONE_ABBREVIATIONS

DEFAULT_TIMEZONE = "Asia/Jakarta"
# A spreadsheet cell: sortable, and read the same in every locale.
EXPORT_FORMAT = "%Y-%m-%d %H:%M"


def abbreviation(timezone: str) -> str:
    return TIMEZONE_ABBREVIATIONS.get(timezone, timezone)


def utc_offset(timezone: str) -> str:
    """``UTC+7``, ``UTC+8``, ``UTC+9`` (whole hours; a half hour as ``UTC+5:30``)."""
    offset = datetime.now(UTC).astimezone(ZoneInfo(timezone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(timezone: str) -> str:
    """``WIT, UTC+9``: the zone named as a column header names it."""
    return f"{abbreviation(timezone)}, {utc_offset(timezone)}"


def with_zone(header: str, timezone: str) -> str:
    """A time column's header naming its zone: ``Dikirim (WIT, UTC+9)``."""
    return f"{header} ({zone_label(timezone)})"


def local_datetime(
    moment: datetime | None, timezone: str = DEFAULT_TIMEZONE, locale: str | None = None
) -> str:
    """Wall time in ``timezone`` with its abbreviation, in the reader's locale:
    ``3 November 2026, 09.15 WIT``."""
    if moment is None:
        return ""
    locale = locale or i18n.current_locale()
    text = format_datetime(
        moment,
        "d MMMM y, HH.mm" if locale == "id" else "d MMMM y, HH:mm",
        tzinfo=ZoneInfo(timezone),
        locale=i18n.babel_locale(locale),
    )
    return f"{text} {abbreviation(timezone)}"


def local_time(
    moment: datetime | None, timezone: str = DEFAULT_TIMEZONE, locale: str | None = None
) -> str:
    """Wall time of day in ``timezone`` with its abbreviation: ``09.15 WIB`` (``09:15 WIB``
    in English), for a slot in a list headed by its day or a chat line."""
    if moment is None:
        return ""
    locale = locale or i18n.current_locale()
    text = format_datetime(
        moment,
        "HH.mm" if locale == "id" else "HH:mm",
        tzinfo=ZoneInfo(timezone),
        locale=i18n.babel_locale(locale),
    )
    return f"{text} {abbreviation(timezone)}"


def local_date(moment: datetime, timezone: str = DEFAULT_TIMEZONE) -> date:
    """The calendar day of ``moment`` in ``timezone`` (a naive moment is UTC)."""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def export_datetime(moment: datetime | None, timezone: str = DEFAULT_TIMEZONE) -> str:
    """Wall time in ``timezone`` for a spreadsheet cell (``2026-11-03 09:15``); the
    column header names the zone (:func:`with_zone`)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).strftime(EXPORT_FORMAT)


def common_zone(zones: Iterable[str]) -> str:
    """The zone of a file whose rows come from fairs in ``zones``: theirs when they
    share one, else the default (WIB), so one header names every row's zone."""
    found = set(zones)
    return found.pop() if len(found) == 1 else DEFAULT_TIMEZONE
