"""Compiling a fair's report: every figure is an SQL aggregate computed in the database.

The statements of :func:`report_statements` return aggregate-sized rows only (one per
group: per vacancy, per applicant profile cell, per day, per company…) and never the
applications themselves; Python only arranges those rows into the tables of
``report_format.md``. The same statements run on SQLite and PostgreSQL:

* ages are compared with cut-off birth dates computed here (age ≥ n at the period end
  ⇔ born on or before the period end n years earlier), so no date arithmetic in SQL;
* ``by_day`` shifts UTC by the fair's offset: the fairs' zones (WIB/WITA/WIT) have no
  daylight saving, so a fixed shift is exact (SQLite has no time zones);
* the median time to first decision is a window function (``ROW_NUMBER``/``COUNT``
  over each company's booth), not a list of durations brought into Python;
* :class:`scanned` keeps SQLite from driving the two largest statements by an index
  (a sequential scan of a fair's applications beats a million lookups); the numbers
  are in ``bench/README.md``.

Writing is separate and short: :func:`save_report` inserts the new version (max + 1,
unique per fair) in the caller's transaction, retrying on a concurrent compile, so a
process killed while compiling leaves no partial report; a version compiled for a
request names it (unique), so re-running the request writes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    and_,
    case,
    distinct,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement, Select

from jobfair.db.aggregates import count_if, flag, hours_between
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    Booth,
    Company,
    Fair,
    FairHostRegency,
    FairReport,
    LabourOffice,
    Placement,
    ReportRequest,
    Vacancy,
)
from jobfair.models.applications import (
    OPEN_STATUSES,
    is_answerable,
    is_answered,
    is_confirmed,
    is_hire_confirmed,
    is_hire_reported,
)
from jobfair.models.applications import ApplicationStatus as S
from jobfair.models.companies import is_public_booth
from jobfair.models.fairs import FairStatus, is_local
from jobfair.models.vacancies import is_public
from jobfair.reference.disability import DISABILITY_KINDS
from jobfair.reference.education import EDUCATION_LEVELS
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.reference.kbji import KBJI_MAJOR_GROUPS
from jobfair.reference.kbli import KBLI_SECTIONS
from jobfair.stats import definitions as d
from jobfair.stats import outcomes

logger = logging.getLogger(__name__)

FORMAT = 1
AKL_SCOPES = d.AKL_SCOPES
# IPK III/1 age groups: label, lower bound (inclusive). Age at the end of the period.
AGE_GROUPS: tuple[tuple[str, int], ...] = (
    ("15–19", 0),
    ("20–29", 20),
    ("30–44", 30),
    ("45–54", 45),
    ("55+", 55),
)
# Stage rank of a released decision: how far the applicant was told it went. A
# rejection is an answer given after looking at the application: "reviewed".
STAGE_RANK = {
    S.REVIEWED: 1,
    S.REJECTED: 1,
    S.SHORTLISTED: 2,
    S.INTERVIEW: 3,
    S.OFFERED: 4,
    S.HIRED: 5,
}
SAVE_ATTEMPTS = 5
# Seconds to sleep between aggregate steps. Test-only hook (always 0 in production): the
# crash test sets it in a worker subprocess so it can kill the worker mid-compile.
STEP_DELAY = 0.0


# ------------------------------------------------------------------ portable SQL


class local_date(FunctionElement[Any]):
    """The calendar date (``YYYY-MM-DD`` text) of a naive-UTC timestamp shifted by a whole
    number of hours, given as ``literal_column`` so the number is part of the SQL text
    (and of the statement cache key), never a bound value."""

    type = String()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    column, hours = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({column}, '{int(hours):+d} hours')"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: local_date, compiler: Any, **kw: Any) -> str:
    column, hours = (compiler.process(c, **kw) for c in element.clauses)
    shifted = f"{column} + interval '{int(hours)} hours'"
    return f"to_char({shifted}, 'YYYY-MM-DD')"


def _hours(scope: ReportScope) -> ColumnElement[Any]:
    return literal_column(str(int(scope.utc_offset_hours)))


class scanned(FunctionElement[Any]):
    """The column, telling SQLite not to drive the query by an index on it (the unary
    ``+`` of its documentation). A report reads most of a fair's applications: one
    sequential scan beats a million index lookups on SQLite; other backends choose
    their plan themselves and get the bare column."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(scanned)
def _scanned_default(element: scanned, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(next(iter(element.clauses)), **kw))


@compiles(scanned, "sqlite")
def _scanned_sqlite(element: scanned, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(next(iter(element.clauses)), **kw)}"


# ------------------------------------------------------------------ parameters


@dataclass(frozen=True)
class ReportScope:
    """What the statements need to know about the fair, computed once in Python."""

    fair_id: int
    host_regency_codes: tuple[str, ...]
    utc_offset_hours: int
    period_start: date
    period_end: date
    decision_deadline: datetime
    akl_scope: str

    def age_cutoff(self, years: int) -> date:
        """Born on or before this date ⇔ at least ``years`` old at the period end."""
        return age_cutoff(self.period_end, years)


def age_cutoff(end: date, years: int) -> date:
    """Born on or before this date ⇔ at least ``years`` old on ``end``."""
    try:
        return end.replace(year=end.year - years)
    except ValueError:  # 29 February in a year without one
        return end.replace(year=end.year - years, day=28)


def fair_scope(fair: Fair, akl_scope: str, host_regency_codes: list[str]) -> ReportScope:
    if akl_scope not in AKL_SCOPES:
        raise ValueError(f"akl_scope must be one of {AKL_SCOPES}")
    zone = ZoneInfo(fair.timezone)
    offset = zone.utcoffset(fair.opens_at.replace(tzinfo=None))
    if offset is None or offset % timedelta(hours=1):
        raise ValueError(f"timezone {fair.timezone} is not a whole-hour offset")
    # The period ends with the fair's last local day: a close at local midnight
    # belongs to the day before.
    last_moment = fair.closes_at - timedelta(microseconds=1)
    return ReportScope(
        fair_id=fair.id,
        host_regency_codes=tuple(host_regency_codes),
        utc_offset_hours=int(offset / timedelta(hours=1)),
        period_start=fair.opens_at.astimezone(zone).date(),
        period_end=last_moment.astimezone(zone).date(),
        decision_deadline=fair.decision_deadline,
        akl_scope=akl_scope,
    )


# ------------------------------------------------------------------ statements


def _is_local(regency: Any, scope: ReportScope) -> ColumnElement[int]:
    return flag(is_local(regency, scope.fair_id))


def _age_group(scope: ReportScope) -> ColumnElement[int]:
    """Index into :data:`AGE_GROUPS` of the applicant's age at the period end."""
    return age_group_at(scope.period_end)


def age_group_at(end: date) -> ColumnElement[int]:
    """Index into :data:`AGE_GROUPS` of the applicant's age on ``end`` (the fair's and
    the office's period end alike)."""
    whens = [
        (Applicant.birth_date <= age_cutoff(end, lower), index)
        for index, (_label, lower) in reversed(list(enumerate(AGE_GROUPS)))
        if lower > 0
    ]
    return case(*whens, else_=0)


def staged_applications(scope: ReportScope) -> Any:
    """One row per application of the fair: its vacancy, what the applicant was told
    last, when the first answer reached them, and the furthest stage they were told of
    (0 for none). Only released events count: a staged decision is not yet told.

    Driven by the applications (a scan) with each one's events found by the events
    index, then grouped per application: the cheapest plan on both backends."""
    rank = case(
        *[(ApplicationEvent.to_status == status, n) for status, n in STAGE_RANK.items()],
        else_=0,
    )
    return (
        select(
            Application.id.label("id"),
            Application.vacancy_id.label("vacancy_id"),
            Application.released_status.label("released_status"),
            Application.first_decision_at.label("first_decision_at"),
            func.coalesce(func.max(rank), 0).label("stage"),
        )
        .select_from(Application)
        .outerjoin(
            ApplicationEvent,
            and_(
                ApplicationEvent.application_id == Application.id,
                ApplicationEvent.released_at.is_not(None),
                ApplicationEvent.to_status.in_(list(STAGE_RANK)),
            ),
        )
        .where(scanned(Application.fair_id) == scope.fair_id)
        .group_by(Application.id)
        .subquery("staged")
    )


def placement_kind(akl_scope: str) -> ColumnElement[str]:
    """AKL, AKAD or AKAN of a placement: its vacancy's work regency against the
    applicant's KTP regency (same province, or same regency, as ``akl_scope`` says)."""
    work = Vacancy.work_regency_code
    ktp = Applicant.ktp_regency_code
    same = (
        func.substr(work, 1, 2) == func.substr(ktp, 1, 2)
        if akl_scope == "province"
        else work == ktp
    )
    # Indonesian regency codes are "PP.KK"; any other work location is abroad.
    return case((~work.like("__.__"), "AKAN"), (same, "AKL"), else_="AKAD")


def report_statements(scope: ReportScope) -> dict[str, Select[Any]]:
    """Every aggregate statement of the report, by name (the bench runs them raw)."""
    fair_id = scope.fair_id
    # When the first released answer reached the applicant: kept on the application by
    # the delivery of decisions (``screening.deliver_due``), the responsiveness measure.
    first_decision = Application.first_decision_at
    statements: dict[str, Select[Any]] = {}

    statements["companies"] = (
        select(
            Company.id,
            Booth.id.label("booth_id"),
            Company.slug,
            Company.name,
            Company.kbli_section,
            Company.employer_type,
        )
        .join(Booth, Booth.company_id == Company.id)
        .where(Booth.fair_id == fair_id, is_public_booth())
        .order_by(Company.name, Company.id)
    )

    statements["vacancies"] = (
        select(
            Vacancy.id,
            Booth.company_id,
            Vacancy.title,
            Vacancy.kbji_code,
            Vacancy.openings_male,
            Vacancy.openings_female,
            Vacancy.openings_either,
            flag(is_public()).label("public"),
        )
        .join(Booth, Booth.id == Vacancy.booth_id)
        .where(Vacancy.fair_id == fair_id)
        .order_by(Vacancy.id)
    )

    staged = staged_applications(scope)
    withdrawn_unanswered = ~is_answerable(staged.c.released_status, staged.c.first_decision_at)
    statements["applications_by_vacancy"] = select(
        staged.c.vacancy_id,
        func.count().label("applications"),
        count_if(withdrawn_unanswered).label("withdrawn_unanswered"),
        count_if(staged.c.stage >= 1).label("reviewed"),
        count_if(staged.c.stage >= 2).label("shortlisted"),
        count_if(staged.c.stage >= 3).label("interview"),
        count_if(staged.c.stage >= 4).label("offered"),
        count_if(staged.c.first_decision_at.is_not(None)).label("decided"),
        count_if(is_answered(staged.c.first_decision_at, scope.decision_deadline)).label(
            "answered_in_time"
        ),
        count_if(staged.c.released_status == S.UNANSWERED).label("unanswered"),
        count_if(staged.c.released_status == S.UNDECIDED).label("undecided"),
        count_if(is_hire_reported(staged.c.id)).label("hires"),
        count_if(is_hire_confirmed(staged.c.id)).label("confirmed"),
    ).group_by(staged.c.vacancy_id)

    statements["applicants"] = select(
        func.count().label("applications"),
        func.count(distinct(Application.applicant_id)).label("applicants"),
    ).where(Application.fair_id == fair_id)

    fair_applicants = select(Application.applicant_id).where(Application.fair_id == fair_id)
    ak1 = flag(and_(Applicant.ak1_number.is_not(None), Applicant.ak1_number != ""))
    statements["applicant_cells"] = (
        select(
            Applicant.sex,
            _age_group(scope).label("age_group"),
            Applicant.education_level,
            _is_local(Applicant.ktp_regency_code, scope).label("local"),
            flag(Applicant.has_disability.is_(True)).label("disability"),
            ak1.label("ak1"),
            func.count().label("people"),
        )
        .where(Applicant.id.in_(fair_applicants))
        .group_by(
            Applicant.sex,
            literal_column("age_group"),
            Applicant.education_level,
            literal_column("local"),
            literal_column("disability"),
            literal_column("ak1"),
        )
    )

    statements["disability_kinds"] = (
        select(Applicant.sex, Applicant.disability_kinds, func.count().label("people"))
        .where(Applicant.id.in_(fair_applicants), Applicant.has_disability.is_(True))
        .group_by(Applicant.sex, Applicant.disability_kinds)
    )

    day = local_date(Application.submitted_at, _hours(scope))
    statements["applications_by_day"] = (
        select(day.label("day"), func.count().label("applications"))
        .where(Application.fair_id == fair_id)
        .group_by(literal_column("day"))
    )
    first = (
        select(func.min(Application.submitted_at).label("first_at"))
        .where(Application.fair_id == fair_id)
        .group_by(Application.applicant_id)
        .subquery("firsts")
    )
    first_day = local_date(first.c.first_at, _hours(scope))
    statements["new_applicants_by_day"] = select(
        first_day.label("day"), func.count().label("applicants")
    ).group_by(literal_column("day"))

    # Per booth, which within a fair is per company (one booth each). The durations
    # are computed once, below the window, not again in its ORDER BY.
    durations = (
        select(
            scanned(Application.booth_id).label("booth_id"),
            hours_between(first_decision, Application.submitted_at).label("hours"),
        )
        .where(scanned(Application.fair_id) == fair_id, first_decision.is_not(None))
        .subquery("durations")
    )
    ranked = select(
        durations.c.booth_id,
        durations.c.hours,
        func.row_number()
        .over(partition_by=durations.c.booth_id, order_by=durations.c.hours)
        .label("position"),
        # The same partition and order (one sort), over the whole partition.
        func.count()
        .over(partition_by=durations.c.booth_id, order_by=durations.c.hours, rows=(None, None))
        .label("n"),
    ).subquery("ranked")
    # The middle one (odd n) or the mean of the middle two (even n); integer division
    # truncates alike on both backends.
    statements["median_hours_by_booth"] = (
        select(ranked.c.booth_id, func.avg(ranked.c.hours).label("median_hours"))
        .where(ranked.c.position.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
        .group_by(ranked.c.booth_id)
    )

    ktp = Applicant.ktp_regency_code
    kind = placement_kind(scope.akl_scope)
    # The confirmed placements (hires confirmed), by what the official tables break
    # them down by.
    statements["placements"] = (
        select(
            Application.vacancy_id,
            Applicant.sex,
            Applicant.education_level,
            _is_local(ktp, scope).label("local"),
            kind.label("kind"),
            func.count().label("placements"),
        )
        .select_from(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Placement.fair_id == fair_id, is_confirmed(Placement.confirmation))
        .group_by(
            Application.vacancy_id,
            Applicant.sex,
            Applicant.education_level,
            literal_column("local"),
            literal_column("kind"),
        )
    )
    # IPK III/1 counts people: a person who confirmed two hires is placed once, in the
    # age group of their age at the period end (as registered job seekers are).
    statements["placed_people"] = (
        select(
            Applicant.sex,
            _age_group(scope).label("age_group"),
            func.count(distinct(Applicant.id)).label("people"),
        )
        .select_from(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(
            Placement.fair_id == fair_id,
            is_confirmed(Placement.confirmation),
        )
        .group_by(Applicant.sex, literal_column("age_group"))
    )
    return statements


# ------------------------------------------------------------------ assembling


def _ratio(numerator: float, denominator: float, digits: int = 4) -> float | None:
    return round(numerator / denominator, digits) if denominator else None


def _column(key: str, label: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": kind, **extra}


def _table(
    key: str,
    columns: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    totals: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    title, definition = d.TABLES[key]
    table: dict[str, Any] = {
        "key": key,
        "title": title,
        "definition": definition,
        "columns": columns,
        "rows": rows,
    }
    if totals is not None:
        table["totals"] = totals
    table.update(extra)
    return table


_LP_COLUMNS = [
    _column("L", d.MEN, "int"),
    _column("P", d.WOMEN, "int"),
    _column("total", d.TOTAL, "int"),
]


def _lp_row(first_key: str, first: Any, counts: dict[str, int]) -> dict[str, Any]:
    men, women = counts.get("L", 0), counts.get("P", 0)
    return {first_key: first, "L": men, "P": women, "total": men + women}


def _lp_table(
    key: str,
    first: dict[str, Any],
    groups: list[tuple[Any, dict[str, int]]],
) -> dict[str, Any]:
    rows = [_lp_row(first["key"], value, counts) for value, counts in groups]
    totals = {
        first["key"]: d.TOTAL,
        "L": sum(row["L"] for row in rows),
        "P": sum(row["P"] for row in rows),
        "total": sum(row["total"] for row in rows),
    }
    return _table(key, [first, *_LP_COLUMNS], rows, totals)


@dataclass
class _Funnel:
    applications: int = 0
    withdrawn_unanswered: int = 0
    reviewed: int = 0
    shortlisted: int = 0
    interview: int = 0
    offered: int = 0
    decided: int = 0
    answered_in_time: int = 0
    unanswered: int = 0
    undecided: int = 0
    hires: int = 0
    confirmed: int = 0

    def add(self, other: _Funnel) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def answered_share(self) -> float | None:
        return _ratio(self.answered_in_time, self.applications - self.withdrawn_unanswered)


async def _rows(session: AsyncSession, statement: Select[Any]) -> list[Any]:
    rows = list((await session.execute(statement)).all())
    if STEP_DELAY:
        await asyncio.sleep(STEP_DELAY)
    return rows


def _iso_day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


async def build_report_data(
    session: AsyncSession, fair_id: int, now: datetime, *, akl_scope: str = "province"
) -> dict[str, Any]:
    """The report's data (without ``version``): read-only, aggregate queries only."""
    fair = await session.get(Fair, fair_id)
    if fair is None:
        raise LookupError(f"no fair {fair_id}")
    # Read explicitly: the fair may come from the session's identity map without them.
    office_name = await session.scalar(
        select(LabourOffice.name).where(LabourOffice.id == fair.office_id)
    )
    host_codes = list(
        await session.scalars(
            select(FairHostRegency.regency_code)
            .where(FairHostRegency.fair_id == fair_id)
            .order_by(FairHostRegency.regency_code)
        )
    )
    scope = fair_scope(fair, akl_scope, host_codes)
    statements = report_statements(scope)

    companies = await _rows(session, statements["companies"])
    vacancies = await _rows(session, statements["vacancies"])
    per_vacancy = {
        row.vacancy_id: row for row in await _rows(session, statements["applications_by_vacancy"])
    }
    totals_row = (await _rows(session, statements["applicants"]))[0]
    cells = await _rows(session, statements["applicant_cells"])
    kinds = await _rows(session, statements["disability_kinds"])
    by_day = await _rows(session, statements["applications_by_day"])
    new_by_day = await _rows(session, statements["new_applicants_by_day"])
    company_of_booth = {c.booth_id: c.id for c in companies}
    medians = {
        company_of_booth.get(row.booth_id): row.median_hours
        for row in await _rows(session, statements["median_hours_by_booth"])
    }
    placements = await _rows(session, statements["placements"])
    placed_people = await _rows(session, statements["placed_people"])
    booth_outcomes = await _booth_outcomes(session, fair_id)

    company_of_vacancy = {v.id: v.company_id for v in vacancies}
    company_info = {c.id: c for c in companies}
    missing = set(company_of_vacancy.values()) - set(company_info)
    if missing:
        # A company whose booth is no longer approved but whose vacancies got
        # applications: named in the per-vacancy tables, not counted as a company.
        extra = await session.execute(
            select(
                Company.id, Company.slug, Company.name, Company.kbli_section, Company.employer_type
            ).where(Company.id.in_(missing))
        )
        company_info.update({row.id: row for row in extra})

    # Per-vacancy funnel including hires.
    funnels: dict[int, _Funnel] = {}
    for vacancy in vacancies:
        row = per_vacancy.get(vacancy.id)
        funnels[vacancy.id] = _Funnel(
            *(
                (
                    row.applications,
                    row.withdrawn_unanswered,
                    row.reviewed,
                    row.shortlisted,
                    row.interview,
                    row.offered,
                    row.decided,
                    row.answered_in_time,
                    row.unanswered,
                    row.undecided,
                    row.hires,
                    row.confirmed,
                )
                if row
                else ()
            )
        )
    placed_lp: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    local_hires: dict[int, dict[str, int]] = {1: defaultdict(int), 0: defaultdict(int)}
    ipk8: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    education_ipk = {level.code: level.ipk_code for level in EDUCATION_LEVELS}
    # The confirmed placements, broken down (the funnels counted them already).
    for row in placements:
        local_hires[int(row.local)][row.sex] += row.placements
        cell = f"{row.kind}_{row.sex}"
        ipk8[education_ipk.get(row.education_level, 11)][cell] += row.placements
        company = company_info.get(company_of_vacancy.get(row.vacancy_id, -1))
        if company is not None:
            ipk8[company.employer_type][cell] += row.placements
        placed_lp[row.kind][row.sex] += row.placements

    public_vacancies = [v for v in vacancies if v.public]
    openings_male = sum(v.openings_male for v in public_vacancies)
    openings_female = sum(v.openings_female for v in public_vacancies)
    openings_either = sum(v.openings_either for v in public_vacancies)
    openings = openings_male + openings_female + openings_either
    everything = _Funnel()
    for funnel in funnels.values():
        everything.add(funnel)

    applications = int(totals_row.applications)
    applicants = int(totals_row.applicants)
    headline_values: dict[str, Any] = {
        "companies": len({c.id for c in companies}),
        "booths": len(companies),
        "vacancies": len(public_vacancies),
        "openings": openings,
        "applicants": applicants,
        "applications": applications,
        "applications_per_applicant": _ratio(applications, applicants, 2),
        "applications_per_vacancy": _ratio(applications, len(public_vacancies), 2),
        "applications_per_company": _ratio(applications, len(companies), 2),
        "shortlisted": everything.shortlisted,
        "interviews": everything.interview,
        "hires_reported": everything.hires,
        "hires_confirmed": everything.confirmed,
        "fill_rate": _ratio(everything.confirmed, openings),
    }
    headline = []
    for key, (label, definition) in d.HEADLINE.items():
        value = headline_values[key]
        item: dict[str, Any] = {
            "key": key,
            "label": label,
            "value": value,
            "definition": definition,
            "kind": "int" if isinstance(value, int) else "float",
        }
        if key == "fill_rate":
            item["unit"] = "share"
        headline.append(item)

    tables = [
        *_applicant_tables(cells, kinds),
        _funnel_table(everything, applications),
        _by_day_table(scope, by_day, new_by_day),
        _companies_table(companies, vacancies, funnels, medians),
        _vacancies_table(vacancies, company_info, funnels),
        _suspects_table(vacancies, company_info, funnels),
        _kbli_table(companies, vacancies, funnels),
        _kbji_table(vacancies, funnels),
        _local_hires_table(local_hires, fair.local_hiring_target),
        _ipk_iii_1_table(cells, placed_people, public_vacancies, placements),
        _ipk_iii_8_table(ipk8),
        await _booth_conversations_table(session, booth_outcomes, company_info),
    ]
    return {
        "format": FORMAT,
        "version": None,
        "compiled_at": now.astimezone(UTC).isoformat(),
        "provisional": now < fair.closes_at,
        "akl_scope": akl_scope,
        "fair": {
            "slug": fair.slug,
            "name": fair.name,
            "office": office_name,
            "timezone": fair.timezone,
            "opens_at": fair.opens_at.isoformat(),
            "closes_at": fair.closes_at.isoformat(),
            "decision_deadline": fair.decision_deadline.isoformat(),
            "period_start": scope.period_start.isoformat(),
            "period_end": scope.period_end.isoformat(),
            "host_regency_codes": list(scope.host_regency_codes),
            "local_hiring_target": fair.local_hiring_target,
        },
        "headline": headline,
        "tables": tables,
    }


def _applicant_tables(cells: list[Any], kinds: list[Any]) -> list[dict[str, Any]]:
    def by(attribute: str) -> dict[Any, dict[str, int]]:
        groups: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for cell in cells:
            groups[getattr(cell, attribute)][cell.sex] += cell.people
        return groups

    ages = by("age_group")
    education = by("education_level")
    local = by("local")
    disability = by("disability")
    ak1 = by("ak1")
    known = [level.code for level in EDUCATION_LEVELS]
    education_rows = [(code, education.get(code, {})) for code in known] + [
        (code, counts) for code, counts in sorted(education.items()) if code not in known
    ]
    kind_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in kinds:
        for code in filter(
            None, (part.strip() for part in (row.disability_kinds or "").split(","))
        ):
            kind_counts[code][row.sex] += row.people
    kind_codes = [kind.code for kind in DISABILITY_KINDS]
    kind_rows = [(code, kind_counts.get(code, {})) for code in kind_codes] + [
        (code, counts) for code, counts in sorted(kind_counts.items()) if code not in kind_codes
    ]
    return [
        _lp_table(
            "sex_age",
            _column("group", d.AGE_GROUP, "text"),
            [(label, ages.get(n, {})) for n, (label, _lower) in enumerate(AGE_GROUPS)],
        ),
        _lp_table("education", _column("education", d.EDUCATION, "education"), education_rows),
        _lp_table(
            "locality",
            _column("group", d.GROUP, "label"),
            [(d.LOCAL, local.get(1, {})), (d.NON_LOCAL, local.get(0, {}))],
        ),
        _lp_table(
            "disability",
            _column("group", d.GROUP, "label"),
            [
                (d.WITH_DISABILITY, disability.get(1, {})),
                (d.WITHOUT_DISABILITY, disability.get(0, {})),
            ],
        ),
        _lp_table("disability_kinds", _column("kind", d.DISABILITY_KIND, "disability"), kind_rows),
        _lp_table(
            "ak1",
            _column("group", d.GROUP, "label"),
            [(d.AK1_HOLDER, ak1.get(1, {})), (d.NOT_AK1_HOLDER, ak1.get(0, {}))],
        ),
    ]


def _funnel_table(funnel: _Funnel, applications: int) -> dict[str, Any]:
    values = {
        "applications": applications,
        "reviewed": funnel.reviewed,
        "shortlisted": funnel.shortlisted,
        "interview": funnel.interview,
        "offered": funnel.offered,
        "hired": funnel.hires,
        "confirmed": funnel.confirmed,
    }
    rows = [
        {
            "key": key,
            "stage": label,
            "count": values[key],
            "share": _ratio(values[key], applications),
        }
        for key, label in d.FUNNEL_STAGES
    ]
    return _table(
        "funnel",
        [
            _column("stage", d.STAGE, "label"),
            _column("count", d.COUNT, "int"),
            _column("share", d.SHARE_OF_APPLICATIONS, "float", unit="share"),
        ],
        rows,
    )


def _by_day_table(scope: ReportScope, by_day: list[Any], new_by_day: list[Any]) -> dict[str, Any]:
    applications = {_iso_day(row.day): row.applications for row in by_day}
    newcomers = {_iso_day(row.day): row.applicants for row in new_by_day}
    days = set(applications) | set(newcomers)
    current = scope.period_start
    while current <= scope.period_end:
        days.add(current.isoformat())
        current += timedelta(days=1)
    rows = [
        {
            "date": day,
            "applications": applications.get(day, 0),
            "new_applicants": newcomers.get(day, 0),
        }
        for day in sorted(days)
    ]
    totals = {
        "date": d.TOTAL,
        "applications": sum(row["applications"] for row in rows),
        "new_applicants": sum(row["new_applicants"] for row in rows),
    }
    return _table(
        "by_day",
        [
            _column("date", d.DATE, "date"),
            _column("applications", d.HEADLINE["applications"][0], "int"),
            _column("new_applicants", d.NEW_APPLICANTS, "int"),
        ],
        rows,
        totals,
    )


def _funnel_cells(funnel: _Funnel) -> dict[str, Any]:
    return {
        "applications": funnel.applications,
        "answered_share": funnel.answered_share,
        "unanswered": funnel.unanswered,
        "undecided": funnel.undecided,
        "shortlisted": funnel.shortlisted,
        "interviews": funnel.interview,
        "hires": funnel.hires,
        "confirmed": funnel.confirmed,
    }


_FUNNEL_COLUMNS = [
    _column("applications", d.HEADLINE["applications"][0], "int"),
    _column("answered_share", d.ANSWERED_SHARE, "float", unit="share"),
    _column("unanswered", d.FIGURES["unanswered"][0], "int"),
    _column("undecided", d.FIGURES["undecided"][0], "int"),
    _column("shortlisted", d.HEADLINE["shortlisted"][0], "int"),
    _column("interviews", d.HEADLINE["interviews"][0], "int"),
    _column("hires", d.HIRES, "int"),
    _column("confirmed", d.CONFIRMED, "int"),
]


def _companies_table(
    companies: list[Any],
    vacancies: list[Any],
    funnels: dict[int, _Funnel],
    medians: dict[int, Any],
) -> dict[str, Any]:
    per_company: dict[int, _Funnel] = defaultdict(_Funnel)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for vacancy in vacancies:
        per_company[vacancy.company_id].add(funnels[vacancy.id])
        if vacancy.public:
            counts[vacancy.company_id][0] += 1
            counts[vacancy.company_id][1] += (
                vacancy.openings_male + vacancy.openings_female + vacancy.openings_either
            )
    rows = []
    for company in companies:
        funnel = per_company[company.id]
        median = medians.get(company.id)
        rows.append(
            {
                "company": company.name,
                "slug": company.slug,
                "kbli_section": company.kbli_section,
                "employer_type": company.employer_type,
                "vacancies": counts[company.id][0],
                "openings": counts[company.id][1],
                **_funnel_cells(funnel),
                "median_hours": round(float(median), 2) if median is not None else None,
            }
        )
    return _table(
        "companies",
        [
            _column("company", d.COMPANY, "text"),
            _column("kbli_section", d.KBLI_SECTION, "kbli_section"),
            _column("employer_type", d.EMPLOYER_TYPE, "employer_type"),
            _column("vacancies", d.HEADLINE["vacancies"][0], "int"),
            _column("openings", d.HEADLINE["openings"][0], "int"),
            *_FUNNEL_COLUMNS[:4],
            _column("median_hours", d.MEDIAN_HOURS, "duration_hours"),
            *_FUNNEL_COLUMNS[4:],
        ],
        rows,
    )


@dataclass
class _BoothOutcome:
    conversations: outcomes.ConversationFigures | None = None
    messages: outcomes.MessageFigures | None = None
    slots: outcomes.SlotFigures | None = None


async def _booth_outcomes(session: AsyncSession, fair_id: int) -> dict[int | None, _BoothOutcome]:
    """The booth figures by company id (None: the fair), from their one home."""
    result: dict[int | None, _BoothOutcome] = defaultdict(_BoothOutcome)
    for chats in await outcomes.conversation_figures(session, fair_id):
        result[chats.company_id].conversations = chats
    for messages in await outcomes.message_figures(session, fair_id):
        result[messages.company_id].messages = messages
    for slots in await outcomes.slot_figures(session, fair_id):
        result[slots.company_id].slots = slots
    result[None].slots = await outcomes.fair_slot_figures(session, fair_id)
    return result


def _booth_outcome_cells(outcome: _BoothOutcome) -> dict[str, Any]:
    chats, messages, slots = outcome.conversations, outcome.messages, outcome.slots
    return {
        "conversations": chats.held if chats else 0,
        "median_wait_minutes": chats.median_wait_minutes if chats else None,
        "queue_joins": chats.queue_joins if chats else 0,
        "reached_share": _ratio(chats.reached, chats.queue_joins) if chats else None,
        "messages_left": messages.left if messages else 0,
        "messages_answered": messages.answered if messages else 0,
        "median_answer_hours": messages.median_hours_to_answer if messages else None,
        "slots_offered": slots.offered if slots else 0,
        "slots_booked": slots.booked if slots else 0,
        "slots_attended": slots.attended if slots else 0,
        "applications_after": chats.applications_after if chats else 0,
    }


async def _booth_conversations_table(
    session: AsyncSession,
    booth_outcomes: dict[int | None, _BoothOutcome],
    company_info: dict[int, Any],
) -> dict[str, Any]:
    ids = sorted(c for c in booth_outcomes if c is not None)
    names = {c: company_info[c].name for c in ids if c in company_info}
    missing = [c for c in ids if c not in names]
    if missing:
        # A company whose booth is no longer on show still had these conversations.
        names.update(
            (await session.execute(select(Company.id, Company.name).where(Company.id.in_(missing))))
            .tuples()
            .all()
        )
    rows = [
        {"company": names.get(c, ""), **_booth_outcome_cells(booth_outcomes[c])}
        for c in sorted(ids, key=lambda c: (names.get(c, ""), c))
    ]
    return _table(
        "booth_conversations",
        [
            _column("company", d.COMPANY, "text"),
            _column("conversations", d.CONVERSATIONS_HELD, "int"),
            _column("median_wait_minutes", d.MEDIAN_WAIT, "duration_minutes"),
            _column("queue_joins", d.QUEUE_JOINS, "int"),
            _column("reached_share", d.REACHED_SHARE, "float", unit="share"),
            _column("messages_left", d.MESSAGES_LEFT, "int"),
            _column("messages_answered", d.MESSAGES_ANSWERED, "int"),
            _column("median_answer_hours", d.MEDIAN_ANSWER, "duration_hours"),
            _column("slots_offered", d.SLOTS_OFFERED, "int"),
            _column("slots_booked", d.SLOTS_BOOKED, "int"),
            _column("slots_attended", d.SLOTS_ATTENDED, "int"),
            _column("applications_after", d.APPLICATIONS_AFTER, "int"),
        ],
        rows,
        {"company": d.TOTAL, **_booth_outcome_cells(booth_outcomes[None])},
    )


def _vacancy_listed(vacancy: Any, funnels: dict[int, _Funnel]) -> bool:
    return bool(vacancy.public) or funnels[vacancy.id].applications > 0


def _vacancies_table(
    vacancies: list[Any], company_info: dict[int, Any], funnels: dict[int, _Funnel]
) -> dict[str, Any]:
    rows = []
    for vacancy in vacancies:
        if not _vacancy_listed(vacancy, funnels):
            continue
        funnel = funnels[vacancy.id]
        rows.append(
            {
                "id": vacancy.id,
                "company": company_info[vacancy.company_id].name,
                "title": vacancy.title,
                "kbji_group": vacancy.kbji_code[:1],
                "kbji_code": vacancy.kbji_code,
                "openings": vacancy.openings_male
                + vacancy.openings_female
                + vacancy.openings_either,
                "applications": funnel.applications,
                "reviewed": funnel.reviewed,
                "shortlisted": funnel.shortlisted,
                "interviews": funnel.interview,
                "offered": funnel.offered,
                "hires": funnel.hires,
                "confirmed": funnel.confirmed,
                "answered_share": funnel.answered_share,
            }
        )
    return _table(
        "vacancies",
        [
            _column("id", d.VACANCY_ID, "int"),
            _column("company", d.COMPANY, "text"),
            _column("title", d.VACANCY, "text"),
            _column("kbji_group", d.KBJI_GROUP, "kbji_group"),
            _column("kbji_code", d.KBJI_CODE, "text"),
            _column("openings", d.HEADLINE["openings"][0], "int"),
            _column("applications", d.HEADLINE["applications"][0], "int"),
            _column("reviewed", d.REVIEWED, "int"),
            _column("shortlisted", d.HEADLINE["shortlisted"][0], "int"),
            _column("interviews", d.HEADLINE["interviews"][0], "int"),
            _column("offered", d.OFFERED, "int"),
            _column("hires", d.HIRES, "int"),
            _column("confirmed", d.CONFIRMED, "int"),
            _column("answered_share", d.ANSWERED_SHARE, "float", unit="share"),
        ],
        rows,
    )


def _suspects_table(
    vacancies: list[Any], company_info: dict[int, Any], funnels: dict[int, _Funnel]
) -> dict[str, Any]:
    rows = [
        {
            "id": vacancy.id,
            "company": company_info[vacancy.company_id].name,
            "title": vacancy.title,
            "applications": funnels[vacancy.id].applications,
        }
        for vacancy in vacancies
        if funnels[vacancy.id].applications > 0 and funnels[vacancy.id].decided == 0
    ]
    return _table(
        "formality_suspects",
        [
            _column("id", d.VACANCY_ID, "int"),
            _column("company", d.COMPANY, "text"),
            _column("title", d.VACANCY, "text"),
            _column("applications", d.HEADLINE["applications"][0], "int"),
        ],
        rows,
    )


def _kbli_table(
    companies: list[Any], vacancies: list[Any], funnels: dict[int, _Funnel]
) -> dict[str, Any]:
    section_of = {c.id: c.kbli_section for c in companies}
    sections: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for company in companies:
        sections[company.kbli_section]["companies"] += 1
    for vacancy in vacancies:
        section = section_of.get(vacancy.company_id)
        if section is None:
            continue
        cell = sections[section]
        if vacancy.public:
            cell["vacancies"] += 1
            cell["openings"] += (
                vacancy.openings_male + vacancy.openings_female + vacancy.openings_either
            )
        cell["applications"] += funnels[vacancy.id].applications
        cell["hires"] += funnels[vacancy.id].hires
        cell["confirmed"] += funnels[vacancy.id].confirmed
    order = [s.letter for s in KBLI_SECTIONS]
    keys = ("companies", "vacancies", "openings", "applications", "hires", "confirmed")
    rows = [
        {"kbli_section": letter, **{k: sections[letter].get(k, 0) for k in keys}}
        for letter in sorted(sections, key=lambda s: order.index(s) if s in order else len(order))
    ]
    return _table(
        "kbli_sections",
        [
            _column("kbli_section", d.KBLI_SECTION, "kbli_section"),
            _column("companies", d.HEADLINE["companies"][0], "int"),
            _column("vacancies", d.HEADLINE["vacancies"][0], "int"),
            _column("openings", d.HEADLINE["openings"][0], "int"),
            _column("applications", d.HEADLINE["applications"][0], "int"),
            _column("hires", d.HIRES, "int"),
            _column("confirmed", d.CONFIRMED, "int"),
        ],
        rows,
        {"kbli_section": d.TOTAL, **{k: sum(row[k] for row in rows) for k in keys}},
    )


def _kbji_table(vacancies: list[Any], funnels: dict[int, _Funnel]) -> dict[str, Any]:
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for vacancy in vacancies:
        if not _vacancy_listed(vacancy, funnels):
            continue
        cell = groups[vacancy.kbji_code[:1]]
        if vacancy.public:
            cell["vacancies"] += 1
            cell["openings"] += (
                vacancy.openings_male + vacancy.openings_female + vacancy.openings_either
            )
        cell["applications"] += funnels[vacancy.id].applications
        cell["hires"] += funnels[vacancy.id].hires
        cell["confirmed"] += funnels[vacancy.id].confirmed
    keys = ("vacancies", "openings", "applications", "hires", "confirmed")
    order = [g.digit for g in KBJI_MAJOR_GROUPS]
    rows = [
        {"kbji_group": digit, **{k: groups[digit].get(k, 0) for k in keys}}
        for digit in sorted(groups, key=lambda g: order.index(g) if g in order else len(order))
    ]
    return _table(
        "kbji_groups",
        [
            _column("kbji_group", d.KBJI_GROUP, "kbji_group"),
            _column("vacancies", d.HEADLINE["vacancies"][0], "int"),
            _column("openings", d.HEADLINE["openings"][0], "int"),
            _column("applications", d.HEADLINE["applications"][0], "int"),
            _column("hires", d.HIRES, "int"),
            _column("confirmed", d.CONFIRMED, "int"),
        ],
        rows,
        {"kbji_group": d.TOTAL, **{k: sum(row[k] for row in rows) for k in keys}},
    )


def _local_hires_table(
    local_hires: dict[int, dict[str, int]], target_percent: int | None
) -> dict[str, Any]:
    """Confirmed hires, local or not, with the local share of all confirmed hires set
    against the fair's target — a percent of its confirmed hires (0–100) — and the gap
    (actual share minus target, negative when short)."""
    local = _lp_row("group", d.LOCAL, local_hires[1])
    other = _lp_row("group", d.NON_LOCAL, local_hires[0])
    hires = local["total"] + other["total"]
    target = target_percent / 100 if target_percent is not None else None
    local_share = _ratio(local["total"], hires)
    local["share_of_hires"] = local_share
    local["target_share"] = target
    local["gap"] = (
        round(local_share - target, 4) if local_share is not None and target is not None else None
    )
    other["share_of_hires"] = _ratio(other["total"], hires)
    other["target_share"] = other["gap"] = None
    totals = {
        "group": d.TOTAL,
        "L": local["L"] + other["L"],
        "P": local["P"] + other["P"],
        "total": hires,
        "share_of_hires": 1.0 if hires else None,
        "target_share": None,
        "gap": None,
    }
    return _table(
        "local_hires",
        [
            _column("group", d.GROUP, "label"),
            *_LP_COLUMNS,
            _column("share_of_hires", d.SHARE_OF_HIRES, "float", unit="share"),
            _column("target_share", d.TARGET_SHARE, "float", unit="share"),
            _column("gap", d.TARGET_GAP, "float", unit="share"),
        ],
        [local, other],
        totals,
        target=target_percent,
    )


def _openings_filled(
    vacancies: list[Any], placements: list[Any]
) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Openings by the sex asked for (L, P, either) and how many of each the confirmed
    hires filled. Per vacancy, a man fills a men's opening first and then one open to
    either sex, a woman likewise; hires beyond the openings fill nothing."""
    hired: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in placements:
        hired[row.vacancy_id][row.sex] += row.placements
    openings = {"L": 0, "P": 0}
    filled = {"L": 0, "P": 0}
    either = either_filled = 0
    for vacancy in vacancies:
        men, women = hired[vacancy.id]["L"], hired[vacancy.id]["P"]
        openings["L"] += vacancy.openings_male
        openings["P"] += vacancy.openings_female
        either += vacancy.openings_either
        filled["L"] += min(men, vacancy.openings_male)
        filled["P"] += min(women, vacancy.openings_female)
        overflow = max(0, men - vacancy.openings_male) + max(0, women - vacancy.openings_female)
        either_filled += min(overflow, vacancy.openings_either)
    return openings, filled, either, either_filled


def _ipk_iii_1_table(
    cells: list[Any], placed_people: list[Any], vacancies: list[Any], placements: list[Any]
) -> dict[str, Any]:
    """IPK III/1 for the fair as one period (nothing carried over, nobody removed):
    registered, placed and carried forward job seekers — people, not applications or
    placements — by age group and sex; openings by the sex asked for, the ones filled
    by confirmed hires, and those carried forward."""
    registered: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in cells:
        registered[cell.age_group][cell.sex] += cell.people
    placed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in placed_people:
        placed[row.age_group][row.sex] += row.people

    def stock_flow(
        label: str, section: str, came: dict[str, int], went: dict[str, int]
    ) -> dict[str, Any]:
        row = {**_lp_row("group", label, came), "section": section}
        for sex in ("L", "P"):
            row[f"placed_{sex}"] = went.get(sex, 0)
            row[f"carried_forward_{sex}"] = came.get(sex, 0) - went.get(sex, 0)
        return row

    rows = [
        stock_flow(label, "job_seekers", registered.get(n, {}), placed.get(n, {}))
        for n, (label, _lower) in enumerate(AGE_GROUPS)
    ]
    sums = ("L", "P", "total", "placed_L", "placed_P", "carried_forward_L", "carried_forward_P")
    seekers = {
        "group": d.TOTAL,
        **{key: sum(row[key] for row in rows) for key in sums},
        "section": "job_seekers",
    }
    openings, filled, either, either_filled = _openings_filled(vacancies, placements)
    openings_row = stock_flow(d.OPENINGS_ROW, "openings", openings, filled)
    openings_row["total"] = openings["L"] + openings["P"] + either
    rows.append(openings_row)
    rows.append(
        {
            "group": d.OPENINGS_EITHER_ROW,
            "L": None,
            "P": None,
            "total": either,
            "placed_L": None,
            "placed_P": None,
            "carried_forward_L": None,
            "carried_forward_P": None,
            "placed": either_filled,
            "carried_forward": either - either_filled,
            "section": "openings",
        }
    )
    return _table(
        "ipk_iii_1",
        [
            _column("group", d.GROUP, "label"),
            *_LP_COLUMNS,
            _column("placed_L", d.PLACED_MEN, "int"),
            _column("placed_P", d.PLACED_WOMEN, "int"),
            _column("carried_forward_L", d.FORWARD_MEN, "int"),
            _column("carried_forward_P", d.FORWARD_WOMEN, "int"),
        ],
        rows,
        seekers,
    )


def _ipk_iii_8_table(ipk8: dict[int, dict[str, int]]) -> dict[str, Any]:
    cells = [f"{kind}_{sex}" for kind in ("AKL", "AKAD", "AKAN") for sex in ("L", "P")]

    def row(code: int, section: str) -> dict[str, Any]:
        values = {cell: ipk8.get(code, {}).get(cell, 0) for cell in cells}
        return {"row": code, "section": section, **values, "total": sum(values.values())}

    rows = [row(code, "education") for code in sorted(d.IPK_EDUCATION_ROWS)] + [
        row(kind.code, "employer_type") for kind in EMPLOYER_TYPES
    ]
    education_rows = [r for r in rows if r["section"] == "education"]
    totals = {
        "row": d.TOTAL,
        "section": "total",
        **{cell: sum(r[cell] for r in education_rows) for cell in [*cells, "total"]},
    }
    columns = [_column("row", d.ROW, "ipk_iii_8_row")]
    for kind in ("AKL", "AKAD", "AKAN"):
        columns.append(_column(f"{kind}_L", d.MEN, "int", group=kind))
        columns.append(_column(f"{kind}_P", d.WOMEN, "int", group=kind))
    columns.append(_column("total", d.TOTAL, "int"))
    return _table("ipk_iii_8", columns, rows, totals)


# ------------------------------------------------------------------ writing


def owed_since(fair: Fair, now: datetime) -> datetime:
    """The moment the fair's latest report must postdate: its close, and once the
    decision deadline has passed, the deadline — the last answers, and the applications
    closed as unanswered, change the figures the office files."""
    return fair.decision_deadline if fair.decision_deadline <= now else fair.closes_at


async def has_final_report(session: AsyncSession, fair: Fair, now: datetime) -> bool:
    """Whether a report was compiled at or after the moment it is owed since."""
    found = await session.scalar(
        select(FairReport.id)
        .where(FairReport.fair_id == fair.id, FairReport.compiled_at >= owed_since(fair, now))
        .limit(1)
    )
    return found is not None


async def save_report(
    session: AsyncSession,
    fair_id: int,
    data: dict[str, Any],
    now: datetime,
    *,
    only_if_missing: bool = False,
    request_id: int | None = None,
) -> FairReport | None:
    """Insert ``data`` as the fair's next version (max + 1) in the caller's transaction.

    A concurrent compile taking the same number makes the insert fail on the unique
    constraint: the savepoint is rolled back and the next number tried. With
    ``only_if_missing`` (the scheduled and swept compiles) nothing is written when a
    report compiled after the close exists by then — the other compile won. With
    ``request_id`` nothing is written when the request is already done (a re-run of the
    same request: a worker killed after its commit, the sweep meeting the queued job);
    otherwise the version names the request and the request is marked compiled.
    """
    request: ReportRequest | None = None
    if request_id is not None:
        request = await _pending_request(session, request_id)
        if request is None:
            return None
    if only_if_missing:
        # Lock the fair's row (PostgreSQL; SQLite's write transaction is already
        # exclusive) so two owed compiles finishing together cannot both find the report
        # missing: the second waits here, then sees the first's version and stops.
        await session.execute(select(Fair.id).where(Fair.id == fair_id).with_for_update())
        fair = await session.get(Fair, fair_id)
        if fair is None or await has_final_report(session, fair, now):
            return None
    for _attempt in range(SAVE_ATTEMPTS):
        latest = await session.scalar(
            select(func.max(FairReport.version)).where(FairReport.fair_id == fair_id)
        )
        version = (latest or 0) + 1
        report = FairReport(
            fair_id=fair_id,
            version=version,
            compiled_at=now,
            data={**data, "version": version},
            request_id=request_id,
        )
        try:
            async with session.begin_nested():
                session.add(report)
        except IntegrityError:
            if request_id is not None and await _request_answered(session, request_id):
                # The unique request_id: another run of this request got there first.
                return None
            logger.info("report version %s of fair %s taken; retrying", version, fair_id)
            continue
        if request is not None:
            request.compiled_at = now
        return report
    raise RuntimeError(f"could not number a report of fair {fair_id}")


async def _pending_request(session: AsyncSession, request_id: int) -> ReportRequest | None:
    """The request, locked (PostgreSQL; SQLite's writer is alone), while it is still
    pending; None once done or gone. Two runs of one request finishing together queue
    on the lock, and the second sees the first's ``compiled_at``."""
    request = await session.scalar(
        select(ReportRequest)
        .where(ReportRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if request is None or request.compiled_at is not None:
        return None
    return request


async def _request_answered(session: AsyncSession, request_id: int) -> bool:
    found = await session.scalar(
        select(FairReport.id).where(FairReport.request_id == request_id).limit(1)
    )
    return found is not None


def pending_requests_statement(requested_before: datetime) -> Select[Any]:
    """Report requests not yet compiled, made before ``requested_before`` (the sweep
    leaves younger ones to their queued task), oldest first."""
    return (
        select(ReportRequest.id)
        .where(ReportRequest.compiled_at.is_(None), ReportRequest.requested_at < requested_before)
        .order_by(ReportRequest.requested_at, ReportRequest.id)
    )


async def compile_fair_report(
    session: AsyncSession, fair_id: int, now: datetime, *, akl_scope: str = "province"
) -> FairReport:
    """Compute and store a new report version in one session (the caller commits).

    The task and the CLI compute in a read transaction and write in a short one
    instead (``jobfair.worker.report``), so SQLite's write lock is not held meanwhile.
    """
    data = await build_report_data(session, fair_id, now, akl_scope=akl_scope)
    report = await save_report(session, fair_id, data, now)
    assert report is not None
    return report


def due_fairs_statement(now: datetime) -> Select[Any]:
    """Published fairs that have closed with no report compiled since their close — or,
    past the decision deadline, since the deadline, once every application has its
    answer (the deadline task has closed what the companies left unanswered)."""
    since = case((Fair.decision_deadline <= now, Fair.decision_deadline), else_=Fair.closes_at)
    still_open = (
        select(Application.id)
        .where(Application.fair_id == Fair.id, Application.released_status.in_(OPEN_STATUSES))
        .exists()
    )
    return (
        select(Fair.id)
        .where(
            Fair.status == FairStatus.PUBLISHED,
            Fair.closes_at <= now,
            ~select(FairReport.id)
            .where(FairReport.fair_id == Fair.id, FairReport.compiled_at >= since)
            .exists(),
            or_(Fair.decision_deadline > now, ~still_open),
        )
        .order_by(Fair.closes_at, Fair.id)
    )
