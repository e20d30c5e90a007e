"""The recruiter's applications table and application page (issue 13, item 8): sortable
columns (whitelisted keys), status counts under the other filters, the regency picker,
the table's query kept through staging and sending, next/previous in the table's order,
the CV preview, contact links (the wa.me normaliser) and the applicant's answer to a
hire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in

from jobfair.context import AppContext
from jobfair.models import Cv, Placement, User
from jobfair.services import screening
from jobfair.services.errors import ValidationFailed
from jobfair.services.formats import normalise_phone, whatsapp_url
from jobfair.services.screening import SORTS, ScreeningFilters

SUBMITTED = datetime(2026, 11, 4, 1, 30, tzinfo=UTC)  # 09.30 WITA


async def _world(ctx: AppContext) -> dict[str, int]:
    """Three applicants to one company in a fair in Makassar's zone (WITA):

    ======  =========  =======  ======  ===========  =====================
    name    education  regency  rating  status       applied (UTC)
    ======  =========  =======  ======  ===========  =====================
    Agus    S1         12.09    5       submitted    04 Nov 01.30, has a CV
    Budi    SMP        12.71    —       submitted    04 Nov 02.30
    Citra   SMA        12.09    2       hired        04 Nov 03.30, confirmed
    ======  =========  =======  ======  ===========  =====================
    """
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, timezone="Asia/Makassar")
        company = await factories.company(session, name="PT Tabel Uji")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        vacancy = await factories.vacancy(session, booth_row=booth, title="Operator Gudang")
        await factories.recruiter(session, company_row=company, email="hrd@tabel.test")
        ids: dict[str, int] = {"fair": fair.id}
        rows = [
            ("Agus", "S1", "12.09", 5, "submitted", "+6281234500001"),
            ("Budi", "SMP", "12.71", None, "submitted", None),
            ("Citra", "SMA", "12.09", 2, "hired", None),
        ]
        for n, (name, education, regency, rating, status, phone) in enumerate(rows):
            person = await factories.applicant(
                session, vault=ctx.nik_vault, education_level=education, ktp_regency_code=regency
            )
            user = await session.get(User, person.user_id)
            assert user is not None
            user.full_name = name
            user.phone = phone
            application = await factories.application(
                session,
                vacancy_row=vacancy,
                applicant_row=person,
                rating=rating,
                status=status,
                released_status=status,
                submitted_at=SUBMITTED + timedelta(hours=n),
            )
            ids[name] = application.id
            ids[f"{name} applicant"] = person.id
        storage = ctx.settings.uploads_dir / "cv"
        storage.mkdir(parents=True, exist_ok=True)
        (storage / "agus.pdf").write_bytes(factories.pdf_bytes())
        session.add(
            Cv(
                applicant_id=ids["Agus applicant"],
                storage_name="agus.pdf",
                original_filename="cv-agus.pdf",
                size_bytes=(storage / "agus.pdf").stat().st_size,
                sha256="0" * 64,
            )
        )
        session.add(
            Placement(
                application_id=ids["Citra"],
                fair_id=fair.id,
                reported_at=SUBMITTED + timedelta(days=1),
                confirmation="confirmed",
                confirmed_at=SUBMITTED + timedelta(days=2),
            )
        )
    return ids


def _names(html: str) -> list[str]:
    """The applicants' names in the order of the table's rows."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/company/applications/\d+[^"]*">([^<]+)</a>', body)


def _names_or_none(html: str) -> list[str]:
    return _names(html) if "<tbody>" in html else []


@pytest.fixture
async def recruiter(client: httpx.AsyncClient, ctx: AppContext) -> dict[str, int]:
    ids = await _world(ctx)
    client.cookies.set("lang", "en")
    assert (await sign_in(client, "hrd@tabel.test", factories.PASSWORD)).status_code == 303
    return ids


async def test_the_table_sorts_by_each_column_both_ways(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    expected = {
        "submitted": ["Agus", "Budi", "Citra"],
        "-submitted": ["Citra", "Budi", "Agus"],
        "name": ["Agus", "Budi", "Citra"],
        "-name": ["Citra", "Budi", "Agus"],
        # By the level's rank, not the code's spelling (S1 < SMP alphabetically).
        "education": ["Budi", "Citra", "Agus"],
        "-education": ["Agus", "Citra", "Budi"],
        # Unrated applicants come last both ways.
        "rating": ["Citra", "Agus", "Budi"],
        "-rating": ["Agus", "Citra", "Budi"],
        # In the pipeline's order: submitted before hired.
        "status": ["Agus", "Budi", "Citra"],
        "-status": ["Citra", "Budi", "Agus"],
    }
    for sort, names in expected.items():
        page = await client.get("/company/applications", params={"sort": sort})
        assert page.status_code == 200
        assert _names(page.text) == names, sort
    # Every whitelisted key sorts (age, vacancy: equal values keep the id order).
    for sort in SORTS:
        assert (await client.get(f"/company/applications?sort={sort}")).status_code == 200


async def test_sorted_heading_says_so_and_its_links_keep_the_filters(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    page = await client.get("/company/applications?regency=12.09&sort=name")
    heads = page.text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert heads.count("aria-sort=") == 1
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a class="sort" href="\?', heads)
    # The sorted column's link turns the order round; the others sort by themselves;
    # each keeps the regency filter.
    assert 'href="?regency=12.09&amp;sort=-name"' in heads
    assert 'href="?regency=12.09&amp;sort=rating"' in heads
    descending = await client.get("/company/applications?regency=12.09&sort=-name")
    assert 'aria-sort="descending"' in descending.text
    assert _names(descending.text) == ["Citra", "Agus"]


async def test_an_unknown_sort_key_is_refused_by_the_filters_and_ignored_by_the_page(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    for bad in ("salary", "--name", "name;drop table users", "Name", "-", "rating desc"):
        with pytest.raises(ValidationFailed) as refused:
            ScreeningFilters.parse({"sort": bad})
        assert "sort" in refused.value.fields
        filters, errors = ScreeningFilters.parse_lenient({"sort": bad, "q": "agus"})
        assert filters.sort == "submitted" and filters.q == "agus" and "sort" in errors
        page = await client.get("/company/applications", params={"sort": bad})
        assert page.status_code == 200 and _names(page.text) == ["Agus", "Budi", "Citra"]
    api = await client.get("/api/v1/company/applications?sort=salary")
    assert api.status_code in (401, 422)  # the API takes a token; never a 500


async def test_status_counts_follow_the_other_filters(
    client: httpx.AsyncClient, ctx: AppContext, recruiter: dict[str, int]
) -> None:
    async with ctx.read() as session:
        recruiter_user = await session.scalar(select(User).where(User.email == "hrd@tabel.test"))
        assert recruiter_user is not None
        everyone = await screening.list_applications(session, recruiter_user, ScreeningFilters())
        asahan = await screening.list_applications(
            session, recruiter_user, ScreeningFilters.parse({"regency": "12.09"})
        )
        # The status filter itself does not narrow its own counts.
        hired_asahan = await screening.list_applications(
            session, recruiter_user, ScreeningFilters.parse({"regency": "12.09", "status": "hired"})
        )
        keyword = await screening.list_applications(
            session, recruiter_user, ScreeningFilters.parse({"q": "budi"})
        )
    assert everyone.counts == {"submitted": 2, "hired": 1}
    assert asahan.counts == {"submitted": 1, "hired": 1}
    assert hired_asahan.counts == {"submitted": 1, "hired": 1} and hired_asahan.total == 1
    assert keyword.counts == {"submitted": 1}
    page = await client.get("/company/applications?regency=12.09")
    assert re.search(r'<option value="submitted"\s*>Sent \(1\)</option>', page.text)
    assert re.search(r'<option value="hired"\s*>Hired \(1\)</option>', page.text)


async def test_the_regency_filter_is_a_picker_of_the_applicants_regencies(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    page = await client.get("/company/applications")
    picker = page.text.split('<select id="f-regency" name="regency"', 1)[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', picker) == ["", "12.09", "12.71"]
    assert "Asahan" in picker and "Medan" in picker
    chosen = await client.get("/company/applications?regency=12.71")
    assert _names(chosen.text) == ["Budi"]
    assert '<option value="12.71" selected>' in chosen.text
    # A regency nobody applied from stays chosen, with no rows.
    elsewhere = await client.get("/company/applications?regency=11.01")
    assert (
        '<option value="11.01" selected>' in elsewhere.text and _names_or_none(elsewhere.text) == []
    )
    # A code that is no regency is dropped and said, never a 500 nor an empty table.
    for bad in ("99.99", "12.7", "x" * 40, "12.09'--"):
        refused = await client.get("/company/applications", params={"regency": bad})
        assert refused.status_code == 200
        assert "Choose a regency or a city from the list." in refused.text
        assert _names(refused.text) == ["Agus", "Budi", "Citra"]


async def test_filters_sort_and_page_survive_staging_and_sending(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    table_query = {"regency": "12.09", "sort": "-name"}
    table = await client.get("/company/applications", params=table_query)
    back = "/company/applications?regency=12.09&amp;sort=-name"
    assert f'name="back" value="{back}"' in table.text
    token = csrf_of(table.text)
    address = "/company/applications?" + urlencode(table_query)
    staged = await client.post(
        "/company/applications/status",
        data={
            "status": "reviewed",
            "ids": [str(recruiter["Agus"])],
            "back": address,
            "csrf_token": token,
        },
    )
    assert staged.status_code == 303
    assert staged.headers["location"].startswith(address + "&notice=")
    after = await client.get(staged.headers["location"])
    # The decision bar's "Send decisions" comes back to the same table.
    assert after.text.count(f'name="back" value="{back}"') >= 2
    sent = await client.post(
        "/company/decisions/release", data={"back": address, "csrf_token": token}
    )
    assert sent.status_code == 303 and sent.headers["location"] == address
    undone = await client.post(
        "/company/decisions/undo", data={"back": address, "csrf_token": token}
    )
    assert undone.headers["location"] == address
    # Without a way back, or with one off the company side, it is the plain table.
    for bad in ("", "https://evil.test/", "//evil.test/company/", "/organiser/"):
        plain = await client.post(
            "/company/decisions/release", data={"back": bad, "csrf_token": token}
        )
        assert plain.headers["location"] == "/company/applications"


def test_the_tables_address_keeps_its_page() -> None:
    filters = ScreeningFilters.parse({"q": "agus", "sort": "rating", "page": "3"})
    assert filters.list_params() == {"q": "agus", "sort": "rating", "page": "3"}
    assert filters.list_params(1) == {"q": "agus", "sort": "rating"}
    assert "page" not in filters.as_params()  # exports and "all matching" take no page


async def test_next_and_previous_follow_the_tables_order(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    budi = await client.get(f"/company/applications/{recruiter['Budi']}?sort=-name")
    assert budi.status_code == 200 and "2 of 3" in budi.text
    assert f'href="/company/applications/{recruiter["Citra"]}?sort=-name" rel="prev"' in budi.text
    assert f'href="/company/applications/{recruiter["Agus"]}?sort=-name" rel="next"' in budi.text
    # The way back is the table with the same query.
    assert '<a href="/company/applications?sort=-name">' in budi.text
    first = await client.get(f"/company/applications/{recruiter['Agus']}?regency=12.09")
    assert "1 of 2" in first.text and 'rel="prev"' not in first.text
    assert f'/company/applications/{recruiter["Citra"]}?regency=12.09" rel="next"' in first.text
    # An application that no longer matches (staged out of a status filter) keeps its
    # place, so "next" goes on from it.
    outside = await client.get(f"/company/applications/{recruiter['Citra']}?status=submitted")
    assert "3 of 3" in outside.text
    assert f'/company/applications/{recruiter["Budi"]}?status=submitted" rel="prev"' in outside.text
    # Bad list queries are dropped, never a failure.
    odd = await client.get(f"/company/applications/{recruiter['Budi']}?sort=salary&page=x")
    assert odd.status_code == 200 and "2 of 3" in odd.text


def test_whatsapp_links_of_indonesian_mobile_numbers() -> None:
    for written in ("081234500001", "0812-3450-0001", "+62 812 3450 0001", "6281234500001"):
        assert whatsapp_url(written) == "https://wa.me/6281234500001", written
        assert normalise_phone(written) == "+6281234500001"
    for bad in (
        None,
        "",
        "   ",
        "abc",
        "08",
        "021 5551234",  # a landline has no WhatsApp
        "+1 555 123 4567",
        "+62 21 5551234",
        "０８１２３４５０００１",  # full-width digits are not ASCII digits
        "٠٨١٢٣٤٥٠٠٠٠١",
        "0812345000011234567",  # too long
        "62+81234500001",
        12345,
    ):
        assert whatsapp_url(bad) is None, bad  # type: ignore[arg-type]


async def test_the_application_page_links_contacts_previews_the_cv_and_says_the_hire_answer(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    agus = await client.get(f"/company/applications/{recruiter['Agus']}")
    assert 'href="mailto:' in agus.text and 'href="tel:+6281234500001"' in agus.text
    assert 'href="https://wa.me/6281234500001"' in agus.text
    cv = f"/company/applications/{recruiter['Agus']}/cv"
    assert f'<iframe src="{cv}?view=inline"' in agus.text and f'<a href="{cv}">' in agus.text
    # The applied date is the fair's wall time.
    assert "09:30 WITA" in agus.text
    inline = await client.get(f"{cv}?view=inline")
    assert inline.status_code == 200 and inline.content.startswith(b"%PDF")
    assert inline.headers["content-disposition"].startswith("inline")
    assert inline.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inline.headers["content-security-policy"]
    assert "object-src 'none'" in inline.headers["content-security-policy"]
    download = await client.get(cv)
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in download.headers["content-security-policy"]
    # Pages may frame this site only.
    assert "frame-src 'self'" in agus.headers["content-security-policy"]
    budi = await client.get(f"/company/applications/{recruiter['Budi']}")
    assert "<iframe" not in budi.text and "wa.me" not in budi.text
    citra = await client.get(f"/company/applications/{recruiter['Citra']}")
    assert "Hire confirmed by the applicant" in citra.text


async def test_the_table_shows_applied_rating_cv_and_hire_answer(
    client: httpx.AsyncClient, recruiter: dict[str, int]
) -> None:
    page = await client.get("/company/applications")
    rows = page.text.split("<tbody>", 1)[1].split("</tr>")
    agus = next(row for row in rows if ">Agus<" in row)
    budi = next(row for row in rows if ">Budi<" in row)
    citra = next(row for row in rows if ">Citra<" in row)
    assert "4 November 2026, 09:30 WITA" in agus and "5 of 5 stars" in agus
    assert f'href="/company/applications/{recruiter["Agus"]}/cv"' in agus
    assert "/cv" not in budi and "stars" not in budi
    assert "Hire confirmed by the applicant" in citra and "2 of 5 stars" in citra
    # The select-all box is there for the script; without it the page hides it.
    assert 'data-select-all="ids"' in page.text and "js/select-all.js" in page.text
    indonesian = await client.get("/company/applications?lang=id")
    assert "09.30 WITA" in indonesian.text and "Pilih semua di halaman ini" in indonesian.text
