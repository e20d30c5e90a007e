"""PostgreSQL away: every request answers 503 with ``Retry-After`` (JSON under /api, a
page elsewhere), never a 500; ``/healthz`` names the dependency that is down; the
connection stays usable for the next request."""

from __future__ import annotations

import http.client as http_client

import httpx
import pytest
from support.live_server import free_port, serve

from jobfair.settings import Settings
from jobfair.web.auth import SESSION_COOKIE, session_signer


@pytest.fixture
def unreachable(settings: Settings) -> Settings:
    # A port nobody listens on: what a stopped PostgreSQL looks like to the driver.
    return settings.with_overrides(
        database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/gone"
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_database_that_is_down_is_a_503_not_a_500(unreachable: Settings) -> None:
    with serve(unreachable) as base, httpx.Client(base_url=base) as http:
        page = http.get("/")
        assert page.status_code == 503, page.text[:300]
        assert page.headers["retry-after"] == "5"
        assert "text/html" in page.headers["content-type"]
        assert "Traceback" not in page.text and "gone" not in page.text
        api = http.get("/api/v1/fairs")
        assert api.status_code == 503
        assert api.json()["error"]["code"] == "unavailable"
        # Signed-in traffic fails at the session lookup, before any route: still a 503.
        signed = session_signer(unreachable.secret_key).sign("some-session").decode()
        cookie = http.get("/me", cookies={SESSION_COOKIE: signed})
        assert cookie.status_code == 503
        health = http.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {
            "status": "down",
            "database": "down",
            "redis": "not used",
            "mail": None,
        }
    # The server answered and kept the connection: a re-raised error made it close it.
    with serve(unreachable) as base:
        connection = http_client.HTTPConnection(base.removeprefix("http://"), timeout=10)
        connection.request("GET", "/api/v1/fairs")
        first = connection.getresponse()
        first.read()
        socket_used = connection.sock
        assert first.status == 503 and not first.will_close
        connection.request("GET", "/")
        second = connection.getresponse()
        second.read()
        assert second.status == 503 and connection.sock is socket_used
        connection.close()
