"""The office statistics page, its compile button, downloads and the API route, on the
office of ``support.office_world``: who may (the office's organisers; an admin through
the API), bad period input, versions, and that the exports open (openpyxl, PDF text)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import httpx
import openpyxl
import pypdf
from sqlalchemy import select
from support import factories
from support.api_contract import conforms
from support.browsing import csrf_of, sign_in
from support.clock import Clock
from support.factories import hash_password
from support.office_world import build_office_world

from jobfair.context import AppContext
from jobfair.models import AuditLog, OfficeReport, OfficeReportRequest, User
from jobfair.models.accounts import Role

Q4 = "kind=quarter&year=2026&number=4"
PAGE = "/organiser/office/statistics"


async def _setup(ctx: AppContext, clock: Clock) -> int:
    clock.now = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
    async with ctx.unit_of_work() as session:
        world = await build_office_world(session)
        office_id, other_id = world.office.id, world.other_office.id
        world.office.signer_name = "Drs. Budi Santoso"
        world.office.signing_place = "Kisaran"
        for email, role, office in (
            ("org@a.test", Role.ORGANISER, office_id),
            ("org@b.test", Role.ORGANISER, other_id),
            ("admin@x.test", Role.ADMIN, None),
        ):
            session.add(
                User(
                    email=email,
                    password_hash=hash_password(factories.PASSWORD),
                    role=role,
                    full_name=email.split("@")[0],
                    office_id=office,
                )
            )
        company = await factories.company(session)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
    return office_id


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def test_pick_a_quarter_compile_and_download(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    await _setup(ctx, clock)
    assert (await sign_in(client, "org@a.test", factories.PASSWORD)).status_code == 303
    first = await client.get(PAGE)  # the current quarter by default
    assert first.status_code == 200 and "Triwulan I 2027" in first.text
    page = await client.get(f"{PAGE}?{Q4}")
    assert page.status_code == 200
    assert "Triwulan IV 2026" in page.text and "Hitung statistik" in page.text
    token = csrf_of(page.text)
    form = {"csrf_token": token, "kind": "quarter", "year": "2026", "number": "4"}
    response = await client.post(f"{PAGE}/compile", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PAGE}?{Q4}"
    await ctx.tasks.drain()
    shown = await client.get(f"{PAGE}?{Q4}&lang=en")
    assert shown.status_code == 200
    assert "Version 1" in shown.text and "IPK III/1" in shown.text
    assert "Carried forward" in shown.text and "Job seekers registered over time" in shown.text
    assert "IPK III/3: job seekers by occupation (KBJI)" in shown.text
    assert "IPK III/7: job seekers by years since graduation" in shown.text
    assert "Not stated" in shown.text and "measured at the end of the period" in shown.text

    workbook = await client.get(f"{PAGE}.xlsx?{Q4}")
    assert workbook.status_code == 200
    assert "-2026-q4-" in workbook.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    texts = {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert any("IPK III/1" in text for text in texts)
    assert any("IPK III/8" in text for text in texts)
    assert any("IPK III/3" in text for text in texts)
    assert any("IPK III/7" in text for text in texts)
    assert "Not stated" in texts and "6+" in texts  # in English, as chosen above
    pdf = await client.get(f"{PAGE}.pdf?{Q4}")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Disnaker Kabupaten Asahan" in text and "Drs. Budi Santoso" in text
    assert "IPK III/1" in text and "IPK III/3" in text and "IPK III/7" in text
    csv = await client.get(f"{PAGE}.zip?{Q4}")
    assert csv.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(csv.content))
    names = archive.namelist()
    assert any(name.endswith("-ipk-iii-3.csv") for name in names), names
    years = next(name for name in names if name.endswith("-ipk-iii-7.csv"))
    assert "Not stated" in archive.read(years).decode("utf-8-sig")
    assert (await client.get(f"{PAGE}.doc?{Q4}")).status_code == 404

    # A second compile is version 2; version 1 stays readable.
    await client.post(f"{PAGE}/compile", data=form)
    await ctx.tasks.drain()
    newest = await client.get(f"{PAGE}?{Q4}&lang=en")
    assert "Version 2" in newest.text
    older = await client.get(f"{PAGE}?{Q4}&version=1&lang=en")
    assert "Version 1" in older.text and "An older version." in older.text
    async with ctx.read() as session:
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.action == "office.report_requested")
            )
        )
    assert len(actions) == 2


async def test_bad_period_input(client: httpx.AsyncClient, ctx: AppContext, clock: Clock) -> None:
    await _setup(ctx, clock)
    await sign_in(client, "org@a.test", factories.PASSWORD)
    for query, field in (
        ("kind=fortnight&year=2026", "kind"),
        ("kind=quarter&year=2026&number=5", "number"),
        ("kind=quarter&year=1999&number=1", "year"),
        ("kind=quarter&year=abc&number=1", "year"),
        ("kind=month&year=2026", "number"),
        ("kind=custom&start=2026-03-01", "end"),
        ("kind=custom&start=2026-03-01&end=2026-02-01", "end"),
        ("kind=custom&start=2020-01-01&end=2026-02-01", "end"),
        ("kind=custom&start=2026-13-01&end=2026-02-01", "start"),
    ):
        response = await client.get(f"{PAGE}?{query}")
        assert response.status_code == 422, query
        assert f'id="{field}-error"' in response.text or f"#{field}" in response.text, query
    token = csrf_of((await client.get(PAGE)).text)
    refused = await client.post(
        f"{PAGE}/compile", data={"csrf_token": token, "kind": "quarter", "year": "2026"}
    )
    assert refused.status_code == 422
    assert (await client.get(f"{PAGE}.pdf?kind=quarter")).status_code == 422
    async with ctx.read() as session:
        assert await session.scalar(select(OfficeReportRequest.id)) is None


async def test_only_the_office_organisers_see_it(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    office_id = await _setup(ctx, clock)
    anonymous = await client.get(f"{PAGE}?{Q4}")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await sign_in(client, "org@b.test", factories.PASSWORD)  # another office: its own page
    token = csrf_of((await client.get(PAGE)).text)
    form = {"csrf_token": token, "kind": "quarter", "year": "2026", "number": "4"}
    await client.post(f"{PAGE}/compile", data=form)
    await ctx.tasks.drain()
    async with ctx.read() as session:
        offices = list(await session.scalars(select(OfficeReport.office_id)))
    assert offices and office_id not in offices
    shown = await client.get(f"{PAGE}?{Q4}&lang=en")
    assert "Disnaker Kota Medan" in shown.text and "Kabupaten Asahan" not in shown.text


async def test_the_api_route(client: httpx.AsyncClient, ctx: AppContext, clock: Clock) -> None:
    office_id = await _setup(ctx, clock)
    template = "/api/v1/offices/{office_id}/report"
    path = f"/api/v1/offices/{office_id}/report?{Q4}"
    assert (await client.get(path)).status_code == 401
    organiser = await _bearer(client, "org@a.test")
    missing = await client.get(path, headers=organiser)
    assert missing.status_code == 404
    conforms(missing, "GET", template)
    queued = await client.post(path, headers=organiser)
    assert queued.status_code == 202
    assert queued.json() == {"status": "queued", "provisional": False}
    conforms(queued, "POST", template)
    await ctx.tasks.drain()
    report = await client.get(path, headers=organiser)
    assert report.status_code == 200
    data = conforms(report, "GET", template)
    assert data.version == 1 and data.period.key == "2026-Q4"
    assert {item.key: item.value for item in data.headline}["seekers_registered"] == 4
    tables = {item["key"]: item for item in report.json()["tables"]}
    assert tables["ipk_iii_3"]["totals"]["registered_L"] == 2
    # Not stated is a code, the same in every language (never the English words).
    assert [row["graduation_group"] for row in tables["ipk_iii_7"]["rows"]] == [
        "0–2",
        "3–5",
        "6+",
        "-",
    ]
    assert tables["ipk_iii_3"]["rows"][-1]["kbji_group"] == "-"
    bad = await client.get(f"/api/v1/offices/{office_id}/report?kind=quarter", headers=organiser)
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["year"]
    conforms(bad, "GET", template)
    bad_version = await client.get(path + "&version=x", headers=organiser)
    assert bad_version.status_code == 422
    assert (await client.get(path + "&version=7", headers=organiser)).status_code == 404
    admin = await _bearer(client, "admin@x.test")
    assert (await client.get(path, headers=admin)).status_code == 200
    other = await _bearer(client, "org@b.test")
    for method in ("GET", "POST"):
        response = await client.request(method, path, headers=other)
        assert response.status_code == 404, method
    recruiter = await _bearer(client, "hrd@a.test")
    assert (await client.get(path, headers=recruiter)).status_code == 403
    unknown = await client.get(f"/api/v1/offices/999999/report?{Q4}", headers=admin)
    assert unknown.status_code == 404


def _as_before_the_code(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as versions compiled before the not-stated code stored it: the English
    words in IPK III/3 and III/7's first column."""
    old = copy.deepcopy(data)
    for item in old["tables"]:
        column = {"ipk_iii_3": "kbji_group", "ipk_iii_7": "graduation_group"}.get(item["key"])
        for row in item["rows"] if column else []:
            if row[column] == "-":
                row[column] = "Not stated"
    return old


async def test_a_version_stored_with_the_old_words_still_shows_and_serves_the_code(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    office_id = await _setup(ctx, clock)
    organiser = await _bearer(client, "org@a.test")
    path = f"/api/v1/offices/{office_id}/report?{Q4}"
    assert (await client.post(path, headers=organiser)).status_code == 202
    await ctx.tasks.drain()
    async with ctx.unit_of_work() as session:
        first = await session.scalar(select(OfficeReport).where(OfficeReport.version == 1))
        assert first is not None
        legacy = _as_before_the_code(first.data)
        assert "Not stated" in json.dumps(legacy) and legacy != first.data
        session.add(
            OfficeReport(
                office_id=first.office_id,
                period_key=first.period_key,
                period_kind=first.period_kind,
                period_start=first.period_start,
                period_end=first.period_end,
                version=2,
                data={**legacy, "version": 2},
            )
        )
    served = await client.get(f"{path}&version=2", headers=organiser)
    assert served.status_code == 200
    tables = {item["key"]: item for item in served.json()["tables"]}
    assert tables["ipk_iii_3"]["rows"][-1]["kbji_group"] == "-"
    assert tables["ipk_iii_7"]["rows"][-1]["graduation_group"] == "-"
    await sign_in(client, "org@a.test", factories.PASSWORD)
    for lang, label in (("en", "Not stated"), ("id", "Belum dinyatakan")):
        page = await client.get(f"{PAGE}?{Q4}&version=2&lang={lang}")
        assert page.status_code == 200 and label in page.text, lang
        files = await client.get(f"{PAGE}.zip?{Q4}&version=2&lang={lang}")
        archive = zipfile.ZipFile(io.BytesIO(files.content))
        for key in ("ipk-iii-3", "ipk-iii-7"):
            name = next(n for n in archive.namelist() if n.endswith(f"-{key}.csv"))
            text = archive.read(name).decode("utf-8-sig")
            # The label in the page's language, in the same place as the new versions'.
            assert label in text and "'-" not in text, (lang, key)
        newest = await client.get(f"{PAGE}.zip?{Q4}&version=1&lang={lang}")
        archive = zipfile.ZipFile(io.BytesIO(newest.content))
        name = next(n for n in archive.namelist() if n.endswith("-ipk-iii-3.csv"))
        assert label in archive.read(name).decode("utf-8-sig"), lang
    book = openpyxl.load_workbook(
        io.BytesIO((await client.get(f"{PAGE}.xlsx?{Q4}&lang=id")).content)
    )
    texts = {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert "Belum dinyatakan" in texts and "-" not in texts and "Not stated" not in texts
