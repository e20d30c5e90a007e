"""Outgoing e-mail through the outbox: a service writes an :class:`Outbox` row in its
unit of work; after commit the ``deliver_mail`` task sends it (SMTP, or a folder of
``.eml`` files in development). Unsent rows are re-driven by the sweep."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.models import Outbox


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
