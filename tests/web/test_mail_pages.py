"""Failed mail in the organiser console: the count on the console and the list for an
admin (mail has no office, so an office's organiser sees neither), sending one again
(a POST with CSRF, audited, a fixed notice), and who may enter."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import AuditLog, Outbox, User

SECRET_LINK = "https://bursa.example/password/reset?token=rahasia-token-123"


def _client(app: Starlette, lang: str = "en") -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.cookies.set("lang", lang)
    return client


async def _signed_in(app: Starlette, email: str, lang: str = "en") -> httpx.AsyncClient:
    client = _client(app, lang)
    response = await sign_in(client, email, factories.PASSWORD)
    assert response.status_code == 303
    return client


async def _world(ctx: AppContext, clock: Clock) -> dict[str, int]:
    """An admin, an office's organiser, a recruiter, an applicant; two failed e-mails,
    one still owed and one sent."""
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        admin = await factories.organiser(
            session, office_row=office, email="admin@disnaker.test", role="admin"
        )
        await factories.organiser(session, office_row=office, email="saya@disnaker.test")
        await factories.recruiter(
            session, company_row=await factories.company(session), email="hrd@pt.test"
        )
        person = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, person.user_id)
        assert user is not None
        user.password_hash = admin.password_hash
        user.email = "ani@pelamar.test"
        rows = {}
        for key, address, failed, sent in (
            ("reset", "ani.lestari@example.test", True, False),
            ("decision", "budi@example.test", True, False),
            ("owed", "citra@example.test", False, False),
            ("sent", "dewi@example.test", False, True),
        ):
            row = Outbox(
                dedupe_key=f"pages:{key}",
                to_address=address,
                subject=f"Subjek {key}",
                template="text",
                payload={"body": f"Buka {SECRET_LINK}"},
                attempts=14,
                created_at=clock.now - timedelta(days=3, hours=1),
                failed_at=clock.now - timedelta(hours=1) if failed else None,
                sent_at=clock.now if sent else None,
                last_error="SMTPRecipientsRefused: 550 5.1.1 <a***@example.test>: unknown"
                if failed
                else None,
            )
            session.add(row)
            await session.flush()
            rows[key] = row.id
        return rows


async def test_the_console_shows_an_admin_the_failed_count(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    await _world(ctx, clock)
    admin = await _signed_in(app, "admin@disnaker.test")
    home = (await admin.get("/organiser")).text
    assert 'href="/organiser/mail"' in home and "Failed e-mail" in home
    assert "<dd>2</dd>" in home.replace("\n", "")
    organiser = await _signed_in(app, "saya@disnaker.test")
    assert "/organiser/mail" not in (await organiser.get("/organiser")).text


async def test_the_failed_list_masks_the_recipient_and_hides_the_message(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    await _world(ctx, clock)
    admin = await _signed_in(app, "admin@disnaker.test")
    page = await admin.get("/organiser/mail")
    assert page.status_code == 200
    html = page.text
    assert "Subjek reset" in html and "Subjek decision" in html
    assert "a***@example.test" in html and "b***@example.test" in html
    assert "550 5.1.1" in html
    # Neither the whole address nor the body (a reset link) is on the page.
    assert "ani.lestari@" not in html and "budi@" not in html and "rahasia-token" not in html
    # Mail still owed or sent is not failed.
    assert "Subjek owed" not in html and "Subjek sent" not in html
    indonesian = await _signed_in(app, "admin@disnaker.test", lang="id")
    text = (await indonesian.get("/organiser/mail")).text
    assert "Email gagal" in text and "Kirim lagi" in text


async def test_send_again_is_audited_and_sends_the_mail(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    rows = await _world(ctx, clock)
    admin = await _signed_in(app, "admin@disnaker.test")
    token = csrf_of((await admin.get("/organiser/mail")).text)
    path = f"/organiser/mail/{rows['reset']}/retry"
    response = await admin.post(path, data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/organiser/mail?notice=mail_retried"
    await ctx.tasks.drain()  # the retry enqueued the send
    async with ctx.read() as session:
        row = await session.get(Outbox, rows["reset"])
        assert row is not None and row.failed_at is None and row.sent_at is not None
        assert row.attempts == 1  # a fresh series: its backoff starts again
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "mail.retried"))
        admin_id = await session.scalar(select(User.id).where(User.email == "admin@disnaker.test"))
    assert entry is not None and entry.object_id == rows["reset"]
    assert entry.actor_user_id == admin_id and entry.object_type == "outbox"
    after = await admin.get(response.headers["location"])
    assert "The e-mail is being sent again." in after.text
    assert "Subjek reset" not in after.text and "Subjek decision" in after.text
    # Sent twice (a double click): a notice, not a second send.
    again = await admin.post(path, data={"csrf_token": token})
    assert again.headers["location"] == "/organiser/mail?notice=mail_not_failed"
    assert len(list(ctx.settings.mail_dir.glob("*.eml"))) == 1
    # Only a failed e-mail can be sent again: one still owed, or an unknown one.
    owed = await admin.post(f"/organiser/mail/{rows['owed']}/retry", data={"csrf_token": token})
    assert owed.headers["location"] == "/organiser/mail?notice=mail_not_failed"
    unknown = await admin.post("/organiser/mail/999999/retry", data={"csrf_token": token})
    assert unknown.status_code == 404


async def test_send_again_needs_the_csrf_token(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    rows = await _world(ctx, clock)
    admin = await _signed_in(app, "admin@disnaker.test")
    response = await admin.post(f"/organiser/mail/{rows['reset']}/retry", data={})
    assert response.status_code == 403 and "The form has expired" in response.text
    async with ctx.read() as session:
        row = await session.get(Outbox, rows["reset"])
        assert row is not None and row.failed_at is not None


async def test_who_may_see_failed_mail(app: Starlette, ctx: AppContext, clock: Clock) -> None:
    rows = await _world(ctx, clock)
    anonymous = _client(app)
    response = await anonymous.get("/organiser/mail")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    for email in ("saya@disnaker.test", "hrd@pt.test", "ani@pelamar.test"):
        client = await _signed_in(app, email)
        assert (await client.get("/organiser/mail")).status_code == 403, email
        token = csrf_of((await client.get("/password/forgot")).text)
        retry = await client.post(
            f"/organiser/mail/{rows['decision']}/retry", data={"csrf_token": token}
        )
        assert retry.status_code == 403, email
    async with ctx.read() as session:
        assert (
            await session.scalar(select(AuditLog.id).where(AuditLog.action == "mail.retried"))
            is None
        )


async def test_a_bad_page_number_is_the_first_page(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    await _world(ctx, clock)
    admin = await _signed_in(app, "admin@disnaker.test")
    for page in ("0", "-1", "abc", "9" * 30):
        response = await admin.get("/organiser/mail", params={"page": page})
        assert response.status_code == 200 and "Subjek reset" in response.text
