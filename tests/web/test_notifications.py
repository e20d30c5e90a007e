"""In-app notifications: their own short text worded in the page's language (not the
e-mail's body, not the language the user had when it was written), real links to each
application, the header's unread badge, and marking read one by one or all."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select, update
from support import factories
from support.browsing import csrf_of, register_and_sign_in
from support.clock import Clock

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import Application, Notification, Outbox, User
from jobfair.services import screening
from jobfair.worker.tasks import deliver_decisions

NOTE = "Silakan datang wawancara Senin pukul 09.00."


async def _decided(client: httpx.AsyncClient, ctx: AppContext, clock: Clock) -> list[int]:
    """An applicant (on the Indonesian site) with two applications that a company has
    answered: shortlisted with a message, and rejected. Returns the application ids."""
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-kabar")
        company = await factories.company(session, slug="pt-sawit", name="PT Sawit Makmur")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        first = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
        second = await factories.vacancy(session, booth_row=booth, title="Krani Timbang")
        recruiter = await factories.recruiter(session, company_row=company)
    await register_and_sign_in(client, factories.registration())
    for vacancy in (first, second):
        page = await client.get(f"/fairs/bursa-kabar/vacancies/{vacancy.id}")
        applied = await client.post(
            f"/fairs/bursa-kabar/vacancies/{vacancy.id}/apply",
            data={"csrf_token": csrf_of(page.text)},
        )
        assert applied.status_code == 303, applied.text
    async with ctx.unit_of_work() as session:
        ids = list(await session.scalars(select(Application.id).order_by(Application.id)))
        # Written while the applicant's language is Indonesian.
        await session.execute(update(User).where(User.role == "applicant").values(locale="id"))
        user = await session.get(User, recruiter.id)
        assert user is not None
        await screening.stage(
            session, user, "shortlisted", ctx.now(), application_ids=[ids[0]], note=NOTE
        )
        await screening.stage(session, user, "rejected", ctx.now(), application_ids=[ids[1]])
        await screening.release(session, user, ctx.now())
    clock.advance(screening.UNDO_WINDOW)
    assert await deliver_decisions(ctx) == 2
    return ids


async def test_the_notification_speaks_the_language_of_the_page(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    ids = await _decided(client, ctx, clock)
    english = (await client.get("/me/notifications?lang=en")).text
    assert "News about your applications" in english
    assert "You are on the shortlist." in english
    assert "You were not selected this time." in english
    assert "The company sent you a message with it." in english
    # Each application is a link to its page, where the company's message is read.
    assert f'<a href="/me/applications/{ids[0]}">Mandor Panen — PT Sawit Makmur</a>' in english
    assert f'<a href="/me/applications/{ids[1]}">Krani Timbang — PT Sawit Makmur</a>' in english
    assert '<a href="/me/applications">See all my applications</a>' in english
    with i18n.using("id"):
        shortlisted = i18n.gettext("You are on the shortlist.")
        subject = i18n.gettext("News about your applications")
    assert shortlisted != "You are on the shortlist."
    assert shortlisted not in english
    indonesian = (await client.get("/me/notifications?lang=id")).text
    assert shortlisted in indonesian and subject in indonesian
    assert "You are on the shortlist." not in indonesian


async def test_the_notification_is_not_the_mail_body(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    await _decided(client, ctx, clock)
    async with ctx.read() as session:
        mail = await session.scalar(select(Outbox))
        row = await session.scalar(select(Notification))
    assert mail is not None and row is not None
    body = str(mail.payload["body"])
    # The e-mail carries the message and an absolute link; the notification neither.
    assert NOTE in body and "http://127.0.0.1:8000/me/applications" in body
    assert row.body is None and row.kind == "decisions"
    page = (await client.get("/me/notifications?lang=id")).text
    assert NOTE not in page and "http://" not in page.split("<main", 1)[1]
    login = {"email": factories.registration()["email"], "password": factories.PASSWORD}
    token = (await client.post("/api/v1/tokens", json=login)).json()["token"]
    api = await client.get(
        "/api/v1/me/notifications?lang=en", headers={"Authorization": f"Bearer {token}"}
    )
    (note,) = api.json()["notifications"]
    assert note["subject"] == "News about your applications"
    assert note["link"] == "/me/applications"
    assert "• Mandor Panen — PT Sawit Makmur: You are on the shortlist." in note["body"]
    assert "The company sent you a message with it." in note["body"]
    assert NOTE not in note["body"]


def _badge(html: str) -> str | None:
    found = re.search(r'<span class="count" aria-hidden="true">(\d+)</span>', html)
    return found.group(1) if found else None


async def test_unread_badge_counts_down_as_notifications_are_read(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    await _decided(client, ctx, clock)
    async with ctx.unit_of_work() as session:
        user_id = await session.scalar(select(User.id).where(User.role == "applicant"))
        assert user_id is not None
        for _ in range(2):  # two more, written before notifications had kinds
            session.add(Notification(user_id=user_id, subject="Lama", body="Teks lama."))
    page = await client.get("/me?lang=id")
    assert _badge(page.text) == "3"
    # Screen readers hear the count in words, in the page's language.
    assert '<span class="visually-hidden">(3 notifikasi belum dibaca)</span>' in page.text
    english = await client.get("/fairs/bursa-kabar?lang=en")
    assert _badge(english.text) == "3" and "3 unread notifications" in english.text
    inbox = await client.get("/me/notifications")
    # Opening the page (a GET) changes nothing; reading is said per notification.
    assert _badge(inbox.text) == "3"
    async with ctx.read() as session:
        first = await session.scalar(select(Notification.id).order_by(Notification.id))
    token = csrf_of(inbox.text)
    one = await client.post(f"/me/notifications/{first}/read", data={"csrf_token": token})
    assert one.status_code == 303
    assert one.headers["location"] == f"/me/notifications#notification-{first}"
    after = await client.get("/me/notifications?lang=en")
    assert _badge(after.text) == "2" and "2 unread notifications" in after.text
    again = await client.post(f"/me/notifications/{first}/read", data={"csrf_token": token})
    assert again.status_code == 303  # read before: nothing to do, no error
    every = await client.post("/me/notifications/read", data={"csrf_token": token})
    assert every.status_code == 303
    done = await client.get("/me/notifications?lang=en")
    assert _badge(done.text) is None and "unread notification" not in done.text
    assert "Mark all as read" not in done.text


async def test_marking_read_refuses_foreign_ids_and_forged_forms(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    await _decided(client, ctx, clock)
    async with ctx.unit_of_work() as session:
        stranger = await factories.applicant(session)
        foreign = Notification(user_id=stranger.user_id, subject="Bukan milikmu", body="x")
        session.add(foreign)
        await session.flush()
        foreign_id = foreign.id
    token = csrf_of((await client.get("/me/notifications")).text)
    refused = await client.post(f"/me/notifications/{foreign_id}/read", data={"csrf_token": token})
    assert refused.status_code == 404
    unknown = await client.post("/me/notifications/999999/read", data={"csrf_token": token})
    assert unknown.status_code == 404
    too_long = await client.post("/me/notifications/9999999999/read", data={"csrf_token": token})
    assert too_long.status_code == 404
    forged = await client.post(f"/me/notifications/{foreign_id}/read", data={"csrf_token": "x"})
    assert forged.status_code == 403
    async with ctx.read() as session:
        row = await session.get(Notification, foreign_id)
        assert row is not None and row.read_at is None
        mine = list(
            await session.scalars(select(Notification.read_at).where(Notification.id != foreign_id))
        )
    assert mine == [None]


async def test_signed_out_visitors_have_no_badge_and_sign_out_comes_last(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    visitor = (await client.get("/?lang=en")).text
    assert 'class="count"' not in visitor and 'aria-label="Main"' not in visitor
    await _decided(client, ctx, clock)
    page = (await client.get("/?lang=en")).text
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    order = [
        header.index(text)
        for text in ("Job Fair", 'aria-label="Main"', "My account", "Notifications", "Sign out")
    ]
    assert order == sorted(order)
    assert page.index('class="skip"') < page.index("<header")
