"""Public read endpoints: fairs with live counts, booths, vacancies with filters."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.schemas.catalogue import BoothList, FairList, VacancyPage, VacancyQuery
from jobfair.services import catalogue, fairs
from jobfair.services.catalogue import CatalogueFilters
from jobfair.web.api import serializers
from jobfair.web.api.serializers import respond


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def list_fairs(request: Request) -> JSONResponse:
    ctx = _ctx(request)
    async with ctx.read() as session:
        rows = await fairs.list_public_fairs(session)
        counts = await fairs.fair_counts(session, [fair.id for fair in rows])
    now = ctx.now()
    online = await _online(ctx, [fair.id for fair in rows])
    return respond(
        FairList(
            fairs=[
                serializers.fair(fair, counts[fair.id], now, online=online[fair.id])
                for fair in rows
            ]
        )
    )


async def get_fair(request: Request) -> JSONResponse:
    ctx = _ctx(request)
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"])
        counts = (await fairs.fair_counts(session, [fair.id]))[fair.id]
    online = await _online(ctx, [fair.id])
    return respond(serializers.fair(fair, counts, ctx.now(), online=online[fair.id]))


async def _online(ctx: AppContext, fair_ids: list[int]) -> dict[int, int]:
    """People with a fair's pages open now (the live layer's presence)."""
    if ctx.live is None:
        return dict.fromkeys(fair_ids, 0)
    counts = await ctx.live.presence.counts([f"fair:{fair_id}" for fair_id in fair_ids])
    return {fair_id: counts[f"fair:{fair_id}"] for fair_id in fair_ids}


async def list_booths(request: Request) -> JSONResponse:
    ctx = _ctx(request)
    filters = CatalogueFilters.parse(request.query_params)
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"])
        cards = await catalogue.list_booths(session, fair, filters)
    return respond(BoothList(booths=[serializers.booth(card) for card in cards], total=len(cards)))


async def list_vacancies(request: Request) -> JSONResponse:
    ctx = _ctx(request)
    # The catalogue's filters and the page, in one model.
    query = VacancyQuery.parse(request.query_params)
    limit, offset = query.limit, query.offset
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"])
        vacancies, total = await catalogue.search_vacancies(
            session, fair, query, limit=limit, offset=offset
        )
    return respond(
        VacancyPage(
            vacancies=[serializers.vacancy(vacancy) for vacancy in vacancies],
            total=total,
            limit=limit,
            offset=offset,
        )
    )
