"""A recruiter in real Chromium: filter the table (htmx swaps it), select applications
with the keyboard and mouse, stage a decision, send the decisions and undo."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import factories
from support.live_server import CHROMIUM, CHROMIUM_ARGS, require_browser, serve

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


def test_choosing_a_bulk_status_keeps_the_ticks_and_the_filters(company_server: str) -> None:
    """The bug this guards: choosing a value in the bulk "New status" list re-submitted
    the filter form, so the table reloaded, the ticks were cleared and ``pending=1`` was
    dropped; a recruiter who ticked again staged someone else. Statuses were in
    alphabetical order with "hired" preselected."""
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
        # Nothing preselected; the company's statuses in pipeline order.
        expect(page.locator("#bulk-status")).to_have_value("")
        options = page.locator("#bulk-status option").evaluate_all("os => os.map(o => o.value)")
        assert options == [
            "",
            "reviewed",
            "shortlisted",
            "interview",
            "offered",
            "hired",
            "rejected",
        ]
        # Stage Dewi as seen, then work on the staged ones only (pending=1).
        page.get_by_label("Select Dewi Anggraini").check()
        page.select_option("#bulk-status", "reviewed")
        page.get_by_role("button", name="Stage", exact=True).click()
        expect(page.get_by_text("1 staged")).to_be_visible()
        page.goto(f"{base}/company/applications?pending=1")
        expect(page.get_by_text("1 application", exact=True)).to_be_visible()
        page.get_by_label("Select Dewi Anggraini").check()
        page.select_option("#bulk-status", "rejected")
        page.wait_for_timeout(800)  # time for an htmx swap, had one been triggered
        expect(page.get_by_label("Select Dewi Anggraini")).to_be_checked()
        expect(page).to_have_url(f"{base}/company/applications?pending=1")
        expect(page.get_by_text("1 application", exact=True)).to_be_visible()
        expect(page.locator("#bulk-status")).to_have_value("rejected")
        page.get_by_role("button", name="Stage", exact=True).click()
        expect(page).to_have_url(re.compile(r"/company/applications\?pending=1&notice="))
        row = page.locator("tr", has_text="Dewi Anggraini")
        expect(row).to_contain_text("Not selected")
        expect(page.locator("tr", has_text="Budi Santoso")).to_have_count(0)
        # A hire asks first and names who it is; the draft can then be discarded.
        page.goto(f"{base}/company/applications")
        page.get_by_label("Select Budi Santoso").check()
        page.select_option("#bulk-status", "hired")
        page.get_by_role("button", name="Stage", exact=True).click()
        expect(page.get_by_role("heading", name="Confirm the change")).to_be_visible()
        expect(page.locator(".confirm-list")).to_contain_text("Budi Santoso")
        expect(page.locator(".confirm-list")).not_to_contain_text("Citra")
        page.get_by_role("button", name="Yes, stage them").click()
        expect(page.locator("tr", has_text="Budi Santoso")).to_contain_text("Hired")
        page.get_by_role("button", name="Discard the staged decision: Budi Santoso").click()
        expect(page.get_by_text("1 staged decision discarded.")).to_be_visible()
        expect(page.locator("tr", has_text="Budi Santoso")).to_contain_text("Sent")
        browser.close()
    assert problems == []


def _sign_in(page: object, base: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/login?lang=en")
    page.fill("#login", "hrd@kebun.test")
    page.fill("#password", factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/company")


def test_select_all_and_a_bulk_decision_keep_the_filters(company_server: str) -> None:
    """Select all on the page (a small script; without it each row's box still works),
    stage, send: the table comes back with its keyword and sort each time. The bulk bar
    stays in view on a short phone screen (position: sticky)."""
    from playwright.sync_api import expect, sync_playwright

    base = company_server
    problems: list[str] = []
    table = f"{base}/company/applications?q=s&sort=-name"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 500})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        _sign_in(page, base)
        page.goto(table)
        # "s": Citra Lestari and Budi Santoso, by name from Z to A.
        expect(page.get_by_text("2 applications", exact=True)).to_be_visible()
        names = page.locator("tbody tr td:nth-child(2) a").all_inner_texts()
        assert names == ["Citra Lestari", "Budi Santoso"]
        expect(page.locator("th[aria-sort=descending]")).to_have_text("Name ▼")
        bar = page.locator("#bulk-bar")
        # On a phone the bar is held in view only once something is ticked.
        assert bar.evaluate("e => getComputedStyle(e).position") == "static"
        page.get_by_label("Select Citra Lestari").check()
        assert bar.evaluate("e => getComputedStyle(e).position") == "sticky"
        # The table's top at the top of the screen: the bar, whose place in the page is
        # below the screen's bottom, is held at the bottom edge.
        page.locator("table.screening").evaluate("e => e.scrollIntoView()")
        held, free, height = bar.evaluate(
            """e => { const held = e.getBoundingClientRect().bottom;
                      e.style.position = "static";
                      const free = e.getBoundingClientRect().bottom;
                      e.style.position = "";
                      return [held, free, window.innerHeight]; }"""
        )
        assert held <= height < free, (held, free, height)
        expect(bar).to_be_in_viewport()
        select_all = page.get_by_label("Select all on this page")
        expect(select_all).to_be_visible()
        select_all.check()
        expect(page.get_by_label("Select Citra Lestari")).to_be_checked()
        expect(page.get_by_label("Select Budi Santoso")).to_be_checked()
        page.get_by_label("Select Budi Santoso").uncheck()
        assert select_all.evaluate("e => e.indeterminate") is True
        select_all.check()
        page.select_option("#bulk-status", "reviewed")
        page.get_by_role("button", name="Stage", exact=True).click()
        expect(page).to_have_url(re.compile(r"/company/applications\?q=s&sort=-name&notice="))
        expect(page.get_by_text("2 staged")).to_be_visible()
        page.get_by_role("button", name="Send decisions").click()
        expect(page).to_have_url(table)
        expect(page.get_by_role("button", name="Undo")).to_be_visible()
        expect(page.locator("#f-q")).to_have_value("s")
        page.get_by_role("button", name="Undo").click()
        expect(page).to_have_url(table)
        # Next/previous on the application page follow the same order.
        page.get_by_role("link", name="Citra Lestari").click()
        expect(page.get_by_text("1 of 2")).to_be_visible()
        page.get_by_role("link", name="Next applicant").click()
        expect(page.get_by_role("heading", name="Budi Santoso")).to_be_visible()
        page.get_by_role("link", name="Applications", exact=True).click()
        expect(page).to_have_url(table)
        browser.close()
        # Without JavaScript the select-all box is hidden; each row's box still works.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        plain = context.new_page()
        _sign_in(plain, base)
        plain.goto(table)
        expect(plain.locator("input[data-select-all]")).to_be_hidden()
        plain.get_by_label("Select Budi Santoso").check()
        expect(plain.get_by_label("Select Budi Santoso")).to_be_checked()
        browser.close()
    assert problems == []
