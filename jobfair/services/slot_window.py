"""When a booked 1:1 slot is "on": the one rule the booth's slots (services.booth_slots)
and the chat queue (services.conversations, which puts the slot's applicant at the head)
both read.

It lives apart from :mod:`jobfair.services.booth_slots` because that module reaches the
applicant services, whose erasure reaches the conversations; this one needs only the
models, so the queue can ask it without an import cycle.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.models import BookingState, BoothSlot, SlotBooking

SLOT_MINUTES_MIN = 10
SLOT_MINUTES_MAX = 30
# How early "your slot is now" shows (and the lead puts the applicant at the head of the
# booth's queue): a few minutes, so a punctual applicant is ready at the start.
LEAD_IN = timedelta(minutes=5)


def aware(moment: datetime) -> datetime:
    """``moment`` as an aware UTC instant (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def current_booking(
    session: AsyncSession, *, booth_id: int, applicant_id: int, now: datetime
) -> SlotBooking | None:
    """The applicant's booking at the booth whose slot is on at ``now``: from LEAD_IN
    (five minutes) before its start to its end. The queue puts its applicant first."""
    rows = await session.execute(
        select(SlotBooking, BoothSlot)
        .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
        .where(
            SlotBooking.booth_id == booth_id,
            SlotBooking.applicant_id == applicant_id,
            SlotBooking.state == BookingState.BOOKED,
            BoothSlot.cancelled_at.is_(None),
            BoothSlot.starts_at <= now + LEAD_IN,
            BoothSlot.starts_at > now - timedelta(minutes=SLOT_MINUTES_MAX),
        )
    )
    for booking, slot in rows:
        if aware(slot.starts_at) - LEAD_IN <= now < aware(slot.ends_at):
            return booking
    return None
