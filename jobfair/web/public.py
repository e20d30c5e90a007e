"""Public pages: the fair list, a fair with its booth grid and filters, a booth, the
vacancy search and a vacancy. Usable without JavaScript; htmx swaps the results."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.models.accounts import Role
from jobfair.models.fairs import FairPhase
from jobfair.services import applicants, booth_slots, catalogue, fairs, reports
from jobfair.services.catalogue import CatalogueFilters
from jobfair.services.numbers import whole_number
from jobfair.web.auth import current
from jobfair.web.htmx import render
from jobfair.web.live import page_counters

PAGE_SIZE = 30


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _filters(request: Request) -> tuple[CatalogueFilters, dict[str, str]]:
    """Filters from the query; invalid ones are shown as field errors, not a failure."""
    return CatalogueFilters.parse_lenient(request.query_params)


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return whole_number(raw, minimum=1, maximum=9_999) or 1


async def fair_list(request: Request) -> Response:
    ctx = _ctx(request)
    async with ctx.read() as session:
        fair_rows = await fairs.list_public_fairs(session)
        counts = await fairs.fair_counts(session, [fair.id for fair in fair_rows])
    now = ctx.now()
    return render(
        request,
        "pages/public/fairs.html",
        {"fairs": fair_rows, "counts": counts, "now": now},
    )


async def fair_page(request: Request) -> Response:
    ctx = _ctx(request)
    filters, filter_errors = _filters(request)
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        booths = await catalogue.list_booths(session, fair, filters)
        facets = await catalogue.facets(session, fair)
        phase = fair.phase(ctx.now())
        # A closed fair with a compiled report links to its public summary.
        has_summary = phase == "closed" and await reports.has_report(session, fair.id)
    counters, _booth = await page_counters(ctx, fair.id)
    return render(
        request,
        "pages/public/fair.html",
        {
            "fair": fair,
            "phase": phase,
            "has_summary": has_summary,
            "counters": counters,
            "booths": booths,
            "filters": filters,
            "filter_errors": filter_errors,
            "facets": facets,
        },
        fragment="partials/public/booth_grid.html",
    )


async def booth_page(request: Request) -> Response:
    return await booth_page_response(request)


async def booth_page_response(
    request: Request,
    *,
    slot_error: str | None = None,
    message_errors: dict[str, str] | None = None,
    message_values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The booth page; a signed-in applicant also gets its free 1:1 slots, their own
    booking, and "leave a message" when no recruiter of the booth is online (anonymous
    visitors, served from the page cache, are asked to sign in for both)."""
    ctx = _ctx(request)
    signed_in = current(request)
    now = ctx.now()
    slots = None
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        booth = await catalogue.get_booth(session, fair, request.path_params["company"])
        if signed_in is not None and signed_in.user.role == Role.APPLICANT:
            applicant = await applicants.applicant_of(session, signed_in.user)
            slots = await booth_slots.booth_slots(session, fair, booth.booth.id, applicant.id, now)
    _fair, booth_counters = await page_counters(ctx, fair.id, booth.booth.id)
    phase = fair.phase(now)
    online = None
    if slots is not None and phase == FairPhase.OPEN and ctx.live is not None:
        online = await booth_slots.recruiters_online(ctx.live.presence, booth.booth.id)
    return render(
        request,
        "pages/public/booth.html",
        {
            "fair": fair,
            "phase": phase,
            "page": booth,
            "booth_counters": booth_counters,
            "slots": slots,
            "slot_error": slot_error,
            # Offered whenever nobody of the booth is there to talk to now.
            "offer_message": phase != FairPhase.OPEN or not online,
            "message_errors": message_errors or {},
            "message_values": message_values or {},
            "message_sent": request.query_params.get("message") == "1",
            "booked": request.query_params.get("booked") == "1",
        },
        status_code=status_code,
    )


async def vacancy_search(request: Request) -> Response:
    ctx = _ctx(request)
    filters, filter_errors = _filters(request)
    page = _page_number(request)
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        vacancies, total = await catalogue.search_vacancies(
            session, fair, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        facets = await catalogue.facets(session, fair)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "pages/public/vacancies.html",
        {
            "fair": fair,
            "phase": fair.phase(ctx.now()),
            "vacancies": vacancies,
            "total": total,
            "page": page,
            "pages": pages,
            "filters": filters,
            "filter_errors": filter_errors,
            "facets": facets,
        },
        fragment="partials/public/vacancy_list.html",
    )


async def vacancy_page(request: Request) -> Response:
    ctx = _ctx(request)
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        vacancy = await catalogue.get_vacancy(session, fair, request.path_params["vacancy_id"])
    return render(
        request,
        "pages/public/vacancy.html",
        {"fair": fair, "phase": fair.phase(ctx.now()), "vacancy": vacancy},
    )
