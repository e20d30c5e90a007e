"""The public page cache: anonymous visitors share one render per page until the fair
changes; signed-in people always get their own; the CSRF token is each visitor's own."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from support import factories
from support.browsing import sign_in
from support.catalogue_data import build_fair
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.live.signals import ContentChanged
from jobfair.models import Company, Fair, Vacancy
from jobfair.services import companies
from jobfair.web.auth import CSRF_COOKIE, RequestAuth, csrf_for
from jobfair.web.page_cache import PageCache

FAIR = "/fairs/bursa-asahan"


def cache_of(app: Starlette) -> PageCache:
    return app.state.page_cache


async def pages(ctx: AppContext) -> dict[str, str]:
    data = await build_fair(ctx)
    return {
        "fair": FAIR,
        "booth": f"{FAIR}/booths/pt-sawit",
        "search": f"{FAIR}/vacancies?q=mandor",
        "vacancy": f"{FAIR}/vacancies/{data['mandor']}",
    }


async def close_mandor(ctx: AppContext) -> None:
    """A recruiter closes the vacancy through the service, in a unit of work."""
    async with ctx.unit_of_work() as session:
        company = await session.scalar(select(Company).where(Company.slug == "pt-sawit"))
        assert company is not None
        user = await factories.recruiter(session, company_row=company, email="hrd@sawit.test")
    async with ctx.unit_of_work() as session:
        vacancy = await session.scalar(select(Vacancy).where(Vacancy.title == "Mandor Panen"))
        assert vacancy is not None
        await companies.close_vacancy(session, user, vacancy.id, ctx.now())


async def test_second_anonymous_visit_is_served_from_the_cache(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    paths = await pages(ctx)
    cache = cache_of(app)
    for path in paths.values():
        first = await client.get(path)
        assert first.status_code == 200
        renders = cache.renders
        second = await client.get(path)
        assert second.status_code == 200
        assert cache.renders == renders, path
        assert second.text == first.text
        assert second.headers["cache-control"] == "private, max-age=0, must-revalidate"
        assert "HX-Request" in second.headers["vary"]


async def test_a_closed_vacancy_leaves_every_page_of_its_fair(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    paths = await pages(ctx)
    before = {name: (await client.get(path)).text for name, path in paths.items()}
    assert "Mandor Panen" in before["booth"] and "Mandor Panen" in before["search"]
    renders = cache_of(app).renders
    await close_mandor(ctx)
    after = {name: (await client.get(path)) for name, path in paths.items()}
    assert cache_of(app).renders == renders + len(paths)  # each rendered afresh
    # A closed vacancy stays public, shown as closed.
    assert "Lowongan ini sudah ditutup." not in before["vacancy"]
    assert "Lowongan ini sudah ditutup." in after["vacancy"].text
    for name in ("booth", "search"):
        assert after[name].text != before[name], name


async def test_a_change_to_another_fair_keeps_this_fairs_pages(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    await client.get(FAIR)
    async with ctx.unit_of_work() as session:
        other = await factories.fair(session, slug="bursa-lain")
        other.name = "Bursa Lain"  # a second flush: a change, not only an insert
    renders = cache_of(app).renders
    await client.get(FAIR)
    # A new fair has no id before its flush: it counts as "any fair" (safe side).
    assert cache_of(app).renders == renders + 1
    async with ctx.unit_of_work() as session:
        row = await session.get(type(other), other.id)
        assert row is not None
        row.name = "Bursa Lain Lagi"
    renders = cache_of(app).renders
    await client.get(FAIR)
    assert cache_of(app).renders == renders


async def test_signed_in_people_never_get_or_fill_the_cache(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    paths = await pages(ctx)
    async with ctx.unit_of_work() as session:
        company = await session.scalar(select(Company).where(Company.slug == "pt-bank"))
        assert company is not None
        await factories.recruiter(session, company_row=company, email="hrd@bank.test")
    anonymous = (await client.get(paths["booth"])).text
    entries = len(cache_of(app))
    signed = await sign_in(client, "hrd@bank.test", factories.PASSWORD)
    assert signed.status_code == 303
    for path in paths.values():
        renders = cache_of(app).renders
        for _ in range(2):
            response = await client.get(path)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "private, no-store"
            assert "etag" not in response.headers
        assert cache_of(app).renders == renders  # the cache never rendered for them
    assert len(cache_of(app)) == entries
    mine = (await client.get(paths["booth"])).text
    assert mine != anonymous  # the signed-in header


async def test_language_and_htmx_are_separate_entries(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    cache = cache_of(app)
    indonesian = await client.get(FAIR)
    english = await client.get(FAIR + "?lang=en")
    assert '<html lang="id">' in indonesian.text and '<html lang="en">' in english.text
    fragment = await client.get(FAIR, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    full = await client.get(
        FAIR, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.text
    renders = cache.renders
    again = await client.get(FAIR, headers={"HX-Request": "true"})
    assert again.text == fragment.text and cache.renders == renders


async def test_concurrent_misses_render_once(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    cache = cache_of(app)
    await client.get("/")  # the visitor's CSRF cookie, as a browser would have it
    renders = cache.renders
    answers = await asyncio.gather(*(client.get(FAIR + "?q=sawit") for _ in range(8)))
    assert {answer.status_code for answer in answers} == {200}
    assert cache.renders == renders + 1
    assert len({answer.text for answer in answers}) == 1


async def test_each_visitor_gets_their_own_token_and_etag(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    paths = await pages(ctx)
    settings = app.state.settings
    first = await client.get(paths["vacancy"])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        second = await other.get(paths["vacancy"])
        other_cookie = other.cookies[CSRF_COOKIE]
    cache = cache_of(app)
    for response, cookie in ((first, client.cookies[CSRF_COOKIE]), (second, other_cookie)):
        assert cache.placeholder not in response.text
        token = csrf_for(settings.secret_key, cookie)
        assert f'"X-CSRF-Token": "{token}"' in response.text
    assert first.headers["etag"] != second.headers["etag"]
    assert first.headers["etag"].startswith('W/"')
    # The visitor's own tag: 304, no body; someone else's: the page.
    renders = cache.renders
    again = await client.get(paths["vacancy"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert cache.renders == renders
    foreign = await client.get(paths["vacancy"], headers={"If-None-Match": second.headers["etag"]})
    assert foreign.status_code == 200 and foreign.text == first.text
    await close_mandor(ctx)
    changed = await client.get(paths["vacancy"], headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    "query",
    ["?q=%ff%fe", "?q=&q=&page=", "?page=-1&page=abc", "?=&&=x", "?education=ZZ&sector=%20"],
)
async def test_odd_queries_are_answered(
    client: httpx.AsyncClient, ctx: AppContext, query: str
) -> None:
    await build_fair(ctx)
    for path in (FAIR, FAIR + "/vacancies"):
        first = await client.get(path + query)
        second = await client.get(path + query)
        assert first.status_code == second.status_code
        assert first.status_code < 500


async def test_many_queries_stay_within_the_size(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    cache = cache_of(app)
    cache.size = 10
    for n in range(40):
        assert (await client.get(f"{FAIR}/vacancies?q=x{n}")).status_code == 200
    assert len(cache) == 10
    renders = cache.renders
    await client.get(f"{FAIR}/vacancies?q=x39")  # the newest are kept
    await client.get(f"{FAIR}/vacancies?q=x0")  # the oldest went
    assert cache.renders == renders + 1
    long = "?q=" + "a" * 200 + "&" + "&".join(f"p{n}=1" for n in range(100))
    before = len(cache)
    assert (await client.get(FAIR + long)).status_code == 200
    assert len(cache) == before  # rendered, not stored
    assert all(len(key[1]) <= 512 for key in cache._entries)


async def test_query_order_is_one_entry(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    cache = cache_of(app)
    await client.get(FAIR + "?q=bank&education=S1")
    renders = cache.renders
    await client.get(FAIR + "?education=S1&q=bank")
    assert cache.renders == renders


async def test_pages_follow_the_clock(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    await build_fair(ctx)
    cache = cache_of(app)
    await client.get(FAIR)
    renders = cache.renders
    clock.advance(cache.ttl / 2)
    await client.get(FAIR)
    assert cache.renders == renders  # fresh
    clock.advance(cache.ttl)
    await client.get(FAIR)  # stale: served, and one re-render in the background
    async with asyncio.timeout(10):
        while cache.renders == renders:  # noqa: ASYNC110 - the background task renders
            await asyncio.sleep(0.02)
    assert cache.renders == renders + 1
    while cache._pending:  # noqa: ASYNC110 - its entry is stored when it ends
        await asyncio.sleep(0.02)
    clock.advance(timedelta(days=30))  # past its closing: never served
    await client.get(FAIR)
    assert cache.renders == renders + 2


def _request(app: Starlette, csrf: str = "t") -> Request:
    auth = RequestAuth(
        signed_in=None, session_token=None, via_bearer=False, csrf_cookie="c", csrf_token=csrf
    )
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/fairs/x",
        "query_string": b"",
        "headers": [],
        "state": {"auth": auth},
        "app": app,
    }
    return Request(scope)


async def test_concurrent_misses_wait_for_one_render(app: Starlette) -> None:
    """Eight visitors miss at once while the render is held: one render, eight answers,
    each with its own token."""
    cache = PageCache(entries=10, seconds=30)
    gate = asyncio.Event()
    later = datetime.now(UTC) + timedelta(days=1)
    fair = SimpleNamespace(
        id=1,
        local=lambda moment: moment,
        registration_opens_at=later,
        opens_at=later,
        closes_at=later,
    )
    calls = 0

    async def handler(request: Request) -> Response:
        nonlocal calls
        calls += 1
        await gate.wait()
        token = request.state.auth.csrf_token
        response = HTMLResponse(f"<p>page {token}</p>")
        response.context = {"fair": fair}  # type: ignore[attr-defined]
        return response

    tasks = [asyncio.create_task(cache.serve(_request(app, f"t{n}"), handler)) for n in range(8)]
    await asyncio.sleep(0.05)
    assert calls == 1
    gate.set()
    answers = await asyncio.gather(*tasks)
    assert calls == 1 and cache.renders == 1
    assert [answer.body for answer in answers] == [f"<p>page t{n}</p>".encode() for n in range(8)]
    # A bump while a render runs: that render is not stored nor handed to later waiters.
    gate.clear()
    cache.bump(1)
    first = asyncio.create_task(cache.serve(_request(app), handler))
    await asyncio.sleep(0.01)
    cache.bump(1)
    gate.set()
    await first
    before = calls
    await cache.serve(_request(app), handler)
    assert calls == before + 1


async def test_an_office_rejecting_a_company_hides_its_booth_at_once(
    app: Starlette, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """A decision on a company is not a fair's row; it still reaches the fair's pages."""
    await build_fair(ctx)
    assert "PT Sawit Makmur" in (await client.get(FAIR)).text
    async with ctx.unit_of_work() as session:
        company = await session.scalar(select(Company).where(Company.slug == "pt-sawit"))
        fair = await session.scalar(select(Fair).where(Fair.slug == "bursa-asahan"))
        assert company is not None and fair is not None
        await factories.office_decision(session, company, fair.office_id, "rejected")
    assert "PT Sawit Makmur" not in (await client.get(FAIR)).text


@pytest.mark.redis
async def test_two_processes_invalidate_together(redis_url: str) -> None:
    """A bump in one web process reaches another's cache through Redis."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    one, two = PageCache(entries=10, seconds=30), PageCache(entries=10, seconds=30)
    await one.share_through_redis(redis_url, prefix)
    await two.share_through_redis(redis_url, prefix)
    try:
        for cache in (one, two):
            assert cache._hub is not None
            async with asyncio.timeout(5):
                await cache._hub.connected.wait()  # type: ignore[attr-defined]
        assert two._fair.get(7) is None
        one.listen([ContentChanged(7)])
        async with asyncio.timeout(5):
            while two._fair.get(7) is None:  # noqa: ASYNC110 - the hub's task bumps it
                await asyncio.sleep(0.02)
        any_before = one._any_fair
        two.listen([ContentChanged(None)])
        async with asyncio.timeout(5):
            while one._any_fair == any_before:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    finally:
        await one.close()
        await two.close()
