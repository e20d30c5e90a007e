"""Report requests: a request is a committed row the sweep compiles when its queued task
never ran, and compiling one request twice (a worker killed after the commit, the sweep
meeting the queued job, two at once) leaves exactly one version that names it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Fair, FairReport, ReportRequest, User
from jobfair.models.accounts import Role
from jobfair.models.fairs import FairStatus
from jobfair.services import reports
from jobfair.services.errors import Conflict
from jobfair.stats.compile import build_report_data, save_report
from jobfair.worker.report import (
    REQUEST_GRACE,
    compile_due_reports,
    compile_requested_report,
)


class LostQueue:
    """A task queue that takes jobs and never runs them (Redis restarted empty)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        self.jobs.append((name, kwargs))

    async def close(self) -> None:
        return None


async def _open_fair(ctx: AppContext) -> tuple[int, str, int]:
    """A published, open fair with one application, and an organiser of its office."""
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        person = await factories.applicant(session)
        await factories.application(session, vacancy_row=vacancy, applicant_row=person)
        organiser = User(
            email="org@a.test",
            password_hash="x",
            role=Role.ORGANISER,
            full_name="Org",
            office_id=office.id,
        )
        session.add(organiser)
        await session.flush()
        return fair.id, fair.slug, organiser.id


async def _request(ctx: AppContext, slug: str, user_id: int) -> int:
    async with ctx.unit_of_work() as session:
        user = await session.get(User, user_id)
        assert user is not None
        requested = await reports.request_compile(session, user, slug, ctx.now())
    return requested.request_id


async def _reports(ctx: AppContext, fair_id: int) -> list[tuple[int, int | None]]:
    async with ctx.read() as session:
        rows = await session.execute(
            select(FairReport.version, FairReport.request_id)
            .where(FairReport.fair_id == fair_id)
            .order_by(FairReport.version)
        )
        return [(version, request_id) for version, request_id in rows]


async def _request_row(ctx: AppContext, request_id: int) -> ReportRequest:
    async with ctx.read() as session:
        row = await session.get(ReportRequest, request_id)
        assert row is not None
        return row


async def test_a_request_is_a_row_compiled_once_however_often_it_runs(
    ctx: AppContext, clock: Any
) -> None:
    ctx.tasks = LostQueue()  # the queue never runs it
    fair_id, slug, user_id = await _open_fair(ctx)
    request_id = await _request(ctx, slug, user_id)
    assert ctx.tasks.jobs == [("compile_requested_report", {"request_id": request_id})]
    row = await _request_row(ctx, request_id)
    assert (row.fair_id, row.requested_by_user_id, row.compiled_at) == (fair_id, user_id, None)
    assert row.requested_at == clock.now

    assert await compile_requested_report(ctx, request_id) == 1
    # The re-run of a worker killed after its commit, before arq marked the job done.
    assert await compile_requested_report(ctx, request_id) is None
    assert await _reports(ctx, fair_id) == [(1, request_id)]
    assert (await _request_row(ctx, request_id)).compiled_at == clock.now
    clock.advance(REQUEST_GRACE * 2)
    assert await compile_due_reports(ctx) == 0  # nothing pending for the sweep
    assert await _reports(ctx, fair_id) == [(1, request_id)]

    # A second request is a second version.
    second = await _request(ctx, slug, user_id)
    assert await compile_requested_report(ctx, second) == 2
    assert await _reports(ctx, fair_id) == [(1, request_id), (2, second)]
    assert await compile_requested_report(ctx, 424242) is None  # unknown: nothing


async def test_two_runs_of_one_request_at_once_write_one_version(ctx: AppContext) -> None:
    ctx.tasks = LostQueue()
    fair_id, slug, user_id = await _open_fair(ctx)
    request_id = await _request(ctx, slug, user_id)
    results = await asyncio.gather(
        compile_requested_report(ctx, request_id), compile_requested_report(ctx, request_id)
    )
    assert sorted(results, key=lambda r: r or 0) == [None, 1]
    assert await _reports(ctx, fair_id) == [(1, request_id)]


async def test_the_unique_request_id_stops_a_second_version(ctx: AppContext) -> None:
    """The backstop behind the request's compiled_at: even a run that found the request
    pending (its mark lost) cannot store a second version of it."""
    ctx.tasks = LostQueue()
    fair_id, slug, user_id = await _open_fair(ctx)
    request_id = await _request(ctx, slug, user_id)
    assert await compile_requested_report(ctx, request_id) == 1
    async with ctx.unit_of_work() as session:
        row = await session.get(ReportRequest, request_id)
        assert row is not None
        row.compiled_at = None
    async with ctx.read() as session:
        data = await build_report_data(session, fair_id, ctx.now())
    async with ctx.unit_of_work() as session:
        assert await save_report(session, fair_id, data, ctx.now(), request_id=request_id) is None
    assert await _reports(ctx, fair_id) == [(1, request_id)]


async def test_the_sweep_compiles_a_request_its_task_never_ran(ctx: AppContext, clock: Any) -> None:
    ctx.tasks = LostQueue()  # Redis was away, or restarted empty: the job is gone
    fair_id, slug, user_id = await _open_fair(ctx)
    request_id = await _request(ctx, slug, user_id)
    # Within the grace its queued task may still be running: the sweep leaves it.
    clock.advance(REQUEST_GRACE - timedelta(seconds=1))
    assert await compile_due_reports(ctx) == 0
    assert await _reports(ctx, fair_id) == []
    clock.advance(timedelta(seconds=2))
    assert await compile_due_reports(ctx) == 1
    assert await _reports(ctx, fair_id) == [(1, request_id)]
    assert (await _request_row(ctx, request_id)).compiled_at == clock.now
    assert await compile_due_reports(ctx) == 0
    # The task, arriving late, finds the request done.
    assert await compile_requested_report(ctx, request_id) is None
    assert await _reports(ctx, fair_id) == [(1, request_id)]


async def test_a_request_of_a_fair_no_longer_published_is_closed_without_a_version(
    ctx: AppContext, clock: Any
) -> None:
    ctx.tasks = LostQueue()
    fair_id, slug, user_id = await _open_fair(ctx)
    request_id = await _request(ctx, slug, user_id)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        fair.status = FairStatus.CANCELLED
    clock.advance(REQUEST_GRACE * 2)
    assert await compile_due_reports(ctx) == 0
    assert (await _request_row(ctx, request_id)).compiled_at == clock.now
    assert await _reports(ctx, fair_id) == []


async def test_a_refused_request_leaves_no_row(ctx: AppContext) -> None:
    ctx.tasks = LostQueue()
    fair_id, slug, user_id = await _open_fair(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        fair.status = FairStatus.DRAFT
    with pytest.raises(Conflict):
        await _request(ctx, slug, user_id)
    async with ctx.read() as session:
        assert await session.scalar(select(ReportRequest.id)) is None
