"""Sending the outbox: SMTP when ``JOBFAIR_SMTP_URL`` is set, otherwise one ``.eml``
file per message in ``<data_dir>/mail`` (development and the demo).

Runs overlap (the sweep, the enqueue after commit, worker start-up, several workers):
each row is claimed with a lease before it is sent (jobfair.services.mail), so only
one run sends it at a time."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.services import mail as outbox
from jobfair.settings import Settings
from jobfair.worker.registry import TASK_TIMEOUT, task

logger = logging.getLogger(__name__)
# Half the task timeout (registry.TASK_TIMEOUT): room for the send under way to finish.
RUN_SECONDS = TASK_TIMEOUT / 2


def build_message(row: Outbox, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    # The row's own, the same on every attempt: a re-send is recognisable downstream.
    message["Message-ID"] = row.message_id
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


def describe_failure(exc: BaseException, smtp_url: str | None) -> str:
    """What an organiser may read of a failed attempt: the error's kind, the relay's
    reply code and words, with addresses masked and the relay's credentials removed."""
    kind = type(exc).__name__
    detail = ""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, reply = next(iter(exc.recipients.values()))
        detail = f"{code} {reply.decode(errors='replace')}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        detail = f"{exc.smtp_code} {text}"
    elif isinstance(exc, OSError):
        # strerror only: str(exc) of some socket errors names the host and port.
        detail = exc.strerror or ""
    elif isinstance(exc, smtplib.SMTPException):
        detail = str(exc)
    secrets: list[str] = []
    if smtp_url:
        url = urlsplit(smtp_url)
        for part in (url.username, url.password):
            if part:
                secrets += [part, unquote(part)]
    return outbox.safe_reason(f"{kind}: {detail}" if detail else kind, secrets)


def _send(message: EmailMessage, settings: Settings, row_id: int) -> None:
    if settings.smtp_url:
        send_smtp(message, settings.smtp_url)
    else:
        write_eml(message, settings.mail_dir, row_id)


@task("deliver_mail")
async def deliver_mail(ctx: AppContext, outbox_id: int | None = None) -> int:
    """Send one outbox row, or every due one (the sweep); returns how many were sent.

    Each row is claimed just before it is sent, one at a time, so a lease never runs out
    while its row waits behind others in this run. A run claims no new row after
    RUN_SECONDS: one cancelled at the task timeout while the relay accepts a message
    would leave it unrecorded, to be sent again; the sweep takes the rest."""
    settings = ctx.settings
    last_id = 0
    sent = 0
    started = time.monotonic()
    while last_id == 0 or time.monotonic() - started < RUN_SECONDS:
        async with ctx.unit_of_work() as session:
            # after_id: each row at most once per run (a failing server is retried after
            # the backoff, not hammered in a loop).
            row = await outbox.claim_next(session, ctx.now(), after_id=last_id, only_id=outbox_id)
            if row is not None:
                session.expunge(row)
        if row is None:
            return sent
        last_id = row.id
        sent += await _attempt(ctx, settings, row)
    return sent


async def _attempt(ctx: AppContext, settings: Settings, row: Outbox) -> int:
    assert row.claimed_until is not None
    message = build_message(row, settings)
    try:
        await asyncio.to_thread(_send, message, settings, row.id)
    except Exception as exc:  # any failure of the send is recorded and retried
        reason = describe_failure(exc, settings.smtp_url)
        async with ctx.unit_of_work() as session:
            failed = await outbox.record_failure(
                session, row.id, row.claimed_until, reason, ctx.now(), settings.mail_retry_period
            )
        # The row number and the error's kind only: no address, no server words.
        log = logger.error if failed else logger.warning
        log("mail %d not sent (%s)%s", row.id, type(exc).__name__, "; given up" if failed else "")
        return 0
    async with ctx.unit_of_work() as session:
        await outbox.record_sent(session, row.id, ctx.now())
    return 1
