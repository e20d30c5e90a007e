"""The booth chat journey in real Chromium across two web processes behind one Redis:
the applicant (phone, 360 × 740, Bahasa Indonesia) is served by process A, the
recruiter (desktop, English) by process B, both on one database. Whatever one sees of
the other — the queue, being taken, each message, the video link, the end — crossed
Redis. The applicant's side is driven with the keyboard only. Second journey: a slot
booked on A puts the applicant first in the queue at its time, ahead of someone who
joined earlier. Screenshots in /tmp/shots-chat-pair/."""

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
    skipped_headings,
    someone_else_joins,
    tab_to,
    wait_until_live,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.redis]

SHOTS = Path("/tmp/shots-chat-pair")
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}
PHONE = {**VIEWPORTS["phone"], "locale": "id-ID"}


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _recruiter_console(browser: Any, recruiter_side: Scene, problems: list[str]) -> Any:
    """The recruiter's console on process B, subscribed (so the recruiter is online)."""
    from playwright.sync_api import expect

    desk = browser.new_context(**DESK)
    watch(desk, problems)
    recruiter = desk.new_page()
    sign_in(recruiter, recruiter_side.base, RECRUITER_EMAIL)
    recruiter.goto(recruiter_side.url(f"/company/booths/{recruiter_side.booth_id}/chat?lang=en"))
    wait_until_live(recruiter)
    expect(recruiter.get_by_role("heading", name="Chat console")).to_be_visible()
    return recruiter


def _applicant_phone(browser: Any, applicant_side: Scene, problems: list[str]) -> Any:
    phone = browser.new_context(**PHONE)
    watch(phone, problems)
    applicant = phone.new_page()
    sign_in(applicant, applicant_side.base, APPLICANT_EMAIL)
    return applicant


def test_queue_chat_video_end_and_outcome_across_two_processes(
    scene_pair: tuple[Scene, Scene], pw: Any
) -> None:
    from playwright.sync_api import expect

    side_a, side_b = scene_pair
    SHOTS.mkdir(exist_ok=True)
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    recruiter = _recruiter_console(browser, side_b, problems)
    queue_box = recruiter.locator(f"#chat-queue-{side_b.booth_id}")
    expect(queue_box).to_contain_text("0 people waiting")
    # The box is morphed by the frames, not replaced: the status region stays the same
    # node, so its new text is announced.
    queue_box.evaluate("el => { el.__kept = true; }")

    # Process A knows the recruiter on B is online (presence lives in Redis).
    applicant = _applicant_phone(browser, side_a, problems)
    applicant.goto(side_a.url(f"{side_a.fair}/booths/{COMPANY_SLUG}/chat?lang=id"))
    expect(applicant.get_by_text("1 perekrut sedang daring")).to_be_visible()
    applicant.get_by_label("Tentang (tidak wajib)").focus()
    applicant.keyboard.press("ArrowDown")  # the first vacancy (by title): Krani Timbang
    expect(applicant.get_by_label("Tentang (tidak wajib)")).to_have_value(
        str(side_a.vacancy_ids[1])
    )
    tab_to(applicant, lambda el: el["tag"] == "button" and el["name"] == "Bicara dengan perekrut")
    applicant.keyboard.press("Enter")
    expect(applicant.get_by_role("heading", name="Anda sedang mengantre")).to_be_visible()
    place = applicant.get_by_role("status").filter(has_text="Urutan Anda")
    expect(place).to_have_text(re.compile(r"Urutan Anda: 1\s*·\s*perekrut akan segera melayani"))
    applicant.screenshot(path=SHOTS / "applicant-waiting-360-id.png", full_page=True)
    _no_sideways_scroll(applicant)

    # B's queue box changes by itself: the join on A reached it through Redis.
    expect(queue_box).to_contain_text("1 person waiting")
    assert queue_box.evaluate("el => el.__kept === true")
    wait_until_live(applicant)
    tab_to(applicant, lambda el: el["name"] == "Keluar dari antrean")
    recruiter.get_by_role("button", name="Take the next one").click()
    expect(recruiter.get_by_role("heading", name=f"Chat with {APPLICANT_NAME}")).to_be_visible()
    assert skipped_headings(recruiter) == []  # the profile card's name is an h2, not an h3

    # A's waiting box turns into the chat, by the socket frame from B's take. The
    # focused "leave" button went with the waiting box: focus moves to the chat's
    # heading (read out by a screen reader), not to the page itself.
    expect(applicant.get_by_text("Perekrut sudah bergabung dalam obrolan.")).to_be_visible(
        timeout=15000
    )
    expect(applicant.get_by_role("heading", name=re.compile("^Obrolan dengan"))).to_be_focused()
    # The frame brings the whole chat, the abuse report included (as a reload would).
    expect(applicant.get_by_text("Laporkan pelecehan")).to_be_visible()
    message_box = applicant.get_by_label("Pesan Anda")
    message_box.focus()
    applicant.keyboard.type("Selamat siang, saya tertarik jadi krani.")
    tab_to(applicant, lambda el: el["tag"] == "button" and el["name"] == "Kirim")
    applicant.keyboard.press("Enter")
    expect(message_box).to_have_value("")
    # The box is cleared and focused again, ready for the next line.
    expect(message_box).to_be_focused()
    expect(recruiter.get_by_text("Selamat siang, saya tertarik jadi krani.")).to_be_visible()

    recruiter.get_by_label("Your message").fill("Silakan, kita lanjut lewat video.")
    recruiter.get_by_role("button", name="Send", exact=True).click()
    log = applicant.get_by_role("list", name="Pesan")
    expect(log).to_have_attribute("aria-live", "polite")
    # A frame morphs the log: the live region and the lines already there stay the same
    # nodes, so a screen reader announces only the new line (a replaced list is a new
    # live region, which screen readers do not announce).
    log.evaluate("el => { el.__kept = true; el.firstElementChild.__kept = true; }")
    expect(log).to_contain_text("Perekrut: Silakan, kita lanjut lewat video.")
    assert log.evaluate("el => el.__kept === true && el.firstElementChild.__kept === true")
    expect(message_box).to_be_focused()  # the frame left the applicant's focus alone
    recruiter.get_by_label("Video-call link").fill("https://meet.example.test/krani-42")
    recruiter.get_by_role("button", name="Send the link").click()
    expect(log).to_contain_text("Panggilan video:")
    expect(applicant.get_by_role("link", name="https://meet.example.test/krani-42")).to_be_visible()
    applicant.screenshot(path=SHOTS / "applicant-chat-360-id.png", full_page=True)
    _no_sideways_scroll(applicant)
    recruiter.screenshot(path=SHOTS / "recruiter-console-1366-en.png", full_page=True)

    recruiter.get_by_role("button", name="End the chat").click()
    ended = applicant.get_by_role("status").filter(has_text="Obrolan sudah berakhir.")
    expect(ended).to_be_visible()
    expect(ended).to_be_focused()  # the focused message box went with the form
    expect(applicant.get_by_label("Pesan Anda")).to_have_count(0)
    applicant.screenshot(path=SHOTS / "applicant-ended-360-id.png", full_page=True)
    _no_sideways_scroll(applicant)

    recruiter.get_by_label("Note").fill("Teliti, siap kerja shift.")
    recruiter.get_by_label("Interested", exact=True).check()
    recruiter.get_by_label("Invite to apply to").select_option(label="Krani Timbang")
    # Wait for the save to land before leaving the page (a goto would abort the POST).
    with recruiter.expect_navigation():
        recruiter.get_by_role("button", name="Save the outcome").click()
    recruiter.goto(side_b.url("/company/applications?lang=en"))
    row = recruiter.get_by_role("row").filter(has_text=APPLICANT_NAME)
    expect(row).to_contain_text("Chat: interested")
    expect(row).to_contain_text("invited to apply: Krani Timbang")
    # The note is labelled and on its own line, not run into the vacancy's title.
    note = row.locator(".chat-note")
    expect(note).to_have_text("Note: Teliti, siap kerja shift.")
    assert note.evaluate("el => getComputedStyle(el).display") == "block"
    recruiter.screenshot(path=SHOTS / "screening-table-1366-en.png", full_page=True)
    browser.close()
    assert problems == [], problems


def test_booked_slot_puts_the_applicant_first_across_two_processes(
    scene_pair: tuple[Scene, Scene], pw: Any
) -> None:
    from playwright.sync_api import expect

    side_a, side_b = scene_pair
    SHOTS.mkdir(exist_ok=True)
    run_async(lambda: add_slot_starting_soon(side_a.settings, side_a.booth_id))
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    recruiter = _recruiter_console(browser, side_b, problems)
    queue_box = recruiter.locator(f"#chat-queue-{side_b.booth_id}")
    # Someone else is waiting before Siti books and comes.
    run_async(lambda: someone_else_joins(side_a.settings, side_a.booth_id))
    recruiter.reload()
    expect(queue_box).to_contain_text("1 person waiting")

    applicant = _applicant_phone(browser, side_a, problems)
    applicant.goto(side_a.url(f"{side_a.fair}/booths/{COMPANY_SLUG}?lang=id#slots"))
    soon = applicant.locator("#slots .slot-times button").first
    expect(soon).to_have_attribute("aria-label", re.compile(r"^Pesan .*, 20 menit$"))
    soon.click()
    expect(applicant.locator("#slots")).to_contain_text("Slot Anda sekarang")
    applicant.screenshot(path=SHOTS / "applicant-slot-now-360-id.png", full_page=True)
    _no_sideways_scroll(applicant)
    applicant.locator("#slots").get_by_role("link", name="Bicara dengan perekrut").click()
    applicant.get_by_role("button", name="Bicara dengan perekrut").click()
    expect(applicant.get_by_role("heading", name="Anda sedang mengantre")).to_be_visible()
    expect(applicant.get_by_role("status").filter(has_text="Urutan Anda")).to_contain_text(
        "Urutan Anda: 1"
    )
    expect(queue_box).to_contain_text("2 people waiting")
    wait_until_live(applicant)
    # The waiting box checks in every 10 s and is morphed with the answer: the place is
    # still 1, and the focused "leave" button keeps the focus (a replaced box lost it).
    tab_to(applicant, lambda el: el["name"] == "Keluar dari antrean")
    with applicant.expect_response(lambda r: r.url.endswith("/chat/status"), timeout=15000):
        pass
    applicant.wait_for_timeout(300)  # the swap follows the response
    expect(applicant.get_by_role("status").filter(has_text="Urutan Anda")).to_contain_text(
        "Urutan Anda: 1"
    )
    expect(applicant.get_by_role("button", name="Keluar dari antrean")).to_be_focused()

    # The recruiter on B takes the next one: Siti, who joined last but has the slot.
    recruiter.get_by_role("button", name="Take the next one").click()
    expect(recruiter.get_by_role("heading", name=f"Chat with {APPLICANT_NAME}")).to_be_visible()
    expect(queue_box).to_contain_text("1 person waiting")
    expect(applicant.get_by_text("Perekrut sudah bergabung dalam obrolan.")).to_be_visible(
        timeout=15000
    )

    # The applicant ends the chat with the keyboard; the recruiter's console on B shows
    # the end by itself, with the way to the outcome form.
    tab_to(applicant, lambda el: el["tag"] == "button" and el["name"] == "Akhiri obrolan")
    applicant.keyboard.press("Enter")
    expect(
        applicant.get_by_role("status").filter(has_text="Obrolan sudah berakhir.")
    ).to_be_visible()
    ended = recruiter.get_by_role("status").filter(has_text="The chat has ended.")
    expect(ended).to_be_focused()  # the console had no focus: the notice takes it
    ended.get_by_role("link", name="Record the outcome").click()
    expect(recruiter.get_by_role("heading", name="After the chat")).to_be_visible()
    expect(recruiter.get_by_label("Note")).to_be_focused()
    recruiter.keyboard.type("Datang tepat waktu untuk slotnya.")
    recruiter.get_by_label("Not interested").check()
    # Wait for the save to land before leaving the page (a goto would abort the POST).
    with recruiter.expect_navigation():
        recruiter.get_by_role("button", name="Save the outcome").click()
    recruiter.goto(side_b.url("/company/applications?lang=en"))
    row = recruiter.get_by_role("row").filter(has_text=APPLICANT_NAME)
    expect(row).to_contain_text("Chat: not interested")
    expect(row.locator(".chat-note")).to_have_text("Note: Datang tepat waktu untuk slotnya.")
    browser.close()
    assert problems == [], problems
