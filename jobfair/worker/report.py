"""Report tasks: compile one fair's statistics, compile an organiser's request, and the
sweep's re-drive of closed fairs that have no report since their close (or, past the
decision deadline, since then) and of requests still pending.

``compile_fair_report`` is scheduled for the fair's ``closes_at`` when it is published
or extended, and run by the CLI (``force``: always a new version). Without ``force`` it
is idempotent: it compiles only a closed, published fair with no report compiled at or
after its close, checked again inside the writing transaction, so a re-run after a dead
worker, the sweep and the scheduled job together still leave one report version.

``compile_requested_report`` compiles one ``report_requests`` row (provisional before
the close). It is idempotent per request: the version stores the request id (unique)
and the request its ``compiled_at``, in one transaction, so a re-run — a worker killed
after the commit but before arq marked the job done, or the sweep meeting the queued
job — finds the request done and writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from jobfair.context import AppContext
from jobfair.models import Fair, FairReport, ReportRequest
from jobfair.models.fairs import FairStatus
from jobfair.stats.compile import (
    build_report_data,
    due_fairs_statement,
    has_final_report,
    pending_requests_statement,
    save_report,
)
from jobfair.worker.office_report import (
    compile_office_request,
    pending_office_requests_statement,
)
from jobfair.worker.registry import TASK_TIMEOUT, task

# The sweep leaves a request this long to its queued task (which runs at once, or within
# TASK_TIMEOUT + 10 s when arq re-runs a dead worker's job) before compiling it itself:
# it compiles the requests the queue never had (Redis away at the request, or restarted
# empty), not every request a second time.
REQUEST_GRACE = timedelta(seconds=TASK_TIMEOUT + 10)


async def compile_report(
    ctx: AppContext, fair_id: int, *, force: bool = False
) -> FairReport | None:
    """Compute in a read transaction, then write the version in a short one (SQLite's
    write lock is held only for the insert). Returns None when nothing was owed."""
    now = ctx.now()
    async with ctx.read() as session:
        if ctx.engine.dialect.name == "postgresql":
            # One snapshot for every aggregate, so the tables agree with each other.
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        fair = await session.get(Fair, fair_id)
        if fair is None or fair.status != FairStatus.PUBLISHED:
            return None
        if not force and (fair.closes_at > now or await has_final_report(session, fair, now)):
            # Not closed yet (the job of an extended fair), or already compiled.
            return None
        data = await build_report_data(session, fair_id, now, akl_scope=ctx.settings.akl_scope)
    async with ctx.unit_of_work() as session:
        return await save_report(session, fair_id, data, now, only_if_missing=not force)


async def compile_request(ctx: AppContext, request_id: int) -> FairReport | None:
    """Compile one pending request, as :func:`compile_report` does; None when the
    request is done or gone. A request of a fair no longer published is closed without
    a version (the sweep would otherwise try it for ever)."""
    now = ctx.now()
    async with ctx.read() as session:
        if ctx.engine.dialect.name == "postgresql":
            # One snapshot for every aggregate, so the tables agree with each other.
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        request = await session.get(ReportRequest, request_id)
        if request is None or request.compiled_at is not None:
            return None  # a re-run: the version was written (or the request closed)
        fair_id = request.fair_id
        fair = await session.get(Fair, fair_id)
        published = fair is not None and fair.status == FairStatus.PUBLISHED
        if published:
            data = await build_report_data(session, fair_id, now, akl_scope=ctx.settings.akl_scope)
    async with ctx.unit_of_work() as session:
        if not published:
            request = await session.get(ReportRequest, request_id)
            if request is not None and request.compiled_at is None:
                request.compiled_at = now
            return None
        return await save_report(session, fair_id, data, now, request_id=request_id)


@task("compile_requested_report")
async def compile_requested_report(ctx: AppContext, request_id: int) -> int | None:
    """Compile an organiser's request; returns the new version, or None on a re-run."""
    report = await compile_request(ctx, request_id)
    return report.version if report is not None else None


@task("compile_fair_report")
async def compile_fair_report(ctx: AppContext, fair_id: int, force: bool = False) -> int | None:
    """Compile a fair's report; returns the new version, or None when none was owed."""
    report = await compile_report(ctx, fair_id, force=force)
    return report.version if report is not None else None


@task("compile_due_reports")
async def compile_due_reports(ctx: AppContext) -> int:
    """The sweep: compile every closed fair with no report since its close, and every
    fair or office statistics request pending for longer than :data:`REQUEST_GRACE`."""
    now = ctx.now()
    async with ctx.read() as session:
        fair_ids = list(await session.scalars(due_fairs_statement(now)))
        request_ids = list(await session.scalars(pending_requests_statement(now - REQUEST_GRACE)))
        office_request_ids = list(
            await session.scalars(pending_office_requests_statement(now - REQUEST_GRACE))
        )
    compiled = 0
    for request_id in office_request_ids:
        compiled += await compile_office_request(ctx, request_id) is not None
    for request_id in request_ids:
        compiled += await compile_request(ctx, request_id) is not None
    for fair_id in fair_ids:
        compiled += await compile_report(ctx, fair_id) is not None
    return compiled
