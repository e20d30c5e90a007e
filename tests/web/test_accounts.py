"""Accounts in the browser: registration, sign in and out, sessions, CSRF, password
reset, rate limits — good input and bad."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from support import factories
from support.browsing import REGISTERED, csrf_of, form_token, register, sign_in
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import Applicant, AuditLog, Outbox, User, UserSession
from jobfair.services import auth
from jobfair.settings import Settings
from jobfair.web.auth import SESSION_COOKIE


async def test_register_then_sign_in_shows_the_profile(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    client.cookies.set("lang", "en")
    response = await register(client, factories.registration(disability=["physical"]))
    assert response.status_code == 303
    assert response.headers["location"] == REGISTERED
    assert SESSION_COOKIE not in response.cookies  # nobody is signed in by registering
    asked = await client.get(REGISTERED)
    assert "Thank you for registering. Sign in now" in asked.text
    assert 'name="next" value="/me?welcome=1"' in asked.text
    signed = await client.post(
        "/login",
        data={
            "login": "budi@example.test",
            "password": factories.PASSWORD,
            "next": "/me?welcome=1",
            "csrf_token": csrf_of(asked.text),
        },
    )
    assert signed.headers["location"] == "/me?welcome=1"
    page = await client.get("/me?welcome=1")
    assert page.status_code == 200
    assert "Budi Santoso" in page.text
    # The NIK is shown masked, never whole, on the page.
    assert "1209••••••••0001" in page.text and factories.MAN_NIK not in page.text
    assert page.headers["cache-control"] == "private, no-store"
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
        assert applicant is not None
        # Encrypted at rest: the stored bytes do not contain the NIK.
        assert factories.MAN_NIK.encode() not in (applicant.nik_ciphertext or b"")
        assert ctx.nik_vault.decrypt(applicant.nik_ciphertext or b"") == factories.MAN_NIK
        assert applicant.disability_kinds == "physical" and applicant.has_disability
        user = await session.scalar(select(User))
        assert user is not None and user.phone == "+6281234567890"


BAD_REGISTRATIONS = [
    ({"nik": "12345"}, "nik", "16 digits"),
    ({"nik": "12090115089900a1"}, "nik", "digits only"),
    ({"nik": "9909011508990001"}, "nik", "region code"),
    ({"nik": "1209013208990001"}, "nik", "birth date"),
    ({"nik": "1209011508200001"}, "nik", "15 to 70"),
    ({"nik": "1209011508990000"}, "nik", "0000"),
    ({"sex": "P"}, "sex", "sex encoded in your NIK"),
    ({"birth_date": "1999-08-16"}, "birth_date", "birth date encoded in your NIK"),
    ({"birth_date": "15-08-1999"}, "birth_date", "year-month-day"),
    ({"ktp_regency_code": "12.99"}, "ktp_regency_code", "from the list"),
    ({"domicile_regency_code": "xx"}, "domicile_regency_code", "from the list"),
    ({"education_level": "SMU"}, "education_level", "from the list"),
    ({"consent": False}, "consent", "agree"),
    ({"full_name": "x" * 201}, "full_name", "200"),
    ({"password": "short"}, "password", "8"),
    ({"email": "not-an-email"}, "email", "valid e-mail"),
    ({"phone": "12345"}, "phone", "mobile number"),
    ({"email": "", "phone": ""}, "email", "e-mail address or a mobile number"),
    ({"disability": ["flying"]}, "disability", "from the list"),
    ({"ak1_number": "<script>"}, "ak1_number", "AK/I"),
    ({"experience_years": "61"}, "experience_years", "0 to 60"),
    ({"experience_years": "-2"}, "experience_years", "0 to 60"),
    ({"experience_years": "lima"}, "experience_years", "0 to 60"),
]


@pytest.mark.parametrize(("change", "field", "fragment"), BAD_REGISTRATIONS)
async def test_each_bad_registration_gets_a_field_error(
    client: httpx.AsyncClient, change: dict[str, object], field: str, fragment: str
) -> None:
    client.cookies.set("lang", "en")
    response = await register(client, factories.registration(**change))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert fragment in response.text
    # What was typed stays in the form, except the password.
    assert factories.PASSWORD not in response.text


async def test_registration_asks_for_work_experience(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    form = await client.get("/register")
    assert 'id="experience_years"' in form.text
    response = await register(client, factories.registration(experience_years="3"))
    assert response.status_code == 303
    async with ctx.read() as session:
        assert await session.scalar(select(Applicant.experience_years)) == 3


async def test_errors_are_in_indonesian_by_default(client: httpx.AsyncClient) -> None:
    response = await register(client, factories.registration(sex="P"))
    assert response.status_code == 422
    assert "NIK" in response.text and "Please check the form." not in response.text


async def test_a_registered_nik_or_email_gets_the_same_answer_and_the_owner_a_mail(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """Before, a second registration answered 409 "already registered": anyone could
    learn whether a NIK or an address was on the platform (issue 12, item 6)."""
    first = await register(client, factories.registration())
    client.cookies.clear()
    client.cookies.set("lang", "en")
    again = await register(
        client, factories.registration(full_name="Orang Lain", email="other@example.test", phone="")
    )
    same_email = await register(
        client,
        factories.registration(nik=factories.WOMAN_NIK, sex="P", birth_date="2003-08-15", phone=""),
    )
    for answer in (again, same_email):
        assert (answer.status_code, answer.headers["location"]) == (
            first.status_code,
            first.headers["location"],
        )
    async with ctx.read() as session:
        users = list(await session.scalars(select(User)))
        mails = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
        actions = list(await session.scalars(select(AuditLog.action)))
    assert [user.email for user in users] == ["budi@example.test"]  # no second account
    told = [mail for mail in mails if mail.dedupe_key.startswith("registration-attempt:")]
    # The owner is told once a day, however many tries; the newcomer's address nothing.
    assert [mail.to_address for mail in told] == ["budi@example.test"]
    # In the owner's language (Budi registered in Indonesian).
    assert told[0].subject == "Seseorang mencoba mendaftar dengan data Anda"
    assert not [mail for mail in mails if mail.to_address == "other@example.test"]
    assert actions.count("applicant.registration_refused") == 2
    # The other details cannot sign in: no account was made for them.
    assert (await sign_in(client, "other@example.test", factories.PASSWORD)).status_code == 401


async def test_forms_without_a_valid_csrf_token_are_refused(client: httpx.AsyncClient) -> None:
    fields = factories.registration()
    missing = await client.post("/register", data={"nik": fields["nik"]})
    assert missing.status_code == 403
    await client.get("/register")  # sets the CSRF cookie
    wrong = await client.post("/register", data={"nik": fields["nik"], "csrf_token": "x" * 64})
    assert wrong.status_code == 403
    # A token from another browser (another CSRF cookie) does not work here either.
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    foreign = await form_token(other, "/register")
    stolen = await client.post("/register", data={"nik": fields["nik"], "csrf_token": foreign})
    assert stolen.status_code == 403
    login = await client.post("/login", data={"login": "a@b.test", "password": "x"})
    assert login.status_code == 403


# The CSRF walk over every state-changing route, for every role, lives in
# tests/security/test_csrf_everywhere.py.


async def _user(ctx: AppContext, **overrides: object) -> int:
    async with ctx.unit_of_work() as session:
        applicant = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, applicant.user_id)
        assert user is not None
        user.password_hash = hash_password(factories.PASSWORD)
        for key, value in overrides.items():
            setattr(user, key, value)
        return user.id


async def test_sign_in_rotates_the_session_and_sign_out_ends_it(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    user_id = await _user(ctx, email="ani@example.test")
    first = await sign_in(client, "ANI@example.test", factories.PASSWORD)
    assert first.status_code == 303 and first.headers["location"] == "/me"
    cookie_one = client.cookies[SESSION_COOKIE]
    assert (
        "HttpOnly" in first.headers["set-cookie"] and "SameSite=Lax" in first.headers["set-cookie"]
    )
    second = await sign_in(client, "ani@example.test", factories.PASSWORD)
    assert second.status_code == 303
    cookie_two = client.cookies[SESSION_COOKIE]
    assert cookie_one != cookie_two
    async with ctx.read() as session:
        rows = list(
            await session.scalars(select(UserSession).where(UserSession.user_id == user_id))
        )
    assert len(rows) == 2 and sum(row.revoked_at is None for row in rows) == 1
    # The old cookie no longer opens the account.
    old = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    old.cookies.set(SESSION_COOKIE, cookie_one)
    assert (await old.get("/me")).status_code == 303
    page = await client.get("/me")
    assert page.status_code == 200
    logout = await client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert logout.status_code == 303
    reuse = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    reuse.cookies.set(SESSION_COOKIE, cookie_two)
    response = await reuse.get("/me")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fme"


async def test_wrong_credentials_get_one_message(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _user(ctx, email="ani@example.test")
    client.cookies.set("lang", "en")
    for login, password in (
        ("ani@example.test", "wrong-password"),
        ("nobody@example.test", "x" * 10),
        ("", ""),
    ):
        response = await sign_in(client, login, password)
        assert response.status_code == 401
        assert "The e-mail, phone number or password is wrong." in response.text
    # A signed cookie that was tampered with is ignored (and cleared).
    client.cookies.set(SESSION_COOKIE, "forged.value")
    response = await client.get("/me")
    assert response.status_code == 303


async def test_phone_login_and_disabled_user(client: httpx.AsyncClient, ctx: AppContext) -> None:
    user_id = await _user(ctx, phone="+6281298765432")
    assert (await sign_in(client, "0812-9876-5432", factories.PASSWORD)).status_code == 303
    assert (await client.get("/me")).status_code == 200
    async with ctx.unit_of_work() as session:
        await auth.disable_user(session, user_id, ctx.now(), actor_user_id=None)
    # Disabling ends the live session at once.
    assert (await client.get("/me")).status_code == 303
    assert (await sign_in(client, "0812-9876-5432", factories.PASSWORD)).status_code == 401


async def test_sessions_expire(client: httpx.AsyncClient, ctx: AppContext, clock: Clock) -> None:
    await _user(ctx, email="ani@example.test")
    await sign_in(client, "ani@example.test", factories.PASSWORD)
    clock.advance(auth.SESSION_LIFETIME - timedelta(minutes=1))
    assert (await client.get("/me")).status_code == 200  # slides the expiry forward
    clock.advance(auth.SESSION_LIFETIME - timedelta(minutes=1))
    assert (await client.get("/me")).status_code == 200
    clock.advance(auth.SESSION_LIFETIME + timedelta(seconds=1))
    assert (await client.get("/me")).status_code == 303


async def test_next_is_kept_and_only_local(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _user(ctx, email="ani@example.test")
    token = await form_token(client, "/login?next=/me/applications")
    response = await client.post(
        "/login",
        data={
            "login": "ani@example.test",
            "password": factories.PASSWORD,
            "csrf_token": token,
            "next": "/me/applications",
        },
    )
    assert response.headers["location"] == "/me/applications"
    client.cookies.clear()
    token = await form_token(client)
    response = await client.post(
        "/login",
        data={
            "login": "ani@example.test",
            "password": factories.PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/me"


async def test_password_reset_by_mailed_link(
    client: httpx.AsyncClient, ctx: AppContext, app: object, settings: Settings
) -> None:
    await _user(ctx, email="ani@example.test")
    await sign_in(client, "ani@example.test", factories.PASSWORD)
    old_cookie = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set("lang", "en")
    token = await form_token(client, "/password/forgot")
    sent = await client.post(
        "/password/forgot", data={"email": "ani@example.test", "csrf_token": token}
    )
    unknown = await client.post(
        "/password/forgot", data={"email": "nobody@example.test", "csrf_token": token}
    )
    # The same answer for a registered and an unknown address.
    assert sent.status_code == unknown.status_code == 200
    assert "If an account uses this e-mail address" in sent.text
    await app.state.ctx.tasks.drain()  # type: ignore[attr-defined]
    mails = sorted(Path(settings.mail_dir).glob("*.eml"))
    assert len(mails) == 1
    mail = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    assert mail["To"] == "ani@example.test"
    body = mail.get_body().get_content()  # type: ignore[union-attr]
    link = next(line for line in body.splitlines() if "/password/reset?token=" in line)
    path = link[link.index("/password/reset") :].strip()
    # The link moves the token into a cookie and out of the address bar.
    landing = await client.get(path)
    assert landing.status_code == 303 and landing.headers["location"] == "/password/reset"
    form = await client.get("/password/reset")
    assert form.status_code == 200 and "token=" not in form.text
    short = await client.post(
        "/password/reset", data={"password": "short", "csrf_token": csrf_of(form.text)}
    )
    assert short.status_code == 422 and 'id="password-error"' in short.text
    done = await client.post(
        "/password/reset", data={"password": "kata-sandi-baru", "csrf_token": csrf_of(form.text)}
    )
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    # Used once only; the old password and the old session are gone.
    again = await client.get(path)
    assert (await client.get(again.headers["location"])).status_code == 404
    assert (await sign_in(client, "ani@example.test", factories.PASSWORD)).status_code == 401
    assert (await sign_in(client, "ani@example.test", "kata-sandi-baru")).status_code == 303
    stale = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    stale.cookies.set(SESSION_COOKIE, old_cookie)
    assert (await stale.get("/me")).status_code == 303


async def test_expired_reset_link(client: httpx.AsyncClient, ctx: AppContext, clock: Clock) -> None:
    user_id = await _user(ctx, email="ani@example.test")
    async with ctx.unit_of_work() as session:
        user = await session.get(User, user_id)
        assert user is not None
        await auth.request_password_reset(
            session, "ani@example.test", ctx.now(), reset_page="http://t/password/reset"
        )
    from jobfair.models import PasswordReset

    async with ctx.read() as session:
        assert await session.scalar(select(PasswordReset)) is not None
    clock.advance(timedelta(hours=2))
    client.cookies.set("jobfair_reset", "made-up-token")
    assert (await client.get("/password/reset")).status_code == 404


async def test_login_is_rate_limited(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _user(ctx, email="ani@example.test")
    statuses = [
        (await sign_in(client, "ani@example.test", "wrong-password")).status_code for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    # Even the right password waits now: guessing cannot continue.
    assert (await sign_in(client, "ani@example.test", factories.PASSWORD)).status_code == 429


async def test_security_headers_and_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/register")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>" not in response.text  # no inline script anywhere on the page
    cookie = response.headers["set-cookie"]
    assert "jobfair_csrf=" in cookie and "HttpOnly" in cookie


async def test_region_picker_without_and_with_javascript(client: httpx.AsyncClient) -> None:
    token = await form_token(client, "/register")
    no_js = await client.post(
        "/register",
        data={"csrf_token": token, "action": "regions", "ktp_province": "12", "full_name": "Budi"},
    )
    assert no_js.status_code == 200
    assert "Kabupaten Asahan" in no_js.text and 'value="Budi"' in no_js.text
    fragment = await client.get(
        "/regions/regencies?ktp_province=12", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert '<option value="12.09"' in fragment.text and "<html" not in fragment.text
    assert fragment.text.count("<option") == 34  # placeholder + 33 regencies of Sumatera Utara
    nothing = await client.get("/regions/regencies?ktp_province=99")
    assert nothing.text.count("<option") == 1


async def test_registering_from_a_vacancy_lands_back_on_it(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        path = f"/fairs/{fair.slug}/vacancies/{vacancy.id}"
    client.cookies.set("lang", "en")
    page = await client.get(path)
    assert f'href="/register?next={path}"' in page.text
    form = await client.get(f"/register?next={path}")
    assert f'name="next" value="{path}"' in form.text
    # A validation error keeps the destination and says why the password is empty.
    bad = await client.post(
        "/register",
        data={
            **{k: v for k, v in factories.registration(sex="P").items() if k != "disability"},
            "consent": "1",
            "next": path,
            "csrf_token": csrf_of(form.text),
        },
    )
    assert bad.status_code == 422
    assert f'name="next" value="{path}"' in bad.text
    assert "the password is never sent back" in bad.text
    fields = factories.registration()
    token = csrf_of(form.text)
    data = {k: v for k, v in fields.items() if k not in ("disability", "consent")}
    done = await client.post(
        "/register", data={**data, "consent": "1", "next": path, "csrf_token": token}
    )
    assert done.status_code == 303
    asked = await client.get(done.headers["location"])
    assert f'name="next" value="{path}"' in asked.text
    # Another site is never a destination.
    elsewhere = await client.get("/register?next=//evil.example/x")
    assert "evil.example" not in elsewhere.text
