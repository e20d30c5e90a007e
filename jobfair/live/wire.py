"""The broadcast path under uvicorn: frames encoded once, written straight to transports.

A websocket frame from the server is never masked and, without per-message compression
(the Procfile runs uvicorn with ``--ws-per-message-deflate false``), its bytes are the
same for every connection. So a fan-out encodes each frame text once
(:class:`FrameCache`) and writes the bytes to every connection whose transport is not
paused (:class:`TransportWriter`), synchronously: no task, no ASGI send chain, no
framing per client. A client whose transport is paused (its buffer is above the high
water mark) is a slow client: the live layer hands it to a task that waits for it and
drops it after ``SEND_TIMEOUT``.

The writer needs the server's protocol object of the connection: uvicorn's sans-I/O
websockets protocol (``--ws auto`` with ``websockets`` installed) passes its bound
``send`` method as the ASGI ``send``; an outermost middleware keeps it in the scope
under :data:`SCOPE_KEY` (``jobfair.web.middleware.WebSocketTransportMiddleware``).
Any other server, or a connection with extensions negotiated, gets no writer and uses
the ASGI path as before.
"""

from __future__ import annotations

import struct
from typing import Any

from websockets.protocol import State

SCOPE_KEY = "jobfair.ws_protocol"
# What the writer reads of uvicorn's protocol (uvicorn.protocols.websockets.
# websockets_sansio_impl.WebSocketsSansIOProtocol).
_PROTOCOL_PARTS = ("transport", "conn", "writable", "close_sent", "disconnected")


def encode_text(text: str) -> bytes:
    """One unmasked, final text frame carrying ``text`` (RFC 6455 §5.2)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


class FrameCache:
    """The encoded bytes of each frame text of one fan-out: each text is encoded once,
    however many clients (and keys of the layer's frame cache) share it."""

    __slots__ = ("_encoded", "encodes")

    def __init__(self) -> None:
        self._encoded: dict[str, bytes] = {}
        self.encodes = 0

    def __call__(self, text: str) -> bytes:
        encoded = self._encoded.get(text)
        if encoded is None:
            encoded = self._encoded[text] = encode_text(text)
            self.encodes += 1
        return encoded


class TransportWriter:
    """Writes pre-encoded frames to one connection of uvicorn's sans-I/O protocol."""

    __slots__ = ("_protocol",)

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol

    def ready(self) -> bool:
        """Open and not paused: a write now neither blocks nor grows a backlog."""
        protocol = self._protocol
        return (
            protocol.writable.is_set()
            and not protocol.close_sent
            and not protocol.disconnected
            and protocol.conn.state is State.OPEN
            and not protocol.transport.is_closing()
        )

    def write(self, frame: bytes) -> None:
        self._protocol.transport.write(frame)


def transport_writer(scope: Any) -> TransportWriter | None:
    """A writer for the websocket of ``scope``, or None when the fast path cannot be
    used (another server or protocol, or an extension such as compression)."""
    protocol = scope.get(SCOPE_KEY)
    if protocol is None or not all(hasattr(protocol, part) for part in _PROTOCOL_PARTS):
        return None
    # Compression makes each connection's bytes its own: the ASGI path frames those.
    if getattr(protocol.conn, "extensions", True):
        return None
    return TransportWriter(protocol)


def release_handshake(scope: Any) -> None:
    """Let go of the opening handshake's request and response, which uvicorn's protocol
    keeps for the connection's life though it only reads them while answering the
    handshake: ~3 KiB of headers a connection, for thousands of idle visitors."""
    protocol = scope.get(SCOPE_KEY)
    if protocol is None or not getattr(protocol, "handshake_complete", False):
        return
    for part in ("request", "response"):
        if hasattr(protocol, part):
            setattr(protocol, part, None)
