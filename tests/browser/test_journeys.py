"""The whole story in real Chromium, on a phone and on a desktop: a job seeker registers,
uploads a CV and applies; a recruiter screens the application, stages a decision with a
message and sends the decisions; once the undo window has passed the job seeker sees the
answer; the organiser's live dashboard counts an application that arrives through the
API. Every page is watched for console errors and CSP violations.

Each person has their own ``chromium.launch``: in one headless browser only the front
page renders reliably, and htmx's websocket pauses hidden pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from support import factories
from support.browser_scene import (
    FAIR_SLUG,
    ORGANISER_EMAIL,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    deliver_due_decisions,
    sign_in,
    wait_until_live,
    watch,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

# What the applicant is told, per decision (notifications.STATUS_WORDS, English).
TOLD = {
    "shortlisted": ("Shortlisted", "You are on the shortlist."),
    "rejected": ("Not selected", "You were not selected this time."),
}


def _launch(pw: Any) -> Any:
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.mark.parametrize(
    ("viewport", "decision"), [("phone", "shortlisted"), ("desktop", "rejected")]
)
def test_register_apply_screen_and_hear_back(
    scene: Scene, pw: Any, tmp_path: Path, viewport: str, decision: str
) -> None:
    from playwright.sync_api import expect

    cv = tmp_path / "CV Budi.pdf"
    cv.write_bytes(factories.pdf_bytes())
    problems: list[str] = []
    applicant_browser, recruiter_browser = _launch(pw), _launch(pw)
    applicant = applicant_browser.new_context(**VIEWPORTS[viewport])
    recruiter = recruiter_browser.new_context(**VIEWPORTS[viewport])
    for context in (applicant, recruiter):
        watch(context, problems)
    page = applicant.new_page()

    # The job seeker registers; the province picks the regency list (htmx).
    page.goto(scene.url("/register?lang=en"))
    page.fill("#nik", factories.MAN_NIK)
    page.fill("#full_name", "Budi Santoso")
    page.check("input[name=sex][value=L]")
    page.fill("#birth_date", "1999-08-15")
    page.select_option("#ktp_province", "12")
    expect(page.locator("#ktp_regency_code option[value='12.09']")).to_have_count(1)
    page.select_option("#ktp_regency_code", "12.09")
    page.select_option("#domicile_province", "12")
    expect(page.locator("#domicile_regency_code option[value='12.74']")).to_have_count(1)
    page.select_option("#domicile_regency_code", "12.74")
    page.select_option("#education_level", "SMK")
    page.fill("#email", "budi@example.test")
    page.fill("#password", factories.PASSWORD)
    page.check("#consent")
    page.get_by_role("button", name="Register", exact=True).click()
    # Registering signs nobody in (the same answer for known details): sign in next.
    expect(page.get_by_role("status")).to_contain_text("Thank you for registering")
    page.fill("#login", "budi@example.test")
    page.fill("#password", factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(scene.url("/me?welcome=1"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budi Santoso")

    page.set_input_files("#file", str(cv))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Your CV has been uploaded.")).to_be_visible()

    # From the fair page to the booth to the vacancy, as a visitor would.
    page.goto(scene.url(scene.fair))
    page.get_by_role("link", name="PT Kebun Asahan").first.click()
    page.get_by_role("link", name="Mandor Panen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandor Panen")
    page.get_by_role("button", name="Apply for this vacancy").click()
    expect(page.get_by_text("Your application has been sent.")).to_be_visible()
    expect(page.locator("strong.status")).to_have_text("Sent")
    if viewport == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page is wider than the phone: {width}px"

    # The recruiter opens the application and stages a decision with a message.
    desk = recruiter.new_page()
    sign_in(desk, scene.base, RECRUITER_EMAIL)
    desk.goto(scene.url("/company/applications"))
    expect(desk.get_by_text("2 applications")).to_be_visible()
    desk.get_by_role("link", name="Budi Santoso", exact=True).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Budi Santoso")
    # The CV shown on the page, with its download beside it.
    expect(desk.get_by_role("link", name="Download the CV (PDF)")).to_be_visible()
    expect(desk.locator("iframe[title='The CV of Budi Santoso (PDF)']")).to_be_attached()
    desk.select_option("#status", decision)
    desk.fill("#decision-note", "Terima kasih sudah melamar di PT Kebun Asahan.")
    desk.get_by_role("button", name="Stage", exact=True).click()
    expect(desk.locator("dl.facts")).to_contain_text("(not sent)")

    # Staged is not sent: the applicant still sees "Sent".
    page.goto(scene.url("/me/applications"))
    expect(page.locator(".status").first).to_have_text("Sent")

    desk.get_by_role("link", name="Applications").first.click()
    expect(desk.get_by_text("1 decision is staged")).to_be_visible()
    desk.get_by_role("button", name="Send decisions").click()
    expect(desk.get_by_role("button", name="Undo")).to_be_visible()

    # The undo window (3 minutes) passes: the worker's task delivers the decision.
    assert deliver_due_decisions(scene.settings) == 1
    status, words = TOLD[decision]
    page.goto(scene.url("/me/applications"))
    expect(page.get_by_role("link", name="Mandor Panen")).to_be_visible()
    expect(page.locator(".status").first).to_have_text(status)
    page.goto(scene.url("/me/notifications"))
    expect(page.locator(".cards .card").first).to_contain_text(words)
    expect(page.locator(".cards .card .badge").first).to_have_text("New")

    desk.reload()
    expect(desk.get_by_role("button", name="Undo")).to_have_count(0)
    applicant_browser.close()
    recruiter_browser.close()
    assert problems == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_watches_an_application_arrive(scene: Scene, pw: Any, viewport: str) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    browser = _launch(pw)
    context = browser.new_context(**VIEWPORTS[viewport])
    watch(context, problems)
    page = context.new_page()
    sign_in(page, scene.base, ORGANISER_EMAIL)
    page.goto(scene.url(f"/organiser/fairs/{FAIR_SLUG}/live"))
    counter = page.locator("#organiser-live [data-counter=applications]")
    expect(counter).to_have_text("1")  # Siti's
    expect(page.locator("#organiser-live")).to_contain_text("Krani Timbang")  # no application
    wait_until_live(page)

    response = httpx.post(
        scene.url(f"/api/v1/vacancies/{scene.vacancy_ids[1]}/applications"),
        headers={"Authorization": f"Bearer {scene.applicant_tokens[0]}"},
    )
    assert response.status_code == 201, response.text
    expect(counter).to_have_text("2")
    expect(page.locator("#organiser-live [data-counter=unreviewed]")).to_have_text("2")
    expect(page.get_by_text("Every vacancy has at least one application.")).to_be_visible()
    # No reload: the same document received the update over the websocket.
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    browser.close()
    assert problems == []
