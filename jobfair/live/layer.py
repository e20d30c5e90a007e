"""The live layer: signals in, coalesced frames out.

* Services signal after commit (:mod:`jobfair.live.signals`); :meth:`LiveLayer.submit`
  only queues them, so a request never waits on Redis. A flusher turns them into counter
  increments (or a reconciliation with the database) and a hub notice "fair N changed".
* Every process hears the notices and, at most every ``tick`` seconds per fair, reads the
  counters once, renders one frame per (format, locale) and hands it to each of its
  clients. The organiser's table is a database query, so it refreshes at most every
  ``organiser_tick`` seconds.
* Each frame text is encoded once per fan-out and written straight to every client
  whose transport is not paused (:mod:`jobfair.live.wire`), with no task per client;
  only a slow client (paused, or still taking an earlier frame) gets a delivery task.
* A client that cannot take a frame within ``SEND_TIMEOUT`` is dropped, never waited for.
* Booth chats ride on the same fan-out: a :class:`~jobfair.live.signals.QueueChanged`
  (a queue join or leave, a chat taken, ended or passed on) marks the fair's booth chat
  state stale here and, over the hub, in every process; a booth's clients then get its
  recruiters' presence, a waiting applicant their place and estimated wait, and the
  booth's recruiters the waiting list, with the counters' frames. The chat state is one
  grouped read for all the fair's watched booths (``booth_chat_states``), kept for at
  most ``CHAT_STATE_SECONDS`` unless a change makes it stale sooner.
* The database is the truth: counters are reconciled on start, periodically, whenever a
  fair's hash is missing or was written without a reconciliation (a Redis restart), and
  after Redis comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from jobfair.db.uow import UnitOfWork
from jobfair.live.hub import Hub, MemoryHub, RedisHub
from jobfair.live.presence import MemoryPresence, RedisPresence
from jobfair.live.signals import Applied, FairChanged, QueueChanged, SignedOut
from jobfair.live.store import CounterStore, Increment, MemoryCounterStore, RedisCounterStore
from jobfair.live.wire import FrameCache
from jobfair.services import conversations as chat_service
from jobfair.services import live as live_service

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 5.0  # seconds a client may take to accept a frame before it is dropped
# Clients written to between two turns of the loop in a fan-out (~1.5 ms at ~15 µs a
# client). Each await of a request during a fan-out waits about one slice, and an
# application awaits each of its statements with SQLite's write lock held, so slices
# are short; the GIL's switch interval (app.tune_interpreter_for_serving) is the other
# half of that wait. Measurements: bench/README.md, "Issue 14, 2026-12-07 afternoon".
FANOUT_SLICE = 100
# The most of the process's time fan-outs may take: the next one waits until the last
# one's duration is at most this share of the time since it began. At 10,000 sockets
# (~0.12 s a fan-out) a frame goes out about every 0.5 s; below ~2,000 sockets the tick
# decides.
FANOUT_SHARE = 0.25
RECONCILED = "_reconciled"  # marker field: the hash was written by a reconciliation
SPARKLINE_MINUTES = 30
SNAPSHOT_HASHES = ("fair", "minutes", "booth_applications", "booth_unreviewed")
# How long a fair's booth chat state read is used without a change making it stale:
# waiting places also end by time (the grace period), which no signal announces.
CHAT_STATE_SECONDS = 5.0
# A recruiter's frame lists the first waiting places only (the count is all of them): a
# long queue must not make every frame to the booth's recruiters grow with it.
WAITING_LISTED = 50

Renderer = Callable[[str, dict[str, Any], str], str]  # (kind, context, locale) -> HTML


class FrameWriter(Protocol):
    """A client's socket taking encoded frames without waiting (jobfair.live.wire)."""

    def ready(self) -> bool: ...

    def write(self, frame: bytes) -> None: ...


@dataclass(eq=False, slots=True)
class Subscriber:
    """One websocket client of one fair.

    ``send`` writes one text frame (awaiting a slow client) and ``close`` closes the
    socket; both are always there, for the first snapshot, slow clients and frames
    meant for this one client. ``writer``, when the server allows it, takes the
    encoded frames of a fan-out without a task."""

    send: Callable[[str], Awaitable[None]]
    close: Callable[[], Awaitable[None]]
    fair_id: int
    fair_slug: str
    fmt: str = "html"  # "html" | "json"
    locale: str = "id"
    booth_id: int | None = None
    organiser: bool = False
    # A recruiter of this booth: counted as "recruiter online", not as a visitor.
    recruiter: bool = False
    # The signed-in user whose session opened the socket (None: anonymous); their
    # sockets close when their sessions end.
    user_id: int | None = None
    # The order of the organiser's company table (the page's ``?sort=``).
    sort: live_service.CompanySort = field(default_factory=live_service.CompanySort)
    pending: dict[str, str] = field(default_factory=dict)
    busy: bool = False
    # When the frame being sent was handed over (0: none); the sweeper drops the client
    # once it is older than SEND_TIMEOUT.
    sending_since: float = 0.0
    timed_out: bool = False
    writer: FrameWriter | None = None
    # A recruiter's waiting places last sent (entry ids): a new one pings.
    queue_seen: frozenset[int] = frozenset()

    def presence_keys(self) -> list[str]:
        if self.organiser:
            return []
        if self.recruiter and self.booth_id is not None:
            # The second key says who (the booth's chat presence, jobfair.live.chat).
            return [f"recruiters:{self.booth_id}", f"recruiter:{self.booth_id}:{self.user_id}"]
        keys = [f"fair:{self.fair_id}"]
        if self.booth_id is not None:
            keys.append(f"booth:{self.booth_id}")
        return keys


@dataclass
class Snapshot:
    fair: dict[str, int]
    booths: dict[int, dict[str, int]]
    per_minute: list[int]


@dataclass
class BoothChats:
    """Booths' chat state (jobfair.services.conversations) and, per booth, the user ids
    of its recruiters online now."""

    states: dict[int, chat_service.BoothChatState]
    online: dict[int, set[int]]


class LiveLayer:
    def __init__(
        self,
        *,
        store: CounterStore,
        hub: Hub,
        presence: MemoryPresence,
        read: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        render: Renderer | None = None,
        tick: float = 0.25,
        organiser_tick: float = 0.5,
        reconcile_every: float = 30.0,
        redis: Any = None,
        pubsub_redis: Any = None,
        chat_limits: chat_service.ChatLimits | None = None,
    ) -> None:
        self.store = store
        self.hub = hub
        self.presence = presence
        self._read = read
        self._clock = clock
        self.render = render
        self.tick = tick
        self.organiser_tick = organiser_tick
        self.reconcile_every = reconcile_every
        self._redis = redis
        self._pubsub_redis = pubsub_redis
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._dirty: set[int] = set()
        self._dirty_organiser: set[int] = set()
        # Queued signals with when they were submitted (time.monotonic(), right after
        # their commit): a reconciliation drops the increments its read already counted.
        self._signals: list[tuple[float, Any]] = []
        # Held while increments are taken from the queue and added, and during a
        # reconciliation's swap: this process's increments never land after a swap
        # whose database read already counted them.
        self._counting = asyncio.Lock()
        self._presence_fairs: set[int] = set()
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()  # something became dirty: wakes the tick loop
        self._reconcile_now = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._deliveries: dict[asyncio.Task[None], Subscriber] = {}
        self._closing: set[asyncio.Task[None]] = set()
        # The cost of the last public fan-out: deliveries started, finished, and when
        # all but the slowest 1 % were done (None while they are still going).
        self._round_started = 0.0
        self._round_size = 0
        self._round_done = 0
        self._round_cost: float | None = 0.0
        self._warned_at: dict[str, float] = {}
        self.chat_limits = chat_limits or chat_service.ChatLimits()
        # Per fair: when read, and the chat state of the booths read.
        self._chat_states: dict[int, tuple[float, dict[int, chat_service.BoothChatState]]] = {}
        # Bumped by every change notice: a read that began before one is not kept, or a
        # slow read could put the state from before the change back into the cache.
        self._chat_generation = 0

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def create(
        cls,
        *,
        redis_url: str | None,
        namespace: str = "jobfair",
        read: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        render: Renderer | None = None,
        **options: Any,
    ) -> LiveLayer:
        if not redis_url:
            return cls(
                store=MemoryCounterStore(),
                hub=MemoryHub(),
                presence=MemoryPresence(),
                read=read,
                clock=clock,
                render=render,
                **options,
            )
        from redis.asyncio import Redis

        # Short timeouts: with Redis away, live updates pause; nothing else may wait.
        redis = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=1.0)
        pubsub_redis = Redis.from_url(redis_url, socket_connect_timeout=0.5)
        prefix = f"{namespace}:live:"
        return cls(
            store=RedisCounterStore(redis, prefix),
            hub=RedisHub(pubsub_redis, prefix=prefix),
            presence=RedisPresence(redis, prefix=prefix),
            read=read,
            clock=clock,
            render=render,
            redis=redis,
            pubsub_redis=pubsub_redis,
            **options,
        )

    async def start(self, *, background: bool = True) -> None:
        """Start listening; ``background=False`` (the arq worker) only publishes."""
        self._tasks.append(asyncio.create_task(self._flush_forever()))
        if background:
            await self.hub.start(
                self._on_changed,
                self._on_resubscribed,
                self._on_signed_out,
                self._on_chat_changed,
            )
            self._tasks.append(asyncio.create_task(self._tick_forever()))
            self._tasks.append(asyncio.create_task(self._sweep_forever()))
            self._tasks.append(asyncio.create_task(self._reconcile_forever()))

    async def close(self) -> None:
        # Send what is queued before going (a task's last signals, say).
        with contextlib.suppress(Exception):
            await self._flush_once()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.hub.close()
        if isinstance(self.presence, RedisPresence):
            with contextlib.suppress(Exception):
                await self.presence.remove()
        for client in (self._redis, self._pubsub_redis):
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.aclose()

    def _warn(self, what: str, exc: BaseException) -> None:
        # Once every 30 s per kind: an outage must not flood the log.
        now = time.monotonic()
        if now - self._warned_at.get(what, 0.0) > 30:
            self._warned_at[what] = now
            logger.warning("live %s failed: %s", what, type(exc).__name__)

    # ------------------------------------------------------------------ signals in

    def submit(self, signals: list[Any]) -> None:
        """Queue one transaction's signals; returns at once (called after commit)."""
        at = time.monotonic()
        self._signals.extend((at, signal) for signal in signals)
        self._wake.set()

    async def _flush_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._flush_once()
            except Exception as exc:
                self._warn("flush", exc)

    async def _flush_once(self) -> None:
        increments: list[Increment] = []
        touched: set[int] = set()
        changed: set[int] = set()
        signed_out: set[int] = set()
        chats: set[int] = set()
        async with self._counting:
            stamped, self._signals = self._signals, []
            for _at, signal in stamped:
                if isinstance(signal, Applied):
                    increments.extend(_increments(signal))
                    touched.add(signal.fair_id)
                elif isinstance(signal, FairChanged):
                    changed.add(signal.fair_id)
                elif isinstance(signal, SignedOut):
                    signed_out.add(signal.user_id)
                elif isinstance(signal, QueueChanged):
                    chats.add(signal.fair_id)
            if increments:
                try:
                    await self.store.add(increments)
                except Exception as exc:
                    self._warn("counter store", exc)
                    # Lost increments: the database still has them; re-read it when back.
                    self._reconcile_now.set()
        if signed_out:
            self._on_signed_out(list(signed_out))
        for fair_id in changed:
            try:
                await self.reconcile(fair_id)
            except Exception as exc:
                self._warn("reconcile", exc)
        presence_fairs, self._presence_fairs = self._presence_fairs, set()
        if presence_fairs:
            try:
                await self.presence.flush()
            except Exception as exc:
                self._warn("presence", exc)
        if chats:
            self._on_chat_changed(list(chats))
        notices = touched | changed | presence_fairs | chats
        if notices or signed_out:
            # This process's clients never depend on the hub: its own notices do not
            # come back to it (a resubscribing hub would lose them).
            if notices:
                self._on_changed(list(notices))
            try:
                await self.hub.publish(notices, signed_out, chats)
            except Exception as exc:
                self._warn("hub", exc)

    def _on_changed(self, fair_ids: list[int]) -> None:
        for fair_id in fair_ids:
            if fair_id in self._subscribers:
                self._dirty.add(fair_id)
                self._dirty_organiser.add(fair_id)
                self._changed.set()

    def _on_chat_changed(self, fair_ids: list[int]) -> None:
        """The fairs' booth chat state changed: the next frames read it afresh."""
        self._chat_generation += 1
        for fair_id in fair_ids:
            self._chat_states.pop(fair_id, None)

    def _on_signed_out(self, user_ids: list[int]) -> None:
        """Close the sockets of users whose sessions ended (this process's clients)."""
        users = set(user_ids)
        for subscribers in list(self._subscribers.values()):
            for subscriber in list(subscribers):
                if subscriber.user_id is not None and subscriber.user_id in users:
                    self.disconnect(subscriber)
                    self._close_later(subscriber)

    def _close_later(self, subscriber: Subscriber) -> None:
        task = asyncio.create_task(_close_quietly(subscriber))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _on_resubscribed(self) -> None:
        self._chat_generation += 1
        self._chat_states.clear()
        self._on_changed(list(self._subscribers))
        self._presence_fairs.update(self._subscribers)
        self._reconcile_now.set()
        self._wake.set()

    # ------------------------------------------------------------------ counters

    async def reconcile(self, fair_id: int) -> bool:
        """Replace the fair's counters with what the database says, by a guarded swap:
        an increment landing between the database read and the write makes the store
        read the database again instead of erasing it (jobfair.live.store). False when
        increments kept coming for every try: they kept the counters current, and the
        next reconciliation tries again."""
        keys = live_service.counter_keys(fair_id)
        read_started = 0.0

        async def from_db() -> dict[str, dict[str, int]]:
            nonlocal read_started
            read_started = time.monotonic()
            async with self._read() as session:
                hashes = await live_service.counters_from_db(session, fair_id, self._clock())
            hashes[keys["fair"]] = {**hashes[keys["fair"]], RECONCILED: int(time.time())}
            return hashes

        async with self._counting:
            swapped = await self.store.swap(list(keys.values()), from_db)
            if swapped:
                # Submitted before the read began, so committed before it: the read
                # counted them, and adding them now would count them twice.
                self._signals = [
                    (at, signal)
                    for at, signal in self._signals
                    if not (
                        isinstance(signal, Applied)
                        and signal.fair_id == fair_id
                        and at < read_started
                    )
                ]
        if not swapped:
            logger.info("live counters of fair %s busy; reconciled next time", fair_id)
        return swapped

    async def _counter_hashes(self, fair_id: int) -> list[dict[str, int]]:
        keys = live_service.counter_keys(fair_id)
        names = [keys[name] for name in SNAPSHOT_HASHES]
        try:
            hashes = await self.store.read(names)
            if RECONCILED not in hashes[0]:
                # Never reconciled here, or Redis lost it (a restart): ask the database.
                await self.reconcile(fair_id)
                hashes = await self.store.read(names)
            return hashes
        except Exception as exc:
            # The store is away: the database answers (slower, but pages keep working).
            self._warn("counter store", exc)
            async with self._read() as session:
                fresh = await live_service.counters_from_db(session, fair_id, self._clock())
            return [fresh[name] for name in names]

    async def snapshot(self, fair_id: int, booth_ids: Iterable[int] = ()) -> Snapshot:
        booth_ids = sorted(set(booth_ids))
        hashes = await self._counter_hashes(fair_id)
        totals, minutes, booth_apps, booth_unreviewed = hashes
        presence_keys = [f"fair:{fair_id}"] + [f"booth:{booth}" for booth in booth_ids]
        online = await self.presence.counts(presence_keys)
        now_minute = live_service.minute_of(self._clock())
        per_minute = [
            minutes.get(str(minute), 0)
            for minute in range(now_minute - live_service.MINUTES_KEPT + 1, now_minute + 1)
        ]
        fair = {key: value for key, value in totals.items() if not key.startswith("_")}
        fair["applications_last_hour"] = sum(per_minute)
        fair["online"] = online[f"fair:{fair_id}"]
        booths = {
            booth: {
                "applications": booth_apps.get(str(booth), 0),
                "unreviewed": booth_unreviewed.get(str(booth), 0),
                "online": online[f"booth:{booth}"],
            }
            for booth in booth_ids
        }
        return Snapshot(fair=fair, booths=booths, per_minute=per_minute)

    async def _reconcile_forever(self) -> None:
        while True:
            try:
                await self._reconcile_live_fairs()
            except Exception as exc:
                self._warn("periodic reconcile", exc)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.reconcile_every):
                    await self._reconcile_now.wait()
            self._reconcile_now.clear()

    async def _reconcile_live_fairs(self) -> None:
        forced = self._reconcile_now.is_set()
        # One process reconciles for all of them (the lock), unless Redis just came back.
        if not forced and not await self.store.try_lock("reconcile", self.reconcile_every * 0.8):
            return
        async with self._read() as session:
            fair_ids = set(await live_service.live_fair_ids(session, self._clock()))
        fair_ids |= set(self._subscribers)
        for fair_id in sorted(fair_ids):
            await self.reconcile(fair_id)
        if fair_ids:
            self._on_changed(list(fair_ids))
            await self.hub.publish(fair_ids)

    # ------------------------------------------------------------------ frames out

    def _next_public(self, now: float) -> float:
        # At most once per tick, and never so soon that fan-outs take more than
        # FANOUT_SHARE of the loop: with more clients than the process can send to in a
        # tick, frames come less often instead of starving requests and handshakes. A
        # fan-out not yet 99 % delivered counts as lasting till now.
        cost = self._round_cost if self._round_cost is not None else now - self._round_started
        return self._round_started + max(self.tick, cost / FANOUT_SHARE)

    async def _tick_forever(self) -> None:
        # A throttle, not a clock: a change after a quiet spell goes out at once, and
        # while changes keep coming, frames go out at most once per tick (per kind).
        next_organiser = 0.0
        next_heartbeat = 0.0
        while True:
            now = time.monotonic()
            next_public = self._next_public(now)
            due = next_heartbeat
            if self._dirty:
                due = min(due, next_public)
            if self._dirty_organiser:
                due = min(due, next_organiser)
            if self._dirty or self._dirty_organiser:
                await asyncio.sleep(max(0.0, due - now))
            else:
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max(0.0, due - now)):
                        await self._changed.wait()
            now = time.monotonic()
            if now >= self._next_public(now) and self._dirty:
                self._round_started, self._round_size, self._round_done = now, 0, 0
                self._round_cost = None
                dirty, self._dirty = self._dirty, set()
                for fair_id in dirty:
                    try:
                        await self._send_public(fair_id)
                    except Exception as exc:
                        self._warn("public frame", exc)
                if self._round_done >= int(self._round_size * 0.99):
                    self._round_cost = time.monotonic() - self._round_started
            if now >= next_organiser and self._dirty_organiser:
                next_organiser = now + self.organiser_tick
                dirty, self._dirty_organiser = self._dirty_organiser, set()
                for fair_id in dirty:
                    try:
                        await self._send_organiser(fair_id)
                    except Exception as exc:
                        self._warn("organiser frame", exc)
            if now >= next_heartbeat:
                # Keeps this process's presence from expiring while it has clients.
                next_heartbeat = now + 5.0
                try:
                    await self.presence.flush()
                except Exception as exc:
                    self._warn("presence", exc)

    async def _send_public(self, fair_id: int) -> None:
        subscribers = [s for s in self._subscribers.get(fair_id, ()) if not s.organiser]
        if not subscribers:
            return
        booth_ids = {s.booth_id for s in subscribers if s.booth_id}
        snapshot = await self.snapshot(fair_id, booth_ids)
        chat = await self.booth_chats(fair_id, booth_ids)
        cache: dict[tuple[str, str, int | None], dict[str, str]] = {}
        chat_cache: dict[tuple[Any, ...], dict[str, str]] = {}
        encoded = FrameCache()
        for count, subscriber in enumerate(subscribers, start=1):
            if count % FANOUT_SLICE == 0:
                await asyncio.sleep(0)  # let requests in between slices
            key = (subscriber.fmt, subscriber.locale, subscriber.booth_id)
            if key not in cache:
                cache[key] = self.public_frames(subscriber, snapshot)
            frames = cache[key]
            if subscriber.booth_id in chat.states:
                frames = {**frames, **self.chat_frames(subscriber, chat, chat_cache)}
            if self._push(subscriber, frames, encoded):
                self._round_size += 1

    # ------------------------------------------------------------------ booth chats

    async def online_recruiter_ids(
        self, recruiters: dict[int, Iterable[int]]
    ) -> dict[int, set[int]]:
        """Of each booth's recruiters (user ids), those with the booth open now: one
        presence read for all the booths."""
        keys = {
            booth_id: {user_id: f"recruiter:{booth_id}:{user_id}" for user_id in user_ids}
            for booth_id, user_ids in recruiters.items()
        }
        counts = await self.presence.counts([k for one in keys.values() for k in one.values()])
        return {
            booth_id: {user_id for user_id, key in one.items() if counts.get(key, 0) > 0}
            for booth_id, one in keys.items()
        }

    async def booth_chats(self, fair_id: int, booth_ids: Iterable[int]) -> BoothChats:
        """The watched booths' chat state (read again when stale) and who is online."""
        wanted = set(booth_ids)
        if not wanted:
            return BoothChats({}, {})
        now = time.monotonic()
        cached = self._chat_states.get(fair_id)
        fresh = cached is not None and now - cached[0] <= CHAT_STATE_SECONDS
        if not fresh or cached is None or not wanted <= set(cached[1]):
            generation = self._chat_generation
            try:
                async with self._read() as session:
                    read = await chat_service.booth_chat_states(
                        session, sorted(wanted), self._clock(), self.chat_limits
                    )
            except Exception as exc:
                # The counters' frames and the handshake never fail on the chat part:
                # without a read, the last state known (or none) goes out.
                self._warn("booth chats", exc)
                read = {}
                if cached is not None:
                    read = {b: state for b, state in cached[1].items() if b in wanted}
            else:
                if generation == self._chat_generation:
                    # Merged into a fresh entry, which keeps its (older) time: callers
                    # wanting one booth, the watched ones or all do not evict each other.
                    if fresh and cached is not None:
                        self._chat_states[fair_id] = (cached[0], {**cached[1], **read})
                    else:
                        self._chat_states[fair_id] = (now, read)
            cached = (now, read)
        states = {b: cached[1][b] for b in wanted if b in cached[1]}
        try:
            online = await self.online_recruiter_ids(
                {b: [r.user_id for r in state.recruiters] for b, state in states.items()}
            )
        except Exception as exc:
            self._warn("recruiter presence", exc)
            online = {b: set() for b in states}
        return BoothChats(states, online)

    def chat_frames(
        self,
        subscriber: Subscriber,
        chat: BoothChats,
        cache: dict[tuple[Any, ...], dict[str, str]] | None = None,
        *,
        first: bool = False,
    ) -> dict[str, str]:
        """The booth chat frames of a booth's client: the recruiters' presence for all,
        the place and wait for a waiting applicant, the waiting list for a recruiter
        (``joined`` when a place is new since the client's last frame)."""
        booth_id = subscriber.booth_id
        assert booth_id is not None
        state = chat.states[booth_id]
        online = state.online(chat.online.get(booth_id, set()))
        role: tuple[Any, ...] = ()
        if subscriber.recruiter:
            ids = frozenset(entry.entry_id for entry in state.waiting)
            joined = not first and bool(ids - subscriber.queue_seen)
            subscriber.queue_seen = ids
            role = ("recruiter", joined)
        elif subscriber.user_id is not None:
            position = state.position_of(subscriber.user_id)
            if position is not None:
                role = ("place", position)
        key = (subscriber.fmt, subscriber.locale, booth_id, *role)
        if cache is not None and key in cache:
            return cache[key]
        frames = self._chat_frames(subscriber, state, online, role)
        if cache is not None:
            cache[key] = frames
        return frames

    def _chat_frames(
        self,
        subscriber: Subscriber,
        state: chat_service.BoothChatState,
        online: list[chat_service.BoothRecruiter],
        role: tuple[Any, ...],
    ) -> dict[str, str]:
        booth_id = state.booth_id
        limits = self.chat_limits
        place = None
        if role and role[0] == "place":
            position = role[1]
            place = {
                "position": position,
                "wait_seconds": state.wait_at(
                    position, recruiters_online=len(online), limits=limits
                ),
            }
        entries = [
            {
                "position": n,
                "name": entry.name,
                "vacancy": entry.vacancy_title,
                "priority": entry.priority,
                "joined_at": entry.joined_at.isoformat(),
            }
            for n, entry in enumerate(state.waiting[:WAITING_LISTED], start=1)
        ]
        joined = bool(role and role[0] == "recruiter" and role[1])
        if subscriber.fmt == "json":
            channel = f"presence:{booth_id}"
            frames = {
                channel: _json_frame(
                    channel,
                    {
                        "presence": {
                            "recruiters_online": len(online),
                            "recruiters": [
                                {"name": one.name, "open_chats": one.open_chats} for one in online
                            ],
                        }
                    },
                )
            }
            if place is not None:
                channel = f"place:{booth_id}"
                frames[channel] = _json_frame(channel, {"place": place})
            if role and role[0] == "recruiter":
                channel = f"queue:{booth_id}"
                frames[channel] = _json_frame(
                    channel,
                    {
                        "queue": {
                            "waiting": len(state.waiting),
                            "joined": joined,
                            "entries": entries,
                        }
                    },
                )
            return frames
        assert self.render is not None
        locale = subscriber.locale
        html = self.render("chat_presence", {"booth_id": booth_id, "online": online}, locale)
        if place is not None:
            html += self.render("chat_place", {"booth_id": booth_id, "status": place}, locale)
        if role and role[0] == "recruiter":
            html += self.render(
                "chat_queue",
                {
                    "booth_id": booth_id,
                    "waiting": len(state.waiting),
                    "entries": state.waiting[:WAITING_LISTED],
                    "ping": joined,
                },
                locale,
            )
        return {"chat": html}

    async def _send_organiser(self, fair_id: int) -> None:
        subscribers = [s for s in self._subscribers.get(fair_id, ()) if s.organiser]
        if not subscribers:
            return
        data = await self.organiser_data(fair_id)
        cache: dict[tuple[str, str, live_service.CompanySort], dict[str, str]] = {}
        encoded = FrameCache()
        for subscriber in subscribers:
            key = (subscriber.fmt, subscriber.locale, subscriber.sort)
            if key not in cache:
                cache[key] = self.organiser_frames(subscriber, data)
            self._push(subscriber, cache[key], encoded)

    def public_frames(self, subscriber: Subscriber, snapshot: Snapshot) -> dict[str, str]:
        fair_channel = f"fair:{subscriber.fair_id}"
        booth = snapshot.booths.get(subscriber.booth_id) if subscriber.booth_id else None
        if subscriber.fmt == "json":
            frames = {fair_channel: _json_frame(fair_channel, {"counters": snapshot.fair})}
            if booth is not None:
                channel = f"booth:{subscriber.booth_id}"
                public = {"applications": booth["applications"], "online": booth["online"]}
                if subscriber.recruiter:
                    public["unreviewed"] = booth["unreviewed"]
                frames[channel] = _json_frame(channel, {"counters": public})
            return frames
        assert self.render is not None
        html = self.render(
            "fair", {"fair_id": subscriber.fair_id, "counters": snapshot.fair}, subscriber.locale
        )
        if booth is not None:
            html += self.render(
                "booth",
                {
                    "booth_id": subscriber.booth_id,
                    "counters": booth,
                    "recruiter": subscriber.recruiter,
                },
                subscriber.locale,
            )
        return {"html": html}

    async def organiser_data(self, fair_id: int) -> dict[str, Any]:
        async with self._read() as session:
            table = await live_service.organiser_table(session, fair_id)
        booth_ids = [row.booth_id for row in table.companies]
        snapshot = await self.snapshot(fair_id)
        # The booths' chat presence and queues, from the same cached grouped read the
        # booth pages' frames use (chat changes make it stale and mark this frame due).
        chat = await self.booth_chats(fair_id, booth_ids)
        overview = chat_service.chat_overview(chat.states, chat.online, self.chat_limits)
        recruiters = await self.presence.counts([f"recruiters:{booth}" for booth in booth_ids])
        companies = [
            {
                "booth_id": row.booth_id,
                "company": row.company_slug,
                "name": row.company_name,
                "applications": row.applications,
                "unreviewed": row.unreviewed,
                "answered": row.answered,
                "share_answered": row.share_answered,
                "recruiters_online": recruiters[f"recruiters:{row.booth_id}"],
            }
            for row in table.companies
        ]
        return {
            "fair_id": fair_id,
            "counters": {
                **snapshot.fair,
                "unreviewed": sum(row.unreviewed for row in table.companies),
            },
            "per_minute": snapshot.per_minute[-SPARKLINE_MINUTES:],
            "companies": companies,
            "vacancies_without_applications": [
                {"id": one.id, "title": one.title, "company": one.company_name}
                for one in table.idle_vacancies
            ],
            "vacancies_without_applications_total": table.idle_vacancy_total,
            "booths_without_recruiter": [
                {"booth_id": c["booth_id"], "company": c["company"], "name": c["name"]}
                for c in companies
                if not c["recruiters_online"]
            ],
            "chat_presence": [
                {
                    "name": name,
                    "recruiters": [{"name": r.name, "open_chats": r.open_chats} for r in here],
                }
                for name, here in overview.presence
            ],
            "booth_queues": [
                {
                    "booth_id": queue.booth_id,
                    "name": name,
                    "waiting": queue.waiting,
                    "wait_seconds": queue.wait_seconds,
                    "recruiters_online": queue.recruiters_online,
                    "unattended": queue.unattended,
                }
                for name, queue in overview.queues
            ],
        }

    def organiser_frames(self, subscriber: Subscriber, data: dict[str, Any]) -> dict[str, str]:
        channel = f"organiser:{subscriber.fair_id}"
        data = {**data, "companies": subscriber.sort.apply(data["companies"])}
        if subscriber.fmt == "json":
            body = {key: value for key, value in data.items() if key != "fair_id"}
            return {channel: _json_frame(channel, body)}
        assert self.render is not None
        return {
            "html": self.render(
                "organiser",
                {**data, "fair_slug": subscriber.fair_slug, "sort": subscriber.sort},
                subscriber.locale,
            )
        }

    def _push(
        self, subscriber: Subscriber, frames: dict[str, str], encoded: FrameCache | None = None
    ) -> bool:
        """Hand ``frames`` to a client; True when a delivery task started for them.

        A client that can take them now has them written at once, encoded by
        ``encoded`` (shared by a fan-out's clients); only a slow one gets a task."""
        writer = subscriber.writer
        if writer is not None and not subscriber.busy and writer.ready():
            encode = encoded if encoded is not None else FrameCache()
            try:
                for text in frames.values():
                    writer.write(encode(text))
            except Exception:
                # Gone under our feet: drop it like a client whose send failed.
                self.disconnect(subscriber)
                self._close_later(subscriber)
            return False
        # Latest frame per channel wins: a client that lags gets the newest counters,
        # not a backlog.
        subscriber.pending.update(frames)
        if subscriber.busy:
            return False
        subscriber.busy = True
        task = asyncio.create_task(self._deliver(subscriber))
        self._deliveries[task] = subscriber
        task.add_done_callback(self._deliveries.pop)
        return True

    async def _sweep_forever(self) -> None:
        # One sweep for every delivery in flight instead of an ``asyncio.timeout`` per
        # frame: at 10k clients the timers cost as much as the rest of the layer.
        while True:
            await asyncio.sleep(min(1.0, SEND_TIMEOUT / 2))
            limit = time.monotonic() - SEND_TIMEOUT
            for task, subscriber in list(self._deliveries.items()):
                if 0.0 < subscriber.sending_since < limit and not subscriber.timed_out:
                    subscriber.timed_out = True
                    task.cancel()

    async def _deliver(self, subscriber: Subscriber) -> None:
        try:
            while subscriber.pending:
                channel = next(iter(subscriber.pending))
                text = subscriber.pending.pop(channel)
                subscriber.sending_since = time.monotonic()
                await subscriber.send(text)
                subscriber.sending_since = 0.0
        except (Exception, asyncio.CancelledError) as exc:
            if isinstance(exc, asyncio.CancelledError) and not subscriber.timed_out:
                raise  # the layer is closing
            # Slow (the sweeper cancelled the send) or gone: drop it, never hold the
            # others up.
            subscriber.sending_since = 0.0
            self.disconnect(subscriber)
            with contextlib.suppress(Exception):
                await subscriber.close()
        finally:
            subscriber.busy = False
            self._round_done += 1
            if self._round_cost is None and self._round_done >= int(self._round_size * 0.99):
                self._round_cost = time.monotonic() - self._round_started

    # ------------------------------------------------------------------ connections

    async def connect(self, subscriber: Subscriber) -> list[str]:
        """Register a client; returns its first frames (a full snapshot)."""
        self._subscribers.setdefault(subscriber.fair_id, set()).add(subscriber)
        self._join(subscriber)
        if subscriber.organiser:
            frames = self.organiser_frames(
                subscriber, await self.organiser_data(subscriber.fair_id)
            )
        else:
            booths = [subscriber.booth_id] if subscriber.booth_id else []
            snapshot = await self.snapshot(subscriber.fair_id, booths)
            frames = self.public_frames(subscriber, snapshot)
            chat = await self.booth_chats(subscriber.fair_id, booths)
            if subscriber.booth_id in chat.states:
                frames = {**frames, **self.chat_frames(subscriber, chat, first=True)}
        return list(frames.values())

    def _join(self, subscriber: Subscriber) -> None:
        keys = subscriber.presence_keys()
        if keys:
            self.presence.join(keys)
            self._presence_fairs.add(subscriber.fair_id)
            self._wake.set()

    def resume(self, subscriber: Subscriber) -> None:
        """Let updates flow to a client whose first snapshot has been sent."""
        subscriber.busy = False
        if subscriber.pending:
            pending = dict(subscriber.pending)
            subscriber.pending.clear()
            self._push(subscriber, pending)

    def disconnect(self, subscriber: Subscriber) -> None:
        subscribers = self._subscribers.get(subscriber.fair_id)
        if subscribers is None or subscriber not in subscribers:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self._subscribers[subscriber.fair_id]
        keys = subscriber.presence_keys()
        if keys:
            self.presence.leave(keys)
            self._presence_fairs.add(subscriber.fair_id)
            self._wake.set()

    async def redis_reachable(self, seconds: float) -> bool:
        """Whether Redis answers a PING within ``seconds`` (True without Redis)."""
        if self._redis is None:
            return True
        try:
            async with asyncio.timeout(seconds):
                await self._redis.ping()
        except Exception:
            return False
        return True

    def client_count(self) -> int:
        return sum(len(subscribers) for subscribers in self._subscribers.values())


async def _close_quietly(subscriber: Subscriber) -> None:
    with contextlib.suppress(Exception):
        await subscriber.close()


def _increments(signal: Applied) -> list[Increment]:
    keys = live_service.counter_keys(signal.fair_id)
    booth, vacancy = str(signal.booth_id), str(signal.vacancy_id)
    increments: list[Increment] = [
        (keys["fair"], "applications", 1),
        (keys["booth_applications"], booth, 1),
        (keys["booth_unreviewed"], booth, 1),
        (keys["vacancies"], vacancy, 1),
        (keys["minutes"], str(live_service.minute_of(signal.at)), 1),
    ]
    if signal.first_in_fair:
        increments.append((keys["fair"], "applicants", 1))
    return increments


def _json_frame(channel: str, body: dict[str, Any]) -> str:
    return json.dumps({"channel": channel, **body}, separators=(",", ":"))
