"""The chat relay: booth conversations over the fair's websocket.

The database is the truth. A message is stored before it is acknowledged; after the
commit the service's :class:`~jobfair.live.signals.ConversationChanged` signal makes
every process with a socket of either party read what is new from the database and
send it. Between processes only a small notice travels, on a Redis pub/sub channel of
its own (``{namespace}:chat:notices``): ``{"o": sender, "u": [user ids]}``. Without Redis
everything is in one process. Queues and presence (the recruiters' waiting lists, the
applicants' places) are not here: they are the live layer's booth frames
(:mod:`jobfair.live.layer`), pushed through its coalesced fan-out.

Pub/sub is lossy: a process that (re)subscribes re-reads for all its clients, and a
client that reconnects says the last message id it saw (``?after=``) and gets all after
it, so a Redis outage or a process kill loses nothing that was acknowledged.

Frames (documented in the README):

* JSON (``?format=json``): ``{"channel": "chat:{conversation}", "message": {"id",
  "conversation", "sender", "body", "at", "video_url"?}}`` per message, in id order.
* HTML: the conversation's whole log as an out-of-band fragment (idempotent, so a
  reconnect never shows a line twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobfair.db.uow import UnitOfWork
from jobfair.live.layer import Renderer, Subscriber
from jobfair.live.signals import ConversationChanged
from jobfair.services import conversations as chat_service

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class ChatClient:
    subscriber: Subscriber
    user_id: int
    cursor: int = 0
    # The socket's session CSRF token: the chat's forms in an HTML frame carry it.
    csrf_token: str = ""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    again: bool = False


class ChatRelay:
    def __init__(
        self,
        *,
        read: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        limits: chat_service.ChatLimits,
        render: Renderer | None = None,
        redis: Any = None,
        namespace: str = "jobfair",
    ) -> None:
        self._read = read
        self._clock = clock
        self._limits = limits
        self.render = render
        self._redis = redis
        self._channel = f"{namespace}:chat:notices"
        self._origin = uuid.uuid4().hex[:12]
        self._by_user: dict[int, set[ChatClient]] = {}
        self._by_subscriber: dict[int, ChatClient] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    @classmethod
    def create(cls, *, redis_url: str | None, namespace: str, **options: Any) -> ChatRelay:
        redis = None
        if redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(redis_url, socket_connect_timeout=0.5)
        return cls(redis=redis, namespace=namespace, **options)

    async def start(self) -> None:
        if self._redis is not None:
            self._listener = asyncio.create_task(self._listen())

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        for task in list(self._tasks):
            task.cancel()
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()

    # ------------------------------------------------------------------ clients

    def attach(self, subscriber: Subscriber, after: int, csrf_token: str = "") -> None:
        """Register a signed-in socket; it is sent everything after message ``after``."""
        if subscriber.user_id is None:
            return
        client = ChatClient(
            subscriber, subscriber.user_id, cursor=max(0, after), csrf_token=csrf_token
        )
        self._by_user.setdefault(client.user_id, set()).add(client)
        self._by_subscriber[id(subscriber)] = client
        self._schedule(client)

    def detach(self, subscriber: Subscriber) -> None:
        client = self._by_subscriber.pop(id(subscriber), None)
        if client is None:
            return
        clients = self._by_user.get(client.user_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._by_user[client.user_id]

    def client_count(self) -> int:
        return len(self._by_subscriber)

    # ------------------------------------------------------------------ signals in

    def listen(self, signals: list[Any]) -> None:
        """A unit of work's committed signals (an AppContext listener): returns at once."""
        users: set[int] = set()
        for signal in signals:
            if isinstance(signal, ConversationChanged):
                users.update(signal.user_ids)
        if not users:
            return
        self._notify_users(users)
        if self._redis is not None:
            self._spawn(self._publish([{"o": self._origin, "u": sorted(users)}]))

    async def _publish(self, notices: list[dict[str, Any]]) -> None:
        try:
            for notice in notices:
                await self._redis.publish(self._channel, json.dumps(notice))
        except Exception as exc:
            # The messages are stored: the other process's clients get them on their
            # next change or reconnect.
            logger.warning("chat notice not published: %s", type(exc).__name__)

    async def _listen(self) -> None:
        backoff = 0.2
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self.connected.set()
                backoff = 0.2
                # Notices published while away are lost: every local client re-reads.
                for client in list(self._by_subscriber.values()):
                    self._schedule(client)
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None:
                        await pubsub.ping()
                        continue
                    try:
                        notice = json.loads(message["data"])
                        if notice["o"] == self._origin:
                            continue
                        if "u" in notice:
                            self._notify_users({int(one) for one in notice["u"]})
                    except (TypeError, ValueError, KeyError, AttributeError):
                        continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.connected.is_set():
                    logger.warning("chat relay lost Redis (%s); reconnecting", type(exc).__name__)
                self.connected.clear()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    # ------------------------------------------------------------------ frames out

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _notify_users(self, user_ids: set[int]) -> None:
        for user_id in user_ids:
            for client in list(self._by_user.get(user_id, ())):
                self._schedule(client)

    def _schedule(self, client: ChatClient) -> None:
        # One delivery at a time per client; a change during one makes it read again.
        if client.lock.locked():
            client.again = True
            return
        self._spawn(self._deliver(client))

    async def _deliver(self, client: ChatClient) -> None:
        async with client.lock:
            while True:
                client.again = False
                try:
                    await self._deliver_once(client)
                except Exception as exc:
                    logger.warning("chat delivery failed: %s", type(exc).__name__)
                    return
                if not client.again:
                    return

    async def _deliver_once(self, client: ChatClient) -> None:
        sub = client.subscriber
        async with self._read() as session:
            messages = await chat_service.user_messages_after(
                session, client.user_id, sub.fair_id, client.cursor
            )
            if not messages:
                return
            if sub.fmt == "json":
                # Only a video line needs its conversation (for the link): a plain
                # message is framed from its own row.
                chats = {
                    cid: await session.get(chat_service.Conversation, cid)
                    for cid in {m.conversation_id for m in messages if _is_video(m)}
                }
                frames = [_message_frame(m, chats.get(m.conversation_id)) for m in messages]
            else:
                frames = []
                for cid in sorted({m.conversation_id for m in messages}):
                    chat = await session.get(chat_service.Conversation, cid)
                    assert chat is not None
                    party = await chat_service.party_of_user_id(session, client.user_id, chat)
                    log = await chat_service.transcript(session, cid)
                    # Just taken: the applicant's waiting box becomes the chat.
                    fresh = any(
                        m.conversation_id == cid and m.sender == "system" and m.body == "started"
                        for m in messages
                    )
                    names = await chat_service.party_names(session, chat)
                    zone = await chat_service.chat_timezone(session, chat)
                    frames.append(self._html(client, chat, log, party, fresh, names, zone))
        for frame in frames:
            await sub.send(frame)
        client.cursor = messages[-1].id

    def _html(
        self,
        client: ChatClient,
        chat: Any,
        log: list[Any],
        party: str | None,
        fresh: bool,
        names: tuple[str, str],
        timezone: str,
    ) -> str:
        assert self.render is not None
        context = {
            "chat": chat,
            "messages": log,
            "party": party,
            "fresh": fresh,
            "applicant_name": names[0],
            "recruiter_name": names[1],
            "csrf_token": client.csrf_token,
            "timezone": timezone,
        }
        return self.render("chat", context, client.subscriber.locale)


def _message_frame(message: Any, chat: Any) -> str:
    body: dict[str, Any] = {
        "id": message.id,
        "conversation": message.conversation_id,
        "sender": message.sender,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }
    if _is_video(message) and chat is not None:
        body["video_url"] = chat.video_url
    return json.dumps(
        {"channel": f"chat:{message.conversation_id}", "message": body}, separators=(",", ":")
    )


def _is_video(message: Any) -> bool:
    return bool(message.body == "video" and message.sender == "system")
