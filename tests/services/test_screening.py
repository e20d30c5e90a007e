"""Screening: the status machine, staged decisions, release with undo, one message per
applicant, hires and their confirmation, and the decision deadline."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from starlette.datastructures import FormData
from support import factories
from support.clock import Clock

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import (
    Application,
    ApplicationEvent,
    Notification,
    Outbox,
    Placement,
    User,
)
from jobfair.services import applications, notifications, screening
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.screening import ScreeningFilters, StageForm


@dataclass
class World:
    recruiter_id: int
    other_recruiter_id: int
    fair_id: int
    vacancy_ids: list[int]
    application_ids: list[int]  # company A's
    other_application_id: int  # company B's
    applicant_user_ids: list[int]


async def _world(ctx: AppContext, applicants: int = 3) -> World:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session, name="PT Sawit Makmur")
        other = await factories.company(session, name="PT Lain")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        other_booth = await factories.booth(session, fair_row=fair, company_row=other)
        vacancies = [await factories.vacancy(session, booth_row=booth) for _ in range(2)]
        other_vacancy = await factories.vacancy(session, booth_row=other_booth)
        recruiter = await factories.recruiter(session, company_row=company)
        other_recruiter = await factories.recruiter(session, company_row=other)
        app_ids, user_ids = [], []
        for n in range(applicants):
            person = await factories.applicant(session, vault=ctx.nik_vault)
            user_ids.append(person.user_id)
            for vacancy in vacancies:
                row = await factories.application(
                    session, vacancy_row=vacancy, applicant_row=person
                )
                app_ids.append(row.id)
            if n == 0:
                foreign = await factories.application(
                    session, vacancy_row=other_vacancy, applicant_row=person
                )
        return World(
            recruiter.id,
            other_recruiter.id,
            fair.id,
            [v.id for v in vacancies],
            app_ids,
            foreign.id,
            user_ids,
        )


async def _user(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def test_stage_is_private_until_released_then_one_message_per_applicant(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    recruiter = await _user(ctx, world.recruiter_id)
    first, second = world.application_ids[0], world.application_ids[1]  # same applicant
    async with ctx.unit_of_work() as session:
        result = await screening.stage(
            session, recruiter, "shortlisted", ctx.now(), application_ids=[first]
        )
        await screening.stage(session, recruiter, "rejected", ctx.now(), application_ids=[second])
    assert result.changed == 1
    applicant = await _user(ctx, world.applicant_user_ids[0])
    async with ctx.read() as session:
        mine = {
            item.id: item.status for item in await applications.my_applications(session, applicant)
        }
        assert mine[first] == "submitted" and mine[second] == "submitted"
        assert (await session.get(Application, first)).status == "shortlisted"  # type: ignore[union-attr]
    # Changing one's mind before sending replaces the staged decision.
    async with ctx.unit_of_work() as session:
        await screening.stage(session, recruiter, "interview", ctx.now(), application_ids=[first])
    async with ctx.unit_of_work() as session:
        due = await screening.release(session, recruiter, ctx.now())
    assert due == ctx.now() + screening.UNDO_WINDOW
    # Undo inside the window: staged again, nothing delivered.
    clock.advance(timedelta(minutes=1))
    async with ctx.unit_of_work() as session:
        assert await screening.undo_release(session, recruiter, ctx.now()) == 2
        assert await screening.deliver_due(session, ctx.now() + timedelta(hours=1)) == 0
        assert await screening.release(session, recruiter, ctx.now()) is not None
    async with ctx.unit_of_work() as session:
        assert await screening.deliver_due(session, ctx.now()) == 0  # not due yet
    clock.advance(screening.UNDO_WINDOW)
    async with ctx.unit_of_work() as session:
        assert await screening.undo_release(session, recruiter, ctx.now()) == 0  # too late
        assert await screening.deliver_due(session, ctx.now()) == 2
    async with ctx.unit_of_work() as session:
        assert await screening.deliver_due(session, ctx.now()) == 0  # idempotent
    async with ctx.read() as session:
        mine = {
            item.id: item.status for item in await applications.my_applications(session, applicant)
        }
        assert (mine[first], mine[second]) == ("interview", "rejected")
        notes = list(
            await session.scalars(select(Notification).where(Notification.user_id == applicant.id))
        )
        mails = list(await session.scalars(select(Outbox)))
        events = await session.scalar(
            select(func.count())
            .select_from(ApplicationEvent)
            .where(ApplicationEvent.application_id == first)
        )
    # One message summarising both decisions, not one per decision.
    assert len(notes) == 1 and len(mails) == 1
    assert len(notifications.shown(notes[0]).lines) == 2
    assert mails[0].payload["body"].count("•") == 2
    assert events == 1  # the replaced staged decision is gone; only "interview" remains


async def test_the_message_with_a_decision_reaches_the_applicant(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    recruiter = await _user(ctx, world.recruiter_id)
    first = world.application_ids[0]
    message = "Silakan datang wawancara Senin pukul 09.00 di kantor kami."
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, recruiter, "interview", ctx.now(), application_ids=[first], note=message
        )
        await screening.release(session, recruiter, ctx.now())
    applicant = await _user(ctx, world.applicant_user_ids[0])
    async with ctx.read() as session:
        _item, timeline = await applications.my_application(session, applicant, first)
        assert timeline == []  # staged: not told yet (the factory records no submission)
    clock.advance(screening.UNDO_WINDOW)
    async with ctx.unit_of_work() as session:
        assert await screening.deliver_due(session, ctx.now()) == 1
    async with ctx.read() as session:
        _item, timeline = await applications.my_application(session, applicant, first)
        notice = await session.scalar(
            select(Notification).where(Notification.user_id == applicant.id)
        )
        mail = await session.scalar(select(Outbox))
    assert [(entry.status, entry.note) for entry in timeline] == [("interview", message)]
    # The notification says a message came and links to the application that shows
    # it; the e-mail, which leaves the site, carries it.
    assert notice is not None
    line = notifications.shown(notice).lines[0]
    assert line.message and line.application_id == first and message not in line.outcome
    assert mail is not None and message in str(mail.payload.get("body"))


async def test_transitions_are_refused_with_a_reason(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    target = world.application_ids[0]
    async with ctx.unit_of_work() as session:
        await screening.stage(session, recruiter, "rejected", ctx.now(), application_ids=[target])
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW + timedelta(seconds=1))
    async with ctx.unit_of_work() as session:
        await screening.deliver_due(session, ctx.now())
    i18n.set_locale("en")
    with pytest.raises(Conflict, match="closed"):
        async with ctx.unit_of_work() as session:
            await screening.stage(
                session, recruiter, "shortlisted", ctx.now(), application_ids=[target]
            )
    for status in ("withdrawn", "unanswered", "submitted", "bogus"):
        with pytest.raises(ValidationFailed):
            async with ctx.unit_of_work() as session:
                await screening.stage(
                    session, recruiter, status, ctx.now(), application_ids=[target]
                )
    assert screening.transition_refusal("interview", "reviewed") is not None
    assert screening.transition_refusal("reviewed", "interview") is None


async def test_another_companys_applications_do_not_exist(ctx: AppContext) -> None:
    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await screening.company_application(session, recruiter, world.other_application_id)
        with pytest.raises(NotFound):
            await screening.stage(
                session,
                recruiter,
                "reviewed",
                ctx.now(),
                application_ids=[world.other_application_id],
            )
        with pytest.raises(NotFound):
            await screening.add_note(session, recruiter, world.other_application_id, "x", ctx.now())
        mixed = await screening.stage(
            session,
            recruiter,
            "reviewed",
            ctx.now(),
            application_ids=[world.application_ids[0], world.other_application_id],
        )
    assert mixed.changed == 1 and world.other_application_id in mixed.refused
    async with ctx.read() as session:
        assert (await session.get(Application, world.other_application_id)).status == "submitted"  # type: ignore[union-attr]
        applicant = await _user(ctx, world.applicant_user_ids[0])
        with pytest.raises(PermissionDenied):
            await screening.membership(session, applicant)


async def test_bulk_stage_all_matching(ctx: AppContext) -> None:
    world = await _world(ctx, applicants=4)
    recruiter = await _user(ctx, world.recruiter_id)
    filters = ScreeningFilters(vacancy_id=world.vacancy_ids[0])
    async with ctx.unit_of_work() as session:
        result = await screening.stage(session, recruiter, "reviewed", ctx.now(), filters=filters)
    assert result.changed == 4 and result.refused == {}
    async with ctx.read() as session:
        page = await screening.list_applications(
            session, recruiter, ScreeningFilters(status="reviewed")
        )
        assert page.total == 4 and all(row.pending for row in page.rows)
        company_id = (await screening.membership(session, recruiter)).company_id
        assert await screening.pending_count(session, company_id) == (4, 0)


async def test_hire_creates_a_placement_the_applicant_confirms(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    hired, denied = world.application_ids[0], world.application_ids[1]
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, recruiter, "hired", ctx.now(), application_ids=[hired, denied]
        )
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW)
    async with ctx.unit_of_work() as session:
        await screening.deliver_due(session, ctx.now())
    applicant = await _user(ctx, world.applicant_user_ids[0])
    async with ctx.unit_of_work() as session:
        placement = await screening.decide_placement(session, applicant, hired, True, ctx.now())
        assert placement.confirmation == "confirmed"
        await screening.decide_placement(
            session, applicant, denied, False, ctx.now(), "Tidak pernah dihubungi"
        )
    with pytest.raises(Conflict):
        async with ctx.unit_of_work() as session:
            await screening.decide_placement(session, applicant, hired, False, ctx.now())
    with pytest.raises(NotFound):
        async with ctx.unit_of_work() as session:
            await screening.decide_placement(session, recruiter, hired, True, ctx.now())
    async with ctx.read() as session:
        rows = {p.application_id: p.confirmation for p in await session.scalars(select(Placement))}
    assert rows == {hired: "confirmed", denied: "denied"}


async def test_decision_deadline_closes_what_is_left_once(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx, applicants=2)
    recruiter = await _user(ctx, world.recruiter_id)
    answered, staged_only = world.application_ids[0], world.application_ids[1]
    async with ctx.unit_of_work() as session:
        await screening.stage(session, recruiter, "rejected", ctx.now(), application_ids=[answered])
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW)
    async with ctx.unit_of_work() as session:
        await screening.deliver_due(session, ctx.now())
        # Staged but never sent before the deadline: the applicant never got an answer.
        await screening.stage(
            session, recruiter, "shortlisted", ctx.now(), application_ids=[staged_only]
        )
        fair = await session.get(factories.Fair, world.fair_id)
        assert fair is not None
        deadline = fair.decision_deadline
    async with ctx.unit_of_work() as session:
        assert await screening.close_unanswered(session, world.fair_id, ctx.now()) == 0  # not yet
    clock.now = deadline
    async with ctx.read() as session:
        assert await screening.fairs_past_deadline(session, ctx.now()) == [world.fair_id]
    async with ctx.unit_of_work() as session:
        closed = await screening.close_unanswered(session, world.fair_id, ctx.now())
    # 2 applicants × 2 vacancies of A + 1 of B, minus the one answered.
    assert closed == 4
    async with ctx.unit_of_work() as session:
        assert await screening.close_unanswered(session, world.fair_id, ctx.now()) == 0
    async with ctx.read() as session:
        statuses = dict(
            (await session.execute(select(Application.id, Application.released_status))).all()
        )
        assert statuses[answered] == "rejected" and statuses[staged_only] == "unanswered"
        assert await screening.fairs_past_deadline(session, ctx.now()) == []
        pending = await session.scalar(
            select(func.count())
            .select_from(ApplicationEvent)
            .where(ApplicationEvent.released_at.is_(None))
        )
        assert pending == 0
        notes = await session.scalar(select(func.count()).select_from(Notification))
        record = await screening.responsiveness(
            session, (await screening.membership(session, recruiter)).company_id
        )
    assert notes == 3  # rejection to applicant 1; deadline messages to both
    assert record.unanswered == 3 and record.answered == 1 and record.waiting == 0


async def test_the_sweep_delivers_due_decisions_and_closes_deadlines(
    ctx: AppContext, clock: Clock
) -> None:
    from jobfair.worker.runner import InProcessRunner

    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, recruiter, "shortlisted", ctx.now(), application_ids=[world.application_ids[0]]
        )
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW + timedelta(seconds=1))

    async def one_sweep_pass() -> None:
        runner = InProcessRunner(ctx, sweep_every=3600)
        for _ in range(50):  # the first pass runs at once; let it start
            await asyncio.sleep(0.01)
            if runner._running:
                break
        await runner.drain()
        await runner.close()

    await one_sweep_pass()
    async with ctx.read() as session:
        first = await session.get(Application, world.application_ids[0])
        assert first is not None and first.released_status == "shortlisted"
        fair = await session.get(factories.Fair, world.fair_id)
        assert fair is not None
        clock.now = fair.decision_deadline
    await one_sweep_pass()
    async with ctx.read() as session:
        waiting = await session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.released_status.in_(screening.OPEN_STATUSES))
        )
    assert waiting == 0


async def _release(ctx: AppContext, clock: Clock, recruiter: User, status: str, ids: list[int]):  # type: ignore[no-untyped-def]
    async with ctx.unit_of_work() as session:
        await screening.stage(session, recruiter, status, ctx.now(), application_ids=ids)
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW + timedelta(seconds=1))
    async with ctx.unit_of_work() as session:
        await screening.deliver_due(session, ctx.now())


async def test_the_deadline_tells_answered_applicants_the_truth(
    ctx: AppContext, clock: Clock
) -> None:
    """Never answered → ``unanswered``; answered but not decided → ``undecided``, with
    its own message; the company dashboard, the organiser's live table and the report
    count answered, unanswered and undecided the same way."""
    from jobfair.services import live
    from jobfair.stats import compile as stats

    world = await _world(ctx, applicants=3)
    recruiter = await _user(ctx, world.recruiter_id)
    rejected, shortlisted, seen, untouched, interview, withdrawn = world.application_ids
    await _release(ctx, clock, recruiter, "rejected", [rejected])
    await _release(ctx, clock, recruiter, "shortlisted", [shortlisted])
    await _release(ctx, clock, recruiter, "reviewed", [seen])
    await _release(ctx, clock, recruiter, "interview", [interview, withdrawn])
    # Answered with an interview, then withdrawn by the applicant: still answered.
    owner = await _user(ctx, world.applicant_user_ids[2])
    async with ctx.unit_of_work() as session:
        await applications.withdraw(session, owner, withdrawn, ctx.now())
        await session.execute(update(User).values(locale="en"))  # messages read in English
        fair = await session.get(factories.Fair, world.fair_id)
        assert fair is not None
        deadline = fair.decision_deadline
    clock.now = deadline
    async with ctx.unit_of_work() as session:
        closed = await screening.close_unanswered(session, world.fair_id, ctx.now())
    assert closed == 5  # A's shortlisted, seen, untouched, interview; B's one
    async with ctx.read() as session:
        released = dict(
            (await session.execute(select(Application.id, Application.released_status))).all()
        )
        assert released[rejected] == "rejected" and released[withdrawn] == "withdrawn"
        assert released[shortlisted] == "undecided" and released[interview] == "undecided"
        assert released[seen] == "unanswered" and released[untouched] == "unanswered"
        rows = list(
            await session.scalars(
                select(Notification)
                .where(Notification.created_at == deadline)
                .order_by(Notification.id)
            )
        )
        company_id = (await screening.membership(session, recruiter)).company_id
        record = await screening.responsiveness(session, company_id)
        table = await live.organiser_table(session, world.fair_id)
    i18n.set_locale("en")
    bodies = [notifications.shown(row).text for row in rows]
    # Applicant 1 (shortlisted + seen) gets one message naming both outcomes.
    assert any(
        "did not give a final decision" in body and "did not answer" in body for body in bodies
    )
    assert all("Companies have answered" not in body for body in bodies)
    # Six applications of company A: answered = rejected, shortlisted, interview and the
    # withdrawn interview; all six are owed an answer (the withdrawal came after one).
    assert (record.applications, record.answerable, record.answered) == (6, 6, 4)
    assert (record.unanswered, record.undecided, record.waiting) == (2, 2, 0)
    row = next(r for r in table.companies if r.company_name == "PT Sawit Makmur")
    assert (row.answered, row.answerable) == (record.answered, record.answerable)
    async with ctx.unit_of_work() as session:
        data = (await stats.compile_fair_report(session, world.fair_id, ctx.now())).data
    companies = next(t for t in data["tables"] if t["key"] == "companies")["rows"]
    a = next(r for r in companies if r["company"] == "PT Sawit Makmur")
    assert record.share_answered is not None
    assert a["answered_share"] == round(record.share_answered, 4) == 0.6667
    assert (a["unanswered"], a["undecided"]) == (2, 2)


async def test_choosing_what_was_told_takes_a_draft_back(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    target = world.application_ids[0]
    await _release(ctx, clock, recruiter, "reviewed", [target])
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, recruiter, "shortlisted", ctx.now(), application_ids=[target]
        )
    async with ctx.unit_of_work() as session:
        result = await screening.stage(
            session, recruiter, "reviewed", ctx.now(), application_ids=[target]
        )
    assert result.changed == 1 and not result.refused
    async with ctx.read() as session:
        application = await session.get(Application, target)
        assert application is not None
        assert (application.status, application.released_status) == ("reviewed", "reviewed")
        drafts = await session.scalar(
            select(func.count())
            .select_from(ApplicationEvent)
            .where(
                ApplicationEvent.application_id == target, ApplicationEvent.released_at.is_(None)
            )
        )
        assert drafts == 0
    # With no draft left, the same choice is refused with a reason, not a "go back".
    i18n.set_locale("en")
    with pytest.raises(Conflict, match="already been told"):
        async with ctx.unit_of_work() as session:
            await screening.stage(
                session, recruiter, "reviewed", ctx.now(), application_ids=[target]
            )


async def test_a_staged_decision_does_not_block_withdrawing(ctx: AppContext) -> None:
    world = await _world(ctx, applicants=1)
    recruiter = await _user(ctx, world.recruiter_id)
    owner = await _user(ctx, world.applicant_user_ids[0])
    target = world.application_ids[0]
    async with ctx.unit_of_work() as session:
        await screening.stage(session, recruiter, "rejected", ctx.now(), application_ids=[target])
    async with ctx.unit_of_work() as session:
        application = await applications.withdraw(session, owner, target, ctx.now())
    assert application.released_status == "withdrawn"


# ------------------------------------------------------------------ typed input


def _form(*items: tuple[str, str]) -> FormData:
    return FormData(list(items))


def test_stage_form_reads_ticked_rows() -> None:
    order = StageForm.parse(
        _form(("status", "shortlisted"), ("ids", "3"), ("ids", " 7 "), ("note", "  "))
    )
    assert (order.status, order.ids, order.filters, order.note) == (
        "shortlisted",
        [3, 7],
        None,
        None,
    )
    assert not order.asks_confirmation


def test_stage_form_reads_every_matching_with_the_table_filters() -> None:
    order = StageForm.parse(
        _form(("status", "rejected"), ("all_matching", "1"), ("f_pending", "1"), ("f_vacancy", "4"))
    )
    assert order.ids is None and order.filters == ScreeningFilters(pending=True, vacancy_id=4)
    assert order.asks_confirmation  # every matching application: confirmed first
    confirmed = StageForm.parse(
        _form(("status", "rejected"), ("all_matching", "1"), ("confirmed", "1"))
    )
    assert not confirmed.asks_confirmation and confirmed.filters == ScreeningFilters()


def test_a_hire_is_confirmed_first() -> None:
    assert StageForm.parse(_form(("status", "hired"), ("ids", "1"))).asks_confirmation
    hire = StageForm.parse(_form(("status", "hired"), ("ids", "1"), ("confirmed", "1")))
    assert not hire.asks_confirmation


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ((("ids", "1"),), "status", "Choose the new status."),
        ((("status", ""), ("ids", "1")), "status", "Choose the new status."),
        ((("status", "withdrawn"), ("ids", "1")), "status", "Choose the new status."),
        ((("status", "submitted"), ("ids", "1")), "status", "Choose the new status."),
        ((("status", "reviewed"),), "ids", "Select at least one application."),
        ((("status", "reviewed"), ("ids", "abc")), "ids", "Select at least one application."),
        ((("status", "reviewed"), ("ids", "0")), "ids", "Select at least one application."),
        ((("status", "reviewed"), ("ids", "1e3")), "ids", "Select at least one application."),
        ((("status", "reviewed"), ("ids", "9" * 30)), "ids", "Select at least one application."),
        (
            (("status", "reviewed"), ("ids", "1"), ("note", "x" * 2001)),
            "note",
            "A note has 1 to 2000 characters.",
        ),
    ],
)
def test_a_bad_stage_form_names_its_field(
    items: tuple[tuple[str, str], ...], field: str, message: str
) -> None:
    with i18n.using("en"), pytest.raises(ValidationFailed) as caught:
        StageForm.parse(_form(*items))
    assert caught.value.fields[field] == message
    assert caught.value.message == message


def test_a_bad_table_filter_refuses_the_bulk_change() -> None:
    """Every matching application, but matching what? A bad filter changes nothing."""
    items = (("status", "reviewed"), ("all_matching", "1"), ("f_status", "boss"))
    with i18n.using("en"), pytest.raises(ValidationFailed) as caught:
        StageForm.parse(_form(*items))
    assert caught.value.fields == {"status": "Unknown status."}


def test_screening_filters_drop_bad_values_on_a_page() -> None:
    with i18n.using("en"):
        filters, errors = ScreeningFilters.parse_lenient(
            {"status": "boss", "vacancy": "0", "q": "budi", "page": "x", "sort": "name"}
        )
    assert filters == ScreeningFilters(q="budi", sort="name")
    assert errors == {"status": "Unknown status.", "vacancy": "Unknown vacancy."}
    assert filters.as_params() == {"q": "budi", "sort": "name"}


def test_screening_filters_read_a_json_filter() -> None:
    """A bulk request's ``filter`` object carries JSON values, not only text."""
    filters = ScreeningFilters.parse({"vacancy": 5, "pending": True, "q": 12})
    assert (filters.vacancy_id, filters.pending, filters.q) == (5, True, "12")
    with pytest.raises(ValidationFailed):
        ScreeningFilters.parse({"vacancy": [1]})
