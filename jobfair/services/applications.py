"""Applying, withdrawing and following applications, from the applicant's side.

One application per vacancy is guaranteed by a unique constraint; the per-fair cap by
taking the applicant's row lock (PostgreSQL) or SQLite's single writer, so two
concurrent requests can neither both apply to one vacancy nor both pass the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, lazyload

from jobfair.i18n import N_, gettext
from jobfair.live import signals
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    Booth,
    Company,
    Cv,
    Fair,
    Placement,
    User,
    Vacancy,
)
from jobfair.models.applications import OPEN_STATUSES, ApplicationStatus
from jobfair.models.companies import BoothStatus, rejected_by_office
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.models.vacancies import VacancyStatus, VacancyVerification, is_public
from jobfair.services import catalogue, requirements
from jobfair.services.applicants import applicant_of, ensure_applicant
from jobfair.services.catalogue import CatalogueFilters
from jobfair.services.errors import Conflict, NotFound, ValidationFailed

# An applicant may withdraw what is still open by what they were told.
WITHDRAWABLE = OPEN_STATUSES
# A withdrawn application frees its place under a fair's per-applicant cap.
NOT_COUNTED = ApplicationStatus.WITHDRAWN


def requirement_problems(
    applicant: Applicant, vacancy: Vacancy, fair: Fair, now: datetime
) -> list[str]:
    """What the applicant lacks for the vacancy, in plain words (the rules live in
    :mod:`jobfair.services.requirements`), judged on the fair's local date."""
    return [s.message for s in requirements.shortfalls(applicant, vacancy, fair.local(now).date())]


# Shown when applying without a CV: the company then sees only the profile. A CV
# uploaded later reaches the applications already sent (a recruiter opens the current one).
NO_CV = N_(
    "You have no CV on your page: the company sees only your profile. Upload a CV "
    "(PDF); it also reaches the applications you have already sent."
)


@dataclass(frozen=True)
class ApplyWarning:
    """Something the applicant should know about an application that was taken."""

    code: str
    message_id: str

    @property
    def message(self) -> str:
        return gettext(self.message_id)


def apply_warnings(has_cv: bool) -> list[ApplyWarning]:
    """What to warn about when applying (before, on the page; after, in the answer)."""
    return [] if has_cv else [ApplyWarning("no_cv", NO_CV)]


def counts_towards_cap(application: Any = Application) -> ColumnElement[bool]:
    """The application takes one of its applicant's places under the fair's cap."""
    return application.status != NOT_COUNTED


@cache
def _applying_query() -> Select[Any]:
    """The vacancy and its fair, if public, for ``:vacancy_id``, with three facts about
    ``:applicant_id``'s applications (NULL / 0 when none): the status of theirs to this
    vacancy (at most one: a unique constraint), how many they have in the fair, and how
    many of those count towards its cap. One statement inside the write transaction
    and one row: joining the applications instead gave a row per application, each
    with every column of the vacancy, its booth, company and fair for the ORM to load.
    Built once: building ``is_public`` (aliases, subqueries) took about a third of an
    apply's CPU."""
    mine = aliased(Application)
    applicant = mine.applicant_id == bindparam("applicant_id")
    in_fair = and_(applicant, mine.fair_id == Fair.id)
    return (
        select(
            Vacancy,
            Fair,
            select(mine.status)
            .where(applicant, mine.vacancy_id == Vacancy.id)
            .scalar_subquery()
            .label("status_here"),
            select(func.count()).where(in_fair).scalar_subquery().label("in_fair"),
            select(func.count())
            .where(in_fair, counts_towards_cap(mine))
            .scalar_subquery()
            .label("counted"),
        )
        .join(Fair, Fair.id == Vacancy.fair_id)
        # A vacancy the public cannot see does not exist for an applicant either.
        .where(Vacancy.id == bindparam("vacancy_id"), is_public())
        # Applying never reads the host regencies nor the fair's office: spare their
        # query and the office's joined columns.
        .options(lazyload(Fair.host_regencies), lazyload(Fair.office))
    )


@dataclass(frozen=True)
class Mine:
    """What applying needs of the applicant's applications in the vacancy's fair."""

    # The status of their application to this vacancy, None when they have none.
    status_here: str | None
    # Their applications in the fair, and how many of them count towards its cap.
    in_fair: int
    counted: int


async def _vacancy_and_mine(
    session: AsyncSession, vacancy_id: int, applicant_id: int | None
) -> tuple[Vacancy, Fair, Mine]:
    row = (
        await session.execute(
            _applying_query(), {"vacancy_id": vacancy_id, "applicant_id": applicant_id}
        )
    ).first()
    if row is None:
        if await session.scalar(select(_withheld_by_office(vacancy_id))):
            raise Conflict(gettext(WITHHELD_BY_OFFICE))
        raise NotFound(gettext("We could not find that vacancy."))
    return row[0], row[1], Mine(row[2], row[3] or 0, row[4] or 0)


async def _vacancy_for_applying(session: AsyncSession, vacancy_id: int) -> tuple[Vacancy, Fair]:
    vacancy, fair, _mine = await _vacancy_and_mine(session, vacancy_id, None)
    return vacancy, fair


# Shown to an applicant who applies (from a page loaded earlier) to a vacancy of a
# company the fair's labour office has since rejected.
WITHHELD_BY_OFFICE = N_(
    "The labour office has withdrawn this company from the fair: it takes no applications here."
)


def _withheld_by_office(vacancy_id: int) -> Any:
    """The vacancy was on show and is hidden only because the fair's office rejected
    its company (``is_public`` decides; this only tells the applicant why)."""
    return (
        select(Vacancy.id)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Fair, Fair.id == Vacancy.fair_id)
        .where(
            Vacancy.id == vacancy_id,
            Vacancy.verification == VacancyVerification.VERIFIED,
            Booth.status == BoothStatus.APPROVED,
            Fair.status != FairStatus.DRAFT,
            rejected_by_office(),
        )
        .exists()
    )


def closed_reason(vacancy: Vacancy, fair: Fair, now: datetime) -> str | None:
    """Why nobody can apply to the vacancy now, or None when applications are open."""
    phase = fair.phase(now)
    if phase == FairPhase.UPCOMING:
        return gettext("The fair has not opened yet. Come back when it opens.")
    if phase != FairPhase.OPEN:
        return gettext("The fair is closed; applications are no longer accepted.")
    if vacancy.status != VacancyStatus.OPEN:
        return gettext("This vacancy is closed.")
    if vacancy.deadline is not None and fair.local(now).date() > vacancy.deadline:
        return gettext("The deadline of this vacancy has passed.")
    return None


class RequirementsNotMet(ValidationFailed):
    """The applicant lacks something the vacancy asks for (the page then offers the
    fair's vacancies they do meet)."""


@dataclass(frozen=True)
class Submitted:
    application: Application
    # The new application as "my application", built from the rows already loaded.
    summary: MyApplication
    warnings: list[ApplyWarning]


async def apply(session: AsyncSession, user: User, vacancy_id: int, now: datetime) -> Application:
    """Submit an application, or raise with the reason it cannot be taken."""
    return (await submit(session, user, vacancy_id, now)).application


@cache
def _applicant_query(lock: bool) -> Select[Any]:
    """The user's applicant profile and its current CV's id (NULL when none) for
    ``:user_id``, in one statement inside the write transaction. ``lock`` (PostgreSQL)
    takes the applicant's row lock, which serialises this applicant's concurrent
    applies (the cap check depends on it); SQLite's single writer (``BEGIN IMMEDIATE``,
    taken by the unit of work) already does. Built once, like :func:`_applying_query`."""
    query = (
        select(Applicant, Cv.id)
        .outerjoin(Cv, and_(Cv.applicant_id == Applicant.id, Cv.is_current))
        .where(Applicant.user_id == bindparam("user_id"))
        .order_by(Cv.id.desc())
        .limit(1)
    )
    # Only the applicant's row: the CV's side of the outer join cannot be locked.
    return query.with_for_update(of=Applicant) if lock else query


async def _applicant_and_cv(session: AsyncSession, user: User) -> tuple[Applicant, bool]:
    """The applicant, and whether they have a current CV (only that: the CV's row is
    not loaded)."""
    ensure_applicant(user)
    lock = session.get_bind().dialect.name != "sqlite"
    found = (await session.execute(_applicant_query(lock), {"user_id": user.id})).first()
    if found is None:
        raise NotFound(gettext("We could not find that page."))
    return found[0], found[1] is not None


# The apply's two writes, as Core statements (see the comment in submit).
_INSERT_APPLICATION = insert(Application.__table__).returning(Application.__table__.c.id)
_INSERT_EVENT = insert(ApplicationEvent.__table__)


@cache
def _insert_application_with_event(
    application_columns: tuple[str, ...], event_columns: tuple[str, ...]
) -> Any:
    """PostgreSQL: the application and its first event in one statement (the event's
    insert selects the new id from the application's, a data-modifying ``WITH``),
    returning the application's id: one round trip of the apply's seven fewer, each
    costing PostgreSQL's CPU as much as the loop's (bench/README.md, issue 14). SQLite
    has no INSERT inside ``WITH``: it runs the two statements (hops to its thread, not
    round trips). Built once per set of columns given (those of ``submit``'s values);
    the bound names are the columns', an event's prefixed ``event_``."""
    applications = Application.__table__
    events = ApplicationEvent.__table__
    new = (
        insert(applications)
        .values(
            {name: bindparam(name, type_=applications.c[name].type) for name in application_columns}
        )
        .returning(applications.c.id)
        .cte("new_application")
    )
    bound_event = (bindparam(f"event_{name}", type_=events.c[name].type) for name in event_columns)
    return (
        insert(events)
        .from_select(["application_id", *event_columns], select(new.c.id, *bound_event))
        .returning(events.c.application_id)
    )


async def submit(session: AsyncSession, user: User, vacancy_id: int, now: datetime) -> Submitted:
    """:func:`apply`, also returning the new application as "my application" and what
    the applicant should be warned about (no CV). Everything is read inside the write
    transaction, in two statements (the applicant with its CV, then the vacancy with
    the applicant's applications in its fair): fewer round trips than a read session
    before it, and on SQLite the rows cannot change between the reads and the write."""
    applicant, has_cv = await _applicant_and_cv(session, user)
    # One query answers the vacancy, and the duplicate check, the cap and "first in
    # this fair" from the applicant's applications in the fair (counted through the
    # (applicant_id, fair_id) index). After the applicant's lock: on PostgreSQL a
    # statement that waited for the lock would read the applications from before the
    # wait.
    vacancy, fair, mine = await _vacancy_and_mine(session, vacancy_id, applicant.id)
    reason = closed_reason(vacancy, fair, now)
    if reason:
        raise Conflict(reason)
    if mine.status_here is not None and not may_send_again(mine.status_here):
        raise Conflict(gettext("You have already applied to this vacancy."))
    problems = requirement_problems(applicant, vacancy, fair, now)
    if problems:
        raise RequirementsNotMet(" ".join(problems), fields={"requirements": " ".join(problems)})
    if fair.application_cap is not None and mine.counted >= fair.application_cap:
        raise Conflict(
            gettext(
                "You have reached this fair's limit of %(cap)s applications. "
                "Withdraw one to apply elsewhere.",
                cap=fair.application_cap,
            )
        )
    if mine.status_here is not None:
        application = await _send_again(session, user, applicant.id, vacancy.id, now)
        return Submitted(application, _summary(application, vacancy, fair), apply_warnings(has_cv))
    # Before the insert: is this the applicant's first application in the fair (the
    # live distinct-applicant counter grows)? Withdrawn ones count, as in fair_counts.
    first_in_fair = mine.in_fair == 0
    # In UTC, as the column gives it back (the answer is built from these values).
    at = now.astimezone(UTC)
    values = {
        "vacancy_id": vacancy.id,
        "applicant_id": applicant.id,
        "booth_id": vacancy.booth_id,
        "fair_id": fair.id,
        "status": ApplicationStatus.SUBMITTED,
        "released_status": ApplicationStatus.SUBMITTED,
        "submitted_at": at,
        "updated_at": at,
    }
    event = {
        "actor_user_id": user.id,
        "from_status": None,
        "to_status": ApplicationStatus.SUBMITTED,
        "created_at": now,
        "released_at": now,
    }
    one_statement = session.get_bind().dialect.name == "postgresql"
    try:
        # Core INSERTs on the tables rather than add() and flush() or the ORM's bulk
        # insert: the ORM's insert path was ~15 % of an apply's CPU under the GIL
        # (py-spy, bench/README, issue 14). No savepoint (two round trips): a failed
        # insert ends the unit of work anyway.
        if one_statement:
            both = _insert_application_with_event(tuple(values), tuple(event))
            bound = {**values, **{f"event_{name}": value for name, value in event.items()}}
            found = await session.execute(both, bound)
        else:
            found = await session.execute(_INSERT_APPLICATION, values)
        application_id = found.scalar_one()
    except IntegrityError:
        # The other of two simultaneous requests won: one application exists.
        raise Conflict(gettext("You have already applied to this vacancy.")) from None
    if not one_statement:
        await session.execute(_INSERT_EVENT, {"application_id": application_id, **event})
    # The row as inserted (every other column takes its default, None), for the answer;
    # not in the session, which reads nothing of it after this.
    application = Application(id=application_id, rating=None, first_decision_at=None, **values)
    signals.applied(
        session,
        fair_id=fair.id,
        booth_id=vacancy.booth_id,
        vacancy_id=vacancy.id,
        at=now,
        first_in_fair=first_in_fair,
    )
    return Submitted(application, _summary(application, vacancy, fair), apply_warnings(has_cv))


def may_send_again(status: str) -> bool:
    """The one rule for sending an application again: a withdrawn application may be
    sent again to the same vacancy while applying is open (``closed_reason``) and the
    vacancy public; any other status is an application already there."""
    return status == NOT_COUNTED


async def _send_again(
    session: AsyncSession, user: User, applicant_id: int, vacancy_id: int, now: datetime
) -> Application:
    """The withdrawn application becomes submitted again. The row is reused (one per
    vacancy and applicant, a unique constraint) with its history: the withdrawal and
    this re-submission stay in its timeline, and ``submitted_at`` stays the first one so
    the fair's statistics by day do not move."""
    application = await session.scalar(
        select(Application).where(
            Application.applicant_id == applicant_id, Application.vacancy_id == vacancy_id
        )
    )
    assert application is not None  # the caller saw it in the same transaction
    application.status = ApplicationStatus.SUBMITTED
    application.released_status = ApplicationStatus.SUBMITTED
    application.updated_at = now
    session.add(
        ApplicationEvent(
            application_id=application.id,
            actor_user_id=user.id,
            from_status=ApplicationStatus.WITHDRAWN,
            to_status=ApplicationStatus.SUBMITTED,
            created_at=now,
            released_at=now,
        )
    )
    await session.flush()
    # No new row: the live counters are recounted rather than bumped.
    signals.fair_changed(session, application.fair_id)
    return application


def _summary(application: Application, vacancy: Vacancy, fair: Fair) -> MyApplication:
    company = vacancy.booth.company  # joined with the vacancy (Vacancy.booth, Booth.company)
    return MyApplication(
        application.id,
        application.released_status,
        application.submitted_at,
        application.updated_at,
        vacancy.id,
        vacancy.title,
        company.name,
        company.slug,
        fair.slug,
        fair.name,
        fair.decision_deadline,
        fair.timezone,
    )


async def vacancies_met(
    session: AsyncSession, applicant: Applicant, fair: Fair, now: datetime, *, limit: int = 5
) -> list[Vacancy]:
    """Public vacancies of the fair that are open now, that the applicant meets every
    requirement of and has not applied to: what to offer after a refusal."""
    # The catalogue's education filter narrows in SQL; the other rules are checked here.
    candidates, _total = await catalogue.search_vacancies(
        session, fair, CatalogueFilters(education=applicant.education_level), limit=500
    )
    applied = set(
        await session.scalars(
            select(Application.vacancy_id).where(
                Application.applicant_id == applicant.id, Application.fair_id == fair.id
            )
        )
    )
    on = fair.local(now).date()
    found = [
        vacancy
        for vacancy in candidates
        if vacancy.id not in applied
        and closed_reason(vacancy, fair, now) is None
        and requirements.meets(applicant, vacancy, on)
    ]
    return found[:limit]


async def _own_application(session: AsyncSession, user: User, application_id: int) -> Application:
    applicant = await applicant_of(session, user)
    application = await session.get(Application, application_id)
    if application is None or application.applicant_id != applicant.id:
        raise NotFound(gettext("We could not find that application."))
    return application


async def withdraw(
    session: AsyncSession, user: User, application_id: int, now: datetime
) -> Application:
    application = await _own_application(session, user, application_id)
    # Judged on what the applicant was told: a staged, unsent decision neither blocks
    # the withdrawal nor shows through the refusal.
    if application.released_status not in WITHDRAWABLE:
        raise Conflict(
            gettext("This application already has a final answer and cannot be withdrawn.")
        )
    # A decision the company staged but has not released is void once withdrawn: it
    # was never sent, and releasing it later must not overwrite the withdrawal.
    await session.execute(
        delete(ApplicationEvent).where(
            ApplicationEvent.application_id == application.id,
            ApplicationEvent.released_at.is_(None),
        )
    )
    previous = application.released_status
    application.status = ApplicationStatus.WITHDRAWN
    application.released_status = ApplicationStatus.WITHDRAWN
    application.updated_at = now
    session.add(
        ApplicationEvent(
            application_id=application.id,
            actor_user_id=user.id,
            from_status=previous,
            to_status=ApplicationStatus.WITHDRAWN,
            created_at=now,
            released_at=now,
        )
    )
    await session.flush()
    signals.fair_changed(session, application.fair_id)
    return application


@dataclass(frozen=True)
class MyApplication:
    id: int
    status: str
    submitted_at: datetime
    updated_at: datetime
    vacancy_id: int
    vacancy_title: str
    company_name: str
    company_slug: str
    fair_slug: str
    fair_name: str
    # The fair's day by which companies answer, shown in the fair's timezone.
    decision_deadline: datetime
    fair_timezone: str

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE


def _my_query(applicant_id: int):  # type: ignore[no-untyped-def]
    return (
        select(
            Application.id,
            Application.released_status,
            Application.submitted_at,
            Application.updated_at,
            Vacancy.id,
            Vacancy.title,
            Company.name,
            Company.slug,
            Fair.slug,
            Fair.name,
            Fair.decision_deadline,
            Fair.timezone,
        )
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .join(Booth, Booth.id == Application.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .join(Fair, Fair.id == Application.fair_id)
        .where(Application.applicant_id == applicant_id)
    )


async def my_applications(session: AsyncSession, user: User) -> list[MyApplication]:
    applicant = await applicant_of(session, user)
    rows = await session.execute(
        _my_query(applicant.id).order_by(Application.submitted_at.desc(), Application.id.desc())
    )
    return [MyApplication(*row) for row in rows]


@dataclass(frozen=True)
class TimelineEntry:
    status: str
    at: datetime
    # The company's message with a decision ("Message to the applicant"), if any.
    note: str | None = None


async def my_application(
    session: AsyncSession, user: User, application_id: int
) -> tuple[MyApplication, list[TimelineEntry]]:
    """One application with its timeline — released events only, so a staged decision
    stays invisible until the company sends it."""
    application = await _own_application(session, user, application_id)
    row = (
        await session.execute(
            _my_query(application.applicant_id).where(Application.id == application.id)
        )
    ).one()
    events = await session.scalars(
        select(ApplicationEvent)
        .where(
            ApplicationEvent.application_id == application.id,
            ApplicationEvent.released_at.is_not(None),
        )
        .order_by(ApplicationEvent.released_at, ApplicationEvent.id)
    )
    timeline = [
        TimelineEntry(event.to_status, event.released_at, event.note)
        for event in events
        if event.released_at
    ]
    return MyApplication(*row), timeline


async def applied_vacancy_status(
    session: AsyncSession, user: User, vacancy_id: int
) -> tuple[int, str] | None:
    """(application id, released status) when ``user`` applied to the vacancy."""
    row = (
        await session.execute(
            select(Application.id, Application.released_status)
            .join(Applicant, Applicant.id == Application.applicant_id)
            .where(Applicant.user_id == user.id, Application.vacancy_id == vacancy_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def placement_of(session: AsyncSession, user: User, application_id: int) -> Placement | None:
    """The hire reported on the user's own application, if any."""
    applicant = await applicant_of(session, user)
    return await session.scalar(
        select(Placement)
        .join(Application, Application.id == Placement.application_id)
        .where(Placement.application_id == application_id, Application.applicant_id == applicant.id)
    )
