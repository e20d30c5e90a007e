"""A hiring drive's progress downloads (PDF, XLSX, CSV files) on the hand-built drive of
``support.drive_world``: every figure in the files is the drive page's and the API's
(``services.drives.progress``) and the hand-written one; partners that reported nothing
are listed; the file names carry no name; another office's organiser gets 404 and a
recruiter 403, as for the drive page; the labels follow the language."""

from __future__ import annotations

import csv
import io
import zipfile

import httpx
import openpyxl
import pypdf
import pytest
from starlette.applications import Starlette
from support import factories
from support.browsing import sign_in
from support.clock import Clock
from support.drive_world import World, build_drive_world, user_of, with_direct_placements

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.services import auth, drives

KINDS = ("pdf", "xlsx", "zip")


async def _signed_in(app: Starlette, email: str, lang: str = "en") -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.cookies.set("lang", lang)
    assert (await sign_in(client, email, factories.PASSWORD)).status_code == 303
    return client


async def _drive(ctx: AppContext) -> tuple[World, drives.Progress]:
    world = await build_drive_world(ctx)
    await with_direct_placements(ctx, world)  # a7 confirmed, a8 denied
    organiser = await user_of(ctx, world.organiser_id)
    async with ctx.read() as session:
        drive = await drives.scoped_drive(session, organiser, world.drive_id)
        return world, await drives.progress(session, drive)


def _csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _sheet_rows(book: openpyxl.Workbook, title: str) -> list[tuple]:
    return [row for row in book[title].iter_rows(min_row=5, values_only=True)]


async def test_the_downloads_hold_the_drive_page_figures(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    world, progress = await _drive(ctx)
    # The service's figures, by hand (tests/services/test_drives.py): a1 once, a2, a5, a7.
    assert (progress.placed, progress.local, progress.non_local) == (4, 3, 1)
    organiser = await user_of(ctx, world.organiser_id)
    client = await _signed_in(app, organiser.email or "")
    base = f"/organiser/drives/{world.drive_id}"
    page = await client.get(base)
    for kind in KINDS:
        assert f'href="{base}/progress.{kind}"' in page.text, kind
    assert "Download Excel (XLSX)" in page.text

    # XLSX: the summary, the partners (P3, who reported nothing, included) and the weeks.
    answer = await client.get(f"{base}/progress.xlsx")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    disposition = answer.headers["content-disposition"]
    assert f'filename="drive-{world.drive_id}-progress-2026-11-05.xlsx"' in disposition
    assert "Gerakan" not in disposition and "PT" not in disposition
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Hiring drive"] == "Gerakan Warga Asahan Bekerja"
    assert "Report version" not in summary and "Fair" not in summary  # a snapshot, no version
    assert "Provisional: made while the drive runs; its figures may still change." in summary
    assert (summary["Target"], summary["People placed"]) == (progress.target, progress.placed)
    assert summary["Share of the target"] == pytest.approx(progress.share)
    assert (summary["Local"], summary["Not local"]) == (progress.local, progress.non_local)
    assert (summary["From the fairs"], summary["Reported outside the fairs"]) == (3, 1)
    assert summary["Placed by companies that are not partners"] == progress.outside_partners
    assert "1 Nov 2026" in summary["Period"] and "31 Dec 2026" in summary["Period"]
    partners = {row[0]: row[1:] for row in _sheet_rows(book, "Partner companies")}
    assert partners == {
        "PT P2": (2, 1, 1, "no"),
        "PT P1": (1, 1, 0, "no"),
        "PT P3": (0, 0, 0, "yes"),  # reported nothing
        "Companies that are not partners": (1, 1, 0, None),  # a5, by X
        "Total": (4, 3, 1, None),
    }
    for row in progress.partners:
        assert partners[row.name][:2] == (row.placed, row.local)
    weeks = _sheet_rows(book, "Per week")
    assert [row[3] for row in weeks[:-1]] == [week.placed for week in progress.weeks]
    assert [row[3] for row in weeks[:-1]] == [3, 1, 0, 0, 0, 0, 0, 0, 0]
    assert [row[4] for row in weeks[:3]] == [3, 4, 4]
    assert weeks[-1][0] == "Total" and weeks[-1][3] == 4
    assert [row[0] for row in _sheet_rows(book, "The locality rule")] == ["Kabupaten Asahan"]

    # CSV files: the same figures, keyed.
    answer = await client.get(f"{base}/progress.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert (
        f"drive-{world.drive_id}-progress-2026-11-05.zip" in answer.headers["content-disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    keyed = {row[0]: row[2] for row in _csv(archive, "summary.csv") if len(row) == 3}
    assert keyed["placed"] == "4" and keyed["target"] == "3000"
    assert (keyed["local"], keyed["non_local"], keyed["pending"]) == ("3", "1", "0")
    partner_rows = _csv(archive, "01-drive-partners.csv")
    assert partner_rows[0] == ["Company", "Placed", "Local", "Not local", "Reported nothing"]
    assert ["PT P3", "0", "0", "0", "yes"] in partner_rows
    assert partner_rows[-1] == ["Total", "4", "3", "1", ""]
    week_rows = _csv(archive, "02-drive-weeks.csv")
    assert [row[3] for row in week_rows[1:-1]] == [str(w.placed) for w in progress.weeks]

    # PDF: the office's letterhead, the drive, every partner and the weeks' chart.
    answer = await client.get(f"{base}/progress.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    pdf = pypdf.PdfReader(io.BytesIO(answer.content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Gerakan Warga Asahan Bekerja" in text and "Provisional" in text
    for name in ("PT P1", "PT P2", "PT P3", "People placed per week"):
        assert name in text, name

    # The API answers the same figures (one home: services.drives.progress).
    async with ctx.unit_of_work() as session:
        token, _row = await auth.create_api_token(
            session, organiser, "t", lifetime=factories.TOKEN_LIFETIME
        )
    api = await client.get(
        f"/api/v1/drives/{world.drive_id}/progress", headers={"Authorization": f"Bearer {token}"}
    )
    body = api.json()
    assert (body["placed"], body["local"], body["non_local"]) == (4, 3, 1)
    assert {row["name"]: row["placed"] for row in body["partners"]} == {
        name: values[0] for name, values in partners.items() if name.startswith("PT")
    }


async def test_indonesian_labels_and_who_may_download(
    app: Starlette, ctx: AppContext, clock: Clock
) -> None:
    world, _progress = await _drive(ctx)
    organiser = await user_of(ctx, world.organiser_id)
    base = f"/organiser/drives/{world.drive_id}"
    indonesian = await _signed_in(app, organiser.email or "", lang="id")
    answer = await indonesian.get(f"{base}/progress.zip")
    assert f"drive-{world.drive_id}-progres-2026-11-05.zip" in answer.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    labels = {row[0]: row[1] for row in _csv(archive, "summary.csv") if len(row) == 3}
    words = i18n.translations("id")
    assert labels["placed"] == words.gettext("People placed") != "People placed"
    partner_rows = _csv(archive, "01-drive-partners.csv")
    assert partner_rows[0][0] == words.gettext("Company") and partner_rows[-1][0] == "Jumlah"
    assert [
        "PT P3",
        "0",
        "0",
        "0",
        words.gettext("yes"),
    ] in partner_rows
    book = openpyxl.load_workbook(
        io.BytesIO((await indonesian.get(f"{base}/progress.xlsx")).content)
    )
    assert words.gettext("Partner companies") in book.sheetnames
    assert (await indonesian.get(f"{base}/progress.doc")).status_code == 404

    other = await user_of(ctx, world.other_organiser_id)
    stranger = await _signed_in(app, other.email or "")
    assert (await stranger.get(base)).status_code == 404
    for kind in KINDS:
        assert (await stranger.get(f"{base}/progress.{kind}")).status_code == 404, kind
    recruiter = await user_of(ctx, world.recruiter_ids["P2"])
    company = await _signed_in(app, recruiter.email or "")
    assert (await company.get(f"{base}/progress.xlsx")).status_code == 403
    anonymous = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    )
    signed_out = await anonymous.get(f"{base}/progress.xlsx")
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    assert (await indonesian.get("/organiser/drives/999999/progress.pdf")).status_code == 404
