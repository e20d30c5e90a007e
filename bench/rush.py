"""Benchmark (issue 14 item 5): a fair's opening hour in one run, beside bare references
measured in the same run.

Servers, each a uvicorn process on loopback, all up for the whole run:

* the product as the Procfile runs it (``--ws-per-message-deflate false``);
* ``bench/apply.py --serve-bare``: a bare Starlette endpoint inserting one application
  row on the product's engine settings;
* ``bench/pages.py --serve-bare``: a bare Starlette + Jinja booth list doing one query.

The run, in order:

1. **sign-ins**: ``--signins`` accounts sign in through ``POST /api/v1/tokens`` over
   ``--connections`` connections; beside it, the argon2 verifications per second the
   machine allows with the same parameters on the product's hashing slots (cores − 1),
   in-process (the bare ceiling of a sign-in).
2. **live clients**: ``--live-clients`` websocket clients connect to
   ``/ws/fairs/{slug}?format=json`` (the client processes of ``bench/fanout.py``) and
   stay connected for the rest of the run: every application below is fanned out to
   them.
3. **rising offered rate**: for each rate of ``--rates`` (requests per second, open
   loop: a request is due every 1/rate s whether or not earlier ones were answered,
   and its latency counts from when it was due), ``--step-seconds`` of each path in
   turn — bare insert, the apply API, bare page, the product's booth list
   ``/fairs/{slug}`` — so drift in the machine's load falls on all of them.

Prints one JSON line per (path, rate) with p50/p99 and errors, one per path with the
highest rate held with p99 ≤ 100 ms and no errors, and the sign-in line. Run from the
repository root:

    .venv/bin/python bench/rush.py [--postgres URL] [--live-clients 10000]

One load generator process (httpx) drives every path; at the highest rates it may be
the limit itself, which the bare paths show (they are driven the same way).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import apply
import fanout
import httpx
import signin
from loadgen import (
    Call,
    Result,
    analyze,
    backend_of,
    database,
    drive,
    jobfair_env,
    server,
    uvicorn_command,
)

from jobfair.services.identity import hashing_slots

BENCH_DIR = Path(__file__).resolve().parent
HELD_P99_MS = 100.0
PATHS = ("bare_apply", "api_apply", "bare_page", "page")


async def offered(
    client: httpx.AsyncClient, calls: Iterator[Call], rate: float, seconds: float
) -> Result:
    """Open loop at ``rate`` requests a second for ``seconds``; latency from when each
    request was due (a server that falls behind is charged for the queue it causes)."""
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    errors = 0

    async def one(call: Call, due: float) -> None:
        nonlocal errors
        try:
            response = await client.request(
                call.method, call.path, headers=call.headers, data=call.data, json=call.json
            )
            status: int | str = response.status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        latencies.append((time.perf_counter() - due) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        if status != call.expect:
            errors += 1

    count = max(1, int(rate * seconds))
    started = time.perf_counter()
    tasks = []
    for n in range(count):
        due = started + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(next(calls), due)))
    await asyncio.gather(*tasks)
    return Result(count, errors, time.perf_counter() - started, latencies, statuses)


async def signins(base: str, args: argparse.Namespace) -> dict[str, Any]:
    calls = [
        Call(
            "POST",
            "/api/v1/tokens",
            201,
            json={"login": f"rush{n}@bench.test", "password": signin.PASSWORD},
        )
        for n in range(args.signins + 4)  # 4 unmeasured: the warm-up
    ]
    result = await drive(
        base,
        calls,
        connections=args.connections,
        max_requests=args.signins,
        max_seconds=120,
        warmup=4,
    )
    slots = hashing_slots()
    ceiling = signin.raw_rate(signin.current_hasher(), slots, 5.0)
    return {
        "bench": "rush",
        "phase": "signin",
        **result.summary(),
        "bare_argon2_per_s": round(ceiling, 1),
        "ratio": round(result.rps / ceiling, 2) if ceiling else None,
        "hashing_slots": slots,
        "connections": args.connections,
    }


async def run(args: argparse.Namespace, tmp: Path) -> None:
    total = sum(math.ceil(rate * args.step_seconds) for rate in args.rates)
    per_group = -(-(total + 10) // apply.VACANCIES)
    async with database(args.postgres, tmp, "rush") as url:
        population = await apply.populate(url, {"api": per_group, "bare": per_group})
        await signin.populate(
            url, {"rush": (args.signins + 8, signin.current_hasher().hash(signin.PASSWORD))}
        )
        await analyze(url)
        calls = {
            "api_apply": iter(apply.calls_for("api", population)),
            "bare_apply": iter(apply.calls_for("bare", population)),
        }
        page = Call("GET", f"/fairs/{population.slug}", 200)
        calls["page"] = iter(lambda: page, None)
        calls["bare_page"] = iter(lambda: page, None)
        env = jobfair_env(
            url,
            tmp / "data",
            JOBFAIR_LIVE_SOCKETS_PER_ADDRESS=str(args.live_clients + 100),
        )
        apply_bare = [sys.executable, str(BENCH_DIR / "apply.py"), "--serve-bare", url]
        pages_bare = [sys.executable, str(BENCH_DIR / "pages.py"), "--serve-bare", url]
        product_command = uvicorn_command("jobfair.app:asgi")
        product_command += ["--ws-per-message-deflate", "false"]
        lines: list[dict[str, Any]] = []
        with contextlib.ExitStack() as stack:
            product = stack.enter_context(server(product_command, env, "/healthz"))
            bases = {
                "api_apply": product,
                "page": product,
                "bare_apply": stack.enter_context(
                    server([*apply_bare, "--port", "{port}"], env, "/healthz")
                ),
                "bare_page": stack.enter_context(
                    server([*pages_bare, "--port", "{port}"], env, "/healthz")
                ),
            }
            print(json.dumps(await signins(product, args)), flush=True)
            fanout.raise_fd_limit()
            async with fanout.Clients.start(args.client_procs) as clients:
                ws = "ws" + product.removeprefix("http")
                connected = await clients.connect(
                    f"{ws}/ws/fairs/{population.slug}?format=json", args.live_clients
                )
                print(
                    json.dumps({"bench": "rush", "phase": "live", **connected}),
                    flush=True,
                )
                limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
                clients_http = {
                    path: httpx.AsyncClient(base_url=bases[path], timeout=30, limits=limits)
                    for path in PATHS
                }
                try:
                    for rate in args.rates:
                        for path in PATHS:
                            result = await offered(
                                clients_http[path], calls[path], rate, args.step_seconds
                            )
                            line = {
                                "bench": "rush",
                                "backend": backend_of(url),
                                "path": path,
                                "offered_per_s": rate,
                                "p50_ms": round(result.percentile(0.5), 1),
                                "p99_ms": round(result.percentile(0.99), 1),
                                "requests": result.requests,
                                "errors": result.errors,
                                "live_clients": connected["connected"],
                            }
                            if result.errors:
                                line["statuses"] = {
                                    str(key): n for key, n in result.statuses.items()
                                }
                            lines.append(line)
                            print(json.dumps(line), flush=True)
                finally:
                    for http in clients_http.values():
                        await http.aclose()
        held: dict[str, float] = {}
        for path in PATHS:
            ok = [
                line["offered_per_s"]
                for line in lines
                if line["path"] == path and line["p99_ms"] <= HELD_P99_MS and not line["errors"]
            ]
            held[path] = max(ok, default=0)
        print(
            json.dumps(
                {
                    "bench": "rush",
                    "backend": backend_of(url),
                    "target": "held",
                    "p99_limit_ms": HELD_P99_MS,
                    "held_per_s": held,
                    "apply_ratio": round(held["api_apply"] / held["bare_apply"], 2)
                    if held["bare_apply"]
                    else None,
                    "page_ratio": round(held["page"] / held["bare_page"], 2)
                    if held["bare_page"]
                    else None,
                }
            ),
            flush=True,
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="run on a throw-away PostgreSQL db")
    parser.add_argument("--signins", type=int, default=100)
    parser.add_argument("--connections", type=int, default=8, help="for the sign-ins")
    parser.add_argument("--live-clients", type=int, default=1000)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[25, 50, 100, 200, 400], metavar="PER_S"
    )
    parser.add_argument("--step-seconds", type=float, default=5.0)
    return parser.parse_args()


def main() -> None:
    arguments = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(arguments, Path(tmp)))


if __name__ == "__main__":
    main()
