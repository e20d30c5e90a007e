"""Booth outcomes: the figures of booth conversations, left messages and booked slots.

One home per figure: the booth-slot pages (services/booth_slots.py re-exports these),
the fair report (stats/compile.py) and its tests all call the functions here. Each is an
SQL aggregate grouped by company; medians are window functions (``ROW_NUMBER`` /
``COUNT``), as the report computes its responsiveness median, never a list of
durations brought into Python. The definitions are worded in stats/definitions.py
(table ``booth_conversations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from jobfair.db.aggregates import count_if, hours_between
from jobfair.models import Application, BookingState, Booth, BoothMessage, BoothSlot, SlotBooking
from jobfair.models.conversations import Conversation, QueueEntry


@dataclass(frozen=True)
class SlotFigures:
    """Slots offered (published, not cancelled), booked (held by a booking: booked,
    attended or missed) and attended, for one company (``company_id``) or the fair."""

    company_id: int | None
    offered: int
    booked: int
    attended: int


def _slot_totals() -> tuple[Any, ...]:
    live = BoothSlot.cancelled_at.is_(None)
    return (
        count_if(live),
        count_if(and_(live, SlotBooking.id.is_not(None))),
        count_if(and_(live, SlotBooking.state == BookingState.ATTENDED)),
    )


async def slot_figures(session: AsyncSession, fair_id: int) -> list[SlotFigures]:
    """Per company of the fair (companies with slots), by company id."""
    rows = await session.execute(
        select(Booth.company_id, *_slot_totals())
        .select_from(BoothSlot)
        .join(Booth, Booth.id == BoothSlot.booth_id)
        .outerjoin(SlotBooking, SlotBooking.active_slot_id == BoothSlot.id)
        .where(Booth.fair_id == fair_id)
        .group_by(Booth.company_id)
        .order_by(Booth.company_id)
    )
    return [SlotFigures(int(c), int(o), int(b), int(a)) for c, o, b, a in rows]


async def fair_slot_figures(session: AsyncSession, fair_id: int) -> SlotFigures:
    row = (
        await session.execute(
            select(*_slot_totals())
            .select_from(BoothSlot)
            .join(Booth, Booth.id == BoothSlot.booth_id)
            .outerjoin(SlotBooking, SlotBooking.active_slot_id == BoothSlot.id)
            .where(Booth.fair_id == fair_id)
        )
    ).one()
    return SlotFigures(None, int(row[0]), int(row[1]), int(row[2]))


@dataclass(frozen=True)
class MessageFigures:
    """Messages left and answered, and the median hours from a message to its answer
    (None without answers), for one company (``company_id``) or the fair (None)."""

    company_id: int | None
    left: int
    answered: int
    median_hours_to_answer: float | None


async def message_figures(session: AsyncSession, fair_id: int) -> list[MessageFigures]:
    """Per company of the fair with messages, by company id, then the fair's (last)."""
    counts = await session.execute(
        select(
            Booth.company_id,
            func.count(BoothMessage.id),
            count_if(BoothMessage.answered_at.is_not(None)),
        )
        .join(Booth, Booth.id == BoothMessage.booth_id)
        .where(Booth.fair_id == fair_id)
        .group_by(Booth.company_id)
        .order_by(Booth.company_id)
    )
    per_company = [(int(c), int(left), int(done)) for c, left, done in counts]
    durations = (
        select(
            Booth.company_id.label("company_id"),
            hours_between(BoothMessage.answered_at, BoothMessage.created_at).label("duration"),
        )
        .join(Booth, Booth.id == BoothMessage.booth_id)
        .where(Booth.fair_id == fair_id, BoothMessage.answered_at.is_not(None))
        .subquery("durations")
    )
    medians = await _medians(session, durations)
    figures = [
        MessageFigures(company, left, done, medians.get(company))
        for company, left, done in per_company
    ]
    figures.append(
        MessageFigures(
            None,
            sum(left for _c, left, _d in per_company),
            sum(done for _c, _l, done in per_company),
            medians.get(None),
        )
    )
    return figures


async def _medians(session: AsyncSession, durations: Any) -> dict[int | None, float]:
    """The median of ``durations.c.duration`` per ``durations.c.company_id`` and (key None)
    over all rows: the middle row (odd n) or the mean of the middle two, rounded to
    hundredths (of the unit the durations are in: hours, minutes)."""
    result: dict[int | None, float] = {}
    for partition in (durations.c.company_id, None):
        over: dict[str, Any] = {"order_by": durations.c.duration}
        if partition is not None:
            over["partition_by"] = partition
        ranked = select(
            durations.c.company_id,
            durations.c.duration,
            func.row_number().over(**over).label("position"),
            func.count().over(**{**over, "rows": (None, None)}).label("n"),
        ).subquery("ranked")
        middle = ranked.c.position.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])
        if partition is not None:
            query: Any = (
                select(ranked.c.company_id, func.avg(ranked.c.duration))
                .where(middle)
                .group_by(ranked.c.company_id)
            )
            for company, value in await session.execute(query):
                result[int(company)] = round(float(value), 2)
        else:
            value = await session.scalar(select(func.avg(ranked.c.duration)).where(middle))
            if value is not None:
                result[None] = round(float(value), 2)
    return result


@dataclass(frozen=True)
class ConversationFigures:
    """Booth conversations of one company (``company_id``) or the fair (None).

    ``held``: conversations started at the company's booth (from the queue, a booked
    slot or a hand-off). ``queue_joins``: queue entries at the booth; ``reached``: those
    that a recruiter took (a conversation names the entry). ``median_wait_minutes``: the
    median minutes of taken − joined over the conversations taken from the queue (None without
    any). ``applications_after``: applications of the fair to the company's vacancies
    submitted after a conversation of the same applicant at the company's booth started,
    counted as the report's Applications are (``stats.compile``: every application of
    the fair, withdrawn ones included — definitions ``applications``), so the two agree.
    """

    company_id: int | None
    held: int
    queue_joins: int
    reached: int
    median_wait_minutes: float | None
    applications_after: int


async def conversation_figures(session: AsyncSession, fair_id: int) -> list[ConversationFigures]:
    """Per company of the fair with any of these figures, by company id, then the fair's
    (last)."""
    held = dict(
        (
            await session.execute(
                select(Booth.company_id, func.count(Conversation.id))
                .join(Booth, Booth.id == Conversation.booth_id)
                .where(Booth.fair_id == fair_id)
                .group_by(Booth.company_id)
            )
        ).all()
    )
    # One queue entry may lead to several conversations (a hand-off): count entries.
    joins: dict[int, tuple[int, int]] = {
        int(company): (int(total), int(reached))
        for company, total, reached in await session.execute(
            select(
                Booth.company_id,
                func.count(distinct(QueueEntry.id)),
                func.count(distinct(case((Conversation.id.is_not(None), QueueEntry.id)))),
            )
            .select_from(QueueEntry)
            .join(Booth, Booth.id == QueueEntry.booth_id)
            .outerjoin(Conversation, Conversation.queue_entry_id == QueueEntry.id)
            .where(Booth.fair_id == fair_id)
            .group_by(Booth.company_id)
        )
    }
    chat_booth = aliased(Booth)
    app_booth = aliased(Booth)
    followed = exists().where(
        Conversation.booth_id == chat_booth.id,
        chat_booth.company_id == app_booth.company_id,
        Conversation.fair_id == fair_id,
        Conversation.applicant_id == Application.applicant_id,
        Conversation.started_at < Application.submitted_at,
    )
    after = dict(
        (
            await session.execute(
                select(app_booth.company_id, func.count(Application.id))
                .join(app_booth, app_booth.id == Application.booth_id)
                .where(Application.fair_id == fair_id, followed)
                .group_by(app_booth.company_id)
            )
        ).all()
    )
    waits = (
        select(
            Booth.company_id.label("company_id"),
            # In minutes: a queue wait is minutes long (Presenter.minutes shows it).
            (hours_between(Conversation.started_at, QueueEntry.joined_at) * 60).label("duration"),
        )
        .select_from(Conversation)
        .join(QueueEntry, QueueEntry.id == Conversation.queue_entry_id)
        .join(Booth, Booth.id == Conversation.booth_id)
        .where(Booth.fair_id == fair_id)
        .subquery("durations")
    )
    medians = await _medians(session, waits)
    companies = sorted({int(c) for c in (*held, *joins, *after)})
    figures = [
        ConversationFigures(
            company,
            int(held.get(company, 0)),
            joins.get(company, (0, 0))[0],
            joins.get(company, (0, 0))[1],
            medians.get(company),
            int(after.get(company, 0)),
        )
        for company in companies
    ]
    figures.append(
        ConversationFigures(
            None,
            sum(f.held for f in figures),
            sum(f.queue_joins for f in figures),
            sum(f.reached for f in figures),
            medians.get(None),
            sum(f.applications_after for f in figures),
        )
    )
    return figures
