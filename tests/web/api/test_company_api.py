"""The company API: screening with filters, staged decisions, release and undo, CVs,
company isolation, and the applicant confirming a hire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from support import factories
from support.api_contract import conforms
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import CvView, Notification, User
from jobfair.services import screening
from jobfair.worker.tasks import deliver_decisions


@dataclass
class Setup:
    company: dict[str, str]  # headers of company A's recruiter
    other: dict[str, str]  # company B's recruiter
    applicant: dict[str, str]
    applications: list[int]  # to company A
    other_application: int
    vacancy_ids: list[int]


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _setup(client: httpx.AsyncClient, ctx: AppContext, extra_applicants: int = 2) -> Setup:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        company = await factories.company(session)
        other = await factories.company(session)
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        other_booth = await factories.booth(session, fair_row=fair, company_row=other)
        vacancies = [await factories.vacancy(session, booth_row=booth) for _ in range(2)]
        other_vacancy = await factories.vacancy(session, booth_row=other_booth)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        await factories.recruiter(session, company_row=other, email="hrd@b.test")
        main = await factories.applicant(
            session, vault=ctx.nik_vault, has_disability=True, ktp_regency_code="12.74"
        )
        user = await session.get(User, main.user_id)
        assert user is not None
        user.email, user.password_hash = "ani@example.test", hash_password(factories.PASSWORD)
        ids = [
            (await factories.application(session, vacancy_row=v, applicant_row=main)).id
            for v in vacancies
        ]
        for _ in range(extra_applicants):
            person = await factories.applicant(session, vault=ctx.nik_vault)
            ids.append(
                (
                    await factories.application(
                        session, vacancy_row=vacancies[0], applicant_row=person
                    )
                ).id
            )
        foreign = await factories.application(
            session, vacancy_row=other_vacancy, applicant_row=main
        )
        vacancy_ids = [v.id for v in vacancies]
    return Setup(
        await _bearer(client, "hrd@a.test"),
        await _bearer(client, "hrd@b.test"),
        await _bearer(client, "ani@example.test"),
        ids,
        foreign.id,
        vacancy_ids,
    )


async def test_list_and_filter(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(client, ctx)
    listed = await client.get("/api/v1/company/applications", headers=setup.company)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 4 and setup.other_application not in [
        a["id"] for a in body["applications"]
    ]
    conforms(listed, "GET", "/api/v1/company/applications")
    cases = {
        f"vacancy={setup.vacancy_ids[1]}": 1,
        "disability=yes": 2,
        "locality=nonlocal": 2,  # KTP 12.74 is not the host regency 12.09
        "locality=local": 2,
        "status=submitted": 4,
        "status=rejected": 0,
        "regency=12.74": 2,
        "education=SMA": 4,
        "q=operator": 4,
    }
    for query, expected in cases.items():
        response = await client.get(f"/api/v1/company/applications?{query}", headers=setup.company)
        assert response.status_code == 200 and response.json()["total"] == expected, query
    for bad in ("status=bogus", "sort=salary", "education=SMU", "locality=somewhere", "vacancy=x"):
        response = await client.get(f"/api/v1/company/applications?{bad}", headers=setup.company)
        assert response.status_code == 422, bad
    sorted_names = await client.get("/api/v1/company/applications?sort=name", headers=setup.company)
    names = [a["applicant"]["full_name"] for a in sorted_names.json()["applications"]]
    assert names == sorted(names)


async def test_stage_release_undo_deliver(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    setup = await _setup(client, ctx)
    first, second = setup.applications[0], setup.applications[1]
    staged = await client.post(
        f"/api/v1/company/applications/{first}/status",
        json={"status": "interview", "note": "Wawancara Senin"},
        headers=setup.company,
    )
    assert staged.status_code == 200, staged.text
    assert staged.json()["status"] == "interview" and staged.json()["pending"] is True
    assert staged.json()["released_status"] == "submitted"
    await client.post(
        f"/api/v1/company/applications/{second}/status",
        json={"status": "rejected"},
        headers=setup.company,
    )
    seen = await client.get(f"/api/v1/me/applications/{first}", headers=setup.applicant)
    assert seen.json()["status"] == "submitted"  # staged: not visible
    released = await client.post("/api/v1/company/decisions/release", headers=setup.company)
    assert released.json()["released"] == 2 and released.json()["undo_seconds"] == 180
    undone = await client.post("/api/v1/company/decisions/undo", headers=setup.company)
    assert undone.json() == {"undone": 2}
    await client.post("/api/v1/company/decisions/release", headers=setup.company)
    clock.advance(screening.UNDO_WINDOW + timedelta(seconds=1))
    assert await deliver_decisions(ctx) == 2
    assert await deliver_decisions(ctx) == 0
    mine = (await client.get("/api/v1/me/applications", headers=setup.applicant)).json()
    statuses = {a["id"]: a["status"] for a in mine["applications"]}
    assert statuses[first] == "interview" and statuses[second] == "rejected"
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 1
    notes = (await client.get("/api/v1/me/notifications", headers=setup.applicant)).json()
    assert len(notes["notifications"]) == 1
    # Going back is refused with the reason.
    back = await client.post(
        f"/api/v1/company/applications/{first}/status",
        json={"status": "reviewed"},
        headers=setup.company,
    )
    assert back.status_code == 409 and back.json()["error"]["fields"]["status"]
    bad = await client.post(
        f"/api/v1/company/applications/{first}/status", json={"status": 5}, headers=setup.company
    )
    assert bad.status_code == 422


async def test_bulk_by_ids_and_by_filter(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(client, ctx, extra_applicants=5)
    by_ids = await client.post(
        "/api/v1/company/applications/status",
        json={
            "status": "reviewed",
            "ids": [setup.applications[0], setup.other_application, 999999],
        },
        headers=setup.company,
    )
    assert by_ids.status_code == 200
    assert by_ids.json()["changed"] == 1
    assert set(by_ids.json()["refused"]) == {str(setup.other_application), "999999"}
    by_filter = await client.post(
        "/api/v1/company/applications/status",
        json={"status": "shortlisted", "filter": {"vacancy": str(setup.vacancy_ids[0])}},
        headers=setup.company,
    )
    assert by_filter.json() == {"changed": 6, "refused": {}}
    for body in (
        {"status": "reviewed"},
        {"status": "reviewed", "ids": []},
        {"status": "reviewed", "ids": ["1"]},
        {"status": "reviewed", "filter": {"status": "x"}},
    ):
        response = await client.post(
            "/api/v1/company/applications/status", json=body, headers=setup.company
        )
        assert response.status_code == 422, body


async def test_company_b_gets_404_for_company_a(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(client, ctx)
    target = setup.applications[0]
    listed = await client.get("/api/v1/company/applications", headers=setup.other)
    assert [a["id"] for a in listed.json()["applications"]] == [setup.other_application]
    for method, path, body in (
        ("POST", f"/api/v1/company/applications/{target}/status", {"status": "reviewed"}),
        ("GET", f"/api/v1/company/applications/{target}/cv", None),
    ):
        response = await client.request(method, path, json=body, headers=setup.other)
        assert response.status_code == 404, path
    # Applicants and anonymous callers are not companies.
    assert (
        await client.get("/api/v1/company/applications", headers=setup.applicant)
    ).status_code == 403
    assert (await client.get("/api/v1/company/applications")).status_code == 401


async def test_company_cv_view_is_recorded(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(client, ctx)
    target = setup.applications[0]
    missing = await client.get(f"/api/v1/company/applications/{target}/cv", headers=setup.company)
    assert missing.status_code == 404  # no CV uploaded yet
    await client.put(
        "/api/v1/me/cv",
        content=factories.pdf_bytes(),
        headers={**setup.applicant, "content-type": "application/pdf"},
    )
    cv = await client.get(f"/api/v1/company/applications/{target}/cv", headers=setup.company)
    assert cv.status_code == 200 and cv.content.startswith(b"%PDF-")
    assert cv.headers["content-disposition"].startswith("attachment;")
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(CvView)) == 1


async def test_applicant_confirms_a_hire(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    setup = await _setup(client, ctx)
    target = setup.applications[0]
    await client.post(
        f"/api/v1/company/applications/{target}/status",
        json={"status": "hired"},
        headers=setup.company,
    )
    early = await client.post(
        f"/api/v1/me/applications/{target}/placement",
        json={"confirm": True},
        headers=setup.applicant,
    )
    assert early.status_code == 404  # nothing released yet
    await client.post("/api/v1/company/decisions/release", headers=setup.company)
    clock.advance(screening.UNDO_WINDOW)
    await deliver_decisions(ctx)
    bad = await client.post(
        f"/api/v1/me/applications/{target}/placement",
        json={"confirm": "ya"},
        headers=setup.applicant,
    )
    assert bad.status_code == 422
    confirmed = await client.post(
        f"/api/v1/me/applications/{target}/placement",
        json={"confirm": True},
        headers=setup.applicant,
    )
    assert confirmed.status_code == 200 and confirmed.json()["confirmation"] == "confirmed"
    again = await client.post(
        f"/api/v1/me/applications/{target}/placement",
        json={"confirm": False},
        headers=setup.applicant,
    )
    assert again.status_code == 409
    foreign = await client.post(
        f"/api/v1/me/applications/{target}/placement", json={"confirm": True}, headers=setup.company
    )
    assert foreign.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "reviewed", "ids": [True]}, "ids"),  # a boolean is no id
        ({"status": "reviewed", "ids": [0]}, "ids"),
        ({"status": "reviewed", "ids": [2**31]}, "ids"),
        ({"status": "reviewed", "ids": list(range(1, 5002))}, "ids"),
        ({"status": "reviewed", "filter": "all"}, "filter"),
        ({"status": "submitted", "ids": [1]}, "status"),  # not one a company sets
        ({"ids": [1]}, "status"),
        ({"status": "reviewed", "ids": [1], "note": 7}, "note"),
        # The note's limit is the staging form's (StageNote), refused before any row moves.
        ({"status": "reviewed", "ids": [1], "note": "x" * (screening.MAX_NOTE + 1)}, "note"),
    ],
)
async def test_bulk_bodies_that_do_not_fit(
    client: httpx.AsyncClient, ctx: AppContext, body: dict[str, object], field: str
) -> None:
    setup = await _setup(client, ctx, extra_applicants=0)
    response = await client.post(
        "/api/v1/company/applications/status", json=body, headers=setup.company
    )
    assert response.status_code == 422, response.text
    error = conforms(response, "POST", "/api/v1/company/applications/status")
    assert list(error.error.fields) == [field]


async def test_company_answers_match_the_document(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    setup = await _setup(client, ctx, extra_applicants=0)
    first = setup.applications[0]
    stage = "/api/v1/company/applications/{application_id}/status"
    staged = await client.post(
        f"/api/v1/company/applications/{first}/status",
        json={"status": "shortlisted", "note": "  "},
        headers=setup.company,
    )
    assert conforms(staged, "POST", stage).pending is True
    unknown = await client.post(
        f"/api/v1/company/applications/{first}/status",
        json={"status": "promoted"},
        headers=setup.company,
    )
    assert unknown.status_code == 422
    assert list(conforms(unknown, "POST", stage).error.fields) == ["status"]
    bulk = await client.post(
        "/api/v1/company/applications/status",
        json={"status": "reviewed", "ids": [setup.applications[1]]},
        headers=setup.company,
    )
    conforms(bulk, "POST", "/api/v1/company/applications/status")
    released = await client.post("/api/v1/company/decisions/release", headers=setup.company)
    assert conforms(released, "POST", "/api/v1/company/decisions/release").deliver_at
    nothing = await client.post("/api/v1/company/decisions/release", headers=setup.company)
    assert conforms(nothing, "POST", "/api/v1/company/decisions/release").deliver_at is None
    undone = await client.post("/api/v1/company/decisions/undo", headers=setup.company)
    conforms(undone, "POST", "/api/v1/company/decisions/undo")
    forbidden = await client.get("/api/v1/company/applications", headers=setup.applicant)
    conforms(forbidden, "GET", "/api/v1/company/applications")
