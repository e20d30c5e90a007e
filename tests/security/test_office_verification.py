"""Company verification is decided per labour office, and enforced.

Before, verification was one flag on the company, shown and never checked: an office
that rejected a company left its booths and vacancies public, applications kept
arriving and its recruiters kept reading the applicants; another office approving a
booth flipped the company back to verified and could read the first office's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in
from support.factories import hash_password

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import Booth, Company, LabourOffice, OfficeVerification, User
from jobfair.services import applicants, applications, auth, catalogue, companies, fairs, screening
from jobfair.services.errors import Conflict, NotFound

REASON = "NIB tidak terdaftar di OSS"


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


@dataclass
class Ids:
    fair_a: str
    fair_b: str
    company: int
    slug: str
    other_slug: str
    booth_a: int
    booth_b: int
    vacancy_a: int
    vacancy_b: int
    application_a: int
    application_b: int
    applicant_a: int
    applicant_b: int
    recruiter: int
    organiser_a: int
    organiser_b: int
    admin: int
    office_a: int
    office_b: int
    seeker: int


async def _world(ctx: AppContext) -> Ids:
    """Company D has a booth in fair A (office A) and in fair B (office B), each with a
    vacancy and an applicant; company E is in fair A too. Both offices verified D."""
    async with ctx.unit_of_work() as session:
        office_a = await factories.office(session, name="Disnaker Asahan")
        office_b = await factories.office(session, name="Disnaker Medan")
        fair_a = await factories.fair(session, office_row=office_a)
        fair_b = await factories.fair(session, office_row=office_b)
        company = await factories.company(session, name="PT Dua Kantor")
        other = await factories.company(session, name="PT Tetangga")
        booth_a = await factories.booth(session, fair_row=fair_a, company_row=company)
        booth_b = await factories.booth(session, fair_row=fair_b, company_row=company)
        await factories.vacancy(
            session,
            booth_row=await factories.booth(session, fair_row=fair_a, company_row=other),
            title="Kasir Tetangga",
        )
        vacancy_a = await factories.vacancy(session, booth_row=booth_a, title="Mandor Asahan")
        vacancy_b = await factories.vacancy(session, booth_row=booth_b, title="Mandor Medan")
        recruiter = await factories.recruiter(
            session, company_row=company, email="hrd@duakantor.test"
        )
        person_a = await factories.applicant(session, vault=ctx.nik_vault)
        person_b = await factories.applicant(session, vault=ctx.nik_vault)
        for person in (person_a, person_b):
            user = await session.get(User, person.user_id)
            assert user is not None
            await applicants.store_cv(
                session, user, factories.pdf_bytes(), "cv.pdf", ctx.settings.uploads_dir, ctx.now()
            )
        seeker = await factories.applicant(session, vault=ctx.nik_vault)
        seeker_user = await session.get(User, seeker.user_id)
        assert seeker_user is not None
        seeker_user.email = "pencari@kerja.test"
        seeker_user.password_hash = hash_password(factories.PASSWORD)
        application_a = await factories.application(
            session, vacancy_row=vacancy_a, applicant_row=person_a
        )
        application_b = await factories.application(
            session, vacancy_row=vacancy_b, applicant_row=person_b
        )
        organiser_a = await factories.organiser(
            session, office_row=office_a, email="petugas@asahan.test"
        )
        organiser_b = await factories.organiser(
            session, office_row=office_b, email="petugas@medan.test"
        )
        admin = await factories.organiser(session, office_row=office_a, role="admin")
        return Ids(
            fair_a=fair_a.slug,
            fair_b=fair_b.slug,
            company=company.id,
            slug=company.slug,
            other_slug=other.slug,
            booth_a=booth_a.id,
            booth_b=booth_b.id,
            vacancy_a=vacancy_a.id,
            vacancy_b=vacancy_b.id,
            application_a=application_a.id,
            application_b=application_b.id,
            applicant_a=person_a.id,
            applicant_b=person_b.id,
            recruiter=recruiter.id,
            organiser_a=organiser_a.id,
            organiser_b=organiser_b.id,
            admin=admin.id,
            office_a=office_a.id,
            office_b=office_b.id,
            seeker=seeker_user.id,
        )


async def _user(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def _decide(
    ctx: AppContext, ids: Ids, user_id: int, approve: bool, reason: str = "", **kw: int
) -> None:
    user = await _user(ctx, user_id)
    async with ctx.unit_of_work() as session:
        await companies.decide_company(session, user, ids.company, approve, reason, ctx.now(), **kw)


async def _shown(ctx: AppContext, slug: str) -> tuple[set[str], set[str]]:
    """The company slugs of the fair's booth grid and the titles of its vacancies."""
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, slug)
        booths = {card.company.slug for card in await catalogue.list_booths(session, fair)}
        found, _total = await catalogue.search_vacancies(session, fair)
        return booths, {vacancy.title for vacancy in found}


def _client(app: Starlette) -> httpx.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    http.cookies.set("lang", "en")
    return http


async def test_a_rejection_hides_the_company_in_that_offices_fairs_only(
    app: Starlette, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    assert ids.slug in (await _shown(ctx, ids.fair_a))[0]
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    booths, titles = await _shown(ctx, ids.fair_a)
    assert booths == {ids.other_slug} and titles == {"Kasir Tetangga"}
    # The other office's fair keeps the company on show.
    assert await _shown(ctx, ids.fair_b) == ({ids.slug}, {"Mandor Medan"})
    async with ctx.read() as session:
        fair_a = await fairs.get_fair(session, ids.fair_a)
        with pytest.raises(NotFound):
            await catalogue.get_booth(session, fair_a, ids.slug)
        with pytest.raises(NotFound):
            await catalogue.get_vacancy(session, fair_a, ids.vacancy_a)
        counts = await fairs.fair_counts(session, [fair_a.id])
        assert (counts[fair_a.id].companies, counts[fair_a.id].vacancies) == (1, 1)
    async with _client(app) as http:
        assert (await http.get(f"/fairs/{ids.fair_a}/booths/{ids.slug}")).status_code == 404
        assert (await http.get(f"/fairs/{ids.fair_a}/vacancies/{ids.vacancy_a}")).status_code == 404
        assert "PT Dua Kantor" not in (await http.get(f"/fairs/{ids.fair_a}")).text
        assert "PT Dua Kantor" in (await http.get(f"/fairs/{ids.fair_b}")).text
        assert (await http.get(f"/fairs/{ids.fair_b}/booths/{ids.slug}")).status_code == 200
        api_booths = (await http.get(f"/api/v1/fairs/{ids.fair_a}/booths")).text
        api_vacancies = (await http.get(f"/api/v1/fairs/{ids.fair_a}/vacancies")).text
        assert ids.slug not in api_booths and "Mandor Asahan" not in api_vacancies
        assert ids.slug in (await http.get(f"/api/v1/fairs/{ids.fair_b}/booths")).text


async def test_applying_there_is_refused_with_the_reason(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    seeker = await _user(ctx, ids.seeker)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as refused:
            await applications.submit(session, seeker, ids.vacancy_a, ctx.now())
    assert refused.value.message == i18n.gettext(applications.WITHHELD_BY_OFFICE)
    async with _client(app) as http:
        await sign_in(http, "pencari@kerja.test", factories.PASSWORD)
        token = csrf_of((await http.get(f"/fairs/{ids.fair_b}/vacancies/{ids.vacancy_b}")).text)
        page = await http.post(
            f"/fairs/{ids.fair_a}/vacancies/{ids.vacancy_a}/apply", data={"csrf_token": token}
        )
        assert page.status_code == 409
        assert "withdrawn this company from the fair" in page.text
        # The other office's fair still takes the application.
        sent = await http.post(
            f"/fairs/{ids.fair_b}/vacancies/{ids.vacancy_b}/apply", data={"csrf_token": token}
        )
        assert sent.status_code == 303
    async with ctx.unit_of_work() as session:
        raw, _row = await auth.create_api_token(
            session, seeker, "test", lifetime=factories.TOKEN_LIFETIME
        )
    async with _client(app) as api:
        answer = await api.post(
            f"/api/v1/vacancies/{ids.vacancy_a}/applications",
            json={},
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == i18n.gettext(applications.WITHHELD_BY_OFFICE)


async def test_the_recruiter_loses_that_fairs_applicants_until_the_office_verifies_again(
    ctx: AppContext,
) -> None:
    ids = await _world(ctx)
    recruiter = await _user(ctx, ids.recruiter)

    async def reached() -> set[int]:
        async with ctx.read() as session:
            page = await screening.list_applications(
                session, recruiter, screening.ScreeningFilters()
            )
            return {row.id for row in page.rows}

    assert await reached() == {ids.application_a, ids.application_b}
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    assert await reached() == {ids.application_b}
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await screening.application_detail(session, recruiter, ids.application_a)
        with pytest.raises(NotFound):
            await applicants.open_cv(
                session, recruiter, ids.applicant_a, ctx.settings.uploads_dir, ctx.now()
            )
        # Staging a decision on the hidden application is refused too.
        with pytest.raises(NotFound):
            await screening.stage(
                session, recruiter, "reviewed", ctx.now(), application_ids=[ids.application_a]
            )
        detail = await screening.application_detail(session, recruiter, ids.application_b)
        assert detail.has_cv
    # Office A verifies the company again: booths, vacancies and applicants are back.
    await _decide(ctx, ids, ids.organiser_a, True)
    assert await reached() == {ids.application_a, ids.application_b}
    assert ids.slug in (await _shown(ctx, ids.fair_a))[0]
    async with ctx.unit_of_work() as session:
        await screening.application_detail(session, recruiter, ids.application_a)
        cv = await applicants.open_cv(
            session, recruiter, ids.applicant_a, ctx.settings.uploads_dir, ctx.now()
        )
        assert cv.size > 0


async def test_another_office_neither_undoes_nor_reads_a_rejection(ctx: AppContext) -> None:
    ids = await _world(ctx)
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    organiser_a = await _user(ctx, ids.organiser_a)
    organiser_b = await _user(ctx, ids.organiser_b)
    # Office B approves a new booth of the company: office A's rejection stays.
    async with ctx.unit_of_work() as session:
        fair_b2 = await factories.fair(
            session, office_row=await session.get(LabourOffice, ids.office_b)
        )
        requested = await factories.booth(
            session,
            fair_row=fair_b2,
            company_row=await session.get(Company, ids.company),
            status="requested",
        )
        await companies.decide_booth(session, organiser_b, requested.id, True, None, ctx.now())
    async with ctx.read() as session:
        decisions = {
            row.office_id: (row.status, row.reason)
            for row in await session.scalars(
                select(OfficeVerification).where(OfficeVerification.company_id == ids.company)
            )
        }
    assert decisions == {ids.office_a: ("rejected", REASON), ids.office_b: ("verified", None)}
    # Office A approving a booth of a company it rejected is refused (it would stay hidden).
    async with ctx.unit_of_work() as session:
        requested_a = await factories.booth(
            session,
            fair_row=await factories.fair(
                session, office_row=await session.get(LabourOffice, ids.office_a)
            ),
            company_row=await session.get(Company, ids.company),
            status="requested",
        )
        requested_id = requested_a.id
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):
            await companies.decide_booth(session, organiser_a, requested_id, True, None, ctx.now())
    # Each office's console shows its own decision only.
    async with ctx.read() as session:
        rows_b, _ = await companies.list_companies(session, organiser_b, None)
        rows_a, _ = await companies.list_companies(session, organiser_a, "rejected")
        admin = await session.get(User, ids.admin)
        assert admin is not None
        rows_admin, _ = await companies.list_companies(session, admin, None)
    [row_b] = [row for row in rows_b if row.company.id == ids.company]
    assert [(d.office.id, d.status, d.reason) for d in row_b.decisions] == [
        (ids.office_b, "verified", None)
    ]
    assert [(d.status, d.reason) for d in rows_a[0].decisions] == [("rejected", REASON)]
    [row_admin] = [row for row in rows_admin if row.company.id == ids.company]
    assert {d.office.id: d.status for d in row_admin.decisions} == {
        ids.office_a: "rejected",
        ids.office_b: "verified",
    }
    async with ctx.read() as session:
        rejected_b, _ = await companies.list_companies(session, organiser_b, "rejected")
    assert ids.company not in {row.company.id for row in rejected_b}


async def test_an_organiser_decides_for_their_own_office_only(ctx: AppContext) -> None:
    ids = await _world(ctx)
    with pytest.raises(NotFound):
        await _decide(ctx, ids, ids.organiser_a, False, REASON, office_id=ids.office_b)
    # An admin names the office; one the company has no booth with does not exist.
    async with ctx.unit_of_work() as session:
        stranger = await factories.office(session)
        stranger_id = stranger.id
    with pytest.raises(NotFound):
        await _decide(ctx, ids, ids.admin, False, REASON, office_id=stranger_id)
    # With booths in two offices, an admin who names none decides nothing.
    with pytest.raises(NotFound):
        await _decide(ctx, ids, ids.admin, False, REASON)
    await _decide(ctx, ids, ids.admin, False, REASON, office_id=ids.office_b)
    async with ctx.read() as session:
        statuses = {
            row.office_id: row.status
            for row in await session.scalars(
                select(OfficeVerification).where(OfficeVerification.company_id == ids.company)
            )
        }
    assert statuses == {ids.office_a: "verified", ids.office_b: "rejected"}


async def test_the_company_page_says_which_office_rejected_it_and_why(
    app: Starlette, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    async with _client(app) as http:
        await sign_in(http, "hrd@duakantor.test", factories.PASSWORD)
        page = await http.get("/company")
    assert page.status_code == 200
    assert "Disnaker Asahan" in page.text and REASON in page.text
    assert "Hidden: Disnaker Asahan rejected your company." in page.text
    assert page.text.count("Hidden:") == 1  # the booth in Medan's fair stays on show


async def test_the_console_form_decides_for_the_viewers_office(
    app: Starlette, ctx: AppContext
) -> None:
    """Office B's organiser posting office A's id (tampered form) gets 404; their own
    decision does not show office A's reason."""
    ids = await _world(ctx)
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    async with _client(app) as http:
        await sign_in(http, "petugas@medan.test", factories.PASSWORD)
        page = await http.get("/organiser/companies")
        assert "PT Dua Kantor" in page.text and REASON not in page.text
        token = csrf_of(page.text)
        path = f"/organiser/companies/{ids.company}/decision"
        tampered = await http.post(
            path, data={"decision": "approve", "office": str(ids.office_a), "csrf_token": token}
        )
        assert tampered.status_code == 404
        junk = await http.post(
            path,
            data={
                "decision": "reject",
                "reason": "Alamat palsu",
                "office": "x²",
                "csrf_token": token,
            },
        )
        assert junk.status_code == 303  # an unreadable office is the organiser's own
    async with ctx.read() as session:
        statuses = {
            row.office_id: (row.status, row.reason)
            for row in await session.scalars(
                select(OfficeVerification).where(OfficeVerification.company_id == ids.company)
            )
        }
    assert statuses == {
        ids.office_a: ("rejected", REASON),
        ids.office_b: ("rejected", "Alamat palsu"),
    }


async def test_the_queue_says_why_a_rejected_companys_booth_cannot_be_approved(
    app: Starlette, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    await _decide(ctx, ids, ids.organiser_a, False, REASON)
    async with ctx.unit_of_work() as session:
        requested = await factories.booth(
            session,
            fair_row=await factories.fair(
                session,
                office_row=await session.get(LabourOffice, ids.office_a),
                slug="bursa-baru",
            ),
            company_row=await session.get(Company, ids.company),
            status="requested",
        )
        booth_id = requested.id
    async with _client(app) as http:
        await sign_in(http, "petugas@asahan.test", factories.PASSWORD)
        queue = await http.get("/organiser/fairs/bursa-baru/queue")
        answer = await http.post(
            f"/organiser/fairs/bursa-baru/booths/{booth_id}/decision",
            data={"decision": "approve", "csrf_token": csrf_of(queue.text)},
        )
        assert answer.status_code == 303
        page = await http.get(answer.headers["location"])
    assert "Your office has rejected this company." in page.text
    async with ctx.read() as session:
        booth = await session.get(Booth, booth_id)
        assert booth is not None and booth.status == "requested"
