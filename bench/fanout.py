"""Benchmark (DESIGN §11 "fan-out"): N websocket clients of one fair receiving a counter
update, the product against a bare ``websockets.broadcast`` server, in one run.

* ``jobfair``: the product as the Procfile runs it (``uvicorn --factory jobfair.app:asgi
  --ws-per-message-deflate false``) on a throw-away SQLite database (``--redis URL``: with
  the Redis live layer). Clients connect to ``/ws/fairs/{slug}?format=json`` and wait for
  their snapshot; an update is one application through the real API
  (``POST /api/v1/vacancies/{id}/applications``, a bearer token per applicant).
* ``reference``: ``websockets.asyncio.server.serve`` (compression off) sending the same
  snapshot frame on connect; an update is ``GET /broadcast?applications=N`` on the same
  port, answered after ``websockets.broadcast`` of a frame of the same shape and size.

Clients run in ``--client-procs`` separate processes (asyncio protocols over the
``websockets`` sans-I/O client, so a connection costs no task). Each process stamps,
per connection, the ``time.time()`` at which the frame carrying the new
``applications`` count arrived; the trigger stamps the moment its response arrived.
Per target and N, one JSON line:

* ``p50_ms``/``p99_ms``/``max_ms``: delivery, from the trigger's response to the frame,
  over every client of every burst (the product coalesces updates for up to one
  ``tick``, 0.25 s, so its delivery includes that wait; the reference broadcasts before
  it answers, so its figures can be negative); ``p99_from_request_ms`` counts from the
  moment the trigger sent its request;
* ``msgs_per_s``: frames carrying the update received by all clients over the burst's
  wall time (trigger request sent to last frame), median of the bursts;
  ``fanout_msgs_per_s`` the same over first-to-last frame (the send loop alone);
* ``rss_per_conn_kib``: the server's RSS growth from connecting the clients (after a
  warm-up of ``WARM`` connections), per connection;
* ``server_cpu``/``client_cpu``: CPU seconds the server and the client processes used
  during the bursts over the bursts' wall time (1.0 = one core busy): a client share
  near 1 per process means the clients, not the server, set the pace.

A ``ratio`` line compares the two (msgs/s product over reference; target ≥ 0.5, p99
≤ 500 ms at 10k on 2 cores, RSS ≤ 25 KiB per idle connection). Run from the
repository root (root may raise the file-descriptor limit; all traffic is loopback):

    .venv/bin/python bench/fanout.py [--clients 1000 5000 10000] [--redis redis://...]

``--profile DIR`` runs the product server under pyinstrument (a bench-only tool) and
writes one text profile of the connect phase and one of the bursts per N into DIR.
Writing a profile stalls the server for seconds: with ``--profile`` the timings are not
results, only the profiles are.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import resource
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from loadgen import NIK_KEY, SECRET_KEY, free_port, jobfair_env  # noqa: E402

WARM = 20  # connections made before the "before" RSS reading (imports, caches, pools)
HANDSHAKES = 200  # concurrent opening handshakes per client process
CONNECT_SECONDS = 240.0  # bound on connecting every client
BURST_SECONDS = 20.0  # bound on one update reaching every client
FD_LIMIT = 65536
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def raise_fd_limit(wanted: int = FD_LIMIT) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        # Root may raise the hard limit too; children inherit both.
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), max(hard, wanted)))
        return wanted
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ------------------------------------------------------------------ client processes


def client_main() -> None:
    """A client process: commands as JSON lines on stdin, answers on stdout."""
    import uvloop

    raise_fd_limit()
    uvloop.run(_client_loop())


async def _client_loop() -> None:
    from wsclient import WsClient, abort_all, answer, commands, open_client

    loop = asyncio.get_running_loop()
    state: dict[str, Any] = {
        "target": 1 << 60,
        "reached": 0,
        "alive": 0,
        "done": asyncio.Event(),
    }
    connections: list[Connection] = []

    class Connection(WsClient):
        def __init__(self, url: str) -> None:
            super().__init__(url)
            self.top = -1  # highest "applications" count seen
            self.top_at = 0.0  # time.time() when it first arrived

        def on_frame(self, frame: dict[str, Any], now: float) -> None:
            value = frame["counters"]["applications"]
            if value > self.top:
                if self.top < state["target"] <= value:
                    state["reached"] += 1
                    if state["reached"] >= state["alive"]:
                        state["done"].set()
                self.top, self.top_at = value, now
            if not self.opened.done():
                state["alive"] += 1
                self.mark_open()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.alive:
                state["alive"] -= 1
            super().connection_lost(exc)

    def alive() -> int:
        return int(state["alive"])

    async for command in commands(1 << 24):
        kind = command["cmd"]
        if kind == "connect":
            started = time.monotonic()
            gate = asyncio.Semaphore(HANDSHAKES)
            deadline = loop.time() + CONNECT_SECONDS
            make = functools.partial(Connection, command["url"])
            opened = await asyncio.gather(
                *(open_client(make, gate, deadline) for _ in range(command["count"]))
            )
            made = [one for one in opened if one is not None]
            connections.extend(made)
            answer(
                {
                    "connected": len(made),
                    "failed": len(opened) - len(made),
                    "seconds": time.monotonic() - started,
                }
            )
        elif kind == "arm":
            state["target"], state["reached"] = command["value"], 0
            state["done"] = asyncio.Event()
            for one in connections:
                if one.alive and one.top >= state["target"]:
                    state["reached"] += 1
            answer({"alive": alive(), "cpu": time.process_time()})
        elif kind == "collect":
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(command["timeout"]):
                    if state["reached"] < alive():
                        await state["done"].wait()
            target = state["target"]
            arrivals = [one.top_at for one in connections if one.alive and one.top >= target]
            answer(
                {
                    "arrivals": arrivals,
                    "missing": alive() - len(arrivals),
                    "cpu": time.process_time(),
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
                    await clients.all({"cmd": "quit"})
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

    async def all(self, command: dict[str, Any]) -> list[Any]:
        return list(await asyncio.gather(*(self.ask(p, command) for p in self.processes)))

    async def connect(self, url: str, total: int) -> dict[str, Any]:
        """Spread ``total`` new connections over the processes."""
        shares = [total // len(self.processes)] * len(self.processes)
        for index in range(total % len(self.processes)):
            shares[index] += 1
        answers = await asyncio.gather(
            *(
                self.ask(process, {"cmd": "connect", "url": url, "count": share})
                for process, share in zip(self.processes, shares, strict=True)
                if share
            )
        )
        return {
            "connected": sum(a["connected"] for a in answers),
            "failed": sum(a["failed"] for a in answers),
            "seconds": max(a["seconds"] for a in answers),
        }

    def cpu(self) -> float:
        return sum(cpu_seconds(process.pid) for process in self.processes)


# ------------------------------------------------------------------ servers


@dataclass
class Server:
    base: str
    pid: int

    @property
    def ws(self) -> str:
        return "ws" + self.base.removeprefix("http")


@asynccontextmanager
async def run_server(argv: list[str], env: dict[str, str], ready: str) -> AsyncIterator[Server]:
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in argv]
    process = await asyncio.create_subprocess_exec(*argv, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=5) as http:
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"server exited with {process.returncode}: {argv}")
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(base + ready)).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not come up: {argv}")
                await asyncio.sleep(0.1)
        yield Server(base, process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        try:
            async with asyncio.timeout(30):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


def product_command(args: argparse.Namespace) -> list[str]:
    if args.profile:
        return [sys.executable, __file__, "--serve-product", "--port", "{port}", "--ws", args.ws]
    command = [sys.executable, "-m", "uvicorn", "--factory", "jobfair.app:asgi"]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]
    command += ["--no-access-log", "--ws-per-message-deflate", "false"]
    return command + (["--ws", args.ws] if args.ws != "default" else [])


def serve_product(port: int, ws: str, profile_dir: str) -> None:
    """The product under pyinstrument: each SIGUSR1 starts, then stops and writes, one
    profile (named by the orchestrator in ``profile_dir/next``)."""
    import uvicorn
    from pyinstrument import Profiler

    profiler: list[tuple[Profiler, str]] = []

    def toggle(_signum: int, _frame: object) -> None:
        if not profiler:
            name = (Path(profile_dir) / "next").read_text().strip()
            profiler.append((Profiler(interval=0.001, async_mode="disabled"), name))
            profiler[0][0].start()
            return
        running, name = profiler.pop()
        running.stop()
        (Path(profile_dir) / name).write_text(running.output_text(unicode=False, color=False))

    signal.signal(signal.SIGUSR1, toggle)
    options: dict[str, Any] = {"ws": ws} if ws != "default" else {}
    uvicorn.run(
        "jobfair.app:asgi",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        ws_per_message_deflate=False,
        **options,
    )


def reference_frame(applications: int) -> str:
    # The shape and size of the product's JSON frame for a fair.
    counters = {
        "applications": applications,
        "applicants": applications,
        "applications_last_hour": applications,
        "online": 10000,
    }
    return json.dumps({"channel": "fair:1", "counters": counters}, separators=(",", ":"))


def serve_reference(port: int) -> None:
    """The bare reference: a snapshot on connect, ``websockets.broadcast`` on demand."""
    import uvloop
    from websockets.asyncio.server import ServerConnection, broadcast, serve
    from websockets.datastructures import Headers
    from websockets.http11 import Request, Response

    current = {"applications": 0}

    async def handler(connection: ServerConnection) -> None:
        await connection.send(reference_frame(current["applications"]))
        await connection.wait_closed()

    def plain(status: int, body: str) -> Response:
        headers = Headers([("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return Response(status, "OK", headers, body.encode())

    async def main() -> None:
        running: list[Any] = []

        def process_request(_connection: ServerConnection, request: Request) -> Any:
            if request.path == "/healthz":
                return plain(200, "ok")
            if request.path.startswith("/broadcast?applications="):
                current["applications"] = int(request.path.rsplit("=", 1)[1])
                broadcast(running[0].connections, reference_frame(current["applications"]))
                return plain(200, "sent")
            return None

        async with serve(
            handler, "127.0.0.1", port, compression=None, process_request=process_request,
            backlog=4096,
        ) as server:  # fmt: skip
            running.append(server)
            await server.serve_forever()

    uvloop.run(main())


# ------------------------------------------------------------------ the run


@dataclass
class World:
    slug: str
    vacancy_id: int
    tokens: list[str]


async def build(database_url: str, data_dir: Path, bursts: int) -> World:
    from support.live_world import build_world

    from jobfair.settings import Settings

    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        nik_key=NIK_KEY,
        data_dir=data_dir,
        sweep_seconds=0,
    )
    world = await build_world(settings, applicants=bursts + 1, vacancies=1)
    return World(world.fair_slug, world.vacancy_ids[0], world.applicant_tokens)


class Trigger:
    """Makes one counter update and stamps when its response arrived."""

    def __init__(self, target: str, server: Server, world: World | None) -> None:
        self.target, self.server, self.world = target, server, world
        # A fresh connection per update: a kept-alive one can be closed by the server's
        # keep-alive timeout just as the next update is sent (a ReadError on a loaded
        # machine, seen at 5k clients).
        self.http = httpx.AsyncClient(
            base_url=server.base, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)
        )
        self.applications = 0

    async def fire(self) -> tuple[float, float]:
        """One update; returns the ``time.time()`` it was sent and answered."""
        self.applications += 1
        sent = time.time()
        if self.world is None:
            response = await self.http.get(f"/broadcast?applications={self.applications}")
            expected = 200
        else:
            token = self.world.tokens[self.applications - 1]
            response = await self.http.post(
                f"/api/v1/vacancies/{self.world.vacancy_id}/applications",
                headers={"Authorization": f"Bearer {token}"},
            )
            expected = 201
        answered = time.time()
        if response.status_code != expected:
            raise RuntimeError(f"trigger answered {response.status_code}: {response.text}")
        return sent, answered


async def measure(
    target: str,
    server: Server,
    url: str,
    trigger: Trigger,
    args: argparse.Namespace,
    clients_total: int,
    profile: Path | None,
) -> dict[str, Any]:
    def profile_toggle(name: str) -> None:
        if profile is not None:
            (profile / "next").write_text(name)
            os.kill(server.pid, signal.SIGUSR1)

    async with Clients.start(args.client_procs) as clients:
        # Warm up: the first connections and the first update load what stays loaded.
        await trigger.fire()
        warm = await clients.connect(url, WARM)
        await asyncio.sleep(1.0)
        rss_before = rss_kib(server.pid)
        profile_toggle(f"{target}-{clients_total}-connect.txt")
        connected = await clients.connect(url, clients_total - WARM)
        profile_toggle("")
        # Let the presence frames of the last connections go out before reading RSS.
        await asyncio.sleep(2.0)
        rss_after = rss_kib(server.pid)
        connections = warm["connected"] + connected["connected"]
        failed = warm["failed"] + connected["failed"]

        latencies: list[float] = []
        from_request: list[float] = []
        burst_p99: list[int] = []
        rates: list[float] = []
        fanout_rates: list[float] = []
        missing = 0
        delivered = 0
        wall = 0.0
        server_cpu = client_cpu = 0.0
        profile_toggle(f"{target}-{clients_total}-bursts.txt")
        for _burst in range(args.bursts):
            armed = await clients.all({"cmd": "arm", "value": trigger.applications + 1})
            cpu_server_0, cpu_clients_0 = cpu_seconds(server.pid), clients.cpu()
            started = time.monotonic()
            sent, answered = await trigger.fire()
            answers = await clients.all({"cmd": "collect", "timeout": BURST_SECONDS})
            wall += time.monotonic() - started
            server_cpu += cpu_seconds(server.pid) - cpu_server_0
            client_cpu += clients.cpu() - cpu_clients_0
            arrivals = [at for a in answers for at in a["arrivals"]]
            delivered += len(arrivals)
            missing += sum(a["missing"] for a in answers)
            alive = sum(a["alive"] for a in armed)
            if arrivals:
                burst_p99.append(round(percentile([at - answered for at in arrivals], 0.99) * 1000))
                latencies += [(at - answered) * 1000 for at in arrivals]
                from_request += [(at - sent) * 1000 for at in arrivals]
                rates.append(len(arrivals) / (max(arrivals) - sent))
                spread = max(arrivals) - min(arrivals)
                fanout_rates.append(len(arrivals) / max(spread, 1e-3))
            if alive < connections:
                connections = alive  # some were dropped
            await asyncio.sleep(args.pause)
        profile_toggle("")
    return {
        "bench": "fanout",
        "target": target,
        "clients": clients_total,
        "connected": connections,
        "failed": failed,
        "connect_s": round(warm["seconds"] + connected["seconds"], 1),
        "bursts": args.bursts,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=float("nan")), 1),
        "p99_from_request_ms": round(percentile(from_request, 0.99), 1),
        "burst_p99_ms": burst_p99,
        "msgs_per_s": round(statistics.median(rates)) if rates else 0,
        "fanout_msgs_per_s": round(statistics.median(fanout_rates)) if fanout_rates else 0,
        "missing": missing,
        "rss_before_mib": round(rss_before / 1024, 1),
        "rss_after_mib": round(rss_after / 1024, 1),
        "rss_per_conn_kib": round((rss_after - rss_before) / max(connected["connected"], 1), 1),
        "server_cpu": round(server_cpu / wall, 2) if wall else None,
        "client_cpu": round(client_cpu / wall, 2) if wall else None,
        # Server CPU per frame delivered: moves less with the machine's load than the
        # rates do (the product's includes answering the trigger's application).
        "server_cpu_us_per_msg": round(server_cpu / delivered * 1e6, 1) if delivered else None,
        "client_procs": args.client_procs,
    }


async def run_product(
    args: argparse.Namespace, tmp: Path, clients_total: int, profile: Path | None
) -> dict[str, Any]:
    run_dir = tmp / f"jobfair-{clients_total}"
    run_dir.mkdir()
    database_url = f"sqlite+aiosqlite:///{run_dir / 'fanout.sqlite3'}"
    world = await build(database_url, run_dir / "data", args.bursts)
    extra = {
        "JOBFAIR_SWEEP_SECONDS": "0",
        # Every bench client comes from 127.0.0.1: lift the per-address cap on
        # anonymous sockets (200 by default) above the run's connections.
        "JOBFAIR_LIVE_SOCKETS_PER_ADDRESS": str(clients_total + WARM + 100),
    }
    if profile is not None:
        extra["FANOUT_PROFILE_DIR"] = str(profile)
    if args.redis:
        extra |= {
            "JOBFAIR_REDIS_URL": args.redis,
            "JOBFAIR_REDIS_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}",
        }
    env = jobfair_env(database_url, run_dir / "data", **extra)
    try:
        async with run_server(product_command(args), env, "/healthz") as server:
            trigger = Trigger("jobfair", server, world)
            url = f"{server.ws}/ws/fairs/{world.slug}?format=json"
            result = await measure("jobfair", server, url, trigger, args, clients_total, profile)
            await trigger.http.aclose()
    finally:
        if args.redis:
            # The run's namespace goes with it.
            from redis.asyncio import Redis

            redis = Redis.from_url(args.redis)
            keys = [key async for key in redis.scan_iter(extra["JOBFAIR_REDIS_NAMESPACE"] + ":*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
    result["live_layer"] = "redis" if args.redis else "memory"
    result["ws"] = args.ws
    return result


async def run_reference(args: argparse.Namespace, clients_total: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--serve-reference", "--port", "{port}"]
    async with run_server(command, dict(os.environ), "/healthz") as server:
        trigger = Trigger("reference", server, None)
        url = server.ws + "/"
        result = await measure("reference", server, url, trigger, args, clients_total, None)
        await trigger.http.aclose()
    return result


async def main(args: argparse.Namespace, profile: Path | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        for clients_total in args.clients:
            product = await run_product(args, tmp, clients_total, profile)
            print(json.dumps(product), flush=True)
            reference = await run_reference(args, clients_total)
            print(json.dumps(reference), flush=True)

            def ratio(key: str, a: dict[str, Any] = product, b: dict[str, Any] = reference) -> Any:
                return round(a[key] / b[key], 2) if b[key] else None

            print(
                json.dumps(
                    {
                        "bench": "fanout",
                        "target": "ratio",
                        "clients": clients_total,
                        "msgs_per_s": ratio("msgs_per_s"),
                        "fanout_msgs_per_s": ratio("fanout_msgs_per_s"),
                        "server_cpu_us_per_msg": [
                            product["server_cpu_us_per_msg"],
                            reference["server_cpu_us_per_msg"],
                        ],
                        "p99_ms": [product["p99_ms"], reference["p99_ms"]],
                        "rss_per_conn_kib": [
                            product["rss_per_conn_kib"],
                            reference["rss_per_conn_kib"],
                        ],
                    }
                ),
                flush=True,
            )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--client-procs", type=int, default=2, help="client processes")
    parser.add_argument("--bursts", type=int, default=5, help="updates measured per N")
    parser.add_argument("--pause", type=float, default=0.6, help="seconds between updates")
    parser.add_argument("--redis", metavar="URL", help="run the product on this Redis")
    parser.add_argument(
        "--ws",
        default="default",
        help="uvicorn --ws implementation for the product (default: as the Procfile)",
    )
    parser.add_argument("--profile", metavar="DIR", help="profile the product server")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-product", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.client:
        client_main()
    elif arguments.serve_reference:
        serve_reference(arguments.port)
    elif arguments.serve_product:
        serve_product(arguments.port, arguments.ws, os.environ.get("FANOUT_PROFILE_DIR", "."))
    else:
        limit = raise_fd_limit()
        if limit < max(arguments.clients) + 1000:
            raise SystemExit(f"the file-descriptor limit {limit} is too low")
        profile_dir = Path(arguments.profile).resolve() if arguments.profile else None
        if profile_dir is not None:
            profile_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(arguments, profile_dir))
