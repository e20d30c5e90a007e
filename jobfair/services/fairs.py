"""Fairs: the lifecycle (draft → published → cancelled, extend) and public counts.

Upcoming / open / closed is never stored: ``Fair.phase(now)`` derives it from the
window, so a fair opens and closes on time without any task running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import gettext
from jobfair.models import Application, Booth, Fair, Placement, Vacancy
from jobfair.models.applications import is_confirmed
from jobfair.models.companies import BoothStatus
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.models.vacancies import is_public
from jobfair.services import audit
from jobfair.services.errors import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class FairCounts:
    companies: int = 0
    vacancies: int = 0
    openings: int = 0
    applicants: int = 0
    applications: int = 0
    hires: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "companies": self.companies,
            "booths": self.companies,
            "vacancies": self.vacancies,
            "openings": self.openings,
            "applicants": self.applicants,
            "applications": self.applications,
            "hires": self.hires,
        }


async def get_fair(session: AsyncSession, slug: str, *, public: bool = True) -> Fair:
    """The fair with ``slug``; drafts are invisible to the public (404, not 403)."""
    fair = await session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None or (public and fair.status == FairStatus.DRAFT):
        raise NotFound("fair not found")
    return fair


async def list_public_fairs(session: AsyncSession) -> list[Fair]:
    result = await session.scalars(
        select(Fair)
        .where(Fair.status != FairStatus.DRAFT)
        .order_by(Fair.opens_at.desc(), Fair.id.desc())
    )
    return list(result)


async def fair_counts(session: AsyncSession, fair_ids: Iterable[int]) -> dict[int, FairCounts]:
    """Public counts for several fairs at once: one grouped query per table."""
    ids = list(fair_ids)
    if not ids:
        return {}
    booths = dict(
        (
            await session.execute(
                select(Booth.fair_id, func.count())
                .where(Booth.fair_id.in_(ids), Booth.status == BoothStatus.APPROVED)
                .group_by(Booth.fair_id)
            )
        ).all()
    )
    vacancy_rows = (
        await session.execute(
            select(
                Vacancy.fair_id,
                func.count(),
                func.coalesce(
                    func.sum(
                        Vacancy.openings_male + Vacancy.openings_female + Vacancy.openings_either
                    ),
                    0,
                ),
            )
            .where(Vacancy.fair_id.in_(ids), is_public())
            .group_by(Vacancy.fair_id)
        )
    ).all()
    vacancies = {fair_id: (count, openings) for fair_id, count, openings in vacancy_rows}
    application_rows = (
        await session.execute(
            select(
                Application.fair_id, func.count(), func.count(distinct(Application.applicant_id))
            )
            .where(Application.fair_id.in_(ids))
            .group_by(Application.fair_id)
        )
    ).all()
    applications = {fair_id: (count, people) for fair_id, count, people in application_rows}
    hires = dict(
        (
            await session.execute(
                select(Placement.fair_id, func.count())
                # Hires confirmed (models.applications); the counter is named "hires".
                .where(Placement.fair_id.in_(ids), is_confirmed(Placement.confirmation))
                .group_by(Placement.fair_id)
            )
        ).all()
    )
    return {
        fair_id: FairCounts(
            companies=booths.get(fair_id, 0),
            vacancies=vacancies.get(fair_id, (0, 0))[0],
            openings=int(vacancies.get(fair_id, (0, 0))[1]),
            applicants=applications.get(fair_id, (0, 0))[1],
            applications=applications.get(fair_id, (0, 0))[0],
            hires=hires.get(fair_id, 0),
        )
        for fair_id in ids
    }


class WindowRefused(ValidationFailed):
    """The window rule refused the dates; its field messages name the keys of a
    definition file, which the console words its own way."""


def check_window(
    *,
    registration_opens_at: datetime | None,
    opens_at: datetime | None,
    closes_at: datetime | None,
    decision_deadline: datetime | None,
) -> None:
    """The window rule shared by the console and the events/ loader (which passes None
    for a moment it could not read, so the others are still checked). Field messages
    name the keys of a definition file; the console shows its own text per field."""
    fields: dict[str, str] = {}
    if opens_at and closes_at and opens_at >= closes_at:
        fields["closes_at"] = "must be after opens_at"
    if registration_opens_at and opens_at and registration_opens_at > opens_at:
        fields["registration_opens_at"] = "must not be after opens_at"
    if decision_deadline and closes_at and decision_deadline < closes_at:
        fields["decision_deadline"] = "must not be before closes_at"
    if fields:
        raise WindowRefused(gettext("The fair's dates do not fit together."), fields=fields)


def schedule_report(session: AsyncSession, fair: Fair, now: datetime) -> None:
    """Enqueue the report's compilation for the fair's close, after the commit. A job
    left over from before an extension finds the fair still open and does nothing; a
    job lost with its process is re-driven by the sweep (``compile_due_reports``)."""
    delay = max((fair.closes_at - now).total_seconds(), 0.0)
    # A whole second more, so the job never runs a hair before the close.
    enqueue_after_commit(session, "compile_fair_report", defer_by=delay + 1.0, fair_id=fair.id)


def publish(
    session: AsyncSession,
    fair: Fair,
    *,
    now: datetime,
    actor_user_id: int | None,
    allow_closed: bool = False,
) -> None:
    """Make the fair public, schedule its report for the close and audit it.
    ``allow_closed``: a past fair loaded from an ``events/`` file for its report."""
    if fair.status == FairStatus.PUBLISHED:
        return
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be published again."))
    if fair.closes_at <= now and not allow_closed:
        raise Conflict(gettext("The fair has already closed; extend it before publishing."))
    fair.status = FairStatus.PUBLISHED
    fair.published_at = now
    schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.published",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
    )


def cancel(session: AsyncSession, fair: Fair, *, now: datetime, actor_user_id: int | None) -> None:
    if fair.status == FairStatus.CANCELLED:
        return
    if fair.phase(now) == FairPhase.CLOSED:
        raise Conflict(gettext("A fair that has closed cannot be cancelled."))
    fair.status = FairStatus.CANCELLED
    fair.cancelled_at = now
    audit.record(
        session,
        "fair.cancelled",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
    )


def close_early(
    session: AsyncSession, fair: Fair, *, now: datetime, actor_user_id: int | None
) -> None:
    """Close a published fair now, before its planned close. The decision deadline
    stays where it was: companies keep the time they were promised to answer."""
    if fair.status != FairStatus.PUBLISHED:
        raise Conflict(gettext("Only a published fair can be closed."))
    if fair.closes_at <= now:
        raise Conflict(gettext("The fair has already closed."))
    if fair.opens_at > now:
        raise Conflict(gettext("The fair has not opened yet; cancel it instead."))
    previous = fair.closes_at
    fair.closes_at = now
    schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.closed_early",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": fair.closes_at.isoformat()},
    )


def move_deadline(
    session: AsyncSession,
    fair: Fair,
    *,
    decision_deadline: datetime,
    now: datetime,
    actor_user_id: int | None,
) -> None:
    """Move the decision deadline, earlier or later, while it has not passed: once it
    has, the open applications were closed and their applicants told."""
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be changed."))
    if fair.decision_deadline <= now:
        raise Conflict(
            gettext("The decision deadline has passed; the open applications were closed.")
        )
    if decision_deadline <= now:
        message = gettext("The new decision deadline must be in the future.")
        raise ValidationFailed(message, fields={"decision_deadline": message})
    check_window(
        registration_opens_at=fair.registration_opens_at,
        opens_at=fair.opens_at,
        closes_at=fair.closes_at,
        decision_deadline=decision_deadline,
    )
    previous = fair.decision_deadline
    fair.decision_deadline = decision_deadline
    audit.record(
        session,
        "fair.deadline_moved",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": decision_deadline.isoformat()},
    )


def extend(
    session: AsyncSession,
    fair: Fair,
    *,
    closes_at: datetime,
    decision_deadline: datetime | None = None,
    now: datetime,
    actor_user_id: int | None,
) -> None:
    """Move the close later (never earlier), and the decision deadline with it."""
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be extended."))
    if closes_at <= fair.closes_at:
        raise ValidationFailed(
            gettext("An extension must move the close later."),
            fields={"closes_at": "must be later than the current closes_at"},
        )
    # Unless told otherwise, companies keep the same time to answer after the close:
    # late applicants deserve an answer as much as early ones.
    deadline = decision_deadline or closes_at + (fair.decision_deadline - fair.closes_at)
    check_window(
        registration_opens_at=fair.registration_opens_at,
        opens_at=fair.opens_at,
        closes_at=closes_at,
        decision_deadline=deadline,
    )
    previous = fair.closes_at
    fair.closes_at = closes_at
    fair.decision_deadline = deadline
    if fair.status == FairStatus.PUBLISHED:
        schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.extended",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": closes_at.isoformat()},
    )
