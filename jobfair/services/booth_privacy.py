"""The applicant's booked 1:1 slots and the messages they left booths, for the privacy
rights: the data export (UU PDP right of access) and the retention purge, by the booth
chats' rules (:mod:`jobfair.services.conversations`). Erasing the account is
:func:`jobfair.services.applicants.delete_account`'s (it blanks the messages and frees
the coming slots).

A module of its own: :mod:`jobfair.services.applicants` calls the export, and
:mod:`jobfair.services.booth_slots` imports ``applicants``, so there it would be an
import cycle.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.models import Booth, BoothMessage, BoothSlot, Company, Fair, SlotBooking, Vacancy
from jobfair.services.conversations import fairs_past_retention
from jobfair.services.slot_window import aware as _aware


async def export_for(session: AsyncSession, applicant_id: int) -> dict[str, list[dict[str, Any]]]:
    """The applicant's slot bookings and the messages they left booths, with the
    companies' answers, for their data export (UU PDP right of access), as the booth
    chats are (services.conversations.export_for): what they did and what was written
    to them, not which recruiter wrote it."""
    bookings = await session.execute(
        select(SlotBooking, BoothSlot, Fair.slug, Company.name)
        .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
        .join(Booth, Booth.id == SlotBooking.booth_id)
        .join(Fair, Fair.id == Booth.fair_id)
        .join(Company, Company.id == Booth.company_id)
        .where(SlotBooking.applicant_id == applicant_id)
        .order_by(SlotBooking.id)
    )
    messages = await session.execute(
        select(BoothMessage, Fair.slug, Company.name, Vacancy.title)
        .join(Booth, Booth.id == BoothMessage.booth_id)
        .join(Fair, Fair.id == Booth.fair_id)
        .join(Company, Company.id == Booth.company_id)
        .outerjoin(Vacancy, Vacancy.id == BoothMessage.vacancy_id)
        .where(BoothMessage.applicant_id == applicant_id)
        .order_by(BoothMessage.id)
    )

    def moment(value: datetime | None) -> str | None:
        return _aware(value).isoformat() if value else None

    return {
        "slot_bookings": [
            {
                "fair": fair_slug,
                "company": company,
                "starts_at": moment(slot.starts_at),
                "minutes": slot.minutes,
                "state": booking.state,
                "booked_at": moment(booking.created_at),
                "cancelled_at": moment(booking.cancelled_at),
                "marked_at": moment(booking.marked_at),
            }
            for booking, slot, fair_slug, company in bookings
        ],
        "booth_messages": [
            {
                "fair": fair_slug,
                "company": company,
                "vacancy": vacancy,
                "body": message.body,
                "left_at": moment(message.created_at),
                "answer": message.answer,
                "answered_at": moment(message.answered_at),
            }
            for message, fair_slug, company, vacancy in messages
        ],
    }


async def purge_closed_fairs(
    session: AsyncSession, now: datetime, retention_days: int
) -> tuple[int, int]:
    """Delete the slot bookings and booth messages of the fairs past the retention
    period, by the booth chats' rule (services.conversations.fairs_past_retention);
    returns how many bookings and messages went. The slots stay: they are what the
    company offered, not anyone's personal data."""
    booths = select(Booth.id).where(Booth.fair_id.in_(fairs_past_retention(now, retention_days)))
    counts = []
    for model in (SlotBooking, BoothMessage):
        counts.append(
            await session.scalar(
                select(func.count()).select_from(model).where(model.booth_id.in_(booths))
            )
            or 0
        )
        await session.execute(delete(model).where(model.booth_id.in_(booths)))
    return int(counts[0]), int(counts[1])
