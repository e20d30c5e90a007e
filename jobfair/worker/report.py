"""Report tasks: compile one fair's statistics, and the sweep's re-drive of closed fairs
that have no report since their close (or, past the decision deadline, since then).

``compile_fair_report`` is scheduled for the fair's ``closes_at`` when it is published
or extended, requested by organisers (``force``: always a new version, provisional
before the close), and run by the CLI. Without ``force`` it is idempotent: it compiles
only a closed, published fair with no report compiled at or after its close, checked
again inside the writing transaction, so a re-run after a dead worker, the sweep and
the scheduled job together still leave one report version.
"""

from __future__ import annotations

from jobfair.context import AppContext
from jobfair.models import Fair, FairReport
from jobfair.models.fairs import FairStatus
from jobfair.stats.compile import (
    build_report_data,
    due_fairs_statement,
    has_final_report,
    save_report,
)
from jobfair.worker.registry import task


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


@task("compile_fair_report")
async def compile_fair_report(ctx: AppContext, fair_id: int, force: bool = False) -> int | None:
    """Compile a fair's report; returns the new version, or None when none was owed."""
    report = await compile_report(ctx, fair_id, force=force)
    return report.version if report is not None else None


@task("compile_due_reports")
async def compile_due_reports(ctx: AppContext) -> int:
    """The sweep: compile every closed fair with no report since its close."""
    async with ctx.read() as session:
        fair_ids = list(await session.scalars(due_fairs_statement(ctx.now())))
    compiled = 0
    for fair_id in fair_ids:
        compiled += await compile_report(ctx, fair_id) is not None
    return compiled
