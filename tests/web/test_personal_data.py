"""The applicant's data, readable: a page with a heading per section and a PDF, both
the same data as the JSON download (which stays as it was)."""

from __future__ import annotations

import io
import json
import re

import httpx
from pypdf import PdfReader
from support import factories
from support.browsing import csrf_of, register_and_sign_in

from jobfair import i18n
from jobfair.context import AppContext

SECTIONS_EN = (
    "Account",
    "My profile",
    "My CV",
    "Who viewed my CV",
    "My applications",
    "My booth chats",
    "My 1:1 slots",
    "My messages to booths",
    "Notifications",
)


async def _applicant_with_an_application(client: httpx.AsyncClient, ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-data")
        company = await factories.company(session, slug="pt-sawit", name="PT Sawit & Makmur")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor <Panen>")
    await register_and_sign_in(client, factories.registration())
    page = await client.get(f"/fairs/bursa-data/vacancies/{vacancy.id}")
    applied = await client.post(
        f"/fairs/bursa-data/vacancies/{vacancy.id}/apply", data={"csrf_token": csrf_of(page.text)}
    )
    assert applied.status_code == 303


def _headings(html: str, level: int) -> list[str]:
    return re.findall(rf"<h{level}[^>]*>([^<]*)</h{level}>", html)


async def test_data_page_has_a_section_per_kind_of_data(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _applicant_with_an_application(client, ctx)
    page = await client.get("/me/data/page?lang=en")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert _headings(page.text, 1) == ["My data"]
    assert _headings(page.text, 2) == list(SECTIONS_EN)
    # Codes read as words, the NIK in full (it is the person's own data), text escaped.
    assert factories.MAN_NIK in page.text
    assert "Kabupaten Asahan" in page.text and "Male" in page.text
    assert "Mandor &lt;Panen&gt; — PT Sawit &amp; Makmur" in page.text
    assert "Mandor <Panen>" not in page.text
    assert "You have not uploaded a CV yet." in page.text
    assert 'href="/me/data/pdf"' in page.text and 'href="/me/data"' in page.text
    indonesian = await client.get("/me/data/page?lang=id")
    with i18n.using("id"):
        assert _headings(indonesian.text, 2) == [i18n.gettext(title) for title in SECTIONS_EN]
    home = await client.get("/me?lang=en")
    assert 'href="/me/data/page"' in home.text and 'href="/me/data/pdf"' in home.text


async def test_data_pdf_holds_the_same_data_as_the_json(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _applicant_with_an_application(client, ctx)
    pdf = await client.get("/me/data/pdf?lang=en")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith('attachment; filename="my-data.pdf"')
    assert pdf.headers["cache-control"] == "private, no-store"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    exported = json.loads((await client.get("/me/data")).text)
    for title in SECTIONS_EN:
        assert title in text
    assert exported["profile"]["nik"] in text
    assert exported["account"]["full_name"] in text
    assert "Mandor <Panen> — PT Sawit & Makmur" in text
    assert "Kabupaten Asahan" in text
    indonesian = await client.get("/me/data/pdf?lang=id")
    id_text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(indonesian.content)).pages
    )
    with i18n.using("id"):
        assert i18n.gettext("Who viewed my CV") in id_text


async def test_data_pages_are_the_applicants_own(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    for path in ("/me/data/page", "/me/data/pdf", "/me/data"):
        anonymous = await client.get(path)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    async with ctx.unit_of_work() as session:
        company = await factories.company(session)
        recruiter = await factories.recruiter(session, company_row=company)
        email = recruiter.email
    token = csrf_of((await client.get("/login")).text)
    await client.post(
        "/login", data={"login": email, "password": factories.PASSWORD, "csrf_token": token}
    )
    for path in ("/me/data/page", "/me/data/pdf"):
        assert (await client.get(path)).status_code == 403
