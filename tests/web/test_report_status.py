"""The report page refreshes itself while a compile runs (issue 13, item 12): the page
of a pending request says so and polls ``organiser:report_status`` every 3 s; the
route answers 204 (htmx keeps the page) while the request is pending and the new
version without the trigger (which ends the polling) once it is written."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in
from support.report_sample import sample

from jobfair.context import AppContext
from jobfair.models import Fair, FairReport, ReportRequest
from jobfair.worker.report import compile_request

PAGE = "/organiser/fairs/bursa-asahan/report"
STATUS = PAGE + "/status"
HTMX = {"HX-Request": "true"}
BEING_COMPILED = "The report is being compiled."


async def _world(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(
            session,
            office_row=office,
            slug="bursa-asahan",
            opens_at=datetime(2026, 10, 1, 1, tzinfo=UTC),
        )
        data = sample()
        data["fair"]["slug"] = "bursa-asahan"
        session.add(
            FairReport(
                fair_id=fair.id,
                version=1,
                compiled_at=datetime(2026, 10, 9, 1, tzinfo=UTC),
                data=data,
            )
        )
        await factories.organiser(session, office_row=office, email="petugas@disnaker.test")
        await factories.organiser(session, email="lain@disnaker.test")


async def _organiser(client: httpx.AsyncClient, email: str) -> httpx.AsyncClient:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other.cookies.set("lang", "en")
    await sign_in(other, email, factories.PASSWORD)
    return other


async def test_the_page_polls_while_compiling_and_shows_the_new_version(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx)
    organiser = await _organiser(client, "petugas@disnaker.test")
    # Nothing pending: no notice, no polling.
    page = await organiser.get(PAGE)
    assert BEING_COMPILED not in page.text and "hx-trigger" not in page.text
    done = await organiser.post(
        PAGE + "/compile", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    # Back to the page, which itself says whether the compile is still running.
    assert done.status_code == 303 and done.headers["location"] == PAGE
    await ctx.tasks.drain()  # version 2
    # A request the worker has not reached yet (the task runs in-process in the tests).
    async with ctx.unit_of_work() as session:
        fair_id = await session.scalar(select(Fair.id).where(Fair.slug == "bursa-asahan"))
        request = ReportRequest(fair_id=fair_id, requested_at=datetime(2026, 11, 5, tzinfo=UTC))
        session.add(request)
        await session.flush()
        request_id = request.id
    pending = await organiser.get(PAGE)
    assert BEING_COMPILED in pending.text
    assert f'hx-get="{STATUS}" hx-trigger="every 3s" hx-swap="outerHTML"' in pending.text
    # Without JavaScript: a link that reloads the page.
    assert f'<noscript><p class="notice"><a href="{PAGE}">' in pending.text
    # The old version stays on show meanwhile.
    assert "Version 2, compiled" in pending.text
    # Polled while pending: no content, so htmx leaves the page as it is.
    polled = await organiser.get(STATUS, headers=HTMX)
    assert polled.status_code == 204 and polled.content == b""
    assert await compile_request(ctx, request_id) is not None
    ready = await organiser.get(STATUS, headers=HTMX)
    assert ready.status_code == 200
    assert ready.text.lstrip().startswith("<") and "<html" not in ready.text
    assert 'id="report-body"' in ready.text
    # The final content: no trigger (the polling ends), no notice, the new version.
    assert "hx-trigger" not in ready.text and BEING_COMPILED not in ready.text
    assert "Version 3, compiled" in ready.text and "this is the new version" in ready.text
    # Reloaded, the page shows the new version without any notice.
    again = await organiser.get(PAGE)
    assert BEING_COMPILED not in again.text and "Version 3, compiled" in again.text


async def test_status_without_htmx_is_the_whole_page(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx)
    organiser = await _organiser(client, "petugas@disnaker.test")
    whole = await organiser.get(STATUS)
    assert whole.status_code == 200 and "<html" in whole.text and "Version 1" in whole.text
    assert "HX-Request" in whole.headers["vary"]


async def test_status_is_the_offices_only(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _world(ctx)
    other = await _organiser(client, "lain@disnaker.test")
    assert (await other.get(STATUS, headers=HTMX)).status_code == 404
    assert (await client.get(STATUS, headers=HTMX, follow_redirects=False)).status_code in (
        303,
        401,
        403,
    )
