"""An admin on a phone (360×740) finds the failed e-mail from the console, reads the
list in Indonesian and English, and sends one again with the keyboard. Nothing scrolls
sideways; no console error; axe-core finds no violation."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import factories
from support.browser_scene import Scene, axe_context, axe_violations, describe, run_async, watch
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.context import AppContext
from jobfair.models import Outbox

pytestmark = pytest.mark.browser
ADMIN = "admin@disnaker.test"
# Set JOBFAIR_SCREENSHOTS=<folder> to keep a picture of each page (for a human to look at).
SHOTS = os.environ.get("JOBFAIR_SCREENSHOTS")


def _failed_mail(scene: Scene) -> None:
    async def make() -> None:
        ctx = AppContext.create(scene.settings)
        now = datetime.now(UTC)
        try:
            async with ctx.unit_of_work() as session:
                office = await factories.office(session)
                await factories.organiser(session, office_row=office, email=ADMIN, role="admin")
                for n, (address, reason) in enumerate(
                    [
                        (
                            "siti.rahmawati.panjang.sekali@contoh-surel-sangat-panjang.co.id",
                            "SMTPRecipientsRefused: 550 5.1.1 <s***@contoh-surel-sangat-"
                            "panjang.co.id>: Recipient address rejected: User unknown in "
                            "virtual mailbox table",
                        ),
                        ("budi@example.test", "ConnectionRefusedError: Connection refused"),
                    ]
                ):
                    session.add(
                        Outbox(
                            dedupe_key=f"browser:{n}",
                            to_address=address,
                            subject=f"Keputusan lamaran Anda untuk Mandor Panen Kebun {n}",
                            template="text",
                            payload={"body": "Halo"},
                            attempts=14,
                            created_at=now - timedelta(days=3, hours=2),
                            failed_at=now - timedelta(hours=n + 1),
                            last_error=reason,
                        )
                    )
        finally:
            await ctx.close()

    run_async(make)


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is wider than the phone: {width}px"


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_an_admin_sends_failed_mail_again_on_a_phone(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    _failed_mail(scene)
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = axe_context(browser, "phone")
    watch(context, problems)
    page = context.new_page()
    page.goto(scene.url("/login?lang=id"))
    page.fill("#login", ADMIN)
    page.fill("#password", factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(scene.url("/organiser"))
    page.get_by_role("link", name="Email gagal").first.click()
    expect(page).to_have_url(scene.url("/organiser/mail"))
    expect(page.get_by_role("heading", name="Email gagal", level=1)).to_be_visible()
    expect(page.get_by_text("s***@contoh-surel-sangat-panjang.co.id", exact=True)).to_be_visible()
    expect(page.get_by_text("siti.rahmawati")).to_have_count(0)
    _fits(page)
    _shot(page, "mail-id")
    assert axe_violations(page) == [], describe(axe_violations(page))

    page.goto(scene.url("/organiser/mail?lang=en"))
    expect(page.get_by_role("heading", name="Failed e-mail", level=1)).to_be_visible()
    _fits(page)
    _shot(page, "mail-en")
    send = page.get_by_role(
        "button",
        name="Send again: Keputusan lamaran Anda untuk Mandor Panen Kebun 0 to "
        "s***@contoh-surel-sangat-panjang.co.id",
    )
    send.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The e-mail is being sent again.")
    expect(page.get_by_role("button", name="Send again")).to_have_count(1)
    _fits(page)
    _shot(page, "mail-en-sent")
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert problems == []
    browser.close()
