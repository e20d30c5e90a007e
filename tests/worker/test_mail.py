"""The outbox: mail written to the development folder, or sent over real SMTP, once."""

from __future__ import annotations

import email
import email.policy

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlalchemy import select
from support.live_server import free_port

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.services.mail import queue_mail
from jobfair.worker.mail import deliver_mail


class Collect(Sink):
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content)  # type: ignore[attr-defined]
        )
        return "250 OK"


async def _queue(ctx: AppContext, key: str) -> None:
    async with ctx.unit_of_work() as session:
        await queue_mail(
            session,
            to_address="ani@example.test",
            subject="Keputusan lamaran",
            body="Halo Ani,\nlamaran Anda sudah dijawab.",
            dedupe_key=key,
        )


async def test_development_mail_goes_to_a_folder_once(ctx: AppContext) -> None:
    await _queue(ctx, "decision:1")
    await _queue(ctx, "decision:1")  # the same logical message is queued once
    await ctx.tasks.drain()
    files = sorted(ctx.settings.mail_dir.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "ani@example.test"
    assert "sudah dijawab" in message.get_body().get_content()  # type: ignore[union-attr]
    assert await deliver_mail(ctx) == 0  # nothing left to send
    async with ctx.read() as session:
        row = await session.scalar(select(Outbox))
        assert row is not None and row.sent_at is not None and row.attempts == 1


async def test_smtp_delivery_and_retry(ctx: AppContext) -> None:
    handler = Collect()
    port = free_port()
    down = ctx.settings.with_overrides(smtp_url=f"smtp://127.0.0.1:{free_port()}")
    ctx.settings = down
    await _queue(ctx, "decision:2")
    await ctx.tasks.drain()
    async with ctx.read() as session:
        row = await session.scalar(select(Outbox))
        # The server was away: recorded, without the address in the error.
        assert row is not None and row.sent_at is None and row.attempts == 1
        assert row.last_error and "example.test" not in row.last_error
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ctx.settings = down.with_overrides(smtp_url=f"smtp://127.0.0.1:{port}")
        assert await deliver_mail(ctx) == 1  # the sweep re-drives what is owed
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    _sender, recipients, content = handler.messages[0]
    assert recipients == ["ani@example.test"]
    assert b"Keputusan lamaran" in content
