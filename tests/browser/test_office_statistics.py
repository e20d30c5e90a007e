"""An organiser picks a period on the office statistics page, compiles it and downloads
the IPK workbook (issue 16, item 1): the period form works with the keyboard's form
controls, the page polls until the version is written, and the XLSX opens with the IPK
III/1 and III/8 layouts. No console error, no CSP violation; no sideways scrolling at
360 px in either language."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect
from support.browser_scene import ORGANISER_EMAIL, VIEWPORTS, Scene, sign_in, watch
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

# Screenshots for a person to look at (set JOBFAIR_SHOTS to a folder to keep them).
SHOTS = os.environ.get("JOBFAIR_SHOTS")


def test_pick_a_period_and_download_the_ipk_workbook(scene: Scene, pw: Any) -> None:
    problems: list[str] = []
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**VIEWPORTS["desktop"], accept_downloads=True)
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)
    page.goto(scene.url("/organiser/office/statistics?lang=en"))
    today = datetime.now(UTC)
    quarter = (today.month - 1) // 3 + 1
    page.get_by_label("Kind of period").select_option("quarter")
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Which one").fill(str(quarter))
    page.get_by_role("button", name="Show the period").click()
    roman = ("I", "II", "III", "IV")[quarter - 1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Quarter {roman} {today.year}")
    page.get_by_role("button", name="Compile the statistics").click()
    expect(page.locator("#headline-title")).to_be_visible(timeout=30_000)
    expect(
        page.get_by_role("heading", name="IPK III/1 · Summary of labour-exchange statistics")
    ).to_be_visible()
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download the IPK workbook (XLSX)").click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    cells = {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert any("IPK III/1" in text for text in cells)
    assert any("IPK III/8" in text for text in cells)
    # The period's address (after the compile's redirect), in each language.
    url = re.sub(r"[&?]lang=\w+", "", page.url)
    assert "kind=quarter" in url
    for viewport in ("phone", "desktop"):
        for lang in ("id", "en"):
            view = browser.new_context(**VIEWPORTS[viewport])
            other = view.new_page()
            sign_in(other, scene.base, ORGANISER_EMAIL)
            other.goto(f"{url}&lang={lang}")
            expect(other.locator("html")).to_have_attribute("lang", lang)
            width = other.evaluate("document.documentElement.scrollWidth")
            assert width <= VIEWPORTS[viewport]["viewport"]["width"], (viewport, lang, width)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                other.screenshot(path=f"{SHOTS}/office-{viewport}-{lang}.png", full_page=True)
            view.close()
    context.close()
    browser.close()
    assert not problems, problems
