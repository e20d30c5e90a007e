"""Applying, as the service sees it: every requirement refuses with its message, the
page's list and the refusal agree, a refused applicant is offered the fair's vacancies
they meet, and applying without a CV is taken with a warning."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest
from support import factories
from support.statements import counted_statements, recorded_selects, sqlite_plan

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import Application, Cv, User
from jobfair.services import applicants, applications
from jobfair.services.applications import RequirementsNotMet


async def _world(ctx: AppContext, **person: Any) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        other_fair = await factories.fair(session)
        booth = await factories.booth(session, fair_row=fair)
        other_booth = await factories.booth(session, fair_row=other_fair)
        ids: dict[str, int] = {"fair": fair.id}
        for name, changes in {
            "men": {"openings_male": 3, "openings_female": 0, "openings_either": 0},
            "women": {"openings_male": 0, "openings_female": 2, "openings_either": 0},
            "either": {"openings_male": 0, "openings_female": 0, "openings_either": 2},
            "senior": {"experience_years": 3},
            "junior": {"experience_years": 1},
            "closed": {"status": "closed"},
            "sarjana": {"education_min": "S1"},
        }.items():
            ids[name] = (await factories.vacancy(session, booth_row=booth, **changes)).id
        ids["elsewhere"] = (await factories.vacancy(session, booth_row=other_booth)).id
        applicant = await factories.applicant(session, vault=ctx.nik_vault, **person)
        ids["user"] = applicant.user_id
    return ids


async def _submit(ctx: AppContext, user_id: int, vacancy_id: int) -> applications.Submitted:
    async with ctx.unit_of_work() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return await applications.submit(session, user, vacancy_id, ctx.now())


@pytest.mark.parametrize(
    ("sex", "refused", "taken"), [("L", "women", "men"), ("P", "men", "women")]
)
async def test_openings_by_sex_are_checked_when_applying(
    ctx: AppContext, sex: str, refused: str, taken: str
) -> None:
    ids = await _world(ctx, sex=sex, experience_years=0)
    i18n.set_locale("en")
    with pytest.raises(RequirementsNotMet) as error:
        await _submit(ctx, ids["user"], ids[refused])
    assert "The openings of this vacancy are for" in error.value.message
    assert error.value.fields == {"requirements": error.value.message}
    assert (await _submit(ctx, ids["user"], ids[taken])).application.id
    assert (await _submit(ctx, ids["user"], ids["either"])).application.id


@pytest.mark.parametrize(("years", "senior"), [(None, False), (1, False), (3, True), (10, True)])
async def test_experience_is_checked_when_applying(
    ctx: AppContext, years: int | None, senior: bool
) -> None:
    ids = await _world(ctx, experience_years=years)
    i18n.set_locale("en")
    if senior:
        assert (await _submit(ctx, ids["user"], ids["senior"])).application.id
    else:
        with pytest.raises(RequirementsNotMet) as error:
            await _submit(ctx, ids["user"], ids["senior"])
        assert "at least 3 years of work experience" in error.value.message
    if years is None:
        with pytest.raises(RequirementsNotMet, match="does not say"):
            await _submit(ctx, ids["user"], ids["junior"])
    else:
        assert (await _submit(ctx, ids["user"], ids["junior"])).application.id


async def test_the_page_list_and_the_refusal_agree(ctx: AppContext) -> None:
    ids = await _world(ctx, sex="P", experience_years=None, education_level="SMP")
    i18n.set_locale("en")
    async with ctx.read() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        applicant = await applicants.applicant_of(session, user)
        fair = await session.get(applications.Fair, ids["fair"])
        vacancy = await session.get(applications.Vacancy, ids["senior"])
        assert fair is not None and vacancy is not None
        shown = applications.requirement_problems(applicant, vacancy, fair, ctx.now())
    assert len(shown) == 2  # education and experience; sex is open to either here
    with pytest.raises(RequirementsNotMet) as error:
        await _submit(ctx, ids["user"], ids["senior"])
    assert error.value.message == " ".join(shown)


async def test_a_refused_applicant_is_offered_the_vacancies_they_meet(ctx: AppContext) -> None:
    ids = await _world(ctx, sex="L", experience_years=1)
    await _submit(ctx, ids["user"], ids["either"])  # applied already: not offered again
    async with ctx.read() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        applicant = await applicants.applicant_of(session, user)
        fair = await session.get(applications.Fair, ids["fair"])
        assert fair is not None
        offered = await applications.vacancies_met(session, applicant, fair, ctx.now())
        few = await applications.vacancies_met(session, applicant, fair, ctx.now(), limit=1)
    # Not: women only, 3 years, closed, S1, applied, or another fair's.
    assert sorted(v.id for v in offered) == sorted([ids["men"], ids["junior"]])
    assert len(few) == 1


async def test_applying_without_a_cv_is_taken_with_a_warning(ctx: AppContext) -> None:
    ids = await _world(ctx, experience_years=1)
    i18n.set_locale("en")
    submitted = await _submit(ctx, ids["user"], ids["men"])
    assert [w.code for w in submitted.warnings] == ["no_cv"]
    assert "You have no CV on your page" in submitted.warnings[0].message
    async with ctx.unit_of_work() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        applicant = await applicants.applicant_of(session, user)
        session.add(
            Cv(
                applicant_id=applicant.id,
                storage_name="x.pdf",
                original_filename="cv.pdf",
                size_bytes=10,
                sha256="0" * 64,
            )
        )
    assert (await _submit(ctx, ids["user"], ids["junior"])).warnings == []


async def _withdraw(ctx: AppContext, user_id: int, application_id: int) -> None:
    async with ctx.unit_of_work() as session:
        user = await session.get(User, user_id)
        assert user is not None
        await applications.withdraw(session, user, application_id, ctx.now())


async def test_a_withdrawn_application_can_be_sent_again_in_the_same_row(
    ctx: AppContext,
) -> None:
    from sqlalchemy import func, select

    from jobfair.models import Application, ApplicationEvent
    from jobfair.services.errors import Conflict

    ids = await _world(ctx, sex="L", experience_years=0)
    first = await _submit(ctx, ids["user"], ids["men"])
    await _withdraw(ctx, ids["user"], first.application.id)
    again = await _submit(ctx, ids["user"], ids["men"])
    assert again.application.id == first.application.id  # the row is reused
    assert again.summary.status == "submitted"
    async with ctx.read() as session:
        row = await session.get(Application, first.application.id)
        assert row is not None
        assert (row.status, row.released_status) == ("submitted", "submitted")
        assert row.submitted_at == first.application.submitted_at  # the first stays
        events = (
            await session.execute(
                select(ApplicationEvent.from_status, ApplicationEvent.to_status)
                .where(ApplicationEvent.application_id == row.id)
                .order_by(ApplicationEvent.id)
            )
        ).all()
        assert [tuple(event) for event in events] == [
            (None, "submitted"),
            ("submitted", "withdrawn"),
            ("withdrawn", "submitted"),
        ]
        assert await session.scalar(select(func.count()).select_from(Application)) == 1
    # Sent again, it is an application like any other: a third send is a duplicate.
    with pytest.raises(Conflict):
        await _submit(ctx, ids["user"], ids["men"])


async def test_sending_again_obeys_the_cap_and_the_fair_window(ctx: AppContext, clock: Any) -> None:
    from datetime import timedelta

    from jobfair.models import Fair
    from jobfair.services.errors import Conflict

    ids = await _world(ctx, sex="L", experience_years=0)
    i18n.set_locale("en")
    first = await _submit(ctx, ids["user"], ids["men"])
    await _withdraw(ctx, ids["user"], first.application.id)
    # The freed place was taken by another vacancy: the cap of 1 refuses the return.
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None
        fair.application_cap = 1
    await _submit(ctx, ids["user"], ids["either"])
    with pytest.raises(Conflict) as capped:
        await _submit(ctx, ids["user"], ids["men"])
    assert "limit of 1 applications" in capped.value.message
    # Once the fair has closed nothing can be sent again.
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None
        fair.application_cap = None
    clock.advance(timedelta(days=30))
    with pytest.raises(Conflict) as closed:
        await _submit(ctx, ids["user"], ids["men"])
    assert "The fair is closed" in closed.value.message


async def test_the_write_transaction_reads_what_decides(ctx: AppContext) -> None:
    """The profile, its CV, the vacancy and the applicant's applications are all read
    inside the write transaction: a second apply meets the duplicate check and the cap
    there, with the same messages, and the answer carries the no-CV warning."""
    from jobfair.models import Fair
    from jobfair.services.errors import Conflict

    ids = await _world(ctx, sex="L", experience_years=0)
    i18n.set_locale("en")
    async with ctx.read() as session:
        user = await session.get(User, ids["user"])
        assert user is not None

    async def submit_with(vacancy_id: int) -> applications.Submitted:
        async with ctx.unit_of_work() as session:
            assert user is not None
            return await applications.submit(session, user, vacancy_id, ctx.now())

    taken = await submit_with(ids["men"])
    assert taken.application.status == "submitted"
    assert [warning.code for warning in taken.warnings] == ["no_cv"]
    assert taken.summary.vacancy_id == ids["men"]
    with pytest.raises(Conflict) as again:
        await submit_with(ids["men"])
    assert again.value.message == "You have already applied to this vacancy."
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None
        fair.application_cap = 1
    with pytest.raises(Conflict) as capped:
        await submit_with(ids["either"])
    assert "limit of 1 applications" in capped.value.message
    with pytest.raises(Conflict) as closed:
        await submit_with(ids["closed"])
    assert closed.value.message == "This vacancy is closed."
    async with ctx.read() as session:
        mine = await applications.my_applications(session, user)
    assert [item.vacancy_id for item in mine] == [ids["men"]]


async def test_applying_finds_the_applicants_applications_by_index_not_the_fairs(
    ctx: AppContext,
) -> None:
    """Without statistics (SQLite gathers none by itself) the planner must still reach
    the applicant's applications in the fair through (applicant, fair): through the
    fair's index an apply read every application of the fair, under the write lock."""
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL plans from its own statistics")
    ids = await _world(ctx)
    async with ctx.read() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
    with recorded_selects(ctx.engine) as selects:
        async with ctx.unit_of_work() as session:
            await applications.submit(session, user, ids["men"], ctx.now())
    # The apply's read of the vacancy with the applicant's applications, as it was sent.
    [(statement, parameters)] = [one for one in selects if "applications_1" in one[0]]
    plan = await sqlite_plan(ctx.engine, statement, parameters)
    mine = [step for step in plan if "applications_1" in step]
    assert mine, plan
    # Each look at their applications goes through an index keyed on the applicant:
    # (applicant, fair) for the counts, the unique (vacancy, applicant) for this one.
    by_applicant = ("ix_applications_applicant_fair", "(vacancy_id=? AND applicant_id=?)")
    assert all(
        step.startswith("SEARCH") and any(index in step for index in by_applicant) for step in mine
    ), mine
    assert any("ix_applications_applicant_fair" in step for step in mine), mine


async def test_the_answer_tells_the_times_the_database_keeps(ctx: AppContext) -> None:
    """The new application in the answer is built from the inserted values, not read
    back: its times must be the stored ones, in UTC, whatever zone the clock gave."""
    ids = await _world(ctx)
    jakarta_now = ctx.now().astimezone(timezone(timedelta(hours=7)))
    async with ctx.unit_of_work() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        submitted = await applications.submit(session, user, ids["men"], jakarta_now)
    async with ctx.read() as session:
        stored = await session.get(Application, submitted.application.id)
    assert stored is not None
    for answered in (submitted.application.submitted_at, submitted.summary.submitted_at):
        assert answered == stored.submitted_at
        assert answered.utcoffset() == timedelta(0)
    assert submitted.application.status == stored.status == "submitted"
    assert submitted.application.vacancy_id == stored.vacancy_id == ids["men"]


async def test_an_application_and_its_first_event_are_written_together(ctx: AppContext) -> None:
    """The new application's event carries its id and the submitter; on PostgreSQL both
    rows are written by one statement (one round trip fewer), on SQLite by two."""
    from sqlalchemy import select

    from jobfair.models import ApplicationEvent

    ids = await _world(ctx)
    async with ctx.read() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
    with counted_statements(ctx.engine) as seen:
        async with ctx.unit_of_work() as session:
            submitted = await applications.submit(session, user, ids["men"], ctx.now())
    inserts = [statement for statement in seen if "INSERT" in statement.upper()]
    assert len(inserts) == (1 if ctx.engine.dialect.name == "postgresql" else 2), inserts
    async with ctx.read() as session:
        events = (
            await session.scalars(
                select(ApplicationEvent).where(
                    ApplicationEvent.application_id == submitted.application.id
                )
            )
        ).all()
    assert [(event.from_status, event.to_status) for event in events] == [(None, "submitted")]
    assert events[0].actor_user_id == ids["user"]
    assert events[0].created_at == events[0].released_at == submitted.application.submitted_at
