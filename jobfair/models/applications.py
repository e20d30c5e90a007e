"""Applications, their event history, recruiter notes, and placements (hires).

``status`` is the company's current view; ``released_status`` is what the applicant
sees. A status change is an ``ApplicationEvent``; until the recruiter releases it
(``released_at`` set) it is a staged decision and ``released_status`` is unchanged.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    exists,
)
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow
from jobfair.i18n import N_, gettext


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    OFFERED = "offered"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    UNANSWERED = "unanswered"
    # Answered (shortlist, interview or offer) but never decided by the deadline.
    UNDECIDED = "undecided"


S = ApplicationStatus

# ----------------------------------------------------------------- the status machine
# The one home of the status vocabulary: every service, screen, the API and the report
# read these sets; nothing else lists statuses.

# What a company may set, in pipeline order (forms list statuses in this order).
PIPELINE: tuple[ApplicationStatus, ...] = (
    S.REVIEWED,
    S.SHORTLISTED,
    S.INTERVIEW,
    S.OFFERED,
    S.HIRED,
    S.REJECTED,
)
# Every status in the order a person reads them (filters, tables, the API).
ORDER: tuple[ApplicationStatus, ...] = (
    S.SUBMITTED,
    *PIPELINE,
    S.WITHDRAWN,
    S.UNANSWERED,
    S.UNDECIDED,
)
# What a company may move an application to, from what the applicant has been told.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset(PIPELINE),
    S.REVIEWED: frozenset(PIPELINE) - {S.REVIEWED},
    S.SHORTLISTED: frozenset({S.INTERVIEW, S.OFFERED, S.HIRED, S.REJECTED}),
    S.INTERVIEW: frozenset({S.OFFERED, S.HIRED, S.REJECTED}),
    S.OFFERED: frozenset({S.HIRED, S.REJECTED}),
    S.HIRED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.UNANSWERED: frozenset(),
    S.UNDECIDED: frozenset(),
}
COMPANY_STATUSES = frozenset(PIPELINE)
# No answer yet: the applicant has been told nothing but that it was sent or seen.
WAITING = frozenset({S.SUBMITTED, S.REVIEWED})
# Answered, but not finally: the company still owes the last word.
IN_PROGRESS = frozenset({S.SHORTLISTED, S.INTERVIEW, S.OFFERED})
# Still open: the company may move it, the applicant may withdraw it.
OPEN_STATUSES = WAITING | IN_PROGRESS
# A released status that is an answer to the applicant.
ANSWERS = IN_PROGRESS | frozenset({S.HIRED, S.REJECTED})
# Nothing changes any more.
FINAL = frozenset({S.HIRED, S.REJECTED, S.WITHDRAWN, S.UNANSWERED, S.UNDECIDED})
# Closed at the decision deadline, by whether the company had answered at all.
DEADLINE_CLOSE = {False: S.UNANSWERED, True: S.UNDECIDED}

STATUS_LABELS = {
    "submitted": N_("Sent"),
    "reviewed": N_("Seen by the company"),
    "shortlisted": N_("Shortlisted"),
    "interview": N_("Invited to an interview"),
    "offered": N_("Offered the job"),
    "hired": N_("Hired"),
    "rejected": N_("Not selected"),
    "withdrawn": N_("Withdrawn"),
    "unanswered": N_("Not answered by the company"),
    "undecided": N_("No final decision by the deadline"),
}


def status_label(code: str) -> str:
    """The status as applicants and recruiters read it, in the current language."""
    return gettext(STATUS_LABELS.get(code, code))


def transition_refusal(current: str, target: str) -> str | None:
    """Why ``current`` → ``target`` is not allowed, or None."""
    if target not in COMPANY_STATUSES:
        return gettext("%(status)s is not a status a company can set.", status=target)
    if target in TRANSITIONS.get(current, frozenset()):
        return None
    if current in FINAL:
        return gettext(
            "This application is closed (%(status)s); it cannot change any more.",
            status=status_label(current),
        )
    if current == target:
        return gettext(
            "The applicant has already been told: %(status)s.", status=status_label(current)
        )
    return gettext(
        "An application cannot go back from %(current)s to %(target)s.",
        current=status_label(current),
        target=status_label(target),
    )


# ------------------------------------------------------------------ the figures' predicates
# One definition per figure, as SQL over an application's columns (of the table or of a
# subquery with the same column names); the report, the live dashboards, the company
# dashboard and the API all count through these. Their words are in stats/definitions.


def is_answered(first_decision_at: Any, decision_deadline: Any) -> ColumnElement[bool]:
    """Answered: the applicant received a first decision (shortlist, interview, offer,
    hire or rejection) by the fair's decision deadline. A later withdrawal or the
    deadline's closing does not undo it."""
    return and_(first_decision_at.is_not(None), first_decision_at <= decision_deadline)


def is_answerable(released_status: Any, first_decision_at: Any) -> ColumnElement[bool]:
    """Owed an answer: every application except one withdrawn before any answer."""
    return ~and_(released_status == S.WITHDRAWN, first_decision_at.is_(None))


def is_waiting(released_status: Any) -> ColumnElement[bool]:
    """Waiting: open, and the applicant has had no answer yet (sent or seen only)."""
    return released_status.in_(WAITING)


def is_unreviewed(status: Any) -> ColumnElement[bool]:
    """Not yet reviewed: the company has not even opened it (no staged status either)."""
    return status == S.SUBMITTED


# ------------------------------------------------------------------ a company's access
# Which statuses end the company's access to the applicant's contacts and CV: once the
# applicant withdraws, the company keeps the record of the application (its table row,
# its history) but no longer sees how to reach the person or their CV.
ACCESS_ENDED = frozenset({S.WITHDRAWN})


def gives_company_access(status: Any) -> ColumnElement[bool]:
    """An application through which its company may see the applicant's contacts and
    CV (SQL, for the CV check over every application of the person)."""
    return status.not_in(ACCESS_ENDED)


def company_access_ended(status: str) -> bool:
    """The same rule for one loaded application."""
    return status in ACCESS_ENDED


def is_confirmed(confirmation: Any) -> ColumnElement[bool]:
    """A placement whose applicant confirmed the hire (``Placement.confirmation``)."""
    return confirmation == PlacementConfirmation.CONFIRMED


def is_hire_reported(application_id: Any) -> ColumnElement[bool]:
    """Hire reported: the company's hire was released to the applicant, which creates
    its placement; whatever the applicant answers later, it stays reported. A staged
    hire not yet sent is not reported."""
    return exists().where(Placement.application_id == application_id)


def is_hire_confirmed(application_id: Any) -> ColumnElement[bool]:
    """Hire confirmed: a reported hire that the applicant confirmed. The placements of
    the official tables; a denied or unanswered one does not count."""
    return exists().where(
        Placement.application_id == application_id, is_confirmed(Placement.confirmation)
    )


class PlacementConfirmation(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DENIED = "denied"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "applicant_id"),
        Index("ix_applications_fair_submitted", "fair_id", "submitted_at"),
        Index("ix_applications_vacancy_status", "vacancy_id", "status"),
        Index("ix_applications_booth_status", "booth_id", "status"),
        # An applicant's applications in one fair: what every apply reads (the
        # duplicate check, the cap, "first in this fair"). With an index on the
        # applicant alone, SQLite without statistics (it never gathers them by itself)
        # chose ix_applications_fair_submitted and read every application of the fair
        # on each apply, under the write lock: ~1 ms at 6,000 (bench/README, issue 14).
        # Serves lookups by the applicant alone too (its prefix).
        Index("ix_applications_applicant_fair", "applicant_id", "fair_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    # Copied from the vacancy (never changes) so counters and statistics by fair and by
    # booth are single-table aggregates.
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.SUBMITTED)
    released_status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.SUBMITTED)
    rating: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When the applicant first received a released decision: the responsiveness measure.
    first_decision_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApplicationEvent(Base):
    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_application", "application_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Set when the recruiter sends the pending decisions: delivered at this moment unless
    # undone before it (the undo window).
    scheduled_release_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class ApplicationNote(Base):
    """A recruiter's private note on an application; never shown to the applicant."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Placement(Base):
    """A hire reported by the company; it counts once the applicant confirms it."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    reported_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    start_date: Mapped[date | None] = mapped_column(Date)
    confirmation: Mapped[str] = mapped_column(String(16), default=PlacementConfirmation.PENDING)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    denial_reason: Mapped[str | None] = mapped_column(Text)
    monthly_salary: Mapped[int | None] = mapped_column(Integer)


class ExportJob(Base):
    """A company's applicant export built by a task, with its progress."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    requested_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    file_format: Mapped[str] = mapped_column(String(8))
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    storage_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
