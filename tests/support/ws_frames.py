"""Reading server websocket frames as a ``websockets`` client would (tests of the
live layer's broadcast path)."""

from __future__ import annotations

from websockets.client import ClientProtocol
from websockets.frames import Frame
from websockets.protocol import State
from websockets.uri import parse_uri


def parse(data: bytes) -> list[Frame]:
    """The frames a websockets client reads from ``data`` (server frames, unmasked)."""
    client = ClientProtocol(parse_uri("ws://example.test/"), state=State.OPEN)
    client.receive_data(data)
    frames = [event for event in client.events_received() if isinstance(event, Frame)]
    assert client.parser_exc is None
    return frames
