"""A hiring drive in the browser: an organiser at a desktop creates a drive (the regency
picker adds a second regency), links the fair and adds the partner, and sees progress;
the partner's recruiter reports a direct placement on a phone (360×740); the applicant
confirms it; the organiser then reads "1 of 3,000". Nothing scrolls sideways on the
phone; no console error; axe-core finds no violation on the drive's pages."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from support.browser_scene import (
    APPLICANT_EMAIL,
    ORGANISER_EMAIL,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    axe_context,
    axe_violations,
    describe,
    sign_in,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
# Set JOBFAIR_SCREENSHOTS=<folder> to keep a picture of each page (for a human to look at).
SHOTS = os.environ.get("JOBFAIR_SCREENSHOTS")
NAME = "Gerakan Warga Bekasi Bekerja 2026"


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page: Any, width: int) -> None:
    measured = page.evaluate("document.documentElement.scrollWidth")
    assert measured <= width, f"{page.url} is wider than {width}px: {measured}px"


def test_an_organiser_creates_a_drive_and_sees_progress(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    # The organiser, at a desktop.
    desk = axe_context(browser, "desktop")
    watch(desk, problems)
    page = desk.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)
    page.goto(scene.url("/organiser?lang=en"))
    page.get_by_role("link", name="Hiring drives").first.click()
    expect(page.get_by_role("heading", name="Hiring drives", level=1)).to_be_visible()
    page.get_by_role("link", name="Create a drive").click()
    page.fill("#name", NAME)
    page.fill("#first_day", scene_day(-3))
    page.fill("#last_day", scene_day(57))
    page.fill("#target", "3000")
    # The office's regency is chosen to start with; add Kota Bekasi through the picker.
    expect(page.get_by_role("checkbox", name="Kabupaten Asahan (12.09)")).to_be_checked()
    page.select_option("#local_province", "32")
    expect(page.locator("#local_regency_code option[value='32.75']")).to_have_count(1)
    page.select_option("#local_regency_code", "32.75")
    page.get_by_role("button", name="Add this regency").click()
    expect(page.get_by_role("checkbox", name="Kota Bekasi (32.75)")).to_be_checked()
    _shot(page, "drive-form-en-desktop")
    page.get_by_role("button", name="Create the drive").click()
    expect(page.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The drive was created")
    page.get_by_role("button", name="Link Bursa Kerja").first.click()
    expect(page.get_by_text("Linked", exact=True)).to_be_visible()
    page.select_option("#company", label="PT Kebun Asahan")
    page.get_by_role("button", name="Add the partner").click()
    expect(page.locator("#progress-text")).to_have_text("0 of 3,000, 0%")
    expect(page.get_by_role("heading", name="Partners that have reported nothing")).to_be_visible()
    drive_url = page.url.split("?")[0]
    drive_id = drive_url.rsplit("/", 1)[1]
    assert axe_violations(page) == [], describe(axe_violations(page))
    _shot(page, "drive-en-desktop-empty")

    # The partner's recruiter, on a phone.
    phone = axe_context(browser, "phone")
    watch(phone, problems)
    hrd = phone.new_page()
    sign_in(hrd, scene.base, RECRUITER_EMAIL)
    hrd.goto(scene.url("/company/drives?lang=id"))
    hrd.get_by_role("link", name=re.compile(f"Laporkan penempatan.*{NAME}")).click()
    expect(hrd.get_by_role("heading", name="Laporkan penempatan", level=1)).to_be_visible()
    _fits(hrd, VIEWPORTS["phone"]["viewport"]["width"])
    _shot(hrd, "drive-report-id-phone")
    # Bad input first: the summary names the fields.
    hrd.get_by_role("button", name="Laporkan penempatannya").click()
    expect(hrd.locator(".error-summary")).to_be_visible()
    _fits(hrd, VIEWPORTS["phone"]["viewport"]["width"])
    _shot(hrd, "drive-report-id-phone-errors")
    assert axe_violations(hrd) == [], describe(axe_violations(hrd))
    hrd.goto(scene.url(f"/company/drives/{drive_id}/placements?lang=en"))
    hrd.fill("#who", APPLICANT_EMAIL)
    hrd.fill("#job_title", "Mandor Panen")
    hrd.fill("#start_date", scene_day(1))
    _fits(hrd, VIEWPORTS["phone"]["viewport"]["width"])
    _shot(hrd, "drive-report-en-phone")
    hrd.get_by_role("button", name="Report the placement").click()
    expect(hrd.get_by_role("status")).to_contain_text("The person is asked to confirm it")

    # The applicant confirms from the notification.
    own_phone = axe_context(browser, "phone")
    watch(own_phone, problems)
    me = own_phone.new_page()
    sign_in(me, scene.base, APPLICANT_EMAIL)
    me.goto(scene.url("/me/notifications?lang=en"))
    _shot(me, "notifications-en-phone")
    me.get_by_role("link", name=re.compile("Mandor Panen")).first.click()
    expect(me.get_by_role("heading", name="Your hire")).to_be_visible()
    _fits(me, VIEWPORTS["phone"]["viewport"]["width"])
    _shot(me, "direct-placement-en-phone")
    me.get_by_role("button", name="Yes, I was hired").click()
    expect(me.get_by_text("You confirmed this hire. Congratulations!")).to_be_visible()

    # Back at the desk: one person placed, local, from a direct placement.
    page.goto(drive_url + "?lang=en")
    expect(page.locator("#progress-text")).to_have_text("1 of 3,000, 0%")
    expect(
        page.get_by_text("Every partner company has reported at least one hire.")
    ).to_be_visible()
    _shot(page, "drive-en-desktop")
    page.goto(drive_url + "?lang=id")
    expect(page.locator("#progress-text")).to_have_text("1 dari 3.000, 0%")
    _shot(page, "drive-id-desktop")
    assert axe_violations(page) == [], describe(axe_violations(page))
    # The refused report answered 422 on purpose; nothing else may show in the console.
    assert [problem for problem in problems if "status of 422" not in problem] == []
    browser.close()


def scene_day(offset: int) -> str:
    """Today in WIB plus ``offset`` days, as a date input's value."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    return (
        (datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")) + timedelta(days=offset))
        .date()
        .isoformat()
    )
