"""The organiser's report page, its downloads, and the public summary — from stored
``FairReport`` rows (the hand-written sample), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from support import factories
from support.browsing import csrf_of, sign_in
from support.factories import hash_password
from support.report_sample import sample

from jobfair.context import AppContext
from jobfair.models import FairReport, User

CLOSED_OPENS = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)  # closes 8 October: before the clock


async def _user(ctx: AppContext, email: str, role: str, office_id: int | None) -> None:
    async with ctx.unit_of_work() as session:
        session.add(
            User(
                email=email,
                password_hash=hash_password(factories.PASSWORD),
                role=role,
                full_name=email.split("@")[0],
                office_id=office_id,
            )
        )


def _client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other.cookies.set("lang", "en")
    return other


async def _world(ctx: AppContext, *, reports: int = 1, closed: bool = True) -> dict[str, Any]:
    """A fair of one office with ``reports`` versions, its organiser, another office's
    organiser and an applicant."""
    async with ctx.unit_of_work() as session:
        opens_at = CLOSED_OPENS if closed else datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
        fair = await factories.fair(session, slug="bursa-asahan", opens_at=opens_at)
        other_office = await factories.office(session)
        for version in range(1, reports + 1):
            data = sample()
            data["version"] = version
            data["fair"]["slug"] = "bursa-asahan"
            # Each version differs in its applications, so the picker's choice shows.
            data["headline"][5]["value"] = 2000 + version
            session.add(
                FairReport(
                    fair_id=fair.id,
                    version=version,
                    compiled_at=datetime(2026, 10, 9, version, 0, tzinfo=UTC),
                    data=data,
                )
            )
        fair_id, office_id, other_id = fair.id, fair.office_id, other_office.id
    await _user(ctx, "petugas@disnaker.test", "organiser", office_id)
    await _user(ctx, "lain@disnaker.test", "organiser", other_id)
    await _user(ctx, "admin@disnaker.test", "admin", None)
    await _user(ctx, "pelamar@example.test", "applicant", None)
    return {"fair_id": fair_id}


async def test_report_page_shows_the_newest_version_with_charts_and_tables(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx, reports=2)
    organiser = _client(client)
    await sign_in(organiser, "petugas@disnaker.test", factories.PASSWORD)
    page = await organiser.get("/organiser/fairs/bursa-asahan/report")
    assert page.status_code == 200
    html = page.text
    assert "Version 2, compiled" in html
    assert "2,002" in html  # the newest version's applications
    assert 'name="version"' in html and '<option value="1"' in html
    # Headline, the four charts (accessible SVG), every table with caption and scopes.
    assert "Applicants by sex and age group" in html
    assert html.count('role="img"') == 4 and html.count("<title id=") == 4
    for key in ("sex_age", "education", "funnel", "ipk_iii_8", "formality_suspects"):
        assert f'id="table-{key}"' in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert '<caption class="visually-hidden">' in html
    # Company names typed by companies are escaped, never markup.
    assert "Koperasi &#34;Maju&#34; &lt;Bersama&gt; &amp; Co" in html or (
        "Koperasi &quot;Maju&quot; &lt;Bersama&gt; &amp; Co" in html
    )
    assert "<Bersama>" not in html
    # The official layouts, the definitions, the downloads and the recompile form.
    assert "IPK III/1" in html and "IPK III/8" in html and "Carried forward" in html
    assert "of which open to either sex: 62" in html
    assert "Definitions" in html
    for kind in ("pdf", "xlsx", "zip"):
        assert f"/organiser/fairs/bursa-asahan/report.{kind}" in html
    assert 'action="/organiser/fairs/bursa-asahan/report/compile"' in html
    assert csrf_of(html)
    # No inline style anywhere (the CSP forbids it), in the page or in the charts.
    assert "style=" not in html and "<script>" not in html
    # An older version on request; an unknown one is not found.
    older = await organiser.get("/organiser/fairs/bursa-asahan/report?version=1")
    assert "Version 1, compiled" in older.text and "2,001" in older.text
    assert "An older version." in older.text
    assert (
        await organiser.get("/organiser/fairs/bursa-asahan/report?version=9")
    ).status_code == 404
    # Nonsense versions mean "the newest", never an error.
    assert (
        await organiser.get("/organiser/fairs/bursa-asahan/report?version=x")
    ).status_code == 200


async def test_report_page_in_indonesian_by_default(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx)
    organiser = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await sign_in(organiser, "petugas@disnaker.test", factories.PASSWORD)
    html = (await organiser.get("/organiser/fairs/bursa-asahan/report")).text
    assert 'lang="id"' in html
    assert "2.001" in html  # Indonesian digit grouping


async def test_empty_state_before_any_report(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _world(ctx, reports=0)
    organiser = _client(client)
    await sign_in(organiser, "petugas@disnaker.test", factories.PASSWORD)
    page = await organiser.get("/organiser/fairs/bursa-asahan/report")
    assert page.status_code == 200
    assert "No report has been compiled for this fair yet" in page.text
    assert 'action="/organiser/fairs/bursa-asahan/report/compile"' in page.text
    assert "report.pdf" not in page.text
    assert (await organiser.get("/organiser/fairs/bursa-asahan/report.pdf")).status_code == 404
    assert (await organiser.get("/fairs/bursa-asahan/summary")).status_code == 404


@pytest.mark.parametrize(
    ("kind", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("zip", "application/zip", b"PK"),
    ],
)
async def test_downloads(
    client: httpx.AsyncClient, ctx: AppContext, kind: str, content_type: str, magic: bytes
) -> None:
    await _world(ctx, reports=2)
    organiser = _client(client)
    await sign_in(organiser, "petugas@disnaker.test", factories.PASSWORD)
    response = await organiser.get(f"/organiser/fairs/bursa-asahan/report.{kind}?version=1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.content.startswith(magic)
    disposition = response.headers["content-disposition"]
    name = f"bursa-asahan-report-v1.{kind}"  # the English export (the client reads English)
    assert disposition == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert "private" in response.headers["cache-control"]
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        assert book.worksheets[0]["A1"].value == "Bursa Kerja Virtual Asahan 2026"
    if kind == "zip":
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "summary.csv" in names


async def test_download_of_an_unknown_format_or_version(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx)
    organiser = _client(client)
    await sign_in(organiser, "petugas@disnaker.test", factories.PASSWORD)
    assert (await organiser.get("/organiser/fairs/bursa-asahan/report.exe")).status_code == 404
    assert (
        await organiser.get("/organiser/fairs/bursa-asahan/report.pdf?version=4")
    ).status_code == 404
    assert (await organiser.get("/organiser/fairs/no-such-fair/report")).status_code == 404


async def test_who_may_see_the_report(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _world(ctx)
    # Not signed in: to the sign-in page.
    anonymous = await client.get("/organiser/fairs/bursa-asahan/report")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    # Another office's organiser: as if the fair did not exist.
    stranger = _client(client)
    await sign_in(stranger, "lain@disnaker.test", factories.PASSWORD)
    for path in (
        "/organiser/fairs/bursa-asahan/report",
        "/organiser/fairs/bursa-asahan/report.pdf",
    ):
        assert (await stranger.get(path)).status_code == 404
    # An applicant: forbidden.
    applicant = _client(client)
    await sign_in(applicant, "pelamar@example.test", factories.PASSWORD)
    assert (await applicant.get("/organiser/fairs/bursa-asahan/report")).status_code == 403
    assert (await applicant.get("/organiser/fairs/bursa-asahan/report.xlsx")).status_code == 403
    # An admin sees every office's reports.
    admin = _client(client)
    await sign_in(admin, "admin@disnaker.test", factories.PASSWORD)
    assert (await admin.get("/organiser/fairs/bursa-asahan/report")).status_code == 200


async def test_public_summary_shows_only_the_headline(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx)
    client.cookies.set("lang", "en")
    page = await client.get("/fairs/bursa-asahan/summary")
    assert page.status_code == 200
    html = page.text
    for label, value in (
        ("Companies", "37"),
        ("Vacancies", "97"),
        ("Openings", "412"),
        ("Applicants", "356"),
        ("Applications", "2,001"),
        ("Hires confirmed by applicants", "104"),
        # The target is a percent of confirmed hires: 88 local of 104 against 60 %.
        ("Local share of confirmed hires", '84.6% <span class="meta">(target 60%)</span>'),
    ):
        assert re.search(rf"<dt>{re.escape(label)}</dt><dd>{re.escape(value)}</dd>", html), label
    # Aggregates only: no company, no vacancy, no table of the organiser's report.
    assert "PT Sinar Asahan" not in html and "Operator Produksi" not in html
    assert "IPK III" not in html and "report.pdf" not in html
    # The public fair page links to it.
    fair_page = await client.get("/fairs/bursa-asahan")
    assert "/fairs/bursa-asahan/summary" in fair_page.text


async def test_public_summary_only_for_a_closed_fair_with_a_report(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _world(ctx, closed=False)  # open now, with a (provisional) report
    assert (await client.get("/fairs/bursa-asahan/summary")).status_code == 404
    assert "/fairs/bursa-asahan/summary" not in (await client.get("/fairs/bursa-asahan")).text
    assert (await client.get("/fairs/no-such-fair/summary")).status_code == 404
