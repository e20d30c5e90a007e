"""No page scrolls sideways on a 360 px phone (WCAG 1.4.10 reflow), for every role:
every page route of the app that answers the person with HTML is opened in Chromium and
its ``scrollWidth`` measured. A route not reachable here must be named in ``NOT_PAGES``
with the reason, so a new page is measured the day it is added. Before, ``/me`` and the
recruiter's application page were 455 and 438 px wide with a long e-mail address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.routing import Mount, Route
from support.browser_scene import (
    APPLICANT_EMAIL,
    COMPANY_SLUG,
    FAIR_SLUG,
    ORGANISER_EMAIL,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    sign_in,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

from jobfair.routes import build_routes

pytestmark = pytest.mark.browser

# GET routes that are not pages a person reads at a phone's width.
NOT_PAGES = {
    "/healthz": "JSON",
    "/regions/regencies": "an htmx fragment of <option>s",
    "/me/cv": "the PDF",
    "/me/data": "the JSON download",
    "/me/data/pdf": "the PDF of the data page",
    "/media/logos/{name}": "an image",
    "/organiser/fairs/{slug}/report.{kind}": "a PDF, XLSX or CSV file",
    "/organiser/office/statistics.{kind}": "a PDF, XLSX or CSV file",
    "/organiser/drives/{drive_id:int}/progress.{kind}": "a PDF, XLSX or CSV file",
    "/organiser/evaluation/export": "the officer evaluation as PDF or XLSX",
    "/organiser/interchange/export": "a CSV or JSON file for the ministry",
    "/company/exports": "a CSV or XLSX download",
    "/company/exports/{job_id:int}": "an export job's status, a polled fragment",
    "/company/exports/{job_id:int}/download": "the export's file",
    "/organiser/mail": "admins only: measured at 360 px by tests/browser/test_mail_page.py",
    "/fairs/{slug}/summary": "exists once a report is compiled; the scene's fair is open",
    "/company/join": "needs a mailed invitation token",
    "/password/reset": "needs a mailed reset token",
    "/company/applications/{application_id:int}/cv": "the PDF",
    "/fairs/{slug}/booths/{company}/chat/presence": "an htmx fragment of the booth page",
    "/fairs/{slug}/booths/{company}/chat/status": "the chat page's polled htmx fragment",
    "/chats/{conversation_id:int}/cv": "the PDF (a chat's CV), behind a chat the scene has not",
}


def _page_paths() -> list[str]:
    paths = []
    for route in build_routes(None):  # type: ignore[arg-type]
        if isinstance(route, Route) and "GET" in (route.methods or set()):
            paths.append(route.path)
        elif isinstance(route, Mount) and route.path in ("", "/"):
            paths += [r.path for r in route.routes if isinstance(r, Route)]
    return sorted(set(paths))


def _fill(path: str, scene: Scene) -> str:
    values = {
        "slug": FAIR_SLUG,
        "company": COMPANY_SLUG,
        "booth_id": str(scene.booth_id),
        "vacancy_id": str(scene.vacancy_ids[0]),
        "application_id": str(scene.application_id),
        "drive_id": str(scene.drive_id),
        "placement_id": str(scene.direct_placement_id),
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "0"), path)


def test_no_page_scrolls_sideways_at_360_px(scene: Scene, pw: Any) -> None:
    paths = [path for path in _page_paths() if path not in NOT_PAGES]
    width_allowed = VIEWPORTS["phone"]["viewport"]["width"]
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    measured: set[str] = set()
    too_wide: dict[str, int] = {}
    for person in (None, APPLICANT_EMAIL, RECRUITER_EMAIL, ORGANISER_EMAIL):
        context = browser.new_context(**VIEWPORTS["phone"])
        page = context.new_page()
        if person is not None:
            sign_in(page, scene.base, person)
        for path in paths:
            response = page.goto(scene.url(_fill(path, scene) + "?lang=id"))
            if response is None or response.status != 200:
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            if page.url.split("?")[0] != scene.url(_fill(path, scene)):
                continue  # redirected elsewhere: measured under its own route
            measured.add(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > width_allowed:
                too_wide[f"{person or 'visitor'} {path}"] = width
        context.close()
    browser.close()
    assert not too_wide, too_wide
    # Every page route was opened by somebody (or is listed above as not a page).
    assert set(paths) - measured == set(), "not measured; add it to the scene or NOT_PAGES"
