"""Benchmark: public read paths of the demo fair, served in-process (no network).

Builds the demo database in a temporary directory, then times repeated requests to
the fair page, the booth grid with a filter, a vacancy page and the JSON API. Prints
the median and 95th percentile per path. Run: ``.venv/bin/python bench/public_read.py``.
Numbers depend on the machine; compare runs on the same one.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from jobfair.app import create_app
from jobfair.demo import prepare_demo
from jobfair.settings import Settings

ROUNDS = 200


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(
            {
                "JOBFAIR_DATA_DIR": tmp,
                "JOBFAIR_DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}",
            }
        )
        logins = await prepare_demo(settings)
        slug = logins.fair_slug
        app = create_app(settings)
        paths = [
            f"/fairs/{slug}",
            f"/fairs/{slug}?sector=C&education=SMK",
            f"/fairs/{slug}/vacancies?q=operator",
            "/api/v1/fairs",
            f"/api/v1/fairs/{slug}/vacancies?education=SMA",
        ]
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for path in paths:
                    timings = []
                    for _ in range(ROUNDS):
                        started = time.perf_counter()
                        response = await client.get(path)
                        timings.append((time.perf_counter() - started) * 1000)
                        response.raise_for_status()
                    timings.sort()
                    p95 = timings[int(len(timings) * 0.95) - 1]
                    print(
                        f"{path:55s} median {statistics.median(timings):6.1f} ms"
                        f"  p95 {p95:6.1f} ms  ({len(response.content)} bytes)"
                    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
