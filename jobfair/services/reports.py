"""Fair reports for organisers and the public: request a (re)compile (a
``report_requests`` row; the task ``compile_requested_report`` runs after the commit and
the sweep compiles what is still pending), read a version (the JSON API, the report
page with its version list), and the public headline of a closed fair. Compiling lives in
``jobfair.stats.compile`` and ``jobfair.worker.report``; reports are immutable snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import N_, gettext
from jobfair.models import Fair, FairReport, ReportRequest, User
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.services import audit
from jobfair.services.authority import scoped_fair
from jobfair.services.errors import Conflict, NotFound
from jobfair.services.fairs import get_fair

# The public summary shows only these headline figures (aggregates, never a person),
# in this order; the first key found of each tuple is used.
PUBLIC_FIGURES: tuple[tuple[str, ...], ...] = (
    ("companies",),
    ("vacancies",),
    ("openings",),
    ("applicants",),
    ("applications",),
    ("hires_confirmed", "confirmed_hires"),
)
LOCAL_HIRES_LABEL = N_("Local share of confirmed hires")
LOCAL_HIRES_DEFINITION = N_(
    "Hires confirmed by applicants whose KTP regency is a host regency of the fair, as a "
    "share of all confirmed hires, beside the fair's local-hiring target (a percent of "
    "its confirmed hires)."
)


@dataclass
class ReportRead:
    """A fair, the report version asked for (None before the first compilation) and
    every version with its compile time, newest first."""

    fair: Fair
    report: FairReport | None
    versions: list[tuple[int, datetime]] = field(default_factory=list)
    # A request of the fair is still waiting for its version: the page says so and
    # polls until it is written.
    compiling: bool = False

    @property
    def latest_version(self) -> int | None:
        return self.versions[0][0] if self.versions else None


@dataclass(frozen=True)
class CompileRequested:
    """A report request made durable (the row is committed with the caller's unit of
    work): the sweep compiles it even if the task queue never hears of it."""

    request_id: int
    fair_id: int
    provisional: bool


async def request_compile(
    session: AsyncSession, user: User, slug: str, now: datetime
) -> CompileRequested:
    """Record a request for a new report version of a published fair and queue its
    compile after the commit (a speed-up only: the sweep compiles every request still
    pending). Before the close the version is provisional; the scheduled compile at the
    close still runs."""
    fair = await scoped_fair(session, user, slug)
    if fair.status != FairStatus.PUBLISHED:
        raise Conflict(gettext("Only a published fair has a report."))
    request = ReportRequest(fair_id=fair.id, requested_by_user_id=user.id, requested_at=now)
    session.add(request)
    await session.flush()
    provisional = now < fair.closes_at
    audit.record(
        session,
        "report.requested",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=user.id,
        fair_id=fair.id,
        data={"provisional": provisional, "request_id": request.id},
    )
    enqueue_after_commit(session, "compile_requested_report", request_id=request.id)
    return CompileRequested(request.id, fair.id, provisional)


async def get_report(
    session: AsyncSession, user: User, slug: str, version: int | None = None
) -> FairReport:
    """The newest report (or ``version``) of the fair; NotFound before the first."""
    read = await latest_report(session, user, slug, version)
    if read.report is None:
        raise NotFound(gettext("No report has been compiled for this fair yet."))
    return read.report


async def latest_report(
    session: AsyncSession, user: User, slug: str, version: int | None = None
) -> ReportRead:
    """The newest report of the fair (or ``version``) for an organiser of its office or
    an admin; anyone else, an unknown fair or an unknown version: NotFound."""
    fair = await scoped_fair(session, user, slug)
    compiling = await compile_pending(session, fair.id)
    versions = [
        (number, compiled_at)
        for number, compiled_at in await session.execute(
            select(FairReport.version, FairReport.compiled_at)
            .where(FairReport.fair_id == fair.id)
            .order_by(FairReport.version.desc())
        )
    ]
    if not versions:
        if version is not None:
            raise NotFound(gettext("We could not find that page."))
        return ReportRead(fair, None, [], compiling)
    wanted = versions[0][0] if version is None else version
    report = await session.scalar(
        select(FairReport).where(FairReport.fair_id == fair.id, FairReport.version == wanted)
    )
    if report is None:
        raise NotFound(gettext("We could not find that page."))
    return ReportRead(fair, report, versions, compiling)


async def compile_pending(session: AsyncSession, fair_id: int) -> bool:
    """Whether a request for a new version of the fair's report is still pending."""
    pending = exists().where(ReportRequest.fair_id == fair_id, ReportRequest.compiled_at.is_(None))
    return bool(await session.scalar(select(pending)))


async def has_report(session: AsyncSession, fair_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(FairReport.fair_id == fair_id))))


async def public_summary(
    session: AsyncSession, slug: str, now: datetime
) -> tuple[Fair, list[dict[str, Any]], datetime]:
    """The headline of a closed public fair's newest report, only the figures of
    :data:`PUBLIC_FIGURES`; a draft, an open fair or a fair without a report: NotFound."""
    fair = await get_fair(session, slug)
    newest = await session.scalar(
        select(func.max(FairReport.version)).where(FairReport.fair_id == fair.id)
    )
    if newest is None or fair.phase(now) != FairPhase.CLOSED:
        raise NotFound(gettext("We could not find that page."))
    report = await session.scalar(
        select(FairReport).where(FairReport.fair_id == fair.id, FairReport.version == newest)
    )
    assert report is not None
    items = {item.get("key"): item for item in (report.data or {}).get("headline", [])}
    figures = []
    for keys in PUBLIC_FIGURES:
        for key in keys:
            item = items.get(key)
            if item is not None and isinstance(item.get("value"), int | float):
                figures.append(
                    {
                        "key": keys[0],
                        "label": item.get("label", key),
                        "value": item["value"],
                        "definition": item.get("definition", ""),
                    }
                )
                break
    local = _local_hires(report.data or {}, fair.local_hiring_target)
    if local is not None:
        figures.append(local)
    return fair, figures, report.compiled_at


def _local_hires(data: dict[str, Any], target: int | None) -> dict[str, Any] | None:
    """The local share of confirmed hires (the first row of ``local_hires``) and the
    target, both as shares; None when the report has no confirmed hire."""
    for table in data.get("tables", []):
        if table.get("key") == "local_hires" and table.get("rows"):
            value = table["rows"][0].get("share_of_hires")
            if not isinstance(value, int | float):
                return None
            percent = table.get("target", target)
            return {
                "key": "local_hires",
                "label": LOCAL_HIRES_LABEL,
                "value": value,
                "unit": "share",
                "target": percent / 100 if isinstance(percent, int | float) else None,
                "definition": LOCAL_HIRES_DEFINITION,
            }
    return None


async def stored_report(session: AsyncSession, slug: str, version: int | None = None) -> FairReport:
    """A fair's newest report (or ``version``) for the operator's command line, which
    has no user: NotFound naming what is missing."""
    fair = await session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise NotFound(f"no fair with slug {slug!r}")
    query = select(FairReport).where(FairReport.fair_id == fair.id)
    if version is not None:
        query = query.where(FairReport.version == version)
    report = await session.scalar(query.order_by(FairReport.version.desc()).limit(1))
    if report is None:
        which = f"no report version {version}" if version is not None else "no report yet"
        raise NotFound(f"fair {slug!r} has {which} (compile it with `jobfair report compile`)")
    return report
