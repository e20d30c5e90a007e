"""Accessibility in real Chromium: axe-core (vendored under ``vendor/``, injected by
Playwright, never fetched at run time) on the key pages of every role at a phone and a
desktop size — no ``serious`` or ``critical`` violation is allowed, the rest is printed —
and one journey done with the keyboard alone: the skip link, a visible focus on every
stop, signing in and applying, and the recruiter staging a decision."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from support.browser_scene import (
    APPLICANT_EMAIL,
    APPLICANT_NAME,
    AXE,
    COMPANY_SLUG,
    FAIR_SLUG,
    ORGANISER_EMAIL,
    PASSWORD,
    RECRUITER_EMAIL,
    VIEWPORTS,
    Scene,
    axe_context,
    axe_violations,
    describe,
    focused,
    sign_in,
    tab_to,
)
from support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def test_vendored_axe_matches_its_checksums() -> None:
    folder = AXE.parent
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    assert {line.split()[1] for line in lines} >= {"axe.min.js", "LICENSE"}
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert "axe v4.14.1" in AXE.read_text()[:200]


def _open_filters(page: Any) -> None:
    page.locator("details.filter-box > summary").click()


def _pick_province(page: Any) -> None:
    from playwright.sync_api import expect

    page.select_option("#ktp_province", "12")
    expect(page.locator("#ktp_regency_code option[value='12.09']")).to_have_count(1)


def _submit_empty(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()


Step = tuple[str, Callable[[Any], None] | None]


def _pages(scene: Scene) -> dict[str | None, list[Step]]:
    """The pages to check, per person who signs in (None: a visitor)."""
    fair = f"/fairs/{FAIR_SLUG}"
    organiser = f"/organiser/fairs/{FAIR_SLUG}"
    return {
        None: [
            ("/", None),
            (fair, None),
            (f"{fair}/booths/{COMPANY_SLUG}", None),
            (f"{fair}/vacancies", None),
            (f"{fair}/vacancies/{scene.vacancy_ids[0]}", None),
            ("/login", None),
            ("/register", _pick_province),
            ("/register", _submit_empty),
        ],
        APPLICANT_EMAIL: [
            ("/me", None),
            ("/me/applications", None),
            (f"/me/applications/{scene.application_id}", None),
            ("/me/notifications", None),
            ("/me/data/page", None),
            ("/me/profile", None),
            ("/me/sharing", None),
            (f"/me/placements/{scene.direct_placement_id}", None),
            ("/me/bookings", None),
            (f"{fair}/booths/{COMPANY_SLUG}", None),
            (f"{fair}/vacancies/{scene.vacancy_ids[1]}", None),
            (f"{fair}/booths/{COMPANY_SLUG}/chat", None),
        ],
        RECRUITER_EMAIL: [
            ("/company", None),
            ("/company/applications", _open_filters),
            (f"/company/applications/{scene.application_id}", None),
            ("/company/drives", None),
            (f"/company/drives/{scene.drive_id}/placements", None),
            (f"/company/booths/{scene.booth_id}/slots", None),
            ("/company/messages", None),
            (f"/company/booths/{scene.booth_id}/chat", None),
        ],
        ORGANISER_EMAIL: [
            ("/organiser", None),
            (organiser, None),
            (f"{organiser}/live", None),
            (f"{organiser}/queue", None),
            (f"{organiser}/chat-reports", None),
            (f"{organiser}/report", None),
            ("/organiser/office", None),
            ("/organiser/drives", None),
            ("/organiser/drives/new", None),
            (f"/organiser/drives/{scene.drive_id}", None),
            ("/organiser/office/statistics", None),
            ("/organiser/officer", None),
            ("/organiser/walk-in", None),
            ("/organiser/evaluation", None),
            ("/organiser/interchange", None),
        ],
    }


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_key_pages_have_no_serious_axe_violation(scene: Scene, pw: Any, viewport: str) -> None:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    blocking: dict[str, Any] = {}
    too_wide: dict[str, int] = {}
    for person, steps in _pages(scene).items():
        # One person at a time, one page open: only the front page renders reliably.
        context = axe_context(browser, viewport)
        page = context.new_page()
        if person is not None:
            sign_in(page, scene.base, person)
        for path, before in steps:
            response = page.goto(scene.url(f"{path}{'&' if '?' in path else '?'}lang=en"))
            assert response is not None and response.status == 200, path
            if before is not None:
                before(page)
            violations = axe_violations(page)
            label = f"{viewport} {path}" + (f" ({before.__name__})" if before else "")
            for violation in violations:
                print(f"axe {label}: {violation['impact']} {violation['id']}: {violation['help']}")
            serious = [v for v in violations if v["impact"] in BLOCKING]
            if serious:
                blocking[label] = serious
            # Nothing may make the whole page scroll sideways (WCAG 1.4.10 reflow);
            # wide tables scroll inside their own box.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["viewport"]["width"]:
                too_wide[label] = width
        context.close()
    browser.close()
    assert not blocking, describe([{"page": k, "violations": v} for k, v in blocking.items()])
    assert not too_wide, too_wide


def test_apply_and_stage_a_decision_with_the_keyboard_only(scene: Scene, pw: Any) -> None:
    from playwright.sync_api import expect

    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def keyboard_sign_in(page: Any, login: str) -> None:
        page.goto(scene.url("/login?lang=en"))
        # The first Tab reaches the skip link, shown on screen with a focus ring.
        page.keyboard.press("Tab")
        skip = focused(page)
        assert skip is not None and skip["href"] == "#main", skip
        assert skip["visible"] and skip["onScreen"], skip
        page.keyboard.press("Enter")
        expect(page).to_have_url(scene.url("/login?lang=en#main"))
        assert page.evaluate("document.activeElement.id") == "main"
        tab_to(page, lambda el: el["id"] == "login")
        page.keyboard.type(login)
        tab_to(page, lambda el: el["id"] == "password")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "login"
        tab_to(page, lambda el: el["tag"] == "button" and el["name"] == "Sign in")
        page.keyboard.press("Enter")
        expect(page.locator("#login")).to_have_count(0)

    # The applicant signs in and applies to the second vacancy.
    context = browser.new_context(**VIEWPORTS["desktop"])
    page = context.new_page()
    keyboard_sign_in(page, APPLICANT_EMAIL)
    expect(page).to_have_url(scene.url("/me"))
    page.goto(scene.url(f"/fairs/{FAIR_SLUG}/vacancies/{scene.vacancy_ids[1]}"))
    tab_to(page, lambda el: el["name"] == "Apply for this vacancy")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your application has been sent.")).to_be_visible()
    context.close()

    # The recruiter opens the application and stages "shortlisted" with a message.
    context = browser.new_context(**VIEWPORTS["desktop"])
    page = context.new_page()
    keyboard_sign_in(page, RECRUITER_EMAIL)
    page.goto(scene.url("/company/applications"))
    tab_to(page, lambda el: el["tag"] == "a" and el["name"] == APPLICANT_NAME)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(APPLICANT_NAME)
    tab_to(page, lambda el: el["id"] == "status")
    for _ in range(10):  # a closed <select> changes with the arrow keys
        if page.locator("#status").input_value() == "shortlisted":
            break
        page.keyboard.press("ArrowDown")
    assert page.locator("#status").input_value() == "shortlisted"
    tab_to(page, lambda el: el["id"] == "decision-note")
    page.keyboard.type("Kami akan menghubungi Anda untuk wawancara.")
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == "Stage")
    page.keyboard.press("Space")
    expect(page.locator("dl.facts")).to_contain_text("Shortlisted (not sent)")
    context.close()
    browser.close()
