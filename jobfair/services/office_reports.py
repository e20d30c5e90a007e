"""An office's statistics over a period, for its organisers: request a (re)compile (an
``office_report_requests`` row; the task ``compile_office_report`` runs after the
commit and the report sweep compiles what is still pending) and read a version.
Compiling lives in ``jobfair.stats.office`` and ``jobfair.worker.office_report``; the
versions are immutable snapshots, numbered per office and period.

Organisers see their own office only; an admin any office; anyone else nothing (the
same "not found" as an office that does not exist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import gettext
from jobfair.models import Fair, LabourOffice, OfficeReport, OfficeReportRequest, User
from jobfair.models.accounts import Role
from jobfair.services import audit, times
from jobfair.services.authority import STAFF_ROLES, is_admin, not_found
from jobfair.services.errors import NotFound, PermissionDenied
from jobfair.services.periods import Period, PeriodKind
from jobfair.stats.office import readable


@dataclass
class OfficeReportRead:
    """The office, the period, the version asked for (None before the first) and every
    version of the period with its compile time, newest first."""

    office: LabourOffice
    period: Period
    timezone: str
    report: OfficeReport | None
    versions: list[tuple[int, datetime]] = field(default_factory=list)
    compiling: bool = False

    @property
    def latest_version(self) -> int | None:
        return self.versions[0][0] if self.versions else None

    @property
    def data(self) -> dict[str, Any] | None:
        """The version's data as pages, files and the API show it (``stats.office.readable``:
        older versions' stored values brought to the current codes)."""
        return None if self.report is None else readable(self.report.data)


async def scoped_office(session: AsyncSession, user: User, office_id: int | None) -> LabourOffice:
    """The office ``office_id`` (None: the organiser's own) for its organisers or an
    admin; other roles are refused, another office is not found."""
    if user.role not in STAFF_ROLES:
        raise PermissionDenied(gettext("You are not allowed to do that."))
    wanted = user.office_id if office_id is None else office_id
    if wanted is None or (
        not is_admin(user) and (user.role != Role.ORGANISER or wanted != user.office_id)
    ):
        raise not_found()
    office = await session.get(LabourOffice, wanted)
    if office is None:
        raise not_found()
    return office


async def office_timezone(session: AsyncSession, office_id: int) -> str:
    """The office's zone: its fairs' when they share one (``times.common_zone``)."""
    zones = await session.scalars(select(Fair.timezone).where(Fair.office_id == office_id))
    return times.common_zone(zones)


def default_period(timezone: str, now: datetime) -> Period:
    """The period shown and compiled when none is named: the current quarter (the
    office files IPK III quarterly most often) in the office's zone."""
    return Period.containing(PeriodKind.QUARTER, times.local_date(now, timezone))


async def resolve_period(
    session: AsyncSession, user: User, office_id: int | None, period: Period | None, now: datetime
) -> Period:
    """``period``, or the office's :func:`default_period` when none was named."""
    if period is not None:
        return period
    office = await scoped_office(session, user, office_id)
    return default_period(await office_timezone(session, office.id), now)


def period_of(row: OfficeReportRequest | OfficeReport) -> Period:
    kind = PeriodKind(row.period_kind)
    if kind is PeriodKind.CUSTOM:
        return Period.between(row.period_start, row.period_end)
    return Period.containing(kind, row.period_start)


async def request_compile(
    session: AsyncSession, user: User, office_id: int | None, period: Period, now: datetime
) -> OfficeReportRequest:
    """Record a request for a new version of the office's statistics over ``period``
    and queue its compile after the commit (the sweep compiles any still pending)."""
    office = await scoped_office(session, user, office_id)
    request = OfficeReportRequest(
        office_id=office.id,
        period_kind=str(period.kind),
        period_number=period.number,
        period_start=period.start,
        period_end=period.end,
        requested_by_user_id=user.id,
        requested_at=now,
    )
    session.add(request)
    await session.flush()
    audit.record(
        session,
        "office.report_requested",
        object_type="office",
        object_id=office.id,
        actor_user_id=user.id,
        data={"period": period.key, "request_id": request.id},
    )
    enqueue_after_commit(session, "compile_office_report", request_id=request.id)
    return request


async def latest_report(
    session: AsyncSession,
    user: User,
    office_id: int | None,
    period: Period,
    version: int | None = None,
) -> OfficeReportRead:
    """The newest version of the office's statistics over ``period`` (or ``version``);
    an unknown version: NotFound."""
    office = await scoped_office(session, user, office_id)
    timezone = await office_timezone(session, office.id)
    pending = exists().where(
        OfficeReportRequest.office_id == office.id,
        OfficeReportRequest.period_kind == str(period.kind),
        OfficeReportRequest.period_start == period.start,
        OfficeReportRequest.period_end == period.end,
        OfficeReportRequest.compiled_at.is_(None),
    )
    compiling = bool(await session.scalar(select(pending)))
    of_period = (OfficeReport.office_id == office.id, OfficeReport.period_key == period.key)
    versions = [
        (number, compiled_at)
        for number, compiled_at in await session.execute(
            select(OfficeReport.version, OfficeReport.compiled_at)
            .where(*of_period)
            .order_by(OfficeReport.version.desc())
        )
    ]
    if not versions:
        if version is not None:
            raise not_found()
        return OfficeReportRead(office, period, timezone, None, [], compiling)
    wanted = versions[0][0] if version is None else version
    report = await session.scalar(
        select(OfficeReport).where(*of_period, OfficeReport.version == wanted)
    )
    if report is None:
        raise not_found()
    return OfficeReportRead(office, period, timezone, report, versions, compiling)


async def get_report(
    session: AsyncSession, user: User, office_id: int, period: Period, version: int | None
) -> dict[str, Any]:
    """The version's data as the API serves it (:attr:`OfficeReportRead.data`)."""
    read = await latest_report(session, user, office_id, period, version)
    if read.data is None:
        raise NotFound(gettext("No statistics have been compiled for this period yet."))
    return read.data
