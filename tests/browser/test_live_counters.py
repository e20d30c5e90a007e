"""Live counters in real Chromium: the organiser's dashboard (desktop) and a booth page
(phone) change while applications arrive through the API, without a reload — with one
process, and with two processes behind Redis (the dashboard on one, the applications
sent to the other)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.live_server import CHROMIUM, CHROMIUM_ARGS, require_browser, serve
from support.live_world import World, build_world, process_environment, web_process

from jobfair.settings import Settings
from jobfair.web.auth import SESSION_COOKIE

pytestmark = pytest.mark.browser


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite3'}",
        secret_key="browser-test-secret",
        nik_key="browser-test-nik-key",
        data_dir=tmp_path / "data",
        sweep_seconds=0,
    )


def _world(settings: Settings) -> World:
    built: list[World] = []
    thread = threading.Thread(target=lambda: built.append(asyncio.run(build_world(settings))))
    thread.start()
    thread.join()
    return built[0]


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[str, str, World]]:
    """One process serves everything, as the Procfile runs it (no per-message
    compression: frames take the live layer's broadcast path, jobfair.live.wire)."""
    require_browser()
    settings = _settings(tmp_path)
    world = _world(settings)
    with serve(settings, ws_per_message_deflate=False) as base:
        yield base, base, world


@pytest.fixture
def two_processes(tmp_path: Path, redis_url: str) -> Iterator[tuple[str, str, World]]:
    """Two web processes behind one Redis: pages from B, applications sent to A."""
    require_browser()
    settings = _settings(tmp_path)
    world = _world(settings)
    env = process_environment(settings, redis_url, f"browser-{tmp_path.name}")
    with web_process(env) as process_a, web_process(env) as process_b:
        yield process_b, process_a, world


@pytest.fixture(params=["one process", pytest.param("two processes", marks=pytest.mark.redis)])
def site(request: pytest.FixtureRequest) -> tuple[str, str, World]:
    fixture = "live_site" if request.param == "one process" else "two_processes"
    return request.getfixturevalue(fixture)


def _apply(base: str, world: World, applicant: int, vacancy: int) -> None:
    response = httpx.post(
        f"{base}/api/v1/vacancies/{world.vacancy_ids[vacancy]}/applications",
        headers={"Authorization": f"Bearer {world.applicant_tokens[applicant]}"},
    )
    assert response.status_code == 201, response.text


def test_counters_change_while_applications_arrive(site: tuple[str, str, World]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, api, world = site
    problems: list[str] = []
    with sync_playwright() as playwright:
        # Two browsers, as two people have: in one browser only the front page is
        # visible, and hx-ws pauses hidden pages (a phone's battery matters).
        organiser_browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        applicant_browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop = organiser_browser.new_context(viewport={"width": 1280, "height": 900})
        name, _, value = world.organiser_cookie.partition("=")
        assert name == SESSION_COOKIE
        desktop.add_cookies([{"name": name, "value": value, "url": base}])
        dashboard = desktop.new_page()
        phone = applicant_browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        ).new_page()
        for page in (dashboard, phone):
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))

        dashboard.goto(f"{base}/organiser/fairs/{world.fair_slug}/live?lang=en")
        applications = dashboard.locator("#organiser-live [data-counter=applications]")
        expect(applications).to_have_text("0")
        phone.goto(f"{base}/fairs/{world.fair_slug}/booths/{world.company_slug}?lang=en")
        booth = phone.locator(f"#booth-counters-{world.booth_id}")
        # The phone's own connection makes it one person in the booth; the dashboard,
        # connected to the same fair, sees the visitor arrive.
        expect(booth).to_contain_text("1 person in this booth now")
        expect(dashboard.locator("#organiser-live [data-counter=online]")).to_have_text("1")

        _apply(api, world, 0, 0)
        expect(applications).to_have_text("1")
        expect(booth).to_contain_text("1 application")
        _apply(api, world, 1, 1)
        _apply(api, world, 2, 1)
        expect(applications).to_have_text("3")
        expect(booth).to_contain_text("3 applications")
        expect(dashboard.locator("#organiser-live [data-counter=unreviewed]")).to_have_text("3")
        # Every vacancy now has an application.
        expect(dashboard.get_by_text("Every vacancy has at least one application.")).to_be_visible()

        # The page was never reloaded: the same document got the updates.
        assert dashboard.evaluate("performance.getEntriesByType('navigation').length") == 1
        organiser_browser.close()
        applicant_browser.close()
    assert problems == []
