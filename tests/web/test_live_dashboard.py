"""The organiser's live dashboard as a page: the per-minute chart with its numbers in
words, the company table sorted on the server by any column, and a page that says it is
not live (and offers a reload) when JavaScript does not run."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from starlette.applications import Starlette
from support import factories
from support.browsing import sign_in

from jobfair.context import AppContext
from jobfair.models import Booth, Company
from jobfair.models.conversations import QueueEntry
from jobfair.services.live import CompanySort


async def _world(ctx: AppContext) -> None:
    """A fair with three booths: Angkasa 0 applications, Bumi 2, Cahaya 1."""
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office, slug="bursa-live")
        applicants = [await factories.applicant(session) for _ in range(2)]
        for name, count in (("PT Cahaya", 1), ("PT Angkasa", 0), ("PT Bumi", 2)):
            company = await factories.company(session, name=name)
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancy = await factories.vacancy(session, booth_row=booth)
            for applicant in applicants[:count]:
                await factories.application(session, vacancy_row=vacancy, applicant_row=applicant)
        await factories.organiser(session, office_row=office, email="live@disnaker.test")


async def _organiser(app: Starlette) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.cookies.set("lang", "en")
    assert (await sign_in(client, "live@disnaker.test", factories.PASSWORD)).status_code == 303
    return client


def _companies(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a [^>]*>(PT \w+)</a>', html)


async def test_the_company_table_sorts_by_any_column(app: Starlette, ctx: AppContext) -> None:
    await _world(ctx)
    client = await _organiser(app)
    page = await client.get("/organiser/fairs/bursa-live/live")
    assert page.status_code == 200
    assert _companies(page.text) == ["PT Angkasa", "PT Bumi", "PT Cahaya"]
    heading = '<th scope="col" aria-sort="ascending"><a href="{}?sort=-name">Company'
    assert heading.format("/organiser/fairs/bursa-live/live") in page.text
    # Figures sort largest first on the first click; the socket keeps the order.
    assert 'href="/organiser/fairs/bursa-live/live?sort=-applications"' in page.text
    assert 'hx-ws:connect="/ws/fairs/bursa-live?channel=organiser"' in page.text
    by_count = await client.get("/organiser/fairs/bursa-live/live?sort=-applications")
    assert _companies(by_count.text) == ["PT Bumi", "PT Cahaya", "PT Angkasa"]
    assert 'class="num" aria-sort="descending"' in by_count.text
    assert 'href="/organiser/fairs/bursa-live/live?sort=applications"' in by_count.text
    assert 'hx-ws:connect="/ws/fairs/bursa-live?channel=organiser&amp;sort=-applications"' in (
        by_count.text
    )
    assert len(re.findall("aria-sort=", by_count.text)) == 1
    rising = await client.get("/organiser/fairs/bursa-live/live?sort=applications")
    assert _companies(rising.text) == ["PT Angkasa", "PT Cahaya", "PT Bumi"]


async def test_a_bad_sort_key_is_the_default_order(app: Starlette, ctx: AppContext) -> None:
    await _world(ctx)
    client = await _organiser(app)
    for bad in ("password", "-", "name%00", "x" * 500, "applications;--", "-share_answered"):
        page = await client.get(f"/organiser/fairs/bursa-live/live?sort={bad}")
        assert page.status_code == 200, bad
        assert _companies(page.text) == ["PT Angkasa", "PT Bumi", "PT Cahaya"], bad
        assert 'aria-sort="ascending"><a href="/organiser/fairs/bursa-live/live?sort=-name"' in (
            page.text
        )
        assert 'hx-ws:connect="/ws/fairs/bursa-live?channel=organiser"' in page.text


async def test_the_chart_and_its_numbers(app: Starlette, ctx: AppContext) -> None:
    await _world(ctx)
    client = await _organiser(app)
    html = (await client.get("/organiser/fairs/bursa-live/live")).text
    figure = html[html.index('<figure class="live-chart">') : html.index("</figure>")]
    assert '<div aria-hidden="true"><svg' in figure and 'class="chart-axis"' in figure
    assert "min ago" in figure and ">now<" in figure
    assert re.search(r"Applications per minute in the last 30 minutes: \d+ in all", figure)
    assert "Minute by minute, oldest first:" in figure
    indonesian = (await client.get("/organiser/fairs/bursa-live/live?lang=id")).text
    assert "Lamaran per menit dalam 30 menit terakhir" in indonesian


async def test_without_javascript_the_page_says_it_is_not_live(
    app: Starlette, ctx: AppContext
) -> None:
    await _world(ctx)
    client = await _organiser(app)
    html = (await client.get("/organiser/fairs/bursa-live/live?sort=-unreviewed")).text
    notice = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert notice is not None
    assert "not live without JavaScript" in notice.group(1)
    assert '<a href="/organiser/fairs/bursa-live/live?sort=-unreviewed">Reload' in notice.group(1)
    assert '<span class="needs-script">' in html  # "updates by itself" only with a script


async def test_the_dashboard_flags_a_queue_without_a_recruiter(
    app: Starlette, ctx: AppContext
) -> None:
    await _world(ctx)
    async with ctx.unit_of_work() as session:
        booth_id = await session.scalar(
            select(Booth.id)
            .join(Company, Company.id == Booth.company_id)
            .where(Company.name == "PT Bumi")
        )
        fair_id = await session.scalar(select(Booth.fair_id).where(Booth.id == booth_id))
        for _ in range(2):
            person = await factories.applicant(session)
            session.add(
                QueueEntry(
                    fair_id=fair_id,
                    booth_id=booth_id,
                    applicant_id=person.id,
                    joined_at=ctx.now(),
                    last_seen_at=ctx.now(),
                )
            )
    client = await _organiser(app)
    html = (await client.get("/organiser/fairs/bursa-live/live")).text
    section = html[html.index('id="chat-queues-title"') :]
    # Nobody online: counted as one recruiter, three default chats for the next one.
    assert "No recruiter online:" in section
    assert "<strong>PT Bumi</strong> · 2 waiting · about 15 min wait" in section
    assert "PT Cahaya" not in section
    indonesian = (await client.get("/organiser/fairs/bursa-live/live?lang=id")).text
    assert "Antrean stan" in indonesian
    # The same figures ride on the socket's organiser frame, which replaces the whole
    # dashboard body (the section is inside it), so the queues stay live.
    assert ctx.live is not None
    data = await ctx.live.organiser_data(fair_id)
    assert data["booth_queues"] == [
        {
            "booth_id": booth_id,
            "name": "PT Bumi",
            "waiting": 2,
            "wait_seconds": 900,
            "recruiters_online": 0,
            "unattended": True,
        }
    ]
    assert data["chat_presence"] == []
    assert ctx.live.render is not None
    frame = ctx.live.render(
        "organiser",
        {**data, "fair_slug": "bursa-live", "sort": CompanySort.parse(None)},
        "en",
    )
    assert 'id="organiser-live" hx-swap-oob="true"' in frame
    assert "<strong>PT Bumi</strong> · 2 waiting · about 15 min wait" in frame
