"""A hiring drive's progress as a file the office files: the figures of
:func:`jobfair.services.drives.progress` (the one home the drive page and
``GET /api/v1/drives/{id}/progress`` read too) laid out in the compiled report's shape
(``report_format.md``, with ``"kind": "drive"``), so the fair report's presenter and its
PDF/XLSX/CSV exporters (:mod:`jobfair.stats.exports`) write it unchanged.

Nothing is counted here: every number is a field of the ``Progress`` given, or a sum or
difference of them that the page shows as well (non-local = placed − local). Pure:
no database, no request. Aggregates and company names only, no person.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from jobfair.i18n import N_
from jobfair.services import times
from jobfair.services.periods import Period
from jobfair.stats.compile import FORMAT
from jobfair.stats.exports import EXTENSIONS
from jobfair.stats.present import Presenter

if TYPE_CHECKING:
    from jobfair.models import Drive
    from jobfair.services.drives import Progress

KIND = "drive"
# The file name's word, by locale (lower case, no spaces): drive-12-progres-2026-11-20.pdf
FILE_WORD = {"id": "progres", "en": "progress"}

# Headline: key → (label, definition or None), in the order shown.
HEADLINE: dict[str, tuple[str, str | None]] = {
    "target": (N_("Target"), N_("People the drive sets out to place.")),
    "placed": (
        N_("People placed"),
        N_(
            "People, each once, who confirmed a hire reported within the drive's days, in "
            "a linked fair or directly by a partner company. A person is credited to "
            "their earliest such hire (its week and its company)."
        ),
    ),
    "share_of_target": (N_("Share of the target"), N_("People placed divided by the target.")),
    "local": (
        N_("Local"),
        N_("People placed whose KTP regency is in the drive's locality rule."),
    ),
    "non_local": (N_("Not local"), None),
    "from_fairs": (N_("From the fairs"), None),
    "direct": (N_("Reported outside the fairs"), None),
    "pending": (
        N_("Waiting for the person's answer"),
        N_("Direct placements reported within the drive's days, not yet answered."),
    ),
    "outside_partners": (N_("Placed by companies that are not partners"), None),
}

TABLES: dict[str, tuple[str, str]] = {
    "drive_partners": (
        N_("Partner companies"),
        N_(
            "Each partner company, those that reported nothing included: the people "
            "credited to it and how many of them are local. Reported nothing: no hire in "
            "a linked fair (confirmed or not) and no direct placement within the drive's "
            "days. People credited to companies that are not partners are one row "
            "beneath, so the rows add up to the people placed."
        ),
    ),
    "drive_weeks": (
        N_("People placed per week"),
        N_(
            "Weeks of seven days from the drive's first day (the last may be shorter), in "
            "the zone of its fairs: the people credited to each week and the running total."
        ),
    ),
    "drive_locality": (
        N_("The locality rule"),
        N_("The KTP regencies whose residents count as local."),
    ),
}
NOT_PARTNERS = N_("Companies that are not partners")


def _column(key: str, label: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": kind, **extra}


def _table(
    key: str,
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    totals: dict[str, Any] | None,
) -> dict[str, Any]:
    title, definition = TABLES[key]
    item: dict[str, Any] = {"key": key, "title": title, "definition": definition}
    item["columns"], item["rows"] = columns, rows
    if totals is not None:
        item["totals"] = totals
    return item


def drive_report_data(
    drive: Drive, progress: Progress, *, office: str, timezone: str, now: datetime
) -> dict[str, Any]:
    """The drive's figures now (``progress`` of ``services.drives``) as report data."""
    period = Period.between(drive.first_day, drive.last_day)
    _opens, closes = period.utc_bounds(timezone)
    values = {
        "target": progress.target,
        "placed": progress.placed,
        "share_of_target": progress.share,
        "local": progress.local,
        "non_local": progress.non_local,
        "from_fairs": progress.from_fairs,
        "direct": progress.direct,
        "pending": progress.pending,
        "outside_partners": progress.outside_partners,
    }
    headline = []
    for key, (label, definition) in HEADLINE.items():
        item: dict[str, Any] = {"key": key, "label": label, "value": values[key]}
        item["kind"] = "float" if key == "share_of_target" else "int"
        if key == "share_of_target":
            item["unit"] = "share"
        if definition:
            item["definition"] = definition
        headline.append(item)

    silent = {company.id for company in progress.silent}
    partner_rows = [
        {
            "company": row.name,
            "company_id": row.company_id,
            "placed": row.placed,
            "local": row.local,
            "non_local": row.placed - row.local,
            "reported_nothing": N_("yes") if row.company_id in silent else N_("no"),
        }
        for row in progress.partners
    ]
    if progress.outside_partners:
        outside_local = progress.local - sum(row.local for row in progress.partners)
        partner_rows.append(
            {
                "company": NOT_PARTNERS,
                "placed": progress.outside_partners,
                "local": outside_local,
                "non_local": progress.outside_partners - outside_local,
                "reported_nothing": None,
            }
        )
    partners = _table(
        "drive_partners",
        [
            _column("company", N_("Company"), "label"),
            _column("placed", N_("Placed"), "int"),
            _column("local", N_("Local"), "int"),
            _column("non_local", N_("Not local"), "int"),
            _column("reported_nothing", N_("Reported nothing"), "label"),
        ],
        partner_rows,
        {
            "company": N_("Total"),
            "placed": progress.placed,
            "local": progress.local,
            "non_local": progress.non_local,
            "reported_nothing": None,
        },
    )
    weeks = _table(
        "drive_weeks",
        [
            _column("week", N_("Week"), "int"),
            _column("first_day", N_("First day"), "date"),
            _column("last_day", N_("Last day"), "date"),
            _column("placed", N_("Placed"), "int"),
            _column("cumulative", N_("So far"), "int"),
        ],
        [
            {
                "week": week.number,
                "first_day": week.first_day.isoformat(),
                "last_day": week.last_day.isoformat(),
                "placed": week.placed,
                "cumulative": week.cumulative,
            }
            for week in progress.weeks
        ],
        {
            "week": N_("Total"),
            "first_day": drive.first_day.isoformat(),
            "last_day": drive.last_day.isoformat(),
            "placed": progress.placed,
            "cumulative": None,
        },
    )
    locality = _table(
        "drive_locality",
        [_column("regency", N_("KTP regency"), "regency")],
        [{"regency": code} for code in drive.regency_codes],
        None,
    )
    return {
        "format": FORMAT,
        "kind": KIND,
        "version": None,
        "compiled_at": now.astimezone(UTC).isoformat(),
        "provisional": now < closes,
        "drive": {
            "id": drive.id,
            "name": drive.name,
            "first_day": drive.first_day.isoformat(),
            "last_day": drive.last_day.isoformat(),
            "target": drive.target,
            "regency_codes": list(drive.regency_codes),
        },
        # The fair report's block, so its presenter and exports name drive and days.
        "fair": {
            "slug": f"drive-{drive.id}",
            "name": drive.name,
            "office": office,
            "timezone": timezone,
            "period_start": drive.first_day.isoformat(),
            "period_end": drive.last_day.isoformat(),
        },
        "headline": headline,
        "tables": [partners, weeks, locality],
    }


def filename(data: dict[str, Any], kind: str, locale: str = "id") -> str:
    """``drive-<id>-progres-<day made>.<ext>`` (``-progress-`` in English): the drive's
    number and the day, in the drive's zone; no name of a drive, company or person."""
    word = FILE_WORD.get(Presenter.of(locale).locale, FILE_WORD["id"])
    timezone = data["fair"].get("timezone") or times.DEFAULT_TIMEZONE
    made = times.local_date(datetime.fromisoformat(data["compiled_at"]), timezone)
    return f"drive-{int(data['drive']['id'])}-{word}-{made.isoformat()}.{EXTENSIONS[kind]}"
