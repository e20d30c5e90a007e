"""The applicant's JSON API: tokens, registration, profile, CV, applying, following,
data rights — every bad input answered with a 4xx JSON error."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from support import factories
from support.api_contract import conforms
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import Applicant, Application, ApplicationEvent, Cv, Fair, User
from jobfair.models.applications import ApplicationStatus
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import VacancyVerification
from jobfair.schemas.accounts import MyData


async def _register(client: httpx.AsyncClient, **changes: Any) -> httpx.Response:
    return await client.post("/api/v1/applicants", json=factories.registration(**changes))


async def _token(client: httpx.AsyncClient, email: str = "budi@example.test") -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _fair(ctx: AppContext, **fair_changes: Any) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-uji", **fair_changes)
        booth = await factories.booth(session, fair_row=fair)
        ids = {"fair": fair.id}
        for name, changes in {
            "open": {},
            "second": {},
            "third": {},
            "unverified": {"verification": VacancyVerification.PENDING},
            "closed": {"status": "closed"},
            "sarjana": {"education_min": "S1"},
            "young": {"age_min": 18, "age_max": 24},
            "women": {"openings_male": 0, "openings_female": 2, "openings_either": 0},
            "senior": {"experience_years": 2},
        }.items():
            vacancy = await factories.vacancy(session, booth_row=booth, **changes)
            ids[name] = vacancy.id
    return ids


async def test_register_then_sign_in_with_a_token(client: httpx.AsyncClient) -> None:
    response = await _register(client)
    assert response.status_code == 201
    # The same answer for new and registered details: sign in next.
    assert response.json() == {"status": "received", "sign_in": "/api/v1/tokens"}
    headers = await _token(client)
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    body = me.json()
    assert body["nik"] == "1209••••••••0001"  # masked in every answer
    assert body["sex"] == "L" and body["birth_date"] == "1999-08-15"
    assert me.json()["full_name"] == "Budi Santoso" and factories.MAN_NIK not in me.text
    by_phone = await client.post(
        "/api/v1/tokens", json={"phone": "081234567890", "password": factories.PASSWORD}
    )
    assert by_phone.status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nik": "1209011508990"}, "nik"),
        ({"nik": "120901150899000x"}, "nik"),
        ({"nik": 1209011508990001}, "nik"),
        ({"sex": "P"}, "sex"),
        ({"sex": "X"}, "sex"),
        ({"birth_date": "1999-08-16"}, "birth_date"),
        ({"birth_date": None}, "birth_date"),
        ({"education_level": "SMU"}, "education_level"),
        ({"ktp_regency_code": "32.99"}, "ktp_regency_code"),
        ({"domicile_regency_code": ["12.09"]}, "domicile_regency_code"),
        ({"consent": False}, "consent"),
        ({"consent": "no"}, "consent"),
        ({"password": "1234567"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"full_name": "B" * 201}, "full_name"),
        ({"institution": "U" * 201}, "institution"),
        ({"disability": "telepathy"}, "disability"),
        ({"disability": {"kind": "physical"}}, "disability"),
        ({"ak1_number": "12"}, "ak1_number"),
    ],
)
async def test_registration_errors_name_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    response = await _register(client, **change)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"] and error["fields"][field]


async def test_registration_bodies_that_are_not_objects(client: httpx.AsyncClient) -> None:
    for content in (b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"):
        response = await client.post(
            "/api/v1/applicants", content=content, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
    huge = await client.post(
        "/api/v1/applicants",
        content=b'{"full_name": "' + b"x" * 70_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "payload_too_large"


async def test_duplicate_and_concurrent_registration(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    first, second = await asyncio.gather(
        _register(client), _register(client, email="lain@example.test", phone="")
    )
    # Racing or not, both get the new account's answer; one account is made.
    assert [first.status_code, second.status_code] == [201, 201]
    assert first.json() == second.json()
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Applicant)) == 1


async def test_tokens_wrong_password_and_revocation(client: httpx.AsyncClient) -> None:
    await _register(client)
    wrong = await client.post(
        "/api/v1/tokens", json={"email": "budi@example.test", "password": "wrong-one"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    bad_type = await client.post("/api/v1/tokens", json={"email": ["x"], "password": 1})
    assert bad_type.status_code == 422
    created = await client.post(
        "/api/v1/tokens", json={"email": "budi@example.test", "password": factories.PASSWORD}
    )
    token = created.json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (
        await client.delete(f"/api/v1/tokens/{token['id']}", headers=headers)
    ).status_code == 204
    revoked = await client.get("/api/v1/me", headers=headers)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthorized"
    assert (await client.get("/api/v1/me")).status_code == 401
    garbage = await client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert garbage.status_code == 401


async def test_a_browser_session_cookie_gives_the_api_no_authority(
    client: httpx.AsyncClient,
) -> None:
    from support.browsing import register_and_sign_in

    await register_and_sign_in(client, factories.registration())
    assert (await client.get("/me")).status_code == 200
    # The same browser, cookie attached: the API still wants a bearer token.
    assert (await client.get("/api/v1/me")).status_code == 401
    assert (await client.post("/api/v1/vacancies/1/applications")).status_code == 401


async def test_cv_upload_checks_and_download(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await _register(client)
    headers = await _token(client)
    pdf = factories.pdf_bytes(pages=2)
    ok = await client.put(
        "/api/v1/me/cv",
        content=pdf,
        headers={**headers, "content-type": "application/pdf", "x-filename": "cv budi.pdf"},
    )
    assert ok.status_code == 201 and ok.json()["size_bytes"] == len(pdf)
    download = await client.get("/api/v1/me/cv", headers=headers)
    assert download.status_code == 200 and download.content == pdf
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    cases = [
        (b"", "application/pdf", 422),
        (b"GIF89a" + b"\x00" * 100, "application/pdf", 415),  # a picture named as a PDF
        (b"%PDF-1.7\nthis is not really a pdf", "application/pdf", 422),
        (factories.pdf_bytes(padding=2 * 1024 * 1024), "application/pdf", 413),
        (pdf, "image/png", 415),
    ]
    for content, content_type, status in cases:
        response = await client.put(
            "/api/v1/me/cv", content=content, headers={**headers, "content-type": content_type}
        )
        assert response.status_code == status, (content[:10], response.text)
        assert response.json()["error"]["fields"]["file"]
    multipart = await client.put(
        "/api/v1/me/cv",
        files={"file": ("cv.pdf", factories.pdf_bytes(), "application/pdf")},
        headers=headers,
    )
    assert multipart.status_code == 201
    fake = await client.put(
        "/api/v1/me/cv",
        files={"file": ("cv.pdf", b"MZ\x90\x00 executable", "application/pdf")},
        headers=headers,
    )
    assert fake.status_code == 415
    async with ctx.read() as session:
        # Only the current CV is kept, under a random name outside static/.
        cvs = list(await session.scalars(select(Cv)))
    assert len(cvs) == 1 and cvs[0].storage_name.endswith(".pdf")
    stored = list((ctx.settings.uploads_dir / "cv").iterdir())
    assert [path.name for path in stored] == [cvs[0].storage_name]
    assert "static" not in str(stored[0])


async def test_apply_and_follow(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    applied = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert applied.status_code == 201
    application = applied.json()
    assert application["status"] == "submitted" and application["can_withdraw"]
    again = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert again.status_code == 409
    mine = await client.get("/api/v1/me/applications", headers=headers)
    assert [a["id"] for a in mine.json()["applications"]] == [application["id"]]
    # A staged (unreleased) decision is invisible to the applicant.
    async with ctx.unit_of_work() as session:
        row = await session.get(Application, application["id"])
        assert row is not None
        row.status = ApplicationStatus.SHORTLISTED
        session.add(
            ApplicationEvent(
                application_id=row.id,
                from_status="submitted",
                to_status="shortlisted",
                created_at=ctx.now(),
            )
        )
    one = await client.get(f"/api/v1/me/applications/{application['id']}", headers=headers)
    assert one.json()["status"] == "submitted"
    assert [entry["status"] for entry in one.json()["timeline"]] == ["submitted"]
    withdrawn = await client.post(
        f"/api/v1/me/applications/{application['id']}/withdraw", headers=headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (
        await client.post(f"/api/v1/me/applications/{application['id']}/withdraw", headers=headers)
    ).status_code == 409
    one = await client.get(f"/api/v1/me/applications/{application['id']}", headers=headers)
    assert [e["status"] for e in one.json()["timeline"]] == ["submitted", "withdrawn"]


async def test_apply_refusals(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)

    async def apply(vacancy_id: int) -> httpx.Response:
        return await client.post(f"/api/v1/vacancies/{vacancy_id}/applications", headers=headers)

    assert (await apply(ids["unverified"])).status_code == 404
    assert (await apply(999_999)).status_code == 404
    closed = await apply(ids["closed"])
    assert closed.status_code == 409
    education = await apply(ids["sarjana"])
    assert education.status_code == 422
    assert "S1" in education.text or "Sarjana" in education.text
    age = await apply(ids["young"])  # Budi is 27 on the test clock
    assert age.status_code == 422 and "27" in age.json()["error"]["message"]
    # Openings by sex and experience refuse the same way, with the same shape.
    for name, fragment in (("women", "perempuan"), ("senior", "pengalaman kerja")):
        refused = await apply(ids[name])
        assert refused.status_code == 422, name
        error = refused.json()["error"]
        assert error["code"] == "validation_failed" and fragment in error["message"]
        assert error["fields"] == {"requirements": error["message"]}


async def test_apply_warns_without_a_cv(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    first = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert first.status_code == 201
    conforms(first, "POST", "/api/v1/vacancies/{vacancy_id}/applications")
    body = first.json()
    assert [w["code"] for w in body["warnings"]] == ["no_cv"]
    assert "belum mengunggah CV" in body["warnings"][0]["message"]  # Indonesian by default
    cv = await client.put(
        "/api/v1/me/cv",
        content=factories.pdf_bytes(),
        headers={**headers, "Content-Type": "application/pdf"},
    )
    assert cv.status_code == 201
    second = await client.post(f"/api/v1/vacancies/{ids['second']}/applications", headers=headers)
    assert second.status_code == 201 and second.json()["warnings"] == []


async def test_per_fair_cap_and_closed_fair(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    ids = await _fair(ctx, application_cap=2)
    await _register(client)
    headers = await _token(client)

    async def apply(vacancy_id: int) -> httpx.Response:
        return await client.post(f"/api/v1/vacancies/{vacancy_id}/applications", headers=headers)

    first = await apply(ids["open"])
    assert first.status_code == 201
    assert (await apply(ids["second"])).status_code == 201
    capped = await apply(ids["third"])
    assert capped.status_code == 409 and "2" in capped.json()["error"]["message"]
    # Withdrawing frees a place under the cap.
    await client.post(f"/api/v1/me/applications/{first.json()['id']}/withdraw", headers=headers)
    assert (await apply(ids["third"])).status_code == 201
    clock.advance(timedelta(days=30))
    late = await apply(ids["young"])
    assert late.status_code == 409 and late.json()["error"]["code"] == "conflict"


async def test_concurrent_applies_create_exactly_one(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    responses = await asyncio.gather(
        *[
            client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
            for _ in range(5)
        ]
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 1


async def test_concurrent_applies_respect_the_cap(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx, application_cap=1)
    await _register(client)
    headers = await _token(client)
    responses = await asyncio.gather(
        *[
            client.post(f"/api/v1/vacancies/{ids[name]}/applications", headers=headers)
            for name in ("open", "second", "third")
        ]
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409]


async def test_another_accounts_application_is_404(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _register(client)
    budi = await _token(client)
    application = (
        await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=budi)
    ).json()
    await _register(
        client,
        nik=factories.WOMAN_NIK,
        sex="P",
        birth_date="2003-08-15",
        email="ani@example.test",
        phone="",
    )
    ani = await _token(client, "ani@example.test")
    for method, path in (
        ("GET", f"/api/v1/me/applications/{application['id']}"),
        ("POST", f"/api/v1/me/applications/{application['id']}/withdraw"),
    ):
        response = await client.request(method, path, headers=ani)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (await client.get("/api/v1/me/applications", headers=ani)).json()["applications"] == []


async def test_recruiter_tokens_cannot_apply(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    from jobfair.services import accounts

    async with ctx.unit_of_work() as session:
        await accounts.create_user(
            session,
            role="organiser",
            email="org@example.test",
            password=factories.new_password(),
            full_name="Petugas",
            office_slug=(await session.get(Fair, ids["fair"])).office.slug,  # type: ignore[union-attr]
        )
    headers = await _token(client, "org@example.test")
    response = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert response.status_code == 403
    assert (await client.get("/api/v1/me", headers=headers)).json()["role"] == "organiser"


async def test_data_export_and_account_deletion(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    await client.put(
        "/api/v1/me/cv",
        content=factories.pdf_bytes(),
        headers={**headers, "content-type": "application/pdf"},
    )
    await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    data = (await client.get("/api/v1/me/data", headers=headers)).json()
    assert data["profile"]["nik"] == factories.MAN_NIK  # the owner gets the whole NIK
    assert data["cv"]["size_bytes"] > 0 and len(data["applications"]) == 1
    wrong = await client.request(
        "DELETE", "/api/v1/me", json={"password": "nope-nope"}, headers=headers
    )
    assert wrong.status_code == 422
    deleted = await client.request(
        "DELETE", "/api/v1/me", json={"password": factories.PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        applicant = await session.scalar(select(Applicant))
        assert applicant is not None and applicant.anonymised_at is not None
        assert applicant.nik_ciphertext is None and applicant.user_id is None
        assert await session.scalar(select(func.count()).select_from(Application)) == 1
        assert await session.scalar(select(func.count()).select_from(Cv)) == 0
    assert list((ctx.settings.uploads_dir / "cv").iterdir()) == []
    # The same NIK can register afresh: nothing identifying was kept.
    assert (await _register(client)).status_code == 201


async def test_the_data_export_holds_what_recruiters_wrote(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """UU PDP right of access: the recruiters' notes and rating of the applicant, the
    decision notes and the CV views are in the export (notes and ratings were not)."""
    from jobfair.models import Booth, Company
    from jobfair.services import screening

    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    applied = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert applied.status_code == 201
    async with ctx.unit_of_work() as session:
        application = await session.scalar(select(Application))
        assert application is not None
        booth = await session.get(Booth, application.booth_id)
        assert booth is not None
        company = await session.get(Company, booth.company_id)
        assert company is not None
        recruiter = await factories.recruiter(session, company_row=company)
        await screening.add_note(
            session, recruiter, application.id, "Kuat di Excel, tanya gaji", ctx.now()
        )
        await screening.set_rating(session, recruiter, application.id, 4)
    data = (await client.get("/api/v1/me/data", headers=headers)).json()
    exported = data["applications"][0]
    assert exported["rating"] == 4
    assert [note["body"] for note in exported["recruiter_notes"]] == ["Kuat di Excel, tanya gaji"]
    assert "cv_views" in data


async def test_answers_match_the_openapi_document(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    conforms(await _register(client), "POST", "/api/v1/applicants")
    conforms(await _register(client), "POST", "/api/v1/applicants")  # registered already
    conforms(await _register(client, nik="x"), "POST", "/api/v1/applicants")  # 422
    token = await client.post(
        "/api/v1/tokens", json={"email": "budi@example.test", "password": factories.PASSWORD}
    )
    conforms(token, "POST", "/api/v1/tokens")
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    apply = "/api/v1/vacancies/{vacancy_id}/applications"
    applied = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    conforms(applied, "POST", apply)
    application_id = applied.json()["id"]
    cv = await client.put(
        "/api/v1/me/cv",
        content=factories.pdf_bytes(),
        headers={**headers, "content-type": "application/pdf"},
    )
    conforms(cv, "PUT", "/api/v1/me/cv")
    me = conforms(await client.get("/api/v1/me", headers=headers), "GET", "/api/v1/me")
    assert me.root.cv is not None
    patched = await client.patch("/api/v1/me", json={"skills": "Excel"}, headers=headers)
    conforms(patched, "PATCH", "/api/v1/me")
    for path, concrete in (
        ("/api/v1/me/applications", "/api/v1/me/applications"),
        ("/api/v1/me/applications/{application_id}", f"/api/v1/me/applications/{application_id}"),
        ("/api/v1/me/applications/{application_id}", "/api/v1/me/applications/999999"),
        ("/api/v1/me/notifications", "/api/v1/me/notifications"),
        ("/api/v1/me/data", "/api/v1/me/data"),
    ):
        conforms(await client.get(concrete, headers=headers), "GET", path)
    withdrawn = await client.post(
        f"/api/v1/me/applications/{application_id}/withdraw", headers=headers
    )
    conforms(withdrawn, "POST", "/api/v1/me/applications/{application_id}/withdraw")
    error = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    conforms(error, "POST", apply)
    conforms(await client.get("/api/v1/me"), "GET", "/api/v1/me")  # 401


async def test_the_data_export_is_the_documented_shape(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx)
    await _register(client)
    headers = await _token(client)
    await client.put(
        "/api/v1/me/cv",
        content=factories.pdf_bytes(),
        headers={**headers, "content-type": "application/pdf"},
    )
    await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    response = await client.get("/api/v1/me/data", headers=headers)
    data = MyData.model_validate_json(response.content, strict=True)
    assert data.cv is not None and len(data.applications) == 1
    assert data.applications[0].timeline[0].status == "submitted"
    assert response.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"email": ["x"], "password": 1}, {"email", "password"}),
        ({"email": "budi@example.test"}, {"password"}),
        ({"phone": 81234567890, "password": "x"}, {"phone"}),
        ({"email": "budi@example.test", "password": "x", "name": 5}, {"name"}),
    ],
)
async def test_token_bodies_that_do_not_fit(
    client: httpx.AsyncClient, body: dict[str, Any], fields: set[str]
) -> None:
    response = await client.post("/api/v1/tokens", json=body)
    assert response.status_code == 422
    error = conforms(response, "POST", "/api/v1/tokens").error
    assert error.code == "validation_failed" and set(error.fields) == fields
    assert all(error.fields.values())


async def test_field_messages_are_in_the_requests_language(client: httpx.AsyncClient) -> None:
    body = {"email": ["x"], "password": "x"}
    indonesian = (await client.post("/api/v1/tokens", json=body)).json()["error"]
    assert indonesian["fields"]["email"] == "Masukkan alamat email yang valid."
    english = await client.post("/api/v1/tokens?lang=en", json=body)
    assert english.json()["error"]["fields"]["email"] == "Enter a valid e-mail address."


async def test_account_deletion_body_must_fit(client: httpx.AsyncClient) -> None:
    await _register(client)
    headers = await _token(client)
    response = await client.request(
        "DELETE", "/api/v1/me", json={"password": ["x"]}, headers=headers
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"password"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200


async def test_draft_fair_vacancies_do_not_exist(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    ids = await _fair(ctx, status=FairStatus.DRAFT)
    await _register(client)
    headers = await _token(client)
    response = await client.post(f"/api/v1/vacancies/{ids['open']}/applications", headers=headers)
    assert response.status_code == 404


async def test_profile_update_by_api(client: httpx.AsyncClient) -> None:
    await _register(client)
    headers = await _token(client)
    changed = await client.patch(
        "/api/v1/me",
        json={"education_level": "D3", "domicile_regency_code": "12.74", "graduation_year": 2021},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["education_level"], body["domicile_regency_code"]) == ("D3", "12.74")
    assert body["graduation_year"] == 2021 and body["full_name"] == "Budi Santoso"
    assert body["experience_years"] is None  # not said at registration
    years = await client.patch("/api/v1/me", json={"experience_years": 4}, headers=headers)
    assert years.status_code == 200 and years.json()["experience_years"] == 4
    for bad_years in (61, -1, "4", 2.5, True):
        refused = await client.patch(
            "/api/v1/me", json={"experience_years": bad_years}, headers=headers
        )
        assert refused.status_code == 422, bad_years
        assert set(refused.json()["error"]["fields"]) == {"experience_years"}
    bad = await client.patch(
        "/api/v1/me",
        json={
            "education_level": "PhD",
            "phone": "abc",
        },
        headers=headers,
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"education_level", "phone"}
    # Removing both ways to sign in is refused.
    none_left = await client.patch("/api/v1/me", json={"email": "", "phone": ""}, headers=headers)
    assert none_left.status_code == 422 and "email" in none_left.json()["error"]["fields"]
    # NIK, sex and birth date cannot be changed (they are ignored, not applied).
    await client.patch("/api/v1/me", json={"sex": "P", "nik": factories.WOMAN_NIK}, headers=headers)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["sex"] == "L" and me["nik"].endswith("0001")


async def test_registration_and_applying_are_rate_limited(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    # Per identity: the sixth registration naming one NIK in an hour is refused.
    statuses = [
        (await _register(client, email=f"coba{n}@example.test", phone="")).status_code
        for n in range(6)
    ]
    assert statuses == [201] * 5 + [429]
    refused = await _register(client, email="lagi@example.test", phone="")
    assert refused.json()["error"]["code"] == "too_many_requests"
    ids = await _fair(ctx)
    async with ctx.unit_of_work() as session:
        applicant = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, applicant.user_id)
        assert user is not None
        user.password_hash = hash_password(factories.PASSWORD)
        email = user.email
    headers = await _token(client, email or "")
    answers = [
        (
            await client.post(
                f"/api/v1/vacancies/{ids['unverified']}/applications", headers=headers
            )
        ).status_code
        for _ in range(31)
    ]
    assert answers[:30] == [404] * 30 and answers[30] == 429


async def test_the_occupation_sought_and_the_interchange_consent_over_the_api(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    registered = await _register(client, interchange_consent=True, sought_kbji_code="8160")
    assert registered.status_code == 201, registered.text
    headers = await _token(client)
    me = await client.get("/api/v1/me", headers=headers)
    conforms(me, "GET", "/api/v1/me")
    body = me.json()
    assert body["sought_kbji_code"] == "8160"
    assert body["interchange_consent_at"] is not None
    withdrawn = await client.patch(
        "/api/v1/me", json={"interchange_consent": False, "sought_kbji_code": "9"}, headers=headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    conforms(withdrawn, "PATCH", "/api/v1/me")
    assert withdrawn.json()["interchange_consent_at"] is None
    assert withdrawn.json()["sought_kbji_code"] == "9"
    for bad in ({"sought_kbji_code": "operator"}, {"interchange_consent": "no"}):
        refused = await client.patch("/api/v1/me", json=bad, headers=headers)
        assert refused.status_code == 422, bad
        assert set(refused.json()["error"]["fields"]) == set(bad)
    data = await client.get("/api/v1/me/data", headers=headers)
    profile = data.json()["profile"]
    assert profile["sought_kbji_code"] == "9"
    assert profile["interchange_consent_withdrawn_at"] == clock.now.isoformat()
