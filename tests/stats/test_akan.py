"""AKAN (placement abroad) from end to end: a vacancy whose work is in a country abroad,
saved through the company's vacancy form, counts in the compiled report's IPK III/8."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in

from jobfair.context import AppContext
from jobfair.models import Placement, Vacancy
from jobfair.models.vacancies import VacancyVerification
from jobfair.stats import compile as stats

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)

VACANCY_FORM = {
    "title": "Perawat Lansia",
    "kbji_code": "5322",
    "openings_male": "0",
    "openings_female": "2",
    "openings_either": "0",
    "education_min": "D3",
    "work_place": "abroad",
    "work_country": "JP",
    "employment_type": "pkwt",
}


async def test_a_vacancy_saved_abroad_on_the_form_counts_as_akan(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        recruiter = await factories.recruiter(session, company_row=company)
        fair_id, slug, booth_id, email = fair.id, fair.slug, booth.id, recruiter.email
    await sign_in(client, email, factories.PASSWORD)
    form = await client.get(f"/company/booths/{booth_id}/vacancies/new")
    assert 'name="work_country"' in form.text and 'value="JP"' in form.text
    saved = await client.post(
        f"/company/booths/{booth_id}/vacancies",
        data={**VACANCY_FORM, "csrf_token": csrf_of(form.text)},
    )
    assert saved.status_code == 303, saved.text
    async with ctx.unit_of_work() as session:
        vacancy = await session.scalar(select(Vacancy).where(Vacancy.booth_id == booth_id))
        assert vacancy is not None and vacancy.work_regency_code == "JP"
        vacancy.verification = VacancyVerification.VERIFIED
        applicant = await factories.applicant(session, sex="P")
        hired = await factories.application(
            session,
            vacancy_row=vacancy,
            applicant_row=applicant,
            submitted_at=datetime(2026, 11, 4, 2, 0, tzinfo=UTC),
            first_decision_at=datetime(2026, 11, 6, 2, 0, tzinfo=UTC),
            status="hired",
            released_status="hired",
        )
        session.add(
            Placement(
                application_id=hired.id, fair_id=fair_id, confirmation="confirmed", reported_at=NOW
            )
        )
    async with ctx.unit_of_work() as session:
        data = (await stats.compile_fair_report(session, fair_id, NOW)).data
    ipk8 = next(t for t in data["tables"] if t["key"] == "ipk_iii_8")
    assert ipk8["totals"]["AKAN_P"] == 1 and ipk8["totals"]["AKL_P"] == 0
    # The public pages name the country where a regency would be named.
    page = await client.get(f"/fairs/{slug}/vacancies/{vacancy.id}")
    assert page.status_code == 200 and ("Jepang" in page.text or "Japan" in page.text)


async def test_the_vacancy_search_filters_by_a_country(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        booth = await factories.booth(session, fair_row=fair)
        await factories.vacancy(
            session, booth_row=booth, title="Welder Osaka", work_regency_code="JP"
        )
        await factories.vacancy(session, booth_row=booth, title="Operator Asahan")
        slug = fair.slug
    client.cookies.set("lang", "en")
    page = await client.get(f"/fairs/{slug}/vacancies", params={"regency": "JP"})
    assert page.status_code == 200
    assert "Welder Osaka" in page.text and "Operator Asahan" not in page.text
    assert "Japan" in page.text
