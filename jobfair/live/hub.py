"""The hub carries "fair N changed" notices between processes.

In memory for one process; Redis pub/sub for many. Notices are tiny (fair ids): every
process re-reads the counters from the store and renders frames for its own clients,
so the hub's traffic does not grow with the write rate or the number of clients.
A notice may also name fairs whose booth chat state changed (``"c"``: queues, open
chats), so every process re-reads that from the database instead of its cached copy.
Pub/sub is lossy by design — a process that (re)subscribes is told so and sends every
local client a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from jobfair.live.store import PREFIX

logger = logging.getLogger(__name__)

OnChanged = Callable[[list[int]], None]
OnResubscribed = Callable[[], None]
OnSignedOut = Callable[[list[int]], None]


def _ignore(_ids: list[int]) -> None:
    return None


class Hub(Protocol):
    async def start(
        self,
        on_changed: OnChanged,
        on_resubscribed: OnResubscribed,
        on_signed_out: OnSignedOut = _ignore,
        on_chat_changed: OnChanged = _ignore,
    ) -> None: ...

    async def publish(
        self,
        fair_ids: Iterable[int],
        user_ids: Iterable[int] = (),
        chat_fair_ids: Iterable[int] = (),
    ) -> None: ...

    async def close(self) -> None: ...


class MemoryHub:
    def __init__(self) -> None:
        self._on_changed: OnChanged | None = None
        self._on_signed_out: OnSignedOut = _ignore

    async def start(
        self,
        on_changed: OnChanged,
        on_resubscribed: OnResubscribed,
        on_signed_out: OnSignedOut = _ignore,
        on_chat_changed: OnChanged = _ignore,
    ) -> None:
        self._on_changed = on_changed
        self._on_signed_out = on_signed_out

    async def publish(
        self,
        fair_ids: Iterable[int],
        user_ids: Iterable[int] = (),
        chat_fair_ids: Iterable[int] = (),
    ) -> None:
        # One process: the layer already marked its own chat changes (nothing to pass).
        if self._on_changed is not None:
            self._on_changed(list(fair_ids))
            if users := list(user_ids):
                self._on_signed_out(users)

    async def close(self) -> None:
        self._on_changed = None


class RedisHub:
    """One pub/sub subscription per process; reconnects with backoff when Redis goes."""

    def __init__(self, redis: Any, *, prefix: str = PREFIX, max_backoff: float = 5.0) -> None:
        self._redis = redis
        self._channel = prefix + "notices"
        # Notices carry their sender: a process handles its own changes directly.
        self._origin = uuid.uuid4().hex[:12]
        self._max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def start(
        self,
        on_changed: OnChanged,
        on_resubscribed: OnResubscribed,
        on_signed_out: OnSignedOut = _ignore,
        on_chat_changed: OnChanged = _ignore,
    ) -> None:
        self._task = asyncio.create_task(
            self._listen(on_changed, on_resubscribed, on_signed_out, on_chat_changed)
        )

    async def publish(
        self,
        fair_ids: Iterable[int],
        user_ids: Iterable[int] = (),
        chat_fair_ids: Iterable[int] = (),
    ) -> None:
        ids = sorted(set(fair_ids))
        users = sorted(set(user_ids))
        chats = sorted(set(chat_fair_ids))
        if ids or users:
            notice: dict[str, object] = {"o": self._origin, "f": ids}
            if users:
                notice["u"] = users
            if chats:
                notice["c"] = chats
            await self._redis.publish(self._channel, json.dumps(notice))

    async def _listen(
        self,
        on_changed: OnChanged,
        on_resubscribed: OnResubscribed,
        on_signed_out: OnSignedOut,
        on_chat_changed: OnChanged = _ignore,
    ) -> None:
        backoff = 0.2
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self.connected.set()
                backoff = 0.2
                # Anything published while we were away is lost: refresh every client.
                on_resubscribed()
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None:
                        # No traffic: check the connection is still there.
                        await pubsub.ping()
                        continue
                    try:
                        notice = json.loads(message["data"])
                        if notice["o"] == self._origin:
                            continue
                        ids = [int(one) for one in notice["f"]]
                        users = [int(one) for one in notice.get("u", ())]
                        chats = [int(one) for one in notice.get("c", ())]
                    except (TypeError, ValueError, KeyError, AttributeError):
                        continue
                    # Before on_changed: the frames it leads to read the fresh chat state.
                    if chats:
                        on_chat_changed(chats)
                    if ids:
                        on_changed(ids)
                    if users:
                        on_signed_out(users)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.connected.is_set():
                    logger.warning("live hub lost Redis (%s); reconnecting", type(exc).__name__)
                self.connected.clear()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
