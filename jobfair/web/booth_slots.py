"""Booked 1:1 slots and booth messages: the applicant's booking, cancelling and "leave a
message" (on the booth page), their "my bookings" page, and the company's slot
schedule, attendance marks and messages inbox. Plain forms: nothing here needs
JavaScript."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.models import Fair
from jobfair.models.accounts import Role
from jobfair.schemas.booth_slots import AnswerForm, MarkForm, MessageForm, SlotRunForm
from jobfair.schemas.problems import parse
from jobfair.services import booth_slots, catalogue, fairs
from jobfair.services.errors import DomainError
from jobfair.web.auth import checked_form, limit, require
from jobfair.web.htmx import render
from jobfair.web.links import path_for, see_other
from jobfair.web.public import booth_page_response

RUN_FIELDS = ("day", "start", "end", "minutes", "recruiter_user_id")


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def _public_booth_id(request: Request) -> int:
    """The booth the path names (its fair's slug and company's slug), or 404."""
    async with _ctx(request).read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        booth, _company = await catalogue.find_booth(session, fair, request.path_params["company"])
    return booth.id


# ---------------------------------------------------------------- the applicant


async def book(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    await checked_form(request)
    ctx = _ctx(request)
    booth_id = await _public_booth_id(request)
    try:
        await limit(request, "booth:user", str(signed_in.user.id))
        async with ctx.unit_of_work() as session:
            await booth_slots.book(
                session,
                signed_in.user,
                request.path_params["slot_id"],
                ctx.now(),
                booth_id=booth_id,
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await booth_page_response(
            request, slot_error=error.message, status_code=error.status
        )
    return see_other(
        request,
        "public:booth",
        {"booked": "1"},
        fragment="slots",
        slug=request.path_params["slug"],
        company=request.path_params["company"],
    )


async def leave_message(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    booth_id = await _public_booth_id(request)
    values = {
        "body": str(form.get("body", ""))[: booth_slots.MESSAGE_MAX + 100],
        "vacancy_id": str(form.get("vacancy_id", "")),
    }
    try:
        await limit(request, "booth:user", str(signed_in.user.id))
        says = parse(MessageForm, values, strict=False)
        async with ctx.unit_of_work() as session:
            await booth_slots.leave_message(
                session, signed_in.user, booth_id, says.body, ctx.now(), vacancy_id=says.vacancy_id
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await booth_page_response(
            request,
            message_errors=error.fields or {"body": error.message},
            message_values=values,
            status_code=error.status,
        )
    return see_other(
        request,
        "public:booth",
        {"message": "1"},
        fragment="message",
        slug=request.path_params["slug"],
        company=request.path_params["company"],
    )


async def my_bookings(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    async with ctx.read() as session:
        bookings = await booth_slots.my_bookings(session, signed_in.user)
        messages = await booth_slots.my_messages(session, signed_in.user)
    return render(
        request,
        "pages/me/bookings.html",
        {
            "bookings": bookings,
            "messages": messages,
            "now": ctx.now(),
            "cancelled": request.query_params.get("cancelled") == "1",
        },
    )


async def cancel_booking(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    await checked_form(request)
    ctx = _ctx(request)
    await limit(request, "booth:user", str(signed_in.user.id))
    async with ctx.unit_of_work() as session:
        await booth_slots.cancel_booking(
            session, signed_in.user, request.path_params["booking_id"], ctx.now()
        )
    return see_other(request, "me:bookings", {"cancelled": "1"})


# ---------------------------------------------------------------- the company


async def _slots_page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.read() as session:
        schedule = await booth_slots.company_slots(
            session, signed_in.user, request.path_params["booth_id"]
        )
    fair: Fair = schedule.fair
    days = booth_slots.day_choices(fair, ctx.now())
    return render(
        request,
        "pages/company/slots.html",
        {
            "schedule": schedule,
            "fair": fair,
            "days": days,
            "now": ctx.now(),
            "errors": errors or {},
            "error": error,
            "values": values
            or {
                "day": days[0].isoformat() if days else "",
                "start": "09:00",
                "end": "12:00",
                "minutes": "20",
                "recruiter_user_id": "",
            },
            "saved": request.query_params.get("saved"),
        },
        status_code=status_code,
    )


async def slots_page(request: Request) -> Response:
    return await _slots_page(request)


async def publish_slots(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    values = {name: str(form.get(name, ""))[:40] for name in RUN_FIELDS}
    try:
        run = parse(SlotRunForm, values, strict=False).run()
        async with ctx.unit_of_work() as session:
            made = await booth_slots.publish_run(session, signed_in.user, booth_id, run, ctx.now())
            count = len(made)
    except DomainError as error:
        if error.status == 404:
            raise
        return await _slots_page(
            request,
            errors=error.fields,
            values=values,
            error=error.message,
            status_code=error.status,
        )
    return see_other(request, "company:slots", {"saved": str(count)}, booth_id=booth_id)


async def cancel_slot(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        slot = await booth_slots.cancel_slot(
            session,
            signed_in.user,
            request.path_params["slot_id"],
            ctx.now(),
            base_url=ctx.settings.base_url,
            bookings_path=path_for(request, "me:bookings"),
        )
        booth_id = slot.booth_id
    return see_other(request, "company:slots", fragment="schedule", booth_id=booth_id)


async def mark_booking(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    says = parse(MarkForm, {"outcome": str(form.get("outcome", ""))}, strict=False)
    async with ctx.unit_of_work() as session:
        booking = await booth_slots.mark(
            session, signed_in.user, request.path_params["booking_id"], says.outcome, ctx.now()
        )
        booth_id = booking.booth_id
    return see_other(request, "company:slots", fragment=f"booking-{booking.id}", booth_id=booth_id)


async def _inbox(
    request: Request,
    *,
    errors: dict[int, str] | None = None,
    values: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        waiting = await booth_slots.inbox(session, signed_in.user)
        answered = await booth_slots.inbox(session, signed_in.user, answered=True)
    return render(
        request,
        "pages/company/messages.html",
        {
            "waiting": waiting,
            "answered": answered,
            "errors": errors or {},
            "values": values or {},
            "sent": request.query_params.get("sent") == "1",
        },
        status_code=status_code,
    )


async def inbox(request: Request) -> Response:
    return await _inbox(request)


async def answer(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    message_id = request.path_params["message_id"]
    text = str(form.get("answer", ""))[: booth_slots.ANSWER_MAX + 100]
    try:
        says = parse(AnswerForm, {"answer": text}, strict=False)
        async with ctx.unit_of_work() as session:
            await booth_slots.answer(
                session,
                signed_in.user,
                message_id,
                says.answer,
                ctx.now(),
                base_url=ctx.settings.base_url,
                messages_path=path_for(request, "me:bookings"),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        message = error.fields.get("answer") or error.message
        return await _inbox(
            request,
            errors={message_id: message},
            values={message_id: text},
            status_code=error.status,
        )
    return see_other(request, "company:messages", {"sent": "1"})
