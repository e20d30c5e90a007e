"""Sending the outbox: SMTP when ``JOBFAIR_SMTP_URL`` is set, otherwise one ``.eml``
file per message in ``<data_dir>/mail`` (development and the demo)."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select, update

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.settings import Settings
from jobfair.worker.registry import task

MAX_ATTEMPTS = 5


def build_message(row: Outbox, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="jobfair.local")
    message.set_content(str(row.payload.get("body", "")))
    return message


def send_smtp(message: EmailMessage, smtp_url: str) -> None:
    """``smtp://user:password@host:587?starttls=1`` or ``smtps://…@host:465``."""
    url = urlsplit(smtp_url)
    options = parse_qs(url.query)
    context = ssl.create_default_context()
    host = url.hostname or "localhost"
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, context=context, timeout=30)
    else:
        client = smtplib.SMTP(host, url.port or 25, timeout=30)
    with client:
        if url.scheme == "smtp" and options.get("starttls", ["0"])[0] in {"1", "true"}:
            client.starttls(context=context)
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)


def write_eml(message: EmailMessage, folder: Path, row_id: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row_id:08d}.eml"
    path.write_bytes(bytes(message))
    return path


@task("deliver_mail")
async def deliver_mail(ctx: AppContext, outbox_id: int | None = None) -> int:
    """Send one outbox row, or every unsent one (the sweep); returns how many were sent."""
    settings = ctx.settings
    last_id = 0
    sent = 0
    while True:
        # In pages, each row at most once per run (a failing server is retried by the
        # next sweep, not hammered in a loop).
        async with ctx.read() as session:
            query = select(Outbox).where(
                Outbox.sent_at.is_(None), Outbox.attempts < MAX_ATTEMPTS, Outbox.id > last_id
            )
            if outbox_id is not None:
                query = query.where(Outbox.id == outbox_id)
            rows: list[Outbox] = list(await session.scalars(query.order_by(Outbox.id).limit(200)))
        if not rows:
            return sent
        last_id = rows[-1].id
        sent += await _send_rows(ctx, settings, rows)


async def _send_rows(ctx: AppContext, settings: Settings, rows: list[Outbox]) -> int:
    sent = 0
    for row in rows:
        # Claim this attempt: the sweep and an enqueued task may pick the same row, and
        # only the one whose update matches the attempt count it read may send it.
        async with ctx.unit_of_work() as session:
            claimed = await session.execute(
                update(Outbox)
                .where(
                    Outbox.id == row.id,
                    Outbox.sent_at.is_(None),
                    Outbox.attempts == row.attempts,
                )
                .values(attempts=row.attempts + 1)
            )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        message = build_message(row, settings)
        error: str | None = None
        try:
            if settings.smtp_url:
                await asyncio.to_thread(send_smtp, message, settings.smtp_url)
            else:
                await asyncio.to_thread(write_eml, message, settings.mail_dir, row.id)
        except (OSError, smtplib.SMTPException) as exc:
            # The class name only: server replies may echo the recipient's address.
            error = type(exc).__name__
        async with ctx.unit_of_work() as session:
            values = {"sent_at": ctx.now()} if error is None else {"last_error": error}
            await session.execute(update(Outbox).where(Outbox.id == row.id).values(**values))
        sent += error is None
    return sent
