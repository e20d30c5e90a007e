"""A local SMTP relay for the outbox tests (aiosmtpd, on its own thread): it keeps what
it accepts, can refuse the next messages with a reply of the test's choosing, and can
hold each message in DATA until the test lets it go (a slow relay, without sleeping)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from support.live_server import free_port

# Generous: only reached when the code under test is broken (a run that never comes).
WAIT_SECONDS = 30.0


@dataclass
class Relay:
    url: str = ""
    accepted: list[EmailMessage] = field(default_factory=list)
    # Every DATA seen, refused ones included (the Message-ID of each attempt).
    seen: list[EmailMessage] = field(default_factory=list)
    # Replies for the next DATA commands, first one first ("451 4.3.0 try later").
    refusals: list[str] = field(default_factory=list)
    # Seconds each DATA takes: a slow relay, so that concurrent senders overlap.
    delay: float = 0.0
    held: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    _hold: bool = False

    def hold(self) -> None:
        """Keep each message in DATA (not answered) until :meth:`release`."""
        self._hold = True
        self.held.clear()

    def release(self) -> None:
        self._hold = False
        self.held.set()
        with self.arrived:
            self.arrived.notify_all()

    def wait_for(self, count: int) -> bool:
        """Block until ``count`` messages have reached DATA (or the hold is released);
        whether they have."""
        with self.arrived:
            self.arrived.wait_for(
                lambda: len(self.seen) >= count or self.held.is_set(), WAIT_SECONDS
            )
            return len(self.seen) >= count

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.accepted]

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content: bytes = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.arrived:
            self.seen.append(message)
            self.arrived.notify_all()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self._hold:
            # Off the relay's loop, so it still answers other connections meanwhile.
            await asyncio.get_running_loop().run_in_executor(None, self.held.wait, WAIT_SECONDS)
        if self.refusals:
            return self.refusals.pop(0)
        self.accepted.append(message)
        return "250 2.0.0 OK"


@contextmanager
def smtp_relay(delay: float = 0.0) -> Iterator[Relay]:
    relay = Relay(delay=delay)
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    relay.url = f"smtp://127.0.0.1:{port}"
    try:
        yield relay
    finally:
        relay.release()
        controller.stop()
