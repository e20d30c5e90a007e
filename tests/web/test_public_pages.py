"""Public pages: server-rendered, Bahasa Indonesia by default, English on request,
htmx fragments for htmx requests, and working plain forms without JavaScript."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select, update
from support.catalogue_data import build_fair
from support.statements import counted_statements

from jobfair.context import AppContext
from jobfair.models import Booth, Company


async def test_fair_list_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    response = await client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="id">' in html
    assert "Bursa Kerja Virtual" in html
    assert "draf-rahasia" not in html
    assert "Sedang dibuka" in html  # the open phase, in Indonesian


async def test_fair_page_shows_booths_and_counts(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    html = (await client.get("/fairs/bursa-asahan")).text
    assert "PT Sawit Makmur" in html and "PT Bank Rakyat Asahan" in html
    assert "PT Belum Disetujui" not in html  # a requested booth is not public
    assert re.search(r'id="count-applications">3<', html)
    assert "2 stan" in html
    assert "3 November 2026, 08.00 WIB" in html  # the window in the fair's timezone
    assert 'hx-get="/fairs/bursa-asahan"' in html  # htmx enhances the plain form
    assert 'method="get" action="/fairs/bursa-asahan"' in html


async def test_public_pages_read_no_host_regencies(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """The public pages never show a fair's host regencies: they are not read (a second
    query per page), while the API, which shows them, still gets them."""
    await build_fair(ctx)
    for path in ("/fairs/bursa-asahan", "/fairs/bursa-asahan/vacancies?q=panen"):
        with counted_statements(ctx.engine) as seen:
            assert (await client.get(path)).status_code == 200
        assert seen and not [sql for sql in seen if "fair_host_regencies" in sql], path
    with counted_statements(ctx.engine) as seen:
        assert (await client.get("/api/v1/fairs/bursa-asahan")).status_code == 200
    assert [sql for sql in seen if "fair_host_regencies" in sql]


async def test_filters_work_as_plain_get(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    html = (await client.get("/fairs/bursa-asahan?education=SMA")).text
    assert "PT Sawit Makmur" in html and "PT Bank Rakyat Asahan" not in html
    assert '<option value="SMA" selected>' in html


async def test_htmx_request_gets_the_fragment_only(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    response = await client.get(
        "/fairs/bursa-asahan?q=bank", headers={"HX-Request": "true", "HX-Target": "div#booths"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "PT Bank Rakyat Asahan" in response.text and "PT Sawit Makmur" not in response.text
    assert response.headers["vary"] == "HX-Request"
    # A history restore needs the whole page.
    restore = await client.get(
        "/fairs/bursa-asahan",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


async def test_invalid_filter_is_a_field_error_not_a_failure(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    response = await client.get("/fairs/bursa-asahan?q=" + "x" * 150)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "sector=Z",
        "education=SARJANA",
        "regency=99.99",
        "kbli=1234567",
        "q=" + "x" * 101,
        "sector=%00",
        "sector=A&sector=Z",
        "page=abc",
        "page=99999999999999999999",
    ],
)
async def test_a_bad_filter_never_fails_a_page(
    client: httpx.AsyncClient, ctx: AppContext, query: str
) -> None:
    """Each bad value is dropped and named; the other filters still apply."""
    await build_fair(ctx)
    for path in ("/fairs/bursa-asahan", "/fairs/bursa-asahan/vacancies"):
        response = await client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


async def test_a_bad_filter_keeps_the_good_ones(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    both = await client.get("/fairs/bursa-asahan/vacancies?sector=A&q=" + "x" * 101)
    good = await client.get("/fairs/bursa-asahan/vacancies?sector=A")
    assert both.status_code == good.status_code == 200
    assert 'aria-invalid="true"' in both.text and 'aria-invalid="true"' not in good.text
    assert (
        _count(both.text)
        == _count(good.text)
        != _count((await client.get("/fairs/bursa-asahan/vacancies")).text)
    )


def _count(html: str) -> str:
    """The result count line ("2 lowongan")."""
    match = re.search(r'class="result-count"[^>]*>\s*([^<]+?)\s*</p>', html)
    assert match is not None
    return match.group(1)


async def test_booth_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    html = (await client.get("/fairs/bursa-asahan/booths/pt-bank")).text
    assert "Teller" in html
    assert "Analis Kredit" not in html  # unverified vacancies stay hidden
    assert (await client.get("/fairs/bursa-asahan/booths/pt-belum")).status_code == 404
    assert (await client.get("/fairs/bursa-asahan/booths/tidak-ada")).status_code == 404


async def test_vacancy_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await build_fair(ctx)
    html = (await client.get(f"/fairs/bursa-asahan/vacancies/{ids['mandor']}")).text
    assert "Mandor Panen" in html
    assert "Rp 3.200.000 – Rp 3.600.000" in html
    assert "Kabupaten Asahan" in html
    assert "SMA/MA" in html  # the education minimum, by its label


async def test_vacancy_search_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    html = (await client.get("/fairs/bursa-asahan/vacancies?regency=12.19")).text
    assert "Pemanen Sawit" in html and "Teller" not in html
    assert "1 lowongan" in html


async def test_unknown_vacancy_ids(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    assert (await client.get("/fairs/bursa-asahan/vacancies/999999")).status_code == 404
    assert (await client.get("/fairs/bursa-asahan/vacancies/abc")).status_code == 404


async def test_english_switch_is_remembered(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    response = await client.get("/fairs/bursa-asahan?lang=en")
    assert '<html lang="en">' in response.text
    assert "Open now" in response.text
    assert "lang=en" in response.headers["set-cookie"]
    again = await client.get("/fairs/bursa-asahan")  # the client keeps the cookie
    assert '<html lang="en">' in again.text
    back = await client.get("/fairs/bursa-asahan?lang=id")
    assert '<html lang="id">' in back.text


@pytest.mark.parametrize("path", ["/", "/fairs/bursa-asahan", "/nowhere"])
async def test_security_headers(client: httpx.AsyncClient, ctx: AppContext, path: str) -> None:
    await build_fair(ctx)
    response = await client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_no_inline_script_or_style(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    for path in ("/", "/fairs/bursa-asahan", "/fairs/bursa-asahan/vacancies"):
        html = (await client.get(path)).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path  # no inline event handlers


async def test_not_found_page_is_friendly(client: httpx.AsyncClient) -> None:
    response = await client.get("/fairs/tidak-ada")
    assert response.status_code == 404
    assert "Kami tidak menemukan halaman itu." in response.text
    assert "Traceback" not in response.text


async def test_pages_are_small_and_compressed(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    response = await client.get("/fairs/bursa-asahan", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
    assert int(response.headers["content-length"]) < 20_000


async def test_vacancy_openings_are_a_list_and_apply_comes_first(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    from support import factories

    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-daftar")
        company = await factories.company(session, slug="pt-daftar", name="PT Daftar")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(
            session,
            booth_row=booth,
            openings_male=3,
            openings_female=6,
            openings_either=4,
            description="Panjang. " * 200,
        )
    html = (await client.get(f"/fairs/bursa-daftar/vacancies/{vacancy.id}?lang=en")).text
    items = re.search(r'<ul class="openings">(.*?)</ul>', html, re.S)
    assert items
    assert re.findall(r"<li>([^<]+)</li>", items.group(1)) == [
        "Men: 3",
        "Women: 6",
        "Men or women: 4",
    ]
    # The apply area comes before the facts and the long description.
    assert html.index('id="apply-title"') < html.index('class="facts"')
    assert html.index('id="apply-title"') < html.index("Panjang.")


async def _set_booth(ctx: AppContext, company_slug: str, **values: str | None) -> None:
    """Give a booth its (approved) contact details and video."""
    async with ctx.unit_of_work() as session:
        company_id = await session.scalar(select(Company.id).where(Company.slug == company_slug))
        await session.execute(update(Booth).where(Booth.company_id == company_id).values(**values))


async def test_booth_page_links_the_contact_numbers(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    await _set_booth(ctx, "pt-bank", contact_phone="+6281234567890")
    html = (await client.get("/fairs/bursa-asahan/booths/pt-bank")).text
    assert '<a href="tel:+6281234567890">0812-3456-7890</a>' in html
    assert 'href="https://wa.me/6281234567890"' in html and "WhatsApp" in html
    await _set_booth(ctx, "pt-bank", contact_phone="+622518312345")
    html = (await client.get("/fairs/bursa-asahan/booths/pt-bank?lang=en")).text
    assert '<a href="tel:+622518312345">(0251) 8312345</a>' in html
    assert "wa.me" not in html  # a landline has no WhatsApp


async def test_booth_video_is_embedded_from_youtube_and_vimeo_only(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    await _set_booth(ctx, "pt-bank", video_url="https://youtu.be/dQw4w9WgXcQ")
    response = await client.get("/fairs/bursa-asahan/booths/pt-bank")
    frame = re.search(r"<iframe [^>]*>", response.text)
    assert frame is not None
    tag = frame.group(0)
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in tag
    assert 'loading="lazy"' in tag and 'title="Video PT Bank Rakyat Asahan"' in tag
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in response.text  # and the link to it
    csp = response.headers["content-security-policy"]
    assert "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com;" in csp

    await _set_booth(ctx, "pt-bank", video_url="https://vimeo.com/76979871")
    html = (await client.get("/fairs/bursa-asahan/booths/pt-bank?lang=en")).text
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert 'title="Video of PT Bank Rakyat Asahan"' in html and "Watch on Vimeo" in html

    await _set_booth(ctx, "pt-bank", video_url="https://video.example/promo")
    html = (await client.get("/fairs/bursa-asahan/booths/pt-bank?lang=en")).text
    assert "<iframe" not in html
    assert '<a href="https://video.example/promo" rel="noopener nofollow">' in html
