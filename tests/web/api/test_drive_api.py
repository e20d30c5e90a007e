"""GET /api/v1/drives/{id}/progress: the drive's figures for organisers of its office;
another office's organiser gets 404, a recruiter 403, nobody signed in 401."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from support import factories
from support.drive_world import hire

from jobfair.context import AppContext
from jobfair.services import auth, drives


def _client(app: Starlette, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers
    )


async def test_drive_progress_for_the_office(app: Starlette, ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        company = await factories.company(session, name="PT Mitra")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        person = await factories.applicant(session, ktp_regency_code="12.71")
        await hire(
            session, booth=booth, person=person, reported_at=ctx.now(), confirmation="confirmed"
        )
        organiser = await factories.organiser(session, office_row=office)
        stranger = await factories.organiser(session)
        recruiter = await factories.recruiter(session, company_row=company)
        drive = await drives.create_drive(
            session,
            organiser,
            {
                "name": "Gerakan",
                "first_day": "2026-11-01",
                "last_day": "2026-11-30",
                "target": "40",
            },
            ["12.09"],
            ctx.now(),
        )
        await drives.link_fair(session, organiser, drive.id, fair.id)
        await drives.set_partner(session, organiser, drive.id, company.id, ctx.now())
        tokens = {
            name: (
                await auth.create_api_token(session, user, name, lifetime=factories.TOKEN_LIFETIME)
            )[0]
            for name, user in (("o", organiser), ("s", stranger), ("r", recruiter))
        }
        drive_id = drive.id
    path = f"/api/v1/drives/{drive_id}/progress"
    async with _client(app, tokens["o"]) as client:
        answer = await client.get(path)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["target"], body["placed"], body["local"], body["non_local"]) == (40, 1, 0, 1)
    assert body["share"] == 0.025 and body["regency_codes"] == ["12.09"]
    assert [w["placed"] for w in body["weeks"]] == [1, 0, 0, 0, 0]
    assert body["partners"] == [
        {
            "company_id": body["partners"][0]["company_id"],
            "name": "PT Mitra",
            "placed": 1,
            "local": 0,
        }
    ]
    assert body["silent_partner_ids"] == []
    async with _client(app, tokens["s"]) as client:
        assert (await client.get(path)).status_code == 404
    async with _client(app, tokens["r"]) as client:
        assert (await client.get(path)).status_code == 403
    async with _client(app) as client:
        assert (await client.get(path)).status_code == 401
        assert (await client.get("/api/v1/drives/999999/progress")).status_code == 401
