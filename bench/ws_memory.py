"""Where the product's memory per idle websocket goes: the Python heap allocated for N
idle ``/ws/fairs/{slug}?format=json`` connections (tracemalloc, snapshot before and
after connecting them), per connection, by file and by line.

The product runs in this process (uvicorn, ``ws_per_message_deflate=False`` as in the
Procfile) on a throw-away SQLite database; the clients (plain ``websockets`` clients)
in a child process. Traced heap is not RSS (no allocator overhead, no fragmentation):
``bench/fanout.py`` measures RSS; this says what the heap holds. Run from the
repository root:

    .venv/bin/python bench/ws_memory.py [--clients 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import uvicorn
from loadgen import NIK_KEY, ROOT, SECRET_KEY, free_port

from jobfair.app import create_app
from jobfair.settings import Settings

sys.path.insert(0, str(ROOT / "tests"))

CLIENT = r"""
import asyncio, sys
from websockets.asyncio.client import connect

async def main(url, n):
    sockets = []
    for _ in range(n):
        socket = await connect(url, compression=None)
        await socket.recv()
        sockets.append(socket)
    print("connected", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def clients(url: str, count: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CLIENT, url, str(count), stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    await process.stdout.readline()
    return process


async def main(count: int) -> None:
    from support.live_world import build_world

    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp / 'memory.sqlite3'}",
            secret_key=SECRET_KEY,
            nik_key=NIK_KEY,
            data_dir=tmp / "data",
            sweep_seconds=0,
            live_sockets_per_address=count + 100,
        )
        world = await build_world(settings, applicants=2, vacancies=1)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                ws_per_message_deflate=False,
            )
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn offers nothing to await
            await asyncio.sleep(0.05)
        url = f"ws://127.0.0.1:{port}/ws/fairs/{world.fair_slug}?format=json"
        warm = await clients(url, 20)  # imports, caches and pools before the first snapshot
        tracemalloc.start(12)
        before = tracemalloc.take_snapshot()
        measured = await clients(url, count)
        await asyncio.sleep(1)
        after = tracemalloc.take_snapshot()
        by_file = after.compare_to(before, "filename")
        total = sum(stat.size_diff for stat in by_file)
        print(f"traced heap: {total / count / 1024:.2f} KiB per connection ({count} clients)")
        for stat in by_file[:20]:
            name = stat.traceback[0].filename.split("site-packages/")[-1]
            print(f"{stat.size_diff / count:8.0f} B {stat.count_diff / count:6.1f} blocks  {name}")
        print("by line:")
        for stat in after.compare_to(before, "lineno")[:25]:
            frame = stat.traceback[0]
            name = frame.filename.split("site-packages/")[-1]
            print(f"{stat.size_diff / count:8.0f} B  {name}:{frame.lineno}")
        for process in (warm, measured):
            process.kill()
            await process.wait()
        server.should_exit = True
        await serving


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    asyncio.run(main(parser.parse_args().clients))
