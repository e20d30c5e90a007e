"""An organiser starts a compile and the report page refreshes itself (issue 13, item
12): the "being compiled" notice shows while the request is pending, and once the
worker writes the version the notice goes and the report appears — without a reload
(a marker set in the page survives). No console error, no CSP violation."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from playwright.sync_api import expect
from support.browser_scene import FAIR_SLUG, ORGANISER_EMAIL, VIEWPORTS, Scene, sign_in, watch
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.worker import registry

pytestmark = pytest.mark.browser


def test_the_report_appears_without_a_reload(
    scene: Scene, pw: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server runs tasks in-process, in this process: hold the compile until the
    # test has seen the page say it is running.
    gate = threading.Event()
    compile_task = registry.TASKS["compile_requested_report"]

    async def held(ctx: Any, **ids: Any) -> Any:
        await asyncio.to_thread(gate.wait, 60)
        return await compile_task(ctx, **ids)

    monkeypatch.setitem(registry.TASKS, "compile_requested_report", held)
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS["desktop"])
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)
    report = scene.url(f"/organiser/fairs/{FAIR_SLUG}/report")
    page.goto(report + "?lang=en")
    expect(page.get_by_text("No report has been compiled for this fair yet.")).to_be_visible()
    page.get_by_role("button", name="Compile the report").click()
    notice = page.locator("#report-compiling")
    expect(notice).to_contain_text("The report is being compiled.")
    assert page.locator("#report-body").get_attribute("hx-trigger") == "every 3s"
    # No second "compile" offer while the first version is being compiled.
    expect(page.get_by_role("button", name="Compile the report")).to_have_count(0)
    page.evaluate("window.__stillThisPage = true")
    # A poll or two while pending changes nothing.
    page.wait_for_timeout(3500)
    expect(notice).to_be_visible()
    gate.set()
    expect(notice).to_have_count(0, timeout=15_000)
    expect(page.locator("#report-ready")).to_contain_text("this is the new version")
    expect(page.locator("#headline-title")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    # The polling ended with the final content.
    assert page.locator("#report-body").get_attribute("hx-trigger") is None
    assert page.evaluate("window.__stillThisPage") is True, "the page was reloaded"
    context.close()
    browser.close()
    assert not problems, problems
