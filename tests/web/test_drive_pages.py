"""Hiring drive pages: an organiser creates a drive (with the no-JavaScript regency
picker), links a fair, adds a partner and reads the progress; the partner reports a
direct placement; the applicant confirms it; bad input re-renders the form."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in

from jobfair.context import AppContext
from jobfair.models import DirectPlacement, Drive

DRIVE_FORM = {
    "name": "Gerakan Bekasi Bekerja",
    "first_day": "2026-11-01",
    "last_day": "2026-12-31",
    "target": "3000",
    "regency_codes": "32.16",
}


def _client(app: Starlette, lang: str = "en") -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.cookies.set("lang", lang)
    return client


async def _signed_in(app: Starlette, email: str, lang: str = "en") -> httpx.AsyncClient:
    client = _client(app, lang)
    response = await sign_in(client, email, factories.PASSWORD)
    assert response.status_code == 303
    return client


async def _post(
    client: httpx.AsyncClient, path: str, data: dict[str, object], page: str
) -> httpx.Response:
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "csrf_token": token})


async def _world(ctx: AppContext) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(
            session, name="Disnaker Bekasi", province_code="32", regency_code="32.16"
        )
        fair = await factories.fair(session, office_row=office, name="Bursa Bekasi")
        company = await factories.company(session, name="PT Mitra Bekasi")
        await factories.booth(session, fair_row=fair, company_row=company)
        await factories.organiser(session, office_row=office, email="org@bekasi.test")
        await factories.organiser(session, email="lain@medan.test")
        await factories.recruiter(session, company_row=company, email="hrd@mitra.test")
        person = await factories.applicant(session, vault=ctx.nik_vault, ktp_regency_code="32.16")
        return {"fair": fair.id, "company": company.id, "person": person.user_id}


async def test_organiser_creates_a_drive_and_a_partner_reports_a_placement(
    app: Starlette, ctx: AppContext
) -> None:
    world = await _world(ctx)
    organiser = await _signed_in(app, "org@bekasi.test")
    new = await organiser.get("/organiser/drives/new")
    assert new.status_code == 200
    assert 'value="32.16" checked' in new.text  # the office's regency, to start with
    # The no-JavaScript picker: choosing a province re-renders the form with its regencies.
    shown = await _post(
        organiser,
        "/organiser/drives",
        {**DRIVE_FORM, "local_province": "31", "action": "regions"},
        "/organiser/drives/new",
    )
    assert shown.status_code == 200 and "Jakarta Pusat" in shown.text
    bad = await _post(
        organiser,
        "/organiser/drives",
        {**DRIVE_FORM, "target": "banyak"},
        "/organiser/drives/new",
    )
    assert bad.status_code == 422
    assert 'href="#target"' in bad.text
    created = await _post(organiser, "/organiser/drives", DRIVE_FORM, "/organiser/drives/new")
    assert created.status_code == 303
    page_path = created.headers["location"].split("?")[0]
    drive_id = int(page_path.rsplit("/", 1)[1])
    linked = await _post(
        organiser, f"{page_path}/fairs", {"fair": world["fair"], "action": "link"}, page_path
    )
    assert linked.status_code == 303
    added = await _post(
        organiser,
        f"{page_path}/partners",
        {"company": world["company"], "action": "add"},
        page_path,
    )
    assert added.status_code == 303
    page = await organiser.get(page_path)
    assert page.status_code == 200
    assert "0 of 3,000, 0%" in page.text
    assert "Partners that have reported nothing" in page.text and "PT Mitra Bekasi" in page.text
    assert "<svg" in page.text
    # Another office's organiser does not see it.
    stranger = await _signed_in(app, "lain@medan.test")
    assert (await stranger.get(page_path)).status_code == 404

    recruiter = await _signed_in(app, "hrd@mitra.test")
    listing = await recruiter.get("/company/drives")
    assert "Gerakan Bekasi Bekerja" in listing.text
    form_path = f"/company/drives/{drive_id}/placements"
    refused = await _post(
        recruiter, form_path, {"who": "", "job_title": "", "start_date": ""}, form_path
    )
    assert refused.status_code == 422
    assert 'href="#who"' in refused.text and 'href="#job_title"' in refused.text
    async with ctx.read() as session:
        from jobfair.models import User

        person = await session.get(User, world["person"])
        assert person is not None
        email = person.email
    reported = await _post(
        recruiter,
        form_path,
        {"who": email, "job_title": "Operator gudang", "start_date": "2026-11-09"},
        form_path,
    )
    assert reported.status_code == 303

    async with ctx.read() as session:
        from sqlalchemy import select

        placement_id = await session.scalar(select(DirectPlacement.id))
        assert await session.get(Drive, drive_id) is not None
    async with ctx.unit_of_work() as session:
        from jobfair.models import User

        person_row = await session.get(User, world["person"])
        assert person_row is not None
        person_row.password_hash = factories.hash_password(factories.PASSWORD)
    applicant = await _signed_in(app, email or "")
    answer_page = f"/me/placements/{placement_id}"
    shown_page = await applicant.get(answer_page)
    assert shown_page.status_code == 200 and "Yes, I was hired" in shown_page.text
    notes = await applicant.get("/me/notifications")
    assert answer_page in notes.text
    confirmed = await _post(applicant, answer_page, {"confirm": "1"}, answer_page)
    assert confirmed.status_code == 303
    assert "You confirmed this hire" in (await applicant.get(answer_page)).text
    # Someone else's answer page is not found.
    assert (await recruiter.get(answer_page)).status_code in (403, 404)

    page = await organiser.get(page_path)
    assert "1 of 3,000" in page.text
    assert "Every partner company has reported at least one hire." in page.text
    indonesian = await _signed_in(app, "org@bekasi.test", lang="id")
    text = (await indonesian.get(page_path)).text
    assert re.search(r"1 dari 3\.000", text)
