"""Regenerate the screenshots of the README from the demo data.

    .venv/bin/python docs/screenshots/make.py [--lang id|en]

Builds the demo (``jobfair demo --no-serve``) in a temporary data directory, compiles
the demo fair's report, serves it on a free port, and takes each screenshot in Debian's
Chromium through Playwright (``pip install -e '.[test]'``; ``apt install chromium``).
The PNGs are reduced to a 256-colour palette with Pillow so each stays small.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from PIL import Image

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
FAIR = "bursa-kerja-virtual-asahan-2026"
BOOTH = "pt-sawit-asahan-lestari"
PASSWORD = "bursakerja"  # noqa: S105 - the public demo login (jobfair.demo.DEMO_PASSWORD)
APPLICANT = "pelamar@bursakerja.test"
RECRUITER = "rekruter@bursakerja.test"
ORGANISER = "penyelenggara@bursakerja.test"

PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 1.5,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
PHONE_MAX_HEIGHT = 900  # CSS pixels of a long phone page that are kept
MAX_BYTES = 150_000


def _jobfair(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "jobfair.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _run(env: dict[str, str], *args: str) -> None:
    process = _jobfair(env, *args)
    if process.wait() != 0:
        raise SystemExit(f"jobfair {' '.join(args)} failed")


@contextmanager
def demo_server() -> Iterator[str]:
    """The demo in a throw-away data directory, served on a free port."""
    with tempfile.TemporaryDirectory(prefix="jobfair-shots-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JOBFAIR_")}
        env.update(JOBFAIR_DATA_DIR=data_dir, JOBFAIR_LOG_LEVEL="WARNING")
        _run(env, "demo", "--no-serve")
        _run(env, "report", "compile", FAIR)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = _jobfair(env, "serve", "--host", "127.0.0.1", "--port", str(port))
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - local URL
                        break
                except (URLError, ConnectionError):
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the demo server did not start") from None
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def save(png: bytes, name: str) -> None:
    """Write the screenshot as a 256-colour palette PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = 256
    while True:
        buffer = io.BytesIO()
        palette = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=0)
        palette.save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES or colours <= 32:
            break
        colours //= 2
    (HERE / name).write_bytes(buffer.getvalue())
    print(f"{name}: {image.width}×{image.height}, {buffer.tell() // 1024} KB, {colours} colours")


def _api(base: str, path: str, body: dict[str, Any] | None = None, token: str = "") -> Any:
    request = Request(  # noqa: S310 - the local demo server
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
        method="POST" if body is not None else "GET",
    )
    try:
        with urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())
    except HTTPError:
        return None


def apply_as_demo_applicant(base: str, count: int) -> int:
    """A few applications through the API, so the live dashboard has something to show."""
    token = _api(base, "/tokens", {"email": APPLICANT, "password": PASSWORD})["token"]
    vacancies = _api(base, f"/fairs/{FAIR}/vacancies?per_page=50")["vacancies"]
    sent = 0
    for vacancy in reversed(vacancies):
        if sent == count:
            break
        if _api(base, f"/vacancies/{vacancy['id']}/applications", {}, token) is not None:
            sent += 1
    return sent


def apply_to_company(base: str, company_slug: str) -> None:
    """One application of the demo applicant to a vacancy of that company (if it can)."""
    token = _api(base, "/tokens", {"email": APPLICANT, "password": PASSWORD})["token"]
    vacancies = _api(base, f"/fairs/{FAIR}/vacancies?per_page=50")["vacancies"]
    for vacancy in vacancies:
        if vacancy["company"]["slug"] != company_slug:
            continue
        if _api(base, f"/vacancies/{vacancy['id']}/applications", {}, token) is not None:
            return


def _cv_file() -> dict[str, Any]:
    """A one-page PDF CV, made with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, 770, "Curriculum Vitae")
    pdf.setFont("Helvetica", 11)
    for number, line in enumerate(("Pelamar Demo", "SMK Teknik Mesin, 2022", "Operator")):
        pdf.drawString(72, 740 - 18 * number, line)
    pdf.showPage()
    pdf.save()
    return {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def phone_shot(page: Any, max_height: int = PHONE_MAX_HEIGHT) -> bytes:
    """The top of the page, at most ``max_height`` CSS pixels tall."""
    height = page.evaluate("document.documentElement.scrollHeight")
    return bytes(
        page.screenshot(
            full_page=True,
            clip={"x": 0, "y": 0, "width": 360, "height": min(height, max_height)},
        )
    )


def sign_in(page: Any, base: str, login: str, lang: str) -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()


def take(base: str, playwright: Any, lang: str) -> None:
    from playwright.sync_api import expect

    def person(options: dict[str, Any], login: str | None, shots: Callable[[Any], None]) -> None:
        # One browser per person: headless Chromium renders only its front page, and
        # the live pages' websocket pauses while a page is hidden.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**options).new_page()
        if login:
            sign_in(page, base, login, lang)
        shots(page)
        browser.close()

    fair = f"{base}/fairs/{FAIR}"

    def visitor(page: Any) -> None:
        page.goto(f"{fair}?lang={lang}")
        save(phone_shot(page, 1500), "fair-page.png")  # down to the first booths
        page.goto(f"{fair}/booths/{BOOTH}")
        # The live counters count this visitor once the websocket is connected.
        online = page.locator("[id^=booth-counters-] [data-counter=online]")
        expect(online).to_have_text(re.compile(r"^\s*[1-9]"))
        save(phone_shot(page), "booth-page.png")
        vacancy = page.locator("a[href*='/vacancies/']").first.get_attribute("href")
        page.goto(f"{base}{vacancy}")
        save(phone_shot(page), "vacancy-page.png")
        page.goto(f"{base}/register")
        page.select_option("#ktp_province", "12")
        expect(page.locator("#ktp_regency_code option[value='12.09']")).to_have_count(1)
        page.select_option("#ktp_regency_code", "12.09")
        save(phone_shot(page), "register.png")

    def applicant(page: Any) -> None:
        # A CV and an application to the recruiter's company, for the CV preview shot.
        page.goto(f"{base}/me")
        page.set_input_files("#file", files=[_cv_file()])
        with page.expect_navigation():
            page.locator("form[enctype] button[type=submit]").click()
        apply_to_company(base, BOOTH)
        page.goto(f"{base}/me/applications")
        save(phone_shot(page), "my-applications.png")
        page.goto(f"{base}/me/data/page")
        save(phone_shot(page), "my-data.png")

    def recruiter(page: Any) -> None:
        page.goto(f"{base}/company/applications?sort=-submitted")
        save(bytes(page.screenshot()), "company-applications.png")
        # An applicant of that table with a CV: next/previous, contact links, CV preview.
        rows = page.locator("table tbody tr")
        with_cv = rows.filter(has=page.locator("a[href$='/cv']"))
        row = with_cv.first if with_cv.count() else rows.first
        first = row.locator("a[href*='/company/applications/']").first
        first.click()
        page.wait_for_load_state()
        save(bytes(page.screenshot()), "company-application.png")

    def organiser(page: Any) -> None:
        page.goto(f"{base}/organiser/fairs/{FAIR}/live")
        counter = page.locator("#organiser-live [data-counter=applications]")
        before = counter.inner_text()
        if apply_as_demo_applicant(base, 3):
            expect(counter).not_to_have_text(before)  # arrived over the websocket
        save(bytes(page.screenshot()), "organiser-live.png")
        page.goto(f"{base}/organiser/fairs/{FAIR}/report")
        save(bytes(page.screenshot()), "report.png")
        page.goto(f"{base}/organiser/office")
        save(bytes(page.screenshot()), "office-settings.png")

    person(PHONE, None, visitor)
    person(PHONE, APPLICANT, applicant)
    person(DESKTOP, RECRUITER, recruiter)
    person(DESKTOP, ORGANISER, organiser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with demo_server() as base, sync_playwright() as playwright:
        take(base, playwright, args.lang)


if __name__ == "__main__":
    main()
