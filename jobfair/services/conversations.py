"""Booth conversations: the one home of the queue and chat rules.

* **Join**: a signed-in applicant joins a booth's queue (optionally about one of its
  vacancies) while the fair is open and at least one recruiter of the booth is online;
  at most ``chat_max_queues`` queues at once; not while blocked from chatting in the
  fair. Joining a queue one is already in keeps the place (a reload, a second tab).
* **Grace period**: a waiting place is kept while the applicant's page checks in
  (:func:`touch`); one not seen for ``chat_queue_grace_seconds`` expires, so a reload
  or a dropped connection within the grace period keeps the place.
* **Order**: priority first (a booked slot's applicant), then longest waiting.
* **Take next**: a recruiter of the booth takes the first waiting applicant, holding at
  most ``chat_max_parallel`` open chats. The take is a conditional UPDATE of the entry
  (``state = 'waiting'`` in its WHERE): of two recruiters racing for one applicant,
  exactly one changes the row, on SQLite and PostgreSQL alike; the other moves on.
* **Messages** are stored (and flushed, so they have their id) before the caller
  acknowledges them; the id is the order a reconnecting client resumes from.
* **Timer**: a chat of a company with a chat timer ends ``timer_minutes`` after it
  started (:func:`ends_at`). An action on a chat whose time is up is refused with
  :class:`TimeUp`, and the caller ends it (:func:`end_timed_out`, which the worker's
  sweep runs too), as a manual end does: the ``ended`` line goes to both sides.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import N_, gettext
from jobfair.live import signals
from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    Fair,
    Recruiter,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.applications import gives_company_access
from jobfair.models.companies import company_reaches, is_public_booth
from jobfair.models.conversations import (
    AbuseReport,
    ChatBlock,
    ChatMessage,
    ChatSetting,
    Conversation,
    Interest,
    Party,
    QueueEntry,
    QueueState,
)
from jobfair.models.fairs import FairPhase
from jobfair.models.vacancies import is_public
from jobfair.services import audit, authority, notifications, slot_window
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.formats import is_http_url
from jobfair.services.slot_window import aware
from jobfair.services.times import DEFAULT_TIMEZONE

MAX_MESSAGE = 2000
MAX_NOTE = 2000
MAX_REASON = 1000
MAX_TIMER_MINUTES = 120
# The median chat length assumed while a booth has held none yet, and how many of its
# latest chats the median is taken over.
DEFAULT_CHAT_SECONDS = 300
MEDIAN_OVER = 20
BACKLOG_LIMIT = 500
TAKE_TRIES = 10


@dataclass(frozen=True)
class ChatLimits:
    """The settings the rules use (jobfair.settings: chat_*)."""

    max_queues: int = 2
    grace_seconds: int = 120
    max_parallel: int = 4

    @classmethod
    def from_settings(cls, settings: Any) -> ChatLimits:
        return cls(
            max_queues=settings.chat_max_queues,
            grace_seconds=settings.chat_queue_grace_seconds,
            max_parallel=settings.chat_max_parallel,
        )


@dataclass(frozen=True)
class QueueStatus:
    entry_id: int
    state: str
    position: int  # 1 = next; 0 when no longer waiting
    wait_seconds: int | None  # None when no longer waiting
    conversation_id: int | None = None


class TimeUp(Conflict):
    """The chat's timer has run out: the action is refused and the chat is to be ended
    (:func:`end_timed_out`) in a unit of work of its own, since this one rolls back."""


# Who ended a chat the timer ended (``Conversation.ended_by``).
ENDED_BY_TIMER = "timer"


# ------------------------------------------------------------------ helpers


def _stale_before(now: datetime, limits: ChatLimits) -> datetime:
    return now - timedelta(seconds=limits.grace_seconds)


def _alive(now: datetime, limits: ChatLimits) -> Any:
    return and_(
        QueueEntry.state == QueueState.WAITING,
        QueueEntry.last_seen_at >= _stale_before(now, limits),
    )


QUEUE_ORDER = (QueueEntry.priority.desc(), QueueEntry.joined_at, QueueEntry.id)


def ends_at(chat: Conversation) -> datetime | None:
    """When the company's chat timer ends ``chat`` (None: no timer), the one rule both
    parties' pages, the refusals and the sweep use."""
    if not chat.timer_minutes:
        return None
    return aware(chat.started_at) + timedelta(minutes=chat.timer_minutes)


def time_is_up(chat: Conversation, now: datetime) -> bool:
    """An open chat whose timer has run out (it is to be ended)."""
    deadline = ends_at(chat)
    return chat.ended_at is None and deadline is not None and now >= deadline


def _require_running(chat: Conversation, now: datetime) -> None:
    if chat.ended_at is not None:
        raise Conflict(gettext("This chat has ended."))
    if time_is_up(chat, now):
        raise TimeUp(gettext("The time for this chat is up; the chat has ended."))


async def _require_open(session: AsyncSession, fair_id: int, now: datetime) -> Fair:
    fair = await session.get(Fair, fair_id)
    if fair is None or fair.phase(now) != FairPhase.OPEN:
        raise Conflict(gettext("Chats are only possible while the fair is open."))
    return fair


async def is_blocked(session: AsyncSession, fair_id: int, user_id: int) -> bool:
    found = await session.scalar(
        select(ChatBlock.id).where(ChatBlock.fair_id == fair_id, ChatBlock.user_id == user_id)
    )
    return found is not None


async def _require_not_blocked(session: AsyncSession, fair_id: int, user_id: int) -> None:
    if await is_blocked(session, fair_id, user_id):
        raise PermissionDenied(gettext("You can no longer chat in this fair."))


async def chat_booth(session: AsyncSession, booth_id: int) -> Booth:
    booth = await session.scalar(select(Booth).where(Booth.id == booth_id, is_public_booth()))
    if booth is None:
        raise NotFound(gettext("We could not find that page."))
    return booth


async def membership_of_booth(session: AsyncSession, user: User, booth: Booth) -> None:
    if user.role != Role.RECRUITER:
        raise PermissionDenied(gettext("This is for company accounts."))
    member = await session.scalar(
        select(Recruiter.id).where(
            Recruiter.user_id == user.id, Recruiter.company_id == booth.company_id
        )
    )
    if member is None:
        raise PermissionDenied(gettext("This is for company accounts."))


async def recruiter_user_ids(session: AsyncSession, company_id: int) -> list[int]:
    rows = await session.scalars(
        select(Recruiter.user_id).where(Recruiter.company_id == company_id).order_by(Recruiter.id)
    )
    return list(rows)


# ------------------------------------------------------------------ the queue


async def expire_stale(session: AsyncSession, now: datetime, limits: ChatLimits) -> int:
    """Mark waiting places not seen for the grace period as expired (the worker's sweep
    runs it; the queue's reads already skip them); returns how many."""
    stale = and_(
        QueueEntry.state == QueueState.WAITING,
        QueueEntry.last_seen_at < _stale_before(now, limits),
    )
    booths = (
        await session.execute(
            select(QueueEntry.booth_id, QueueEntry.fair_id).where(stale).distinct()
        )
    ).all()
    if not booths:
        return 0
    result = await session.execute(
        update(QueueEntry)
        .where(stale)
        .values(state=QueueState.EXPIRED, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    # The consoles' waiting lists and the places behind move: as for a leave.
    for booth_id, fair_id in booths:
        signals.queue_changed(session, booth_id, fair_id=fair_id)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def join_queue(
    session: AsyncSession,
    *,
    applicant: Applicant,
    user_id: int,
    booth: Booth,
    now: datetime,
    recruiters_online: int,
    limits: ChatLimits,
    vacancy_id: int | None = None,
    priority: bool = False,
) -> QueueEntry:
    """Join ``booth``'s queue (the rules are in the module docstring). ``priority`` puts
    the applicant at the head; an applicant whose booked slot at this booth is on
    (:func:`jobfair.services.slot_window.current_booking`) always gets it."""
    await _require_open(session, booth.fair_id, now)
    await _require_not_blocked(session, booth.fair_id, user_id)
    if not priority:
        booking = await slot_window.current_booking(
            session, booth_id=booth.id, applicant_id=applicant.id, now=now
        )
        priority = booking is not None
    existing = await session.scalar(
        select(QueueEntry).where(
            QueueEntry.applicant_id == applicant.id,
            QueueEntry.booth_id == booth.id,
            _alive(now, limits),
        )
    )
    if existing is not None:
        existing.last_seen_at = now
        existing.priority = existing.priority or priority
        await session.flush()
        return existing
    if recruiters_online <= 0 and not priority:
        raise Conflict(gettext("No recruiter of this booth is online right now."))
    waiting = await session.scalar(
        select(func.count())
        .select_from(QueueEntry)
        .where(QueueEntry.applicant_id == applicant.id, _alive(now, limits))
    )
    if (waiting or 0) >= limits.max_queues:
        raise Conflict(
            gettext("You can wait in at most %(count)s queues at once.")
            % {"count": limits.max_queues}
        )
    if vacancy_id is not None:
        found = await session.scalar(
            select(Vacancy.id).where(Vacancy.id == vacancy_id, Vacancy.booth_id == booth.id)
        )
        if found is None:
            raise ValidationFailed(
                gettext("Choose a vacancy of this booth."), fields={"vacancy": "invalid"}
            )
    entry = QueueEntry(
        fair_id=booth.fair_id,
        booth_id=booth.id,
        applicant_id=applicant.id,
        vacancy_id=vacancy_id,
        priority=priority,
        joined_at=now,
        last_seen_at=now,
    )
    session.add(entry)
    await session.flush()
    audit.record(
        session,
        "chat.queue_joined",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=user_id,
        fair_id=booth.fair_id,
    )
    signals.queue_changed(session, booth.id, fair_id=booth.fair_id, joined=True)
    return entry


async def touch(
    session: AsyncSession, applicant_id: int, now: datetime, limits: ChatLimits
) -> None:
    """The applicant's page checked in: their waiting places stay kept."""
    await session.execute(
        update(QueueEntry)
        .where(QueueEntry.applicant_id == applicant_id, _alive(now, limits))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


async def leave_queue(
    session: AsyncSession, *, applicant_id: int, user_id: int, booth_id: int, now: datetime
) -> bool:
    result = await session.execute(
        update(QueueEntry)
        .where(
            QueueEntry.applicant_id == applicant_id,
            QueueEntry.booth_id == booth_id,
            QueueEntry.state == QueueState.WAITING,
        )
        .values(state=QueueState.LEFT, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    left = bool(result.rowcount)  # type: ignore[attr-defined]
    if left:
        audit.record(
            session,
            "chat.queue_left",
            object_type="booth",
            object_id=booth_id,
            actor_user_id=user_id,
        )
        fair_id = await session.scalar(select(Booth.fair_id).where(Booth.id == booth_id))
        if fair_id is not None:
            signals.queue_changed(session, booth_id, fair_id=fair_id)
    return left


def estimate_wait(
    position: int, *, recruiters_online: int, open_chats: int, max_parallel: int, median: int
) -> int:
    """Seconds until the applicant at ``position`` (1 = next) is likely taken.

    The rule: the free chat places (recruiters online × ``max_parallel`` minus the chats
    open now) take the first ones in the queue at once (0 s); each further
    ``recruiters_online`` applicants wait one more median chat length, as every
    recruiter frees a place about once per median chat. With nobody online the wait is
    counted as for one recruiter."""
    recruiters = max(1, recruiters_online)
    free = max(0, recruiters_online * max_parallel - open_chats)
    beyond = position - free
    if beyond <= 0:
        return 0
    return math.ceil(beyond / recruiters) * median


@dataclass(frozen=True)
class BoothQueue:
    """A booth's queue as the organiser sees it: people waiting, the estimated wait of
    someone joining now (the applicants' rule, :func:`estimate_wait`) and recruiters
    online; ``unattended`` flags people waiting with no recruiter online."""

    booth_id: int
    waiting: int
    wait_seconds: int
    recruiters_online: int

    @property
    def unattended(self) -> bool:
        return self.waiting > 0 and self.recruiters_online == 0


async def booth_queue(
    session: AsyncSession,
    booth_id: int,
    now: datetime,
    limits: ChatLimits,
    *,
    recruiters_online: int,
) -> BoothQueue:
    """One booth's queue: :meth:`BoothChatState.queue` of its state (one rule)."""
    states = await booth_chat_states(session, [booth_id], now, limits)
    return states[booth_id].queue(recruiters_online=recruiters_online, limits=limits)


async def queue_status(
    session: AsyncSession,
    *,
    applicant_id: int,
    booth_id: int,
    now: datetime,
    limits: ChatLimits,
    recruiters_online: int,
) -> QueueStatus | None:
    """The applicant's place at the booth (position and estimated wait), or the chat
    they were taken into; None when they are neither waiting nor chatting there."""
    chat = await session.scalar(
        select(Conversation)
        .where(
            Conversation.applicant_id == applicant_id,
            Conversation.booth_id == booth_id,
            Conversation.ended_at.is_(None),
        )
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    if chat is not None:
        return QueueStatus(
            entry_id=chat.queue_entry_id or 0,
            state=QueueState.TAKEN,
            position=0,
            wait_seconds=None,
            conversation_id=chat.id,
        )
    # The place and wait by the booth state's rules, as the live layer's frames have them.
    state = (await booth_chat_states(session, [booth_id], now, limits)).get(booth_id)
    if state is None:
        return None
    for position, entry in enumerate(state.waiting, start=1):
        if entry.applicant_id == applicant_id:
            wait = state.wait_at(position, recruiters_online=recruiters_online, limits=limits)
            return QueueStatus(entry.entry_id, QueueState.WAITING, position, wait)
    return None


# ------------------------------------------------------------------ booths at a glance
# What the live layer pushes (presence, places, recruiters' waiting lists) and what the
# organiser's "Booth queues" shows, read for any number of booths in a fixed number of
# grouped statements (six), whatever the number of booths.


@dataclass(frozen=True)
class BoothRecruiter:
    """A recruiter of a booth's company and the chats they have open now (any booth)."""

    user_id: int
    name: str
    open_chats: int


@dataclass(frozen=True)
class WaitingApplicant:
    """One waiting place, in queue order (:data:`QUEUE_ORDER`)."""

    entry_id: int
    applicant_id: int
    user_id: int | None
    name: str
    vacancy_title: str | None
    joined_at: datetime
    priority: bool


@dataclass(frozen=True)
class BoothChatState:
    """A booth's chat state as of one read: its company's recruiters, the alive waiting
    places in queue order, the chats open at the booth and its median chat length.
    Who is online is not here: that is the live layer's presence, passed in."""

    booth_id: int
    company_name: str
    recruiters: tuple[BoothRecruiter, ...]
    waiting: tuple[WaitingApplicant, ...]
    open_chats: int
    median_seconds: int

    def online(self, online_user_ids: set[int]) -> list[BoothRecruiter]:
        return [one for one in self.recruiters if one.user_id in online_user_ids]

    def position_of(self, user_id: int) -> int | None:
        """The place (1 = next) of the applicant user ``user_id``, None if not waiting."""
        for position, entry in enumerate(self.waiting, start=1):
            if entry.user_id == user_id:
                return position
        return None

    def wait_at(self, position: int, *, recruiters_online: int, limits: ChatLimits) -> int:
        return estimate_wait(
            position,
            recruiters_online=recruiters_online,
            open_chats=self.open_chats,
            max_parallel=limits.max_parallel,
            median=self.median_seconds,
        )

    def queue(self, *, recruiters_online: int, limits: ChatLimits) -> BoothQueue:
        waiting = len(self.waiting)
        wait = self.wait_at(waiting + 1, recruiters_online=recruiters_online, limits=limits)
        return BoothQueue(self.booth_id, waiting, wait, recruiters_online)


async def booth_recruiters(
    session: AsyncSession, booth_ids: list[int]
) -> dict[int, tuple[BoothRecruiter, ...]]:
    """The recruiters of each booth's company with their open chats (two statements)."""
    if not booth_ids:
        return {}
    rows = (
        await session.execute(
            select(Booth.id, User.id, User.full_name)
            .join(Recruiter, Recruiter.company_id == Booth.company_id)
            .join(User, User.id == Recruiter.user_id)
            .where(Booth.id.in_(booth_ids))
            .order_by(Booth.id, Recruiter.id)
        )
    ).all()
    user_ids = sorted({int(user_id) for _booth, user_id, _name in rows})
    open_by_user: dict[int, int] = {}
    if user_ids:
        open_by_user = {
            int(user_id): int(count)
            for user_id, count in await session.execute(
                select(Conversation.recruiter_user_id, func.count())
                .where(
                    Conversation.recruiter_user_id.in_(user_ids),
                    Conversation.ended_at.is_(None),
                )
                .group_by(Conversation.recruiter_user_id)
            )
        }
    result: dict[int, list[BoothRecruiter]] = {booth_id: [] for booth_id in booth_ids}
    for booth_id, user_id, name in rows:
        result[int(booth_id)].append(
            BoothRecruiter(int(user_id), name or "", open_by_user.get(int(user_id), 0))
        )
    return {booth_id: tuple(rows_) for booth_id, rows_ in result.items()}


async def booth_chat_states(
    session: AsyncSession, booth_ids: list[int], now: datetime, limits: ChatLimits
) -> dict[int, BoothChatState]:
    """:class:`BoothChatState` of each existing booth of ``booth_ids``, in six statements."""
    booth_ids = sorted(set(booth_ids))
    if not booth_ids:
        return {}
    names = {
        int(booth_id): name
        for booth_id, name in await session.execute(
            select(Booth.id, Company.name)
            .join(Company, Company.id == Booth.company_id)
            .where(Booth.id.in_(booth_ids))
        )
    }
    recruiters = await booth_recruiters(session, list(names))
    waiting: dict[int, list[WaitingApplicant]] = {booth_id: [] for booth_id in names}
    rows = await session.execute(
        select(
            QueueEntry.booth_id,
            QueueEntry.id,
            QueueEntry.applicant_id,
            Applicant.user_id,
            User.full_name,
            Vacancy.title,
            QueueEntry.joined_at,
            QueueEntry.priority,
        )
        .join(Applicant, Applicant.id == QueueEntry.applicant_id)
        .outerjoin(User, User.id == Applicant.user_id)
        .outerjoin(Vacancy, Vacancy.id == QueueEntry.vacancy_id)
        .where(QueueEntry.booth_id.in_(list(names)), _alive(now, limits))
        .order_by(QueueEntry.booth_id, *QUEUE_ORDER)
    )
    for booth_id, entry_id, applicant_id, user_id, name, title, joined_at, priority in rows:
        waiting[int(booth_id)].append(
            WaitingApplicant(
                int(entry_id), int(applicant_id), user_id, name or "", title, joined_at, priority
            )
        )
    open_at = {
        int(booth_id): int(count)
        for booth_id, count in await session.execute(
            select(Conversation.booth_id, func.count())
            .where(Conversation.booth_id.in_(list(names)), Conversation.ended_at.is_(None))
            .group_by(Conversation.booth_id)
        )
    }
    # The latest MEDIAN_OVER ended chats of every booth at once.
    latest = (
        select(
            Conversation.booth_id.label("booth_id"),
            Conversation.started_at.label("started_at"),
            Conversation.ended_at.label("ended_at"),
            func.row_number()
            .over(partition_by=Conversation.booth_id, order_by=Conversation.ended_at.desc())
            .label("n"),
        )
        .where(Conversation.booth_id.in_(list(names)), Conversation.ended_at.is_not(None))
        .subquery("latest")
    )
    lengths: dict[int, list[float]] = {}
    for booth_id, started, ended in await session.execute(
        select(latest.c.booth_id, latest.c.started_at, latest.c.ended_at).where(
            latest.c.n <= MEDIAN_OVER
        )
    ):
        lengths.setdefault(int(booth_id), []).append((ended - started).total_seconds())
    return {
        booth_id: BoothChatState(
            booth_id,
            names[booth_id],
            recruiters.get(booth_id, ()),
            tuple(waiting[booth_id]),
            open_at.get(booth_id, 0),
            int(statistics.median(lengths[booth_id]))
            if lengths.get(booth_id)
            else DEFAULT_CHAT_SECONDS,
        )
        for booth_id in names
    }


@dataclass(frozen=True)
class ChatOverview:
    """The organiser dashboard's chat section: who is online per booth (booths with
    someone online) and the queues (booths with people waiting), those with nobody
    online to take them first."""

    presence: list[tuple[str, list[BoothRecruiter]]]
    queues: list[tuple[str, BoothQueue]]


def chat_overview(
    states: dict[int, BoothChatState], online: dict[int, set[int]], limits: ChatLimits
) -> ChatOverview:
    """The overview of ``states`` given who is online (user ids per booth)."""
    presence = []
    queues = []
    for booth_id, state in states.items():
        here = state.online(online.get(booth_id, set()))
        if here:
            presence.append((state.company_name, here))
        queue = state.queue(recruiters_online=len(here), limits=limits)
        if queue.waiting:
            queues.append((state.company_name, queue))
    # Booths with people waiting and nobody to take them first: those need a call.
    queues.sort(key=lambda row: (not row[1].unattended, -row[1].waiting, row[0]))
    return ChatOverview(presence, queues)


# ------------------------------------------------------------------ recruiter side


async def open_chats_of(session: AsyncSession, user_id: int) -> list[Conversation]:
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.recruiter_user_id == user_id, Conversation.ended_at.is_(None))
        .order_by(Conversation.id)
    )
    return list(rows)


async def take_next(
    session: AsyncSession, *, user: User, booth: Booth, now: datetime, limits: ChatLimits
) -> Conversation | None:
    """Take the first waiting applicant of ``booth`` into a chat (None: queue empty)."""
    await membership_of_booth(session, user, booth)
    await _require_open(session, booth.fair_id, now)
    await _require_not_blocked(session, booth.fair_id, user.id)
    # Serialises this recruiter's own takes on PostgreSQL (two tabs clicking at once
    # cannot pass the parallel-chat cap together); SQLite has one writer anyway.
    await session.execute(
        select(Recruiter.id)
        .where(Recruiter.user_id == user.id, Recruiter.company_id == booth.company_id)
        .with_for_update()
    )
    # A chat whose time is up counts as ended now, not when the sweep comes for it.
    still_open = 0
    for chat in await open_chats_of(session, user.id):
        if not (time_is_up(chat, now) and await _end_by_timer(session, chat, now)):
            still_open += 1
    if still_open >= limits.max_parallel:
        raise Conflict(
            gettext("You already have %(count)s chats open; end one first.")
            % {"count": limits.max_parallel}
        )
    blocked = select(ChatBlock.user_id).where(ChatBlock.fair_id == booth.fair_id)
    for _ in range(TAKE_TRIES):
        candidate = (
            await session.execute(
                select(QueueEntry.id, QueueEntry.applicant_id, QueueEntry.vacancy_id)
                .join(Applicant, Applicant.id == QueueEntry.applicant_id)
                .where(
                    QueueEntry.booth_id == booth.id,
                    _alive(now, limits),
                    or_(Applicant.user_id.is_(None), Applicant.user_id.not_in(blocked)),
                )
                .order_by(*QUEUE_ORDER)
                .limit(1)
            )
        ).first()
        if candidate is None:
            return None
        entry_id, applicant_id, vacancy_id = candidate
        taken = await session.execute(
            update(QueueEntry)
            .where(QueueEntry.id == entry_id, QueueEntry.state == QueueState.WAITING)
            .values(state=QueueState.TAKEN, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            continue  # a colleague took them first
        timer = await session.scalar(
            select(ChatSetting.timer_minutes).where(ChatSetting.company_id == booth.company_id)
        )
        chat = Conversation(
            fair_id=booth.fair_id,
            booth_id=booth.id,
            applicant_id=applicant_id,
            recruiter_user_id=user.id,
            queue_entry_id=entry_id,
            vacancy_id=vacancy_id,
            started_at=now,
            timer_minutes=timer,
        )
        session.add(chat)
        await session.flush()
        # The first line tells the applicant's socket they were taken.
        await _system_message(session, chat, "started", now)
        audit.record(
            session,
            "chat.taken",
            object_type="conversation",
            object_id=chat.id,
            actor_user_id=user.id,
            fair_id=booth.fair_id,
        )
        await _changed(session, chat)
        signals.queue_changed(session, booth.id, fair_id=booth.fair_id)
        return chat
    raise Conflict(gettext("Others took the next applicants first; try again."))


async def _applicant_user(session: AsyncSession, applicant_id: int) -> int | None:
    return await session.scalar(select(Applicant.user_id).where(Applicant.id == applicant_id))


async def _changed(
    session: AsyncSession, chat: Conversation, applicant_user: int | None = None
) -> None:
    """Signal both parties (``applicant_user``: the applicant's user id, when known)."""
    if applicant_user is None:
        applicant_user = await _applicant_user(session, chat.applicant_id)
    users = [chat.recruiter_user_id, applicant_user]
    signals.conversation_changed(session, chat.id, *[one for one in users if one is not None])


async def party_of(session: AsyncSession, user: User, chat: Conversation) -> Party:
    """Which side of ``chat`` the user is on; anyone else is refused (as not found, so
    ids are not probed)."""
    applicant_user = None
    if user.role == Role.APPLICANT:
        applicant_user = await _applicant_user(session, chat.applicant_id)
    return _party(user, chat, applicant_user)


def _party(user: User, chat: Conversation, applicant_user: int | None) -> Party:
    """:func:`party_of` given the user id of the chat's applicant."""
    if user.role == Role.RECRUITER and chat.recruiter_user_id == user.id:
        return Party.RECRUITER
    if user.role == Role.APPLICANT and applicant_user == user.id:
        return Party.APPLICANT
    raise NotFound(gettext("We could not find that page."))


async def party_of_user_id(session: AsyncSession, user_id: int, chat: Conversation) -> Party | None:
    """Like :func:`party_of` for a socket, which knows only its user's id."""
    if chat.recruiter_user_id == user_id:
        return Party.RECRUITER
    if await _applicant_user(session, chat.applicant_id) == user_id:
        return Party.APPLICANT
    return None


async def chat_timezone(session: AsyncSession, chat: Conversation) -> str:
    """The zone the chat's times are shown in: its fair's (as the fair's slots)."""
    fair = await session.get(Fair, chat.fair_id)
    return fair.timezone if fair is not None and fair.timezone else DEFAULT_TIMEZONE


async def conversation_for(
    session: AsyncSession, user: User, conversation_id: int
) -> tuple[Conversation, Party]:
    chat = await session.get(Conversation, conversation_id)
    if chat is None:
        raise NotFound(gettext("We could not find that page."))
    return chat, await party_of(session, user, chat)


async def send_message(
    session: AsyncSession, *, user: User, conversation_id: int, body: str, now: datetime
) -> ChatMessage:
    """Store one message (flushed: it has its id before the caller acknowledges it)."""
    body = body.strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationFailed(gettext("Write a message."), fields={"body": "required"})
    if len(body) > MAX_MESSAGE:
        raise ValidationFailed(
            gettext("A message can be at most %(count)s characters.") % {"count": MAX_MESSAGE},
            fields={"body": "too_long"},
        )
    chat = await session.get(Conversation, conversation_id)
    if chat is None:
        raise NotFound(gettext("We could not find that page."))
    # Looked up once, for the sender's side and for whom the change is signalled.
    applicant_user = await _applicant_user(session, chat.applicant_id)
    party = _party(user, chat, applicant_user)
    _require_running(chat, now)
    await _require_not_blocked(session, chat.fair_id, user.id)
    message = ChatMessage(conversation_id=chat.id, sender=party, body=body, created_at=now)
    session.add(message)
    await session.flush()
    await _changed(session, chat, applicant_user)
    return message


async def _system_message(
    session: AsyncSession, chat: Conversation, body: str, now: datetime
) -> None:
    session.add(
        ChatMessage(conversation_id=chat.id, sender=Party.SYSTEM, body=body, created_at=now)
    )
    await session.flush()


async def end(
    session: AsyncSession, *, user: User, conversation_id: int, now: datetime
) -> Conversation:
    chat, party = await conversation_for(session, user, conversation_id)
    if time_is_up(chat, now):
        # Ending a chat whose time ran out before the sweep came: the timer ended it.
        await _end_by_timer(session, chat, now)
    elif chat.ended_at is None:
        await _finish(session, chat, at=now, by=party, actor_user_id=user.id, now=now)
    return chat


async def _end_by_timer(session: AsyncSession, chat: Conversation, now: datetime) -> bool:
    """End ``chat``, whose time is up, once (see :func:`_finish`)."""
    deadline = ends_at(chat)
    assert deadline is not None
    # Ended when the time was up, not when someone noticed: the booth's median chat
    # length (the queue's wait estimate) stays true.
    return await _finish(
        session, chat, at=min(now, deadline), by=ENDED_BY_TIMER, actor_user_id=None, now=now
    )


async def _finish(
    session: AsyncSession,
    chat: Conversation,
    *,
    at: datetime,
    by: str,
    actor_user_id: int | None,
    now: datetime,
) -> bool:
    """End ``chat`` at ``at`` by ``by`` (a party or the timer), once: claimed by a
    conditional UPDATE (``ended_at`` still NULL), so two ends at once (both parties, a
    party and a block, two sweeps, a sweep and an action) end it once. The ended line,
    the audit, the two sockets and the queue (a chat place is free again) follow."""
    claimed = await session.execute(
        update(Conversation)
        .where(Conversation.id == chat.id, Conversation.ended_at.is_(None))
        .values(ended_at=at, ended_by=by)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(chat)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await _system_message(session, chat, "ended", now)
    audit.record(
        session,
        "chat.ended",
        object_type="conversation",
        object_id=chat.id,
        actor_user_id=actor_user_id,
        fair_id=chat.fair_id,
        data={"by": ENDED_BY_TIMER} if by == ENDED_BY_TIMER else None,
    )
    await _changed(session, chat)
    signals.queue_changed(session, chat.booth_id, fair_id=chat.fair_id)
    return True


async def end_timed_out(
    session: AsyncSession, now: datetime, *, conversation_id: int | None = None
) -> int:
    """End the open chats whose timer has run out (one, or all: the sweep); returns how
    many this call ended."""
    query = select(Conversation).where(
        Conversation.ended_at.is_(None), Conversation.timer_minutes.is_not(None)
    )
    if conversation_id is not None:
        query = query.where(Conversation.id == conversation_id)
    # Open chats are few (recruiters online × the parallel cap): the deadline is worked
    # out here rather than in each dialect's date arithmetic.
    ended = 0
    for chat in list(await session.scalars(query.order_by(Conversation.id))):
        if time_is_up(chat, now) and await _end_by_timer(session, chat, now):
            ended += 1
    return ended


async def hand_off(
    session: AsyncSession, *, user: User, conversation_id: int, to_user_id: int, now: datetime
) -> Conversation:
    """Pass an open chat to a colleague of the same company."""
    chat, party = await conversation_for(session, user, conversation_id)
    if party != Party.RECRUITER:
        raise Conflict(gettext("This chat has ended."))
    _require_running(chat, now)
    booth = await session.get(Booth, chat.booth_id)
    assert booth is not None
    colleague = await session.scalar(
        select(User)
        .join(Recruiter, Recruiter.user_id == User.id)
        .where(
            User.id == to_user_id,
            User.is_active.is_(True),
            Recruiter.company_id == booth.company_id,
        )
    )
    if colleague is None or colleague.id == user.id:
        raise ValidationFailed(
            gettext("Choose a colleague of your company."), fields={"to": "invalid"}
        )
    previous = chat.recruiter_user_id
    chat.recruiter_user_id = colleague.id
    await _system_message(session, chat, "handed_off", now)
    audit.record(
        session,
        "chat.handed_off",
        object_type="conversation",
        object_id=chat.id,
        actor_user_id=user.id,
        fair_id=chat.fair_id,
        data={"to_user_id": colleague.id},
    )
    await _changed(session, chat)
    if previous is not None:
        signals.conversation_changed(session, chat.id, previous)
    signals.queue_changed(session, chat.booth_id, fair_id=chat.fair_id)
    return chat


async def set_video_link(
    session: AsyncSession, *, user: User, conversation_id: int, url: str, now: datetime
) -> Conversation:
    url = url.strip() if isinstance(url, str) else ""
    if not is_http_url(url):
        raise ValidationFailed(
            gettext("Enter a web address starting with http:// or https://."),
            fields={"video_url": "invalid"},
        )
    chat, party = await conversation_for(session, user, conversation_id)
    if party != Party.RECRUITER:
        raise Conflict(gettext("This chat has ended."))
    _require_running(chat, now)
    chat.video_url = url
    await _system_message(session, chat, "video", now)
    audit.record(
        session,
        "chat.video_link_set",
        object_type="conversation",
        object_id=chat.id,
        actor_user_id=user.id,
        fair_id=chat.fair_id,
    )
    await _changed(session, chat)
    return chat


async def share_cv(
    session: AsyncSession, *, user: User, conversation_id: int, now: datetime
) -> Conversation:
    chat, party = await conversation_for(session, user, conversation_id)
    if party != Party.APPLICANT:
        raise Conflict(gettext("This chat has ended."))
    _require_running(chat, now)
    if not chat.cv_shared:
        chat.cv_shared = True
        await _system_message(session, chat, "cv_shared", now)
        audit.record(
            session,
            "chat.cv_shared",
            object_type="conversation",
            object_id=chat.id,
            actor_user_id=user.id,
            fair_id=chat.fair_id,
        )
        await _changed(session, chat)
    return chat


async def record_outcome(
    session: AsyncSession,
    *,
    user: User,
    conversation_id: int,
    note: str,
    interest: str | None,
    invited_vacancy_id: int | None,
    now: datetime,
    base_url: str = "",
    vacancy_path: Callable[[str, int], str] | None = None,
) -> Conversation:
    """The recruiter's note, tertarik / tidak tertarik and an invitation to apply to a
    vacancy of the booth; shown in the company's screening table. A new invitation is
    sent to the applicant, in-app and by e-mail, linking to the vacancy's page
    (``vacancy_path(fair slug, vacancy id)``), where they apply."""
    chat = await session.get(Conversation, conversation_id)
    if chat is None:
        raise NotFound(gettext("We could not find that page."))
    booth = await session.get(Booth, chat.booth_id)
    assert booth is not None
    await membership_of_booth(session, user, booth)
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            gettext("A note can be at most %(count)s characters.") % {"count": MAX_NOTE},
            fields={"note": "too_long"},
        )
    if interest is not None and interest not in set(Interest):
        raise ValidationFailed(gettext("Choose an answer."), fields={"interest": "invalid"})
    if invited_vacancy_id is not None:
        found = await session.scalar(
            # Only a vacancy the applicant can open and apply to (the console offers no other).
            select(Vacancy.id).where(
                Vacancy.id == invited_vacancy_id, Vacancy.booth_id == booth.id, is_public()
            )
        )
        if found is None:
            raise ValidationFailed(
                gettext("Choose a vacancy of this booth."), fields={"vacancy": "invalid"}
            )
    invited_before = chat.invited_vacancy_id
    chat.note = note or None
    chat.interest = interest
    chat.invited_vacancy_id = invited_vacancy_id
    await session.flush()
    if invited_vacancy_id is not None and invited_vacancy_id != invited_before:
        await _invite_to_apply(
            session,
            chat,
            booth,
            invited_vacancy_id,
            now=now,
            base_url=base_url,
            vacancy_path=vacancy_path,
        )
    audit.record(
        session,
        "chat.outcome_recorded",
        object_type="conversation",
        object_id=chat.id,
        actor_user_id=user.id,
        fair_id=chat.fair_id,
        data={"interest": interest, "vacancy_id": invited_vacancy_id},
    )
    await _changed(session, chat)
    return chat


async def _invite_to_apply(
    session: AsyncSession,
    chat: Conversation,
    booth: Booth,
    vacancy_id: int,
    *,
    now: datetime,
    base_url: str,
    vacancy_path: Callable[[str, int], str] | None,
) -> None:
    """Tell the chat's applicant that the company invites them to apply (once per chat
    and vacancy: the mail's dedupe key). An erased applicant has nobody to tell."""
    user = await session.scalar(
        select(User)
        .join(Applicant, Applicant.user_id == User.id)
        .where(Applicant.id == chat.applicant_id)
    )
    if user is None:
        return
    title, company, slug = (
        await session.execute(
            select(Vacancy.title, Company.name, Fair.slug)
            .select_from(Vacancy)
            .join(Booth, Booth.id == Vacancy.booth_id)
            .join(Company, Company.id == Booth.company_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(Vacancy.id == vacancy_id)
        )
    ).one()
    path = vacancy_path(slug, vacancy_id) if vacancy_path else None
    await notifications.tell(
        session,
        user=user,
        kind=notifications.APPLY_INVITATION,
        params={"vacancy": title, "company": company, "vacancy_id": vacancy_id, "link": path},
        path=path,
        base_url=base_url,
        now=now,
        dedupe_key=f"chat-invitation:{chat.id}:{vacancy_id}",
        subject=N_("A company invites you to apply"),
        body=N_(
            "After your chat at its booth, %(company)s invites you to apply for the vacancy "
            "%(vacancy)s. Open the vacancy to apply."
        ),
        words={"company": company, "vacancy": title},
    )


async def set_timer(
    session: AsyncSession, *, user: User, company_id: int, minutes: int | None
) -> None:
    if minutes is not None and not 1 <= minutes <= MAX_TIMER_MINUTES:
        raise ValidationFailed(
            gettext("Choose between 1 and %(count)s minutes.") % {"count": MAX_TIMER_MINUTES},
            fields={"timer_minutes": "invalid"},
        )
    setting = await session.get(ChatSetting, company_id)
    if setting is None:
        setting = ChatSetting(company_id=company_id)
        session.add(setting)
    setting.timer_minutes = minutes
    await session.flush()
    audit.record(
        session,
        "chat.timer_set",
        object_type="company",
        object_id=company_id,
        actor_user_id=user.id,
        data={"minutes": minutes},
    )


async def timer_of(session: AsyncSession, company_id: int) -> int | None:
    return await session.scalar(
        select(ChatSetting.timer_minutes).where(ChatSetting.company_id == company_id)
    )


# ------------------------------------------------------------------ reading


def _user_conversations(user_id: int, fair_id: int) -> Any:
    """The ids of the conversations of the fair the user is a party to now (a SELECT).

    Two branches, each on its own index (the recruiter's, the applicant's), instead of
    one ``OR``: with the ``OR`` SQLite walks every conversation of the fair, and a
    delivery runs this for both parties of every message."""
    as_recruiter = select(Conversation.id).where(
        Conversation.recruiter_user_id == user_id, Conversation.fair_id == fair_id
    )
    as_applicant = (
        select(Conversation.id)
        .join(Applicant, Applicant.id == Conversation.applicant_id)
        .where(Applicant.user_id == user_id, Conversation.fair_id == fair_id)
    )
    return union_all(as_recruiter, as_applicant)


def _after(conversations: Any, after_id: int, limit: int) -> Any:
    return (
        select(ChatMessage)
        .where(ChatMessage.conversation_id.in_(conversations), ChatMessage.id > after_id)
        .order_by(ChatMessage.id)
        .limit(limit)
    )


async def messages_after(
    session: AsyncSession, conversation_ids: list[int], after_id: int, limit: int = BACKLOG_LIMIT
) -> list[ChatMessage]:
    if not conversation_ids:
        return []
    return list(await session.scalars(_after(conversation_ids, after_id, limit)))


async def user_messages_after(
    session: AsyncSession, user_id: int, fair_id: int, after_id: int, limit: int = BACKLOG_LIMIT
) -> list[ChatMessage]:
    """The messages after ``after_id`` of every conversation of the fair the user is a
    party to now, in id order: what a socket is sent, read in one statement (a delivery
    runs for both parties of every message)."""
    return list(
        await session.scalars(_after(_user_conversations(user_id, fair_id), after_id, limit))
    )


async def party_names(session: AsyncSession, chat: Conversation) -> tuple[str, str]:
    """The applicant's and the recruiter's names, as the chat shows them."""
    applicant_user = await _applicant_user(session, chat.applicant_id)
    names = []
    for user_id in (applicant_user, chat.recruiter_user_id):
        user = await session.get(User, user_id) if user_id is not None else None
        names.append(user.full_name if user is not None else "")
    return names[0], names[1]


async def transcript(session: AsyncSession, conversation_id: int) -> list[ChatMessage]:
    rows = await session.scalars(
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation_id)
        .order_by(ChatMessage.id)
    )
    return list(rows)


async def may_see_cv(session: AsyncSession, chat: Conversation) -> bool:
    """The recruiter may open the CV only if the applicant applied to this company (the
    rule of services.applicants.open_cv) or shared it in a chat with it."""
    if chat.cv_shared:
        return True
    return await application_for_cv(session, chat) is not None


async def application_for_cv(session: AsyncSession, chat: Conversation) -> int | None:
    """An application of the chat's applicant to the chat's company that gives the
    company access to their documents (the link to its CV), if any."""
    booth = await session.get(Booth, chat.booth_id)
    assert booth is not None
    return await session.scalar(
        select(Application.id)
        .join(Booth, Booth.id == Application.booth_id)
        .where(
            Application.applicant_id == chat.applicant_id,
            company_reaches(booth.company_id),
            gives_company_access(Application.status),
        )
        .order_by(Application.id.desc())
        .limit(1)
    )


async def company_shared_with(
    session: AsyncSession, viewer_user_id: int, applicant_id: int
) -> int | None:
    """The company of ``viewer_user_id`` the applicant shared their CV with in a booth
    chat (None: not shared); used by services.applicants.open_cv."""
    return await session.scalar(
        select(Recruiter.company_id)
        .join(Booth, Booth.company_id == Recruiter.company_id)
        .join(Conversation, Conversation.booth_id == Booth.id)
        .where(
            Recruiter.user_id == viewer_user_id,
            Conversation.applicant_id == applicant_id,
            Conversation.cv_shared.is_(True),
            company_reaches(Recruiter.company_id),
        )
        .limit(1)
    )


async def ended_without_outcome(
    session: AsyncSession, user_id: int, booth_id: int, limit: int = 10
) -> list[Conversation]:
    """The recruiter's latest ended chats at the booth, for the outcome form."""
    rows = await session.scalars(
        select(Conversation)
        .where(
            Conversation.recruiter_user_id == user_id,
            Conversation.booth_id == booth_id,
            Conversation.ended_at.is_not(None),
            Conversation.interest.is_(None),
        )
        .order_by(Conversation.ended_at.desc())
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True)
class ChatOutcome:
    """What the screening table and the application page show of a chat."""

    note: str | None
    interest: str | None
    invited_vacancy: str | None  # the title of the vacancy the applicant was invited to


async def outcomes_by_applicant(
    session: AsyncSession, company_id: int, applicant_ids: list[int]
) -> dict[int, ChatOutcome]:
    """The latest conversation outcome each applicant had with the company's booths (for
    the screening table and the application page)."""
    if not applicant_ids:
        return {}
    rows = await session.execute(
        select(Conversation.applicant_id, Conversation.note, Conversation.interest, Vacancy.title)
        .join(Booth, Booth.id == Conversation.booth_id)
        .outerjoin(Vacancy, Vacancy.id == Conversation.invited_vacancy_id)
        .where(
            Booth.company_id == company_id,
            Conversation.applicant_id.in_(applicant_ids),
            or_(Conversation.note.is_not(None), Conversation.interest.is_not(None)),
        )
        .order_by(Conversation.id)
    )
    return {
        applicant_id: ChatOutcome(note, interest, title)
        for applicant_id, note, interest, title in rows
    }


# ------------------------------------------------------------------ abuse


async def report_abuse(
    session: AsyncSession, *, user: User, conversation_id: int, reason: str, now: datetime
) -> AbuseReport:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(gettext("Say what happened."), fields={"reason": "required"})
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            gettext("Keep it under %(count)s characters.") % {"count": MAX_REASON},
            fields={"reason": "too_long"},
        )
    chat, party = await conversation_for(session, user, conversation_id)
    if party != Party.APPLICANT:
        raise PermissionDenied(gettext("This is for job seekers' accounts."))
    report = AbuseReport(
        fair_id=chat.fair_id,
        conversation_id=chat.id,
        reporter_user_id=user.id,
        reported_user_id=chat.recruiter_user_id,
        reason=reason,
        created_at=now,
    )
    session.add(report)
    await session.flush()
    audit.record(
        session,
        "chat.abuse_reported",
        object_type="conversation",
        object_id=chat.id,
        actor_user_id=user.id,
        fair_id=chat.fair_id,
    )
    return report


@dataclass(frozen=True)
class ReportRow:
    report: AbuseReport
    reported_name: str | None
    blocked: bool
    messages: list[ChatMessage]


async def abuse_reports(
    session: AsyncSession, user: User, fair_slug: str
) -> tuple[Fair, list[ReportRow]]:
    """The fair's abuse reports, each with its transcript (the organiser sees a
    transcript only through a report)."""
    fair = await authority.scoped_fair(session, user, fair_slug)
    reports = list(
        await session.scalars(
            select(AbuseReport)
            .where(AbuseReport.fair_id == fair.id)
            .order_by(AbuseReport.id.desc())
        )
    )
    blocked = set(
        await session.scalars(select(ChatBlock.user_id).where(ChatBlock.fair_id == fair.id))
    )
    rows = []
    for report in reports:
        name = None
        if report.reported_user_id is not None:
            reported = await session.get(User, report.reported_user_id)
            name = reported.full_name if reported is not None else None
        rows.append(
            ReportRow(
                report=report,
                reported_name=name,
                blocked=report.reported_user_id in blocked,
                messages=await transcript(session, report.conversation_id),
            )
        )
    return fair, rows


async def block_user(
    session: AsyncSession, *, user: User, fair_slug: str, report_id: int, now: datetime
) -> ChatBlock | None:
    """Block the user a report is about from chatting in the fair; their open chats
    there end."""
    fair = await authority.scoped_fair(session, user, fair_slug)
    report = await session.get(AbuseReport, report_id)
    if report is None or report.fair_id != fair.id:
        raise NotFound(gettext("We could not find that page."))
    target = report.reported_user_id
    if target is None:
        return None
    block = await session.scalar(
        select(ChatBlock).where(ChatBlock.fair_id == fair.id, ChatBlock.user_id == target)
    )
    if block is not None:
        return block
    block = ChatBlock(fair_id=fair.id, user_id=target, blocked_by_user_id=user.id, created_at=now)
    session.add(block)
    for chat in await open_chats_of(session, target):
        if chat.fair_id == fair.id:
            chat.ended_at = now
            chat.ended_by = Party.SYSTEM
            await _system_message(session, chat, "ended", now)
            await _changed(session, chat)
            signals.queue_changed(session, chat.booth_id, fair_id=chat.fair_id)
    await session.flush()
    audit.record(
        session,
        "chat.user_blocked",
        object_type="user",
        object_id=target,
        actor_user_id=user.id,
        fair_id=fair.id,
    )
    return block


# ------------------------------------------------------------------ privacy


async def export_for(session: AsyncSession, applicant_id: int) -> list[dict[str, Any]]:
    """The applicant's booth chats for their data export (UU PDP right of access): each
    with its company, times, video link, the whole transcript and the recruiter's
    outcome (what was written about them), not who wrote it."""
    rows = (
        await session.execute(
            select(Conversation, Company.name)
            .join(Booth, Booth.id == Conversation.booth_id)
            .join(Company, Company.id == Booth.company_id)
            .where(Conversation.applicant_id == applicant_id)
            .order_by(Conversation.id)
        )
    ).all()
    chats = []
    for chat, company in rows:
        messages = await transcript(session, chat.id)
        chats.append(
            {
                "company": company,
                "started_at": chat.started_at.isoformat(),
                "ended_at": chat.ended_at.isoformat() if chat.ended_at else None,
                "video_url": chat.video_url,
                "note": chat.note,
                "interest": chat.interest,
                "messages": [
                    {"sender": m.sender, "body": m.body, "at": m.created_at.isoformat()}
                    for m in messages
                ],
            }
        )
    return chats


async def erase_applicant(session: AsyncSession, applicant_id: int) -> None:
    """The applicant's chats, their messages and reports, and their queue places go
    with the account (services.applicants.delete_account)."""
    from sqlalchemy import delete

    await session.execute(delete(QueueEntry).where(QueueEntry.applicant_id == applicant_id))
    chat_ids = select(Conversation.id).where(Conversation.applicant_id == applicant_id)
    await session.execute(delete(ChatMessage).where(ChatMessage.conversation_id.in_(chat_ids)))
    await session.execute(delete(AbuseReport).where(AbuseReport.conversation_id.in_(chat_ids)))
    await session.execute(delete(Conversation).where(Conversation.applicant_id == applicant_id))


def fairs_past_retention(now: datetime, retention_days: int) -> Any:
    """The ids of the fairs whose personal data is due for the purge: closed more than
    ``retention_days`` ago (JOBFAIR_RETENTION_DAYS). The one rule of the booth chats'
    purge here and of the slot bookings' and booth messages' (services.booth_slots)."""
    return select(Fair.id).where(Fair.closes_at < now - timedelta(days=retention_days))


async def purge_closed_fairs(session: AsyncSession, now: datetime, retention_days: int) -> int:
    """Delete the chats (transcripts, outcomes, reports) and queue places of fairs that
    closed more than ``retention_days`` ago (JOBFAIR_RETENTION_DAYS); returns how many
    conversations went. Blocks stay: they record a decision about a user, not a chat."""
    from sqlalchemy import delete

    fairs = fairs_past_retention(now, retention_days)
    chat_ids = select(Conversation.id).where(Conversation.fair_id.in_(fairs))
    count = await session.scalar(
        select(func.count()).select_from(Conversation).where(Conversation.fair_id.in_(fairs))
    )
    await session.execute(delete(ChatMessage).where(ChatMessage.conversation_id.in_(chat_ids)))
    await session.execute(delete(AbuseReport).where(AbuseReport.conversation_id.in_(chat_ids)))
    await session.execute(delete(Conversation).where(Conversation.fair_id.in_(fairs)))
    await session.execute(delete(QueueEntry).where(QueueEntry.fair_id.in_(fairs)))
    return int(count or 0)
