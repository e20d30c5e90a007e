"""Applying, as the service sees it: every requirement refuses with its message, the
page's list and the refusal agree, a refused applicant is offered the fair's vacancies
they meet, and applying without a CV is taken with a warning."""

from __future__ import annotations

from typing import Any

import pytest
from support import factories

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import Cv, User
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
