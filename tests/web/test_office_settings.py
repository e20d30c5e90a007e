"""The office's report settings page (issue 13, item 13): an organiser of the office
sets the letterhead (address, logo) and signing officer (place, position, name, NIP);
bad input is refused field by field and kept on the form; only the office's own
organisers reach it; the report PDF then carries them."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in
from support.report_sample import sample

from jobfair.context import AppContext
from jobfair.models import AuditLog, FairReport, LabourOffice

PAGE = "/organiser/office"
GOOD = {
    "address": "Jl. Jenderal Sudirman No. 5\nKisaran 21216",
    "signing_place": "Kisaran",
    "signer_position": "Kepala Dinas Tenaga Kerja",
    "signer_name": "Drs. Budi Santoso, M.Si.",
    "signer_nip": "19800512 200501 1 002",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (11, 92, 173)).save(buffer, "PNG")
    return buffer.getvalue()


async def _world(ctx: AppContext) -> dict[str, Any]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session, name="Dinas Tenaga Kerja Kabupaten Asahan")
        fair = await factories.fair(
            session,
            office_row=office,
            slug="bursa-asahan",
            opens_at=datetime(2026, 10, 1, 1, tzinfo=UTC),
        )
        data = sample()
        data["fair"]["slug"] = "bursa-asahan"
        session.add(FairReport(fair_id=fair.id, version=1, data=data))
        await factories.organiser(session, office_row=office, email="petugas@disnaker.test")
        await factories.organiser(session, email="lain@disnaker.test")
        await factories.organiser(session, email="admin@disnaker.test", role="admin")
        company = await factories.company(session)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        return {"office_id": office.id}


async def _as(client: httpx.AsyncClient, email: str, lang: str = "en") -> httpx.AsyncClient:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other.cookies.set("lang", lang)
    await sign_in(other, email, factories.PASSWORD)
    return other


async def _post(
    browser: httpx.AsyncClient, data: dict[str, str], files: dict[str, Any] | None = None
) -> httpx.Response:
    token = csrf_of((await browser.get(PAGE)).text)
    return await browser.post(
        PAGE, data={**data, "csrf_token": token}, files=files or {"none": ("", b"")}
    )


async def _office(ctx: AppContext, office_id: int) -> LabourOffice:
    async with ctx.read() as session:
        office = await session.get(LabourOffice, office_id)
        assert office is not None
        return office


async def test_an_organiser_sets_the_letterhead_and_signer(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    organiser = await _as(client, "petugas@disnaker.test")
    page = await organiser.get(PAGE)
    assert page.status_code == 200 and "Report letterhead and signer" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    done = await _post(organiser, GOOD, {"logo": ("logo.png", _png(), "image/png")})
    assert done.status_code == 303 and done.headers["location"] == PAGE + "?saved=1"
    office = await _office(ctx, ids["office_id"])
    assert office.signer_nip == "198005122005011002"  # stored as the 18 digits
    assert office.address == GOOD["address"] and office.signing_place == "Kisaran"
    assert office.logo_file and office.logo_file.endswith(".png")
    logo = ctx.settings.uploads_dir / "logos" / office.logo_file
    assert logo.is_file()
    shown = await organiser.get(PAGE + "?saved=1")
    assert "Saved." in shown.text and 'value="19800512 200501 1 002"' in shown.text
    assert f"/media/logos/{office.logo_file}" in shown.text
    # The audit row names the fields, never their values.
    async with ctx.read() as session:
        entry = await session.scalar(
            select(AuditLog).where(AuditLog.action == "office.report_settings_updated")
        )
    assert entry is not None and entry.object_id == ids["office_id"]
    assert "198005122005011002" not in str(entry.data)
    assert "signer_nip" in entry.data["fields"] and "logo_file" in entry.data["fields"]
    # The report PDF carries them (the English export: "Report" file name).
    pdf = await organiser.get("/organiser/fairs/bursa-asahan/report.pdf")
    text = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages]
    assert "Jl. Jenderal Sudirman No. 5" in text[0]
    assert "Drs. Budi Santoso, M.Si." in text[-1] and "NIP 19800512 200501 1 002" in text[-1]
    assert "filename*=UTF-8''bursa-asahan-report-v3.pdf" in pdf.headers["content-disposition"]
    # A new logo replaces the old file (deleted after the commit); then it is removed.
    await _post(organiser, GOOD, {"logo": ("logo.png", _png(), "image/png")})
    assert not logo.exists()
    await _post(organiser, {**GOOD, "remove_logo": "1"})
    assert (await _office(ctx, ids["office_id"])).logo_file is None
    # Emptied fields leave the parts out.
    await _post(organiser, {})
    office = await _office(ctx, ids["office_id"])
    assert office.signer_name is None and office.signer_nip is None and office.address is None


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("12345", "A NIP has 18 digits"),
        ("198002302005011002", "The first 8 digits of a NIP are a birth date"),
        ("198005122005131002", "Digits 9 to 14 of a NIP are the month of appointment"),
        ("198005121990011002", "Digits 9 to 14 of a NIP are the month of appointment"),
        ("198005122005013002", "Digit 15 of a NIP is 1 or 2."),
        ("198005122005011000", "The last 3 digits of a NIP cannot be 000."),
    ],
)
async def test_a_bad_nip_is_refused_and_the_form_kept(
    client: httpx.AsyncClient, ctx: AppContext, nip: str, message: str
) -> None:
    ids = await _world(ctx)
    organiser = await _as(client, "petugas@disnaker.test")
    refused = await _post(organiser, {**GOOD, "signer_nip": nip})
    assert refused.status_code == 422
    assert message in refused.text and 'id="signer_nip-error"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    # What was typed stays on the form.
    assert f'value="{nip}"' in refused.text and "Drs. Budi Santoso, M.Si." in refused.text
    assert (await _office(ctx, ids["office_id"])).signer_name is None


async def test_other_bad_input(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _world(ctx)
    organiser = await _as(client, "petugas@disnaker.test", lang="id")
    too_long = await _post(organiser, {**GOOD, "signer_name": "x" * 201})
    assert too_long.status_code == 422 and "Maksimal 200 karakter" in too_long.text
    not_an_image = await _post(organiser, GOOD, {"logo": ("logo.png", b"not a png", "image/png")})
    assert not_an_image.status_code == 415 and 'id="logo-error"' in not_an_image.text
    assert (await _office(ctx, ids["office_id"])).signer_name is None
    # Without the CSRF token: refused.
    forged = await organiser.post(PAGE, data=GOOD)
    assert forged.status_code in (400, 403)


async def test_only_the_offices_organisers(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _world(ctx)
    other = await _as(client, "lain@disnaker.test")
    # Another office's organiser sees and changes only their own office.
    assert (
        "<strong>Dinas Tenaga Kerja Kabupaten Asahan</strong>" not in (await other.get(PAGE)).text
    )
    assert (await _post(other, GOOD)).status_code == 303
    assert (await _office(ctx, ids["office_id"])).signer_name is None
    # An admin belongs to no office; a recruiter and a visitor are not organisers.
    admin = await _as(client, "admin@disnaker.test")
    assert (await admin.get(PAGE)).status_code == 403
    recruiter = await _as(client, "hrd@a.test")
    assert (await recruiter.get(PAGE)).status_code == 403
    visitor = await client.get(PAGE, follow_redirects=False)
    assert visitor.status_code in (303, 401)
