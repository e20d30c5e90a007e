"""The report API (queue a compile, read a version) and the organiser's compile button:
who may, which fairs, bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import select
from support import factories
from support.api_contract import conforms
from support.browsing import csrf_of, sign_in
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import AuditLog, FairReport, User
from jobfair.models.accounts import Role
from jobfair.models.fairs import FairStatus
from jobfair.services.identity import hash_password


@dataclass
class Setup:
    slug: str
    draft: str
    cancelled: str
    fair_id: int


async def _user(ctx: AppContext, email: str, role: str, office_id: int | None = None) -> None:
    async with ctx.unit_of_work() as session:
        session.add(
            User(
                email=email,
                password_hash=hash_password(factories.PASSWORD),
                role=role,
                full_name=email.split("@")[0],
                office_id=office_id,
            )
        )


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _setup(ctx: AppContext) -> Setup:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        other = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        draft = await factories.fair(session, office_row=office, status=FairStatus.DRAFT)
        cancelled = await factories.fair(session, office_row=office, status=FairStatus.CANCELLED)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        person = await factories.applicant(session, vault=ctx.nik_vault)
        await factories.application(session, vacancy_row=vacancy, applicant_row=person)
        company = await factories.company(session)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        person_user = await session.get(User, person.user_id)
        assert person_user is not None
        person_user.email = "ani@example.test"
        person_user.password_hash = hash_password(factories.PASSWORD)
        result = Setup(fair.slug, draft.slug, cancelled.slug, fair.id)
        office_id, other_id = office.id, other.id
    await _user(ctx, "org@a.test", Role.ORGANISER, office_id)
    await _user(ctx, "org@b.test", Role.ORGANISER, other_id)
    await _user(ctx, "admin@x.test", Role.ADMIN)
    return result


async def test_organiser_queues_then_reads_the_report(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    setup = await _setup(ctx)
    organiser = await _bearer(client, "org@a.test")
    path = f"/api/v1/fairs/{setup.slug}/report"
    assert (await client.get(path, headers=organiser)).status_code == 404  # none yet

    response = await client.post(path, headers=organiser)
    assert response.status_code == 202
    assert response.json() == {"status": "queued", "provisional": True}  # the fair is open
    conforms(response, "POST", "/api/v1/fairs/{slug}/report")
    await ctx.tasks.drain()
    report = await client.get(path, headers=organiser)
    assert report.status_code == 200
    data = report.json()
    assert data["version"] == 1 and data["provisional"] is True
    assert {item["key"]: item["value"] for item in data["headline"]}["applications"] == 1
    template = "/api/v1/fairs/{slug}/report"
    conforms(report, "GET", template)
    conforms(await client.get(path + "?version=9", headers=organiser), "GET", template)
    conforms(await client.get(path + "?version=x", headers=organiser), "GET", template)

    clock.advance(timedelta(days=10))  # after the close: the final report
    admin = await _bearer(client, "admin@x.test")
    response = await client.post(path, headers=admin)
    assert response.status_code == 202 and response.json()["provisional"] is False
    await ctx.tasks.drain()
    latest = (await client.get(path, headers=organiser)).json()
    assert latest["version"] == 2 and latest["provisional"] is False
    first = (await client.get(path + "?version=1", headers=organiser)).json()
    assert first["version"] == 1
    async with ctx.read() as session:
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.action == "report.requested")
            )
        )
    assert actions == ["report.requested", "report.requested"]


async def test_who_may_and_which_fairs(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(ctx)
    path = f"/api/v1/fairs/{setup.slug}/report"
    assert (await client.post(path)).status_code == 401
    assert (await client.get(path)).status_code == 401
    for email in ("hrd@a.test", "ani@example.test"):
        headers = await _bearer(client, email)
        for method in ("GET", "POST"):
            response = await client.request(method, path, headers=headers)
            assert response.status_code == 403, (email, method)
            assert response.json()["error"]["code"] == "forbidden"
    other = await _bearer(client, "org@b.test")
    for method in ("GET", "POST"):
        response = await client.request(method, path, headers=other)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    organiser = await _bearer(client, "org@a.test")
    for slug in (setup.draft, setup.cancelled):
        response = await client.post(f"/api/v1/fairs/{slug}/report", headers=organiser)
        assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert (await client.post("/api/v1/fairs/nope/report", headers=organiser)).status_code == 404
    await ctx.tasks.drain()
    async with ctx.read() as session:
        assert await session.scalar(select(FairReport.id)) is None  # nothing was queued


async def test_bad_version_is_422(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(ctx)
    organiser = await _bearer(client, "org@a.test")
    path = f"/api/v1/fairs/{setup.slug}/report"
    for bad in ("abc", "0", "-1", "1.5", "99999999999999999999"):
        response = await client.get(f"{path}?version={bad}", headers=organiser)
        assert response.status_code == 422, bad
        assert response.json()["error"]["fields"]["version"]


async def test_the_organiser_button_queues_and_returns_to_the_report(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    setup = await _setup(ctx)
    target = f"/organiser/fairs/{setup.slug}/report/compile"
    assert (await sign_in(client, "org@a.test", factories.PASSWORD)).status_code == 303
    token = csrf_of((await client.get("/password/forgot")).text)
    refused = await client.post(target, data={"csrf_token": "forged"})
    assert refused.status_code == 403
    response = await client.post(target, data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/organiser/fairs/{setup.slug}/report?")
    await ctx.tasks.drain()
    async with ctx.read() as session:
        versions = list(await session.scalars(select(FairReport.version)))
    assert versions == [1]
    draft = await client.post(
        f"/organiser/fairs/{setup.draft}/report/compile", data={"csrf_token": token}
    )
    assert draft.status_code == 303  # told why on the report page, nothing queued
    other = await client.post("/organiser/fairs/nope/report/compile", data={"csrf_token": token})
    assert other.status_code == 404


async def test_the_button_is_for_organisers_of_the_office(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    setup = await _setup(ctx)
    target = f"/organiser/fairs/{setup.slug}/report/compile"
    anonymous = await client.post(target, data={"csrf_token": "x"})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert (await sign_in(client, "org@b.test", factories.PASSWORD)).status_code == 303
    token = csrf_of((await client.get("/password/forgot")).text)
    assert (await client.post(target, data={"csrf_token": token})).status_code == 404
