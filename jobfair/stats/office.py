"""An office's statistics over a period: the IPK III tables across all of its fairs.

Every figure is an SQL aggregate (one row per sex × age group × education, per sex ×
occupation sought or years since graduation, per vacancy × sex, per day…), as for the
fair report (``stats.compile``), whose
definitions, age groups, placement kinds, opening-filling rule and IPK III/8 table this
module reuses. The payload has the fair report's shape (``report_format.md``: headline,
tables, a ``fair`` block naming the office and the period) so the same presenter,
official layouts (``stats.official``), charts and PDF/XLSX/CSV exports draw it.

The stock-flow (``definitions.OFFICE_TABLES``) is computed from states at two instants,
the period's start ``a`` and end ``b`` (UTC bounds of its whole days in the office's
zone; ``b`` is the compile time for a period not yet over, so a decision deadline or a
lapse still to come removes nothing yet): a flow is a change of state between them, so
carried forward = carried over + registered − placed − removed holds in every row by
construction, and the SQL compares timestamps only with constants computed here (no
date arithmetic in SQL).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal_column, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Select

from jobfair.db.aggregates import count_if, flag
from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    Fair,
    LabourOffice,
    Placement,
    Vacancy,
)
from jobfair.models.applications import is_confirmed
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import is_public
from jobfair.reference.education import EDUCATION_LEVELS
from jobfair.reference.kbji import KBJI_MAJOR_GROUPS
from jobfair.reference.kbli import KBLI_SECTIONS
from jobfair.services import times
from jobfair.services.periods import Period
from jobfair.stats import definitions as d
from jobfair.stats.compile import (
    AGE_GROUPS,
    FORMAT,
    _column,
    _ipk_iii_8_table,
    _openings_filled,
    _rows,
    age_group_at,
    local_date,
    placement_kind,
)

# A job seeker not placed leaves the register this long after their latest
# application: the AK/I registration is valid for two years (DOMAIN.md).
LAPSE = timedelta(days=730)
# Periods up to this many days show registrations per day, longer ones per month.
DAILY_UP_TO_DAYS = 62
STAGE_KEYS = ("carried_over", "registered", "placed", "removed", "carried_forward")
SEXES = ("L", "P")
# IPK III/7's groups of whole years since graduation (DOMAIN.md: 0–2, 3–5, 6+): the
# label and the least number of years of each.
GRADUATION_GROUPS: tuple[tuple[str, int], ...] = (("0–2", 0), ("3–5", 3), ("6+", 6))
# The row of job seekers a table cannot place (no occupation stated, no graduation
# year): with it, IPK III/3 and III/7 add up to IPK III/1's job seekers. Stored as the
# code, shown as ``d.NOT_STATED`` (the presenter's ``TEXT_CODES``).
NOT_STATED = d.NOT_STATED_CODE
# The tables with a not-stated row, and their first column (see :func:`readable`).
NOT_STATED_TABLES = {"ipk_iii_3": "kbji_group", "ipk_iii_7": "graduation_group"}


@dataclass(frozen=True)
class OfficeScope:
    """What the statements need: the office, the period and its UTC bounds."""

    office_id: int
    period: Period
    timezone: str
    opens: datetime  # a: the period's first instant (UTC)
    closes: datetime  # the instant after its last day (UTC)
    akl_scope: str
    # b: the instant the stock is carried forward at — the period's end, or the compile
    # time for a period not yet over (no deadline or lapse still to come counts yet).
    until: datetime

    @property
    def utc_offset_hours(self) -> int:
        offset = self.opens.astimezone(ZoneInfo(self.timezone)).utcoffset()
        return int((offset or timedelta()) / timedelta(hours=1))


def office_fairs(office_id: int) -> Select[Any]:
    """The office's published fairs (the ones whose data the office reports)."""
    return select(Fair.id).where(Fair.office_id == office_id, Fair.status == FairStatus.PUBLISHED)


def _people(scope: OfficeScope) -> Any:
    """Per job seeker of the office's fairs: the first and the latest application, and
    when their first confirmed hire was reported (None: never placed)."""
    return (
        select(
            Application.applicant_id.label("applicant_id"),
            func.min(Application.submitted_at).label("registered_at"),
            func.max(Application.submitted_at).label("last_at"),
            func.min(Placement.reported_at).label("placed_at"),
        )
        .select_from(Application)
        .outerjoin(
            Placement,
            and_(
                Placement.application_id == Application.id,
                is_confirmed(Placement.confirmation),
            ),
        )
        .where(Application.fair_id.in_(office_fairs(scope.office_id)))
        .group_by(Application.applicant_id)
        .subquery("people")
    )


def _seeker_states(people: Any, at: datetime) -> dict[str, ColumnElement[bool]]:
    """A job seeker's state at instant ``at``: placed, removed (lapsed unplaced),
    active (registered, neither placed nor removed)."""
    placed = and_(people.c.placed_at.is_not(None), people.c.placed_at < at)
    removed = and_(not_(placed), people.c.last_at < at - LAPSE)
    active = and_(people.c.registered_at < at, not_(placed), not_(removed))
    return {"placed": placed, "removed": removed, "active": active}


def _seeker_counts(people: Any, scope: OfficeScope) -> list[Any]:
    """The five stock-flow counts of job seekers (IPK III/1, /2, /3, /7 alike)."""
    a, b = scope.opens, scope.until
    start, end = _seeker_states(people, a), _seeker_states(people, b)
    registered = and_(people.c.registered_at >= a, people.c.registered_at < b)
    return [
        count_if(start["active"]).label("carried_over"),
        count_if(registered).label("registered"),
        count_if(and_(end["placed"], not_(start["placed"]), not_(start["removed"]))).label(
            "placed"
        ),
        count_if(and_(end["removed"], not_(start["removed"]))).label("removed"),
        count_if(end["active"]).label("carried_forward"),
    ]


def graduation_group_at(end_year: int) -> ColumnElement[str]:
    """The applicant's :data:`GRADUATION_GROUPS` label in the year ``end_year`` (the
    period's last day's): whole years since graduation = ``end_year`` − graduation
    year. No graduation year, or one after ``end_year`` (not graduated yet): not
    stated. The bounds are constants computed here (no date arithmetic in SQL)."""
    year = Applicant.graduation_year
    whens: list[tuple[ColumnElement[bool], str]] = [
        (or_(year.is_(None), year > end_year), NOT_STATED)
    ]
    # Youngest first: a group holds up to one year less than the next group's least.
    for (label, _least), (_next, next_least) in pairwise(GRADUATION_GROUPS):
        whens.append((year >= end_year - (next_least - 1), label))
    return case(*whens, else_=GRADUATION_GROUPS[-1][0])


def sought_major_group() -> ColumnElement[str]:
    """The KBJI major group (first digit) of the occupation sought; not stated when the
    applicant gave none."""
    code = Applicant.sought_kbji_code
    return case((or_(code.is_(None), code == ""), NOT_STATED), else_=func.substr(code, 1, 1))


def office_statements(scope: OfficeScope) -> dict[str, Select[Any]]:
    """Every aggregate statement of the office's statistics, by name (the bench runs
    them raw)."""
    a, b = scope.opens, scope.until
    statements: dict[str, Select[Any]] = {}
    statements["fairs"] = (
        select(Fair.id, Fair.slug, Fair.name, Fair.timezone, Fair.opens_at, Fair.closes_at)
        .where(Fair.id.in_(office_fairs(scope.office_id)))
        .order_by(Fair.opens_at, Fair.id)
    )
    people = _people(scope)
    ak1 = flag(and_(Applicant.ak1_number.is_not(None), Applicant.ak1_number != ""))
    registered = and_(people.c.registered_at >= a, people.c.registered_at < b)
    statements["seekers"] = (
        select(
            Applicant.sex,
            age_group_at(scope.period.end).label("age_group"),
            Applicant.education_level,
            *_seeker_counts(people, scope),
        )
        .select_from(people)
        .join(Applicant, Applicant.id == people.c.applicant_id)
        .group_by(Applicant.sex, literal_column("age_group"), Applicant.education_level)
    )
    # IPK III/3 and III/7: the same people and counts, by the occupation sought and by
    # the years since graduation at the period's end.
    statements["seekers_by_occupation"] = (
        select(
            Applicant.sex,
            sought_major_group().label("kbji_group"),
            *_seeker_counts(people, scope),
        )
        .select_from(people)
        .join(Applicant, Applicant.id == people.c.applicant_id)
        .group_by(Applicant.sex, literal_column("kbji_group"))
    )
    statements["seekers_by_graduation"] = (
        select(
            Applicant.sex,
            graduation_group_at(scope.period.end.year).label("graduation_group"),
            *_seeker_counts(people, scope),
        )
        .select_from(people)
        .join(Applicant, Applicant.id == people.c.applicant_id)
        .group_by(Applicant.sex, literal_column("graduation_group"))
    )
    day = local_date(people.c.registered_at, literal_column(str(scope.utc_offset_hours)))
    statements["registrations_by_day"] = (
        select(
            day.label("day"),
            Applicant.sex,
            ak1.label("ak1"),
            func.count().label("people"),
        )
        .select_from(people)
        .join(Applicant, Applicant.id == people.c.applicant_id)
        .where(registered)
        .group_by(literal_column("day"), Applicant.sex, literal_column("ak1"))
    )
    # Openings: the verified vacancies of fairs that opened before the period's end.
    statements["vacancies"] = (
        select(
            Vacancy.id,
            Vacancy.openings_male,
            Vacancy.openings_female,
            Vacancy.openings_either,
            Vacancy.education_min,
            Vacancy.kbji_code,
            Company.kbli_section,
            Fair.opens_at,
            Fair.decision_deadline,
        )
        .join(Fair, Fair.id == Vacancy.fair_id)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(
            Vacancy.fair_id.in_(office_fairs(scope.office_id)),
            Fair.opens_at < b,
            or_(Fair.decision_deadline >= a, Fair.opens_at >= a),
            is_public(),
        )
        .order_by(Vacancy.id)
    )
    # Confirmed hires per vacancy and sex that fill openings: reported before the
    # fair's decision deadline, and before each of the period's two instants.
    filling = and_(
        is_confirmed(Placement.confirmation), Placement.reported_at < Fair.decision_deadline
    )
    statements["hires_by_vacancy"] = (
        select(
            Application.vacancy_id,
            Applicant.sex,
            count_if(Placement.reported_at < a).label("before_start"),
            count_if(Placement.reported_at < b).label("before_end"),
        )
        .select_from(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .join(Fair, Fair.id == Placement.fair_id)
        .where(
            Placement.fair_id.in_(office_fairs(scope.office_id)),
            filling,
            Fair.opens_at < b,
            Fair.decision_deadline >= a,
        )
        .group_by(Application.vacancy_id, Applicant.sex)
    )
    statements["placements"] = (
        select(
            Applicant.sex,
            Applicant.education_level,
            Company.employer_type,
            placement_kind(scope.akl_scope).label("kind"),
            func.count().label("placements"),
        )
        .select_from(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(
            Placement.fair_id.in_(office_fairs(scope.office_id)),
            is_confirmed(Placement.confirmation),
            Placement.reported_at >= a,
            Placement.reported_at < b,
        )
        .group_by(
            Applicant.sex,
            Applicant.education_level,
            Company.employer_type,
            literal_column("kind"),
        )
    )
    return statements


# ------------------------------------------------------------------ assembling


def _stock_columns(first: dict[str, Any]) -> list[dict[str, Any]]:
    labels = {
        "carried_over": (d.CARRIED_OVER_MEN, d.CARRIED_OVER_WOMEN),
        "registered": (d.REGISTERED_MEN, d.REGISTERED_WOMEN),
        "placed": (d.PLACED_MEN, d.PLACED_WOMEN),
        "removed": (d.REMOVED_MEN, d.REMOVED_WOMEN),
        "carried_forward": (d.FORWARD_MEN, d.FORWARD_WOMEN),
    }
    columns = [first]
    for stage in STAGE_KEYS:
        men, women = labels[stage]
        columns.append(_column(f"{stage}_L", men, "int"))
        columns.append(_column(f"{stage}_P", women, "int"))
    return columns


def _office_table(
    key: str, columns: list[dict[str, Any]], rows: list[dict[str, Any]], totals: dict[str, Any]
) -> dict[str, Any]:
    title, definition = d.OFFICE_TABLES[key]
    return {
        "key": key,
        "title": title,
        "definition": definition,
        "columns": columns,
        "rows": rows,
        "totals": totals,
    }


def _flows() -> dict[str, dict[str, int]]:
    return {stage: {"L": 0, "P": 0, "either": 0} for stage in STAGE_KEYS}


def _stock_row(first_key: str, first: Any, flows: dict[str, dict[str, int]]) -> dict[str, Any]:
    row: dict[str, Any] = {first_key: first}
    for stage in STAGE_KEYS:
        for sex in SEXES:
            row[f"{stage}_{sex}"] = flows[stage][sex]
    # ``L``/``P`` are the registered ones: what the fair report's layouts read.
    row["L"], row["P"] = flows["registered"]["L"], flows["registered"]["P"]
    row["total"] = row["L"] + row["P"]
    return row


def _sum_rows(first_key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [f"{stage}_{sex}" for stage in STAGE_KEYS for sex in SEXES] + ["L", "P", "total"]
    return {first_key: d.TOTAL, **{key: sum(row[key] for row in rows) for key in keys}}


def _seeker_tables(
    seekers: list[Any],
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """IPK III/1's job-seeker rows (by age group) with their total, and IPK III/2."""
    by_age: dict[int, dict[str, dict[str, int]]] = defaultdict(_flows)
    by_education: dict[str, dict[str, dict[str, int]]] = defaultdict(_flows)
    for row in seekers:
        for stage in STAGE_KEYS:
            by_age[row.age_group][stage][row.sex] += int(getattr(row, stage))
            by_education[row.education_level][stage][row.sex] += int(getattr(row, stage))
    age_rows = [
        {**_stock_row("group", label, by_age[index]), "section": "job_seekers"}
        for index, (label, _lower) in enumerate(AGE_GROUPS)
    ]
    order = [level.code for level in EDUCATION_LEVELS]
    education_rows = [
        _stock_row("education_level", code, by_education[code])
        for code in sorted(by_education, key=lambda c: order.index(c) if c in order else 99)
    ]
    education = _office_table(
        "ipk_iii_2",
        _stock_columns(_column("education_level", d.EDUCATION, "education")),
        education_rows,
        _sum_rows("education_level", education_rows),
    )
    totals = {**_sum_rows("group", age_rows), "section": "job_seekers"}
    return age_rows, totals, education


def _seeker_groups_table(
    key: str, first: dict[str, Any], seekers: list[Any], order: list[str]
) -> dict[str, Any]:
    """A job-seeker table with a fixed row per group of ``order`` (zeros included) and
    the not-stated row last, so that its totals are IPK III/1's."""
    groups: dict[str, dict[str, dict[str, int]]] = {value: _flows() for value in order}
    groups.setdefault(NOT_STATED, _flows())
    for row in seekers:
        value = getattr(row, first["key"])
        flows = groups.setdefault(value if value in groups else NOT_STATED, _flows())
        for stage in STAGE_KEYS:
            flows[stage][row.sex] += int(getattr(row, stage))
    rows = [_stock_row(first["key"], value, flows) for value, flows in groups.items()]
    return _office_table(key, _stock_columns(first), rows, _sum_rows(first["key"], rows))


def _vacancy_flows(
    vacancy: Any, hires: dict[int, dict[str, tuple[int, int]]], scope: OfficeScope
) -> dict[str, dict[str, int]]:
    """One vacancy's openings through the period, per column L, P and either."""
    a, b = scope.opens, scope.until
    opens, deadline = vacancy.opens_at, vacancy.decision_deadline
    own = hires.get(vacancy.id, {})

    def filled(index: int) -> tuple[dict[str, int], int]:
        rows = [
            SimpleNamespace(vacancy_id=vacancy.id, sex=sex, placements=counts[index])
            for sex, counts in own.items()
        ]
        _openings, by_sex, _either, either_filled = _openings_filled([vacancy], rows)
        return by_sex, either_filled

    at_start = filled(0) if opens < a else ({"L": 0, "P": 0}, 0)
    at_end = filled(1)
    openings = {
        "L": vacancy.openings_male,
        "P": vacancy.openings_female,
        "either": vacancy.openings_either,
    }
    flows = _flows()
    for column, total in openings.items():
        before = at_start[1] if column == "either" else at_start[0][column]
        after = at_end[1] if column == "either" else at_end[0][column]
        if opens < a <= deadline:
            flows["carried_over"][column] = total - before
        if a <= opens < b:
            flows["registered"][column] = total
        flows["placed"][column] = after - before
        if a <= deadline < b:
            flows["removed"][column] = total - after
        if deadline >= b:
            flows["carried_forward"][column] = total - after
    return flows


def _add(into: dict[str, dict[str, int]], flows: dict[str, dict[str, int]]) -> None:
    for stage in STAGE_KEYS:
        for column in ("L", "P", "either"):
            into[stage][column] += flows[stage][column]


def _either_row(flows: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Openings for either sex: no place in an L/P table, said beneath it."""
    return {
        "group": d.OPENINGS_EITHER_ROW,
        "section": "openings",
        "L": None,
        "P": None,
        "total": flows["registered"]["either"],
        "carried_over": flows["carried_over"]["either"],
        "placed": flows["placed"]["either"],
        "removed": flows["removed"]["either"],
        "carried_forward": flows["carried_forward"]["either"],
    }


def _grouped_table(
    key: str, first: dict[str, Any], groups: dict[Any, dict[str, dict[str, int]]], order: list[Any]
) -> dict[str, Any]:
    rows = [
        _stock_row(first["key"], value, groups[value])
        for value in sorted(groups, key=lambda v: order.index(v) if v in order else len(order))
    ]
    return _office_table(key, _stock_columns(first), rows, _sum_rows(first["key"], rows))


def _registrations_table(scope: OfficeScope, by_day: list[Any]) -> dict[str, Any]:
    daily = scope.period.days <= DAILY_UP_TO_DAYS
    cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in by_day:
        when = str(row.day)[: 10 if daily else 7]
        cells[when][row.sex] += row.people
        cells[when]["ak1" if row.ak1 else "no_ak1"] += row.people
    keys = ("L", "P", "total", "ak1", "no_ak1")
    rows = []
    for when in sorted(cells):
        cell = cells[when]
        rows.append(
            {
                "day": when,
                "L": cell["L"],
                "P": cell["P"],
                "total": cell["L"] + cell["P"],
                "ak1": cell["ak1"],
                "no_ak1": cell["no_ak1"],
            }
        )
    return _office_table(
        "registrations",
        [
            _column("day", d.DATE if daily else d.MONTH, "text"),
            _column("L", d.MEN, "int"),
            _column("P", d.WOMEN, "int"),
            _column("total", d.TOTAL, "int"),
            _column("ak1", d.AK1_HOLDERS, "int"),
            _column("no_ak1", d.NO_AK1, "int"),
        ],
        rows,
        {"day": d.TOTAL, **{key: sum(row[key] for row in rows) for key in keys}},
    )


def readable(data: dict[str, Any]) -> dict[str, Any]:
    """A stored version as it is served and shown: versions compiled before the
    not-stated code kept the English words ``"Not stated"`` in IPK III/3 and III/7's
    first column, which become ``d.NOT_STATED_CODE`` here (a copy; the stored JSON is
    immutable). Newer versions come back unchanged."""
    tables = data.get("tables")
    if not isinstance(tables, list):
        return data
    changed = False
    upgraded = []
    for item in tables:
        column = NOT_STATED_TABLES.get(item.get("key", "")) if isinstance(item, dict) else None
        rows = item.get("rows", []) if column else []
        if column and any(row.get(column) == d.LEGACY_NOT_STATED for row in rows):
            fixed = [
                {**row, column: NOT_STATED} if row.get(column) == d.LEGACY_NOT_STATED else row
                for row in rows
            ]
            item = {**item, "rows": fixed}
            changed = True
        upgraded.append(item)
    return {**data, "tables": upgraded} if changed else data


def office_scope(
    office_id: int, period: Period, timezone: str, akl_scope: str, now: datetime
) -> OfficeScope:
    if akl_scope not in d.AKL_SCOPES:
        raise ValueError(f"akl_scope must be one of {d.AKL_SCOPES}")
    opens, closes = period.utc_bounds(timezone)
    until = min(closes, max(opens, now))
    return OfficeScope(office_id, period, timezone, opens, closes, akl_scope, until)


async def build_office_report_data(
    session: AsyncSession,
    office_id: int,
    period: Period,
    now: datetime,
    *,
    akl_scope: str = "province",
) -> dict[str, Any]:
    """The office's statistics over ``period`` (without ``version``): read-only,
    aggregate queries only."""
    office = await session.get(LabourOffice, office_id)
    if office is None:
        raise LookupError(f"no office {office_id}")
    zones = await session.scalars(select(Fair.timezone).where(Fair.id.in_(office_fairs(office_id))))
    timezone = times.common_zone(zones)
    scope = office_scope(office_id, period, timezone, akl_scope, now)
    statements = office_statements(scope)
    all_fairs = await _rows(session, statements["fairs"])
    seekers = await _rows(session, statements["seekers"])
    by_occupation = await _rows(session, statements["seekers_by_occupation"])
    by_graduation = await _rows(session, statements["seekers_by_graduation"])
    by_day = await _rows(session, statements["registrations_by_day"])
    vacancies = await _rows(session, statements["vacancies"])
    hire_rows = await _rows(session, statements["hires_by_vacancy"])
    placements = await _rows(session, statements["placements"])

    fairs = [f for f in all_fairs if f.opens_at < scope.closes and f.closes_at > scope.opens]
    age_rows, totals, iii_2 = _seeker_tables(seekers)

    hires: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in hire_rows:
        hires[row.vacancy_id][row.sex] = (int(row.before_start), int(row.before_end))
    openings = _flows()
    by_education: dict[str, dict[str, dict[str, int]]] = defaultdict(_flows)
    by_kbji: dict[str, dict[str, dict[str, int]]] = defaultdict(_flows)
    by_kbli: dict[str, dict[str, dict[str, int]]] = defaultdict(_flows)
    for vacancy in vacancies:
        flows = _vacancy_flows(vacancy, hires, scope)
        _add(openings, flows)
        _add(by_education[vacancy.education_min], flows)
        _add(by_kbji[vacancy.kbji_code[:1]], flows)
        _add(by_kbli[vacancy.kbli_section or NOT_STATED], flows)

    openings_row = {**_stock_row("group", d.OPENINGS_ROW, openings), "section": "openings"}
    openings_row["total"] += openings["registered"]["either"]
    iii_1 = _office_table(
        "ipk_iii_1",
        _stock_columns(_column("group", d.GROUP, "label")),
        [*age_rows, openings_row, _either_row(openings)],
        totals,
    )

    ipk8: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ipk_code = {level.code: level.ipk_code for level in EDUCATION_LEVELS}
    placed_total = 0
    for row in placements:
        cell = f"{row.kind}_{row.sex}"
        ipk8[ipk_code.get(row.education_level, 11)][cell] += row.placements
        ipk8[row.employer_type][cell] += row.placements
        placed_total += row.placements
    iii_8 = _ipk_iii_8_table(ipk8)
    iii_8["title"], iii_8["definition"] = d.OFFICE_TABLES["ipk_iii_8"]

    headline_values = {
        "fairs": len(fairs),
        "seekers_registered": totals["registered_L"] + totals["registered_P"],
        "seekers_placed": totals["placed_L"] + totals["placed_P"],
        "seekers_forward": totals["carried_forward_L"] + totals["carried_forward_P"],
        "openings_registered": openings_row["total"],
        "placements": placed_total,
    }
    headline = [
        {
            "key": key,
            "label": label,
            "definition": definition,
            "kind": "int",
            "value": headline_values[key],
        }
        for key, (label, definition) in d.OFFICE_HEADLINE.items()
    ]
    education_order = [level.code for level in EDUCATION_LEVELS]
    iii_3 = _seeker_groups_table(
        "ipk_iii_3",
        _column("kbji_group", d.SOUGHT_KBJI_GROUP, "kbji_group"),
        by_occupation,
        [g.digit for g in KBJI_MAJOR_GROUPS],
    )
    iii_7 = _seeker_groups_table(
        "ipk_iii_7",
        _column("graduation_group", d.YEARS_SINCE_GRADUATION, "label"),
        by_graduation,
        [label for label, _least in GRADUATION_GROUPS],
    )
    tables = [
        iii_1,
        iii_2,
        iii_3,
        _grouped_table(
            "ipk_iii_4",
            _column("education_level", d.EDUCATION, "education"),
            by_education,
            education_order,
        ),
        _grouped_table(
            "ipk_iii_5",
            _column("kbji_group", d.KBJI_GROUP, "kbji_group"),
            by_kbji,
            [g.digit for g in KBJI_MAJOR_GROUPS],
        ),
        _grouped_table(
            "ipk_iii_6",
            _column("kbli_section", d.KBLI_SECTION, "kbli_section"),
            by_kbli,
            [s.letter for s in KBLI_SECTIONS],
        ),
        iii_7,
        iii_8,
        _registrations_table(scope, by_day),
    ]
    return {
        "format": FORMAT,
        "kind": "office",
        "version": None,
        "compiled_at": now.astimezone(UTC).isoformat(),
        "provisional": now < scope.closes,
        "akl_scope": akl_scope,
        "office": {"id": office.id, "slug": office.slug, "name": office.name},
        "period": {
            "kind": str(period.kind),
            "number": period.number,
            "key": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        # The fair report's block, so its presenter and exports name office and period.
        "fair": {
            "slug": f"{office.slug}-{period.key}",
            "name": ", ".join(f.name for f in fairs),
            "office": office.name,
            "timezone": timezone,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
        },
        "fairs": [{"slug": f.slug, "name": f.name} for f in fairs],
        "headline": headline,
        "tables": tables,
    }
