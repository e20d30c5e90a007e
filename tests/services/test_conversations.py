"""Booth conversations: position and wait, the grace period, the per-applicant queue
cap, the parallel-chat cap, take-next under concurrency, messages and their order,
outcome, hand-off, video link, abuse report and block, and bad input."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from support import factories
from support.clock import Clock
from support.statements import counted_statements

from jobfair.context import AppContext
from jobfair.models import Applicant, Booth, Fair, User
from jobfair.models.conversations import Conversation, QueueEntry
from jobfair.models.vacancies import VacancyVerification
from jobfair.services import conversations as chats
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

LIMITS = chats.ChatLimits(max_queues=2, grace_seconds=120, max_parallel=2)


@dataclass
class World:
    booth_ids: list[int]
    recruiter_ids: list[int]  # two recruiters of the first booth's company
    outsider_id: int  # a recruiter of another company
    applicant_ids: list[int]
    vacancy_id: int
    organiser_id: int
    fair_slug: str


async def _world(ctx: AppContext, applicants: int = 4) -> World:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        companies = [await factories.company(session) for _ in range(3)]
        booths = [await factories.booth(session, fair_row=fair, company_row=c) for c in companies]
        vacancy = await factories.vacancy(session, booth_row=booths[0])
        recruiters = [
            await factories.recruiter(session, company_row=companies[0]) for _ in range(2)
        ]
        outsider = await factories.recruiter(session, company_row=companies[1])
        people = [await factories.applicant(session) for _ in range(applicants)]
        organiser = await factories.organiser(session, office_row=office)
        return World(
            [b.id for b in booths],
            [r.id for r in recruiters],
            outsider.id,
            [p.id for p in people],
            vacancy.id,
            organiser.id,
            fair.slug,
        )


async def _join(ctx: AppContext, world: World, who: int, booth: int = 0, **options) -> QueueEntry:
    async with ctx.unit_of_work() as session:
        applicant = await session.get(Applicant, world.applicant_ids[who])
        row = await session.get(Booth, world.booth_ids[booth])
        return await chats.join_queue(
            session,
            applicant=applicant,
            user_id=applicant.user_id,
            booth=row,
            now=ctx.now(),
            recruiters_online=options.pop("online", 1),
            limits=options.pop("limits", LIMITS),
            **options,
        )


async def _status(ctx: AppContext, world: World, who: int, online: int = 1):
    async with ctx.read() as session:
        return await chats.queue_status(
            session,
            applicant_id=world.applicant_ids[who],
            booth_id=world.booth_ids[0],
            now=ctx.now(),
            limits=LIMITS,
            recruiters_online=online,
        )


async def _take(ctx: AppContext, world: World, recruiter: int = 0) -> Conversation | None:
    async with ctx.unit_of_work() as session:
        user = await session.get(User, world.recruiter_ids[recruiter])
        booth = await session.get(Booth, world.booth_ids[0])
        return await chats.take_next(session, user=user, booth=booth, now=ctx.now(), limits=LIMITS)


async def _user_of(ctx: AppContext, applicant_id: int) -> User:
    async with ctx.read() as session:
        applicant = await session.get(Applicant, applicant_id)
        user = await session.get(User, applicant.user_id)
        assert user is not None
        return user


async def _recruiter(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


def test_estimate_wait_rule() -> None:
    # Free places take the first ones at once.
    assert (
        chats.estimate_wait(1, recruiters_online=1, open_chats=0, max_parallel=4, median=300) == 0
    )
    assert (
        chats.estimate_wait(4, recruiters_online=1, open_chats=0, max_parallel=4, median=300) == 0
    )
    # Beyond the free places, one median per recruiter's worth of people ahead.
    assert (
        chats.estimate_wait(5, recruiters_online=1, open_chats=0, max_parallel=4, median=300) == 300
    )
    assert (
        chats.estimate_wait(3, recruiters_online=2, open_chats=8, max_parallel=4, median=200) == 400
    )
    # Nobody online: counted as one recruiter.
    assert (
        chats.estimate_wait(2, recruiters_online=0, open_chats=0, max_parallel=4, median=60) == 120
    )


async def test_position_and_wait(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    for who in range(3):
        await _join(ctx, world, who)
        clock.advance(timedelta(seconds=5))
    # One recruiter, two places, both taken: the third waits.
    assert (await _take(ctx, world)) is not None
    assert (await _take(ctx, world)) is not None
    status = await _status(ctx, world, 2)
    assert status is not None and status.position == 1
    # No chat has ended at this booth yet: the default median is used.
    assert status.wait_seconds == chats.DEFAULT_CHAT_SECONDS
    taken = await _status(ctx, world, 0)
    assert taken is not None and taken.conversation_id is not None and taken.position == 0


async def test_priority_goes_first(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    clock.advance(timedelta(seconds=30))
    await _join(ctx, world, 1, priority=True)
    assert (await _status(ctx, world, 1)).position == 1
    assert (await _status(ctx, world, 0)).position == 2
    chat = await _take(ctx, world)
    assert chat is not None and chat.applicant_id == world.applicant_ids[1]


async def test_grace_period_keeps_and_then_drops_the_place(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    first = await _join(ctx, world, 0)
    await _join(ctx, world, 1)
    clock.advance(timedelta(seconds=LIMITS.grace_seconds - 10))
    # A reconnect within the grace period: joining again keeps the same place.
    again = await _join(ctx, world, 0)
    assert again.id == first.id
    assert (await _status(ctx, world, 0)).position == 1
    # Applicant 1 never checked in: past the grace period their place is gone.
    clock.advance(timedelta(seconds=20))
    assert await _status(ctx, world, 1) is None
    async with ctx.unit_of_work() as session:
        await chats.expire_stale(session, ctx.now(), LIMITS)
    async with ctx.read() as session:
        states = dict(
            (await session.execute(select(QueueEntry.applicant_id, QueueEntry.state))).all()
        )
    assert states[world.applicant_ids[1]] == "expired"
    assert states[world.applicant_ids[0]] == "waiting"


async def test_touch_keeps_the_place(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    for _ in range(5):
        clock.advance(timedelta(seconds=60))
        async with ctx.unit_of_work() as session:
            await chats.touch(session, world.applicant_ids[0], ctx.now(), LIMITS)
    assert (await _status(ctx, world, 0)).position == 1


async def test_per_applicant_queue_cap(ctx: AppContext) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0, booth=0)
    await _join(ctx, world, 0, booth=1)
    with pytest.raises(Conflict):
        await _join(ctx, world, 0, booth=2)
    # Leaving one makes room.
    async with ctx.unit_of_work() as session:
        user = await _user_of(ctx, world.applicant_ids[0])
        assert await chats.leave_queue(
            session,
            applicant_id=world.applicant_ids[0],
            user_id=user.id,
            booth_id=world.booth_ids[1],
            now=ctx.now(),
        )
    await _join(ctx, world, 0, booth=2)


async def test_join_refusals(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    with pytest.raises(Conflict):
        await _join(ctx, world, 0, online=0)
    with pytest.raises(ValidationFailed):
        await _join(ctx, world, 0, vacancy_id=world.vacancy_id + 999)
    entry = await _join(ctx, world, 0, vacancy_id=world.vacancy_id)
    assert entry.vacancy_id == world.vacancy_id
    clock.advance(timedelta(days=30))  # the fair has closed
    with pytest.raises(Conflict):
        await _join(ctx, world, 1)


async def test_parallel_chat_cap(ctx: AppContext) -> None:
    world = await _world(ctx)
    for who in range(3):
        await _join(ctx, world, who)
    assert await _take(ctx, world) is not None
    assert await _take(ctx, world) is not None
    with pytest.raises(Conflict):
        await _take(ctx, world)
    # The colleague may still take the third.
    chat = await _take(ctx, world, recruiter=1)
    assert chat is not None and chat.applicant_id == world.applicant_ids[2]
    assert await _take(ctx, world, recruiter=1) is None  # queue empty


async def test_outsider_cannot_take(ctx: AppContext) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    async with ctx.unit_of_work() as session:
        user = await session.get(User, world.outsider_id)
        booth = await session.get(Booth, world.booth_ids[0])
        with pytest.raises(PermissionDenied):
            await chats.take_next(session, user=user, booth=booth, now=ctx.now(), limits=LIMITS)


async def test_take_next_under_concurrency(ctx: AppContext) -> None:
    """Two recruiters racing: every applicant is taken exactly once."""
    world = await _world(ctx, applicants=3)
    for who in range(3):
        await _join(ctx, world, who)
    results = await asyncio.gather(
        *[_take(ctx, world, recruiter=r) for r in (0, 1, 0, 1)], return_exceptions=True
    )
    taken = [r.applicant_id for r in results if isinstance(r, Conversation)]
    assert len(taken) == len(set(taken)) == 3
    async with ctx.read() as session:
        count = await session.scalar(select(func.count()).select_from(Conversation))
    assert count == 3


async def test_messages_order_end_and_outcome(ctx: AppContext) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    assert chat is not None
    applicant = await _user_of(ctx, world.applicant_ids[0])
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    ids = []
    for user, text in [
        (applicant, "Halo"),
        (recruiter, "Selamat siang"),
        (applicant, "Saya tertarik"),
    ]:
        async with ctx.unit_of_work() as session:
            message = await chats.send_message(
                session, user=user, conversation_id=chat.id, body=text, now=ctx.now()
            )
            ids.append(message.id)
    assert ids == sorted(ids)
    async with ctx.read() as session:
        after = await chats.messages_after(session, [chat.id], ids[0])
    assert [m.id for m in after] == ids[1:]
    # Someone else's chat does not exist for them.
    other = await _user_of(ctx, world.applicant_ids[1])
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await chats.send_message(
                session, user=other, conversation_id=chat.id, body="x", now=ctx.now()
            )
    # Bad input.
    for body in ["", "   ", "x" * (chats.MAX_MESSAGE + 1)]:
        async with ctx.unit_of_work() as session:
            with pytest.raises(ValidationFailed):
                await chats.send_message(
                    session, user=applicant, conversation_id=chat.id, body=body, now=ctx.now()
                )
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await chats.set_video_link(
                session,
                user=recruiter,
                conversation_id=chat.id,
                url="javascript:alert(1)",
                now=ctx.now(),
            )
        await chats.set_video_link(
            session,
            user=recruiter,
            conversation_id=chat.id,
            url="https://meet.example.test/abc",
            now=ctx.now(),
        )
    async with ctx.unit_of_work() as session:
        await chats.end(session, user=applicant, conversation_id=chat.id, now=ctx.now())
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):
            await chats.send_message(
                session, user=recruiter, conversation_id=chat.id, body="x", now=ctx.now()
            )
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await chats.record_outcome(
                session,
                user=recruiter,
                conversation_id=chat.id,
                note="",
                interest="maybe",
                invited_vacancy_id=None,
                now=ctx.now(),
            )
    async with ctx.unit_of_work() as session:
        await chats.record_outcome(
            session,
            user=recruiter,
            conversation_id=chat.id,
            note="Komunikatif",
            interest="interested",
            invited_vacancy_id=world.vacancy_id,
            now=ctx.now(),
        )
    async with ctx.read() as session:
        booth = await session.get(Booth, world.booth_ids[0])
        outcomes = await chats.outcomes_by_applicant(
            session, booth.company_id, [world.applicant_ids[0]]
        )
        row = await session.get(Conversation, chat.id)
    assert outcomes[world.applicant_ids[0]].note == "Komunikatif"
    assert outcomes[world.applicant_ids[0]].invited_vacancy is not None
    assert row.ended_by == "applicant" and row.video_url == "https://meet.example.test/abc"


async def test_hand_off_to_a_colleague_only(ctx: AppContext) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await chats.hand_off(
                session,
                user=recruiter,
                conversation_id=chat.id,
                to_user_id=world.outsider_id,
                now=ctx.now(),
            )
    async with ctx.unit_of_work() as session:
        await chats.hand_off(
            session,
            user=recruiter,
            conversation_id=chat.id,
            to_user_id=world.recruiter_ids[1],
            now=ctx.now(),
        )
    async with ctx.read() as session:
        assert (await session.get(Conversation, chat.id)).recruiter_user_id == world.recruiter_ids[
            1
        ]
    # The first recruiter is no longer a party.
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await chats.send_message(
                session, user=recruiter, conversation_id=chat.id, body="x", now=ctx.now()
            )


async def test_abuse_report_and_block(ctx: AppContext) -> None:
    world = await _world(ctx)
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    applicant = await _user_of(ctx, world.applicant_ids[0])
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    organiser = await _recruiter(ctx, world.organiser_id)
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await chats.report_abuse(
                session, user=applicant, conversation_id=chat.id, reason=" ", now=ctx.now()
            )
        with pytest.raises(PermissionDenied):
            await chats.report_abuse(
                session, user=recruiter, conversation_id=chat.id, reason="x", now=ctx.now()
            )
    async with ctx.unit_of_work() as session:
        report = await chats.report_abuse(
            session,
            user=applicant,
            conversation_id=chat.id,
            reason="Kata-kata kasar",
            now=ctx.now(),
        )
    async with ctx.read() as session:
        _fair, rows = await chats.abuse_reports(session, organiser, world.fair_slug)
    assert [r.report.id for r in rows] == [report.id] and not rows[0].blocked
    async with ctx.unit_of_work() as session:
        await chats.block_user(
            session, user=organiser, fair_slug=world.fair_slug, report_id=report.id, now=ctx.now()
        )
    # The block ends the open chat and stops the recruiter chatting in the fair.
    async with ctx.read() as session:
        assert (await session.get(Conversation, chat.id)).ended_at is not None
        _fair, rows = await chats.abuse_reports(session, organiser, world.fair_slug)
    assert rows[0].blocked
    await _join(ctx, world, 1)
    with pytest.raises(PermissionDenied):
        await _take(ctx, world)
    # Another office's organiser sees nothing of this fair.
    async with ctx.unit_of_work() as session:
        other = await factories.organiser(session, office_row=await factories.office(session))
    async with ctx.read() as session:
        with pytest.raises((NotFound, PermissionDenied)):
            await chats.abuse_reports(session, other, world.fair_slug)


async def _chat_with_lines(ctx: AppContext, world: World) -> Conversation:
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    assert chat is not None
    applicant = await _user_of(ctx, world.applicant_ids[0])
    async with ctx.unit_of_work() as session:
        await chats.send_message(
            session, user=applicant, conversation_id=chat.id, body="Rahasia saya", now=ctx.now()
        )
    return chat


async def test_transcript_in_the_export_and_erased_with_the_account(
    ctx: AppContext, tmp_path
) -> None:
    from jobfair.models.conversations import ChatMessage
    from jobfair.services import applicants

    world = await _world(ctx)
    chat = await _chat_with_lines(ctx, world)
    async with ctx.read() as session:
        exported = await chats.export_for(session, world.applicant_ids[0])
    assert [m["body"] for m in exported[0]["messages"] if m["sender"] == "applicant"] == [
        "Rahasia saya"
    ]

    class AnyPassword:
        def holds_for(self, _hash: str) -> bool:
            return True

    user = await _user_of(ctx, world.applicant_ids[0])
    async with ctx.unit_of_work() as session:
        await applicants.delete_account(session, user, AnyPassword(), tmp_path, ctx.now())
    async with ctx.read() as session:
        assert await session.get(Conversation, chat.id) is None
        left = await session.scalar(
            select(func.count())
            .select_from(ChatMessage)
            .where(ChatMessage.conversation_id == chat.id)
        )
        queued = await session.scalar(
            select(func.count())
            .select_from(QueueEntry)
            .where(QueueEntry.applicant_id == world.applicant_ids[0])
        )
    assert left == 0 and queued == 0


async def test_retention_purge_removes_old_fairs_chats_only(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    chat = await _chat_with_lines(ctx, world)
    async with ctx.unit_of_work() as session:
        assert await chats.purge_closed_fairs(session, ctx.now(), 365) == 0
    clock.advance(timedelta(days=7 + 366))
    async with ctx.unit_of_work() as session:
        assert await chats.purge_closed_fairs(session, ctx.now(), 365) == 1
    async with ctx.read() as session:
        assert await session.get(Conversation, chat.id) is None


async def test_booth_queue_for_the_organiser(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    for who in range(3):
        await _join(ctx, world, who)
        clock.advance(timedelta(seconds=5))
    async with ctx.read() as session:
        alone = await chats.booth_queue(
            session, world.booth_ids[0], ctx.now(), LIMITS, recruiters_online=0
        )
        staffed = await chats.booth_queue(
            session, world.booth_ids[0], ctx.now(), LIMITS, recruiters_online=1
        )
        empty = await chats.booth_queue(
            session, world.booth_ids[1], ctx.now(), LIMITS, recruiters_online=0
        )
    # Three waiting, nobody online: the fourth (someone joining now) waits four default
    # medians, counted as for one recruiter, and the booth is flagged.
    assert (alone.waiting, alone.wait_seconds, alone.unattended) == (
        3,
        4 * chats.DEFAULT_CHAT_SECONDS,
        True,
    )
    # One recruiter with LIMITS.max_parallel free places.
    expected = chats.estimate_wait(
        4, recruiters_online=1, open_chats=0, max_parallel=LIMITS.max_parallel,
        median=chats.DEFAULT_CHAT_SECONDS,
    )  # fmt: skip
    assert (staffed.waiting, staffed.wait_seconds, staffed.unattended) == (3, expected, False)
    assert (empty.waiting, empty.unattended) == (0, False)
    # Past the grace period without a touch, the places are gone.
    clock.advance(timedelta(seconds=LIMITS.grace_seconds + 60))
    async with ctx.read() as session:
        later = await chats.booth_queue(
            session, world.booth_ids[0], ctx.now(), LIMITS, recruiters_online=0
        )
    assert (later.waiting, later.unattended) == (0, False)


async def test_booth_chat_states_take_six_statements_for_any_number_of_booths(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    # A past chat at the first booth (for its median), two people waiting there, one
    # waiting at the second booth; nobody at the third.
    await _join(ctx, world, 3)
    chat = await _take(ctx, world)
    assert chat is not None
    clock.advance(timedelta(seconds=200))
    async with ctx.unit_of_work() as session:
        user = await session.get(User, world.recruiter_ids[0])
        await chats.end(session, user=user, conversation_id=chat.id, now=ctx.now())
    await _join(ctx, world, 0)
    clock.advance(timedelta(seconds=5))
    await _join(ctx, world, 1)
    await _join(ctx, world, 2, booth=1)
    # More booths with recruiters and a queue each: the statement count stays.
    async with ctx.unit_of_work() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == world.fair_slug))
        more = []
        for _ in range(4):
            company = await factories.company(session)
            await factories.recruiter(session, company_row=company)
            more.append((await factories.booth(session, fair_row=fair, company_row=company)).id)
    for booth_id in more:
        async with ctx.unit_of_work() as session:
            applicant = await session.get(Applicant, world.applicant_ids[3])
            booth = await session.get(Booth, booth_id)
            await session.execute(
                QueueEntry.__table__.insert().values(
                    fair_id=booth.fair_id,
                    booth_id=booth.id,
                    applicant_id=applicant.id,
                    state="waiting",
                    priority=False,
                    joined_at=ctx.now(),
                    last_seen_at=ctx.now(),
                )
            )
    counts = []
    for booth_ids in ([world.booth_ids[0]], world.booth_ids, world.booth_ids + more):
        async with ctx.read() as session:
            with counted_statements(ctx.engine) as seen:
                states = await chats.booth_chat_states(session, booth_ids, ctx.now(), LIMITS)
        counts.append(len(seen))
        assert sorted(states) == sorted(booth_ids)
    assert counts == [6, 6, 6]
    first = states[world.booth_ids[0]]
    # The same figures the one-booth rules give.
    async with ctx.read() as session:
        assert first.median_seconds == 200
        queue = await chats.booth_queue(
            session, first.booth_id, ctx.now(), LIMITS, recruiters_online=1
        )
        status = await _status(ctx, world, 1)
    assert first.queue(recruiters_online=1, limits=LIMITS) == queue
    second_user = (await _user_of(ctx, world.applicant_ids[1])).id
    assert first.position_of(second_user) == status.position == 2
    assert first.wait_at(2, recruiters_online=1, limits=LIMITS) == status.wait_seconds
    assert [r.user_id for r in first.recruiters] == world.recruiter_ids
    assert all(r.open_chats == 0 for r in first.recruiters)
    assert states[world.booth_ids[2]].waiting == ()
    # The organiser's overview: booths waiting with nobody online come first, flagged.
    overview = chats.chat_overview(states, {world.booth_ids[0]: {world.recruiter_ids[0]}}, LIMITS)
    assert [name for name, _ in overview.presence] == [first.company_name]
    flagged = [queue for _name, queue in overview.queues if queue.unattended]
    assert len(flagged) == 5 and overview.queues[-1][1].booth_id == first.booth_id
    assert chats.chat_overview({}, {}, LIMITS).queues == []


# ------------------------------------------------------------------ the chat timer


async def _timed_chat(ctx: AppContext, world: World, minutes: int = 5) -> Conversation:
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    async with ctx.unit_of_work() as session:
        booth = await session.get(Booth, world.booth_ids[0])
        await chats.set_timer(session, user=recruiter, company_id=booth.company_id, minutes=minutes)
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    assert chat is not None and chat.timer_minutes == minutes
    return chat


async def test_a_chat_whose_time_is_up_does_not_count_against_the_cap(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    first = await _timed_chat(ctx, world, minutes=1)  # the recruiter's first chat
    for who in (1, 2):
        await _join(ctx, world, who)
    assert await _take(ctx, world) is not None  # the second: the cap (2) is reached
    with pytest.raises(Conflict):
        await _take(ctx, world)
    # The first chat's time runs out before any sweep (the places waiting are still
    # within their grace period): the next take ends it and goes on.
    clock.advance(timedelta(minutes=1))
    third = await _take(ctx, world)
    assert third is not None and third.applicant_id == world.applicant_ids[2]
    async with ctx.read() as session:
        ended = await session.get(Conversation, first.id)
    assert ended.ended_by == "timer" and ended.ended_at == first.started_at + timedelta(minutes=1)


async def _system_lines(ctx: AppContext, chat_id: int) -> list[str]:
    async with ctx.read() as session:
        return [m.body for m in await chats.transcript(session, chat_id) if m.sender == "system"]


async def test_the_timer_refuses_actions_once_up_and_the_chat_ends(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    chat = await _timed_chat(ctx, world)
    assert chats.ends_at(chat) == chat.started_at + timedelta(minutes=5)
    applicant = await _user_of(ctx, world.applicant_ids[0])
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    clock.advance(timedelta(minutes=4, seconds=59))
    async with ctx.unit_of_work() as session:
        await chats.send_message(
            session, user=applicant, conversation_id=chat.id, body="Masih ada waktu", now=ctx.now()
        )
    clock.advance(timedelta(seconds=1))  # exactly at the end time: up
    for action in (
        lambda s: chats.send_message(
            s, user=applicant, conversation_id=chat.id, body="Terlambat", now=ctx.now()
        ),
        lambda s: chats.share_cv(s, user=applicant, conversation_id=chat.id, now=ctx.now()),
        lambda s: chats.set_video_link(
            s,
            user=recruiter,
            conversation_id=chat.id,
            url="https://meet.example.test/x",
            now=ctx.now(),
        ),
        lambda s: chats.hand_off(
            s,
            user=recruiter,
            conversation_id=chat.id,
            to_user_id=world.recruiter_ids[1],
            now=ctx.now(),
        ),
    ):
        with pytest.raises(chats.TimeUp):
            async with ctx.unit_of_work() as session:
                await action(session)
    # Refused and rolled back: nothing was added, and the chat is still to be ended.
    async with ctx.read() as session:
        row = await session.get(Conversation, chat.id)
        assert row.ended_at is None and not row.cv_shared and row.video_url is None
        assert row.recruiter_user_id == world.recruiter_ids[0]
    # What the web layer does on that refusal, late: the chat ends at its end time.
    clock.advance(timedelta(seconds=30))
    async with ctx.unit_of_work() as session:
        assert await chats.end_timed_out(session, ctx.now(), conversation_id=chat.id) == 1
    async with ctx.unit_of_work() as session:
        assert await chats.end_timed_out(session, ctx.now(), conversation_id=chat.id) == 0
    async with ctx.read() as session:
        row = await session.get(Conversation, chat.id)
    assert row.ended_by == chats.ENDED_BY_TIMER
    assert row.ended_at == chat.started_at + timedelta(minutes=5)
    assert await _system_lines(ctx, chat.id) == ["started", "ended"]
    # Ended now: the plain refusal, not the timer's.
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as refused:
            await chats.send_message(
                session, user=applicant, conversation_id=chat.id, body="x", now=ctx.now()
            )
    assert not isinstance(refused.value, chats.TimeUp)


async def test_ending_a_chat_after_its_time_is_the_timers_end(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    chat = await _timed_chat(ctx, world, minutes=1)
    applicant = await _user_of(ctx, world.applicant_ids[0])
    clock.advance(timedelta(minutes=3))
    async with ctx.unit_of_work() as session:
        ended = await chats.end(session, user=applicant, conversation_id=chat.id, now=ctx.now())
    assert ended.ended_by == chats.ENDED_BY_TIMER
    assert ended.ended_at == chat.started_at + timedelta(minutes=1)
    assert await _system_lines(ctx, chat.id) == ["started", "ended"]


async def test_the_sweep_ends_timed_out_chats_and_tells_both_sides(
    ctx: AppContext, clock: Clock
) -> None:
    from jobfair.live import signals
    from jobfair.worker.registry import run_task

    world = await _world(ctx)
    timed = await _timed_chat(ctx, world, minutes=10)
    # A chat of a company without a timer runs on.
    async with ctx.unit_of_work() as session:
        other = await session.get(Booth, world.booth_ids[1])
        recruiter = await factories.recruiter(session, company_row=other.company)
        recruiter_id = recruiter.id
    await _join(ctx, world, 1, booth=1)
    async with ctx.unit_of_work() as session:
        untimed = await chats.take_next(
            session,
            user=await session.get(User, recruiter_id),
            booth=await session.get(Booth, world.booth_ids[1]),
            now=ctx.now(),
            limits=LIMITS,
        )
    assert untimed is not None and untimed.timer_minutes is None
    assert ctx.live is not None
    published: list = []
    original = ctx.live.submit
    ctx.live.submit = published.extend  # type: ignore[method-assign]
    try:
        clock.advance(timedelta(minutes=9))
        assert await run_task(ctx, "end_timed_out_chats") == 0
        clock.advance(timedelta(minutes=1))
        assert await run_task(ctx, "end_timed_out_chats") == 1
        assert await run_task(ctx, "end_timed_out_chats") == 0  # once
    finally:
        ctx.live.submit = original  # type: ignore[method-assign]
    applicant_user = (await _user_of(ctx, world.applicant_ids[0])).id
    changed = [s for s in published if isinstance(s, signals.ConversationChanged)]
    assert [(s.conversation_id, set(s.user_ids)) for s in changed] == [
        (timed.id, {world.recruiter_ids[0], applicant_user})
    ]
    async with ctx.read() as session:
        assert (await session.get(Conversation, timed.id)).ended_by == chats.ENDED_BY_TIMER
        assert (await session.get(Conversation, untimed.id)).ended_at is None
        # Both parties' sockets read the "ended" line from here, as after a manual end.
        lines = await chats.messages_after(session, [timed.id], 0)
    assert [m.body for m in lines] == ["started", "ended"]


# ------------------------------------------------------------------ the sweep


async def test_the_sweep_lists_the_queue_expiry_and_the_timer() -> None:
    from jobfair.worker.tasks import SWEEP_TASKS

    assert {"expire_stale_queue", "end_timed_out_chats", "send_slot_reminders"} <= set(SWEEP_TASKS)


async def test_the_expiry_task_expires_places_past_the_grace_period(
    ctx: AppContext, clock: Clock
) -> None:
    from jobfair.worker.registry import run_task

    world = await _world(ctx)
    grace = ctx.settings.chat_queue_grace_seconds
    limits = chats.ChatLimits.from_settings(ctx.settings)
    await _join(ctx, world, 0, limits=limits)
    clock.advance(timedelta(seconds=grace - 1))
    assert await run_task(ctx, "expire_stale_queue") == 0
    await _join(ctx, world, 1, limits=limits)
    clock.advance(timedelta(seconds=2))
    assert await run_task(ctx, "expire_stale_queue") == 1
    assert await run_task(ctx, "expire_stale_queue") == 0
    async with ctx.read() as session:
        states = dict(
            (await session.execute(select(QueueEntry.applicant_id, QueueEntry.state))).all()
        )
    assert states == {world.applicant_ids[0]: "expired", world.applicant_ids[1]: "waiting"}


async def test_an_expiry_tells_the_booth_queue_it_changed(ctx: AppContext, clock: Clock) -> None:
    # The consoles' waiting lists and the places behind move on an expiry as on a leave.
    from jobfair.db.uow import _SIGNALS_KEY
    from jobfair.live.signals import QueueChanged

    world = await _world(ctx)
    limits = chats.ChatLimits.from_settings(ctx.settings)
    await _join(ctx, world, 0, limits=limits)
    clock.advance(timedelta(seconds=ctx.settings.chat_queue_grace_seconds + 1))
    async with ctx.unit_of_work() as session:
        assert await chats.expire_stale(session, ctx.now(), limits) == 1
        pending = [s for s in session.info.get(_SIGNALS_KEY, []) if isinstance(s, QueueChanged)]
        booth = await session.get(Booth, world.booth_ids[0])
    assert [(s.booth_id, s.fair_id) for s in pending] == [(booth.id, booth.fair_id)]
    async with ctx.unit_of_work() as session:
        assert await chats.expire_stale(session, ctx.now(), limits) == 0
        assert not [s for s in session.info.get(_SIGNALS_KEY, []) if isinstance(s, QueueChanged)]


async def test_the_in_process_sweep_runs_the_expiry_and_the_timer(
    ctx: AppContext, clock: Clock
) -> None:
    from jobfair.worker.runner import InProcessRunner

    world = await _world(ctx)
    chat = await _timed_chat(ctx, world, minutes=1)
    await _join(ctx, world, 1, limits=chats.ChatLimits.from_settings(ctx.settings))
    clock.advance(timedelta(seconds=ctx.settings.chat_queue_grace_seconds + 60))

    async def swept() -> bool:
        async with ctx.read() as session:
            state = await session.scalar(
                select(QueueEntry.state).where(QueueEntry.applicant_id == world.applicant_ids[1])
            )
            ended = (await session.get(Conversation, chat.id)).ended_at
        return state == "expired" and ended is not None

    # The sweep's first pass runs at once; a pass takes well under the wait given here.
    runner = InProcessRunner(ctx, sweep_every=3600)
    try:
        for _ in range(200):
            if await swept():
                break
            await asyncio.sleep(0.05)
    finally:
        await runner.close()
    assert await swept()


# ------------------------------------------------------------------ the invitation to apply


async def test_an_invitation_to_apply_is_sent_once_in_app_and_by_mail(ctx: AppContext) -> None:
    from jobfair import i18n
    from jobfair.models import Notification, Outbox
    from jobfair.services import notifications

    world = await _world(ctx)
    async with ctx.unit_of_work() as session:
        booth = await session.get(Booth, world.booth_ids[0])
        second = await factories.vacancy(session, booth_row=booth, title="Operator Boiler")
        second_id = second.id
        slug = (await session.get(factories.Fair, booth.fair_id)).slug
    await _join(ctx, world, 0)
    chat = await _take(ctx, world)
    assert chat is not None
    recruiter = await _recruiter(ctx, world.recruiter_ids[0])
    applicant = await _user_of(ctx, world.applicant_ids[0])

    def path(fair_slug: str, vacancy_id: int) -> str:
        return f"/fairs/{fair_slug}/vacancies/{vacancy_id}"

    async def outcome(vacancy_id: int | None, note: str = "") -> None:
        async with ctx.unit_of_work() as session:
            await chats.record_outcome(
                session,
                user=recruiter,
                conversation_id=chat.id,
                note=note,
                interest="interested",
                invited_vacancy_id=vacancy_id,
                now=ctx.now(),
                base_url="https://bursa.test",
                vacancy_path=path,
            )

    async def told() -> tuple[list[Notification], list[Outbox]]:
        async with ctx.read() as session:
            rows = list(await session.scalars(select(Notification).order_by(Notification.id)))
            mails = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
        return rows, mails

    await outcome(None)
    assert await told() == ([], [])
    # A vacancy of another booth is refused, and nobody is told.
    async with ctx.unit_of_work() as session:
        other_booth = await session.get(Booth, world.booth_ids[1])
        foreign = (await factories.vacancy(session, booth_row=other_booth)).id
    with pytest.raises(ValidationFailed):
        await outcome(foreign)
    assert await told() == ([], [])
    # So is a vacancy of this booth that is not public (not yet verified): its page
    # would be a 404 for the applicant, and its title not theirs to see.
    async with ctx.unit_of_work() as session:
        booth_row = await session.get(Booth, world.booth_ids[0])
        hidden = (
            await factories.vacancy(
                session, booth_row=booth_row, verification=VacancyVerification.PENDING
            )
        ).id
    with pytest.raises(ValidationFailed):
        await outcome(hidden)
    assert await told() == ([], [])
    await outcome(world.vacancy_id)
    rows, mails = await told()
    assert [(r.user_id, r.kind, r.link) for r in rows] == [
        (applicant.id, "apply_invitation", path(slug, world.vacancy_id))
    ]
    assert [m.to_address for m in mails] == [applicant.email]
    # The mail is in the applicant's language (Indonesian), with the absolute link.
    assert mails[0].subject == "Perusahaan mengundang Anda untuk melamar"
    assert (
        f"https://bursa.test/fairs/{slug}/vacancies/{world.vacancy_id}"
        in (mails[0].payload["body"])
    )
    # Worded when shown, in the page's language, the link named after what it opens.
    with i18n.using("en"):
        shown = notifications.shown(rows[0])
        assert shown.subject == "A company invites you to apply"
        assert shown.link_label == "See the vacancy and apply"
        assert "invites you to apply for this vacancy" in shown.text
    with i18n.using("id"):
        assert notifications.shown(rows[0]).link_label == "Lihat lowongan dan lamar"
    # Saving the outcome again (a corrected note) does not invite again; another vacancy does.
    await outcome(world.vacancy_id, note="Catatan diperbaiki")
    assert len((await told())[0]) == 1
    await outcome(second_id)
    rows, mails = await told()
    assert [r.link for r in rows] == [path(slug, world.vacancy_id), path(slug, second_id)]
    assert len(mails) == 2
    assert "Operator Boiler" in notifications.shown(rows[1]).lines[0].title
    # Only the chat's applicant was told.
    assert {r.user_id for r in rows} == {applicant.id}
