"""Benchmark (DESIGN §11 "pages"): the public booth list (``/fairs/{slug}``) and vacancy
search (``/fairs/{slug}/vacancies?q=...``), served from the public page cache
(``cached``) and rendered every time (``uncached``), against a bare Starlette + Jinja
page doing one query over the same database, and the bytes a first visit of the fair page
transfers (target ≤ 60 KB compressed; target rps ≥ 0.5× the bare page).

Both servers are uvicorn processes on loopback serving the demo fair (37 booths, 97
vacancies, the demo population), driven by the same load generator
(``loadgen.drive``). The first visit fetches the fair page with ``Accept-Encoding:
gzip`` and every stylesheet, script, icon and image it references (and the ``url()``s
of its stylesheets), counting the bytes on the wire as the server sent them (body as
encoded, plus status line and headers). The bare search matches the same columns as the
product's (title, skills, description, company name). Statistics are gathered
(``ANALYZE``) after loading, as in steady state. Prints one JSON line per result. Run
from the repository root:

    .venv/bin/python bench/pages.py [--postgres postgresql+asyncpg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from jinja2 import DictLoader, Environment, select_autoescape
from loadgen import (
    Call,
    Result,
    analyze,
    backend_of,
    database,
    drive,
    jobfair_env,
    server,
    uvicorn_command,
)
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from jobfair.db.engine import create_engine
from jobfair.demo import prepare_demo
from jobfair.settings import Settings

FIRST_VISIT_TARGET = 60_000  # bytes, compressed
QUERY = "operator"

# ------------------------------------------------------------------ the bare reference

BARE_TEMPLATES = {
    "booths.html": """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{{ fair }}</title></head><body><h1>{{ fair }}</h1><ul>
{% for b in booths %}<li><a href="/fairs/{{ slug }}/booths/{{ b.slug }}">{{ b.name }}</a>
{{ b.sector }} · {{ b.vacancies }} lowongan · {{ b.openings }} formasi</li>
{% endfor %}</ul></body></html>""",
    "vacancies.html": """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{{ fair }}</title></head><body><h1>{{ fair }}</h1><ul>
{% for v in vacancies %}<li><a href="/fairs/{{ slug }}/vacancies/{{ v.id }}">{{ v.title }}</a>
{{ v.company }} · {{ v.education_min }} · {{ v.salary_min }}–{{ v.salary_max }}</li>
{% endfor %}</ul></body></html>""",
}

# One query each: the booth grid (booths with their company and vacancy counts) and the
# keyword search (verified vacancies with their company), joined to the fair by slug.
BOOTHS_SQL = text(
    """
    SELECT f.name AS fair, c.name, c.slug, c.kbli_section AS sector,
           count(v.id) AS vacancies,
           coalesce(sum(v.openings_male + v.openings_female + v.openings_either), 0)
             AS openings
    FROM fairs f
    JOIN booths b ON b.fair_id = f.id AND b.status = 'approved'
    JOIN companies c ON c.id = b.company_id
    LEFT JOIN vacancies v ON v.booth_id = b.id AND v.verification = 'verified'
    WHERE f.slug = :slug
    GROUP BY f.name, b.id, c.id, c.name, c.slug, c.kbli_section
    ORDER BY c.name
    """
)
VACANCIES_SQL = text(
    """
    SELECT f.name AS fair, v.id, v.title, c.name AS company, v.education_min,
           v.salary_min, v.salary_max
    FROM fairs f
    JOIN vacancies v ON v.fair_id = f.id AND v.verification = 'verified'
    JOIN booths b ON b.id = v.booth_id AND b.status = 'approved'
    JOIN companies c ON c.id = b.company_id
    WHERE f.slug = :slug AND (lower(v.title) LIKE :q OR lower(v.skills) LIKE :q
                              OR lower(v.description) LIKE :q OR lower(c.name) LIKE :q)
    ORDER BY c.name, v.title, v.id
    LIMIT 20
    """
)


def bare_app(database_url: str) -> Starlette:
    engine = create_engine(database_url)
    templates = Environment(
        loader=DictLoader(BARE_TEMPLATES), autoescape=select_autoescape(), enable_async=False
    )

    async def page(request: Request, sql: object, template: str, **params: str) -> HTMLResponse:
        slug = request.path_params["slug"]
        async with engine.connect() as connection:
            rows = (await connection.execute(sql, {"slug": slug, **params})).mappings().all()  # type: ignore[call-overload]
        fair = rows[0]["fair"] if rows else ""
        key = "booths" if template == "booths.html" else "vacancies"
        html = templates.get_template(template).render(fair=fair, slug=slug, **{key: rows})
        return HTMLResponse(html)

    async def booths(request: Request) -> HTMLResponse:
        return await page(request, BOOTHS_SQL, "booths.html")

    async def vacancies(request: Request) -> HTMLResponse:
        q = request.query_params.get("q", "").lower()
        return await page(request, VACANCIES_SQL, "vacancies.html", q=f"%{q}%")

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/fairs/{slug}", booths),
            Route("/fairs/{slug}/vacancies", vacancies),
            Route("/healthz", healthz),
        ],
        middleware=[Middleware(GZipMiddleware, minimum_size=500)],
        lifespan=lifespan,
    )


# ----------------------------------------------------------------------- first visit


class _Assets(HTMLParser):
    """What a browser fetches for the page: stylesheets, scripts, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.has_icon = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and found.get("href") and ({"stylesheet", "icon", "preload"} & set(rel)):
            self.urls.append(found["href"] or "")
            self.has_icon = self.has_icon or "icon" in rel
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"] or "")


def _wire_bytes(response: httpx.Response) -> int:
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
    head += sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2
    return head + response.num_bytes_downloaded


async def first_visit(base_url: str, path: str) -> dict[str, object]:
    headers = {"Accept-Encoding": "gzip"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
        page = await client.get(path)
        page.raise_for_status()
        parser = _Assets()
        parser.feed(page.text)
        urls = [urljoin(path, url) for url in parser.urls]
        if not parser.has_icon:
            urls.append("/favicon.ico")  # browsers ask for it when the page names none
        fetched: dict[str, int] = {path: _wire_bytes(page)}
        encodings = {path: page.headers.get("content-encoding", "identity")}
        queue = list(dict.fromkeys(urls))
        while queue:
            url = queue.pop(0)
            if url in fetched or urlsplit(url).netloc:
                continue
            response = await client.get(url)
            fetched[url] = _wire_bytes(response)
            encodings[url] = response.headers.get("content-encoding", "identity")
            if response.headers.get("content-type", "").startswith("text/css"):
                for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", response.text):
                    if not ref.startswith("data:"):
                        queue.append(urljoin(url, ref))
    total = sum(fetched.values())
    return {
        "bench": "pages",
        "target": "first_visit",
        "path": path,
        "bytes": total,
        "target_bytes": FIRST_VISIT_TARGET,
        "ok": total <= FIRST_VISIT_TARGET,
        "files": {url: [size, encodings[url]] for url, size in fetched.items()},
    }


# ------------------------------------------------------------------------- the run


async def run_backend(args: argparse.Namespace, postgres: str | None, tmp: Path) -> None:
    async with database(postgres, tmp, "pages") as url:
        data_dir = tmp / "data"
        env = jobfair_env(url, data_dir)
        settings = Settings.from_env(env)
        slug = (await prepare_demo(settings)).fair_slug
        await analyze(url)
        paths = {"booths": f"/fairs/{slug}", "search": f"/fairs/{slug}/vacancies?q={QUERY}"}
        bare_command = [sys.executable, __file__, "--serve-bare", url, "--port", "{port}"]
        # The same product twice: with its public page cache (the default) and without
        # (JOBFAIR_PAGE_CACHE_ENTRIES=0), beside the bare page, in one run.
        uncached_env = {**env, "JOBFAIR_PAGE_CACHE_ENTRIES": "0"}
        best: dict[tuple[str, str], Result] = {}
        product_command = uvicorn_command("jobfair.app:asgi")
        with (
            server(product_command, env, "/healthz") as cached,
            server(product_command, uncached_env, "/healthz") as uncached,
        ):
            if postgres is None:
                print(json.dumps(await first_visit(cached, paths["booths"])), flush=True)
            with server(bare_command, env, "/healthz") as bare:
                targets = (("bare", bare), ("uncached", uncached), ("cached", cached))
                # Alternate the targets per round, so drift in the machine's load falls
                # on all; report each one's best round.
                for _round in range(args.rounds):
                    for page, path in paths.items():
                        for target, base_url in targets:
                            calls = [Call("GET", path, 200)] * (args.requests + 50)
                            result = await drive(
                                base_url,
                                calls,
                                connections=args.connections,
                                max_requests=args.requests,
                                max_seconds=args.seconds,
                            )
                            key = (page, target)
                            if result.errors:
                                raise RuntimeError(f"{key}: {result.statuses}")
                            if key not in best or result.rps > best[key].rps:
                                best[key] = result
        for page, path in paths.items():
            bare_rps = best[(page, "bare")].rps
            for target, _base_url in targets:
                result = best[(page, target)]
                line = {
                    "bench": "pages",
                    "backend": backend_of(url),
                    "page": page,
                    "path": path,
                    "target": target,
                    **result.summary(),
                    "ratio": round(result.rps / bare_rps, 2),
                    "connections": args.connections,
                }
                print(json.dumps(line), flush=True)


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await run_backend(args, None, Path(tmp))
        if args.postgres:
            await run_backend(args, args.postgres, Path(tmp))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600, help="measured requests per round")
    parser.add_argument("--seconds", type=float, default=10.0, help="time bound per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve-bare", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.serve_bare:
        import uvicorn

        uvicorn.run(
            bare_app(arguments.serve_bare),
            host="127.0.0.1",
            port=arguments.port,
            log_level="warning",
            access_log=False,
        )
    else:
        asyncio.run(main(arguments))
