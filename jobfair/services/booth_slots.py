"""Booked 1:1 slots at a booth and the messages applicants leave a booth: the one home
of their rules and figures.

Slots. A company publishes a run of slots for one day of a fair (from, to, a length of
10–30 minutes), read as wall time in the fair's zone; every slot lies within the fair's
window and starts in the future. An applicant books at most one slot per company (one
booth per company in a fair) and a slot holds one booking: both are refused by unique
constraints (see :mod:`jobfair.models.booth_slots`), so concurrent bookings cannot both
commit on either backend — the checks made before the insert only word the refusal. The
company cancels a slot (its applicant is told, in-app and by e-mail), the applicant
cancels a booking before the slot starts, and a recruiter marks attended or missed once
the slot has started. The sweep reminds each booked applicant once,
``slot_reminder_minutes`` before the slot (:func:`send_reminders`).

Messages. When no recruiter of a booth is online (or the fair is not open), an applicant
leaves the booth a message (optionally about one of its vacancies); the company's
recruiters answer it later, and the applicant is told and reads the answer in their
account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair import i18n
from jobfair.i18n import N_, gettext
from jobfair.models import (
    Applicant,
    BookingState,
    Booth,
    BoothMessage,
    BoothSlot,
    Company,
    Fair,
    Recruiter,
    SlotBooking,
    User,
    Vacancy,
)
from jobfair.models.companies import BoothStatus, company_reaches, is_public_booth
from jobfair.models.fairs import FairPhase
from jobfair.services import applicants, audit, companies, notifications
from jobfair.services.errors import Conflict, NotFound, ValidationFailed
from jobfair.services.screening import membership
from jobfair.services.slot_window import (  # noqa: F401 - current_booking is part of this API
    LEAD_IN,
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    current_booking,
)
from jobfair.services.slot_window import aware as _aware
from jobfair.services.times import local_date, local_datetime

# The figures live with the report's (one home each); re-exported for callers here.
from jobfair.stats.outcomes import (  # noqa: F401
    MessageFigures,
    SlotFigures,
    fair_slot_figures,
    message_figures,
    slot_figures,
)

# A run makes at most this many slots: a whole day of 10-minute slots is 144.
RUN_MAX_SLOTS = 144
MESSAGE_MAX = 2000
ANSWER_MAX = 2000
# States of a booking that holds its slot.
HOLDING = (BookingState.BOOKED, BookingState.ATTENDED, BookingState.MISSED)
OUTCOMES = (BookingState.ATTENDED, BookingState.MISSED)


def _not_found() -> NotFound:
    return NotFound(gettext("We could not find that page."))


@dataclass(frozen=True)
class SlotRun:
    """A run of slots one day of a fair: ``start`` to ``end`` wall time in the fair's
    zone, cut into slots of ``minutes``; ``recruiter_user_id`` names who talks."""

    day: date
    start: time
    end: time
    minutes: int
    recruiter_user_id: int | None = None


def run_starts(fair: Fair, run: SlotRun) -> list[datetime]:
    """The UTC starts of ``run``'s slots, or ValidationFailed with a message per field.
    The one home of the slot rules: length, order, the fair's window."""
    fields: dict[str, str] = {}
    if not SLOT_MINUTES_MIN <= run.minutes <= SLOT_MINUTES_MAX:
        fields["minutes"] = gettext(
            "A slot lasts %(low)s to %(high)s minutes.",
            low=SLOT_MINUTES_MIN,
            high=SLOT_MINUTES_MAX,
        )
    begin = datetime.combine(run.day, run.start, tzinfo=fair.zone).astimezone(UTC)
    finish = datetime.combine(run.day, run.end, tzinfo=fair.zone).astimezone(UTC)
    if finish <= begin:
        fields["end"] = gettext("The end must be after the start.")
    elif begin < _aware(fair.opens_at) or finish > _aware(fair.closes_at):
        fields["day"] = gettext(
            "Slots must lie within the fair: %(opens)s to %(closes)s.",
            opens=local_datetime(fair.opens_at, fair.timezone),
            closes=local_datetime(fair.closes_at, fair.timezone),
        )
    if fields:
        raise ValidationFailed(gettext("Please check the form."), fields=fields)
    starts = []
    moment = begin
    length = timedelta(minutes=run.minutes)
    while moment + length <= finish and len(starts) < RUN_MAX_SLOTS:
        starts.append(moment)
        moment += length
    if not starts:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={"end": gettext("The time is shorter than one slot.")},
        )
    return starts


async def _company_booth(session: AsyncSession, user: User, booth_id: int) -> tuple[Booth, Fair]:
    booth = await companies.company_booth(session, user, booth_id)
    fair = await session.get(Fair, booth.fair_id)
    assert fair is not None
    return booth, fair


async def publish_run(
    session: AsyncSession, user: User, booth_id: int, run: SlotRun, now: datetime
) -> list[BoothSlot]:
    """Publish ``run``'s slots at the company's approved booth. Starts in the past, and
    those overlapping a slot the same recruiter (or the unnamed one) already offers, are
    left out; a run that leaves nothing is refused."""
    booth, fair = await _company_booth(session, user, booth_id)
    if booth.status != BoothStatus.APPROVED:
        raise ValidationFailed(gettext("Slots are published at an approved booth."))
    if fair.phase(now) in (FairPhase.CLOSED, FairPhase.CANCELLED):
        raise ValidationFailed(gettext("This fair is over; no slots can be published."))
    if run.recruiter_user_id is not None:
        colleague = await session.scalar(
            select(Recruiter.id).where(
                Recruiter.company_id == booth.company_id,
                Recruiter.user_id == run.recruiter_user_id,
            )
        )
        if colleague is None:
            raise ValidationFailed(
                gettext("Please check the form."),
                fields={"recruiter_user_id": gettext("Choose a recruiter of your company.")},
            )
    starts = run_starts(fair, run)
    length = timedelta(minutes=run.minutes)
    taken = list(
        await session.scalars(
            select(BoothSlot).where(
                BoothSlot.booth_id == booth.id,
                BoothSlot.cancelled_at.is_(None),
                BoothSlot.starts_at < starts[-1] + length,
                BoothSlot.starts_at > starts[0] - timedelta(minutes=SLOT_MINUTES_MAX),
            )
        )
    )
    same = [slot for slot in taken if slot.recruiter_user_id == run.recruiter_user_id]
    made = []
    for start in starts:
        if start <= now:
            continue
        if any(
            _aware(slot.starts_at) < start + length and _aware(slot.ends_at) > start
            for slot in same
        ):
            continue
        made.append(
            BoothSlot(
                booth_id=booth.id,
                starts_at=start,
                minutes=run.minutes,
                recruiter_user_id=run.recruiter_user_id,
                capacity=1,
                created_by_user_id=user.id,
                created_at=now,
            )
        )
    if not made:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={"start": gettext("These times are past or already offered.")},
        )
    session.add_all(made)
    await session.flush()
    audit.record(
        session,
        "slots.published",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=user.id,
        fair_id=fair.id,
        data={"slots": len(made), "minutes": run.minutes, "day": run.day.isoformat()},
    )
    return made


# ------------------------------------------------------------ telling the applicant


async def _tell(
    session: AsyncSession,
    *,
    user: User,
    kind: str,
    params: dict[str, Any],
    path: str | None,
    base_url: str,
    now: datetime,
    dedupe_key: str,
    subject: str,
    body: str,
) -> None:
    """:func:`jobfair.services.notifications.tell`, the mail's body worded with the
    company and the slot's time in its fair's zone."""
    with i18n.using(user.locale):
        shown_time = (
            local_datetime(datetime.fromisoformat(params["starts_at"]), params["timezone"])
            if "starts_at" in params
            else ""
        )
    await notifications.tell(
        session,
        user=user,
        kind=kind,
        params=params,
        path=path,
        base_url=base_url,
        now=now,
        dedupe_key=dedupe_key,
        subject=subject,
        body=body,
        words={"company": params.get("company", ""), "time": shown_time},
    )


def _slot_params(slot: BoothSlot, fair: Fair, company: Company) -> dict[str, Any]:
    return {
        "company": company.name,
        "starts_at": _aware(slot.starts_at).isoformat(),
        "timezone": fair.timezone,
        "booth_id": slot.booth_id,
    }


# ------------------------------------------------------------------------ slots


async def cancel_slot(
    session: AsyncSession,
    user: User,
    slot_id: int,
    now: datetime,
    *,
    base_url: str = "",
    bookings_path: str | None = None,
) -> BoothSlot:
    """The company withdraws a slot; its booked applicant is told."""
    member = await membership(session, user)
    row = (
        await session.execute(
            select(BoothSlot, Booth, Fair, Company)
            .join(Booth, Booth.id == BoothSlot.booth_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .join(Company, Company.id == Booth.company_id)
            .where(BoothSlot.id == slot_id, Booth.company_id == member.company_id)
        )
    ).first()
    if row is None:
        raise _not_found()
    slot, _booth, fair, company = row
    if slot.cancelled_at is not None:
        raise Conflict(gettext("This slot was cancelled already."))
    if _aware(slot.starts_at) <= now:
        raise Conflict(gettext("A slot that has started cannot be cancelled."))
    slot.cancelled_at = now
    booking = await session.scalar(select(SlotBooking).where(SlotBooking.active_slot_id == slot.id))
    if booking is not None and booking.state == BookingState.BOOKED:
        _release(booking, now)
        applicant_user = await session.scalar(
            select(User)
            .join(Applicant, Applicant.user_id == User.id)
            .where(Applicant.id == booking.applicant_id)
        )
        if applicant_user is not None:
            await _tell(
                session,
                user=applicant_user,
                kind=notifications.SLOT_CANCELLED,
                params=_slot_params(slot, fair, company),
                path=bookings_path,
                base_url=base_url,
                now=now,
                dedupe_key=f"slot-cancelled:{booking.id}",
                subject=N_("A booked slot was cancelled"),
                body=N_(
                    "%(company)s cancelled your 1:1 slot at %(time)s. "
                    "You may book another one at its booth."
                ),
            )
    await session.flush()
    audit.record(
        session,
        "slot.cancelled",
        object_type="booth_slot",
        object_id=slot.id,
        actor_user_id=user.id,
        fair_id=fair.id,
        data={"booking": booking.id if booking is not None else None},
    )
    return slot


def _release(booking: SlotBooking, now: datetime) -> None:
    booking.state = BookingState.CANCELLED
    booking.cancelled_at = now
    booking.active_slot_id = None
    booking.active_booth_id = None


async def book(
    session: AsyncSession,
    user: User,
    slot_id: int,
    now: datetime,
    *,
    booth_id: int | None = None,
) -> SlotBooking:
    """The applicant books a free, future slot of a public booth (``booth_id``'s, when
    given) of a published fair. One slot per company, one booking per slot: refused by
    the database under concurrency (the checks before only word the usual case)."""
    applicant = await applicants.applicant_of(session, user)
    row = (
        await session.execute(
            select(BoothSlot, Booth, Fair)
            .join(Booth, Booth.id == BoothSlot.booth_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(BoothSlot.id == slot_id, is_public_booth())
        )
    ).first()
    if row is None:
        raise _not_found()
    slot, booth, fair = row
    if booth_id is not None and booth.id != booth_id:
        raise _not_found()
    if fair.phase(now) in (FairPhase.DRAFT, FairPhase.CLOSED, FairPhase.CANCELLED):
        raise ValidationFailed(gettext("Slots are booked while the fair is on."))
    if slot.cancelled_at is not None or _aware(slot.starts_at) <= now:
        raise Conflict(gettext("This slot is no longer free."))
    mine = await session.scalar(
        select(SlotBooking.id).where(
            SlotBooking.applicant_id == applicant.id, SlotBooking.active_booth_id == booth.id
        )
    )
    if mine is not None:
        raise Conflict(gettext("You already have a slot with this company."))
    booking = SlotBooking(
        slot_id=slot.id,
        booth_id=booth.id,
        applicant_id=applicant.id,
        state=BookingState.BOOKED,
        active_slot_id=slot.id,
        active_booth_id=booth.id,
        created_at=now,
    )
    try:
        # A savepoint: on PostgreSQL a failed insert would otherwise spoil the whole
        # transaction before the refusal is worded.
        async with session.begin_nested():
            session.add(booking)
            await session.flush()
    except IntegrityError:
        taken = await session.scalar(
            select(SlotBooking.id).where(SlotBooking.active_slot_id == slot.id)
        )
        raise Conflict(
            gettext("This slot is no longer free.")
            if taken is not None
            else gettext("You already have a slot with this company.")
        ) from None
    audit.record(
        session,
        "slot.booked",
        object_type="slot_booking",
        object_id=booking.id,
        actor_user_id=user.id,
        fair_id=fair.id,
        data={"slot": slot.id},
    )
    return booking


async def cancel_booking(
    session: AsyncSession, user: User, booking_id: int, now: datetime
) -> SlotBooking:
    """The applicant cancels their booking before the slot starts; the slot is free."""
    applicant = await applicants.applicant_of(session, user)
    row = (
        await session.execute(
            select(SlotBooking, BoothSlot, Booth)
            .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
            .join(Booth, Booth.id == SlotBooking.booth_id)
            .where(SlotBooking.id == booking_id, SlotBooking.applicant_id == applicant.id)
        )
    ).first()
    if row is None:
        raise _not_found()
    booking, slot, booth = row
    if booking.state != BookingState.BOOKED:
        raise Conflict(gettext("This booking cannot be cancelled any more."))
    if _aware(slot.starts_at) <= now:
        raise Conflict(gettext("A slot that has started cannot be cancelled."))
    _release(booking, now)
    await session.flush()
    audit.record(
        session,
        "slot_booking.cancelled",
        object_type="slot_booking",
        object_id=booking.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
    )
    return booking


async def mark(
    session: AsyncSession, user: User, booking_id: int, outcome: str, now: datetime
) -> SlotBooking:
    """A recruiter of the company marks a booking attended or missed, once its slot
    has started (and may correct the mark)."""
    if outcome not in OUTCOMES:
        raise ValidationFailed(
            gettext("Please check the form."), fields={"outcome": gettext("Choose an outcome.")}
        )
    member = await membership(session, user)
    row = (
        await session.execute(
            select(SlotBooking, BoothSlot, Booth)
            .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
            .join(Booth, Booth.id == SlotBooking.booth_id)
            .where(SlotBooking.id == booking_id, company_reaches(member.company_id))
        )
    ).first()
    if row is None:
        raise _not_found()
    booking, slot, booth = row
    if booking.state not in HOLDING:
        raise Conflict(gettext("This booking was cancelled."))
    if _aware(slot.starts_at) > now:
        raise Conflict(gettext("A slot is marked once it has started."))
    booking.state = outcome
    booking.marked_at = now
    booking.marked_by_user_id = user.id
    await session.flush()
    audit.record(
        session,
        "slot_booking.marked",
        object_type="slot_booking",
        object_id=booking.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
        data={"outcome": outcome},
    )
    return booking


# ------------------------------------------------------------------ reading slots


@dataclass(frozen=True)
class Day:
    """The free slots of one day, in the fair's zone."""

    day: date
    slots: list[BoothSlot]


@dataclass(frozen=True)
class BoothSlots:
    """What the booth page shows an applicant: free slots by day, and their booking."""

    days: list[Day]
    booking: SlotBooking | None = None
    booked_slot: BoothSlot | None = None
    now_on: bool = False  # the booking's slot is on (or about to be)


async def booth_slots(
    session: AsyncSession, fair: Fair, booth_id: int, applicant_id: int | None, now: datetime
) -> BoothSlots:
    held = select(SlotBooking.active_slot_id).where(
        SlotBooking.booth_id == booth_id, SlotBooking.active_slot_id.is_not(None)
    )
    free = list(
        await session.scalars(
            select(BoothSlot)
            .where(
                BoothSlot.booth_id == booth_id,
                BoothSlot.cancelled_at.is_(None),
                BoothSlot.starts_at > now,
                BoothSlot.id.not_in(held),
            )
            .order_by(BoothSlot.starts_at, BoothSlot.id)
        )
    )
    days: dict[date, list[BoothSlot]] = {}
    for slot in free:
        days.setdefault(local_date(slot.starts_at, fair.timezone), []).append(slot)
    booking = booked = None
    now_on = False
    if applicant_id is not None:
        row = (
            await session.execute(
                select(SlotBooking, BoothSlot)
                .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
                .where(
                    SlotBooking.applicant_id == applicant_id,
                    SlotBooking.active_booth_id == booth_id,
                )
            )
        ).first()
        if row is not None:
            booking, booked = row
            now_on = booking.state == BookingState.BOOKED and (
                _aware(booked.starts_at) - LEAD_IN <= now < _aware(booked.ends_at)
            )
    return BoothSlots(
        days=[Day(day, slots) for day, slots in days.items()],
        booking=booking,
        booked_slot=booked,
        now_on=now_on,
    )


@dataclass(frozen=True)
class MyBooking:
    booking: SlotBooking
    slot: BoothSlot
    fair: Fair
    company: Company

    def cancellable(self, now: datetime) -> bool:
        return self.booking.state == BookingState.BOOKED and _aware(self.slot.starts_at) > now


async def my_bookings(session: AsyncSession, user: User) -> list[MyBooking]:
    """The applicant's bookings, the coming ones first, then the rest newest first."""
    applicant = await applicants.applicant_of(session, user)
    rows = await session.execute(
        select(SlotBooking, BoothSlot, Fair, Company)
        .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
        .join(Booth, Booth.id == SlotBooking.booth_id)
        .join(Fair, Fair.id == Booth.fair_id)
        .join(Company, Company.id == Booth.company_id)
        .where(SlotBooking.applicant_id == applicant.id)
        .order_by(BoothSlot.starts_at.desc(), SlotBooking.id.desc())
    )
    return [MyBooking(*row) for row in rows]


@dataclass(frozen=True)
class CompanySlot:
    slot: BoothSlot
    booking: SlotBooking | None
    applicant_name: str | None
    recruiter_name: str | None


@dataclass(frozen=True)
class CompanySlots:
    booth: Booth
    fair: Fair
    slots: list[CompanySlot]
    recruiters: list[tuple[int, str]] = field(default_factory=list)


async def company_slots(session: AsyncSession, user: User, booth_id: int) -> CompanySlots:
    """The booth's slots with their booking and the applicant's name, for its company
    (names only where the company still reaches the booth's applicants)."""
    booth, fair = await _company_booth(session, user, booth_id)
    reaches = await session.scalar(
        select(Booth.id).where(Booth.id == booth.id, company_reaches(booth.company_id))
    )
    slots = list(
        await session.scalars(
            select(BoothSlot)
            .where(BoothSlot.booth_id == booth.id)
            .order_by(BoothSlot.starts_at, BoothSlot.id)
        )
    )
    bookings: dict[int, tuple[SlotBooking, str | None]] = {}
    if slots:
        rows = await session.execute(
            select(SlotBooking, User.full_name)
            .join(Applicant, Applicant.id == SlotBooking.applicant_id)
            .outerjoin(User, User.id == Applicant.user_id)
            .where(
                SlotBooking.booth_id == booth.id,
                SlotBooking.active_slot_id.is_not(None),
            )
        )
        for booking, name in rows:
            bookings[booking.slot_id] = (booking, name if reaches else None)
    team = [
        (user_id, name)
        for user_id, name in await session.execute(
            select(User.id, User.full_name)
            .join(Recruiter, Recruiter.user_id == User.id)
            .where(Recruiter.company_id == booth.company_id)
            .order_by(User.full_name)
        )
    ]
    names = dict(team)
    return CompanySlots(
        booth=booth,
        fair=fair,
        slots=[
            CompanySlot(
                slot=slot,
                booking=bookings.get(slot.id, (None, None))[0],
                applicant_name=bookings.get(slot.id, (None, None))[1],
                recruiter_name=names.get(slot.recruiter_user_id or 0),
            )
            for slot in slots
        ],
        recruiters=team,
    )


# ------------------------------------------------------------------ reminders


async def send_reminders(
    session: AsyncSession,
    now: datetime,
    *,
    minutes: int,
    base_url: str = "",
    bookings_path: str | None = None,
) -> int:
    """Remind every booked applicant whose slot starts within ``minutes``, once: the
    booking is claimed by a conditional UPDATE (``reminder_sent_at`` still NULL) in the
    same transaction as the notification and the mail (whose dedupe key is the
    booking's), so two overlapping sweeps never both remind."""
    due = (
        (
            await session.execute(
                select(SlotBooking.id)
                .join(BoothSlot, BoothSlot.id == SlotBooking.slot_id)
                .where(
                    SlotBooking.state == BookingState.BOOKED,
                    SlotBooking.reminder_sent_at.is_(None),
                    BoothSlot.cancelled_at.is_(None),
                    BoothSlot.starts_at > now,
                    BoothSlot.starts_at <= now + timedelta(minutes=minutes),
                )
                .order_by(SlotBooking.id)
            )
        )
        .scalars()
        .all()
    )
    sent = 0
    for booking_id in due:
        claimed = await session.execute(
            update(SlotBooking)
            .where(SlotBooking.id == booking_id, SlotBooking.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            continue
        row = (
            await session.execute(
                select(BoothSlot, Fair, Company, User)
                .join(SlotBooking, SlotBooking.slot_id == BoothSlot.id)
                .join(Booth, Booth.id == BoothSlot.booth_id)
                .join(Fair, Fair.id == Booth.fair_id)
                .join(Company, Company.id == Booth.company_id)
                .join(Applicant, Applicant.id == SlotBooking.applicant_id)
                .join(User, User.id == Applicant.user_id)
                .where(SlotBooking.id == booking_id)
            )
        ).first()
        if row is None:  # an erased applicant: nobody to remind
            continue
        slot, fair, company, user = row
        await _tell(
            session,
            user=user,
            kind=notifications.SLOT_REMINDER,
            params=_slot_params(slot, fair, company),
            path=bookings_path,
            base_url=base_url,
            now=now,
            dedupe_key=f"slot-reminder:{booking_id}",
            subject=N_("Your slot with a company starts soon"),
            body=N_(
                "Your 1:1 slot with %(company)s starts at %(time)s. Open the company's "
                "booth at that time to talk with its recruiter."
            ),
        )
        sent += 1
    return sent


# ------------------------------------------------------------------ messages


async def leave_message(
    session: AsyncSession,
    user: User,
    booth_id: int,
    body: str,
    now: datetime,
    *,
    vacancy_id: int | None = None,
) -> BoothMessage:
    """The applicant leaves a public booth of a published fair a message (about one of
    its vacancies, optionally)."""
    applicant = await applicants.applicant_of(session, user)
    body = body.strip()
    if not body or len(body) > MESSAGE_MAX:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={"body": gettext("A message has 1 to %(limit)s characters.", limit=MESSAGE_MAX)},
        )
    row = (
        await session.execute(
            select(Booth, Fair)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(Booth.id == booth_id, is_public_booth())
        )
    ).first()
    if row is None:
        raise _not_found()
    booth, fair = row
    if fair.phase(now) in (FairPhase.DRAFT, FairPhase.CANCELLED):
        raise _not_found()
    if vacancy_id is not None:
        known = await session.scalar(
            select(Vacancy.id).where(Vacancy.id == vacancy_id, Vacancy.booth_id == booth.id)
        )
        if known is None:
            raise ValidationFailed(
                gettext("Please check the form."),
                fields={"vacancy_id": gettext("Choose one of this booth's vacancies.")},
            )
    message = BoothMessage(
        booth_id=booth.id,
        applicant_id=applicant.id,
        vacancy_id=vacancy_id,
        body=body,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    audit.record(
        session,
        "booth_message.left",
        object_type="booth_message",
        object_id=message.id,
        actor_user_id=user.id,
        fair_id=fair.id,
    )
    return message


@dataclass(frozen=True)
class MyMessage:
    message: BoothMessage
    company: Company
    fair: Fair
    vacancy_title: str | None


async def my_messages(session: AsyncSession, user: User) -> list[MyMessage]:
    applicant = await applicants.applicant_of(session, user)
    rows = await session.execute(
        select(BoothMessage, Company, Fair, Vacancy.title)
        .join(Booth, Booth.id == BoothMessage.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .join(Fair, Fair.id == Booth.fair_id)
        .outerjoin(Vacancy, Vacancy.id == BoothMessage.vacancy_id)
        .where(BoothMessage.applicant_id == applicant.id)
        .order_by(BoothMessage.created_at.desc(), BoothMessage.id.desc())
    )
    return [MyMessage(*row) for row in rows]


@dataclass(frozen=True)
class InboxMessage:
    message: BoothMessage
    applicant_name: str
    fair: Fair
    vacancy_title: str | None


INBOX_PAGE = 100


async def inbox(session: AsyncSession, user: User, *, answered: bool = False) -> list[InboxMessage]:
    """The company's messages in the booths it still reaches: unanswered oldest first,
    or the answered ones newest first."""
    member = await membership(session, user)
    query = (
        select(BoothMessage, User.full_name, Fair, Vacancy.title)
        .join(Booth, Booth.id == BoothMessage.booth_id)
        .join(Fair, Fair.id == Booth.fair_id)
        .join(Applicant, Applicant.id == BoothMessage.applicant_id)
        .outerjoin(User, User.id == Applicant.user_id)
        .outerjoin(Vacancy, Vacancy.id == BoothMessage.vacancy_id)
        .where(company_reaches(member.company_id))
        .limit(INBOX_PAGE)
    )
    if answered:
        query = query.where(BoothMessage.answered_at.is_not(None)).order_by(
            BoothMessage.answered_at.desc(), BoothMessage.id.desc()
        )
    else:
        query = query.where(BoothMessage.answered_at.is_(None)).order_by(
            BoothMessage.created_at, BoothMessage.id
        )
    return [
        InboxMessage(message=message, applicant_name=name or "—", fair=fair, vacancy_title=title)
        for message, name, fair, title in await session.execute(query)
    ]


async def answer(
    session: AsyncSession,
    user: User,
    message_id: int,
    text: str,
    now: datetime,
    *,
    base_url: str = "",
    messages_path: str | None = None,
) -> BoothMessage:
    """A recruiter answers a message once; the applicant is told (in-app and mail)."""
    text = text.strip()
    if not text or len(text) > ANSWER_MAX:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={
                "answer": gettext("An answer has 1 to %(limit)s characters.", limit=ANSWER_MAX)
            },
        )
    member = await membership(session, user)
    row = (
        await session.execute(
            select(BoothMessage, Booth, Company)
            .join(Booth, Booth.id == BoothMessage.booth_id)
            .join(Company, Company.id == Booth.company_id)
            .where(BoothMessage.id == message_id, company_reaches(member.company_id))
        )
    ).first()
    if row is None:
        raise _not_found()
    message, booth, company = row
    claimed = await session.execute(
        update(BoothMessage)
        .where(BoothMessage.id == message.id, BoothMessage.answered_at.is_(None))
        .values(answered_at=now, answer=text, answered_by_user_id=user.id)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise Conflict(gettext("A colleague has answered this message already."))
    applicant_user = await session.scalar(
        select(User)
        .join(Applicant, Applicant.user_id == User.id)
        .where(Applicant.id == message.applicant_id)
    )
    if applicant_user is not None:
        await _tell(
            session,
            user=applicant_user,
            kind=notifications.MESSAGE_ANSWERED,
            params={"company": company.name, "message_id": message.id},
            path=messages_path,
            base_url=base_url,
            now=now,
            dedupe_key=f"message-answered:{message.id}",
            subject=N_("A company answered your message"),
            body=N_("%(company)s answered the message you left at its booth."),
        )
    audit.record(
        session,
        "booth_message.answered",
        object_type="booth_message",
        object_id=message.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
    )
    await session.refresh(message)
    return message


async def recruiters_online(presence: Any, booth_id: int) -> int | None:
    """How many recruiters of the booth are online (the live layer's presence key
    ``recruiters:{booth_id}``); None when no live layer runs or it cannot say."""
    if presence is None:
        return None
    key = f"recruiters:{booth_id}"
    try:
        counts = await presence.counts([key])
    except Exception:  # Redis away: the page still offers the message form
        return None
    return int(counts.get(key, 0))


def day_choices(fair: Fair, now: datetime) -> Sequence[date]:
    """The days of the fair still to come (today included), in its zone, for the
    publish form."""
    first = max(local_date(fair.opens_at, fair.timezone), local_date(now, fair.timezone))
    last = local_date(_aware(fair.closes_at) - timedelta(seconds=1), fair.timezone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
