"""Signing in: throttling (README: 300 per minute per address, 10 per 15 minutes per
account, the page and the API token endpoint alike), session fixation, revocation
(sign-out, password reset, disabling, token revocation) and cookie flags."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from limits.aio.storage import memory as limits_memory
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in
from support.clock import Clock
from support.security_world import password_hash

from jobfair.app import create_app
from jobfair.context import AppContext
from jobfair.models import User
from jobfair.services import auth
from jobfair.services.identity import Passwords
from jobfair.settings import Settings
from jobfair.web.auth import LIMITS, SESSION_COOKIE, session_signer


class FakeTime:
    """Stands in for ``time`` inside the limiter's memory storage."""

    now = 1_900_000_000.0

    @classmethod
    def time(cls) -> float:
        return cls.now


@pytest.fixture
def limiter_clock(monkeypatch: pytest.MonkeyPatch) -> type[FakeTime]:
    FakeTime.now = 1_900_000_000.0
    monkeypatch.setattr(limits_memory, "time", FakeTime)
    return FakeTime


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions and limits are under test here, not argon2 (0.3 s a verification)."""
    monkeypatch.setattr(
        Passwords,
        "_verify",
        lambda passwords, stored, password, dummy: (
            stored is not None and password == factories.PASSWORD
        ),
    )


def _client(app: Starlette, address: str, scheme: str = "http") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url=f"{scheme}://testserver")


async def _applicant(ctx: AppContext, email: str) -> int:
    async with ctx.unit_of_work() as session:
        row = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, row.user_id)
        assert user is not None
        user.email = email
        user.password_hash = password_hash()
        return user.id


async def _token(http: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    return await http.post("/api/v1/tokens", json={"email": login, "password": password})


async def test_ten_guesses_per_account_across_page_and_api(
    app: Starlette, limiter_clock: type[FakeTime], fast_passwords: None
) -> None:
    http = _client(app, "10.0.0.1")
    elsewhere = _client(app, "10.0.0.2")
    statuses = []
    for n in range(10):
        if n % 2:
            statuses.append((await sign_in(http, "ani@example.test", "salah")).status_code)
        else:
            statuses.append((await _token(http, "ani@example.test", "salah")).status_code)
    assert statuses == [401] * 10
    # The eleventh, from any address and by either door, waits, right password or not.
    assert (await _token(elsewhere, "ANI@example.test", "benar")).status_code == 429
    page = await sign_in(elsewhere, "ani@example.test", "benar")
    assert page.status_code == 429
    # Another account from the same address is not affected.
    assert (await _token(http, "budi@example.test", "salah")).status_code == 401
    # Fifteen minutes on, the account may try again.
    limiter_clock.now += 15 * 60 + 1
    assert (await _token(elsewhere, "ani@example.test", "salah")).status_code == 401
    await http.aclose()
    await elsewhere.aclose()


async def test_the_account_limit_is_keyed_on_the_account_not_the_spelling(
    app: Starlette, ctx: AppContext, limiter_clock: type[FakeTime], fast_passwords: None
) -> None:
    """``081234500001`` and ``+62 812-3450-0001`` are one account: ten wrong guesses
    spread over the spellings lock it (each spelling used to have its own ten)."""
    user_id = await _applicant(ctx, "phone.owner@example.test")
    async with ctx.unit_of_work() as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.phone = "+6281234500001"
    spellings = ["081234500001", "+62 812-3450-0001", "6281234500001", "0812 3450 0001"]
    http = _client(app, "10.0.1.1")
    statuses = [
        (await _token(http, spellings[n % len(spellings)], "salah")).status_code for n in range(10)
    ]
    assert statuses == [401] * 10
    for spelling in spellings:
        assert (await _token(http, spelling, factories.PASSWORD)).status_code == 429
    await http.aclose()


async def test_successful_sign_ins_do_not_count_toward_the_account_limit(
    app: Starlette, ctx: AppContext, limiter_clock: type[FakeTime], fast_passwords: None
) -> None:
    """Signing in as someone with their password, ten times or fifty, locks nobody out;
    only failed tries count."""
    await _applicant(ctx, "sering@example.test")
    http = _client(app, "10.0.1.2")
    for _ in range(12):
        assert (await _token(http, "sering@example.test", factories.PASSWORD)).status_code == 201
    assert (await sign_in(http, "sering@example.test", factories.PASSWORD)).status_code == 303
    for _ in range(9):
        assert (await _token(http, "sering@example.test", "salah")).status_code == 401
    # Nine failures: the owner still gets in.
    assert (await _token(http, "Sering@Example.test", factories.PASSWORD)).status_code == 201
    assert (await _token(http, "sering@example.test", "salah")).status_code == 401
    assert (await _token(http, "sering@example.test", factories.PASSWORD)).status_code == 429
    await http.aclose()


async def test_the_per_address_ceiling_per_minute(
    app: Starlette, limiter_clock: type[FakeTime], fast_passwords: None
) -> None:
    """A high ceiling (a carrier's CGNAT puts many people behind one address); the
    per-account limit is what stops guessing."""
    ceiling = LIMITS["login:address"][0]
    assert ceiling.amount >= 300 and ceiling.get_expiry() == 60
    http = _client(app, "10.0.0.3")
    statuses = []
    for n in range(ceiling.amount):
        # A different account each time: only the address limit applies.
        login = f"orang{n}@example.test"
        response = await (sign_in(http, login, "x") if n % 3 == 0 else _token(http, login, "x"))
        statuses.append(response.status_code)
    assert statuses == [401] * ceiling.amount
    assert (await _token(http, "baru@example.test", "x")).status_code == 429
    assert (await sign_in(http, "baru@example.test", "x")).status_code == 429
    throttled = await _token(http, "baru@example.test", "x")
    assert throttled.json()["error"]["code"] == "too_many_requests"
    # Another address is not affected; a minute later this one may try again.
    other = _client(app, "10.0.0.4")
    assert (await _token(other, "baru@example.test", "x")).status_code == 401
    limiter_clock.now += 61
    assert (await _token(http, "lagi@example.test", "x")).status_code == 401
    await http.aclose()
    await other.aclose()


async def test_a_planted_session_cookie_does_not_survive_sign_in(
    ctx: AppContext, app: Starlette
) -> None:
    """Session fixation: a victim's browser carries the attacker's session (or any
    cookie value) before signing in; after it, the cookie is a new one and the planted
    session is ended, so the attacker does not share the victim's session."""
    await _applicant(ctx, "korban@example.test")
    attacker_id = await _applicant(ctx, "penyerang@example.test")
    async with ctx.unit_of_work() as session:
        attacker = await session.get(User, attacker_id)
        assert attacker is not None
        raw, _row = await auth.start_session(session, attacker, ctx.now())
    planted = session_signer(app.state.settings.secret_key).sign(raw).decode()
    victim = _client(app, "10.0.0.9")
    victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    signed = await sign_in(victim, "korban@example.test", factories.PASSWORD)
    assert signed.status_code == 303
    issued = _cookie(signed, SESSION_COOKIE).split(";")[0].split("=", 1)[1]
    assert issued and issued != planted
    me = await victim.get("/me")
    assert me.status_code == 200 and "korban@example.test" in me.text
    attacker_browser = _client(app, "10.0.0.10")
    attacker_browser.cookies.set(SESSION_COOKIE, planted)
    after = await attacker_browser.get("/me")
    assert after.status_code == 303 and after.headers["location"].startswith("/login")
    # A made-up cookie value is never trusted, and replaced at sign-in as well.
    fresh = _client(app, "10.0.0.11")
    fresh.cookies.set(SESSION_COOKIE, "made-up.value", domain="testserver.local")
    assert (await fresh.get("/me")).status_code == 303
    again = await sign_in(fresh, "korban@example.test", factories.PASSWORD)
    assert "made-up.value" not in _cookie(again, SESSION_COOKIE)


async def _signed_in_everywhere(
    app: Starlette, email: str
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, str]:
    browser = _client(app, "10.0.1.1")
    assert (await sign_in(browser, email, factories.PASSWORD)).status_code == 303
    answer = await _token(browser, email, factories.PASSWORD)
    assert answer.status_code == 201
    api = _client(app, "10.0.1.2")
    api.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    assert (await browser.get("/me")).status_code == 200
    assert (await api.get("/api/v1/me")).status_code == 200
    return browser, api, answer.json()["token"]


async def _assert_ended(browser: httpx.AsyncClient, api: httpx.AsyncClient) -> None:
    page = await browser.get("/me")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert (await api.get("/api/v1/me")).status_code == 401


async def test_sign_out_ends_the_session(app: Starlette, ctx: AppContext) -> None:
    await _applicant(ctx, "ani@example.test")
    browser, api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    cookie = browser.cookies[SESSION_COOKIE]
    token = csrf_of((await browser.get("/me")).text)
    assert (await browser.post("/logout", data={"csrf_token": token})).status_code == 303
    replay = _client(app, "10.0.1.3")
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert (await replay.get("/me")).status_code == 303
    # Signing out of the browser leaves API tokens alone (they are revoked one by one).
    assert (await api.get("/api/v1/me")).status_code == 200


async def test_a_password_reset_ends_every_session_and_token(
    app: Starlette, ctx: AppContext
) -> None:
    user_id = await _applicant(ctx, "ani@example.test")
    browser, api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    raw = auth.new_token()
    async with ctx.unit_of_work() as session:
        from jobfair.models import PasswordReset

        session.add(
            PasswordReset(
                token_hash=auth.token_hash(raw),
                user_id=user_id,
                created_at=ctx.now(),
                expires_at=ctx.now() + auth.RESET_LIFETIME,
            )
        )
    other = _client(app, "10.0.1.4")
    form = await other.get(f"/password/reset?token={raw}", follow_redirects=True)
    assert form.status_code == 200
    done = await other.post(
        "/password/reset", data={"password": "kata-sandi-baru", "csrf_token": csrf_of(form.text)}
    )
    assert done.status_code == 303
    await _assert_ended(browser, api)


async def test_disabling_a_user_ends_every_session_and_token(
    app: Starlette, ctx: AppContext
) -> None:
    user_id = await _applicant(ctx, "ani@example.test")
    browser, api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    async with ctx.unit_of_work() as session:
        await auth.disable_user(session, user_id, ctx.now(), actor_user_id=None)
    await _assert_ended(browser, api)
    # And no new ones: the right password no longer signs in.
    assert (
        await _token(_client(app, "10.0.1.5"), "ani@example.test", factories.PASSWORD)
    ).status_code == 401


async def test_revoking_a_token(app: Starlette, ctx: AppContext) -> None:
    await _applicant(ctx, "ani@example.test")
    await _applicant(ctx, "budi@example.test")
    _browser, api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    _other_browser, other_api, _other = await _signed_in_everywhere(app, "budi@example.test")
    mine = (await _token(_client(app, "10.0.1.6"), "ani@example.test", factories.PASSWORD)).json()
    # Someone else's token id is not found; revoking by cookie is not possible.
    assert (await other_api.delete(f"/api/v1/tokens/{mine['id']}")).status_code == 404
    assert (await _browser.delete(f"/api/v1/tokens/{mine['id']}")).status_code == 401
    second = _client(app, "10.0.1.7")
    second.headers["Authorization"] = f"Bearer {mine['token']}"
    assert (await second.get("/api/v1/me")).status_code == 200
    assert (await api.delete(f"/api/v1/tokens/{mine['id']}")).status_code == 204
    revoked = await second.get("/api/v1/me")
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthorized"
    # Once is enough: a second revocation finds nothing; the other token still works.
    assert (await api.delete(f"/api/v1/tokens/{mine['id']}")).status_code == 404
    assert (await api.get("/api/v1/me")).status_code == 200


async def test_sessions_end_at_an_absolute_limit_however_active(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    """The sliding expiry alone kept a session used once a day alive for ever."""
    await _applicant(ctx, "ani@example.test")
    browser, _api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    used_until = auth.SESSION_ABSOLUTE - timedelta(days=1)
    while clock.now - datetime(2026, 11, 5, 3, 0, tzinfo=UTC) < used_until:
        clock.advance(timedelta(days=1))
        assert (await browser.get("/me")).status_code == 200  # active every day
    clock.advance(timedelta(days=1, seconds=1))
    page = await browser.get("/me")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


async def test_api_tokens_expire_after_the_configured_days(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    await _applicant(ctx, "ani@example.test")
    _browser, api, _token_value = await _signed_in_everywhere(app, "ani@example.test")
    days = ctx.settings.api_token_days
    assert days == 90
    clock.advance(timedelta(days=days) - timedelta(minutes=1))
    assert (await api.get("/api/v1/me")).status_code == 200
    clock.advance(timedelta(minutes=2))
    expired = await api.get("/api/v1/me")
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "unauthorized"


async def test_the_account_page_lists_and_revokes_ones_tokens(
    app: Starlette, ctx: AppContext
) -> None:
    await _applicant(ctx, "ani@example.test")
    await _applicant(ctx, "budi@example.test")
    browser, api, _raw = await _signed_in_everywhere(app, "ani@example.test")
    laptop = (
        await _client(app, "10.0.2.1").post(
            "/api/v1/tokens",
            json={"email": "ani@example.test", "password": factories.PASSWORD, "name": "laptop"},
        )
    ).json()
    _other_browser, _other_api, _other = await _signed_in_everywhere(app, "budi@example.test")
    browser.cookies.set("lang", "en")
    page = await browser.get("/account/tokens")
    assert page.status_code == 200
    assert "laptop" in page.text and "90 days" in page.text
    assert laptop["token"] not in page.text  # never the secret
    assert page.text.count("never") == 1  # the laptop token has not been used; the other has
    revoke = f"/account/tokens/{laptop['id']}/revoke"
    # Another user cannot revoke it; the owner can, once.
    refused = await _other_browser.post(revoke, data={"csrf_token": csrf_of(page.text)})
    assert refused.status_code in {403, 404}
    done = await browser.post(revoke, data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == "/account/tokens?revoked=1"
    laptop_client = _client(app, "10.0.2.2")
    laptop_client.headers["Authorization"] = f"Bearer {laptop['token']}"
    assert (await laptop_client.get("/api/v1/me")).status_code == 401
    after = await browser.get("/account/tokens")
    assert "laptop" not in after.text
    assert (await api.get("/api/v1/me")).status_code == 200  # the other token still works
    assert (await _client(app, "10.0.2.3").get("/account/tokens")).status_code == 303


async def test_a_csrf_token_is_good_for_its_own_session_only(
    app: Starlette, ctx: AppContext
) -> None:
    """A CSRF cookie and token pair taken from one session (the attacker's own, planted
    in the victim's browser by a neighbour subdomain) used to pass in any session."""
    await _applicant(ctx, "ani@example.test")
    await _applicant(ctx, "budi@example.test")
    victim, _api, _raw = await _signed_in_everywhere(app, "ani@example.test")
    attacker, _other_api, _other = await _signed_in_everywhere(app, "budi@example.test")
    attacker_page = await attacker.get("/me/profile")
    attacker_token = csrf_of(attacker_page.text)
    # The victim's browser now holds the attacker's CSRF cookie.
    victim.cookies.set("jobfair_csrf", attacker.cookies["jobfair_csrf"])
    forged = await victim.post("/logout", data={"csrf_token": attacker_token})
    assert forged.status_code == 403
    assert (await victim.get("/me")).status_code == 200  # still signed in
    # The victim's own page carries a token that works for the victim.
    own = csrf_of((await victim.get("/me/profile")).text)
    assert (await victim.post("/logout", data={"csrf_token": own})).status_code == 303


def _cookie(response: httpx.Response, name: str) -> str:
    found = [value for value in response.headers.get_list("set-cookie") if value.startswith(name)]
    assert found, f"no {name} cookie in {response.headers.get_list('set-cookie')}"
    return found[0]


@pytest.fixture
async def production_app(settings: Settings, clock: object) -> AsyncIterator[Starlette]:
    application = create_app(
        settings.with_overrides(environment="production", base_url="https://bursa.example"),
        clock=clock,  # type: ignore[arg-type]
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.mark.parametrize("environment", ["development", "production"])
async def test_cookie_flags(
    environment: str, app: Starlette, production_app: Starlette, ctx: AppContext
) -> None:
    chosen = production_app if environment == "production" else app
    await _applicant(chosen.state.ctx, "ani@example.test")
    # Secure cookies travel over https only (behind the TLS-terminating proxy).
    http = _client(chosen, "10.0.2.1", "https" if environment == "production" else "http")
    form = await http.get("/login")
    signed = await sign_in(http, "ani@example.test", factories.PASSWORD)
    assert signed.status_code == 303
    prefix = "__Host-" if environment == "production" else ""
    for response, name in ((form, "jobfair_csrf"), (signed, "jobfair_session")):
        cookie = _cookie(response, prefix + name)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert ("Secure" in cookie) == (environment == "production"), cookie
    reset = await http.get("/password/reset?token=abc")
    cookie = _cookie(reset, ("__Secure-" if environment == "production" else "") + "jobfair_reset")
    assert "HttpOnly" in cookie and ("Secure" in cookie) == (environment == "production")
    hsts = (await http.get("/")).headers.get("strict-transport-security")
    if environment == "production":
        assert (
            hsts and "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 15552000
        )
    else:
        assert hsts is None


async def test_a_tokens_expiry_is_fixed_when_it_is_made(
    app: Starlette, ctx: AppContext, settings: Settings, clock: Clock
) -> None:
    """Shortening JOBFAIR_API_TOKEN_DAYS applies to new tokens; it does not end the
    tokens already handed out (their clients were told 90 days)."""
    await _applicant(ctx, "ani@example.test")
    _browser, old_api, _raw = await _signed_in_everywhere(app, "ani@example.test")
    shorter = create_app(settings.with_overrides(api_token_days=10), clock=clock)
    async with shorter.router.lifespan_context(shorter):
        fresh = (
            await _token(_client(shorter, "10.0.3.1"), "ani@example.test", factories.PASSWORD)
        ).json()
        new_api = _client(shorter, "10.0.3.2")
        new_api.headers["Authorization"] = f"Bearer {fresh['token']}"
        old_api_on_shorter = _client(shorter, "10.0.3.3")
        old_api_on_shorter.headers["Authorization"] = old_api.headers["Authorization"]
        clock.advance(timedelta(days=11))
        assert (await new_api.get("/api/v1/me")).status_code == 401
        assert (await old_api_on_shorter.get("/api/v1/me")).status_code == 200
