"""Booth chats through the pages, without JavaScript: the applicant joins from the
booth's chat page, sees the place, gets taken from the console, both chat, the
recruiter sends a video link, ends and records the outcome, which the screening table
and the application page show; bad input gets the page back with a message."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import Fair, User
from jobfair.models.conversations import Conversation
from jobfair.services import conversations as chats
from jobfair.web.live import live_renderer


@dataclass
class Scene:
    chat_page: str
    console: str
    booth_id: int
    recruiter_id: int
    application_id: int
    applicant_user_id: int
    vacancy_path: str


async def _scene(ctx: AppContext) -> tuple[Scene, str, str]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session, name="PT Sawit Makmur")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(session, booth_row=booth, title="Operator Boiler")
        recruiter = await factories.recruiter(session, company_row=company)
        applicant = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, applicant.user_id)
        user.password_hash = hash_password(factories.PASSWORD)
        application = await factories.application(
            session, vacancy_row=vacancy, applicant_row=applicant
        )
        scene = Scene(
            f"/fairs/{fair.slug}/booths/{company.slug}/chat",
            f"/company/booths/{booth.id}/chat",
            booth.id,
            recruiter.id,
            application.id,
            user.id,
            f"/fairs/{fair.slug}/vacancies/{vacancy.id}",
        )
        return scene, user.email, recruiter.email


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_queue_chat_and_outcome_without_javascript(app: Starlette, ctx: AppContext) -> None:
    scene, applicant_login, recruiter_login = await _scene(ctx)
    async with _client(app) as applicant, _client(app) as recruiter:
        assert (await sign_in(applicant, applicant_login, factories.PASSWORD)).status_code == 303
        assert (await sign_in(recruiter, recruiter_login, factories.PASSWORD)).status_code == 303
        page = await applicant.get(scene.chat_page)
        assert page.status_code == 200
        assert "Tidak ada perekrut" in page.text  # nobody online: no join button
        # ... but the booth's "leave a message" instead.
        assert "Tinggalkan pesan untuk perusahaan" in page.text
        assert f'{scene.chat_page.removesuffix("/chat")}#message"' in page.text
        # The recruiter has the console open (its socket counts them online).
        assert ctx.live is not None
        ctx.live.presence.join([f"recruiter:{scene.booth_id}:{scene.recruiter_id}"])
        page = await applicant.get(scene.chat_page)
        joined = await applicant.post(
            scene.chat_page + "/queue", data={"vacancy": "", "csrf_token": csrf_of(page.text)}
        )
        assert joined.status_code == 303
        page = await applicant.get(scene.chat_page)
        assert "Urutan Anda: 1" in page.text
        assert f'id="chat-place-{scene.booth_id}"' in page.text  # the socket's target
        console = await recruiter.get(scene.console)
        assert "1 orang menunggu" in console.text
        # The waiting list, in the order they are taken (the socket's fragment too).
        waiting = console.text[console.text.index(f'id="chat-queue-{scene.booth_id}"') :]
        waiting = waiting[: waiting.index("</div>")]
        async with ctx.read() as session:
            name = (await session.get(User, scene.applicant_user_id)).full_name
        assert f"<li>{name}</li>" in waiting
        taken = await recruiter.post(
            scene.console + "/take", data={"csrf_token": csrf_of(console.text)}
        )
        assert taken.status_code == 303
        async with ctx.read() as session:
            chat_id = (await session.execute(Conversation.__table__.select())).first().id
        page = await applicant.get(scene.chat_page)
        token = csrf_of(page.text)
        sent = await applicant.post(
            f"/chats/{chat_id}/messages", data={"body": "Halo, Pak", "csrf_token": token}
        )
        assert sent.status_code == 303
        empty = await applicant.post(
            f"/chats/{chat_id}/messages", data={"body": "", "csrf_token": token}
        )
        assert empty.status_code == 422
        console = await recruiter.get(scene.console)
        assert "Halo, Pak" in console.text
        token = csrf_of(console.text)
        bad = await recruiter.post(
            f"/chats/{chat_id}/video", data={"video_url": "ftp://x", "csrf_token": token}
        )
        assert bad.status_code == 422 and "http://" in bad.text
        video = await recruiter.post(
            f"/chats/{chat_id}/video",
            data={"video_url": "https://meet.example.test/abc", "csrf_token": token},
        )
        assert video.status_code == 303
        page = await applicant.get(scene.chat_page)
        assert "https://meet.example.test/abc" in page.text
        ended = await recruiter.post(f"/chats/{chat_id}/end", data={"csrf_token": token})
        assert ended.status_code == 303
        console = await recruiter.get(scene.console)
        assert f'id="outcome-{chat_id}"' in console.text
        assert "autofocus" not in console.text
        # The link under a chat the applicant ended: that chat's note has the focus;
        # an id that is not a number, or another chat's, changes nothing.
        focused = await recruiter.get(scene.console + f"?outcome={chat_id}")
        assert 'name="note" rows="2" maxlength="2000" autofocus>' in focused.text
        for junk in ("abc", "-1", str(chat_id + 1), "9" * 40):
            other = await recruiter.get(scene.console + f"?outcome={junk}")
            assert other.status_code == 200 and "autofocus" not in other.text, junk
        outcome = await recruiter.post(
            f"/chats/{chat_id}/outcome",
            data={"note": "Komunikatif, siap shift", "interest": "interested", "csrf_token": token},
        )
        assert outcome.status_code == 303
        table = await recruiter.get("/company/applications")
        assert "Obrolan: tertarik" in table.text and "Komunikatif, siap shift" in table.text
        detail = await recruiter.get(f"/company/applications/{scene.application_id}")
        assert "Komunikatif, siap shift" in detail.text
        # English too.
        table = await recruiter.get("/company/applications?lang=en")
        assert "Chat: interested" in table.text
        # The invitation to apply reaches the job seeker, with a link to the vacancy.
        vacancy_id = scene.vacancy_path.rsplit("/", 1)[1]
        invited = await recruiter.post(
            f"/chats/{chat_id}/outcome",
            data={"interest": "interested", "vacancy": vacancy_id, "csrf_token": token},
        )
        assert invited.status_code == 303
        inbox = await applicant.get("/me/notifications")
        assert "Perusahaan mengundang Anda untuk melamar" in inbox.text
        assert f'<a href="{scene.vacancy_path}">Lihat lowongan dan lamar</a>' in inbox.text
        assert (await applicant.get(scene.vacancy_path)).status_code == 200


async def test_the_chat_timer_shows_the_end_and_ends_the_chat(
    app: Starlette, ctx: AppContext, clock
) -> None:
    from datetime import timedelta

    scene, applicant_login, recruiter_login = await _scene(ctx)
    async with _client(app) as applicant, _client(app) as recruiter:
        assert (await sign_in(applicant, applicant_login, factories.PASSWORD)).status_code == 303
        assert (await sign_in(recruiter, recruiter_login, factories.PASSWORD)).status_code == 303
        assert ctx.live is not None
        ctx.live.presence.join([f"recruiter:{scene.booth_id}:{scene.recruiter_id}"])
        console = await recruiter.get(scene.console)
        for bad in ("0", "121", "lima"):
            refused = await recruiter.post(
                scene.console + "/timer",
                data={"timer_minutes": bad, "csrf_token": csrf_of(console.text)},
            )
            assert refused.status_code == 422
        saved = await recruiter.post(
            scene.console + "/timer",
            data={"timer_minutes": "10", "csrf_token": csrf_of(console.text)},
        )
        assert saved.status_code == 303
        page = await applicant.get(scene.chat_page)
        await applicant.post(
            scene.chat_page + "/queue", data={"vacancy": "", "csrf_token": csrf_of(page.text)}
        )
        console = await recruiter.get(scene.console)
        await recruiter.post(scene.console + "/take", data={"csrf_token": csrf_of(console.text)})
        async with ctx.read() as session:
            chat_id = (await session.execute(Conversation.__table__.select())).first().id
        # Both sides see the end time (10:00 WIB + 10 minutes), as text without JavaScript.
        page = await applicant.get(scene.chat_page + "?lang=en")
        assert "This chat lasts up to 10 minutes: it ends at 10:10 WIB." in page.text
        assert 'data-chat-ends="2026-11-05T03:10:00+00:00"' in page.text
        console = await recruiter.get(scene.console)
        assert "berakhir pukul 10.10 WIB" in console.text
        # The times are the fair's wall clock: a fair in Makassar shows WITA.
        async with ctx.unit_of_work() as session:
            fair = await session.get(Fair, (await session.get(Conversation, chat_id)).fair_id)
            fair.timezone = "Asia/Makassar"
        page = await applicant.get(scene.chat_page + "?lang=en")
        assert "it ends at 11:10 WITA." in page.text
        console = await recruiter.get(scene.console)
        assert "berakhir pukul 11.10 WITA" in console.text
        clock.advance(timedelta(minutes=10, seconds=5))
        # The next action after the time is up ends the chat and goes back to it.
        late = await applicant.post(
            f"/chats/{chat_id}/messages",
            data={"body": "Masih di sini?", "csrf_token": csrf_of(page.text)},
        )
        assert late.status_code == 303
        page = await applicant.get(scene.chat_page)
        assert f"/chats/{chat_id}/messages" not in page.text and "Masih di sini?" not in page.text
        console = await recruiter.get(scene.console)
        assert f'id="outcome-{chat_id}"' in console.text
        async with ctx.read() as session:
            row = await session.get(Conversation, chat_id)
            log = await chats.transcript(session, chat_id)
        assert row.ended_by == "timer"
    # What both sides' sockets get, as after a manual end, says why it ended.
    for party in ("applicant", "recruiter"):
        frame = live_renderer(app)(
            "chat",
            {
                "chat": row,
                "messages": log,
                "party": party,
                "fresh": False,
                "csrf_token": "t",
                "timezone": "Asia/Jakarta",
            },
            "id",
        )
        assert frame.count("Waktu obrolan ini sudah habis; obrolan telah berakhir.") == 2
        assert f'id="chat-actions-{chat_id}-{party}"' in frame and "<textarea" not in frame
