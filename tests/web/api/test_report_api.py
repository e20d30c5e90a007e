"""The report API (queue a compile, read a version) and the organiser's compile button:
who may, which fairs, bad input, and a request made while the task queue is away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from support import factories
from support.api_contract import conforms
from support.browsing import csrf_of, sign_in
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import AuditLog, FairReport, ReportRequest, User
from jobfair.models.accounts import Role
from jobfair.models.fairs import FairStatus
from jobfair.services import reports
from jobfair.worker.registry import run_task
from jobfair.worker.report import REQUEST_GRACE
from jobfair.worker.runner import ArqRunner


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
    assert response.headers["location"].split("?")[0] == f"/organiser/fairs/{setup.slug}/report"
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


class QueueDown:
    """The arq runner with Redis away, recording whether the request was already
    committed (seen from another connection) when the enqueue was tried."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self._arq = ArqRunner(redis_url="redis://127.0.0.1:1/0", retry_every=0)
        self.committed_at_enqueue: list[bool] = []

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        async with self._ctx.read() as session:
            row = await session.get(ReportRequest, kwargs.get("request_id", 0))
        self.committed_at_enqueue.append(row is not None)
        await self._arq.enqueue(name, **kwargs)  # raises: the queue is unreachable

    async def close(self) -> None:
        await self._arq.close()


async def test_a_request_made_with_redis_down_is_stored_and_compiled_by_the_sweep(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    """The answer was 202 "queued" though the enqueue failed, and the request was lost;
    now 202 means the request row is committed, and the sweep compiles it."""
    setup = await _setup(ctx)
    running = ctx.tasks
    ctx.tasks = down = QueueDown(ctx)
    organiser = await _bearer(client, "org@a.test")
    path = f"/api/v1/fairs/{setup.slug}/report"
    response = await client.post(path, headers=organiser)
    assert response.status_code == 202
    assert response.json() == {"status": "queued", "provisional": True}
    # The enqueue (after which the answer goes out) came after the commit.
    assert down.committed_at_enqueue == [True]
    # The console button goes through the same service.
    assert (await sign_in(client, "org@a.test", factories.PASSWORD)).status_code == 303
    token = csrf_of((await client.get("/password/forgot")).text)
    button = await client.post(
        f"/organiser/fairs/{setup.slug}/report/compile", data={"csrf_token": token}
    )
    assert button.status_code == 303
    assert down.committed_at_enqueue == [True, True]
    async with ctx.read() as session:
        requests = list(await session.scalars(select(ReportRequest).order_by(ReportRequest.id)))
        assert await session.scalar(select(FairReport.id)) is None
    assert [r.compiled_at for r in requests] == [None, None]
    assert {r.fair_id for r in requests} == {setup.fair_id}

    # Redis is back; the next sweep pass past the grace compiles both requests.
    ctx.tasks = running
    await down.close()
    clock.advance(REQUEST_GRACE + timedelta(seconds=1))
    assert await run_task(ctx, "compile_due_reports") == 2
    async with ctx.read() as session:
        compiled = list(
            await session.execute(
                select(FairReport.version, FairReport.request_id).order_by(FairReport.version)
            )
        )
    assert [tuple(row) for row in compiled] == [(1, requests[0].id), (2, requests[1].id)]
    report = await client.get(path, headers=organiser)
    assert report.status_code == 200 and report.json()["version"] == 2


async def test_no_202_when_the_request_could_not_be_committed(
    client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database going away at the commit: 503, never "queued", and nothing queued."""
    setup = await _setup(ctx)
    organiser = await _bearer(client, "org@a.test")
    running = ctx.tasks
    ctx.tasks = down = QueueDown(ctx)
    real_commit = AsyncSession.commit
    real_request = reports.request_compile

    async def request_compile(session: AsyncSession, *args: Any) -> Any:
        session.info["test_refuse_commit"] = True
        return await real_request(session, *args)

    async def commit(session: AsyncSession) -> None:
        if session.info.pop("test_refuse_commit", False):
            raise ConnectionError("the database went away")
        await real_commit(session)

    monkeypatch.setattr(reports, "request_compile", request_compile)
    monkeypatch.setattr(AsyncSession, "commit", commit)
    response = await client.post(f"/api/v1/fairs/{setup.slug}/report", headers=organiser)
    monkeypatch.setattr(AsyncSession, "commit", real_commit)
    ctx.tasks = running
    await down.close()
    assert response.status_code == 503
    assert down.committed_at_enqueue == []
    async with ctx.read() as session:
        assert await session.scalar(select(ReportRequest.id)) is None
