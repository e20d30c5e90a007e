"""A vacancy on a 360 × 740 phone (issue 13, item 4): the apply button is on the first
screen even under a long description, the openings read as separate items, and after
applying the confirmation, with the decision deadline, has the focus."""

from __future__ import annotations

import re
from typing import Any

import pytest
from support.browser_scene import APPLICANT_EMAIL, VIEWPORTS, Scene, run_async, sign_in, watch
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.context import AppContext
from jobfair.models import Vacancy

pytestmark = pytest.mark.browser


def _lengthen(scene: Scene, vacancy_id: int) -> None:
    async def make() -> None:
        ctx = AppContext.create(scene.settings)
        try:
            async with ctx.unit_of_work() as session:
                vacancy = await session.get(Vacancy, vacancy_id)
                assert vacancy is not None
                vacancy.description = "Menimbang hasil panen dan mencatatnya. " * 60
                vacancy.skills = "menimbang\nmencatat\nmembaca timbangan digital"
        finally:
            await ctx.close()

    run_async(make)


def _on_first_screen(page: Any, name: str) -> None:
    from playwright.sync_api import expect

    control = page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name))
    expect(control.first).to_be_visible()
    box = control.first.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box


def test_apply_is_on_the_first_screen_and_the_confirmation_takes_focus(
    scene: Scene, pw: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    krani = scene.vacancy_ids[1]
    _lengthen(scene, krani)
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS["phone"])
    watch(context, problems)
    page = context.new_page()

    vacancy_path = f"{scene.fair}/vacancies/{krani}?lang=en"
    page.goto(scene.url(vacancy_path))
    _on_first_screen(page, "Sign in")  # a visitor's way to apply
    openings = page.locator("ul.openings li")
    expect(openings).to_have_text(["Men: 2", "Women: 1"])
    assert openings.nth(0).bounding_box()["y"] < openings.nth(1).bounding_box()["y"]
    page.screenshot(path=str(tmp_path / "vacancy-visitor.png"), full_page=True)

    sign_in(page, scene.base, APPLICANT_EMAIL)
    page.goto(scene.url(vacancy_path))
    _on_first_screen(page, "Apply for this vacancy")
    page.screenshot(path=str(tmp_path / "vacancy-applicant.png"))

    page.get_by_role("button", name="Apply for this vacancy").click()
    expect(page).to_have_url(re.compile(r"\?sent=1#confirmation$"))
    confirmation = page.locator("#confirmation")
    expect(confirmation).to_contain_text("The company will answer by")
    expect(confirmation).to_contain_text("WIB")
    expect(confirmation).to_be_focused()
    page.screenshot(path=str(tmp_path / "applied.png"))
    assert problems == []
    browser.close()


def test_withdraw_asks_then_the_vacancy_offers_to_send_again(
    scene: Scene, pw: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS["phone"])
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, APPLICANT_EMAIL)
    page.goto(scene.url(f"/me/applications/{scene.application_id}?lang=en"))
    page.get_by_role("button", name="Withdraw this application").click()
    expect(page.get_by_role("heading", name="Withdraw this application?")).to_be_visible()
    page.screenshot(path=str(tmp_path / "withdraw-ask.png"))
    page.get_by_role("button", name="Yes, withdraw it").click()
    confirmation = page.locator("#confirmation")
    expect(confirmation).to_contain_text("Your application has been withdrawn.")
    expect(confirmation).to_be_focused()
    page.screenshot(path=str(tmp_path / "withdrawn.png"))
    page.get_by_role("link", name="See the vacancy").click()
    expect(page.get_by_text("You withdrew your application to this vacancy.")).to_be_visible()
    _on_first_screen(page, "Apply for this vacancy")
    page.screenshot(path=str(tmp_path / "send-again.png"))
    page.get_by_role("button", name="Apply for this vacancy").click()
    expect(page.locator("#confirmation")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert problems == []
    browser.close()
