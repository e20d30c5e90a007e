"""The shared set of the browser journeys: an open fair with one booth, two vacancies,
a recruiter, an organiser and applicants who can sign in — written before the server
starts, on the real clock — and small Playwright helpers (viewports, a watcher for
console errors and CSP violations, keyboard focus, axe-core)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.models import (
    Applicant,
    Booth,
    BoothMessage,
    BoothSlot,
    DirectPlacement,
    Drive,
    DriveFair,
    DrivePartner,
    DriveRegency,
    SlotBooking,
    User,
)
from jobfair.services import auth, conversations, screening
from jobfair.settings import Settings
from jobfair.worker.tasks import deliver_decisions
from support import factories
from support.factories import hash_password

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

T = TypeVar("T")

AXE = Path(__file__).parents[1] / "browser" / "vendor" / "axe-core-4.14.1" / "axe.min.js"

# Playwright context options: a small Android phone and an office desktop.
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

# Runs before any page script (Playwright injects it outside the page's CSP): a CSP
# violation becomes a console error, which the watcher collects.
CSP_PROBE = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""

# Counts the frames the page's websockets receive, so a test can wait until the live
# connection is subscribed (its first frame is the server's snapshot) before it makes
# something happen — else the change could come before the subscription and be missed.
LIVE_PROBE = """
window.__liveFrames = 0;
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => { window.__liveFrames += 1; });
  }
};
"""

FAIR_SLUG = "bursa-uji-asahan"
COMPANY_SLUG = "pt-kebun-asahan"
RECRUITER_EMAIL = "hrd@kebun.test"
ORGANISER_EMAIL = "petugas@disnaker.test"
# Long on purpose: a real address like this once made /me 422 px wide at 360 px.
APPLICANT_EMAIL = "siti.rahmawati.kisaran@contoh-bursa-kerja.test"
APPLICANT_NAME = "Siti Rahmawati"
PASSWORD = factories.PASSWORD


@dataclass
class Scene:
    base: str
    settings: Settings
    booth_id: int
    vacancy_ids: list[int]  # "Mandor Panen", "Krani Timbang"
    application_id: int  # Siti's application to "Mandor Panen"
    applicant_tokens: list[str]  # API tokens of applicants with no application yet
    drive_id: int  # the office's hiring drive: the fair linked, the company a partner
    direct_placement_id: int  # the company's direct placement of Siti, unanswered

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    @property
    def fair(self) -> str:
        return f"/fairs/{FAIR_SLUG}"


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own loop in its own thread: the tests are synchronous
    (Playwright's sync API) and the server runs its loop in another thread."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(make()))
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


async def build_scene(settings: Settings) -> dict[str, Any]:
    ctx = AppContext.create(settings)
    now = datetime.now(UTC)
    try:
        await upgrade(ctx.engine)
        async with ctx.unit_of_work() as session:
            office = await factories.office(session)
            fair = await factories.fair(
                session, office_row=office, slug=FAIR_SLUG, opens_at=now - timedelta(days=1)
            )
            company = await factories.company(session, slug=COMPANY_SLUG, name="PT Kebun Asahan")
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancies = [
                await factories.vacancy(session, booth_row=booth, title=title)
                for title in ("Mandor Panen", "Krani Timbang")
            ]
            await factories.recruiter(session, company_row=company, email=RECRUITER_EMAIL)
            await factories.organiser(session, office_row=office, email=ORGANISER_EMAIL)
            siti = await factories.applicant(session, vault=ctx.nik_vault, sex="P")
            user = await session.get(User, siti.user_id)
            assert user is not None
            user.email = APPLICANT_EMAIL
            user.full_name = APPLICANT_NAME
            user.password_hash = hash_password(PASSWORD)
            application = await factories.application(
                session, vacancy_row=vacancies[0], applicant_row=siti
            )
            drive = Drive(
                office_id=office.id,
                name="Gerakan Asahan Bekerja",
                first_day=(now - timedelta(days=7)).date(),
                last_day=(now + timedelta(days=53)).date(),
                target=3000,
                created_at=now,
                updated_at=now,
            )
            drive.regencies = [DriveRegency(regency_code="12.09")]
            session.add(drive)
            await session.flush()
            session.add(DriveFair(drive_id=drive.id, fair_id=fair.id))
            session.add(DrivePartner(drive_id=drive.id, company_id=company.id, added_at=now))
            direct = DirectPlacement(
                drive_id=drive.id,
                company_id=company.id,
                applicant_id=siti.id,
                reported_at=now,
                start_date=now.date(),
                job_title="Mandor Panen",
            )
            session.add(direct)
            await session.flush()
            tokens = []
            for _ in range(2):
                person = await factories.applicant(session, vault=ctx.nik_vault)
                other = await session.get(User, person.user_id)
                assert other is not None
                tokens.append(
                    (
                        await auth.create_api_token(
                            session, other, lifetime=factories.TOKEN_LIFETIME
                        )
                    )[0]
                )
            # Booked 1:1 slots: three free ones tomorrow (09:00, 09:20, 09:40 in the
            # fair's zone), one booked by another applicant, and a message they left.
            tomorrow = fair.local(now).date() + timedelta(days=1)
            nine = datetime.combine(tomorrow, time(9, 0), tzinfo=fair.zone).astimezone(UTC)
            slots = [
                BoothSlot(booth_id=booth.id, starts_at=nine + timedelta(minutes=20 * n),
                          minutes=20, capacity=1)
                for n in range(4)
            ]  # fmt: skip
            session.add_all(slots)
            await session.flush()
            session.add(
                SlotBooking(
                    slot_id=slots[3].id,
                    booth_id=booth.id,
                    applicant_id=person.id,
                    active_slot_id=slots[3].id,
                    active_booth_id=booth.id,
                )
            )
            session.add(
                BoothMessage(
                    booth_id=booth.id,
                    applicant_id=person.id,
                    vacancy_id=vacancies[1].id,
                    body="Selamat siang, apakah lowongan Krani Timbang menerima lulusan SMA "
                    "dari luar Kabupaten Asahan? Terima kasih.",
                )
            )
            return {
                "booth_id": booth.id,
                "vacancy_ids": [row.id for row in vacancies],
                "application_id": application.id,
                "applicant_tokens": tokens,
                "drive_id": drive.id,
                "direct_placement_id": direct.id,
            }
    finally:
        await ctx.close()


def deliver_due_decisions(settings: Settings) -> int:
    """Run the ``deliver_decisions`` task as the worker would once the undo window has
    passed: on a clock moved past the window, instead of waiting three minutes."""

    async def deliver() -> int:
        later = datetime.now(UTC) + screening.UNDO_WINDOW + timedelta(seconds=5)
        ctx = AppContext.create(settings, clock=lambda: later)
        try:
            return int(await deliver_decisions(ctx))
        finally:
            await ctx.close()

    return run_async(deliver)


def watch(context: BrowserContext, problems: list[str]) -> None:
    """Collect console errors (CSP violations included) and uncaught page errors."""
    context.add_init_script(CSP_PROBE)
    context.add_init_script(LIVE_PROBE)

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))


def wait_until_live(page: Page, timeout: float = 30.0) -> None:
    """Wait for the first websocket frame of the page (a page of a watched context).
    Polled from here: ``wait_for_function`` evaluates its predicate with ``eval`` in the
    page, which the CSP (no 'unsafe-eval') refuses."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate("window.__liveFrames || 0"):
        assert time.monotonic() < deadline, "no live frame arrived"
        page.wait_for_timeout(100)


def sign_in(page: Page, base: str, login: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/login?lang=en")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(f"{base}/login?lang=en")
    expect(page.locator("#login")).to_have_count(0)


# ------------------------------------------------------------------- accessibility

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def axe_context(browser: Browser, viewport: str) -> BrowserContext:
    """A context whose pages all carry axe-core: loaded as an init script (parsed as the
    page loads, much faster than a script tag added afterwards), and with the pages' CSP
    bypassed, since it forbids the injected script. The journeys check the CSP."""
    context = browser.new_context(bypass_csp=True, **VIEWPORTS[viewport])
    context.add_init_script(path=AXE)
    return context


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (a page of :func:`axe_context`)."""
    return list(page.evaluate(AXE_RUN))


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)


# ------------------------------------------------------------------------ keyboard

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: (el.getAttribute("aria-label") || el.innerText || el.value || "").trim(),
    href: el.getAttribute("href") || "",
    visible: outline || ring,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUS_STATE)  # type: ignore[no-any-return]


SKIPPED_HEADINGS = """() => {
  let previous = 0;
  const skipped = [];
  for (const el of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(el.tagName[1]);
    if (level > previous + 1) skipped.push(el.tagName.toLowerCase() + " " + el.innerText.trim());
    previous = level;
  }
  return skipped;
}"""


def skipped_headings(page: Page) -> list[str]:
    """Headings that skip a level after the one before (an h3 straight after an h1):
    screen-reader users navigate a page by its heading outline."""
    return list(page.evaluate(SKIPPED_HEADINGS))


def tab_to(
    page: Page, matches: Callable[[dict[str, Any]], bool], *, limit: int = 60
) -> dict[str, Any]:
    """Press Tab until the focused element matches; every element on the way must show
    a visible focus indicator."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None:
            continue
        assert state["visible"], f"no visible focus style on {state}"
        if matches(state):
            return state
    raise AssertionError(f"Tab never reached the element after {limit} presses")


# ------------------------------------------------------------ two web processes


async def add_slot_starting_soon(settings: Settings, booth_id: int, *, minutes: int = 3) -> int:
    """A free 20-minute slot at the booth starting ``minutes`` from now: still bookable
    (it starts in the future) and already "on" (inside the five-minute lead-in), so the
    applicant who books it is at the head of the queue — on the real clock, which a web
    process in its own subprocess runs on."""
    ctx = AppContext.create(settings)
    try:
        async with ctx.unit_of_work() as session:
            slot = BoothSlot(
                booth_id=booth_id,
                starts_at=datetime.now(UTC) + timedelta(minutes=minutes),
                minutes=20,
                capacity=1,
            )
            session.add(slot)
            await session.flush()
            return slot.id
    finally:
        await ctx.close()


async def someone_else_joins(settings: Settings, booth_id: int) -> None:
    """Another applicant of the scene (not Siti) joins the booth's queue, as the queue
    service does for a join from the booth page, while a recruiter is online."""
    ctx = AppContext.create(settings)
    try:
        async with ctx.unit_of_work() as session:
            other = await session.scalar(
                select(Applicant)
                .join(User, User.id == Applicant.user_id)
                .where(User.email != APPLICANT_EMAIL)
                .order_by(Applicant.id)
                .limit(1)
            )
            booth = await session.get(Booth, booth_id)
            assert other is not None and other.user_id is not None and booth is not None
            await conversations.join_queue(
                session,
                applicant=other,
                user_id=other.user_id,
                booth=booth,
                now=datetime.now(UTC),
                recruiters_online=1,
                limits=conversations.ChatLimits.from_settings(settings),
            )
            fair_id = booth.fair_id
    finally:
        await ctx.close()
    if settings.redis_url:
        # A web process's live layer would publish this notice after the commit; this
        # join ran outside them, so tell them, or their chat state stays cached a while.
        from redis.asyncio import Redis

        from jobfair.live.hub import RedisHub

        redis = Redis.from_url(settings.redis_url)
        try:
            hub = RedisHub(redis, prefix=f"{settings.redis_namespace}:live:")
            await hub.publish([fair_id], chat_fair_ids=[fair_id])
        finally:
            await redis.aclose()
