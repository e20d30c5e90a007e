"""The whole URL map. Route names are "area:action"."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from jobfair.web import health, public
from jobfair.web.api import openapi
from jobfair.web.api import public as api_public


def build_routes(static_dir: Path) -> list[BaseRoute]:
    return [
        Route("/", public.fair_list, name="public:fairs"),
        Route("/fairs/{slug}", public.fair_page, name="public:fair"),
        Route("/fairs/{slug}/booths/{company}", public.booth_page, name="public:booth"),
        Route("/fairs/{slug}/vacancies", public.vacancy_search, name="public:vacancies"),
        Route(
            "/fairs/{slug}/vacancies/{vacancy_id:int}", public.vacancy_page, name="public:vacancy"
        ),
        Route("/healthz", health.healthz, name="health:check"),
        Mount(
            "/api/v1",
            routes=[
                Route("/openapi.json", openapi.openapi_json, name="openapi"),
                Route("/fairs", api_public.list_fairs, name="fairs"),
                Route("/fairs/{slug}", api_public.get_fair, name="fair"),
                Route("/fairs/{slug}/booths", api_public.list_booths, name="booths"),
                Route("/fairs/{slug}/vacancies", api_public.list_vacancies, name="vacancies"),
            ],
            name="api",
        ),
        Mount("/static", StaticFiles(directory=static_dir), name="static"),
    ]
