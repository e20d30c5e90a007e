"""A job seeker on a phone-sized screen: register (with the htmx region picker), upload a
CV, apply to a vacancy of an open fair and follow the application — in real Chromium
against a real uvicorn server, through Playwright."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import factories
import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, require_browser, serve

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.settings import Settings

pytestmark = pytest.mark.browser


async def _prepare(settings: Settings) -> int:
    ctx = AppContext.create(settings)
    try:
        await upgrade(ctx.engine)
        async with ctx.unit_of_work() as session:
            fair = await factories.fair(
                session, slug="bursa-hp", opens_at=datetime.now(UTC) - timedelta(days=1)
            )
            company = await factories.company(session, slug="pt-kebun", name="PT Kebun Asahan")
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
            return vacancy.id
    finally:
        await ctx.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    require_browser()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'browser.sqlite3'}",
        secret_key="browser-test-secret",
        nik_key="browser-test-nik-key",
        data_dir=tmp_path / "data",
    )
    result: dict[str, int] = {}
    # Its own thread and loop: the test itself is synchronous (Playwright's sync API).
    prepare = threading.Thread(target=lambda: result.update(v=asyncio.run(_prepare(settings))))
    prepare.start()
    prepare.join()
    with serve(settings) as base:
        yield base, result["v"]


def test_register_upload_apply_and_follow_on_a_phone(
    live_server: tuple[str, int], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, vacancy_id = live_server
    cv = tmp_path / "CV Budi.pdf"
    cv.write_bytes(factories.pdf_bytes())
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        # A CSP violation or a script error shows up here.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

        page.goto(f"{base}/register?lang=en")
        page.fill("#nik", factories.MAN_NIK)
        page.fill("#full_name", "Budi Santoso")
        page.check("input[name=sex][value=L]")
        page.fill("#birth_date", "1999-08-15")
        # The province picks the regency list (htmx swaps the options in).
        page.select_option("#ktp_province", "12")
        expect(page.locator("#ktp_regency_code option[value='12.09']")).to_have_count(1)
        page.select_option("#ktp_regency_code", "12.09")
        page.select_option("#domicile_province", "12")
        expect(page.locator("#domicile_regency_code option[value='12.74']")).to_have_count(1)
        page.select_option("#domicile_regency_code", "12.74")
        page.select_option("#education_level", "SMK")
        page.fill("#email", "budi@example.test")
        page.fill("#password", factories.PASSWORD)
        page.check("#consent")
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page).to_have_url(f"{base}/me?welcome=1")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Budi Santoso")

        page.set_input_files("#file", str(cv))
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.get_by_text("Your CV has been uploaded.")).to_be_visible()
        expect(page.get_by_role("link", name="CV Budi.pdf")).to_be_visible()

        page.goto(f"{base}/fairs/bursa-hp/vacancies/{vacancy_id}")
        page.get_by_role("button", name="Apply for this vacancy").click()
        expect(page.get_by_text("Your application has been sent.")).to_be_visible()
        expect(page.locator("strong.status")).to_have_text("Sent")

        page.get_by_role("link", name="My applications").first.click()
        expect(page.get_by_role("link", name="Mandor Panen")).to_be_visible()
        # Nothing is wider than the phone's screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        browser.close()
    assert problems == []
