"""Absolute links (e-mails, share links): in development they name the address the
site was reached by (``jobfair demo --port 8123`` never mails ``:8000`` links); in
production always the configured public URL, whatever ``Host`` a request claims."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from support.browsing import form_token
from support.clock import Clock

from jobfair import cli
from jobfair.app import create_app
from jobfair.demo import DemoLogins
from jobfair.models import Outbox, User
from jobfair.settings import DEFAULT_BASE_URL, Settings


async def _reset_mail(app: Starlette, client: httpx.AsyncClient) -> str:
    async with app.state.ctx.unit_of_work() as session:
        session.add(
            User(
                email="ani@example.test",
                password_hash="not-a-real-hash",
                role="applicant",
                full_name="Ani",
            )
        )
    token = await form_token(client, "/password/forgot")
    sent = await client.post(
        "/password/forgot", data={"email": "ani@example.test", "csrf_token": token}
    )
    assert sent.status_code == 200
    async with app.state.ctx.read() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None
    return str(row.payload["body"])


async def test_development_links_name_the_address_reached(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://192.168.1.20:8123") as c:
        body = await _reset_mail(app, c)
    assert "http://192.168.1.20:8123/password/reset?token=" in body
    assert ":8000" not in body


@pytest.fixture
async def production_app(settings: Settings, clock: Clock) -> AsyncIterator[Starlette]:
    public = settings.with_overrides(
        environment="production", base_url="https://bursakerja.example"
    )
    application = create_app(public, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


async def test_production_links_never_trust_the_host_header(production_app: Starlette) -> None:
    transport = httpx.ASGITransport(app=production_app)
    # A request claiming another host (https, so the browser-like client keeps the
    # production cookies): the mailed link still names the public address.
    async with httpx.AsyncClient(transport=transport, base_url="https://evil.example") as c:
        body = await _reset_mail(production_app, c)
    assert "https://bursakerja.example/password/reset?token=" in body
    assert "evil.example" not in body


def test_served_at_points_development_links_at_the_listening_port() -> None:
    development = Settings()
    assert development.base_url == DEFAULT_BASE_URL
    assert development.served_at("127.0.0.1", 8123).base_url == "http://127.0.0.1:8123"
    # A wildcard address is no place to send a browser: links name this machine.
    assert development.served_at("0.0.0.0", 8123).base_url == "http://127.0.0.1:8123"  # noqa: S104
    assert development.served_at("::", 9000).base_url == "http://127.0.0.1:9000"
    assert development.served_at("::1", 9000).base_url == "http://[::1]:9000"
    assert development.served_at("localhost", 8000).base_url == "http://localhost:8000"
    # A base URL that was set is the operator's word, even in development.
    tunnel = Settings(base_url="https://demo.example")
    assert tunnel.served_at("127.0.0.1", 8123).base_url == "https://demo.example"
    production = Settings(
        environment="production",
        secret_key="k" * 32,
        nik_key="n" * 32,
        base_url="https://bursakerja.example",
    )
    assert production.served_at("0.0.0.0", 8123).base_url == "https://bursakerja.example"  # noqa: S104


def test_jobfair_demo_port_is_where_links_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JOBFAIR_BASE_URL", raising=False)
    prepared: list[Settings] = []
    served: list[tuple[Settings, str, int]] = []

    async def prepare(settings: Settings) -> DemoLogins:
        prepared.append(settings)
        return DemoLogins(fair_slug="bursa-demo")

    monkeypatch.setattr("jobfair.demo.prepare_demo", prepare)
    monkeypatch.setattr(cli, "_serve", lambda s, host, port: served.append((s, host, port)))
    assert cli.main(["demo", "--port", "8123"]) == 0
    assert prepared[0].base_url == "http://127.0.0.1:8123"
    assert [(s.base_url, host, port) for s, host, port in served] == [
        ("http://127.0.0.1:8123", "127.0.0.1", 8123)
    ]
    assert "Fair page: http://127.0.0.1:8123/fairs/bursa-demo" in capsys.readouterr().out


def test_jobfair_serve_in_production_keeps_the_public_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_ENVIRONMENT", "production")
    monkeypatch.setenv("JOBFAIR_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("JOBFAIR_NIK_KEY", "n" * 32)
    monkeypatch.setenv("JOBFAIR_BASE_URL", "https://bursakerja.example")
    served: list[str] = []
    monkeypatch.setattr(cli, "_serve", lambda s, host, port: served.append(s.base_url))
    assert cli.main(["serve", "--port", "8123", "--no-upgrade"]) == 0
    assert served == ["https://bursakerja.example"]
