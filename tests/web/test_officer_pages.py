"""The placement officers' pages: the officer profile, walk-in registration (by e-mail
and as SMS text), the officer evaluation with its PDF/XLSX files, and the ministry
exchange (CSV/JSON exports, AK/I import); only organisers reach them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in

from jobfair.context import AppContext
from jobfair.models import Applicant, AuditLog, User
from jobfair.services import interchange

# The test clock's day is 2026-11-05: the fourth quarter of 2026.
QUARTER = {"kind": "quarter", "year": "2026", "number": "4"}


async def _world(ctx: AppContext) -> dict[str, Any]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session, name="Dinas Tenaga Kerja Kabupaten Asahan")
        officer = await factories.organiser(
            session, office_row=office, email="petugas@disnaker.test", full_name="Ani Petugas"
        )
        await factories.organiser(session, email="lain@disnaker.test")
        company = await factories.company(session)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        fair = await factories.fair(session, office_row=office)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        await factories.vacancy(session, booth_row=booth, title="Operator Produksi")
        return {"office": office.id, "officer": officer.id, "company": company.id}


async def _as(client: httpx.AsyncClient, email: str, lang: str = "en") -> httpx.AsyncClient:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other.cookies.set("lang", lang)
    await sign_in(other, email, factories.PASSWORD)
    return other


def _walk_in(**overrides: Any) -> dict[str, Any]:
    data = factories.registration(**{"consent": "1", **overrides})
    data.pop("password")
    data.pop("disability")
    return data


async def _register(browser: httpx.AsyncClient, data: dict[str, Any]) -> httpx.Response:
    token = csrf_of((await browser.get("/organiser/walk-in")).text)
    return await browser.post("/organiser/walk-in", data={**data, "csrf_token": token})


async def test_walk_in_by_sms_shows_the_text_once(client: httpx.AsyncClient, ctx: AppContext):
    await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test")
    response = await _register(browser, _walk_in(email="", handover="sms"))
    assert response.status_code == 200
    assert "SMS text for the person" in response.text
    assert "/password/reset?token=" in response.text
    assert response.headers["cache-control"] == "private, no-store"
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
    assert applicant is not None and applicant.assisted_by_user_id is not None


async def test_walk_in_refusals_stay_on_the_form(client: httpx.AsyncClient, ctx: AppContext):
    await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test")
    response = await _register(browser, _walk_in(consent=""))
    assert response.status_code == 422
    assert "Ask the person to agree" in response.text
    assert 'value="Budi Santoso"' in response.text
    await _register(browser, _walk_in())
    again = await _register(browser, _walk_in(email="lain@example.test", phone=""))
    assert again.status_code == 409
    assert "This is already registered. Sign in, or reset your password." in again.text


async def test_profile_saves_nip_and_position(client: httpx.AsyncClient, ctx: AppContext):
    ids = await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test")
    token = csrf_of((await browser.get("/organiser/officer")).text)
    bad = await browser.post("/organiser/officer", data={"nip": "12345", "csrf_token": token})
    assert bad.status_code == 422 and "A NIP has 18 digits" in bad.text
    response = await browser.post(
        "/organiser/officer",
        data={
            "nip": "19800512 200501 1 002",
            "functional_position": "pk_madya",
            "certification": "Diklat Fungsional Pengantar Kerja",
            "certified_on": "2019-03-01",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    async with ctx.read() as session:
        user = await session.get(User, ids["officer"])
    assert user is not None and user.functional_position == "pk_madya"
    page = await browser.get("/organiser/evaluation")
    assert "Pengantar Kerja Ahli Madya" in page.text
    assert "19800512 200501 1 002" in page.text


async def test_evaluation_page_and_files(client: httpx.AsyncClient, ctx: AppContext):
    await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test")
    await _register(browser, _walk_in())
    page = await browser.get("/organiser/evaluation", params=QUARTER)
    assert page.status_code == 200
    assert "Ani Petugas" in page.text and "Quarter IV 2026" in page.text
    bad = await browser.get("/organiser/evaluation", params={"kind": "quarter", "year": "2026"})
    assert bad.status_code == 400
    pdf = await browser.get("/organiser/evaluation/export", params={**QUARTER, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ani Petugas" in text
    xlsx = await browser.get("/organiser/evaluation/export", params={**QUARTER, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert "Ani Petugas" in names
    # Ani registered one walk-in: the column "Job seekers assisted".
    header = [cell for cell in next(sheet.iter_rows(min_row=4, max_row=4, values_only=True))]
    ani = next(
        row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == "Ani Petugas"
    )
    assert ani[header.index("Job seekers assisted")] == 1


async def test_exchange_exports_and_ak1_import(client: httpx.AsyncClient, ctx: AppContext):
    await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test")
    await _register(browser, _walk_in(interchange_consent="1"))
    await _register(
        browser,
        _walk_in(
            nik=factories.WOMAN_NIK,
            sex="P",
            birth_date="2003-08-15",
            email="siti@e.test",
            phone="0813 1111 2222",
            full_name="Siti",
        ),
    )
    seekers = await browser.get(
        "/organiser/interchange/export",
        params={**QUARTER, "dataset": "job_seekers", "format": "csv"},
    )
    assert seekers.status_code == 200
    rows = list(csv.reader(io.StringIO(seekers.text)))
    assert tuple(rows[0]) == interchange.COLUMNS["job_seekers"]
    # Only Budi agreed to be shared.
    assert [row[0] for row in rows[1:]] == [factories.MAN_NIK]
    vacancies = await browser.get(
        "/organiser/interchange/export",
        params={**QUARTER, "dataset": "vacancies", "format": "json"},
    )
    document = json.loads(vacancies.content)
    assert document["columns"] == list(interchange.COLUMNS["vacancies"])
    assert [row["title"] for row in document["rows"]] == ["Operator Produksi"]
    assert document["rows"][0]["workers_total"] == 3
    companies = await browser.get(
        "/organiser/interchange/export", params={**QUARTER, "dataset": "companies", "format": "csv"}
    )
    assert len(list(csv.reader(io.StringIO(companies.text)))) == 2
    unknown = await browser.get(
        "/organiser/interchange/export", params={**QUARTER, "dataset": "users", "format": "csv"}
    )
    assert unknown.status_code == 422

    token = csrf_of((await browser.get("/organiser/interchange")).text)
    upload = (
        "nik;ak1_number\n"
        f"{factories.MAN_NIK};AK1-3209-0001\n"
        "3216015508030099;AK1-0002\n"  # a valid NIK nobody registered
        "1234;AK1-0003\n"  # not a NIK
        f"{factories.WOMAN_NIK};x\n"  # not an AK/I number
    ).encode()
    response = await browser.post(
        "/organiser/interchange/ak1",
        data={"csrf_token": token},
        files={"file": ("ak1.csv", upload, "text/csv")},
    )
    assert response.status_code == 200
    assert "Matched and updated: 1" in response.text
    assert "NIK not registered: 1" in response.text
    assert "Invalid: 2" in response.text
    async with ctx.read() as session:
        numbers = set(await session.scalars(select(Applicant.ak1_number)))
        entry = await session.scalar(
            select(AuditLog).where(AuditLog.action == "interchange.ak1_imported")
        )
    assert "AK1-3209-0001" in numbers
    assert entry is not None and entry.data == {"matched": 1, "unknown": 1, "invalid": 2}
    empty = await browser.post(
        "/organiser/interchange/ak1",
        data={"csrf_token": token},
        files={"file": ("ak1.csv", b"nomor\n1\n", "text/csv")},
    )
    assert empty.status_code == 422 and "nik and ak1_number" in empty.text


@pytest.mark.parametrize(
    "path",
    ["/organiser/walk-in", "/organiser/evaluation", "/organiser/interchange", "/organiser/officer"],
)
async def test_only_organisers(client: httpx.AsyncClient, ctx: AppContext, path: str):
    await _world(ctx)
    recruiter = await _as(client, "hrd@a.test")
    assert (await recruiter.get(path)).status_code == 403
    anonymous = await client.get(path)
    assert anonymous.status_code in {302, 303, 401}


async def test_pages_in_indonesian(client: httpx.AsyncClient, ctx: AppContext):
    await _world(ctx)
    browser = await _as(client, "petugas@disnaker.test", lang="id")
    page = await browser.get("/organiser/walk-in")
    assert "Daftarkan pencari kerja" in page.text
