"""In Chromium (issue 13, items 9 and 14): a booth's YouTube video plays in the privacy-
enhanced player the CSP lets through (and no other frame), with no console error, at
360 px and on a desktop; the organiser's per-minute chart is at least 300 px wide on
both, the company table sorts by a click, and without JavaScript the dashboard says it
is not live."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from support.browser_scene import (
    ORGANISER_EMAIL,
    VIEWPORTS,
    Scene,
    axe_context,
    axe_violations,
    describe,
    run_async,
    sign_in,
    wait_until_live,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.context import AppContext
from jobfair.models import Booth

pytestmark = pytest.mark.browser

PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def _give_the_booth_a_video(scene: Scene) -> None:
    async def write() -> None:
        ctx = AppContext.create(scene.settings)
        try:
            async with ctx.unit_of_work() as session:
                await session.execute(
                    update(Booth)
                    .where(Booth.id == scene.booth_id)
                    .values(
                        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                        contact_phone="+622518312345",
                    )
                )
        finally:
            await ctx.close()

    run_async(write)


def _offline_players(context: Any) -> list[str]:
    """The machine has no internet: the players answer with a stand-in page, anything
    else from outside is refused (and noted)."""
    outside: list[str] = []

    def handle(route_: Any, request: Any) -> None:
        if request.url.startswith(PLAYER):
            route_.fulfill(status=200, content_type="text/html", body="<p>player</p>")
        else:
            outside.append(request.url)
            route_.abort()

    context.route(lambda url: not url.startswith("http://127.0.0.1"), handle)
    return outside


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_booth_video_plays_in_the_allowed_player(scene: Scene, pw: Any, viewport: str) -> None:
    from playwright.sync_api import expect

    _give_the_booth_a_video(scene)
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS[viewport])
    watch(context, problems)
    outside = _offline_players(context)
    page = context.new_page()
    page.goto(scene.url(f"{scene.fair}/booths/pt-kebun-asahan?lang=en"))
    frame = page.locator("iframe")
    expect(frame).to_have_attribute("src", PLAYER)
    expect(frame).to_have_attribute("title", "Video of PT Kebun Asahan")
    expect(frame).to_have_attribute("loading", "lazy")
    frame.scroll_into_view_if_needed()
    expect(page.frame_locator("iframe").locator("p")).to_have_text("player")
    box = frame.bounding_box()
    width = VIEWPORTS[viewport]["viewport"]["width"]
    assert box is not None and 0 < box["width"] <= width
    assert abs(box["height"] - box["width"] * 9 / 16) < 2  # 16:9
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("link", name="(0251) 8312345")).to_have_attribute(
        "href", "tel:+622518312345"
    )
    expect(page.get_by_role("link", name="Watch on YouTube")).to_be_visible()
    assert problems == [], problems
    # Another origin is refused by the page's own policy, not merely left out.
    page.evaluate(
        """() => { const f = document.createElement("iframe");
        f.src = "https://frames.example/"; document.body.append(f); }"""
    )
    page.wait_for_timeout(300)
    assert any("CSP violation: frame-src" in problem for problem in problems), problems
    assert outside == []
    context.close()
    browser.close()


def test_the_booth_page_with_its_video_passes_axe(scene: Scene, pw: Any) -> None:
    _give_the_booth_a_video(scene)
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = axe_context(browser, "phone")
    _offline_players(context)
    page = context.new_page()
    page.goto(scene.url(f"{scene.fair}/booths/pt-kebun-asahan"))
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert bad == [], describe(bad)
    browser.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_per_minute_chart_is_readable_and_the_table_sorts(
    scene: Scene, pw: Any, viewport: str
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS[viewport])
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)
    page.goto(scene.url("/organiser/fairs/bursa-uji-asahan/live?lang=en"))
    wait_until_live(page)  # measured after the socket's first frame replaced the body
    chart = page.locator(".live-chart svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    width = VIEWPORTS[viewport]["viewport"]["width"]
    assert box is not None and 300 <= box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator(".live-chart figcaption")).to_contain_text(
        "Applications per minute in the last 30 minutes"
    )
    # Live: the notice for a page without JavaScript stays hidden.
    expect(page.locator("noscript p.notice")).to_be_hidden()
    expect(page.get_by_text("Updates by itself while this page is open.")).to_be_visible()
    page.get_by_role("link", name="Applications", exact=True).click()
    expect(page).to_have_url(scene.url("/organiser/fairs/bursa-uji-asahan/live?sort=-applications"))
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    assert problems == [], problems
    browser.close()


def test_without_javascript_the_dashboard_says_it_is_not_live(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(java_script_enabled=False, **VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)  # a plain form: no script needed
    live = scene.url("/organiser/fairs/bursa-uji-asahan/live?sort=-unreviewed&lang=en")
    page.goto(live)
    # (Playwright's text and role queries skip <noscript>; CSS selectors reach it.)
    notice = page.locator("noscript p.notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This page is not live without JavaScript")
    expect(page.get_by_text("Updates by itself while this page is open.")).to_be_hidden()
    notice.locator("a").click()
    expect(page).to_have_url(scene.url("/organiser/fairs/bursa-uji-asahan/live?sort=-unreviewed"))
    box = page.locator(".live-chart svg").bounding_box()
    assert box is not None and 300 <= box["width"] <= 360, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    browser.close()
