"""The office statistics task: compile one ``office_report_requests`` row into the
next immutable version of the office's statistics over its period.

As for fair reports (``worker.report``): compute in a read transaction (one snapshot
on PostgreSQL), then write in a short one; idempotent per request (the version names
the request, unique, and the request gets its ``compiled_at`` in the same transaction),
so a re-run after a dead worker or the sweep meeting the queued job writes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Select

from jobfair.context import AppContext
from jobfair.models import OfficeReport, OfficeReportRequest
from jobfair.services.office_reports import period_of
from jobfair.stats.compile import SAVE_ATTEMPTS
from jobfair.stats.office import build_office_report_data
from jobfair.worker.registry import task

logger = logging.getLogger(__name__)


async def save_office_report(
    session: AsyncSession, request_id: int, data: dict[str, Any], now: datetime
) -> OfficeReport | None:
    """Insert ``data`` as the next version of the request's office and period, and mark
    the request compiled; None when the request is already done (a re-run)."""
    request = await session.scalar(
        select(OfficeReportRequest)
        .where(OfficeReportRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if request is None or request.compiled_at is not None:
        return None
    period = period_of(request)
    of_period = (
        OfficeReport.office_id == request.office_id,
        OfficeReport.period_key == period.key,
    )
    for _attempt in range(SAVE_ATTEMPTS):
        latest = await session.scalar(select(func.max(OfficeReport.version)).where(*of_period))
        version = (latest or 0) + 1
        report = OfficeReport(
            office_id=request.office_id,
            period_key=period.key,
            period_kind=str(period.kind),
            period_start=period.start,
            period_end=period.end,
            version=version,
            compiled_at=now,
            data={**data, "version": version},
            request_id=request_id,
        )
        try:
            async with session.begin_nested():
                session.add(report)
        except IntegrityError:
            logger.info("office report version %s taken; retrying", version)
            continue
        request.compiled_at = now
        return report
    raise RuntimeError(f"could not number office report request {request_id}")


async def compile_office_request(ctx: AppContext, request_id: int) -> OfficeReport | None:
    now = ctx.now()
    async with ctx.read() as session:
        if ctx.engine.dialect.name == "postgresql":
            # One snapshot for every aggregate, so the tables agree with each other.
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        request = await session.get(OfficeReportRequest, request_id)
        if request is None or request.compiled_at is not None:
            return None
        data = await build_office_report_data(
            session, request.office_id, period_of(request), now, akl_scope=ctx.settings.akl_scope
        )
    async with ctx.unit_of_work() as session:
        return await save_office_report(session, request_id, data, now)


def pending_office_requests_statement(requested_before: datetime) -> Select[Any]:
    """Office statistics requests not yet compiled, made before ``requested_before``."""
    return (
        select(OfficeReportRequest.id)
        .where(
            OfficeReportRequest.compiled_at.is_(None),
            OfficeReportRequest.requested_at < requested_before,
        )
        .order_by(OfficeReportRequest.requested_at, OfficeReportRequest.id)
    )


@task("compile_office_report")
async def compile_office_report(ctx: AppContext, request_id: int) -> int | None:
    """Compile an organiser's request; returns the new version, or None on a re-run."""
    report = await compile_office_request(ctx, request_id)
    return report.version if report is not None else None
