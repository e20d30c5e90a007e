"""The applicant's journey in the browser: CV, applying from a vacancy page, following
applications, notifications, data download and deletion."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from support import factories
from support.browsing import csrf_of, register_and_sign_in

from jobfair.context import AppContext
from jobfair.models import Applicant, Application, CvView, Notification, Recruiter, User
from jobfair.models.accounts import Role
from jobfair.models.audit import AuditLog
from jobfair.services import applicants
from jobfair.services.errors import NotFound


async def _fair(ctx: AppContext) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-uji")
        company = await factories.company(session, slug="pt-sawit", name="PT Sawit Makmur")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        open_vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
        sarjana = await factories.vacancy(
            session, booth_row=booth, title="Asisten Kebun", education_min="S1"
        )
        return {
            "fair": fair.id,
            "company": company.id,
            "open": open_vacancy.id,
            "sarjana": sarjana.id,
        }


async def _signed_up(client: httpx.AsyncClient) -> None:
    client.cookies.set("lang", "en")
    await register_and_sign_in(client, factories.registration())


async def _upload(
    client: httpx.AsyncClient, content: bytes, name: str = "cv.pdf"
) -> httpx.Response:
    token = csrf_of((await client.get("/me")).text)
    return await client.post(
        "/me/cv", data={"csrf_token": token}, files={"file": (name, content, "application/pdf")}
    )


async def test_cv_upload_from_the_account_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _signed_up(client)
    page = await client.get("/me")
    assert "You have not uploaded a CV yet." in page.text
    ok = await _upload(client, factories.pdf_bytes(), "CV Budi.pdf")
    assert ok.status_code == 303 and ok.headers["location"] == "/me?cv=1"
    page = await client.get("/me?cv=1")
    assert "CV Budi.pdf" in page.text and "Your CV has been uploaded." in page.text
    download = await client.get("/me/cv")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    for content, message in (
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "The CV must be a PDF file."),
        (b"%PDF-1.4 broken", "This PDF cannot be read."),
        (factories.pdf_bytes(padding=2 * 1024 * 1024 + 10), "larger than 2 MB"),
    ):
        response = await _upload(client, content)
        assert response.status_code in (413, 415, 422)
        assert message in response.text and 'id="file-error"' in response.text
    missing_token = await client.post(
        "/me/cv", files={"file": ("cv.pdf", factories.pdf_bytes(), "application/pdf")}
    )
    assert missing_token.status_code == 403


async def test_apply_from_the_vacancy_page(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    path = f"/fairs/bursa-uji/vacancies/{ids['open']}"
    client.cookies.set("lang", "en")
    anonymous = await client.get(path)
    assert "Sign in as a job seeker to apply." in anonymous.text
    assert "/login?next=" in anonymous.text
    await _signed_up(client)
    page = await client.get(path)
    assert "Apply for this vacancy" in page.text
    applied = await client.post(f"{path}/apply", data={"csrf_token": csrf_of(page.text)})
    assert applied.status_code == 303
    location = applied.headers["location"]
    # The fragment lands on the confirmation, which can take focus and is announced.
    assert location.startswith("/me/applications/")
    assert location.endswith("?sent=1#confirmation")
    detail = await client.get(location.split("#")[0])
    assert "Mandor Panen" in detail.text
    assert re.search(
        r'<p class="notice" id="confirmation" role="status" tabindex="-1">', detail.text
    )
    # The decision deadline as a date, in the fair's timezone.
    assert (
        "Your application has been sent. The company will answer by 24 November 2026, 08:00 WIB."
        in detail.text
    )
    # A second click is answered, not duplicated.
    again = await client.post(f"{path}/apply", data={"csrf_token": csrf_of(page.text)})
    assert again.status_code == 409
    assert "You have applied to this vacancy." in again.text
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 1
    listing = await client.get("/me/applications")
    assert "Mandor Panen" in listing.text and "Sent" in listing.text
    # Requirements not met: explained, and no apply button.
    sarjana = await client.get(f"/fairs/bursa-uji/vacancies/{ids['sarjana']}")
    assert "You do not meet this vacancy" in sarjana.text
    assert "Apply for this vacancy" not in sarjana.text
    forced = await client.post(
        f"/fairs/bursa-uji/vacancies/{ids['sarjana']}/apply",
        data={"csrf_token": csrf_of(page.text)},
    )
    assert forced.status_code == 422 and "Bachelor" in forced.text


async def test_withdraw_from_the_application_page(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _signed_up(client)
    page = await client.get(f"/fairs/bursa-uji/vacancies/{ids['open']}")
    applied = await client.post(
        f"/fairs/bursa-uji/vacancies/{ids['open']}/apply", data={"csrf_token": csrf_of(page.text)}
    )
    detail_path = applied.headers["location"].split("?")[0]
    detail = await client.get(detail_path)
    token = csrf_of(detail.text)
    # The first press asks; nothing is withdrawn yet.
    for form in ({"csrf_token": token}, {"csrf_token": token, "confirm": "0"}):
        asked = await client.post(f"{detail_path}/withdraw", data=form)
        assert asked.status_code == 200
        assert "Withdraw this application?" in asked.text
        assert 'name="confirm" value="1"' in asked.text
        assert "No, keep my application" in asked.text
    assert "Withdraw this application" in (await client.get(detail_path)).text
    withdrawn = await client.post(
        f"{detail_path}/withdraw", data={"csrf_token": token, "confirm": "1"}
    )
    assert withdrawn.status_code == 303
    assert withdrawn.headers["location"] == f"{detail_path}?withdrawn=1#confirmation"
    detail = await client.get(f"{detail_path}?withdrawn=1")
    assert "Withdrawn" in detail.text and "Withdraw this application" not in detail.text
    assert re.search(
        r'id="confirmation" role="status" tabindex="-1">Your application has been withdrawn.',
        detail.text,
    )
    assert "You can send a withdrawn application again" in detail.text
    # Asking again about a withdrawn one goes back to the application.
    late = await client.post(f"{detail_path}/withdraw", data={"csrf_token": token})
    assert late.status_code == 303 and late.headers["location"] == detail_path
    # While the fair is open the vacancy offers to send it again, into the same record.
    vacancy = await client.get(f"/fairs/bursa-uji/vacancies/{ids['open']}")
    assert "You withdrew your application to this vacancy." in vacancy.text
    assert "Apply for this vacancy" in vacancy.text
    again = await client.post(
        f"/fairs/bursa-uji/vacancies/{ids['open']}/apply",
        data={"csrf_token": csrf_of(vacancy.text)},
    )
    assert again.status_code == 303
    assert again.headers["location"].split("?")[0] == detail_path
    detail = await client.get(detail_path)
    assert "Withdraw this application" in detail.text
    assert detail.text.count("<li><strong>") == 3  # sent, withdrawn, sent again


async def test_someone_elses_application_page_is_404(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    async with ctx.unit_of_work() as session:
        other = await factories.applicant(session, vault=ctx.nik_vault)
        vacancy = await session.get(factories.Vacancy, ids["open"])
        assert vacancy is not None
        foreign = await factories.application(session, vacancy_row=vacancy, applicant_row=other)
    await _signed_up(client)
    assert (await client.get(f"/me/applications/{foreign.id}")).status_code == 404
    token = csrf_of((await client.get("/me")).text)
    response = await client.post(
        f"/me/applications/{foreign.id}/withdraw", data={"csrf_token": token}
    )
    assert response.status_code == 404


async def test_cv_views_by_companies_are_recorded_and_shown(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _signed_up(client)
    await _upload(client, factories.pdf_bytes())
    async with ctx.unit_of_work() as session:
        applicant = await session.scalar(select(Applicant))
        assert applicant is not None
        recruiter = User(
            email="hrd@sawit.test", password_hash="x", role=Role.RECRUITER, full_name="HRD"
        )
        stranger = User(
            email="hrd@lain.test", password_hash="x", role=Role.RECRUITER, full_name="Lain"
        )
        session.add_all([recruiter, stranger])
        await session.flush()
        other_company = await factories.company(session)
        session.add_all(
            [
                Recruiter(company_id=ids["company"], user_id=recruiter.id, role="owner"),
                Recruiter(company_id=other_company.id, user_id=stranger.id, role="owner"),
            ]
        )
        applicant_id = applicant.id
    # Before the applicant applies, the company may not open the CV.
    async with ctx.unit_of_work() as session:
        user = await session.get(User, recruiter.id)
        assert user is not None
        try:
            await applicants.open_cv(
                session, user, applicant_id, ctx.settings.uploads_dir, ctx.now()
            )
            raise AssertionError("expected NotFound")
        except NotFound:
            pass
    page = await client.get(f"/fairs/bursa-uji/vacancies/{ids['open']}")
    await client.post(
        f"/fairs/bursa-uji/vacancies/{ids['open']}/apply", data={"csrf_token": csrf_of(page.text)}
    )
    async with ctx.unit_of_work() as session:
        user = await session.get(User, recruiter.id)
        assert user is not None
        cv_file = await applicants.open_cv(
            session, user, applicant_id, ctx.settings.uploads_dir, ctx.now()
        )
        assert cv_file.path.is_file()
    async with ctx.unit_of_work() as session:
        user = await session.get(User, stranger.id)
        assert user is not None
        try:
            await applicants.open_cv(
                session, user, applicant_id, ctx.settings.uploads_dir, ctx.now()
            )
            raise AssertionError("expected NotFound")
        except NotFound:
            pass
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(CvView)) == 1
    page = await client.get("/me")
    assert "PT Sawit Makmur" in page.text
    # Opened again within the hour (paging with the inline preview): still one view for
    # the applicant, every opening in the audit log; after the hour, a second view.
    for later in (timedelta(minutes=5), timedelta(minutes=59), applicants.CV_VIEW_REPEAT_WINDOW):
        async with ctx.unit_of_work() as session:
            user = await session.get(User, recruiter.id)
            assert user is not None
            await applicants.open_cv(
                session, user, applicant_id, ctx.settings.uploads_dir, ctx.now() + later
            )
    async with ctx.read() as session:
        views = list(await session.scalars(select(CvView.viewed_at).order_by(CvView.id)))
        openings = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "cv.viewed")
        )
    assert len(views) == 2 and openings == 4


async def test_notifications_inbox(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _signed_up(client)
    empty = await client.get("/me/notifications")
    assert "No notifications yet." in empty.text
    async with ctx.unit_of_work() as session:
        user = await session.scalar(select(User))
        assert user is not None
        session.add(
            Notification(user_id=user.id, subject="Keputusan PT Sawit", body="Anda lolos seleksi.")
        )
    page = await client.get("/me/notifications")
    # A row written before notifications had kinds is shown as it was stored.
    assert "Keputusan PT Sawit" in page.text and "New" in page.text
    assert "Notifications (1)" in (await client.get("/me")).text
    marked = await client.post("/me/notifications/read", data={"csrf_token": csrf_of(page.text)})
    assert marked.status_code == 303
    assert "Notifications (1)" not in (await client.get("/me")).text


async def test_profile_edit(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _signed_up(client)
    page = await client.get("/me/profile")
    assert 'value="Budi Santoso"' in page.text
    token = csrf_of(page.text)
    base = {
        "csrf_token": token,
        "full_name": "Budi S.",
        "email": "budi@example.test",
        "phone": "",
        "education_level": "D3",
        "domicile_regency_code": "12.74",
        "domicile_province": "12",
        "graduation_year": "2021",
    }
    bad = await client.post(
        "/me/profile", data={**base, "education_level": "XX", "graduation_year": "20x1"}
    )
    assert bad.status_code == 422
    assert 'id="education_level-error"' in bad.text and 'id="graduation_year-error"' in bad.text
    # Removing the phone changes how the account signs in: the password is asked for.
    unconfirmed = await client.post("/me/profile", data=base)
    assert unconfirmed.status_code == 422
    assert 'id="current_password-error"' in unconfirmed.text
    assert "Enter your current password" in unconfirmed.text
    ok = await client.post("/me/profile", data={**base, "current_password": factories.PASSWORD})
    assert ok.status_code == 303
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
        user = await session.scalar(select(User))
    assert applicant is not None and user is not None
    assert (
        applicant.education_level,
        applicant.domicile_regency_code,
        applicant.graduation_year,
    ) == ("D3", "12.74", 2021)
    assert user.full_name == "Budi S." and user.phone is None


async def test_download_data_and_delete_account(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    await _signed_up(client)
    await _upload(client, factories.pdf_bytes())
    page = await client.get(f"/fairs/bursa-uji/vacancies/{ids['open']}")
    await client.post(
        f"/fairs/bursa-uji/vacancies/{ids['open']}/apply", data={"csrf_token": csrf_of(page.text)}
    )
    data = await client.get("/me/data")
    assert data.headers["content-disposition"].startswith("attachment;")
    exported = json.loads(data.text)
    assert exported["profile"]["nik"] == factories.MAN_NIK
    assert exported["applications"][0]["vacancy"] == "Mandor Panen"
    delete_page = await client.get("/me/delete")
    wrong = await client.post(
        "/me/delete", data={"csrf_token": csrf_of(delete_page.text), "password": "nope"}
    )
    assert wrong.status_code == 422 and 'id="password-error"' in wrong.text
    done = await client.post(
        "/me/delete", data={"csrf_token": csrf_of(delete_page.text), "password": factories.PASSWORD}
    )
    assert done.status_code == 303
    assert (await client.get("/me")).status_code == 303  # signed out
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        application = await session.scalar(select(Application))
        assert application is not None  # kept for the statistics, anonymised
        applicant = await session.get(Applicant, application.applicant_id)
        assert applicant is not None and applicant.nik_hmac is None and applicant.sex == "L"


async def test_requirements_by_sex_and_experience_on_the_vacancy_page(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-uji")
        booth = await factories.booth(session, fair_row=fair)
        women = await factories.vacancy(
            session,
            booth_row=booth,
            title="Penjahit",
            openings_male=0,
            openings_female=3,
            openings_either=0,
        )
        senior = await factories.vacancy(
            session, booth_row=booth, title="Mandor Senior", experience_years=3
        )
        met = await factories.vacancy(session, booth_row=booth, title="Operator Gudang")
    await _signed_up(client)  # Budi: a man, experience not said
    page = await client.get(f"/fairs/bursa-uji/vacancies/{women.id}")
    assert "The openings of this vacancy are for women only." in page.text
    assert "Apply for this vacancy" not in page.text
    # The refusal offers the fair's vacancies he meets, with links; not the refused ones.
    assert "Vacancies in this fair that you meet" in page.text
    assert f'href="/fairs/bursa-uji/vacancies/{met.id}"' in page.text
    assert f'href="/fairs/bursa-uji/vacancies/{senior.id}"' not in page.text
    forced = await client.post(
        f"/fairs/bursa-uji/vacancies/{women.id}/apply", data={"csrf_token": csrf_of(page.text)}
    )
    assert forced.status_code == 422 and "women only" in forced.text
    assert "Operator Gudang" in forced.text
    unsaid = await client.get(f"/fairs/bursa-uji/vacancies/{senior.id}")
    assert "your profile does not say how many years you have" in unsaid.text
    # Saying it in the profile is what opens the vacancy.
    profile = await client.get("/me/profile")
    saved = await client.post(
        "/me/profile", data={"csrf_token": csrf_of(profile.text), "experience_years": "4"}
    )
    assert saved.status_code == 303
    assert (
        "Apply for this vacancy"
        in (await client.get(f"/fairs/bursa-uji/vacancies/{senior.id}")).text
    )


async def test_applying_without_a_cv_warns_before_and_after(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _signed_up(client)
    path = f"/fairs/bursa-uji/vacancies/{ids['open']}"
    page = await client.get(path)
    assert 'id="apply-warning-no_cv"' in page.text and "You have no CV on your page" in page.text
    applied = await client.post(f"{path}/apply", data={"csrf_token": csrf_of(page.text)})
    detail = await client.get(applied.headers["location"])
    assert "Your application has been sent." in detail.text
    assert 'id="apply-warning-no_cv"' in detail.text
    assert (await _upload(client, factories.pdf_bytes())).status_code == 303
    assert 'id="apply-warning-no_cv"' not in (await client.get(applied.headers["location"])).text
    sarjana = await client.get(f"/fairs/bursa-uji/vacancies/{ids['sarjana']}")
    assert 'id="apply-warning-no_cv"' not in sarjana.text  # refused: nothing to warn about


async def test_work_experience_in_the_profile(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _signed_up(client)
    home = await client.get("/me")
    assert "Work experience in years" in home.text and "Not said yet" in home.text
    page = await client.get("/me/profile")
    assert 'id="experience_years"' in page.text
    token = csrf_of(page.text)
    for bad in ("61", "-1", "2.5", "dua"):
        response = await client.post(
            "/me/profile", data={"csrf_token": token, "experience_years": bad}
        )
        assert response.status_code == 422, bad
        assert 'id="experience_years-error"' in response.text
        assert "Enter whole years from 0 to 60." in response.text
    for given, stored in (("0", 0), ("60", 60), ("", None), (" 7 ", 7)):
        ok = await client.post("/me/profile", data={"csrf_token": token, "experience_years": given})
        assert ok.status_code == 303, given
        async with ctx.read() as session:
            assert await session.scalar(select(Applicant.experience_years)) == stored
    page = await client.get("/me/profile")
    assert 'name="experience_years" type="text" value="7"' in page.text
