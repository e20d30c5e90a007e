"""A booth chat in real Chromium: the applicant at phone size joins the queue and sees
the place, the recruiter at desktop size takes them, they chat live, the recruiter
sends a video-call link and ends, and the note shows in the screening table. Then, on
the same one process: a slot booked with the keyboard puts the applicant first in the
queue at its time, ahead of someone who joined earlier. No console error or CSP
violation on the way; screenshots in /tmp/shots-chat/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support.browser_scene import (
    APPLICANT_EMAIL,
    APPLICANT_NAME,
    COMPANY_SLUG,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    add_slot_starting_soon,
    run_async,
    sign_in,
    someone_else_joins,
    tab_to,
    wait_until_live,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-chat")


def _console_and_phone(scene: Scene, pw: Any, problems: list[str]) -> tuple[Any, Any, Any]:
    """Chromium with the recruiter's console open at desktop size (so the recruiter is
    online) and a phone context for the applicant; both watched for errors."""
    SHOTS.mkdir(exist_ok=True)
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    phone = browser.new_context(**VIEWPORTS["phone"])
    for context in (desk, phone):
        watch(context, problems)
    recruiter = desk.new_page()
    sign_in(recruiter, scene.base, RECRUITER_EMAIL)
    recruiter.goto(scene.url(f"/company/booths/{scene.booth_id}/chat?lang=en"))
    wait_until_live(recruiter)
    return browser, recruiter, phone


def test_queue_chat_video_link_and_outcome(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser, recruiter, phone = _console_and_phone(scene, pw, problems)
    expect(recruiter.locator(f"#chat-queue-{scene.booth_id}")).to_contain_text("0 people waiting")
    # A chat timer: both sides then see the chat's end time and count down to it.
    recruiter.get_by_label("Chat timer (minutes, empty: none)").fill("30")
    recruiter.get_by_role("button", name="Save the timer").click()
    wait_until_live(recruiter)

    applicant = phone.new_page()
    sign_in(applicant, scene.base, APPLICANT_EMAIL)
    applicant.goto(scene.url(f"{scene.fair}/booths/{COMPANY_SLUG}?lang=en"))
    applicant.get_by_role("link", name="Talk to a recruiter").click()
    expect(applicant.get_by_text("1 recruiter online")).to_be_visible()
    applicant.get_by_label("About (optional)").select_option(label="Krani Timbang")
    applicant.get_by_role("button", name="Talk to a recruiter").click()
    expect(applicant.get_by_role("heading", name="You are in the queue")).to_be_visible()
    expect(applicant.get_by_text("Your place: 1")).to_be_visible()
    applicant.screenshot(path=SHOTS / "applicant-waiting-360.png", full_page=True)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 360

    # The recruiter's queue box changes by itself (the socket's queue frame).
    expect(recruiter.locator(f"#chat-queue-{scene.booth_id}")).to_contain_text("1 person waiting")
    recruiter.get_by_role("button", name="Take the next one").click()
    expect(recruiter.get_by_role("heading", name="Chat with Siti Rahmawati")).to_be_visible()

    # The applicant's waiting box turns into the chat.
    wait_until_live(applicant)
    expect(applicant.get_by_text("A recruiter has joined the chat.")).to_be_visible(timeout=15000)
    left = re.compile(r"Time left: (29|30):\d\d")
    expect(applicant.locator(".chat-countdown")).to_contain_text(left)
    expect(applicant.get_by_text("This chat lasts up to 30 minutes: it ends at")).to_be_visible()
    expect(recruiter.locator(".chat-countdown")).to_contain_text(left)
    applicant.get_by_label("Your message").fill("Selamat siang, saya tertarik jadi krani.")
    applicant.get_by_role("button", name="Send").click()
    expect(applicant.get_by_label("Your message")).to_have_value("")
    expect(recruiter.get_by_text("Selamat siang, saya tertarik jadi krani.")).to_be_visible()

    # At a desk Enter sends (the hint says so); on the phone it stays a new line.
    expect(
        recruiter.get_by_text("Enter sends the message, Shift+Enter starts a new line.")
    ).to_be_visible()
    expect(
        applicant.get_by_text("Enter sends the message, Shift+Enter starts a new line.")
    ).to_be_hidden()
    box = recruiter.get_by_label("Your message")
    box.fill("Silakan, kita lanjut")
    box.press("Shift+Enter")
    box.press_sequentially("lewat video.")
    box.press("Enter")
    expect(box).to_have_value("")
    expect(applicant.locator(".chat-log")).to_contain_text("Silakan, kita lanjut\nlewat video.")
    recruiter.get_by_label("Video-call link").fill("https://meet.example.test/krani-42")
    recruiter.get_by_role("button", name="Send the link").click()
    expect(applicant.get_by_role("link", name="https://meet.example.test/krani-42")).to_be_visible()
    applicant.screenshot(path=SHOTS / "applicant-chat-360.png", full_page=True)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 360
    recruiter.screenshot(path=SHOTS / "recruiter-console-1366.png", full_page=True)

    recruiter.get_by_role("button", name="End the chat").click()
    expect(applicant.get_by_text("The chat has ended.").first).to_be_visible()
    recruiter.get_by_label("Note").fill("Teliti, siap kerja shift.")
    recruiter.get_by_label("Interested", exact=True).check()
    recruiter.get_by_label("Invite to apply to").select_option(label="Krani Timbang")
    # Wait for the save to land before leaving the page (a goto would abort the POST).
    with recruiter.expect_navigation():
        recruiter.get_by_role("button", name="Save the outcome").click()
    recruiter.goto(scene.url("/company/applications?lang=en"))
    expect(recruiter.get_by_text("Chat: interested")).to_be_visible()
    expect(recruiter.get_by_text("Teliti, siap kerja shift.")).to_be_visible()
    recruiter.screenshot(path=SHOTS / "screening-table-1366.png", full_page=True)

    # In Indonesian, the applicant's page at phone size.
    applicant.goto(scene.url(f"{scene.fair}/booths/{COMPANY_SLUG}/chat?lang=id"))
    expect(applicant.get_by_role("heading", name="Bicara dengan perekrut")).to_be_visible()
    applicant.screenshot(path=SHOTS / "applicant-after-360-id.png", full_page=True)
    browser.close()
    assert problems == [], problems


def test_a_booked_slot_puts_the_applicant_first_on_one_process(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    run_async(lambda: add_slot_starting_soon(scene.settings, scene.booth_id))
    run_async(lambda: someone_else_joins(scene.settings, scene.booth_id))
    problems: list[str] = []
    browser, recruiter, phone = _console_and_phone(scene, pw, problems)
    queue_box = recruiter.locator(f"#chat-queue-{scene.booth_id}")
    expect(queue_box).to_contain_text("1 person waiting")

    applicant = phone.new_page()
    sign_in(applicant, scene.base, APPLICANT_EMAIL)
    applicant.goto(scene.url(f"{scene.fair}/booths/{COMPANY_SLUG}?lang=en"))
    # The slot starting in three minutes is the first free one: booked with the keyboard.
    tab_to(applicant, lambda el: el["tag"] == "button" and el["name"].startswith("Book "), limit=80)
    applicant.keyboard.press("Enter")
    expect(applicant.locator("#slots")).to_contain_text("Your slot is now")
    applicant.screenshot(path=SHOTS / "applicant-slot-now-360.png", full_page=True)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 360
    applicant.locator("#slots").get_by_role("link", name="Talk with the recruiter").click()
    applicant.get_by_role("button", name="Talk to a recruiter").click()
    expect(applicant.get_by_text("Your place: 1")).to_be_visible()
    expect(queue_box).to_contain_text("2 people waiting")
    expect(queue_box).to_contain_text("booked slot")

    recruiter.get_by_role("button", name="Take the next one").click()
    expect(recruiter.get_by_role("heading", name=f"Chat with {APPLICANT_NAME}")).to_be_visible()
    expect(queue_box).to_contain_text("1 person waiting")
    wait_until_live(applicant)
    expect(applicant.get_by_text("A recruiter has joined the chat.")).to_be_visible(timeout=15000)
    browser.close()
    assert problems == [], problems
