"""The outbox: mail written to the development folder, or sent over real SMTP; each row
sent once by overlapping runs (a lease), with one Message-ID on every attempt, retried
with a backoff for the retry period and then marked failed."""

from __future__ import annotations

import asyncio
import email
import email.policy
import itertools
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.clock import Clock
from support.live_server import free_port
from support.smtp_relay import smtp_relay

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.services import mail as outbox
from jobfair.services.mail import MAIL_LEASE, queue_mail, retry_delay
from jobfair.worker import mail as worker_mail
from jobfair.worker.mail import deliver_mail, describe_failure


async def _queue(ctx: AppContext, key: str) -> None:
    async with ctx.unit_of_work() as session:
        await queue_mail(
            session,
            to_address="ani@example.test",
            subject="Keputusan lamaran",
            body="Halo Ani,\nlamaran Anda sudah dijawab.",
            dedupe_key=key,
        )


async def _owed(ctx: AppContext, count: int) -> list[int]:
    """Rows written straight into the outbox, so that no enqueued run sends them first."""
    async with ctx.unit_of_work() as session:
        rows = [
            Outbox(
                dedupe_key=f"test:{n}",
                to_address=f"pelamar{n}@example.test",
                subject=f"Pesan {n}",
                template="text",
                payload={"body": "Halo"},
            )
            for n in range(count)
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def _row(ctx: AppContext, row_id: int | None = None) -> Outbox:
    async with ctx.read() as session:
        query = select(Outbox) if row_id is None else select(Outbox).where(Outbox.id == row_id)
        row = await session.scalar(query.order_by(Outbox.id))
        assert row is not None
        return row


def _use(ctx: AppContext, url: str, **more: object) -> None:
    ctx.settings = ctx.settings.with_overrides(smtp_url=url, **more)


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
    row = await _row(ctx)
    assert row.sent_at is not None and row.attempts == 1
    assert message["Message-ID"] == row.message_id


async def test_smtp_delivery_and_retry_with_the_same_message_id(
    ctx: AppContext, clock: Clock
) -> None:
    with smtp_relay() as relay:
        relay.refusals.append("451 4.3.0 Try again later")
        _use(ctx, relay.url)
        await _queue(ctx, "decision:2")
        await ctx.tasks.drain()
        row = await _row(ctx)
        # Refused: recorded, and not before the backoff again.
        assert row.sent_at is None and row.attempts == 1
        assert row.last_error == "SMTPDataError: 451 4.3.0 Try again later"
        assert row.next_attempt_at == clock.now + timedelta(minutes=1)
        assert await deliver_mail(ctx) == 0
        clock.advance(timedelta(minutes=1))
        assert await deliver_mail(ctx) == 1  # the sweep re-drives what is owed
    assert len(relay.seen) == 2 and len(relay.accepted) == 1
    # One Message-ID for both attempts: downstream can tell a re-send from a new mail.
    ids = {str(message["Message-ID"]) for message in relay.seen}
    assert ids == {row.message_id}
    assert row.message_id.startswith("<") and row.message_id.endswith(">")
    accepted = relay.accepted[0]
    assert accepted["To"] == "ani@example.test" and accepted["Subject"] == "Keputusan lamaran"
    assert (await _row(ctx)).sent_at == clock.now


async def test_each_row_has_its_own_message_id(ctx: AppContext) -> None:
    first, second = await _owed(ctx, 2)
    assert (await _row(ctx, first)).message_id != (await _row(ctx, second)).message_id


async def test_a_run_does_not_send_a_row_another_run_is_sending(ctx: AppContext) -> None:
    """The old claim (``attempts = <read value>``) let a second run that read the row
    while the first was sending it (attempts 1, sent_at unset) claim and send it again."""
    (row_id,) = await _owed(ctx, 1)
    with smtp_relay() as relay:
        _use(ctx, relay.url)
        relay.hold()  # the relay keeps the first run in DATA
        first = asyncio.create_task(deliver_mail(ctx))
        assert await asyncio.to_thread(relay.wait_for, 1)
        # Mid-send: a second run (the sweep, an enqueued task, another worker) comes.
        second = asyncio.create_task(deliver_mail(ctx, outbox_id=row_id))
        another = asyncio.create_task(asyncio.to_thread(relay.wait_for, 2))
        await asyncio.wait({second, another}, return_when=asyncio.FIRST_COMPLETED)
        relay.release()
        results = await asyncio.gather(first, second, another)
    assert results[:2] == [1, 0]
    assert len(relay.seen) == 1 and len(relay.accepted) == 1
    row = await _row(ctx, row_id)
    assert row.sent_at is not None and row.attempts == 1 and row.claimed_until is None


async def test_concurrent_runs_against_a_slow_relay_send_each_row_once(ctx: AppContext) -> None:
    ids = await _owed(ctx, 6)
    with smtp_relay() as relay:
        _use(ctx, relay.url)
        relay.hold()
        runs = [asyncio.create_task(deliver_mail(ctx)) for _ in range(3)]
        # All three runs are mid-send at once, each with a row of its own.
        assert await asyncio.to_thread(relay.wait_for, 3)
        assert len({str(message["Message-ID"]) for message in relay.seen}) == 3
        relay.release()
        sent = await asyncio.gather(*runs)
    assert sum(sent) == len(ids)
    assert len(relay.accepted) == len(ids) == len(set(relay.message_ids()))
    assert sorted(str(m["To"]) for m in relay.accepted) == sorted(
        f"pelamar{n}@example.test" for n in range(6)
    )


async def test_a_row_whose_sender_died_is_sent_after_its_lease(
    ctx: AppContext, clock: Clock
) -> None:
    (row_id,) = await _owed(ctx, 1)
    async with ctx.unit_of_work() as session:
        # A run claimed it and died before sending (or before writing sent_at).
        claimed = await outbox.claim_next(session, clock.now)
        assert claimed is not None and claimed.claimed_until == clock.now + MAIL_LEASE
    with smtp_relay() as relay:
        _use(ctx, relay.url)
        assert await deliver_mail(ctx) == 0  # held by the dead run's lease
        clock.advance(MAIL_LEASE - timedelta(seconds=1))
        assert await deliver_mail(ctx) == 0
        clock.advance(timedelta(seconds=2))
        assert await deliver_mail(ctx) == 1
    row = await _row(ctx, row_id)
    assert row.attempts == 2 and relay.message_ids() == [row.message_id]


def test_the_backoff_doubles_from_a_minute_up_to_four_hours() -> None:
    minutes = [retry_delay(n) / timedelta(minutes=1) for n in range(1, 12)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240]
    assert retry_delay(0) == timedelta(0)
    assert retry_delay(10**6) == timedelta(hours=4)


async def test_mail_is_retried_for_the_retry_period_then_failed(
    ctx: AppContext, clock: Clock
) -> None:
    """It used to be given up for good after 5 attempts, minutes after it was queued."""
    _use(ctx, f"smtp://127.0.0.1:{free_port()}", mail_retry_days=1)  # nobody listens
    (row_id,) = await _owed(ctx, 1)
    start = clock.now
    tried_at = []
    while True:
        before = (await _row(ctx, row_id)).attempts
        await deliver_mail(ctx)
        row = await _row(ctx, row_id)
        assert row.attempts == before + 1
        tried_at.append(clock.now)
        if row.failed_at is not None:
            break
        assert row.next_attempt_at is not None and len(tried_at) < 50
        # Not before the backoff is over.
        clock.now = row.next_attempt_at - timedelta(seconds=1)
        assert await deliver_mail(ctx) == 0
        clock.now = row.next_attempt_at
    gaps = [(b - a) / timedelta(minutes=1) for a, b in itertools.pairwise(tried_at)]
    # The last try falls at the end of the day, not up to four hours after it.
    assert gaps == [1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240, 240, 225]
    assert row.failed_at == start + timedelta(days=1) and row.next_attempt_at is None
    assert row.last_error == "ConnectionRefusedError: Connection refused"
    clock.advance(timedelta(days=30))
    assert await deliver_mail(ctx) == 0  # failed rows wait for an organiser


async def test_retry_days_come_from_the_setting(ctx: AppContext, clock: Clock) -> None:
    _use(ctx, f"smtp://127.0.0.1:{free_port()}", mail_retry_days=3)
    (row_id,) = await _owed(ctx, 1)
    await deliver_mail(ctx)
    assert (await _row(ctx, row_id)).retry_until == clock.now + timedelta(days=3)


def test_a_failure_reads_without_the_address_or_the_relay_credentials() -> None:
    url = "smtp://relay-user:s%40cret-pw@mail.example.test:587"
    refused = smtplib.SMTPRecipientsRefused(
        {"ani.lestari@example.test": (550, b"5.1.1 <ani.lestari@example.test>: unknown")}
    )
    assert describe_failure(refused, url) == (
        "SMTPRecipientsRefused: 550 5.1.1 <a***@example.test>: unknown"
    )
    login = smtplib.SMTPAuthenticationError(535, b"5.7.8 relay-user s@cret-pw\r\nrejected")
    text = describe_failure(login, url)
    assert "relay-user" not in text and "s@cret-pw" not in text and "\n" not in text
    assert text.startswith("SMTPAuthenticationError: 535")
    gone = ConnectionRefusedError(111, "Connection refused")
    assert describe_failure(gone, url) == "ConnectionRefusedError: Connection refused"
    assert describe_failure(ValueError("ani@example.test"), None) == "ValueError"
    assert len(describe_failure(smtplib.SMTPDataError(451, b"x" * 5000), None)) <= 300


async def test_a_run_claims_no_new_row_after_its_time(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run cancelled at the task timeout mid-send would leave a sent mail unrecorded
    (and send it again): a run stops taking rows well before, the next run goes on."""
    await _owed(ctx, 3)
    monkeypatch.setattr(worker_mail, "RUN_SECONDS", 0.0)
    assert [await deliver_mail(ctx) for _ in range(4)] == [1, 1, 1, 0]
