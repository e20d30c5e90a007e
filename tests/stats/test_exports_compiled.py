"""The exports, charts and the report page on reports the compiler really wrote (the
hand-built fair of ``test_compile`` and an empty fair), so the renderers and the
compiler cannot drift apart; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import httpx
from openpyxl import load_workbook
from pypdf import PdfReader
from support import factories
from support.browsing import sign_in
from support.factories import hash_password
from test_compile import NOW, compiled

from jobfair.context import AppContext
from jobfair.models import Fair, User
from jobfair.stats import compile as stats
from jobfair.stats import exports
from jobfair.stats.charts import report_charts
from jobfair.stats.official import AGE_GROUPS, ipk_iii_1, ipk_iii_8
from jobfair.stats.present import Presenter, table


async def test_a_compiled_report_renders_everywhere(ctx: AppContext) -> None:
    report = await compiled(ctx)
    data = report.data
    p = Presenter.of("en")
    # The official layouts agree with the compiler's tables.
    iii_8 = ipk_iii_8(data, p)
    assert iii_8 is not None
    source = table(data, "ipk_iii_8")
    assert source is not None
    totals = source["totals"]
    education_total = iii_8.sections[0].rows[-1]
    assert education_total.is_total
    assert education_total.values[:6] == [
        totals[f"{kind}_{sex}"] for kind in ("AKL", "AKAD", "AKAN") for sex in ("L", "P")
    ]
    iii_1 = ipk_iii_1(data, p)
    assert iii_1 is not None
    seekers_total = iii_1.sections[0].rows[-1]
    sex_age = table(data, "sex_age")
    assert sex_age is not None
    # Registered = the fair's applicants by sex; placed = confirmed hires by sex.
    assert seekers_total.values[2:4] == [sex_age["totals"]["L"], sex_age["totals"]["P"]]
    confirmed = next(i["value"] for i in data["headline"] if i["key"] == "hires_confirmed")
    assert sum(v or 0 for v in seekers_total.values[4:6]) == confirmed
    # Every cell of the job seekers' and openings' rows is filled (placed and carried
    # forward per age group too), in the layout and in the XLSX sheet.
    for section in iii_1.sections:
        for layout_row in section.rows:
            assert None not in layout_row.values, (section.title, layout_row.label)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(data, "en")))["IPK III-1"]
    age_rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value in AGE_GROUPS]
    assert len(age_rows) == 5
    assert all(sheet.cell(r, c).value is not None for r in age_rows for c in range(3, 13))
    assert set(report_charts(data, p)) == {"sex_age", "education", "by_day", "funnel"}

    pdf = exports.to_pdf(data, "en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "PT Alpha" in text and "IPK III/8 · Placements of job seekers" in text
    book = load_workbook(io.BytesIO(exports.to_xlsx(data, "id")))
    assert book.sheetnames[:4] == ["Ringkasan", "Definisi", "IPK III-1", "IPK III-8"]
    names = zipfile.ZipFile(io.BytesIO(exports.to_csv_zip(data, "en"))).namelist()
    assert len(names) == 2 + len(data["tables"]) + 2


async def test_an_empty_fair_renders_with_dashes(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        report = await stats.compile_fair_report(session, fair.id, NOW)
    data = report.data
    for kind in ("pdf", "xlsx", "csv"):
        assert exports.export(data, kind, "id")
    charts = report_charts(data, Presenter.of("en"))
    assert "chart-bar" in charts["by_day"].svg()


async def test_the_page_shows_a_compiled_report(client: httpx.AsyncClient, ctx: AppContext) -> None:
    report = await compiled(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, report.fair_id)
        assert fair is not None
        slug = fair.slug
        session.add(
            User(
                email="petugas@disnaker.test",
                password_hash=hash_password(factories.PASSWORD),
                role="organiser",
                full_name="Petugas",
                office_id=fair.office_id,
            )
        )
    client.cookies.set("lang", "en")
    await sign_in(client, "petugas@disnaker.test", factories.PASSWORD)
    page = await client.get(f"/organiser/fairs/{slug}/report")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 4
    assert "PT Alpha" in page.text and "IPK III/1" in page.text
    download = await client.get(f"/organiser/fairs/{slug}/report.xlsx")
    assert download.status_code == 200 and download.content.startswith(b"PK")
