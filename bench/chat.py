"""Benchmark (issue 15 item 9): booth-chat message delivery with N concurrent chats
(2 N clients: every applicant and every recruiter connected), the product on one web
process and on two behind Redis, against a bare ``websockets`` relay, in one run.

* ``bare``: ``websockets.asyncio.server.serve`` (compression off) holding a dict of
  pairs; each ``send`` frame is parsed, answered with an ``ack`` to the sender and
  forwarded to the peer as a ``message`` frame of the product's shape. Nothing stored.
* ``jobfair-1``: the product as the Procfile runs it (``uvicorn --factory
  jobfair.app:asgi --ws-per-message-deflate false``), in-process live layer and chat
  relay, both parties on that process.
* ``jobfair-2``: two such processes behind Redis (``--redis URL``), every applicant on
  process A and every recruiter on process B, so each message crosses the chat's Redis
  channel (``{namespace}:chat:notices``).

The population is bulk-inserted into a throw-away database (SQLite, or ``--postgres``
URL: a fresh database there) before each product target: one open fair, ``--booths``
companies with a booth, N applicants and N recruiters with a session each, and N
conversations already taken (queue entry ``taken``, the conversation open, its
``started`` system line), i.e. the state in which both parties can send. Clients go
over the product's real path: ``/ws/fairs/{slug}?format=json&booth={company}`` with the
session cookie, ``{"type": "send", ...}`` frames, stored (committed) before the ``ack``
comes back; the peer gets the message from the relay. After each product target the
stored messages are counted in the database.

Clients run in ``--client-procs`` separate processes (asyncio protocols over the
``websockets`` sans-I/O client); the applicant and the recruiter of a pair are in
different processes. Each client sends ``--messages`` messages, the whole run offering
``--rate`` messages a second (open loop, evenly spread, a random phase per client).
A message's body carries its ref and the ``time.time()`` stamped just before it was
written; the peer stamps its arrival. Per target one JSON line:

* ``p50_ms``/``p99_ms``/``max_ms``: delivery, from the sender's stamp to the peer's
  receipt; ``ack_p50_ms``/``ack_p99_ms``: send to the sender's ``ack``;
* ``sent``/``acked``/``delivered``/``duplicated``/``errors``: every message is expected
  exactly once at the peer; ``lost``: acknowledged but never delivered; ``unanswered``:
  sent but neither acknowledged nor refused before the drain ran out (``DRAIN_SECONDS``
  after the last send); ``stored``: messages in the database afterwards;
* ``server_cpu``/``client_cpu``: CPU seconds over the run's wall time (1.0 = a core);
  ``send_lag_p99_ms``: how late the client processes sent against the schedule (a
  large value means the clients, not the server, set the pace).

``ratio`` lines give each product target's p50 and p99 over the bare relay's.

    .venv/bin/python bench/chat.py [--chats 1000] [--messages 2] [--rate 50]
        [--redis redis://127.0.0.1:6379/N] [--client-procs 2] [--postgres URL]

Without ``--redis`` the two-process target is skipped. ``--profile DIR`` runs the
one-process product under pyinstrument and writes its profiles of the connect and the
send phase there (its timings are then not results).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from fanout import cpu_seconds, percentile, raise_fd_limit, run_server  # noqa: E402
from loadgen import NIK_KEY, SECRET_KEY, database, jobfair_env  # noqa: E402

HANDSHAKES = 100  # concurrent opening handshakes per client process
CONNECT_SECONDS = 180.0
DRAIN_SECONDS = 60.0  # bound on the last messages arriving after the last send
SIDES = ("applicant", "recruiter")


# ------------------------------------------------------------------ client processes


def client_main() -> None:
    """A client process: commands as JSON lines on stdin, answers on stdout."""
    import uvloop

    raise_fd_limit()
    uvloop.run(_client_loop())


async def _client_loop() -> None:
    from wsclient import WsClient, abort_all, answer, commands, open_client

    loop = asyncio.get_running_loop()
    connections: list[Connection] = []
    progress = {"pending": 0, "done": asyncio.Event()}

    class Connection(WsClient):
        def __init__(self, spec: dict[str, Any]) -> None:
            super().__init__(spec["url"], spec.get("cookie"))
            self.spec = spec
            self.side: str = spec["side"]
            self.peer = SIDES[1 - SIDES.index(self.side)]
            self.expected = 0  # peer messages still to come
            self.sent: dict[str, float] = {}  # ref -> time.time() at send
            self.acks: dict[str, float] = {}  # ref -> ack latency (s)
            self.ack_ids: set[int] = set()
            self.received: dict[int, float] = {}  # peer's seq -> delivery latency (s)
            self.duplicated = 0
            self.echoes = 0  # own messages coming back (the product's log frames)
            self.errors = 0
            self.lags: list[float] = []

        def send(self, seq: int, due: float) -> None:
            if not self.alive:
                return
            ref = f"{self.spec['pair']}.{self.side[0]}.{seq}"
            now = time.time()
            self.lags.append(max(0.0, loop.time() - due))
            body = f"{ref} {now:.6f}"
            frame = {
                "type": "send",
                "conversation": self.spec["conversation"],
                "body": body,
                "ref": ref,
            }
            self.sent[ref] = now
            self.send_json(frame)

        def on_frame(self, frame: dict[str, Any], now: float) -> None:
            if "ack" in frame:
                ref = frame["ack"]["ref"]
                if ref in self.sent and ref not in self.acks:
                    self.acks[ref] = now - self.sent[ref]
                    self.ack_ids.add(int(frame["ack"]["id"]))
                    self.settle()
                return
            if "error" in frame:
                self.errors += 1
                return
            message = frame.get("message")
            if message is None:
                return  # live counters, presence: not this bench's business
            if message["sender"] == "system":
                if not self.opened.done():
                    self.mark_open()
                return
            if message["sender"] == self.side:
                self.echoes += 1
                return
            ref, stamp = message["body"].split(" ")
            seq = int(ref.rsplit(".", 1)[1])
            if seq in self.received:
                self.duplicated += 1
                return
            self.received[seq] = now - float(stamp)
            self.settle()

        def settle(self) -> None:
            progress["pending"] -= 1
            if progress["pending"] <= 0:
                progress["done"].set()

    async def open_one(spec: dict[str, Any], gate: asyncio.Semaphore, deadline: float) -> bool:
        connection = await open_client(lambda: Connection(spec), gate, deadline)
        if connection is not None:
            connections.append(connection)
        return connection is not None

    async for command in commands(1 << 26):
        kind = command["cmd"]
        if kind == "connect":
            started = time.monotonic()
            gate = asyncio.Semaphore(HANDSHAKES)
            deadline = loop.time() + CONNECT_SECONDS
            results = await asyncio.gather(
                *(open_one(spec, gate, deadline) for spec in command["specs"])
            )
            answer(
                {
                    "connected": sum(results),
                    # (pair, side) of each open connection: only whole pairs talk.
                    "ends": [[one.spec["pair"], one.side] for one in connections if one.alive],
                    "failed": len(results) - sum(results),
                    "seconds": time.monotonic() - started,
                }
            )
        elif kind == "run":
            messages, interval = command["messages"], command["interval"]
            shuffle = random.Random(command["seed"])
            whole = set(command["pairs"])
            talking = [one for one in connections if one.alive and one.spec["pair"] in whole]
            # Every ack and every peer message of every talking connection is awaited.
            progress["pending"] = 2 * messages * len(talking)
            progress["done"] = asyncio.Event()
            start = loop.time() + max(0.0, command["start_at"] - time.time())
            last_due = start
            for one in talking:
                phase = shuffle.random() * interval
                for seq in range(messages):
                    due = start + phase + seq * interval
                    last_due = max(last_due, due)
                    loop.call_at(due, one.send, seq, due)
            cpu_0 = time.process_time()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(last_due + command["drain"]):
                    if progress["pending"] > 0:
                        await progress["done"].wait()
            delivered = [lat for one in connections for lat in one.received.values()]
            acks = [lat for one in connections for lat in one.acks.values()]
            lags = [lag for one in connections for lag in one.lags]
            answer(
                {
                    "alive": sum(one.alive for one in connections),
                    "sent": sum(len(one.sent) for one in connections),
                    "acked": len(acks),
                    "ack_ids": len({i for one in connections for i in one.ack_ids}),
                    "delivered_ms": [round(lat * 1000, 3) for lat in delivered],
                    "ack_ms": [round(lat * 1000, 3) for lat in acks],
                    "sent_refs": [ref for one in connections for ref in one.sent],
                    "acked_refs": [ref for one in connections for ref in one.acks],
                    # Refs of the peers' messages that arrived (each once).
                    "received_refs": [
                        f"{one.spec['pair']}.{one.peer[0]}.{seq}"
                        for one in connections
                        for seq in one.received
                    ],
                    "duplicated": sum(one.duplicated for one in connections),
                    "echoes": sum(one.echoes for one in connections),
                    "errors": sum(one.errors for one in connections),
                    "lag_p99_ms": round(percentile(lags, 0.99) * 1000, 1) if lags else None,
                    "cpu": time.process_time() - cpu_0,
                }
            )
        elif kind == "quit":
            abort_all(connections)
            answer({"bye": True})
            return


class Clients:
    """The client processes, driven over their stdin/stdout."""

    def __init__(self, processes: list[asyncio.subprocess.Process]) -> None:
        self.processes = processes

    @classmethod
    @asynccontextmanager
    async def start(cls, count: int) -> AsyncIterator[Clients]:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--client",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=1 << 26,
            )
            for _ in range(count)
        ]
        clients = cls(processes)
        try:
            yield clients
        finally:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(30):
                    await asyncio.gather(*(clients.ask(p, {"cmd": "quit"}) for p in processes))
            for process in processes:
                if process.returncode is None:
                    process.kill()
                await process.wait()

    async def ask(self, process: asyncio.subprocess.Process, command: dict[str, Any]) -> Any:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write((json.dumps(command) + "\n").encode())
        await process.stdin.drain()
        line = await process.stdout.readline()
        if not line:
            raise RuntimeError("a client process died")
        return json.loads(line)

    async def each(self, commands: Sequence[dict[str, Any]]) -> list[Any]:
        return list(
            await asyncio.gather(
                *(self.ask(p, c) for p, c in zip(self.processes, commands, strict=True))
            )
        )

    def cpu(self) -> float:
        return sum(cpu_seconds(process.pid) for process in self.processes)


# ------------------------------------------------------------------ the bare relay


def serve_bare(port: int) -> None:
    """A dict of pairs; each ``send`` acked to its sender and forwarded to the peer."""
    import uvloop
    from websockets.asyncio.server import ServerConnection, serve
    from websockets.datastructures import Headers
    from websockets.exceptions import ConnectionClosed
    from websockets.http11 import Request, Response

    pairs: dict[str, dict[str, ServerConnection]] = {}
    counter = [0]

    def frame(body: dict[str, Any]) -> str:
        return json.dumps(body, separators=(",", ":"))

    async def handler(connection: ServerConnection) -> None:
        assert connection.request is not None
        query = dict(
            part.split("=", 1) for part in connection.request.path.split("?", 1)[1].split("&")
        )
        pair, side = query["pair"], query["side"]
        peer_side = SIDES[1 - SIDES.index(side)]
        pairs.setdefault(pair, {})[side] = connection
        channel = f"chat:{pair}"
        hello = {"id": 0, "conversation": int(pair), "sender": "system", "body": "started"}
        await connection.send(frame({"channel": channel, "message": hello}))
        try:
            async for text in connection:
                says = json.loads(text)
                counter[0] += 1
                message = {
                    "id": counter[0],
                    "conversation": says["conversation"],
                    "sender": side,
                    "body": says["body"],
                    "at": datetime.now(UTC).isoformat(),
                }
                peer = pairs[pair].get(peer_side)
                if peer is not None:
                    await peer.send(frame({"channel": channel, "message": message}))
                await connection.send(
                    frame({"channel": channel, "ack": {"ref": says["ref"], "id": counter[0]}})
                )
        except ConnectionClosed:
            pass  # the clients abort their connections at the end of a run
        finally:
            pairs[pair].pop(side, None)

    def process_request(_connection: ServerConnection, request: Request) -> Any:
        if request.path == "/healthz":
            headers = Headers([("Content-Type", "text/plain"), ("Content-Length", "2")])
            return Response(200, "OK", headers, b"ok")
        return None

    async def main() -> None:
        async with serve(
            handler, "127.0.0.1", port, compression=None, process_request=process_request,
            backlog=4096,
        ) as server:  # fmt: skip
            await server.serve_forever()

    uvloop.run(main())


# ------------------------------------------------------------------ the population


@dataclass
class Pair:
    conversation: int
    company_slug: str
    applicant_cookie: str
    recruiter_cookie: str


@dataclass
class Population:
    fair_slug: str
    pairs: list[Pair]


async def populate(database_url: str, data_dir: Path, chats: int, booths: int) -> Population:
    """One open fair, ``booths`` companies with a booth, and ``chats`` open
    conversations (applicant and recruiter with a session each), in bulk."""
    from support import factories

    from jobfair.context import AppContext
    from jobfair.models import Applicant, Recruiter, User, UserSession
    from jobfair.models.accounts import Role
    from jobfair.models.conversations import ChatMessage, Conversation, QueueEntry, QueueState
    from jobfair.services.auth import SESSION_LIFETIME, new_token
    from jobfair.services.identity import token_hash
    from jobfair.settings import Settings
    from jobfair.web.auth import SESSION_COOKIE, session_signer

    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        nik_key=NIK_KEY,
        data_dir=data_dir,
        sweep_seconds=0,
    )
    ctx = AppContext.create(settings)
    now = datetime.now(UTC)
    signer = session_signer(SECRET_KEY)
    vault = ctx.nik_vault
    try:
        async with ctx.unit_of_work() as session:
            office = await factories.office(session)
            fair = await factories.fair(
                session, office_row=office, opens_at=now - timedelta(days=1)
            )
            companies, booth_rows = [], []
            for _ in range(booths):
                company = await factories.company(session)
                companies.append(company)
                booth_rows.append(
                    await factories.booth(session, fair_row=fair, company_row=company)
                )
            run = uuid.uuid4().hex[:6]
            users = [
                User(
                    email=f"{side}-{run}-{n}@example.test",
                    password_hash="x",  # noqa: S106 - nobody signs in with it
                    role=Role.APPLICANT if side == "applicant" else Role.RECRUITER,
                    full_name=f"{'Pelamar' if side == 'applicant' else 'HRD'} {n}",
                )
                for n in range(chats)
                for side in SIDES
            ]
            session.add_all(users)
            await session.flush()
            applicant_users, recruiter_users = users[0::2], users[1::2]
            people = []
            for n, user in enumerate(applicant_users):
                nik = f"1209{(n % 28) + 1:02d}{n // 10000 % 100:02d}0599{n % 10000:04d}"[:16]
                people.append(
                    Applicant(
                        user_id=user.id,
                        nik_ciphertext=vault.encrypt(nik),
                        nik_hmac=vault.fingerprint(nik),
                        nik_masked=vault.mask(nik),
                        sex="L",
                        birth_date=datetime(1999, 5, (n % 28) + 1).date(),
                        education_level="SMA",
                        ktp_regency_code="12.09",
                        domicile_regency_code="12.09",
                        consent_at=now,
                    )
                )
            session.add_all(people)
            session.add_all(
                Recruiter(company_id=companies[n % booths].id, user_id=user.id, role="recruiter")
                for n, user in enumerate(recruiter_users)
            )
            raws = [new_token() for _ in users]
            session.add_all(
                UserSession(
                    token_hash=token_hash(raw),
                    user_id=user.id,
                    csrf_token=new_token()[:32],
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + SESSION_LIFETIME,
                )
                for raw, user in zip(raws, users, strict=True)
            )
            await session.flush()
            entries = [
                QueueEntry(
                    fair_id=fair.id,
                    booth_id=booth_rows[n % booths].id,
                    applicant_id=person.id,
                    state=QueueState.TAKEN,
                    joined_at=now,
                    last_seen_at=now,
                    ended_at=now,
                )
                for n, person in enumerate(people)
            ]
            session.add_all(entries)
            await session.flush()
            chats_rows = [
                Conversation(
                    fair_id=fair.id,
                    booth_id=entry.booth_id,
                    applicant_id=entry.applicant_id,
                    recruiter_user_id=recruiter.id,
                    queue_entry_id=entry.id,
                    started_at=now,
                )
                for entry, recruiter in zip(entries, recruiter_users, strict=True)
            ]
            session.add_all(chats_rows)
            await session.flush()
            # As take_next leaves it: the "started" line opens the applicant's chat.
            session.add_all(
                ChatMessage(conversation_id=c.id, sender="system", body="started", created_at=now)
                for c in chats_rows
            )
            await session.flush()
            cookies = [f"{SESSION_COOKIE}={signer.sign(raw).decode()}" for raw in raws]
            return Population(
                fair.slug,
                [
                    Pair(c.id, companies[n % booths].slug, cookies[2 * n], cookies[2 * n + 1])
                    for n, c in enumerate(chats_rows)
                ],
            )
    finally:
        await ctx.close()


async def stored_messages(database_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from jobfair.db.engine import create_engine
    from jobfair.models.conversations import ChatMessage

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(func.count(), func.count(func.distinct(ChatMessage.body))).where(
                    ChatMessage.sender != "system"
                )
            )
            total, distinct = rows.one()
    finally:
        await engine.dispose()
    return {"stored": int(total), "stored_distinct": int(distinct)}


# ------------------------------------------------------------------ the run


def product_command(profile: bool) -> list[str]:
    if profile:
        return [sys.executable, __file__, "--serve-product", "--port", "{port}"]
    command = [sys.executable, "-m", "uvicorn", "--factory", "jobfair.app:asgi"]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]
    return [*command, "--no-access-log", "--ws-per-message-deflate", "false"]


def serve_product(port: int) -> None:
    """The product under pyinstrument; SIGUSR1 starts a profile, the next one writes it
    to ``$CHAT_PROFILE-connect.txt``, then ``-send.txt`` (the run's two phases)."""
    import uvicorn
    from pyinstrument import Profiler

    profiler: list[Profiler] = []
    phases = ["connect", "send"]

    def toggle(_signum: int, _frame: object) -> None:
        if not profiler:
            profiler.append(Profiler(interval=0.001, async_mode="disabled"))
            profiler[0].start()
            return
        running = profiler.pop()
        running.stop()
        text = running.output_text(unicode=False, color=False)
        Path(f"{os.environ['CHAT_PROFILE']}-{phases.pop(0)}.txt").write_text(text)

    signal.signal(signal.SIGUSR1, toggle)
    uvicorn.run(
        "jobfair.app:asgi",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        ws_per_message_deflate=False,
    )


def specs_for(pairs: Sequence[Pair], url_of: Any, procs: int) -> list[list[dict[str, Any]]]:
    """Connection specs per client process; a pair's two ends in different processes."""
    shares: list[list[dict[str, Any]]] = [[] for _ in range(procs)]
    for n, pair in enumerate(pairs):
        for k, side in enumerate(SIDES):
            spec = {
                "url": url_of(n, pair, side),
                "side": side,
                "pair": n,
                "conversation": pair.conversation,
                "cookie": pair.applicant_cookie if side == "applicant" else pair.recruiter_cookie,
            }
            shares[(n + k) % procs].append(spec)
    return shares


async def measure(
    target: str, specs: list[list[dict[str, Any]]], pids: list[int], args: argparse.Namespace
) -> dict[str, Any]:
    clients_total = sum(len(s) for s in specs)
    async with Clients.start(len(specs)) as clients:
        if args.profile_pid:
            os.kill(args.profile_pid, signal.SIGUSR1)
        answers = await clients.each([{"cmd": "connect", "specs": s} for s in specs])
        if args.profile_pid:
            os.kill(args.profile_pid, signal.SIGUSR1)
            # Writing a profile stalls the server (minutes on a loaded machine): the
            # send phase starts once it is written.
            written = f"{args.profile_path}-connect.txt"
            for _ in range(6000):
                if os.path.exists(written):  # noqa: ASYNC240 - a stat, 10 times a second
                    break
                await asyncio.sleep(0.1)
        connected = sum(a["connected"] for a in answers)
        ends: dict[int, int] = {}
        for a in answers:
            for pair, _side in a["ends"]:
                ends[pair] = ends.get(pair, 0) + 1
        whole = sorted(pair for pair, count in ends.items() if count == 2)
        connect_s = max(a["seconds"] for a in answers)
        await asyncio.sleep(2.0)  # presence frames of the last connections go out
        interval = clients_total / args.rate  # seconds between one client's messages
        start_at = time.time() + 1.0
        cpu_server, cpu_clients, wall = sum(map(cpu_seconds, pids)), clients.cpu(), time.time()
        if args.profile_pid:
            os.kill(args.profile_pid, signal.SIGUSR1)
        runs = await clients.each(
            [
                {
                    "cmd": "run",
                    "messages": args.messages,
                    "interval": interval,
                    "start_at": start_at,
                    "seed": index,
                    "pairs": whole,
                    "drain": DRAIN_SECONDS,
                }
                for index in range(len(specs))
            ]
        )
        if args.profile_pid:
            os.kill(args.profile_pid, signal.SIGUSR1)
        wall = time.time() - wall
        server_cpu = sum(map(cpu_seconds, pids)) - cpu_server
        client_cpu = clients.cpu() - cpu_clients
    delivered = [lat for r in runs for lat in r["delivered_ms"]]
    acks = [lat for r in runs for lat in r["ack_ms"]]
    sent = sum(r["sent"] for r in runs)
    sent_refs = {ref for r in runs for ref in r["sent_refs"]}
    received_refs = {ref for r in runs for ref in r["received_refs"]}
    acked_refs = {ref for r in runs for ref in r["acked_refs"]}
    return {
        "bench": "chat",
        "target": target,
        "chats": clients_total // 2,
        "clients": clients_total,
        "connected": connected,
        "talking_chats": len(whole),
        "connect_s": round(connect_s, 1),
        "messages_per_client": args.messages,
        "offered_rate": args.rate,
        "sent": sent,
        "acked": sum(r["acked"] for r in runs),
        "distinct_ack_ids": sum(r["ack_ids"] for r in runs),
        "delivered": len(delivered),
        # Acknowledged (stored) and never delivered to the peer: the product's promise
        # broken; sent and never answered by the end of the drain; delivered unsent.
        "lost": len(acked_refs - received_refs),
        "unanswered": len(sent_refs - acked_refs),
        "unexpected": len(received_refs - sent_refs),
        "duplicated": sum(r["duplicated"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "echoes": sum(r["echoes"] for r in runs),
        "p50_ms": round(percentile(delivered, 0.50), 1),
        "p99_ms": round(percentile(delivered, 0.99), 1),
        "max_ms": round(max(delivered, default=float("nan")), 1),
        "ack_p50_ms": round(percentile(acks, 0.50), 1),
        "ack_p99_ms": round(percentile(acks, 0.99), 1),
        "send_lag_p99_ms": max((r["lag_p99_ms"] or 0) for r in runs),
        "wall_s": round(wall, 1),
        "server_cpu": round(server_cpu / wall, 2),
        "client_cpu": round(client_cpu / wall, 2),
        "server_cpu_ms_per_msg": round(server_cpu / max(sent, 1) * 1000, 2),
        "client_procs": len(specs),
    }


@asynccontextmanager
async def product_world(args: argparse.Namespace, tmp: Path, name: str) -> AsyncIterator[Any]:
    async with database(args.postgres, tmp, name) as url:
        started = time.monotonic()
        population = await populate(url, tmp / f"{name}-data", args.chats, args.booths)
        took = round(time.monotonic() - started, 1)
        print(json.dumps({"bench": "chat", "populated": name, "s": took}), file=sys.stderr)
        yield url, population


def product_url(base: str, slug: str) -> Any:
    ws = "ws" + base.removeprefix("http")

    def url(_n: int, pair: Pair, _side: str) -> str:
        return f"{ws}/ws/fairs/{slug}?format=json&booth={pair.company_slug}"

    return url


async def run_bare(args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--serve-bare", "--port", "{port}"]
    async with run_server(command, dict(os.environ), "/healthz") as server:
        pairs = [Pair(n + 1, "", "", "") for n in range(args.chats)]
        ws = "ws" + server.base.removeprefix("http")
        specs = specs_for(
            pairs, lambda n, _p, side: f"{ws}/?pair={n + 1}&side={side}", args.client_procs
        )
        saved, args.profile_pid = args.profile_pid, None
        result = await measure("bare", specs, [server.pid], args)
        args.profile_pid = saved
    result["stored"] = None
    return result


async def run_product(args: argparse.Namespace, tmp: Path, processes: int) -> dict[str, Any]:
    name = f"jobfair-{processes}"
    async with product_world(args, tmp, name) as (url, population):
        extra = {"JOBFAIR_SWEEP_SECONDS": "0"}
        if processes == 2:
            extra |= {
                "JOBFAIR_REDIS_URL": args.redis,
                "JOBFAIR_REDIS_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
            }
        profile = args.profile is not None and processes == 1
        if profile:
            extra["CHAT_PROFILE"] = str(Path(args.profile) / "jobfair-1")
        env = jobfair_env(url, tmp / f"{name}-data", **extra)
        try:
            async with contextlib.AsyncExitStack() as stack:
                servers = [
                    await stack.enter_async_context(
                        run_server(product_command(profile), env, "/healthz")
                    )
                    for _ in range(processes)
                ]
                urls = [product_url(s.base, population.fair_slug) for s in servers]

                def url_of(n: int, pair: Pair, side: str) -> str:
                    # Two processes: applicants on A, recruiters on B.
                    return urls[SIDES.index(side) % processes](n, pair, side)

                specs = specs_for(population.pairs, url_of, args.client_procs)
                args.profile_pid = servers[0].pid if profile else None
                args.profile_path = extra.get("CHAT_PROFILE")
                result = await measure(name, specs, [s.pid for s in servers], args)
                args.profile_pid = None
        finally:
            if processes == 2:
                from redis.asyncio import Redis

                redis = Redis.from_url(args.redis)
                keys = [k async for k in redis.scan_iter(extra["JOBFAIR_REDIS_NAMESPACE"] + ":*")]
                if keys:
                    await redis.delete(*keys)
                await redis.aclose()
        result |= await stored_messages(url)
    result["database"] = "postgresql" if args.postgres else "sqlite"
    result["live_layer"] = "redis" if processes == 2 else "memory"
    return result


async def main(args: argparse.Namespace) -> None:
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        for target in args.targets:
            if target == "bare":
                result = await run_bare(args)
            elif target == "jobfair-1":
                result = await run_product(args, tmp, 1)
            elif args.redis:
                result = await run_product(args, tmp, 2)
            else:
                print(json.dumps({"skipped": target, "why": "no --redis"}), flush=True)
                continue
            results[target] = result
            print(json.dumps(result), flush=True)
    bare = results.get("bare")
    for target, result in results.items():
        if target == "bare" or bare is None:
            continue
        print(
            json.dumps(
                {
                    "bench": "chat",
                    "target": "ratio",
                    "of": target,
                    "chats": args.chats,
                    "p50": round(result["p50_ms"] / bare["p50_ms"], 1) if bare["p50_ms"] else None,
                    "p99": round(result["p99_ms"] / bare["p99_ms"], 1) if bare["p99_ms"] else None,
                    "ack_p99": round(result["ack_p99_ms"] / bare["ack_p99_ms"], 1)
                    if bare["ack_p99_ms"]
                    else None,
                    "p50_ms": [result["p50_ms"], bare["p50_ms"]],
                    "p99_ms": [result["p99_ms"], bare["p99_ms"]],
                    "server_cpu_ms_per_msg": [
                        result["server_cpu_ms_per_msg"],
                        bare["server_cpu_ms_per_msg"],
                    ],
                }
            ),
            flush=True,
        )


TARGETS = ("bare", "jobfair-1", "jobfair-2")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000, help="concurrent chats (pairs)")
    parser.add_argument("--messages", type=int, default=2, help="messages each client sends")
    parser.add_argument(
        "--rate", type=float, default=50.0, help="messages a second offered by all clients"
    )
    parser.add_argument("--booths", type=int, default=20, help="booths the chats spread over")
    parser.add_argument("--client-procs", type=int, default=2, help="client processes")
    parser.add_argument("--redis", metavar="URL", help="Redis for the two-process target")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of SQLite")
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--profile", metavar="DIR", help="profile the one-process product")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-product", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.chats < 1 or args.messages < 1 or args.rate <= 0 or args.booths < 1:
        parser.error("--chats, --messages, --booths must be ≥ 1 and --rate > 0")
    if args.client_procs < 2:
        parser.error("--client-procs must be ≥ 2 (a pair's ends are in different processes)")
    args.booths = min(args.booths, args.chats)
    args.profile_pid = args.profile_path = None
    return args


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.client:
        client_main()
    elif arguments.serve_bare:
        serve_bare(arguments.port)
    elif arguments.serve_product:
        serve_product(arguments.port)
    else:
        limit = raise_fd_limit()
        if limit < 2 * arguments.chats * 2 + 1000:
            raise SystemExit(f"the file-descriptor limit {limit} is too low")
        if arguments.profile:
            Path(arguments.profile).mkdir(parents=True, exist_ok=True)
        asyncio.run(main(arguments))
