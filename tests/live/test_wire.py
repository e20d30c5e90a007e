"""The broadcast path's frames and writer (jobfair.live.wire): frames a websockets
client parses, each text encoded once per fan-out, the writer only for a plain
uvicorn sans-I/O connection."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from support.ws_frames import parse
from websockets.frames import Opcode
from websockets.protocol import State

from jobfair.live import wire


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 200_000])
def test_an_encoded_frame_is_one_text_frame_a_client_reads(size: int) -> None:
    text = ("é" + "x" * size)[:size] if size else ""
    frames = parse(wire.encode_text(text) + wire.encode_text("next"))
    assert [(f.opcode, f.fin, f.data.decode()) for f in frames] == [
        (Opcode.TEXT, True, text),
        (Opcode.TEXT, True, "next"),
    ]


def test_the_cache_encodes_each_text_once() -> None:
    cache = wire.FrameCache()
    first = cache('{"channel":"fair:1"}')
    # An equal text built elsewhere (another key of the layer's frame cache) too.
    again = cache("".join(['{"channel":', '"fair:1"}']))
    other = cache('{"channel":"booth:2"}')
    assert first is again
    assert other != first
    assert cache.encodes == 2


def _protocol(**overrides: Any) -> SimpleNamespace:
    written: list[bytes] = []
    writable = asyncio.Event()
    writable.set()
    parts: dict[str, Any] = {
        "transport": SimpleNamespace(write=written.append, is_closing=lambda: False),
        "conn": SimpleNamespace(extensions=[], state=State.OPEN),
        "writable": writable,
        "close_sent": False,
        "disconnected": False,
        "written": written,
    }
    parts.update(overrides)
    return SimpleNamespace(**parts)


def test_a_plain_connection_gets_a_writer_that_writes_bytes_as_given() -> None:
    protocol = _protocol()
    writer = wire.transport_writer({wire.SCOPE_KEY: protocol})
    assert writer is not None and writer.ready()
    writer.write(b"\x81\x02hi")
    assert protocol.written == [b"\x81\x02hi"]


def test_no_writer_without_the_protocol_or_with_compression() -> None:
    assert wire.transport_writer({}) is None
    assert wire.transport_writer({wire.SCOPE_KEY: object()}) is None
    deflate = _protocol(conn=SimpleNamespace(extensions=["permessage-deflate"]))
    assert wire.transport_writer({wire.SCOPE_KEY: deflate}) is None


@pytest.mark.parametrize(
    "state",
    ["paused", "close_sent", "disconnected", "closing", "conn_closing"],
)
def test_a_paused_or_closing_connection_is_not_ready(state: str) -> None:
    protocol = _protocol()
    if state == "paused":
        protocol.writable.clear()
    elif state == "close_sent":
        protocol.close_sent = True
    elif state == "disconnected":
        protocol.disconnected = True
    elif state == "closing":
        protocol.transport.is_closing = lambda: True
    else:
        protocol.conn.state = State.CLOSING
    writer = wire.transport_writer({wire.SCOPE_KEY: protocol})
    assert writer is not None
    assert not writer.ready()


def test_the_handshake_is_let_go_once_answered() -> None:
    protocol = _protocol(request=object(), response=object(), handshake_complete=False)
    wire.release_handshake({wire.SCOPE_KEY: protocol})
    assert protocol.request is not None  # still answering it
    protocol.handshake_complete = True
    wire.release_handshake({wire.SCOPE_KEY: protocol})
    assert protocol.request is None and protocol.response is None
    wire.release_handshake({})  # another server: nothing to do
