"""Task functions. Each takes the app context and ids, and is safe to run twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_

from jobfair.context import AppContext
from jobfair.models import UserSession
from jobfair.routes import route_paths
from jobfair.services import booth_privacy, booth_slots, conversations, exports, screening
from jobfair.worker import (
    mail,  # noqa: F401 - registers deliver_mail
    report,  # noqa: F401 - registers the report tasks
)
from jobfair.worker.registry import task

SESSION_GRACE = timedelta(days=1)


@task("purge_expired_sessions")
async def purge_expired_sessions(ctx: AppContext) -> int:
    """Delete sessions that expired or were revoked more than a day ago."""
    cutoff = ctx.now() - SESSION_GRACE
    async with ctx.unit_of_work() as session:
        result = await session.execute(
            delete(UserSession).where(
                or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff)
            )
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@task("purge_chats")
async def purge_chats(ctx: AppContext) -> int:
    """Delete booth chats of fairs closed longer ago than JOBFAIR_RETENTION_DAYS."""
    async with ctx.unit_of_work() as session:
        return await conversations.purge_closed_fairs(
            session, ctx.now(), ctx.settings.retention_days
        )


@task("purge_slots_and_messages")
async def purge_slots_and_messages(ctx: AppContext) -> int:
    """Delete the slot bookings and booth messages of fairs closed longer ago than
    JOBFAIR_RETENTION_DAYS (the booth chats' rule); returns how many rows went."""
    async with ctx.unit_of_work() as session:
        bookings, messages = await booth_privacy.purge_closed_fairs(
            session, ctx.now(), ctx.settings.retention_days
        )
    return bookings + messages


@task("expire_stale_queue")
async def expire_stale_queue(ctx: AppContext) -> int:
    """Mark the booth-queue places not seen for JOBFAIR_CHAT_QUEUE_GRACE_SECONDS expired."""
    async with ctx.unit_of_work() as session:
        return await conversations.expire_stale(
            session, ctx.now(), conversations.ChatLimits.from_settings(ctx.settings)
        )


@task("end_timed_out_chats")
async def end_timed_out_chats(ctx: AppContext) -> int:
    """End the booth chats whose company's chat timer has run out (both sides are told,
    as by a manual end)."""
    async with ctx.unit_of_work() as session:
        return await conversations.end_timed_out(session, ctx.now())


def _path_for(ctx: AppContext, name: str, **params: Any) -> str:
    # A context made outside the web app and the worker (a script, a test) has no route
    # table yet: build it from the routes, as the worker does.
    if ctx.paths is None:
        ctx.paths = route_paths(ctx.settings.static_dir)
    return ctx.path_for(name, **params)


@task("deliver_decisions")
async def deliver_decisions(ctx: AppContext, company_id: int | None = None) -> int:
    """Deliver the decisions whose undo window has ended (one company, or all)."""
    async with ctx.unit_of_work() as session:
        return await screening.deliver_due(
            session,
            ctx.now(),
            company_id=company_id,
            base_url=ctx.settings.base_url,
            applications_path=_path_for(ctx, "me:applications"),
        )


@task("close_unanswered")
async def close_unanswered(ctx: AppContext, fair_id: int | None = None) -> int:
    """At a fair's decision deadline, close what the companies left unanswered."""
    async with ctx.read() as session:
        fair_ids = (
            [fair_id]
            if fair_id is not None
            else await screening.fairs_past_deadline(session, ctx.now())
        )
    closed = 0
    for one in fair_ids:
        async with ctx.unit_of_work() as session:
            closed += await screening.close_unanswered(
                session,
                one,
                ctx.now(),
                base_url=ctx.settings.base_url,
                applications_path=_path_for(ctx, "me:applications"),
            )
    return closed


@task("build_export")
async def build_export(ctx: AppContext, job_id: int) -> None:
    """Build one large applicant export, recording progress as it goes."""
    now = ctx.now()
    await exports.build(
        ctx.read, ctx.unit_of_work, job_id, ctx.settings.uploads_dir, now.date(), now
    )


@task("send_slot_reminders")
async def send_slot_reminders(ctx: AppContext) -> int:
    """Remind the applicants whose booked slot starts within the reminder time, once
    (the sweep runs it every pass; a booking is claimed before it is reminded)."""
    async with ctx.unit_of_work() as session:
        return await booth_slots.send_reminders(
            session,
            ctx.now(),
            minutes=ctx.settings.slot_reminder_minutes,
            base_url=ctx.settings.base_url,
            bookings_path=_path_for(ctx, "me:bookings"),
        )


# Tasks the sweep runs on every pass: each re-drives what the database says is owed.
SWEEP_TASKS = (
    "purge_expired_sessions",
    "purge_chats",
    "purge_slots_and_messages",
    "deliver_decisions",
    "close_unanswered",
    "deliver_mail",
    "compile_due_reports",
    "send_slot_reminders",
    "expire_stale_queue",
    "end_timed_out_chats",
)
