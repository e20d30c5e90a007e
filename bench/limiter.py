"""Benchmark (issue 14, item 2): the in-memory rate limiter's cost per hit with many
keys in their window, limits' own ``MemoryStorage`` (an expiry pass after every hit
with one ``asyncio.to_thread`` per key) against ``web.auth.CheapExpiryMemoryStorage``
(the same moving windows, a plain expiry pass at most once a second).

Each storage takes ``--hits`` hits spread over ``--keys`` keys, ``--rate`` hits a
second (``asyncio.sleep`` between them), through ``MovingWindowRateLimiter`` with the
apply limit (30 a minute). Prints one JSON line per storage: the process's CPU seconds
per 1,000 hits and the share of a core used over the run. Run from the repository root:

    .venv/bin/python bench/limiter.py [--keys 1500] [--hits 4000] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from jobfair.web.auth import LIMITS, CheapExpiryMemoryStorage


async def run(storage: MemoryStorage, args: argparse.Namespace) -> dict[str, object]:
    limiter = MovingWindowRateLimiter(storage)
    (item,) = LIMITS["apply:user"]
    # Every key in its window first, as after a minute of traffic.
    for key in range(args.keys):
        await limiter.hit(item, "apply:user", str(key))
    await asyncio.sleep(0.2)
    pause = 1 / args.rate
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(args.hits):
        await limiter.hit(item, "apply:user", str(n % args.keys))
        await asyncio.sleep(pause)
    await asyncio.sleep(0.2)  # let a pass in flight finish
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "bench": "limiter",
        "storage": type(storage).__name__,
        "keys": args.keys,
        "hits": args.hits,
        "offered_rate": args.rate,
        "cpu_ms_per_1000_hits": round(cpu / args.hits * 1e6, 1),
        "core_share": round(cpu / wall, 2),
        "seconds": round(wall, 1),
    }


async def main(args: argparse.Namespace) -> None:
    for storage in (MemoryStorage(), CheapExpiryMemoryStorage()):
        print(json.dumps(await run(storage, args)), flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=1500)
    parser.add_argument("--hits", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=200.0, help="hits per second offered")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
