"""Exports show times in the fair's zone, as the screens do, and name the zone in the
column header (issue 13, item 11): a company's applicant CSV/XLSX (inline and built by
the task) and the compiled report's files. The rule lives in ``services.times``."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest
from openpyxl import load_workbook
from support import factories
from support.browsing import sign_in
from support.report_sample import sample

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.services import exports as company_exports
from jobfair.services import times
from jobfair.stats import exports

SENT = datetime(2026, 11, 3, 1, 15, tzinfo=UTC)  # 10.15 in Jayapura (WIT, UTC+9)


async def _world(ctx: AppContext, *zones: str) -> None:
    """One company with one application in a fair of each of ``zones``."""
    async with ctx.unit_of_work() as session:
        company = await factories.company(session, name="PT Sawit Makmur")
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        for zone in zones:
            fair = await factories.fair(session, timezone=zone)
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
            person = await factories.applicant(session, vault=ctx.nik_vault)
            await factories.application(
                session, vacancy_row=vacancy, applicant_row=person, submitted_at=SENT
            )


def test_the_rule_names_each_indonesian_zone() -> None:
    assert times.zone_label("Asia/Jakarta") == "WIB, UTC+7"
    assert times.zone_label("Asia/Makassar") == "WITA, UTC+8"
    assert times.zone_label("Asia/Jayapura") == "WIT, UTC+9"
    assert times.with_zone("Dikirim", "Asia/Jayapura") == "Dikirim (WIT, UTC+9)"
    assert times.export_datetime(SENT, "Asia/Jayapura") == "2026-11-03 10:15"
    # SQLite gives naive UTC back: read as UTC, not as local time.
    assert times.export_datetime(SENT.replace(tzinfo=None), "Asia/Jakarta") == "2026-11-03 08:15"
    assert times.export_datetime(None) == ""
    assert times.common_zone(["Asia/Jayapura"]) == "Asia/Jayapura"
    # Rows from fairs in two zones: one zone for the whole file, the default.
    assert times.common_zone(["Asia/Jayapura", "Asia/Makassar"]) == "Asia/Jakarta"
    assert times.common_zone([]) == "Asia/Jakarta"


def test_templates_use_the_same_rule() -> None:
    from jobfair.web import templating

    assert templating.local_datetime is times.local_datetime
    with i18n.using("id"):
        assert times.local_datetime(SENT, "Asia/Jayapura") == "3 November 2026, 10.15 WIT"
    assert times.local_datetime(SENT, "Asia/Makassar", "en") == "3 November 2026, 09:15 WITA"


@pytest.mark.parametrize(("lang", "header"), [("id", "Dikirim"), ("en", "Submitted")])
async def test_company_csv_in_the_fairs_zone(
    client: httpx.AsyncClient, ctx: AppContext, lang: str, header: str
) -> None:
    await _world(ctx, "Asia/Jayapura")
    client.cookies.set("lang", lang)
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    response = await client.get("/company/exports?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == f"{header} (WIT, UTC+9)"
    assert rows[1][1] == "2026-11-03 10:15"
    name = "pelamar.csv" if lang == "id" else "applicants.csv"
    assert f"filename*=UTF-8''{name}" in response.headers["content-disposition"]


async def test_company_xlsx_of_fairs_in_two_zones_says_wib(
    client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _world(ctx, "Asia/Jayapura", "Asia/Makassar")
    client.cookies.set("lang", "id")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    inline = await client.get("/company/exports?format=xlsx")
    sheet = load_workbook(io.BytesIO(inline.content)).active
    assert sheet.title == "Lamaran"
    assert sheet["B1"].value == "Dikirim (WIB, UTC+7)"
    assert {sheet["B2"].value, sheet["B3"].value} == {"2026-11-03 08:15"}
    # The same file built by the task, in chunks.
    monkeypatch.setattr(company_exports, "INLINE_LIMIT", 1)
    queued = await client.get("/company/exports?format=xlsx")
    assert queued.status_code == 303
    await ctx.tasks.drain()
    download = await client.get(queued.headers["location"] + "/download")
    assert download.status_code == 200
    assert "filename*=UTF-8''pelamar-" in download.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet["B1"].value == "Dikirim (WIB, UTC+7)"
    assert sheet["B2"].value == "2026-11-03 08:15"


@pytest.mark.parametrize(("locale", "label"), [("id", "Disusun pada"), ("en", "Compiled at")])
def test_report_files_say_the_compile_time_in_the_fairs_zone(locale: str, label: str) -> None:
    report = sample()
    report["fair"]["timezone"] = "Asia/Jayapura"
    report["compiled_at"] = "2026-11-11T02:30:00+00:00"
    book = load_workbook(io.BytesIO(exports.to_xlsx(report, locale)))
    about = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[0]}
    key = next(name for name in about if str(name).startswith(label))
    assert key.endswith("(WIT, UTC+9)")
    assert about[key].startswith("11 November 2026, 11") and about[key].endswith("WIT")
