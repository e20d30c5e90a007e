"""The header with the keyboard: the skip link first, then the site's name and the main
navigation, "Sign out" last (it used to be the third stop of every page); and the unread
badge, read out as a count and going down as notifications are marked read."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from support.browser_scene import (
    APPLICANT_EMAIL,
    FAIR_SLUG,
    ORGANISER_EMAIL,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    focused,
    run_async,
    sign_in,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.context import AppContext
from jobfair.models import Notification, User
from jobfair.services import notifications

pytestmark = pytest.mark.browser

# What each person's header offers, in tab order, after the skip link.
HEADER = {
    APPLICANT_EMAIL: [
        "Job Fair",
        "My account",
        "My applications",
        "Notifications",
        "ID",
        "API tokens",
        "Sign out",
    ],
    RECRUITER_EMAIL: ["Job Fair", "Company", "ID", "API tokens", "Sign out"],
    ORGANISER_EMAIL: ["Job Fair", "Console", "ID", "API tokens", "Sign out"],
    None: ["Job Fair", "ID", "Sign in", "Register"],
}


def _tab_stops(page: Any, count: int) -> list[dict[str, Any]]:
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state is not None
        assert state["visible"], f"no visible focus style on {state}"
        stops.append(state)
    return stops


def _notify(scene: Scene, count: int) -> None:
    async def write() -> None:
        ctx = AppContext.create(scene.settings)
        try:
            async with ctx.unit_of_work() as session:
                user_id = await session.scalar(select(User.id).where(User.email == APPLICANT_EMAIL))
                assert user_id is not None
                for _ in range(count):
                    row = notifications.decisions_row(
                        user_id,
                        "answered",
                        [
                            notifications.DecisionItem(
                                application_id=scene.application_id,
                                vacancy="Mandor Panen",
                                company="PT Kebun Asahan",
                                status="shortlisted",
                            )
                        ],
                        "/me/applications",
                        ctx.now(),
                    )
                    session.add(Notification(**row))
        finally:
            await ctx.close()

    run_async(write)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_sign_out_is_the_last_stop_of_the_header(scene: Scene, pw: Any, viewport: str) -> None:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    problems: list[str] = []
    for person, expected in HEADER.items():
        context = browser.new_context(**VIEWPORTS[viewport])
        watch(context, problems)
        page = context.new_page()
        if person is not None:
            sign_in(page, scene.base, person)
        for path in ("/?lang=en", f"/fairs/{FAIR_SLUG}?lang=en"):
            page.goto(scene.url(path))
            stops = _tab_stops(page, len(expected) + 2)
            assert stops[0]["href"] == "#main" and stops[0]["name"] == "Skip to content"
            names = [stop["name"] for stop in stops[1 : len(expected) + 1]]
            # The notifications link carries its badge: compare the start of its name.
            assert [
                name if not name.startswith("Notifications") else "Notifications" for name in names
            ] == expected, (person, viewport, names)
            # The stop after the header is in the page's content, not in the header.
            after = page.evaluate("document.activeElement.closest('header') === null")
            assert after, (person, stops[-1])
        context.close()
    browser.close()
    assert problems == []


def test_unread_badge_is_read_out_and_goes_down(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    _notify(scene, 2)
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS["phone"])
    problems: list[str] = []
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, APPLICANT_EMAIL)
    page.goto(scene.url("/me?lang=en"))
    header = page.get_by_role("navigation", name="Main")
    link = header.get_by_role("link", name="Notifications (2 unread notifications)", exact=True)
    expect(link).to_be_visible()
    expect(header.locator(".count")).to_have_text("2")
    link.click()
    expect(page).to_have_url(scene.url("/me/notifications"))
    # Opening the page marks nothing: the count stays until the user says so.
    expect(header.locator(".count")).to_have_text("2")
    first = page.locator(".cards .card").first
    expect(first.get_by_role("link", name="Mandor Panen — PT Kebun Asahan")).to_have_attribute(
        "href", f"/me/applications/{scene.application_id}"
    )
    first.get_by_role("button", name="Mark as read").click()
    expect(header.locator(".count")).to_have_text("1")
    expect(header.get_by_role("link", name="Notifications (1 unread notification)")).to_be_visible()
    page.goto(scene.url("/me/notifications?lang=id"))
    header = page.get_by_role("navigation", name="Utama")
    in_indonesian = header.get_by_role("link", name="Notifikasi (1 notifikasi belum dibaca)")
    expect(in_indonesian).to_be_visible()
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(header.locator(".count")).to_have_count(0)
    expect(page.locator(".cards .card .badge")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["viewport"]["width"]
    context.close()
    browser.close()
    assert problems == []
