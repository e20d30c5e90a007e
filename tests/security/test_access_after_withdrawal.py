"""A company's access to an applicant ends when the applicant withdraws: the CV and the
contacts are no longer shown (the application stays in the table, marked withdrawn).
Before, the recruiter kept opening the CV and reading the phone number."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import sign_in
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import Application, User
from jobfair.services import applicants as applicant_service
from jobfair.services import applications


async def _world(ctx: AppContext) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-tarik")
        company = await factories.company(session, name="PT Sawit Makmur")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        first = await factories.vacancy(session, booth_row=booth, title="Mandor")
        second = await factories.vacancy(session, booth_row=booth, title="Krani")
        await factories.recruiter(session, company_row=company, email="hrd@sawit.test")
        person = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, person.user_id)
        assert user is not None
        user.phone = "+6281234509999"
        user.password_hash = hash_password(factories.PASSWORD)
        await applicant_service.store_cv(
            session, user, factories.pdf_bytes(), "cv.pdf", ctx.settings.uploads_dir, ctx.now()
        )
        one = await factories.application(session, vacancy_row=first, applicant_row=person)
        two = await factories.application(session, vacancy_row=second, applicant_row=person)
        return {"one": one.id, "two": two.id, "user": user.id}


async def test_withdrawing_ends_the_companys_access(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@sawit.test", factories.PASSWORD)
    page = await client.get(f"/company/applications/{ids['one']}")
    assert "+6281234509999" in page.text
    assert (await client.get(f"/company/applications/{ids['one']}/cv")).status_code == 200
    # Withdrawn from one vacancy: the other application still gives access.
    async with ctx.unit_of_work() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        await applications.withdraw(session, user, ids["one"], ctx.now())
    assert (await client.get(f"/company/applications/{ids['two']}/cv")).status_code == 200
    # Withdrawn from both: no contacts, no CV, by either application.
    async with ctx.unit_of_work() as session:
        user = await session.get(User, ids["user"])
        assert user is not None
        await applications.withdraw(session, user, ids["two"], ctx.now())
    for key in ("one", "two"):
        page = await client.get(f"/company/applications/{ids[key]}")
        assert page.status_code == 200
        assert "+6281234509999" not in page.text and "Open the CV" not in page.text
        assert "no longer shown to your company" in page.text
        assert (await client.get(f"/company/applications/{ids[key]}/cv")).status_code == 404
    table = await client.get("/company/applications")
    assert "Withdrawn" in table.text  # the record stays, marked as withdrawn
    async with ctx.read() as session:
        statuses = set(await session.scalars(select(Application.status)))
    assert statuses == {"withdrawn"}
