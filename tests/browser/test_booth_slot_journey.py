"""Booked 1:1 slots and "leave a message" in Chromium with JavaScript off (issue 15,
items 2 and 5): the applicant on a 360 × 740 phone books a slot and leaves a message;
the recruiter at desktop size sees the booking with her name and the message, answers
it, and the applicant reads the answer. Screenshots go to the test's folder."""

from __future__ import annotations

import re
from typing import Any

import pytest
from support.browser_scene import (
    APPLICANT_EMAIL,
    APPLICANT_NAME,
    COMPANY_SLUG,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    sign_in,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser


def test_book_a_slot_and_leave_a_message_without_javascript(
    scene: Scene, pw: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    phone = browser.new_context(java_script_enabled=False, **VIEWPORTS["phone"])
    watch(phone, problems)
    page = phone.new_page()
    sign_in(page, scene.base, APPLICANT_EMAIL)
    booth = scene.url(f"{scene.fair}/booths/{COMPANY_SLUG}")
    page.goto(booth + "?lang=en#slots")
    slot_buttons = page.locator("#slots .slot-times button")
    expect(slot_buttons).to_have_count(3)  # the fourth is booked by someone else
    expect(slot_buttons.first).to_have_text(re.compile(r"^09:00 WI[BT]A?$"))
    page.screenshot(path=str(tmp_path / "phone-booth-slots.png"), full_page=True)
    slot_buttons.first.click()
    expect(page).to_have_url(re.compile(r"\?booked=1#slots$"))
    expect(page.locator("#slots")).to_contain_text("Your slot is booked")
    expect(page.locator("#slots .slot-times button")).to_have_count(0)  # one per company
    page.screenshot(path=str(tmp_path / "phone-booked.png"), full_page=True)

    # No recruiter is online: the booth offers a message instead.
    page.select_option("#vacancy_id", label="Krani Timbang")
    page.fill("#body", "Apakah ada shift malam untuk Krani Timbang?")
    page.get_by_role("button", name="Send the message").click()
    expect(page).to_have_url(re.compile(r"\?message=1#message$"))
    expect(page.locator("#message")).to_contain_text("Your message was sent")
    page.screenshot(path=str(tmp_path / "phone-message-sent.png"), full_page=True)

    page.goto(scene.url("/me/bookings?lang=id"))
    expect(page.locator("h1")).to_have_text("Slot dan pesan saya")
    expect(page.locator("#bookings-title + .slot-list li")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "phone-my-bookings-id.png"), full_page=True)

    # The recruiter, at desktop size (with JavaScript: the page needs none either).
    desk = browser.new_context(
        **{**VIEWPORTS["desktop"], "viewport": {"width": 1366, "height": 900}}
    )
    watch(desk, problems)
    recruiter = desk.new_page()
    sign_in(recruiter, scene.base, RECRUITER_EMAIL)
    recruiter.goto(scene.url(f"/company/booths/{scene.booth_id}/slots?lang=en"))
    expect(recruiter.locator("#schedule")).to_contain_text(f"Booked by {APPLICANT_NAME}")
    recruiter.screenshot(path=str(tmp_path / "desktop-slots.png"), full_page=True)
    recruiter.goto(scene.url("/company/messages?lang=en"))
    card = recruiter.locator("li.card", has_text="Apakah ada shift malam")
    expect(card).to_contain_text(APPLICANT_NAME)
    expect(card).to_contain_text("Krani Timbang")
    recruiter.screenshot(path=str(tmp_path / "desktop-messages.png"), full_page=True)
    card.get_by_label("Your answer").fill("Ada, mulai pukul 22.00 WIB.")
    card.get_by_role("button", name="Send the answer").click()
    expect(recruiter.locator("[role=status]")).to_contain_text("Your answer was sent")

    page.goto(scene.url("/me/bookings?lang=en"))
    expect(page.locator("#messages-title + .slot-list")).to_contain_text("Ada, mulai pukul 22.00")
    page.screenshot(path=str(tmp_path / "phone-answer.png"), full_page=True)
    for name in ("phone-booth-slots", "phone-booked", "phone-message-sent", "phone-answer"):
        assert (tmp_path / f"{name}.png").exists()
    assert problems == [], problems
    browser.close()
