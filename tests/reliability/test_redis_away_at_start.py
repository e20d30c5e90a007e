"""A web process starts while Redis is away, serves from the database, says so on
``/healthz``, and keeps accepting writes (their tasks wait for the sweep)."""

from __future__ import annotations

import time

import httpx
import pytest
from support import factories
from support.live_server import free_port, serve

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.settings import Settings


async def _seed(settings: Settings) -> str:
    ctx = AppContext.create(settings)
    try:
        await upgrade(ctx.engine)
        async with ctx.unit_of_work() as session:
            fair = await factories.fair(session)
            return fair.slug
    finally:
        await ctx.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_web_starts_and_serves_without_redis(settings: Settings) -> None:
    slug = await _seed(settings)
    away = settings.with_overrides(
        redis_url=f"redis://127.0.0.1:{free_port()}/0", in_process_worker=False
    )
    started = time.monotonic()
    with serve(away) as base:
        # It used to fail after 9.9 s: arq's pool retried and gave up during start-up.
        assert time.monotonic() - started < 8
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            assert (await http.get("/")).status_code == 200
            assert (await http.get(f"/api/v1/fairs/{slug}")).status_code == 200
            health = await http.get("/healthz")
            assert health.status_code == 200
            assert health.json() == {
                "status": "degraded",
                "database": "ok",
                "redis": "down",
                "mail": {"failed": 0, "unsent_oldest_minutes": 0},
            }
            # A write whose task cannot be queued still succeeds: the database holds it.
            registered = await http.post("/api/v1/applicants", json=factories.registration())
            assert registered.status_code == 201, registered.text
