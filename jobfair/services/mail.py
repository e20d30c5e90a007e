"""Outgoing e-mail through the outbox: a service writes an :class:`Outbox` row in its
unit of work; after commit the ``deliver_mail`` task sends it (SMTP, or a folder of
``.eml`` files in development). Unsent rows are re-driven by the sweep.

The one home of the outbox's rules: which rows are owed (:func:`due`), how a run claims
one (a lease, so overlapping runs never send a row at the same time), the backoff after
a failure, when a row is given up, and what of a failure an organiser may read.
Delivery is at least once: a crash between the relay's acceptance and the ``sent_at``
write sends the row again, with the same ``Message-ID``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import gettext
from jobfair.models import Outbox, User
from jobfair.services import audit, authority
from jobfair.services.errors import PermissionDenied

# How long a run holds a row it is sending. One send is bounded by smtplib's 30 s
# timeout per step (connect, TLS, login, data); five minutes leaves a wide margin, and
# is also how long a row waits after its sender died mid-send.
MAIL_LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=4)
FAILED_PAGE = 50
REASON_MAX = 300
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


# ------------------------------------------------------------------ queueing


async def queue_mail(
    session: AsyncSession,
    *,
    to_address: str,
    subject: str,
    body: str,
    dedupe_key: str,
    user_id: int | None = None,
    kind: str = "text",
) -> Outbox | None:
    """Queue one e-mail. ``dedupe_key`` makes it idempotent: a task that runs twice does
    not mail twice. Returns None when the message was queued before."""
    existing = await session.scalar(select(Outbox.id).where(Outbox.dedupe_key == dedupe_key))
    if existing is not None:
        return None
    row = Outbox(
        dedupe_key=dedupe_key[:120],
        user_id=user_id,
        to_address=to_address,
        subject=subject[:300],
        template=kind,
        payload={"body": body},
    )
    session.add(row)
    await session.flush()
    enqueue_after_commit(session, "deliver_mail", outbox_id=row.id)
    return row


# ------------------------------------------------------------------ the rules


def unsent() -> ColumnElement[bool]:
    """Rows still owed: neither sent nor given up."""
    return and_(Outbox.sent_at.is_(None), Outbox.failed_at.is_(None))


def due(now: datetime) -> ColumnElement[bool]:
    """Rows a run may claim at ``now``: owed, past their backoff, and not held by a
    run that is sending them (an expired lease is free: its run died)."""
    return and_(
        unsent(),
        or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
        or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now),
    )


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failure in a row: 1 minute, doubling, at most
    4 hours (1, 2, 4 … 128 minutes, then 4 hours)."""
    if failures < 1:
        return timedelta(0)
    # The exponent is capped so a huge count cannot build a huge number.
    return min(FIRST_RETRY * 2 ** min(failures - 1, 16), LONGEST_RETRY)


def mask_address(address: str) -> str:
    """``ani.lestari@example.test`` → ``a***@example.test``: enough for an organiser to
    recognise a recipient or a failing domain, not to read the address."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address[:1] + "***"
    return f"{local[:1]}***@{domain}"


def safe_reason(text: str, secrets: Iterable[str] = ()) -> str:
    """A failure's text fit to store and show: every address masked, the given secrets
    (the relay's user name and password) removed, one line, at most REASON_MAX."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _ADDRESS.sub(lambda found: mask_address(found.group(0)), text)
    text = _CONTROL.sub(" ", text).strip()
    return text[:REASON_MAX]


# ------------------------------------------------------------------ delivery


async def claim_next(
    session: AsyncSession,
    now: datetime,
    *,
    after_id: int = 0,
    only_id: int | None = None,
    lease: timedelta = MAIL_LEASE,
) -> Outbox | None:
    """Claim the next due row after ``after_id`` (or row ``only_id``) for one attempt:
    count the attempt and hold the row until ``now + lease``. None when nothing is due.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent runs take different rows
    without waiting on each other. SQLite: one conditional UPDATE (its writes are
    serialised, so the condition is checked and set atomically)."""
    conditions = [due(now), Outbox.id > after_id]
    if only_id is not None:
        conditions.append(Outbox.id == only_id)
    values = {"claimed_until": now + lease, "attempts": Outbox.attempts + 1}
    if session.get_bind().dialect.name == "postgresql":
        candidate = await session.scalar(
            select(Outbox.id)
            .where(*conditions)
            .order_by(Outbox.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if candidate is None:
            return None
        await session.execute(
            update(Outbox)
            .where(Outbox.id == candidate)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        claimed: int | None = candidate
    else:
        first = select(Outbox.id).where(*conditions).order_by(Outbox.id).limit(1)
        claimed = await session.scalar(
            update(Outbox)
            .where(Outbox.id == first.scalar_subquery(), due(now))
            .values(**values)
            .returning(Outbox.id)
            .execution_options(synchronize_session=False)
        )
        if claimed is None:
            return None
    return await session.scalar(
        select(Outbox).where(Outbox.id == claimed).execution_options(populate_existing=True)
    )


async def record_sent(session: AsyncSession, row_id: int, now: datetime) -> None:
    """The relay took the message (or the folder has it): never sent again."""
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id, Outbox.sent_at.is_(None))
        .values(sent_at=now, claimed_until=None, next_attempt_at=None)
    )


async def record_failure(
    session: AsyncSession,
    row_id: int,
    claimed_until: datetime,
    reason: str,
    now: datetime,
    retry_period: timedelta,
) -> bool:
    """An attempt failed: try again after the backoff, or give the row up once its retry
    period (counted from its first failure) is over. Only the run still holding the
    claim records it. Returns whether the row is now failed."""
    row = await session.get(Outbox, row_id)
    if row is None or row.sent_at is not None or row.claimed_until != claimed_until:
        return False
    row.retry_until = row.retry_until or now + retry_period
    row.last_error = reason[:REASON_MAX]
    row.claimed_until = None
    if now >= row.retry_until:
        row.failed_at = now
        row.next_attempt_at = None
    else:
        # The last try falls at the end of the period, not up to 4 hours after it.
        row.next_attempt_at = min(now + retry_delay(row.attempts), row.retry_until)
    await session.flush()
    return row.failed_at is not None


# ------------------------------------------------------------------ the console


@dataclass(frozen=True)
class MailHealth:
    failed: int
    unsent_oldest_minutes: int


@dataclass(frozen=True)
class FailedMail:
    id: int
    recipient: str
    subject: str
    reason: str
    failed_at: datetime
    created_at: datetime
    attempts: int


def _admin_only(user: User) -> None:
    # Mail has no office (one applicant hears from several offices' fairs), so only an
    # admin, who sees every office, may see it.
    if not authority.is_admin(user):
        raise PermissionDenied(gettext("You are not allowed to do that."))


async def failed_count(session: AsyncSession) -> int:
    """Mail given up: the console's figure and /healthz's."""
    return (
        await session.scalar(select(func.count(Outbox.id)).where(Outbox.failed_at.is_not(None)))
        or 0
    )


async def mail_health(session: AsyncSession, now: datetime) -> MailHealth:
    oldest = await session.scalar(select(func.min(Outbox.created_at)).where(unsent()))
    minutes = 0
    if oldest is not None:
        minutes = max(0, int((now - oldest).total_seconds() // 60))
    return MailHealth(failed=await failed_count(session), unsent_oldest_minutes=minutes)


async def failed_mail(
    session: AsyncSession, user: User, page: int
) -> tuple[list[FailedMail], bool]:
    """One page of failed mail, the latest failure first, and whether there is more."""
    _admin_only(user)
    rows = list(
        await session.scalars(
            select(Outbox)
            .where(Outbox.failed_at.is_not(None))
            .order_by(Outbox.failed_at.desc(), Outbox.id.desc())
            .offset((page - 1) * FAILED_PAGE)
            .limit(FAILED_PAGE + 1)
        )
    )
    shown = [
        FailedMail(
            id=row.id,
            recipient=mask_address(row.to_address),
            subject=row.subject,
            reason=row.last_error or "",
            failed_at=row.failed_at,
            created_at=row.created_at,
            attempts=row.attempts,
        )
        for row in rows[:FAILED_PAGE]
        if row.failed_at is not None
    ]
    return shown, len(rows) > FAILED_PAGE


async def retry_failed(session: AsyncSession, user: User, outbox_id: int) -> bool:
    """Send a failed e-mail again, with a fresh retry period and backoff. False when it
    is not failed (already retried, or sent); an unknown id is not found."""
    _admin_only(user)
    row = await session.get(Outbox, outbox_id)
    if row is None:
        raise authority.not_found()
    if row.failed_at is None:
        return False
    row.failed_at = None
    row.next_attempt_at = None
    row.retry_until = None
    row.claimed_until = None
    row.attempts = 0
    audit.record(
        session, "mail.retried", object_type="outbox", object_id=row.id, actor_user_id=user.id
    )
    await session.flush()
    enqueue_after_commit(session, "deliver_mail", outbox_id=row.id)
    return True
