"""A recruiter in real Chromium: filter the table (htmx swaps it), select applications
with the keyboard and mouse, stage a decision, send the decisions and undo."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import factories
import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, require_browser, serve

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.models import User
from jobfair.settings import Settings

pytestmark = pytest.mark.browser


async def _prepare(settings: Settings) -> None:
    ctx = AppContext.create(settings)
    try:
        await upgrade(ctx.engine)
        async with ctx.unit_of_work() as session:
            fair = await factories.fair(session, opens_at=datetime.now(UTC) - timedelta(days=1))
            company = await factories.company(session, name="PT Kebun Asahan")
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
            await factories.recruiter(session, company_row=company, email="hrd@kebun.test")
            for name in ("Budi Santoso", "Citra Lestari", "Dewi Anggraini"):
                person = await factories.applicant(session, vault=ctx.nik_vault)
                user = await session.get(User, person.user_id)
                assert user is not None
                user.full_name = name
                await factories.application(session, vacancy_row=vacancy, applicant_row=person)
    finally:
        await ctx.close()


@pytest.fixture
def company_server(tmp_path: Path) -> Iterator[str]:
    require_browser()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'company.sqlite3'}",
        secret_key="browser-test-secret",
        nik_key="browser-test-nik-key",
        data_dir=tmp_path / "data",
        sweep_seconds=0,
    )
    thread = threading.Thread(target=lambda: asyncio.run(_prepare(settings)))
    thread.start()
    thread.join()
    with serve(settings) as base:
        yield base


def test_filter_stage_send_and_undo(company_server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = company_server
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 800})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{base}/login?lang=en")
        page.fill("#login", "hrd@kebun.test")
        page.fill("#password", factories.PASSWORD)
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{base}/company")
        page.goto(f"{base}/company/applications")
        expect(page.get_by_text("3 applications")).to_be_visible()
        page.get_by_text("Filter and export").click()
        # Typing filters the table in place (htmx), and the address follows.
        page.fill("#f-q", "citra")
        expect(page.get_by_text("1 application", exact=True)).to_be_visible()
        expect(page).to_have_url(re.compile(r"/company/applications\?q=citra"))
        page.get_by_label("Select Citra Lestari").check()
        page.select_option("#bulk-status", "shortlisted")
        page.get_by_role("button", name="Stage").click()
        expect(page.get_by_text("1 staged")).to_be_visible()
        page.get_by_role("button", name="Send decisions").click()
        expect(page.get_by_role("button", name="Undo")).to_be_visible()
        page.get_by_role("button", name="Undo").click()
        expect(page.get_by_role("button", name="Send decisions")).to_be_visible()
        browser.close()
    assert problems == []
