"""A vacancy page's share links (a plain link field, WhatsApp) and its schema.org
JobPosting JSON-LD, which a title or description cannot break out of."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from support import factories

from jobfair.context import AppContext


async def _vacancy(ctx: AppContext, **overrides: Any) -> int:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-bagikan")
        company = await factories.company(
            session, slug="pt-bagi", name="PT Bagi & Sejahtera", website="https://bagi.example"
        )
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(session, booth_row=booth, **overrides)
        return vacancy.id


def _json_ld(html: str) -> dict[str, Any]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


async def test_job_posting_fields(client: httpx.AsyncClient, ctx: AppContext) -> None:
    vacancy_id = await _vacancy(
        ctx,
        title="Mandor Panen",
        description="Memimpin regu panen.",
        employment_type="pkwtt",
        deadline=date(2026, 11, 6),
    )
    html = (await client.get(f"/fairs/bursa-bagikan/vacancies/{vacancy_id}")).text
    data = _json_ld(html)
    assert data["@type"] == "JobPosting" and data["@context"] == "https://schema.org/"
    assert data["title"] == "Mandor Panen"
    assert data["description"] == "Memimpin regu panen."
    assert data["employmentType"] == "FULL_TIME"
    assert data["directApply"] is True
    # The deadline day counts whole, in the fair's timezone (WIB).
    assert data["validThrough"] == "2026-11-07T00:00:00+07:00"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["datePosted"])
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "PT Bagi & Sejahtera",
        "sameAs": "https://bagi.example",
    }
    address = data["jobLocation"]["address"]
    assert address["addressCountry"] == "ID"
    assert address["addressLocality"] == "Kabupaten Asahan"
    assert address["addressRegion"] == "Sumatera Utara"
    salary = data["baseSalary"]
    assert salary["currency"] == "IDR"
    assert salary["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "minValue": 3_200_000,
        "maxValue": 3_600_000,
    }
    # In development the links name the address the page was reached by.
    assert data["url"] == f"http://testserver/fairs/bursa-bagikan/vacancies/{vacancy_id}"


async def test_job_posting_without_deadline_salary_or_website(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-luar")
        company = await factories.company(session, slug="pt-luar", name="PT Luar")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(
            session,
            booth_row=booth,
            work_regency_code="JP",
            employment_type="pkwt",
            salary_min=None,
            salary_max=None,
        )
    html = (await client.get(f"/fairs/bursa-luar/vacancies/{vacancy.id}")).text
    data = _json_ld(html)
    assert data["employmentType"] == "TEMPORARY"
    assert "baseSalary" not in data
    assert "sameAs" not in data["hiringOrganization"]
    assert data["jobLocation"]["address"]["addressCountry"] == "JP"
    assert "addressRegion" not in data["jobLocation"]["address"]
    # No deadline: applying ends when the fair closes (7 days after 3 Nov, 08.00 WIB).
    assert data["validThrough"] == "2026-11-10T08:00:00+07:00"
    assert data["description"]  # never empty


async def test_a_title_cannot_break_out_of_the_json(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    title = 'Kasir</script><script>alert(1)</script> & "Pramuniaga"'
    vacancy_id = await _vacancy(ctx, title=title, description="<!-- </SCRIPT> -->")
    html = (await client.get(f"/fairs/bursa-bagikan/vacancies/{vacancy_id}")).text
    assert "<script>alert(1)" not in html
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block.split(">", 1)[1]  # nothing in the JSON starts markup
    data = _json_ld(html)
    assert data["title"] == title
    assert data["description"] == "<!-- </SCRIPT> -->"


async def test_share_links(client: httpx.AsyncClient, ctx: AppContext) -> None:
    vacancy_id = await _vacancy(ctx, title="Teller & Kasir")
    html = (await client.get(f"/fairs/bursa-bagikan/vacancies/{vacancy_id}")).text
    link = f"http://testserver/fairs/bursa-bagikan/vacancies/{vacancy_id}"
    # The link is there to select without any script; the copy button is the extra.
    assert re.search(rf'<input id="share-link"[^>]*value="{re.escape(link)}"[^>]*readonly', html)
    assert '<label for="share-link">' in html
    whatsapp = re.search(r'<a class="share-whatsapp" href="([^"]+)" rel="noopener"', html)
    assert whatsapp
    href = whatsapp.group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/")
    assert parse_qs(parts.query)["text"] == [f"Teller & Kasir {link}"]
    # No inline script: the only scripts are files of the site and the JSON data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/ld+json"' in tag
    assert (await client.get("/static/js/share.js")).status_code == 200


async def test_no_json_ld_for_a_hidden_vacancy(client: httpx.AsyncClient, ctx: AppContext) -> None:
    vacancy_id = await _vacancy(ctx, verification="pending")
    response = await client.get(f"/fairs/bursa-bagikan/vacancies/{vacancy_id}")
    assert response.status_code == 404
    assert "application/ld+json" not in response.text
