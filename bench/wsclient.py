"""The websocket clients of the live benchmarks (``fanout.py``, ``chat.py``): asyncio
protocols over the ``websockets`` sans-I/O client, so a connection costs no task, and
the stdin/stdout command loop of their client processes.

A benchmark subclasses :class:`WsClient` with what it does with a JSON text frame
(:meth:`WsClient.on_frame`) and calls :meth:`WsClient.mark_open` when the connection
counts as open (the first frame it waits for); :func:`open_client` connects one within
a concurrency gate and a deadline.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from websockets.client import ClientProtocol
from websockets.datastructures import Headers
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

C = TypeVar("C", bound="WsClient")
HANDSHAKE_SECONDS = 60.0  # bound on one connection's opening


class WsClient(asyncio.Protocol):
    """One websocket connection, without compression (no extensions offered)."""

    def __init__(self, url: str, cookie: str | None = None) -> None:
        self.url = url
        self.cookie = cookie
        self.ws = ClientProtocol(parse_uri(url))
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.alive = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        request = self.ws.connect()
        if self.cookie:
            request.headers = Headers([*request.headers.raw_items(), ("Cookie", self.cookie)])
        self.ws.send_request(request)
        self.flush()

    def flush(self) -> None:
        assert self.transport is not None
        for data in self.ws.data_to_send():
            if data:
                self.transport.write(data)
            else:
                self.transport.close()

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                self.on_frame(json.loads(event.data), now)
            elif (
                isinstance(event, Response)
                and self.ws.handshake_exc is not None
                and not self.opened.done()
            ):
                self.opened.set_exception(self.ws.handshake_exc)
        self.flush()

    def on_frame(self, frame: dict[str, Any], now: float) -> None:
        """A JSON text frame arrived at ``now`` (``time.time()``)."""
        raise NotImplementedError

    def mark_open(self) -> None:
        self.alive = True
        self.opened.set_result(None)

    def send_json(self, body: dict[str, Any]) -> None:
        self.ws.send_text(json.dumps(body).encode())
        self.flush()

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed"))


async def open_client(make: Callable[[], C], gate: asyncio.Semaphore, deadline: float) -> C | None:
    """Connect ``make()`` once ``gate`` lets it, giving up at ``deadline`` (loop time) or
    after ``HANDSHAKE_SECONDS``; None when it did not open (then it is closed, so that a
    late handshake cannot count as a client)."""
    loop = asyncio.get_running_loop()
    async with gate:
        if loop.time() >= deadline:
            return None  # the run's bound on connecting is spent
        connection = make()
        uri = parse_uri(connection.url)
        try:
            async with asyncio.timeout_at(min(deadline, loop.time() + HANDSHAKE_SECONDS)):
                await loop.create_connection(lambda: connection, uri.host, uri.port)
                await connection.opened
        except Exception:
            if connection.transport is not None:
                connection.transport.abort()
            return None
        return connection


def abort_all(connections: list[C]) -> None:
    for one in connections:
        if one.transport is not None:
            one.transport.abort()


async def commands(limit: int) -> AsyncIterator[dict[str, Any]]:
    """The client process's commands: JSON lines on stdin, until it closes."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=limit)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        yield json.loads(line)


def answer(body: dict[str, Any]) -> None:
    """One answer to the driving process: a JSON line on stdout."""
    sys.stdout.write(json.dumps(body) + "\n")
    sys.stdout.flush()
