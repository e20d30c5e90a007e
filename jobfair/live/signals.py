"""What services tell the live layer, after their transaction commits.

Two signals cover every counter change: ``Applied`` is the hot path (a new application) and is
counted by increments; ``FairChanged`` says "something else about this fair changed"
(a withdrawal, released decisions, a hire confirmed, a booth approved) and makes the
live layer re-read that fair's counters from the database, the truth. ``SignedOut``
closes a user's sockets once their sessions have ended. ``ContentChanged`` says what a
public page shows changed (a fair, booth, company or vacancy row): no service sends it
by hand, :mod:`jobfair.live.content` derives it from every flush, and the public page
cache (``jobfair.web.page_cache``) drops that fair's pages on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import signal_after_commit


@dataclass(frozen=True)
class Applied:
    fair_id: int
    booth_id: int
    vacancy_id: int
    at: datetime
    # The applicant's first application in this fair: the distinct-applicant count grows.
    first_in_fair: bool


@dataclass(frozen=True)
class FairChanged:
    fair_id: int


@dataclass(frozen=True)
class ContentChanged:
    """A row a public page shows was written; ``fair_id`` None means "any fair" (a
    company or an office, shown in every fair it takes part in)."""

    fair_id: int | None


@dataclass(frozen=True)
class SignedOut:
    """Every session of a user ended (disabled, password reset, account deleted): the
    live sockets opened with those sessions close, in every web process."""

    user_id: int


def applied(
    session: AsyncSession,
    *,
    fair_id: int,
    booth_id: int,
    vacancy_id: int,
    at: datetime,
    first_in_fair: bool,
) -> None:
    signal_after_commit(session, Applied(fair_id, booth_id, vacancy_id, at, first_in_fair))


def fair_changed(session: AsyncSession, fair_id: int) -> None:
    signal_after_commit(session, FairChanged(fair_id))


def signed_out(session: AsyncSession, user_id: int) -> None:
    signal_after_commit(session, SignedOut(user_id))


@dataclass(frozen=True)
class ConversationChanged:
    """A conversation got a message or changed state: its two parties' sockets read
    what is new from the database (jobfair.live.chat), on whatever process they are."""

    conversation_id: int
    user_ids: tuple[int, ...]


@dataclass(frozen=True)
class QueueChanged:
    """A booth's chat state changed: someone joined or left its queue, or a chat there
    started, ended or passed to a colleague. The live layer re-reads the booth's chat
    state (jobfair.services.conversations.booth_chat_states) and pushes the presence,
    the applicants' places and the recruiters' waiting lists (coalesced per fair);
    ``joined`` is informational (the recruiter's ping comes from a new waiting place)."""

    booth_id: int
    fair_id: int
    joined: bool = False


def conversation_changed(session: AsyncSession, conversation_id: int, *user_ids: int) -> None:
    signal_after_commit(session, ConversationChanged(conversation_id, tuple(user_ids)))


def queue_changed(
    session: AsyncSession, booth_id: int, *, fair_id: int, joined: bool = False
) -> None:
    signal_after_commit(session, QueueChanged(booth_id, fair_id, joined))
