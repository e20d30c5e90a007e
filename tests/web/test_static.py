"""The vendored htmx is the pinned npm release, and static files are served."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import httpx
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.web.templating import HTMX_VERSION

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_vendored_htmx_matches_its_checksums() -> None:
    folder = STATIC / f"vendor/htmx-{HTMX_VERSION}"
    assert (folder / "LICENSE").is_file()
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert lines
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert f'version:"{HTMX_VERSION}"' in (folder / "htmx.min.js").read_text() or (
        HTMX_VERSION in (folder / "htmx.min.js").read_text()
    )


async def test_static_files_are_served(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/static/vendor/htmx-{HTMX_VERSION}/htmx.min.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    css = await client.get("/static/css/app.css")
    assert css.status_code == 200 and "--brand" in css.text
    assert (await client.get("/static/../pyproject.toml")).status_code == 404


async def test_pages_reference_versioned_assets(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    assert f"/static/vendor/htmx-{HTMX_VERSION}/htmx.min.js?v=" in html
    assert "/static/css/app.css?v=" in html


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not used",
        "mail": {"failed": 0, "unsent_oldest_minutes": 0},
    }


async def test_health_reports_failed_and_waiting_mail(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    async with ctx.unit_of_work() as session:
        for n, (age, sent, failed) in enumerate(
            [(200, True, False), (90, False, False), (30, False, False), (500, False, True)]
        ):
            session.add(
                Outbox(
                    dedupe_key=f"health:{n}",
                    to_address="ani@example.test",
                    subject="Halo",
                    template="text",
                    payload={},
                    created_at=clock.now - timedelta(minutes=age),
                    sent_at=clock.now if sent else None,
                    failed_at=clock.now if failed else None,
                )
            )
    body = (await client.get("/healthz")).json()
    # The oldest still owed is 90 minutes old: sent and failed mail are not waiting.
    assert body["mail"] == {"failed": 1, "unsent_oldest_minutes": 90}
    assert body["status"] == "ok" and body["database"] == "ok"
