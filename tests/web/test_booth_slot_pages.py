"""The pages of booked 1:1 slots and booth messages, as a browser without JavaScript
uses them: the company publishes a run, the applicant books from the booth page and
cancels from "my slots", leaves a message when no recruiter is online, the company sees
the booking with the applicant's name and answers the message; bad input is told on
the form, in Indonesian and English."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import BoothMessage, BoothSlot, SlotBooking, User
from jobfair.services.booth_slots import MESSAGE_MAX


async def _scene(ctx: AppContext) -> dict[str, object]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session, name="PT Sinar Asahan")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(session, booth_row=booth, title="Operator Boiler")
        recruiter = await factories.recruiter(session, company_row=company, full_name="Siti HRD")
        applicant = await factories.applicant(session)
        user = await session.get(User, applicant.user_id)
        assert user is not None
        user.password_hash = factories.hash_password(factories.PASSWORD)
        user.full_name = "Ani Lestari"
        return {
            "slug": fair.slug,
            "company": company.slug,
            "booth_id": booth.id,
            "vacancy_id": vacancy.id,
            "recruiter": recruiter.email,
            "applicant": user.email,
        }


def _other(client: httpx.AsyncClient) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


async def _post(
    client: httpx.AsyncClient, page: str, path: str, data: dict[str, str]
) -> httpx.Response:
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "csrf_token": token})


async def test_publish_book_cancel_and_attend_without_javascript(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    scene = await _scene(ctx)
    booth_page = f"/fairs/{scene['slug']}/booths/{scene['company']}"
    slots_page = f"/company/booths/{scene['booth_id']}/slots"
    company = _other(client)
    await sign_in(company, str(scene["recruiter"]), factories.PASSWORD)
    # Bad input is told on the form (Indonesian by default), nothing is published.
    run = {"day": "2026-11-06", "start": "10:00", "end": "09:00", "minutes": "45"}
    bad = await _post(company, slots_page, slots_page, run)
    assert bad.status_code == 422
    assert 'id="minutes-error"' in bad.text and "Lama satu slot 10 sampai 30 menit." in bad.text
    run = {"day": "2026-11-12", "start": "09:00", "end": "10:00", "minutes": "20"}
    outside = await _post(company, slots_page, slots_page + "?lang=en", run)
    assert outside.status_code == 422 and 'id="day-error"' in outside.text
    assert "Slots must lie within the fair" in outside.text
    company.cookies.set("lang", "id")
    run = {"day": "2026-11-06", "start": "09:00", "end": "10:00", "minutes": "20"}
    made = await _post(company, slots_page, slots_page, run)
    assert made.status_code == 303
    listed = await company.get(made.headers["location"])
    assert "3 slot dibuka." in listed.text and "6 November 2026, 09.00 WIB" in listed.text

    # Anonymous visitors are asked to sign in (the page is cached for them).
    anonymous = await _other(client).get(booth_page)
    assert "Masuk sebagai pencari kerja" in anonymous.text and "slots/" not in anonymous.text

    await sign_in(client, str(scene["applicant"]), factories.PASSWORD)
    page = await client.get(booth_page + "?lang=en")
    assert "Free slots (times in WIB)" in page.text
    actions = re.findall(r'action="([^"]+/book)"', page.text)
    assert len(actions) == 3
    assert ">09:00 WIB<" in page.text
    client.cookies.set("lang", "id")
    booked = await client.post(actions[0], data={"csrf_token": csrf_of(page.text)})
    assert booked.status_code == 303 and booked.headers["location"].endswith("?booked=1#slots")
    after = await client.get(booked.headers["location"])
    assert "Slot Anda sudah dipesan" in after.text
    assert '/book"' not in after.text  # one per company: no more buttons
    # Booking another slot of the company is refused on the page.
    again = await client.post(actions[1], data={"csrf_token": csrf_of(after.text)})
    assert (
        again.status_code == 409 and "Anda sudah memiliki slot dengan perusahaan ini." in again.text
    )

    # The company sees the booking with the applicant's name.
    listed = await company.get(slots_page)
    assert "Ani Lestari" in listed.text

    # The applicant cancels from "my slots"; the slot is free again.
    mine = await client.get("/me/bookings")
    cancel = re.search(r'action="(/me/bookings/\d+/cancel)"', mine.text)
    assert cancel is not None
    done = await client.post(cancel.group(1), data={"csrf_token": csrf_of(mine.text)})
    assert done.status_code == 303
    assert "Pesanan Anda dibatalkan" in (await client.get(done.headers["location"])).text
    page = await client.get(booth_page)
    assert len(re.findall(r'action="([^"]+/book)"', page.text)) == 3
    rebooked = await client.post(actions[1], data={"csrf_token": csrf_of(page.text)})
    assert rebooked.status_code == 303

    # During the slot the booth page says so, linking to the booth's chat (where joining
    # puts the booked applicant at the head of the queue).
    clock.now = datetime(2026, 11, 6, 2, 17, tzinfo=UTC)  # 09:17 WIB, 3 minutes before
    now_on = await client.get(booth_page + "?lang=en")
    assert "Your slot is now" in now_on.text
    assert f'href="{booth_page}/chat"' in now_on.text
    client.cookies.set("lang", "id")

    # Once it has started the recruiter marks it.
    clock.now = datetime(2026, 11, 6, 2, 25, tzinfo=UTC)
    listed = await company.get(slots_page)
    mark = re.search(r'action="(/company/bookings/\d+/mark)"', listed.text)
    assert mark is not None
    wrong = await company.post(
        mark.group(1), data={"csrf_token": csrf_of(listed.text), "outcome": "x"}
    )
    assert wrong.status_code == 422
    marked = await company.post(
        mark.group(1), data={"csrf_token": csrf_of(listed.text), "outcome": "attended"}
    )
    assert marked.status_code == 303
    async with ctx.read() as session:
        states = sorted(await session.scalars(select(SlotBooking.state)))
    assert states == ["attended", "cancelled"]
    await company.aclose()


async def test_leave_a_message_and_read_the_answer(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    scene = await _scene(ctx)
    booth_page = f"/fairs/{scene['slug']}/booths/{scene['company']}"
    await sign_in(client, str(scene["applicant"]), factories.PASSWORD)
    page = await client.get(booth_page)
    # The fair is open and no recruiter is online: the booth offers a message.
    assert 'id="message-title"' in page.text
    assert f'maxlength="{MESSAGE_MAX}"' in page.text
    action = f"{booth_page}/messages"
    empty = await client.post(action, data={"csrf_token": csrf_of(page.text), "body": " "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.text
    long = await client.post(
        action, data={"csrf_token": csrf_of(page.text), "body": "x" * (MESSAGE_MAX + 1)}
    )
    assert long.status_code == 422
    strange = await client.post(
        action,
        data={"csrf_token": csrf_of(page.text), "body": "Halo", "vacancy_id": "abc"},
    )
    assert strange.status_code == 422 and 'id="vacancy_id-error"' in strange.text
    sent = await client.post(
        action,
        data={
            "csrf_token": csrf_of(page.text),
            "body": "Apakah ada shift malam?",
            "vacancy_id": str(scene["vacancy_id"]),
        },
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?message=1#message")
    assert "Pesan Anda terkirim" in (await client.get(sent.headers["location"])).text

    company = _other(client)
    await sign_in(company, str(scene["recruiter"]), factories.PASSWORD)
    inbox = await company.get("/company/messages?lang=en")
    company.cookies.set("lang", "id")
    assert "Apakah ada shift malam?" in inbox.text and "Operator Boiler" in inbox.text
    assert "Ani Lestari" in inbox.text
    answer = re.search(r'action="(/company/messages/\d+/answer)"', inbox.text)
    assert answer is not None
    blank = await company.post(
        answer.group(1), data={"csrf_token": csrf_of(inbox.text), "answer": ""}
    )
    assert blank.status_code == 422 and "Jawaban berisi 1 sampai" in blank.text
    done = await company.post(
        answer.group(1),
        data={"csrf_token": csrf_of(inbox.text), "answer": "Ada, mulai pukul 22.00."},
    )
    assert done.status_code == 303
    again = await company.get(done.headers["location"])
    assert "Jawaban Anda terkirim" in again.text and "Tidak ada pesan yang menunggu" in again.text
    await company.aclose()

    mine = await client.get("/me/bookings")
    assert "Ada, mulai pukul 22.00." in mine.text
    notes = await client.get("/me/notifications?lang=en")
    assert "A company answered your message" in notes.text
    assert "See my slots and messages" in notes.text
    async with ctx.read() as session:
        row = await session.scalar(select(BoothMessage))
    assert row is not None and row.answered_at is not None


async def test_signed_in_recruiters_and_strangers_cannot_book(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    scene = await _scene(ctx)
    async with ctx.unit_of_work() as session:
        slot = BoothSlot(
            booth_id=int(scene["booth_id"]),  # type: ignore[call-overload]
            starts_at=datetime(2026, 11, 6, 2, 0, tzinfo=UTC),
            minutes=20,
            capacity=1,
        )
        session.add(slot)
        await session.flush()
        slot_id = slot.id
    await sign_in(client, str(scene["recruiter"]), factories.PASSWORD)
    token = csrf_of((await client.get("/company")).text)
    path = f"/fairs/{scene['slug']}/booths/{scene['company']}/slots/{slot_id}/book"
    assert (await client.post(path, data={"csrf_token": token})).status_code == 403
    # A slot of another booth named under this one is not found.
    wrong = f"/fairs/{scene['slug']}/booths/nope/slots/{slot_id}/book"
    assert (await client.post(wrong, data={"csrf_token": token})).status_code in (403, 404)


async def test_the_message_form_is_offered_only_when_no_recruiter_is_online(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    scene = await _scene(ctx)
    booth_page = f"/fairs/{scene['slug']}/booths/{scene['company']}"
    await sign_in(client, str(scene["applicant"]), factories.PASSWORD)
    assert ctx.live is not None
    key = f"recruiters:{scene['booth_id']}"
    ctx.live.presence.join([key])
    try:
        online = await client.get(booth_page)
        assert 'id="message-title"' not in online.text
        # Once the fair has closed, nobody is there to talk to: the form is back.
        clock.now = datetime(2026, 11, 11, 3, 0, tzinfo=UTC)
        closed = await client.get(booth_page)
        assert 'id="message-title"' in closed.text
    finally:
        ctx.live.presence.leave([key])
    clock.now = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)
    nobody = await client.get(booth_page)
    assert 'id="message-title"' in nobody.text
