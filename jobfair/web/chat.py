"""Booth chats on the web: the applicant's booth chat page (phone first), the
recruiter's console, the organiser's abuse reports, and the socket side of a chat
(messages sent as JSON over ``/ws/fairs/{slug}``). Every form works without
JavaScript (a POST and a redirect); with htmx the pages update live over the socket.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.live.layer import WAITING_LISTED, Subscriber
from jobfair.models import Applicant, Booth, Company, User, Vacancy
from jobfair.models.accounts import Role
from jobfair.models.conversations import Conversation
from jobfair.schemas import conversations as forms
from jobfair.schemas.problems import parse
from jobfair.services import applicants, catalogue, fairs
from jobfair.services import conversations as chats
from jobfair.services.errors import DomainError, NotFound
from jobfair.services.numbers import whole_number
from jobfair.web.auth import checked_form, current, require
from jobfair.web.htmx import is_fragment_request, render
from jobfair.web.links import path_for, see_other

# How often the applicant's waiting page checks in (keeps the place, refreshes the
# position); well inside the grace period.
STATUS_POLL_SECONDS = 10


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _limits(request: Request) -> chats.ChatLimits:
    return chats.ChatLimits.from_settings(request.app.state.settings)


def after_param(raw: str | None) -> int:
    """The socket's ``?after=``: the last message id the client saw (0: none)."""
    return whole_number(raw) or 0 if raw else 0


def socket_csrf(websocket: Any) -> str:
    """The CSRF token of the socket's session (the chat forms a frame brings carry it)."""
    state = websocket.scope.get("state", {}).get("auth")
    return str(getattr(state, "csrf_token", "") or "")


# ------------------------------------------------------------------ presence


# The booth's recruiters as the pages show them (jobfair.services.conversations).
OnlineRecruiter = chats.BoothRecruiter


async def online_recruiters(ctx: AppContext, session: Any, booth: Booth) -> list[OnlineRecruiter]:
    """Who of the booth's company has the booth open now, and their open chats."""
    if ctx.live is None:
        return []
    recruiters = (await chats.booth_recruiters(session, [booth.id]))[booth.id]
    online = await ctx.live.online_recruiter_ids({booth.id: [r.user_id for r in recruiters]})
    return [one for one in recruiters if one.user_id in online[booth.id]]


# ------------------------------------------------------------------ applicant


async def _booth_of(session: Any, request: Request) -> tuple[Any, Booth, Company]:
    fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
    booth, company = await catalogue.find_booth(session, fair, request.path_params["company"])
    return fair, booth, company


async def _conversation_view(session: Any, chat: Conversation, party: str) -> dict[str, Any]:
    applicant = await session.get(Applicant, chat.applicant_id)
    user = await session.get(User, applicant.user_id) if applicant and applicant.user_id else None
    recruiter = await session.get(User, chat.recruiter_user_id) if chat.recruiter_user_id else None
    return {
        "chat": chat,
        "party": party,
        "messages": await chats.transcript(session, chat.id),
        "applicant": applicant,
        "applicant_name": user.full_name if user else "",
        "recruiter_name": recruiter.full_name if recruiter else "",
        # Times in the chat are the fair's wall clock (its zone), as its slots are.
        "timezone": await chats.chat_timezone(session, chat),
    }


async def _booth_context(request: Request, *, error: str | None = None) -> dict[str, Any]:
    ctx = _ctx(request)
    signed_in = current(request)
    async with ctx.read() as session:
        fair, booth, company = await _booth_of(session, request)
        online = await online_recruiters(ctx, session, booth)
        context: dict[str, Any] = {
            "fair": fair,
            "booth": booth,
            "company": company,
            "phase": fair.phase(ctx.now()),
            "online": online,
            "error": error,
            "status": None,
            "conversation": None,
            "signed_in_applicant": False,
            "poll_seconds": STATUS_POLL_SECONDS,
            "vacancies": list(await session.scalars(catalogue_vacancies(booth.id))),
        }
        if signed_in is not None and signed_in.user.role == Role.APPLICANT:
            applicant = await applicants.applicant_of(session, signed_in.user)
            context["signed_in_applicant"] = True
            context["blocked"] = await chats.is_blocked(session, fair.id, signed_in.user.id)
            status = await chats.queue_status(
                session,
                applicant_id=applicant.id,
                booth_id=booth.id,
                now=ctx.now(),
                limits=_limits(request),
                recruiters_online=len(online),
            )
            context["status"] = status
            if status is not None and status.conversation_id is not None:
                chat = await session.get(Conversation, status.conversation_id)
                assert chat is not None
                context["conversation"] = await _conversation_view(session, chat, "applicant")
    return context


def catalogue_vacancies(booth_id: int) -> Any:
    from sqlalchemy import select

    from jobfair.models.vacancies import is_public

    return select(Vacancy).where(Vacancy.booth_id == booth_id, is_public()).order_by(Vacancy.title)


async def _touch(request: Request) -> None:
    signed_in = current(request)
    if signed_in is None or signed_in.user.role != Role.APPLICANT:
        return
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
        await chats.touch(session, applicant.id, ctx.now(), _limits(request))


async def booth_chat(request: Request) -> Response:
    """``/fairs/{slug}/booths/{company}/chat``: talk to a recruiter of the booth."""
    await _touch(request)
    context = await _booth_context(request)
    return render(
        request, "pages/chat/booth.html", context, fragment="partials/chat/applicant.html"
    )


async def booth_chat_status(request: Request) -> Response:
    """The waiting box, polled while waiting (the check-in that keeps the place)."""
    await _touch(request)
    context = await _booth_context(request)
    return render(request, "partials/chat/applicant.html", context)


async def booth_presence(request: Request) -> Response:
    """Who of the booth's company is online and their open chats: a fragment the
    (cached) booth page loads by itself, fresh for every visitor."""
    ctx = _ctx(request)
    async with ctx.read() as session:
        _fair, booth, _company = await _booth_of(session, request)
        online = await online_recruiters(ctx, session, booth)
    return render(request, "partials/chat/presence.html", {"booth": booth, "online": online})


async def join(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    try:
        says = parse(forms.JoinQueue, form, strict=False)
        async with ctx.read() as session:
            _fair, booth, _company = await _booth_of(session, request)
            online = len(await online_recruiters(ctx, session, booth))
        async with ctx.unit_of_work() as session:
            applicant = await applicants.applicant_of(session, signed_in.user)
            await chats.join_queue(
                session,
                applicant=applicant,
                user_id=signed_in.user.id,
                booth=booth,
                now=ctx.now(),
                recruiters_online=online,
                limits=_limits(request),
                vacancy_id=says.vacancy,
            )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        context = await _booth_context(request, error=error.message)
        return render(
            request,
            "pages/chat/booth.html",
            context,
            fragment="partials/chat/applicant.html",
            status_code=error.status,
        )
    return _back_to_booth(request)


def _back_to_booth(request: Request) -> Response:
    return see_other(
        request,
        "chat:booth",
        slug=request.path_params["slug"],
        company=request.path_params["company"],
    )


async def leave(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        _fair, booth, _company = await _booth_of(session, request)
    async with ctx.unit_of_work() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
        await chats.leave_queue(
            session,
            applicant_id=applicant.id,
            user_id=signed_in.user.id,
            booth_id=booth.id,
            now=ctx.now(),
        )
    return _back_to_booth(request)


# ------------------------------------------------------------------ both parties


async def _end_if_time_up(ctx: AppContext, error: DomainError, conversation_id: int) -> bool:
    """The action was refused because the chat's time is up: end the chat now, in a unit
    of work of its own (the action's rolled back), so both sides get the ``ended`` line
    as after a manual end. True when that was the refusal."""
    if not isinstance(error, chats.TimeUp):
        return False
    async with ctx.unit_of_work() as session:
        await chats.end_timed_out(session, ctx.now(), conversation_id=conversation_id)
    return True


async def _chat_of(ctx: AppContext, conversation_id: int) -> Conversation:
    async with ctx.read() as session:
        chat = await session.get(Conversation, conversation_id)
    if chat is None:
        raise NotFound(gettext("We could not find that page."))
    return chat


async def _after_chat_action(request: Request, chat: Conversation) -> Response:
    """Back where the user came from: the booth chat page or the console."""
    if is_fragment_request(request):
        return Response(status_code=204)
    signed_in = require(request)
    if signed_in.user.role == Role.RECRUITER:
        return see_other(
            request, "chat:console", fragment=f"chat-{chat.id}", booth_id=chat.booth_id
        )
    ctx = _ctx(request)
    async with ctx.read() as session:
        booth = await session.get(Booth, chat.booth_id)
        assert booth is not None
        company = await session.get(Company, booth.company_id)
        fair = await session.get(fairs.Fair, chat.fair_id)
    assert company is not None and fair is not None
    return see_other(request, "chat:booth", slug=fair.slug, company=company.slug)


async def send(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    says = parse(forms.SendMessage, form, strict=False)
    conversation_id = request.path_params["conversation_id"]
    try:
        async with ctx.unit_of_work() as session:
            message = await chats.send_message(
                session,
                user=signed_in.user,
                conversation_id=conversation_id,
                body=says.body,
                now=ctx.now(),
            )
            chat: Conversation | None = await session.get(Conversation, message.conversation_id)
    except DomainError as error:
        if not await _end_if_time_up(ctx, error, conversation_id):
            raise
        # Back to the chat, which now shows that its time is up.
        chat = await _chat_of(ctx, conversation_id)
    assert chat is not None
    return await _after_chat_action(request, chat)


async def end(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT, Role.RECRUITER)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        chat = await chats.end(
            session,
            user=signed_in.user,
            conversation_id=request.path_params["conversation_id"],
            now=ctx.now(),
        )
    if is_fragment_request(request):
        # The ended state (and, for the recruiter, the outcome form) comes in a frame.
        return Response(status_code=204)
    return await _after_chat_action(request, chat)


async def share_cv(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    await checked_form(request)
    ctx = _ctx(request)
    conversation_id = request.path_params["conversation_id"]
    try:
        async with ctx.unit_of_work() as session:
            chat = await chats.share_cv(
                session, user=signed_in.user, conversation_id=conversation_id, now=ctx.now()
            )
    except DomainError as error:
        if not await _end_if_time_up(ctx, error, conversation_id):
            raise
        chat = await _chat_of(ctx, conversation_id)
    return await _after_chat_action(request, chat)


async def report(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    says = parse(forms.AbuseReportForm, form, strict=False)
    async with ctx.unit_of_work() as session:
        await chats.report_abuse(
            session,
            user=signed_in.user,
            conversation_id=request.path_params["conversation_id"],
            reason=says.reason,
            now=ctx.now(),
        )
        chat = await session.get(Conversation, request.path_params["conversation_id"])
    assert chat is not None
    if is_fragment_request(request):
        return render(request, "partials/chat/reported.html", {})
    return await _after_chat_action(request, chat)


# ------------------------------------------------------------------ recruiter


async def console(
    request: Request, *, error: str | None = None, status_code: int = 200
) -> Response:
    """``/company/booths/{booth_id}/chat``: the recruiter's chat console."""
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    limits = _limits(request)
    async with ctx.read() as session:
        booth = await session.get(Booth, request.path_params["booth_id"])
        if booth is None:
            raise NotFound(gettext("We could not find that page."))
        await chats.membership_of_booth(session, signed_in.user, booth)
        fair = await session.get(fairs.Fair, booth.fair_id)
        company = await session.get(Company, booth.company_id)
        mine = [
            c
            for c in await chats.open_chats_of(session, signed_in.user.id)
            if c.booth_id == booth.id
        ]
        views = []
        for chat in mine:
            view = await _conversation_view(session, chat, "recruiter")
            view["may_see_cv"] = await chats.may_see_cv(session, chat)
            view["cv_application_id"] = await chats.application_for_cv(session, chat)
            views.append(view)
        ended = await chats.ended_without_outcome(session, signed_in.user.id, booth.id)
        colleagues = [
            (uid, (await session.get(User, uid)).full_name)  # type: ignore[union-attr]
            for uid in await chats.recruiter_user_ids(session, booth.company_id)
            if uid != signed_in.user.id
        ]
        state = (await chats.booth_chat_states(session, [booth.id], ctx.now(), limits))[booth.id]
        context = {
            "fair": fair,
            "booth": booth,
            "company": company,
            "phase": fair.phase(ctx.now()) if fair else None,
            "waiting": len(state.waiting),
            "waiting_entries": state.waiting[:WAITING_LISTED],
            "chats": views,
            "ended": [await _conversation_view(session, c, "recruiter") for c in ended],
            "max_parallel": limits.max_parallel,
            "vacancies": list(await session.scalars(catalogue_vacancies(booth.id))),
            "colleagues": colleagues,
            "online": await online_recruiters(ctx, session, booth),
            "timer_minutes": await chats.timer_of(session, booth.company_id),
            "error": error,
            # ``?outcome=<chat id>``: the link under a chat the applicant ended; that
            # chat's note takes the focus (autofocus, which also scrolls to it; a URL
            # fragment would make browsers skip autofocus).
            "outcome_for": whole_number(request.query_params.get("outcome")),
        }
    return render(request, "pages/chat/console.html", context, status_code=status_code)


async def take(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    await checked_form(request)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    try:
        async with ctx.unit_of_work() as session:
            booth = await session.get(Booth, booth_id)
            if booth is None:
                raise NotFound(gettext("We could not find that page."))
            chat = await chats.take_next(
                session, user=signed_in.user, booth=booth, now=ctx.now(), limits=_limits(request)
            )
    except DomainError as error:
        if isinstance(error, NotFound) or error.status == 403:
            raise
        return await console(request, error=error.message, status_code=error.status)
    if chat is None:
        return await console(request, error=gettext("Nobody is waiting right now."))
    return see_other(request, "chat:console", fragment=f"chat-{chat.id}", booth_id=booth_id)


async def _recruiter_action(request: Request, action: Any) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    conversation_id = request.path_params["conversation_id"]
    try:
        async with ctx.unit_of_work() as session:
            chat = await action(session, signed_in.user, conversation_id, form, ctx.now())
    except DomainError as error:
        if isinstance(error, NotFound) or error.status == 403:
            raise
        await _end_if_time_up(ctx, error, conversation_id)
        async with ctx.read() as session:
            found = await session.get(Conversation, conversation_id)
        if found is None:
            raise
        request.path_params["booth_id"] = found.booth_id
        return await console(request, error=error.message, status_code=error.status)
    return see_other(request, "chat:console", fragment=f"chat-{chat.id}", booth_id=chat.booth_id)


async def video(request: Request) -> Response:
    async def action(session: Any, user: User, cid: int, form: Any, now: Any) -> Conversation:
        says = parse(forms.VideoLink, form, strict=False)
        return await chats.set_video_link(
            session, user=user, conversation_id=cid, url=says.video_url, now=now
        )

    return await _recruiter_action(request, action)


async def outcome(request: Request) -> Response:
    async def action(session: Any, user: User, cid: int, form: Any, now: Any) -> Conversation:
        says = parse(forms.Outcome, form, strict=False)
        return await chats.record_outcome(
            session,
            user=user,
            conversation_id=cid,
            note=says.note,
            interest=says.interest,
            invited_vacancy_id=says.vacancy,
            now=now,
            base_url=request.app.state.settings.base_url,
            vacancy_path=lambda slug, vacancy_id: path_for(
                request, "public:vacancy", slug=slug, vacancy_id=vacancy_id
            ),
        )

    return await _recruiter_action(request, action)


async def hand_off(request: Request) -> Response:
    async def action(session: Any, user: User, cid: int, form: Any, now: Any) -> Conversation:
        says = parse(forms.HandOff, form, strict=False)
        return await chats.hand_off(
            session, user=user, conversation_id=cid, to_user_id=says.to, now=now
        )

    return await _recruiter_action(request, action)


async def timer(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    says = parse(forms.ChatTimer, form, strict=False)
    async with ctx.unit_of_work() as session:
        booth = await session.get(Booth, booth_id)
        if booth is None:
            raise NotFound(gettext("We could not find that page."))
        await chats.membership_of_booth(session, signed_in.user, booth)
        await chats.set_timer(
            session, user=signed_in.user, company_id=booth.company_id, minutes=says.timer_minutes
        )
    return see_other(request, "chat:console", booth_id=booth_id)


# ------------------------------------------------------------------ organiser


async def reports_page(request: Request) -> Response:
    signed_in = require(request, Role.ORGANISER, Role.ADMIN)
    async with _ctx(request).read() as session:
        fair, rows = await chats.abuse_reports(session, signed_in.user, request.path_params["slug"])
    return render(request, "pages/chat/reports.html", {"fair": fair, "reports": rows})


async def block(request: Request) -> Response:
    signed_in = require(request, Role.ORGANISER, Role.ADMIN)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await chats.block_user(
            session,
            user=signed_in.user,
            fair_slug=request.path_params["slug"],
            report_id=request.path_params["report_id"],
            now=ctx.now(),
        )
    return see_other(request, "chat:reports", slug=request.path_params["slug"])


# ------------------------------------------------------------------ the socket


async def socket_text(ctx: AppContext, subscriber: Subscriber, text: str) -> None:
    """A chat client's JSON frame: ``{"type": "send", "conversation", "body", "ref"}``.
    The message is stored (committed) before the ``ack`` frame with its id goes back."""
    assert subscriber.user_id is not None
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError
        says = parse(forms.SocketSend, raw, strict=True, whole="frame")
    except (ValueError, DomainError):
        await subscriber.send(_frame({"channel": "chat", "error": "invalid"}))
        return
    try:
        async with ctx.unit_of_work() as session:
            user = await session.get(User, subscriber.user_id)
            if user is None or not user.is_active:
                raise NotFound("no user")
            message = await chats.send_message(
                session,
                user=user,
                conversation_id=says.conversation,
                body=says.body,
                now=ctx.now(),
            )
            message_id = message.id
    except DomainError as error:
        # Time up: the chat ends now and both sides get its ``ended`` line.
        await _end_if_time_up(ctx, error, says.conversation)
        await subscriber.send(
            _frame({"channel": f"chat:{says.conversation}", "error": error.code, "ref": says.ref})
        )
        return
    await subscriber.send(
        _frame({"channel": f"chat:{says.conversation}", "ack": {"ref": says.ref, "id": message_id}})
    )


def _frame(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


async def chat_cv(request: Request) -> Response:
    """The CV of the chat's applicant, for its recruiter (applied or shared; the rule
    of services.applicants.open_cv)."""
    from jobfair.web.applicant import cv_response

    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        chat, _party = await chats.conversation_for(
            session, signed_in.user, request.path_params["conversation_id"]
        )
        cv_file = await applicants.open_cv(
            session, signed_in.user, chat.applicant_id, ctx.settings.uploads_dir, ctx.now()
        )
    return cv_response(cv_file)
