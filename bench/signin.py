"""Benchmark (issue 14, item 1): sign-ins per second, and what a sign-in burst does to a
trivial request (``GET /healthz``), on the product as it is and, with ``--before REV``,
on an older revision of the code (served from a throw-away export of that revision) and
on the product set to that revision's argon2 parameters (the same argon2 work, so the
difference is hashing off the loop and outside the transaction).

For each target, a uvicorn process on loopback:

1. ``/healthz`` idle: p50/p99 over ``--probes`` requests on one connection;
2. a burst: ``--connections`` connections signing in through ``POST /api/v1/tokens``
   (every request a different account, all with the right password) for ``--seconds``,
   while one more connection sends ``/healthz`` back to back; sign-ins/s and their
   p50/p99, and the probe's p50/p99 during the burst.

Beside them, what the machine allows: argon2 verifications per second with the same
parameters, in this process, on (cores − 1) threads (the product's hashing slots) and
on every core. Each target's accounts are hashed with that target's parameters, so no
sign-in is spent upgrading a hash. Prints one JSON line per target. Run from the
repository root:

    .venv/bin/python bench/signin.py [--before 2da54e7] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from loadgen import (
    ROOT,
    Call,
    Result,
    backend_of,
    database,
    drive,
    jobfair_env,
    server,
    uvicorn_command,
)
from sqlalchemy import insert

from jobfair.db.engine import create_engine
from jobfair.models import TrustedNetwork, User
from jobfair.models.accounts import Role
from jobfair.services.identity import hashing_slots
from jobfair.settings import Settings

PASSWORD = "kopi tubruk pagi hari"  # noqa: S105 - a benchmark's throwaway accounts
# Parameters of the code before issue 14: argon2-cffi's defaults (RFC 9106's second
# recommended option).
BEFORE = PasswordHasher()


def current_hasher() -> PasswordHasher:
    settings = Settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_cost,
        parallelism=settings.argon2_parallelism,
    )


async def populate(url: str, groups: dict[str, tuple[int, str]]) -> None:
    """Per target, that many applicant-role accounts sharing one hash (a salted hash
    verifies for any account; the cost per verification is the same). Loopback is a
    trusted network, so the per-address sign-in ceiling does not cut the burst short."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(TrustedNetwork), [{"cidr": "127.0.0.1/32", "label": "bench"}]
            )
            for target, (count, password_hash) in groups.items():
                await connection.execute(
                    insert(User),
                    [
                        {
                            "email": f"{target}{n}@bench.test",
                            "password_hash": password_hash,
                            "role": Role.APPLICANT,
                            "full_name": f"Bench {n}",
                            "is_active": True,
                        }
                        for n in range(count)
                    ],
                )
    finally:
        await engine.dispose()


def raw_rate(hasher: PasswordHasher, threads: int, seconds: float) -> float:
    """argon2 verifications per second on ``threads`` threads (argon2-cffi releases the
    GIL), with no server around them."""
    stored = hasher.hash(PASSWORD)
    deadline = time.perf_counter() + seconds

    def work() -> int:
        done = 0
        while time.perf_counter() < deadline:
            hasher.verify(stored, PASSWORD)
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(lambda _n: work(), range(threads)))
    return total / (time.perf_counter() - started)


async def burst(base: str, target: str, count: int, args: argparse.Namespace) -> dict[str, Any]:
    probe = [Call("GET", "/healthz", 200)] * (args.probes + 10)
    idle = await drive(
        base, probe, connections=1, max_requests=args.probes, max_seconds=30, warmup=10
    )
    calls = [
        Call(
            "POST",
            "/api/v1/tokens",
            201,
            json={"login": f"{target}{n}@bench.test", "password": PASSWORD},
        )
        for n in range(count)
    ]
    stop = asyncio.Event()
    during: list[Result] = []

    async def probing() -> None:
        while not stop.is_set():
            during.append(
                await drive(base, probe, connections=1, max_requests=20, max_seconds=2, warmup=0)
            )

    prober = asyncio.create_task(probing())
    signins = await drive(
        base,
        calls,
        connections=args.connections,
        max_requests=count,
        max_seconds=args.seconds,
        warmup=4,
    )
    stop.set()
    await prober
    merged = Result(
        sum(r.requests for r in during),
        sum(r.errors for r in during),
        sum(r.seconds for r in during),
        [ms for r in during for ms in r.latencies_ms],
        {},
    )
    return {
        "signin": signins.summary(),
        "healthz_idle": {k: idle.summary()[k] for k in ("p50_ms", "p99_ms", "requests")},
        "healthz_during_burst": {
            k: merged.summary()[k] for k in ("p50_ms", "p99_ms", "requests", "errors")
        },
    }


def export(revision: str, directory: Path) -> Path:
    """The tree of ``revision`` (templates, static files and translations included)."""
    tree = directory / f"tree-{revision}"
    tree.mkdir()
    archive = subprocess.run(  # noqa: S603 - our own git
        ["git", "archive", revision],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)  # noqa: S603, S607
    return tree


async def run(args: argparse.Namespace, tmp: Path) -> None:
    count = args.accounts
    targets: dict[str, tuple[Path, PasswordHasher]] = {"product": (ROOT, current_hasher())}
    if args.before:
        # The older code, then the product with the older code's parameters (the same
        # argon2 work: what moving it off the loop and out of the transaction changes).
        targets = {
            "before": (export(args.before, tmp), BEFORE),
            "product_old_parameters": (ROOT, BEFORE),
            **targets,
        }
    async with database(args.postgres, tmp, "signin") as url:
        await populate(
            url, {name: (count, hasher.hash(PASSWORD)) for name, (_, hasher) in targets.items()}
        )
        cores = os.cpu_count() or 1
        for name, (tree, hasher) in targets.items():
            env = jobfair_env(
                url,
                tmp / f"data-{name}",
                JOBFAIR_ARGON2_TIME_COST=str(hasher.time_cost),
                JOBFAIR_ARGON2_MEMORY_COST=str(hasher.memory_cost),
                JOBFAIR_ARGON2_PARALLELISM=str(hasher.parallelism),
            )
            if name == "before":  # settings it does not know
                env = {k: v for k, v in env.items() if not k.startswith("JOBFAIR_ARGON2_")}
            with server(uvicorn_command("jobfair.app:asgi"), env, "/healthz", cwd=tree) as base:
                measured = await burst(base, name, count, args)
            parameters = hasher.time_cost, hasher.memory_cost, hasher.parallelism
            allowed_slots = raw_rate(hasher, hashing_slots(), 3)
            allowed_all = raw_rate(hasher, cores, 3)
            line = {
                "bench": "signin",
                "backend": backend_of(url),
                "target": name,
                "revision": args.before if name == "before" else "working tree",
                "argon2": dict(zip(("t", "m_kib", "p"), parameters, strict=True)),
                **measured,
                "raw_verifies_per_s": {
                    f"{hashing_slots()}_threads": round(allowed_slots, 1),
                    f"{cores}_threads": round(allowed_all, 1),
                },
                "signin_vs_raw_all_cores": round(measured["signin"]["rps"] / allowed_all, 2),
                "connections": args.connections,
            }
            print(json.dumps(line), flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REV", help="also measure this git revision")
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--accounts", type=int, default=400, help="sign-ins at most per target")
    parser.add_argument("--seconds", type=float, default=10.0, help="time bound of the burst")
    parser.add_argument("--probes", type=int, default=200, help="idle /healthz requests")
    return parser.parse_args()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await run(args, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
