"""Profile of the apply path (issue 14 item 2): the product's ASGI application driven
in-process (httpx's ASGI transport, no sockets, no uvicorn) with ``--concurrency``
requests in flight, under pyinstrument (a bench-only tool: ``pip install pyinstrument``
into the venv, it is no dependency of the project).

Prints the wall and CPU time per apply (the CPU of the whole process: the client, the
app and aiosqlite's thread; steadier than the wall time on a shared machine) and
pyinstrument's text tree (frames under
``--min-percent`` hidden); ``--html FILE`` also writes the interactive tree. The
population is ``apply.py``'s. Run from the repository root:

    .venv/bin/python bench/profile_apply.py [--path api|form] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
from apply import calls_for, populate
from loadgen import analyze, database, jobfair_env
from pyinstrument import Profiler

from jobfair.app import create_app
from jobfair.settings import Settings


async def run(args: argparse.Namespace, tmp: Path) -> None:
    async with database(args.postgres, tmp, "profile") as url:
        per_group = -(-(args.requests + args.warmup) // 30)
        population = await populate(url, {args.path: per_group})
        await analyze(url)
        calls = calls_for(args.path, population)[: args.requests + args.warmup]
        os.environ.update(jobfair_env(url, tmp / "data"))
        app = create_app(Settings.from_env())
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                queue = iter(calls)
                statuses: dict[int, int] = {}

                async def worker() -> None:
                    for call in queue:
                        response = await client.request(
                            call.method, call.path, headers=call.headers, data=call.data
                        )
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

                warm = iter(calls[: args.warmup])
                for call in warm:
                    await client.request(
                        call.method, call.path, headers=call.headers, data=call.data
                    )
                queue = iter(calls[args.warmup :])
                profiler = Profiler(interval=0.0005, async_mode="disabled")
                started, cpu_started = time.perf_counter(), time.process_time()
                if args.profile:
                    profiler.start()
                await asyncio.gather(*(worker() for _ in range(args.concurrency)))
                if args.profile:
                    profiler.stop()
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
        print(
            f"{args.path} on {url.split(':')[0]}: {args.requests} applies in {elapsed:.2f} s, "
            f"{elapsed / args.requests * 1000:.2f} ms wall each, {args.requests / elapsed:.1f}/s, "
            f"{cpu / args.requests * 1000:.2f} ms CPU each (the process, client included), "
            f"statuses {statuses}",
            flush=True,
        )
        if args.profile:
            print(profiler.output_text(unicode=False, color=False, show_all=False))
            if args.html:
                Path(args.html).write_text(profiler.output_html())  # noqa: ASYNC240 - after the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", choices=["api", "form"], default="api")
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--html", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
