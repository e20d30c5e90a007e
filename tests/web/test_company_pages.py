"""The company side in the browser: registration, booth and vacancies with the
organiser's decisions, logo, screening with staged decisions, exports, team, and
company isolation."""

from __future__ import annotations

import csv
import email
import email.policy
import io
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select
from support import factories
from support.browsing import csrf_of, sign_in
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import (
    Application,
    ApplicationEvent,
    Booth,
    Company,
    Fair,
    LabourOffice,
    OfficeVerification,
    Outbox,
    User,
    Vacancy,
)
from jobfair.services import companies, exports, screening
from jobfair.worker.tasks import deliver_decisions


def _png(size: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (11, 92, 173)).save(buffer, "PNG")
    return buffer.getvalue()


COMPANY_FORM = {
    "name": "PT Sinar Asahan",
    "nib": "1234567890123",
    "npwp": "",
    "kbli": "10431",
    "employer_type": "24",
    "company_province": "12",
    "company_regency_code": "12.09",
    "contact_name": "Siti Rahma",
    "contact_phone": "0812 1111 2222",
    "email": "siti@sinar.test",
    "password": factories.PASSWORD,
}


async def _post(
    client: httpx.AsyncClient, path: str, data: dict[str, object], page: str | None = None
) -> httpx.Response:
    token = csrf_of((await client.get(page or "/password/forgot")).text)
    return await client.post(path, data={**data, "csrf_token": token})


async def _register_company(client: httpx.AsyncClient) -> None:
    """Register through the form, then sign in as the page asks next."""
    done = await _post(client, "/company/register", COMPANY_FORM, "/company/register")
    assert done.status_code == 303 and done.headers["location"].startswith("/login?")
    signed = await sign_in(client, str(COMPANY_FORM["email"]), factories.PASSWORD)
    assert signed.status_code == 303


async def test_company_registration(client: httpx.AsyncClient, ctx: AppContext) -> None:
    client.cookies.set("lang", "en")
    bad = await _post(
        client,
        "/company/register",
        {**COMPANY_FORM, "nib": "123", "kbli": "99"},
        "/company/register",
    )
    assert bad.status_code == 422
    assert 'id="nib-error"' in bad.text and 'id="kbli-error"' in bad.text
    ok = await _post(client, "/company/register", COMPANY_FORM, "/company/register")
    assert ok.status_code == 303
    assert (
        ok.headers["location"] == "/login?notice=company_registered&next=%2Fcompany%3Fwelcome%3D1"
    )
    asked = await client.get(ok.headers["location"])
    assert "Thank you for registering your company" in asked.text
    await sign_in(client, "siti@sinar.test", factories.PASSWORD)
    page = await client.get("/company?welcome=1")
    assert "PT Sinar Asahan" in page.text and "Waiting for verification" in page.text
    async with ctx.read() as session:
        company = await session.scalar(select(Company))
        assert company is not None and company.kbli_section == "C"
        # No office has decided about it yet.
        assert not await session.scalar(select(func.count()).select_from(OfficeVerification))
    client.cookies.clear()
    again = await _post(
        client,
        "/company/register",
        {**COMPANY_FORM, "email": "lain@sinar.test"},
        "/company/register",
    )
    assert again.status_code == 409 and 'id="nib-error"' in again.text
    # An address with an account already: the same answer as a new company, no second
    # company, and the address's owner is told (issue 12, item 6).
    known = await _post(
        client,
        "/company/register",
        {**COMPANY_FORM, "nib": "9120101234568", "name": "PT Lain"},
        "/company/register",
    )
    assert (known.status_code, known.headers["location"]) == (
        ok.status_code,
        ok.headers["location"],
    )
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Company)) == 1
        told = await session.scalar(
            select(func.count())
            .select_from(Outbox)
            .where(Outbox.dedupe_key.startswith("registration-attempt:"))
        )
    assert told == 1


async def test_booth_vacancy_and_organiser_decisions(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-uji")
        organiser = User(
            email="petugas@disnaker.test",
            password_hash=hash_password(factories.PASSWORD),
            role="organiser",
            full_name="Petugas",
            office_id=fair.office_id,
        )
        session.add(organiser)
    client.cookies.set("lang", "en")
    await _register_company(client)
    dashboard = await client.get("/company")
    requested = await client.post(
        "/company/booths", data={"fair": "bursa-uji", "csrf_token": csrf_of(dashboard.text)}
    )
    assert requested.status_code == 303
    booth_path = requested.headers["location"]
    booth_page = await client.get(booth_path)
    assert "Waiting for the organiser" in booth_page.text
    booth_id = int(booth_path.rsplit("/", 1)[1])
    form = await client.get(f"/company/booths/{booth_id}/vacancies/new")
    token = csrf_of(form.text)
    vacancy = {
        "title": "Operator Boiler",
        "kbji_code": "8182",
        "openings_male": "2",
        "openings_female": "0",
        "openings_either": "0",
        "education_min": "SMK",
        "age_min": "20",
        "age_max": "35",
        "experience_years": "1",
        "salary_min": "3600000",
        "salary_max": "4400000",
        "work_province": "12",
        "work_regency_code": "12.09",
        "employment_type": "pkwtt",
        "skills": "Boiler\nK3",
        "deadline": "2026-11-10",
        "csrf_token": token,
    }
    bad = await client.post(
        f"/company/booths/{booth_id}/vacancies",
        data={**vacancy, "age_min": "40", "salary_max": "100", "kbji_code": "x"},
    )
    assert bad.status_code == 422
    for field in ("age_max", "salary_max", "kbji_code"):
        assert f'id="{field}-error"' in bad.text
    created = await client.post(f"/company/booths/{booth_id}/vacancies", data=vacancy)
    assert created.status_code == 303
    async with ctx.read() as session:
        row = await session.scalar(select(Vacancy))
        assert (
            row is not None and row.verification == "pending" and row.skill_list == ["Boiler", "K3"]
        )
        vacancy_id = row.id
    assert (await client.get(f"/fairs/bursa-uji/vacancies/{vacancy_id}")).status_code == 404
    # The organiser approves the booth (verifying the company) and the vacancy.
    organiser_client = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    organiser_client.cookies.set("lang", "en")
    await sign_in(organiser_client, "petugas@disnaker.test", factories.PASSWORD)
    queue = await organiser_client.get("/organiser/fairs/bursa-uji/queue")
    assert (
        queue.status_code == 200
        and "PT Sinar Asahan" in queue.text
        and "Operator Boiler" in queue.text
    )
    token = csrf_of(queue.text)
    no_reason = await organiser_client.post(
        f"/organiser/fairs/bursa-uji/booths/{booth_id}/decision",
        data={"decision": "reject", "csrf_token": token},
    )
    assert "Say why" in (await organiser_client.get(no_reason.headers["location"])).text
    await organiser_client.post(
        f"/organiser/fairs/bursa-uji/booths/{booth_id}/decision",
        data={"decision": "approve", "csrf_token": token},
    )
    await organiser_client.post(
        f"/organiser/fairs/bursa-uji/vacancies/{vacancy_id}/decision",
        data={"decision": "approve", "csrf_token": token},
    )
    public = await client.get(f"/fairs/bursa-uji/vacancies/{vacancy_id}")
    assert public.status_code == 200 and "Operator Boiler" in public.text
    async with ctx.read() as session:
        # Approving the booth verified the company for the fair's office (only).
        company = await session.scalar(select(Company))
        decision = await session.scalar(select(OfficeVerification))
        assert company is not None and decision is not None
        assert (decision.company_id, decision.status) == (company.id, "verified")
    # Editing a verified vacancy sends it back to verification.
    edit = await client.get(f"/company/vacancies/{vacancy_id}")
    changed = await client.post(
        f"/company/vacancies/{vacancy_id}",
        data={**vacancy, "salary_max": "5000000", "csrf_token": csrf_of(edit.text)},
    )
    assert changed.status_code == 303
    assert (await client.get(f"/fairs/bursa-uji/vacancies/{vacancy_id}")).status_code == 404
    # Organisers of another office cannot decide.
    async with ctx.unit_of_work() as session:
        other_office = await factories.office(session)
        session.add(
            User(
                email="lain@disnaker.test",
                password_hash=hash_password(factories.PASSWORD),
                role="organiser",
                full_name="Lain",
                office_id=other_office.id,
            )
        )
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await sign_in(stranger, "lain@disnaker.test", factories.PASSWORD)
    assert (await stranger.get("/organiser/fairs/bursa-uji/queue")).status_code == 404


async def _company_world(ctx: AppContext) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-uji")
        company = await factories.company(session, name="PT Sawit Makmur")
        other = await factories.company(session, name="PT Lain")
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        other_booth = await factories.booth(session, fair_row=fair, company_row=other)
        vacancy = await factories.vacancy(session, booth_row=booth, title="Mandor Panen")
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        await factories.recruiter(session, company_row=other, email="hrd@b.test")
        ids = []
        for n in range(3):
            person = await factories.applicant(
                session, vault=ctx.nik_vault, skills='=HYPERLINK("http://evil")' if n == 0 else ""
            )
            user = await session.get(User, person.user_id)
            assert user is not None
            user.full_name = ["=cmd|' /C calc'!A0", "Budi", "Citra"][n]
            user.password_hash = hash_password(factories.PASSWORD)
            ids.append(
                (await factories.application(session, vacancy_row=vacancy, applicant_row=person)).id
            )
        return {
            "booth": booth.id,
            "other_booth": other_booth.id,
            "vacancy": vacancy.id,
            "first": ids[0],
            "second": ids[1],
            "third": ids[2],
            "applicant_user": person.user_id,
        }


async def test_screening_stage_release_and_undo_in_the_browser(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    ids = await _company_world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    table = await client.get("/company/applications")
    assert table.status_code == 200 and "3 applications" in table.text and "Budi" in table.text
    fragment = await client.get("/company/applications?q=budi", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "1 application" in fragment.text
    assert (
        await client.get("/company/applications?status=nope")
    ).status_code == 200  # shown, not a 500
    token = csrf_of(table.text)
    none_selected = await client.post(
        "/company/applications/status", data={"status": "reviewed", "csrf_token": token}
    )
    assert (
        "Select at least one application."
        in (await client.get(none_selected.headers["location"])).text
    )
    staged = await client.post(
        "/company/applications/status",
        data={
            "status": "shortlisted",
            "ids": [str(ids["first"]), str(ids["second"])],
            "csrf_token": token,
        },
    )
    assert staged.status_code == 303
    page = await client.get(staged.headers["location"])
    assert "2 staged" in page.text and "Send decisions" in page.text
    # "All N matching" asks first, naming who it touches; nothing is staged until then.
    everything = {"status": "rejected", "all_matching": "1", "f_q": "citra"}
    asked = await client.post(
        "/company/applications/status", data={**everything, "csrf_token": token}
    )
    assert asked.status_code == 200 and "Confirm the change" in asked.text
    assert "Citra" in asked.text and "Budi" not in asked.text
    assert "1 application will be staged as “Not selected”" in asked.text
    assert 'name="confirmed" value="1"' in asked.text and 'name="f_q" value="citra"' in asked.text
    assert "2 decisions are staged" in (await client.get("/company/applications")).text
    everyone = await client.post(
        "/company/applications/status",
        data={**everything, "confirmed": "1", "csrf_token": token},
    )
    assert "1 staged" in (await client.get(everyone.headers["location"])).text
    await client.post("/company/decisions/release", data={"csrf_token": token})
    undo_page = await client.get("/company/applications")
    assert "Undo" in undo_page.text
    await client.post("/company/decisions/undo", data={"csrf_token": token})
    await client.post("/company/decisions/release", data={"csrf_token": token})
    clock.advance(screening.UNDO_WINDOW + timedelta(seconds=1))
    assert await deliver_decisions(ctx) == 3
    detail = await client.get(f"/company/applications/{ids['first']}")
    assert detail.status_code == 200 and "Shortlisted" in detail.text
    noted = await client.post(
        f"/company/applications/{ids['first']}/notes",
        data={"note": "Pengalaman bagus", "csrf_token": token},
    )
    assert noted.status_code == 303
    await client.post(
        f"/company/applications/{ids['first']}/notes", data={"rating": "4", "csrf_token": token}
    )
    detail = await client.get(f"/company/applications/{ids['first']}")
    assert "Pengalaman bagus" in detail.text and 'value="4" selected' in detail.text


async def test_a_staged_draft_can_be_discarded_and_a_hire_is_confirmed_first(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _company_world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    token = csrf_of((await client.get("/company/applications")).text)
    first = str(ids["first"])
    # A hire is not staged until confirmed on a page that names the applicant.
    asked = await client.post(
        "/company/applications/status",
        data={"status": "hired", "ids": [first], "csrf_token": token},
    )
    assert asked.status_code == 200 and "Confirm the change" in asked.text
    async with ctx.read() as session:
        assert (await session.get(Application, ids["first"])).status == "submitted"
    await client.post(
        "/company/applications/status",
        data={"status": "reviewed", "ids": [first], "csrf_token": token},
    )
    table = await client.get("/company/applications")
    assert "not sent" in table.text and f'name="discard" value="{first}"' in table.text
    discarded = await client.post(
        "/company/applications/discard",
        data={"discard": first, "csrf_token": token, "back": "/company/applications?pending=1"},
    )
    assert discarded.status_code == 303
    assert discarded.headers["location"].startswith("/company/applications?pending=1&notice=")
    async with ctx.read() as session:
        application = await session.get(Application, ids["first"])
        assert (application.status, application.released_status) == ("submitted", "submitted")
        drafts = await session.scalar(
            select(func.count())
            .select_from(ApplicationEvent)
            .where(ApplicationEvent.application_id == ids["first"])
        )
        assert drafts == 0
    # Discard every draft of the company at once.
    await client.post(
        "/company/applications/status",
        data={"status": "shortlisted", "ids": [first, str(ids["second"])], "csrf_token": token},
    )
    await client.post("/company/applications/discard", data={"all": "1", "csrf_token": token})
    assert "staged and not yet sent" not in (await client.get("/company/applications")).text
    nothing = await client.post("/company/applications/discard", data={"csrf_token": token})
    assert nothing.status_code == 303


async def test_exports_inline_and_as_a_task(
    client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _company_world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    as_csv = await client.get("/company/exports?format=csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-disposition"].startswith(
        "attachment"
    )
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    # A name that looks like a formula is written as text.
    assert any(cell.startswith("'=cmd") for cell in rows[1] + rows[2] + rows[3])
    as_xlsx = await client.get("/company/exports?format=xlsx&q=budi")
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.active.max_row == 2
    assert (await client.get("/company/exports?format=pdf")).status_code == 422
    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    queued = await client.get("/company/exports?format=csv")
    assert queued.status_code == 303
    job_path = queued.headers["location"]
    await ctx.tasks.drain()
    progress = await client.get(job_path)
    assert "Download" in progress.text
    download = await client.get(f"{job_path}/download")
    assert download.status_code == 200
    assert len(list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))) == 4
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    await sign_in(other, "hrd@b.test", factories.PASSWORD)
    assert (await other.get(job_path)).status_code == 404
    assert (await other.get(f"{job_path}/download")).status_code == 404


async def test_company_b_sees_none_of_company_a(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _company_world(ctx)
    await sign_in(client, "hrd@b.test", factories.PASSWORD)
    token = csrf_of((await client.get("/company")).text)
    for path in (
        f"/company/booths/{ids['booth']}",
        f"/company/booths/{ids['booth']}/vacancies/new",
        f"/company/vacancies/{ids['vacancy']}",
        f"/company/applications/{ids['first']}",
        f"/company/applications/{ids['first']}/cv",
    ):
        assert (await client.get(path)).status_code == 404, path
    for path, data in (
        (f"/company/booths/{ids['booth']}", {"description": "x"}),
        (f"/company/vacancies/{ids['vacancy']}/close", {}),
        (f"/company/applications/{ids['first']}/notes", {"note": "x"}),
    ):
        assert (await client.post(path, data={**data, "csrf_token": token})).status_code == 404, (
            path
        )
    staged = await client.post(
        "/company/applications/status",
        data={"status": "rejected", "ids": [str(ids["first"])], "csrf_token": token},
    )
    assert staged.status_code == 404
    async with ctx.read() as session:
        from jobfair.models import Application

        assert (await session.get(Application, ids["first"])).status == "submitted"  # type: ignore[union-attr]
    listed = await client.get("/company/applications")
    assert "0 applications" in listed.text or "0 lamaran" in listed.text


async def test_logo_upload(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _company_world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    page = await client.get(f"/company/booths/{ids['booth']}")
    token = csrf_of(page.text)

    async def upload(content: bytes, name: str = "logo.png") -> httpx.Response:
        return await client.post(
            f"/company/booths/{ids['booth']}/logo",
            data={"csrf_token": token},
            files={"logo": (name, content, "image/png")},
        )

    assert (await upload(b"not an image at all")).status_code == 415
    assert (await upload(b"GIF89a" + b"\x00" * 40)).status_code == 415
    too_big = await upload(b"\x89PNG" + b"\x00" * (1024 * 1024 + 10))
    assert too_big.status_code == 413 and "larger than 1 MB" in too_big.text
    assert (await upload(_png())).status_code == 303
    async with ctx.read() as session:
        booth = await session.get(Booth, ids["booth"])
        assert booth is not None and booth.pending_changes is not None
        waiting = booth.pending_changes["logo_file"]
        assert waiting and waiting.endswith(".png") and booth.logo_file is None
    # The booth is on show: the new logo waits for the office before the public sees it.
    assert f"/media/logos/{waiting}" not in (await client.get("/fairs/bursa-uji")).text
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, booth.fair_id)
        assert fair is not None
        office = await session.get(LabourOffice, fair.office_id)
        organiser = await factories.organiser(session, office_row=office)
        await companies.decide_booth_changes(session, organiser, booth.id, True, None, ctx.now())
    async with ctx.read() as session:
        booth = await session.get(Booth, ids["booth"])
        assert booth is not None and booth.logo_file == waiting
    fair_page = await client.get("/fairs/bursa-uji")
    assert (
        f"/media/logos/{booth.logo_file}" in fair_page.text and 'loading="lazy"' in fair_page.text
    )
    image = await client.get(f"/media/logos/{booth.logo_file}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert (await client.get("/media/logos/../../secret.png")).status_code == 404


async def test_invite_a_recruiter(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _company_world(ctx)
    client.cookies.set("lang", "en")
    await sign_in(client, "hrd@a.test", factories.PASSWORD)
    team = await client.get("/company/team")
    token = csrf_of(team.text)
    taken = await client.post(
        "/company/team/invite", data={"email": "hrd@b.test", "csrf_token": token}
    )
    assert taken.status_code == 409
    sent = await client.post(
        "/company/team/invite", data={"email": "rina@sawit.test", "csrf_token": token}
    )
    assert sent.status_code == 303
    await ctx.tasks.drain()
    [mail_file] = sorted(ctx.settings.mail_dir.glob("*.eml"))
    body = (
        email.message_from_bytes(mail_file.read_bytes(), policy=email.policy.default)
        .get_body()
        .get_content()
    )  # type: ignore[union-attr]
    link = next(line for line in body.splitlines() if "/company/join?token=" in line)
    path = link[link.index("/company/join") :].strip()
    newcomer = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    # The mailed link moves its token into a cookie and lands on the clean URL.
    moved = await newcomer.get(path)
    assert moved.status_code == 303 and moved.headers["location"] == "/company/join"
    assert "token" not in moved.headers["location"]
    join = await newcomer.get("/company/join")
    assert join.status_code == 200 and "PT Sawit Makmur" in join.text
    assert path.split("token=", 1)[1] not in join.text  # not even in a hidden field
    joined = await newcomer.post(
        "/company/join",
        data={
            "full_name": "Rina",
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(join.text),
        },
    )
    assert joined.status_code == 303
    assert "jobfair_join" not in newcomer.cookies  # forgotten once used
    assert (await newcomer.get("/company/applications")).status_code == 200
    await newcomer.get(path)
    assert (await newcomer.get("/company/join")).status_code == 404  # used once


async def test_applicant_confirms_the_hire_on_the_page(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    ids = await _company_world(ctx)
    async with ctx.read() as session:
        recruiter = await session.scalar(select(User).where(User.email == "hrd@a.test"))
        assert recruiter is not None
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, recruiter, "hired", ctx.now(), application_ids=[ids["third"]]
        )
        await screening.release(session, recruiter, ctx.now())
    clock.advance(screening.UNDO_WINDOW)
    await deliver_decisions(ctx)
    async with ctx.read() as session:
        user = await session.get(User, ids["applicant_user"])
        assert user is not None and user.email
    client.cookies.set("lang", "en")
    await sign_in(client, user.email, factories.PASSWORD)
    page = await client.get(f"/me/applications/{ids['third']}")
    assert "Hired" in page.text and "Yes, I was hired" in page.text
    answered = await client.post(
        f"/me/applications/{ids['third']}/placement",
        data={"confirm": "1", "csrf_token": csrf_of(page.text)},
    )
    assert answered.status_code == 303
    assert "You confirmed this hire." in (await client.get(f"/me/applications/{ids['third']}")).text


async def test_a_vacancy_abroad_on_the_form(client: httpx.AsyncClient, ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        recruiter = await factories.recruiter(session, company_row=company)
        booth_id, email = booth.id, recruiter.email
    client.cookies.set("lang", "en")
    await sign_in(client, email, factories.PASSWORD)
    form = await client.get(f"/company/booths/{booth_id}/vacancies/new")
    assert 'name="work_place" value="home" checked' in form.text
    assert '<label for="work_country">Country, for work abroad</label>' in form.text
    vacancy = {
        "title": "Tukang Las",
        "kbji_code": "7212",
        "openings_either": "3",
        "education_min": "SMK",
        "employment_type": "pkwt",
        "work_place": "abroad",
        "work_province": "12",
        "work_regency_code": "12.09",
        "csrf_token": csrf_of(form.text),
    }
    # Abroad without a country: the country control carries the error.
    bad = await client.post(f"/company/booths/{booth_id}/vacancies", data=vacancy)
    assert bad.status_code == 422
    assert 'id="work_country-error"' in bad.text and 'id="work_regency_code-error"' not in bad.text
    assert 'href="#work_country"' in bad.text
    saved = await client.post(
        f"/company/booths/{booth_id}/vacancies", data={**vacancy, "work_country": "TW"}
    )
    assert saved.status_code == 303
    async with ctx.read() as session:
        row = await session.scalar(select(Vacancy).where(Vacancy.booth_id == booth_id))
        assert row is not None and row.work_regency_code == "TW"
        vacancy_id = row.id
    # Editing shows the choice made; going home again takes the regency.
    edit = await client.get(f"/company/vacancies/{vacancy_id}")
    assert 'name="work_place" value="abroad" checked' in edit.text
    assert '<option value="TW" selected>Taiwan</option>' in edit.text
    home = await client.post(
        f"/company/vacancies/{vacancy_id}",
        data={
            **vacancy,
            "work_place": "home",
            "work_country": "TW",
            "csrf_token": csrf_of(edit.text),
        },
    )
    assert home.status_code == 303
    async with ctx.read() as session:
        row = await session.get(Vacancy, vacancy_id)
        assert row is not None and row.work_regency_code == "12.09"


async def test_the_occupation_is_chosen_by_name(client: httpx.AsyncClient, ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        recruiter = await factories.recruiter(session, company_row=company)
        booth_id, email = booth.id, recruiter.email
    client.cookies.set("lang", "en")
    await sign_in(client, email, factories.PASSWORD)
    form = await client.get(f"/company/booths/{booth_id}/vacancies/new")
    # The list of KBJI groups by name, as a datalist the field uses (no script needed).
    field = form.text.split('<input id="kbji_code"')[1].split(">")[0]
    assert 'list="kbji-groups"' in field and 'inputmode="numeric"' not in field
    assert '<option value="81">81 · Stationary plant and machine operators</option>' in form.text
    assert '<option value="9">9 · Elementary occupations</option>' in form.text
    assert "js/kbji.js" in form.text
    vacancy = {
        "title": "Operator Mesin",
        "openings_either": "3",
        "education_min": "SMK",
        "employment_type": "pkwt",
        "work_province": "12",
        "work_regency_code": "12.09",
        "csrf_token": csrf_of(form.text),
    }
    path = f"/company/booths/{booth_id}/vacancies"
    for typed in ("operator", "9999999", "81a", "<b>81</b>"):
        bad = await client.post(path, data={**vacancy, "kbji_code": typed})
        assert bad.status_code == 422, typed
        assert 'id="kbji_code-error"' in bad.text
        assert "Choose the occupation from the list" in bad.text
        assert (
            'aria-invalid="true" aria-describedby="kbji_code-hint kbji_code-name kbji_code-error"'
            in bad.text
        )
    assert "&lt;b&gt;81&lt;/b&gt;" in bad.text  # kept as typed, escaped
    # A group's whole name (when no option was picked) is its code.
    saved = await client.post(path, data={**vacancy, "kbji_code": "Assemblers"})
    assert saved.status_code == 303
    async with ctx.read() as session:
        row = await session.scalar(select(Vacancy).where(Vacancy.booth_id == booth_id))
        assert row is not None and row.kbji_code == "82"
        vacancy_id = row.id
    edit = await client.get(f"/company/vacancies/{vacancy_id}")
    assert 'value="82"' in edit.text and "Occupation: Assemblers" in edit.text
    # A precise code is kept and named by its group, in Indonesian too.
    precise = await client.post(
        f"/company/vacancies/{vacancy_id}",
        data={**vacancy, "kbji_code": "8160", "csrf_token": csrf_of(edit.text)},
    )
    assert precise.status_code == 303
    edit = await client.get(f"/company/vacancies/{vacancy_id}?lang=id")
    assert "Jabatan: Operator mesin dan instalasi tetap (KBJI 8160)" in edit.text
