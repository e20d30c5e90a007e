"""The database side of the live counters: what a fair's counters are (the truth the
counter store is reconciled with) and the organiser's per-company table.

Grouped queries only; each is one round trip whatever the size of the fair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, cast, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from jobfair.db.aggregates import count_if
from jobfair.models import Application, Booth, Company, Fair, Recruiter, User, Vacancy
from jobfair.models.accounts import Role
from jobfair.models.applications import is_answerable, is_answered, is_unreviewed
from jobfair.models.companies import is_public_booth
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import is_public
from jobfair.services.authority import scoped_fair
from jobfair.services.catalogue import find_booth
from jobfair.services.errors import PermissionDenied
from jobfair.services.fairs import fair_counts, get_fair

# How far back the per-minute counts reach (the "last hour" counter and the chart).
MINUTES_KEPT = 60


def minute_of(moment: datetime) -> int:
    """Minutes since the epoch: the bucket of the per-minute counts."""
    return int(moment.timestamp() // 60)


def _minute_bucket(session: AsyncSession) -> ColumnElement[int]:
    column = Application.submitted_at
    if session.get_bind().dialect.name == "sqlite":
        # Stored as naive UTC text; strftime('%s') reads it as UTC.
        return cast(func.strftime("%s", column), Integer) / 60
    return cast(func.floor(func.extract("epoch", column) / 60), Integer)


def counter_keys(fair_id: int) -> dict[str, str]:
    """The store's hashes for one fair, by role."""
    return {
        "fair": f"fair:{fair_id}",
        "minutes": f"fair:{fair_id}:minutes",
        "booth_applications": f"fair:{fair_id}:booths",
        "booth_unreviewed": f"fair:{fair_id}:unreviewed",
        "vacancies": f"fair:{fair_id}:vacancies",
    }


async def counters_from_db(
    session: AsyncSession, fair_id: int, now: datetime
) -> dict[str, dict[str, int]]:
    """Every counter hash of one fair, computed from the database."""
    keys = counter_keys(fair_id)
    totals = (await fair_counts(session, [fair_id]))[fair_id].as_dict()
    totals.pop("booths", None)
    booth_rows = (
        await session.execute(
            select(
                Application.booth_id,
                func.count(),
                count_if(is_unreviewed(Application.status)),
            )
            .where(Application.fair_id == fair_id)
            .group_by(Application.booth_id)
        )
    ).all()
    vacancy_rows = (
        await session.execute(
            select(Application.vacancy_id, func.count())
            .where(Application.fair_id == fair_id)
            .group_by(Application.vacancy_id)
        )
    ).all()
    bucket = _minute_bucket(session).label("minute")
    minute_rows = (
        await session.execute(
            select(bucket, func.count())
            .where(
                Application.fair_id == fair_id,
                Application.submitted_at >= now - timedelta(minutes=MINUTES_KEPT),
            )
            .group_by(literal_column("minute"))
        )
    ).all()
    return {
        keys["fair"]: {key: int(value) for key, value in totals.items()},
        keys["booth_applications"]: {str(booth): int(n) for booth, n, _ in booth_rows},
        keys["booth_unreviewed"]: {str(booth): int(u or 0) for booth, _, u in booth_rows},
        keys["vacancies"]: {str(vacancy): int(n) for vacancy, n in vacancy_rows},
        keys["minutes"]: {str(int(minute)): int(n) for minute, n in minute_rows},
    }


async def live_fair_ids(session: AsyncSession, now: datetime) -> list[int]:
    """Published fairs whose counters can still move: registration open up to the
    decision deadline (decisions keep changing the organiser's table until then)."""
    rows = await session.scalars(
        select(Fair.id).where(
            Fair.status == FairStatus.PUBLISHED,
            Fair.registration_opens_at <= now,
            Fair.decision_deadline >= now - timedelta(days=1),
        )
    )
    return list(rows)


@dataclass(frozen=True)
class CompanyRow:
    booth_id: int
    company_name: str
    company_slug: str
    applications: int
    unreviewed: int
    answered: int
    answerable: int

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.answerable if self.answerable else None


@dataclass(frozen=True)
class IdleVacancy:
    id: int
    title: str
    company_name: str


@dataclass(frozen=True)
class OrganiserTable:
    companies: list[CompanyRow]
    idle_vacancies: list[IdleVacancy]
    idle_vacancy_total: int


IDLE_VACANCIES_SHOWN = 50


# ------------------------------------------------------------ the company table's order

# The columns the organiser's company table sorts by (the ``?sort=`` values; a leading
# ``-`` reverses), each with the row value it compares. Anything else: the default.
COMPANY_SORT_KEYS = ("name", "applications", "unreviewed", "answered", "recruiters_online")
_SORT_VALUES = {
    "name": lambda row: str(row["name"]).casefold(),
    "applications": lambda row: row["applications"],
    "unreviewed": lambda row: row["unreviewed"],
    "answered": lambda row: row["share_answered"],
    "recruiters_online": lambda row: row["recruiters_online"],
}


@dataclass(frozen=True)
class CompanySort:
    """How the company table is ordered; ``param`` is its ``?sort=`` value."""

    key: str = "name"
    descending: bool = False

    @classmethod
    def parse(cls, raw: str | None) -> CompanySort:
        """The order a ``?sort=`` value names; an unknown one is the default order."""
        text = (raw or "").strip()
        key = text.removeprefix("-")
        if key not in COMPANY_SORT_KEYS:
            return cls()
        return cls(key, text.startswith("-"))

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def toggled(self, key: str) -> CompanySort:
        """The order a click on ``key``'s heading asks for: the other way round when
        the table is sorted by it already, else names A–Z and figures largest first."""
        if key == self.key:
            return CompanySort(key, not self.descending)
        return CompanySort(key, key != "name")

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows`` in this order; rows without a value (no share answered yet) last,
        ties by name."""
        value = _SORT_VALUES[self.key]
        by_name = sorted(rows, key=_SORT_VALUES["name"])
        known = [row for row in by_name if value(row) is not None]
        unknown = [row for row in by_name if value(row) is None]
        return sorted(known, key=value, reverse=self.descending) + unknown


async def organiser_table(session: AsyncSession, fair_id: int) -> OrganiserTable:
    """Per approved booth: applications, unreviewed, answered; and the public vacancies
    nobody has applied to yet."""
    rows = (
        await session.execute(
            select(
                Booth.id,
                Company.name,
                Company.slug,
                func.count(Application.id),
                count_if(is_unreviewed(Application.status)),
                count_if(is_answered(Application.first_decision_at, Fair.decision_deadline)),
                count_if(
                    and_(
                        Application.id.is_not(None),
                        is_answerable(Application.released_status, Application.first_decision_at),
                    )
                ),
            )
            .join(Company, Company.id == Booth.company_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .outerjoin(Application, Application.booth_id == Booth.id)
            .where(Booth.fair_id == fair_id, is_public_booth())
            .group_by(Booth.id, Company.name, Company.slug)
            .order_by(Company.name)
        )
    ).all()
    idle = (
        select(Vacancy.id, Vacancy.title, Company.name)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(
            Vacancy.fair_id == fair_id,
            is_public(),
            ~exists().where(Application.vacancy_id == Vacancy.id),
        )
    )
    idle_total = await session.scalar(select(func.count()).select_from(idle.subquery())) or 0
    idle_rows = (
        await session.execute(
            idle.order_by(Company.name, Vacancy.title).limit(IDLE_VACANCIES_SHOWN)
        )
    ).all()
    return OrganiserTable(
        companies=[
            CompanyRow(booth, name, slug, int(n), int(u), int(a), int(t))
            for booth, name, slug, n, u, a, t in rows
        ],
        idle_vacancies=[IdleVacancy(id_, title, name) for id_, title, name in idle_rows],
        idle_vacancy_total=int(idle_total),
    )


@dataclass(frozen=True)
class WatchTarget:
    """What one websocket client may watch: a fair, maybe a booth, in which role."""

    fair_id: int
    fair_slug: str
    booth_id: int | None = None
    organiser: bool = False
    recruiter: bool = False


async def watch_target(
    session: AsyncSession,
    user: User | None,
    fair_slug: str,
    *,
    booth_company: str | None = None,
    organiser: bool = False,
) -> WatchTarget:
    """Resolve a websocket subscription, or raise NotFound / PermissionDenied.

    The organiser channel needs an organiser of the fair's office (or an admin); a
    booth is named by its company's slug; a recruiter of that company watching their
    own booth counts as "recruiter online" rather than as a visitor."""
    if organiser:
        if user is None:
            raise PermissionDenied("the organiser channel needs an organiser session")
        fair = await scoped_fair(session, user, fair_slug)
        return WatchTarget(fair.id, fair.slug, organiser=True)
    fair = await get_fair(session, fair_slug)
    if booth_company is None:
        return WatchTarget(fair.id, fair.slug)
    booth, _company = await find_booth(session, fair, booth_company)
    booth_id, company_id = booth.id, booth.company_id
    recruiter = False
    if user is not None and user.role == Role.RECRUITER:
        recruiter = bool(
            await session.scalar(
                select(func.count())
                .select_from(Recruiter)
                .where(Recruiter.user_id == user.id, Recruiter.company_id == company_id)
            )
        )
    return WatchTarget(fair.id, fair.slug, booth_id=booth_id, recruiter=recruiter)
