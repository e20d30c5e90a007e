"""Booked 1:1 slots at a booth, and the messages applicants leave a booth.

A slot is a short time (10–30 minutes) a company offers for one applicant; a booking
holds it. Double booking is refused by the database itself, on SQLite and PostgreSQL
alike: a booking that holds its slot (booked, attended or missed) carries the slot's id
in ``active_slot_id`` and its booth's in ``active_booth_id``, both unique (with the
applicant for the booth), and a cancelled booking sets them to NULL, which unique
constraints never compare. So two concurrent bookings of one slot, or one applicant's two
bookings at one company's booth, cannot both commit, whatever the isolation level.

The rules live in :mod:`jobfair.services.booth_slots`.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow
from jobfair.i18n import N_, gettext


class BookingState(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    MISSED = "missed"


BOOKING_STATE_LABELS = {
    BookingState.BOOKED: N_("Booked"),
    BookingState.CANCELLED: N_("Cancelled"),
    BookingState.ATTENDED: N_("Attended"),
    BookingState.MISSED: N_("Missed"),
}


def booking_state_label(code: str) -> str:
    """A booking's state as the applicant reads it, in the current language."""
    words = BOOKING_STATE_LABELS.get(code)
    return gettext(words) if words else code


class BoothSlot(Base):
    """A 1:1 slot a company offers at its booth (capacity one)."""

    __tablename__ = "booth_slots"
    __table_args__ = (
        CheckConstraint("minutes >= 10 AND minutes <= 30", name="minutes_range"),
        CheckConstraint("capacity = 1", name="capacity_one"),
        Index("ix_booth_slots_booth_start", "booth_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    # The recruiter who will talk, when the company names one.
    recruiter_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class SlotBooking(Base):
    """An applicant's booking of a slot. See the module docstring for the constraints."""

    __tablename__ = "slot_bookings"
    __table_args__ = (
        UniqueConstraint("active_slot_id"),
        UniqueConstraint("applicant_id", "active_booth_id"),
        Index("ix_slot_bookings_reminder", "state", "reminder_sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("booth_slots.id", ondelete="CASCADE"), index=True
    )
    # Indexed: the retention purge and counts select bookings by booth, and deleting a
    # booth cascades to them; both read the whole table without it.
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), default=BookingState.BOOKED)
    # The slot's and booth's ids while the booking holds the slot; NULL once cancelled.
    active_slot_id: Mapped[int | None] = mapped_column(Integer)
    active_booth_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BoothMessage(Base):
    """A message an applicant left a booth (no recruiter online), answered later."""

    __tablename__ = "booth_messages"
    __table_args__ = (Index("ix_booth_messages_booth", "booth_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
