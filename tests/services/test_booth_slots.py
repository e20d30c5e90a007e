"""Booked 1:1 slots and booth messages (services.booth_slots), on SQLite and PostgreSQL:
publishing runs within the fair, one booking per slot and per company, cancelling,
attendance, the reminder sent once, messages answered, and the report's figures with
hand-written expectations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import factories
from support.clock import Clock

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import (
    Applicant,
    AuditLog,
    Booth,
    BoothMessage,
    BoothSlot,
    Company,
    Fair,
    Notification,
    Outbox,
    SlotBooking,
    User,
)
from jobfair.services import applicants, booth_slots, notifications
from jobfair.services.booth_slots import SlotRun
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.identity import PasswordCheck
from jobfair.settings import Settings
from jobfair.worker.registry import run_task

# The factories' fair: 3 November 2026 08:00 WIB (01:00 UTC) for seven days; the
# tests' clock stands at 5 November 10:00 WIB.
DAY = date(2026, 11, 6)


@dataclass
class World:
    fair_id: int
    booth_id: int
    other_booth_id: int
    recruiter_id: int
    other_recruiter_id: int
    applicant_ids: list[int]  # user ids
    vacancy_id: int


async def _world(ctx: AppContext, applicants: int = 2) -> World:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session)
        other = await factories.company(session)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        other_booth = await factories.booth(session, fair_row=fair, company_row=other)
        vacancy = await factories.vacancy(session, booth_row=booth)
        recruiter = await factories.recruiter(session, company_row=company, password_hash="x")
        other_recruiter = await factories.recruiter(session, company_row=other, password_hash="x")
        people = [await factories.applicant(session) for _ in range(applicants)]
        return World(
            fair_id=fair.id,
            booth_id=booth.id,
            other_booth_id=other_booth.id,
            recruiter_id=recruiter.id,
            other_recruiter_id=other_recruiter.id,
            applicant_ids=[person.user_id for person in people],  # type: ignore[misc]
            vacancy_id=vacancy.id,
        )


async def _user(session, user_id: int) -> User:  # type: ignore[no-untyped-def]
    user = await session.get(User, user_id)
    assert user is not None
    return user


async def _publish(
    ctx: AppContext,
    world: World,
    run: SlotRun | None = None,
    *,
    booth_id: int | None = None,
    recruiter_id: int | None = None,
) -> list[int]:
    run = run or SlotRun(day=DAY, start=time(9, 0), end=time(10, 0), minutes=20)
    async with ctx.unit_of_work() as session:
        user = await _user(session, recruiter_id or world.recruiter_id)
        made = await booth_slots.publish_run(
            session, user, booth_id or world.booth_id, run, ctx.now()
        )
        return [slot.id for slot in made]


async def _book(ctx: AppContext, user_id: int, slot_id: int) -> int:
    async with ctx.unit_of_work() as session:
        booking = await booth_slots.book(session, await _user(session, user_id), slot_id, ctx.now())
        return booking.id


# ------------------------------------------------------------------ publishing


async def test_a_run_is_cut_into_slots_in_the_fairs_zone(ctx: AppContext) -> None:
    world = await _world(ctx)
    ids = await _publish(ctx, world)
    async with ctx.read() as session:
        slots = list(await session.scalars(select(BoothSlot).order_by(BoothSlot.starts_at)))
        logged = await session.scalar(
            select(AuditLog.data).where(AuditLog.action == "slots.published")
        )
    assert len(ids) == 3
    # 09:00, 09:20, 09:40 WIB are 02:00, 02:20, 02:40 UTC.
    assert [slot.starts_at for slot in slots] == [
        datetime(2026, 11, 6, 2, 0, tzinfo=UTC),
        datetime(2026, 11, 6, 2, 20, tzinfo=UTC),
        datetime(2026, 11, 6, 2, 40, tzinfo=UTC),
    ]
    assert {slot.minutes for slot in slots} == {20} and {slot.capacity for slot in slots} == {1}
    assert logged == {"slots": 3, "minutes": 20, "day": "2026-11-06"}
    # The same run again offers nothing new: refused, nothing doubled.
    with pytest.raises(ValidationFailed) as refused:
        await _publish(ctx, world)
    assert "start" in refused.value.fields


@pytest.mark.parametrize(
    ("run", "field"),
    [
        # After the fair (it closes 10 November 08:00 WIB).
        (SlotRun(day=date(2026, 11, 11), start=time(9), end=time(10), minutes=20), "day"),
        # Starting before the fair opens (3 November 08:00 WIB).
        (SlotRun(day=date(2026, 11, 3), start=time(7), end=time(9), minutes=20), "day"),
        (SlotRun(day=DAY, start=time(10), end=time(9), minutes=20), "end"),
        (SlotRun(day=DAY, start=time(9), end=time(10), minutes=35), "minutes"),
        (SlotRun(day=DAY, start=time(9), end=time(10), minutes=5), "minutes"),
        (SlotRun(day=DAY, start=time(9), end=time(9, 10), minutes=15), "end"),
        # Already past at the clock's 10:00 WIB on 5 November.
        (SlotRun(day=date(2026, 11, 5), start=time(8), end=time(9), minutes=30), "start"),
    ],
)
async def test_runs_outside_the_rules_are_refused(
    ctx: AppContext, run: SlotRun, field: str
) -> None:
    world = await _world(ctx, applicants=0)
    with pytest.raises(ValidationFailed) as refused:
        await _publish(ctx, world, run)
    assert field in refused.value.fields
    async with ctx.read() as session:
        assert await session.scalar(select(func.count(BoothSlot.id))) == 0


async def test_another_companys_booth_and_a_stranger_as_recruiter_are_refused(
    ctx: AppContext,
) -> None:
    world = await _world(ctx, applicants=1)
    with pytest.raises(NotFound):
        await _publish(ctx, world, booth_id=world.other_booth_id)
    run = SlotRun(DAY, time(9), time(10), 20, recruiter_user_id=world.other_recruiter_id)
    with pytest.raises(ValidationFailed) as refused:
        await _publish(ctx, world, run)
    assert "recruiter_user_id" in refused.value.fields
    async with ctx.unit_of_work() as session:
        applicant = await _user(session, world.applicant_ids[0])
        with pytest.raises(PermissionDenied):
            await booth_slots.publish_run(session, applicant, world.booth_id, run, ctx.now())


# ------------------------------------------------------------------ booking


async def test_one_booking_per_slot_and_one_slot_per_company(ctx: AppContext) -> None:
    world = await _world(ctx)
    first, second, _third = await _publish(ctx, world)
    other = await _publish(
        ctx, world, booth_id=world.other_booth_id, recruiter_id=world.other_recruiter_id
    )
    ani, budi = world.applicant_ids
    await _book(ctx, ani, first)
    with pytest.raises(Conflict):
        await _book(ctx, budi, first)  # taken
    with pytest.raises(Conflict):
        await _book(ctx, ani, second)  # one per company
    await _book(ctx, ani, other[0])  # another company: fine
    await _book(ctx, budi, second)
    async with ctx.read() as session:
        fair = await session.get(Fair, world.fair_id)
        seen = await booth_slots.booth_slots(session, fair, world.booth_id, None, ctx.now())
    assert [slot.id for day in seen.days for slot in day.slots] == [_third]


async def test_cancelling_a_booking_frees_the_slot_and_allows_another(ctx: AppContext) -> None:
    world = await _world(ctx)
    first, second, _ = await _publish(ctx, world)
    ani, budi = world.applicant_ids
    booking = await _book(ctx, ani, first)
    async with ctx.unit_of_work() as session:
        await booth_slots.cancel_booking(session, await _user(session, ani), booking, ctx.now())
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):  # someone else's booking
            await booth_slots.cancel_booking(
                session, await _user(session, budi), booking, ctx.now()
            )
    await _book(ctx, budi, first)
    await _book(ctx, ani, second)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):  # cancelled already
            await booth_slots.cancel_booking(session, await _user(session, ani), booking, ctx.now())


async def test_booking_outside_the_fair_is_refused(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    ids = await _publish(ctx, world)
    ani = world.applicant_ids[0]
    # A started slot cannot be booked.
    clock.advance(timedelta(days=1))  # 6 November 10:00 WIB: every slot has started
    with pytest.raises(Conflict):
        await _book(ctx, ani, ids[0])
    # Nor a slot of a fair that closed, or of a cancelled one.
    clock.advance(timedelta(days=5))
    with pytest.raises(ValidationFailed):
        await _book(ctx, ani, ids[1])
    with pytest.raises(NotFound):
        await _book(ctx, ani, 999_999)


async def test_a_cancelled_slot_tells_its_applicant(ctx: AppContext) -> None:
    world = await _world(ctx)
    first, *_ = await _publish(ctx, world)
    ani = world.applicant_ids[0]
    await _book(ctx, ani, first)
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await booth_slots.cancel_slot(
                session, await _user(session, world.other_recruiter_id), first, ctx.now()
            )
    async with ctx.unit_of_work() as session:
        await booth_slots.cancel_slot(
            session,
            await _user(session, world.recruiter_id),
            first,
            ctx.now(),
            base_url="https://bursa.test",
            bookings_path="/me/bookings",
        )
    async with ctx.read() as session:
        booking = await session.scalar(select(SlotBooking))
        mail = await session.scalar(select(Outbox))
        user = await _user(session, ani)
        with i18n.using("en"):
            shown = (await notifications.inbox(session, user))[0]
        with i18n.using("id"):
            shown_id = (await notifications.inbox(session, user))[0]
    assert booking is not None and booking.state == "cancelled" and booking.active_slot_id is None
    assert mail is not None and mail.dedupe_key == f"slot-cancelled:{booking.id}"
    assert "https://bursa.test/me/bookings" in mail.payload["body"]
    assert shown.subject == "A booked slot was cancelled"
    assert "6 November 2026, 09:00 WIB" in shown.lines[0].outcome
    assert shown.link == "/me/bookings" and shown.link_label == "See my slots and messages"
    assert shown_id.subject != shown.subject and "09.00 WIB" in shown_id.lines[0].outcome
    # The slot is gone from the booth; booking it again is refused.
    with pytest.raises(Conflict):
        await _book(ctx, ani, first)


async def test_attendance_is_marked_once_the_slot_started(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    first, *_ = await _publish(ctx, world)
    booking = await _book(ctx, world.applicant_ids[0], first)
    async with ctx.unit_of_work() as session:
        recruiter = await _user(session, world.recruiter_id)
        with pytest.raises(Conflict):  # not started yet
            await booth_slots.mark(session, recruiter, booking, "attended", ctx.now())
    clock.now = datetime(2026, 11, 6, 2, 5, tzinfo=UTC)
    async with ctx.unit_of_work() as session:
        stranger = await _user(session, world.other_recruiter_id)
        with pytest.raises(NotFound):
            await booth_slots.mark(session, stranger, booking, "attended", ctx.now())
    async with ctx.unit_of_work() as session:
        recruiter = await _user(session, world.recruiter_id)
        with pytest.raises(ValidationFailed):
            await booth_slots.mark(session, recruiter, booking, "cancelled", ctx.now())
        marked = await booth_slots.mark(session, recruiter, booking, "attended", ctx.now())
        assert marked.state == "attended" and marked.marked_by_user_id == world.recruiter_id


async def test_current_booking_covers_the_lead_in_and_the_slot(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    first, *_ = await _publish(ctx, world)  # 02:00–02:20 UTC
    booking = await _book(ctx, world.applicant_ids[0], first)
    async with ctx.read() as session:
        applicant_id = await session.scalar(
            select(SlotBooking.applicant_id).where(SlotBooking.id == booking)
        )
        assert applicant_id is not None

        async def at(hour: int, minute: int) -> int | None:
            found = await booth_slots.current_booking(
                session,
                booth_id=world.booth_id,
                applicant_id=applicant_id,
                now=datetime(2026, 11, 6, hour, minute, tzinfo=UTC),
            )
            return found.id if found else None

        assert await at(1, 54) is None
        assert await at(1, 55) == booking  # five minutes' lead-in
        assert await at(2, 19) == booking
        assert await at(2, 20) is None
        other = await booth_slots.current_booking(
            session,
            booth_id=world.other_booth_id,
            applicant_id=applicant_id,
            now=datetime(2026, 11, 6, 2, 5, tzinfo=UTC),
        )
        assert other is None


# ------------------------------------------------------------------ reminders


async def test_the_reminder_is_sent_once(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    first, second, _ = await _publish(ctx, world)
    ani, budi = world.applicant_ids
    await _book(ctx, ani, first)  # 02:00 UTC
    await _book(ctx, budi, second)  # 02:20 UTC
    clock.now = datetime(2026, 11, 6, 1, 29, tzinfo=UTC)  # 31 minutes before the first
    assert await run_task(ctx, "send_slot_reminders") == 0
    clock.now = datetime(2026, 11, 6, 1, 30, tzinfo=UTC)
    assert await run_task(ctx, "send_slot_reminders") == 1
    assert await run_task(ctx, "send_slot_reminders") == 0  # not again
    clock.now = datetime(2026, 11, 6, 1, 55, tzinfo=UTC)
    assert await run_task(ctx, "send_slot_reminders") == 1  # budi's, and not ani's again
    clock.now = datetime(2026, 11, 6, 2, 10, tzinfo=UTC)
    assert await run_task(ctx, "send_slot_reminders") == 0
    async with ctx.read() as session:
        kinds = list(await session.scalars(select(Notification.kind)))
        keys = sorted(await session.scalars(select(Outbox.dedupe_key)))
        user = await _user(session, ani)
        with i18n.using("en"):
            shown = (await notifications.inbox(session, user))[0]
    assert kinds == ["slot_reminder", "slot_reminder"]
    assert len(keys) == 2 and all(key.startswith("slot-reminder:") for key in keys)
    assert shown.subject == "Your slot with a company starts soon"
    assert "6 November 2026, 09:00 WIB" in shown.lines[0].outcome


async def test_reminder_minutes_are_a_setting(ctx: AppContext, clock: Clock) -> None:
    assert ctx.settings.slot_reminder_minutes == 30
    assert Settings(slot_reminder_minutes=60).slot_reminder_minutes == 60
    with pytest.raises(ValueError):
        Settings(slot_reminder_minutes=0)
    world = await _world(ctx, applicants=1)
    first, *_ = await _publish(ctx, world)
    await _book(ctx, world.applicant_ids[0], first)
    clock.now = datetime(2026, 11, 6, 1, 0, tzinfo=UTC)  # an hour before
    async with ctx.unit_of_work() as session:
        assert await booth_slots.send_reminders(session, ctx.now(), minutes=30) == 0
        assert await booth_slots.send_reminders(session, ctx.now(), minutes=60) == 1


async def test_the_sweep_runs_the_reminders() -> None:
    from jobfair.worker.tasks import SWEEP_TASKS

    assert "send_slot_reminders" in SWEEP_TASKS


# ------------------------------------------------------------------ messages


async def test_a_message_is_answered_and_the_applicant_told(ctx: AppContext) -> None:
    world = await _world(ctx, applicants=1)
    ani = world.applicant_ids[0]
    async with ctx.unit_of_work() as session:
        user = await _user(session, ani)
        message = await booth_slots.leave_message(
            session, user, world.booth_id, "  Apakah ada shift malam?  ", ctx.now(),
            vacancy_id=world.vacancy_id,
        )  # fmt: skip
        message_id = message.id
    async with ctx.read() as session:
        waiting = await booth_slots.inbox(session, await _user(session, world.recruiter_id))
        elsewhere = await booth_slots.inbox(session, await _user(session, world.other_recruiter_id))
    assert [item.message.body for item in waiting] == ["Apakah ada shift malam?"]
    assert waiting[0].vacancy_title is not None and elsewhere == []
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await booth_slots.answer(
                session, await _user(session, world.other_recruiter_id), message_id, "Ya",
                ctx.now(),
            )  # fmt: skip
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await booth_slots.answer(
                session, await _user(session, world.recruiter_id), message_id, "  ", ctx.now()
            )
    async with ctx.unit_of_work() as session:
        await booth_slots.answer(
            session,
            await _user(session, world.recruiter_id),
            message_id,
            "Ya, ada shift malam.",
            ctx.now(),
            base_url="https://bursa.test",
            messages_path="/me/bookings",
        )
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):  # answered once
            await booth_slots.answer(
                session, await _user(session, world.recruiter_id), message_id, "Lagi", ctx.now()
            )
    async with ctx.read() as session:
        mine = await booth_slots.my_messages(session, await _user(session, ani))
        kinds = list(await session.scalars(select(Notification.kind)))
        mail = await session.scalar(select(Outbox))
        answered = await booth_slots.inbox(
            session, await _user(session, world.recruiter_id), answered=True
        )
        actions = set(await session.scalars(select(AuditLog.action)))
    assert mine[0].message.answer == "Ya, ada shift malam."
    assert kinds == ["message_answered"]
    assert mail is not None and mail.dedupe_key == f"message-answered:{message_id}"
    assert len(answered) == 1
    assert {"booth_message.left", "booth_message.answered"} <= actions


@pytest.mark.parametrize("body", ["", "   ", "x" * (booth_slots.MESSAGE_MAX + 1)])
async def test_bad_messages_are_refused(ctx: AppContext, body: str) -> None:
    world = await _world(ctx, applicants=1)
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as refused:
            await booth_slots.leave_message(
                session, await _user(session, world.applicant_ids[0]), world.booth_id, body,
                ctx.now(),
            )  # fmt: skip
    assert "body" in refused.value.fields


async def test_a_message_about_another_booths_vacancy_is_refused(ctx: AppContext) -> None:
    world = await _world(ctx, applicants=1)
    async with ctx.unit_of_work() as session:
        user = await _user(session, world.applicant_ids[0])
        with pytest.raises(ValidationFailed):
            await booth_slots.leave_message(
                session, user, world.other_booth_id, "Halo", ctx.now(), vacancy_id=world.vacancy_id
            )
        with pytest.raises(PermissionDenied):
            await booth_slots.leave_message(
                session, await _user(session, world.recruiter_id), world.booth_id, "Halo",
                ctx.now(),
            )  # fmt: skip


# ------------------------------------------------------------------ figures


async def test_slot_figures(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    a1, a2, a3 = await _publish(ctx, world)
    (b1, _b2, _b3) = await _publish(
        ctx, world, booth_id=world.other_booth_id, recruiter_id=world.other_recruiter_id
    )
    ani, budi = world.applicant_ids
    await _book(ctx, ani, a1)
    await _book(ctx, budi, a2)
    await _book(ctx, budi, b1)
    async with ctx.unit_of_work() as session:
        await booth_slots.cancel_slot(
            session, await _user(session, world.recruiter_id), a3, ctx.now()
        )
    clock.now = datetime(2026, 11, 6, 3, 0, tzinfo=UTC)
    async with ctx.unit_of_work() as session:
        recruiter = await _user(session, world.recruiter_id)
        booking_ids = list(
            await session.scalars(
                select(SlotBooking.id)
                .where(SlotBooking.booth_id == world.booth_id)
                .order_by(SlotBooking.id)
            )
        )
        await booth_slots.mark(session, recruiter, booking_ids[0], "attended", ctx.now())
        await booth_slots.mark(session, recruiter, booking_ids[1], "missed", ctx.now())
    async with ctx.read() as session:
        per_company = await booth_slots.slot_figures(session, world.fair_id)
        total = await booth_slots.fair_slot_figures(session, world.fair_id)
        company_a = await session.scalar(select(Booth.company_id).where(Booth.id == world.booth_id))
    # Company A: 3 published, 1 cancelled → 2 offered, both booked, 1 attended (1 missed).
    # Company B: 3 offered, 1 booked, none attended.
    by_company = {row.company_id: (row.offered, row.booked, row.attended) for row in per_company}
    assert by_company[company_a] == (2, 2, 1)
    assert sorted(by_company.values()) == [(2, 2, 1), (3, 1, 0)]
    assert (total.offered, total.booked, total.attended) == (5, 3, 1)


async def test_message_figures_with_the_median_time_to_answer(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx, applicants=1)
    start = clock.now
    ids = []
    for booth_id in (world.booth_id, world.booth_id, world.booth_id, world.other_booth_id):
        async with ctx.unit_of_work() as session:
            user = await _user(session, world.applicant_ids[0])
            ids.append((await booth_slots.leave_message(session, user, booth_id, "Halo", start)).id)
    # Company A answers after 1 h and 4 h and leaves one waiting; B answers after 6 h.
    for message_id, recruiter, hours in (
        (ids[0], world.recruiter_id, 1),
        (ids[1], world.recruiter_id, 4),
        (ids[3], world.other_recruiter_id, 6),
    ):
        async with ctx.unit_of_work() as session:
            await booth_slots.answer(
                session, await _user(session, recruiter), message_id, "Baik",
                start + timedelta(hours=hours),
            )  # fmt: skip
    async with ctx.read() as session:
        figures = await booth_slots.message_figures(session, world.fair_id)
        company_a = await session.scalar(select(Booth.company_id).where(Booth.id == world.booth_id))
    by_company = {row.company_id: row for row in figures}
    a = by_company[company_a]
    assert (a.left, a.answered, a.median_hours_to_answer) == (3, 2, 2.5)
    fair = by_company[None]
    # The fair: answers after 1, 4 and 6 hours → median 4.
    assert (fair.left, fair.answered, fair.median_hours_to_answer) == (4, 3, 4.0)
    assert figures[-1].company_id is None
    others = [row for row in figures if row.company_id not in (company_a, None)]
    assert [(row.left, row.answered, row.median_hours_to_answer) for row in others] == [(1, 1, 6.0)]


async def test_erasing_the_account_frees_the_slot_and_blanks_the_messages(
    ctx: AppContext, tmp_path: Path
) -> None:
    world = await _world(ctx, applicants=1)
    first, *_ = await _publish(ctx, world)
    ani = world.applicant_ids[0]
    await _book(ctx, ani, first)
    async with ctx.unit_of_work() as session:
        await booth_slots.leave_message(
            session, await _user(session, ani), world.booth_id, "Nomor HP saya 0812…", ctx.now()
        )
    async with ctx.unit_of_work() as session:
        user = await _user(session, ani)
        check = PasswordCheck(stored=user.password_hash, valid=True)
        await applicants.delete_account(session, user, check, tmp_path, ctx.now())
    async with ctx.read() as session:
        message = await session.scalar(select(BoothMessage))
        booking = await session.scalar(select(SlotBooking))
        figures = await booth_slots.message_figures(session, world.fair_id)
    assert message is not None and message.body == "" and message.answer is None
    assert booking is not None and booking.state == "cancelled" and booking.active_slot_id is None
    assert figures[-1].left == 1  # still counted


# ------------------------------------------------------------------ the queue at the slot's time


async def test_a_booked_applicant_goes_to_the_head_of_the_queue_at_the_slots_time(
    ctx: AppContext, clock: Clock
) -> None:
    from jobfair.models import Applicant, Booth
    from jobfair.services import conversations as chats

    limits = chats.ChatLimits(max_queues=2, grace_seconds=120, max_parallel=2)
    world = await _world(ctx)
    first, *_ = await _publish(ctx, world)  # 02:00–02:20 UTC
    await _book(ctx, world.applicant_ids[1], first)

    async def join(user_id: int, online: int) -> bool:
        async with ctx.unit_of_work() as session:
            applicant = await session.scalar(select(Applicant).where(Applicant.user_id == user_id))
            booth = await session.get(Booth, world.booth_id)
            assert applicant is not None and booth is not None
            entry = await chats.join_queue(
                session,
                applicant=applicant,
                user_id=user_id,
                booth=booth,
                now=ctx.now(),
                recruiters_online=online,
                limits=limits,
            )
            return entry.priority

    clock.now = datetime(2026, 11, 6, 1, 50, tzinfo=UTC)  # before the lead-in
    assert await join(world.applicant_ids[0], online=1) is False
    clock.now = datetime(2026, 11, 6, 1, 56, tzinfo=UTC)  # within the five minutes' lead-in
    # First in line although someone waited longer, and even with no recruiter online yet.
    assert await join(world.applicant_ids[1], online=0) is True
    async with ctx.unit_of_work() as session:
        recruiter = await _user(session, world.recruiter_id)
        booth = await session.get(Booth, world.booth_id)
        assert booth is not None
        chat = await chats.take_next(
            session, user=recruiter, booth=booth, now=ctx.now(), limits=limits
        )
        assert chat is not None
        taken = await session.scalar(
            select(Applicant.user_id).where(Applicant.id == chat.applicant_id)
        )
    assert taken == world.applicant_ids[1]


# ------------------------------------------------------------------ privacy


async def _booking_and_message(ctx: AppContext, world: World, user_id: int, slot_id: int,
                               body: str, *, answer: str | None = None) -> None:  # fmt: skip
    await _book(ctx, user_id, slot_id)
    async with ctx.unit_of_work() as session:
        message = await booth_slots.leave_message(
            session, await _user(session, user_id), world.booth_id, body, ctx.now(),
            vacancy_id=world.vacancy_id,
        )  # fmt: skip
        message_id = message.id
    if answer is not None:
        async with ctx.unit_of_work() as session:
            await booth_slots.answer(
                session, await _user(session, world.recruiter_id), message_id, answer, ctx.now()
            )


async def test_the_data_export_holds_ones_own_bookings_and_messages_only(
    ctx: AppContext,
) -> None:
    from jobfair.schemas.accounts import MyData
    from jobfair.web.personal_data import sections

    world = await _world(ctx)
    ani, budi = world.applicant_ids
    first, second, _ = await _publish(ctx, world)
    await _booking_and_message(ctx, world, ani, first, "Shift malam?", answer="Ada, tiga shift.")
    await _booking_and_message(ctx, world, budi, second, "Pesan Budi yang rahasia")
    async with ctx.unit_of_work() as session:
        await booth_slots.cancel_booking(
            session, await _user(session, ani), await session.scalar(select(SlotBooking.id)),
            ctx.now(),
        )  # fmt: skip
    async with ctx.read() as session:
        data = await applicants.export_my_data(session, await _user(session, ani), ctx.nik_vault)
    exported = MyData.model_validate(data)
    assert [(b.starts_at, b.minutes, b.state) for b in exported.slot_bookings] == [
        (datetime(2026, 11, 6, 2, 0, tzinfo=UTC), 20, "cancelled")
    ]
    booking = exported.slot_bookings[0]
    assert booking.cancelled_at == ctx.now() and booking.marked_at is None
    assert [(m.body, m.answer) for m in exported.booth_messages] == [
        ("Shift malam?", "Ada, tiga shift.")
    ]
    assert exported.booth_messages[0].vacancy is not None
    assert exported.booth_messages[0].answered_at == ctx.now()
    # Nothing of Budi's anywhere in Ani's download.
    assert "Budi" not in str(data["booth_messages"]) and len(exported.slot_bookings) == 1
    # The readable page (and PDF) has a section for each.
    with i18n.using("en"):
        titled = {part.title: part for part in sections(data)}
    assert len(titled["My 1:1 slots"].entries) == 1
    assert "Cancelled" in [item.value for item in titled["My 1:1 slots"].entries[0].items]
    answer_line = titled["My messages to booths"].entries[0].items[-1]
    assert answer_line.value.startswith("Ada, tiga shift.")


async def test_the_retention_purge_removes_bookings_and_messages_after_the_period(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx, applicants=1)
    first, *_ = await _publish(ctx, world)
    await _booking_and_message(
        ctx, world, world.applicant_ids[0], first, "Halo", answer="Halo juga"
    )
    # A fair that closes later: its bookings and messages stay when the first one's go.
    async with ctx.unit_of_work() as session:
        later = await factories.fair(session, opens_at=datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
        company = await session.scalar(select(Booth.company_id).where(Booth.id == world.booth_id))
        booth = await factories.booth(
            session, fair_row=later, company_row=await session.get(Company, company)
        )
        applicant = await session.scalar(
            select(Applicant).where(Applicant.user_id == world.applicant_ids[0])
        )
        session.add(BoothMessage(booth_id=booth.id, applicant_id=applicant.id, body="Nanti"))
    async with ctx.read() as session:
        closes_at = await session.scalar(select(Fair.closes_at).where(Fair.id == world.fair_id))
    retention = timedelta(days=ctx.settings.retention_days)
    clock.now = closes_at + retention - timedelta(minutes=1)
    assert await run_task(ctx, "purge_slots_and_messages") == 0
    clock.now = closes_at + retention + timedelta(minutes=1)
    assert await run_task(ctx, "purge_slots_and_messages") == 2
    assert await run_task(ctx, "purge_slots_and_messages") == 0
    async with ctx.read() as session:
        left = [m.body for m in await session.scalars(select(BoothMessage))]
        bookings = await session.scalar(select(func.count()).select_from(SlotBooking))
        slots = await session.scalar(select(func.count()).select_from(BoothSlot))
    assert left == ["Nanti"] and bookings == 0 and slots == 3


async def test_the_sweep_runs_the_purge_of_bookings_and_messages() -> None:
    from jobfair.worker.tasks import SWEEP_TASKS

    assert {"purge_chats", "purge_slots_and_messages"} <= set(SWEEP_TASKS)
