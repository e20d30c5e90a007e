"""The authorization matrix: every route whose path names an object, tried by every
role, on the pages and on the API.

The cases come from the route table. A route with a path parameter that is missing from
``EXPECTATIONS`` fails :func:`test_every_route_with_a_path_parameter_has_expectations`,
so a new route cannot slip through without someone deciding who may use it.

The owner (or, for public routes, everyone) must get a 2xx or 3xx that is not the
sign-in redirect; everyone else exactly 403 or 404 (anonymous: the sign-in redirect on
pages, 401 on the API) — never a 200 with someone else's data, never a 500.

A company's access to its own applicants ends in the fairs of an office that rejected
it: every applicant-data route names, in ``rejected``, company D's own objects in the
rejecting office's fair, and its recruiter must get 404 there (and 2xx on the same
objects in the other office's fair).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from starlette.applications import Starlette
from support.security_world import (
    PUBLIC,
    REJECTION_REASON,
    ROLES,
    STATE_CHANGING,
    Endpoint,
    World,
    app_endpoints,
    concrete,
    png_bytes,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)

APPLICANT = frozenset({"applicant"})
APPLICANTS = frozenset({"applicant", "other_applicant"})
RECRUITER = frozenset({"recruiter"})
ROLE_D = "rejected_recruiter"
OFFICE = frozenset({"organiser", "admin"})

VACANCY_FORM = {
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
    "work_regency_code": "12.09",
    "employment_type": "pkwtt",
    "skills": "Boiler",
    "deadline": "2026-11-10",
}


@dataclass(frozen=True)
class Rule:
    """Who may use one endpoint, and which objects of the world its parameters name.

    ``params`` maps a path parameter to a key of ``World.owned`` (or, prefixed with
    ``=``, a literal). ``skip`` documents an endpoint the HTTP matrix cannot drive
    (websockets) and the test that covers it instead.
    """

    allowed: frozenset[str]
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    files: bool = False
    skip: str | None = None
    # Statuses an owner may also get: past the permission check, a second owner may
    # find the job done by the first (publishing twice: 409).
    owner_also: frozenset[int] = frozenset()
    # Applicant data: the rejected company's own objects in the rejecting office's fair
    # (its recruiter must get 404) and in the other office's fair (2xx).
    rejected: dict[str, str] | None = None
    still_reached: dict[str, str] | None = None


# Company D's application in the fair of office A (which rejected D) and in office B's.
D_APPLICATION: dict[str, Any] = {
    "rejected": {"application_id": "application_d_a"},
    "still_reached": {"application_id": "application_d_b"},
}

# (method, path) → rule. Add every new route with a path parameter here.
EXPECTATIONS: dict[str, Rule] = {
    # public catalogue
    "GET /fairs/{slug}": Rule(PUBLIC, {"slug": "fair_a"}),
    "GET /fairs/{slug}/booths/{company}": Rule(PUBLIC, {"slug": "fair_a", "company": "company_a"}),
    "GET /fairs/{slug}/vacancies": Rule(PUBLIC, {"slug": "fair_a"}),
    "GET /fairs/{slug}/vacancies/{vacancy_id:int}": Rule(
        PUBLIC, {"slug": "fair_a", "vacancy_id": "vacancy_a"}
    ),
    "GET /media/logos/{name}": Rule(PUBLIC, {"name": "logo_a"}),
    "GET /api/v1/fairs/{slug}": Rule(PUBLIC, {"slug": "fair_a"}),
    "GET /api/v1/fairs/{slug}/booths": Rule(PUBLIC, {"slug": "fair_a"}),
    "GET /api/v1/fairs/{slug}/vacancies": Rule(PUBLIC, {"slug": "fair_a"}),
    # applying: any applicant, to a public vacancy
    "POST /fairs/{slug}/vacancies/{vacancy_id:int}/apply": Rule(
        APPLICANTS, {"slug": "fair_a", "vacancy_id": "vacancy_apply_page"}, form={}
    ),
    "POST /api/v1/vacancies/{vacancy_id:int}/applications": Rule(
        APPLICANTS, {"vacancy_id": "vacancy_apply_api"}, json={}
    ),
    # the applicant's own applications
    "GET /me/applications/{application_id:int}": Rule(
        APPLICANT, {"application_id": "application_a"}
    ),
    "POST /me/applications/{application_id:int}/withdraw": Rule(
        APPLICANT, {"application_id": "application_withdraw_page"}, form={}
    ),
    "POST /me/applications/{application_id:int}/placement": Rule(
        APPLICANT, {"application_id": "application_hired_page"}, form={"confirm": "1"}
    ),
    "GET /api/v1/me/applications/{application_id:int}": Rule(
        APPLICANT, {"application_id": "application_a"}
    ),
    "POST /api/v1/me/applications/{application_id:int}/withdraw": Rule(
        APPLICANT, {"application_id": "application_withdraw_api"}, json={}
    ),
    "POST /api/v1/me/applications/{application_id:int}/placement": Rule(
        APPLICANT, {"application_id": "application_hired_api"}, json={"confirm": True}
    ),
    # hiring drives: the applicant's answer to a direct placement
    "GET /me/placements/{placement_id:int}": Rule(
        APPLICANT, {"placement_id": "direct_placement_a"}
    ),
    "POST /me/placements/{placement_id:int}": Rule(
        APPLICANT, {"placement_id": "direct_placement_answer"}, form={"confirm": "1"}
    ),
    # a partner company's report (an empty form: past the partner check, 422)
    "GET /company/drives/{drive_id:int}/placements": Rule(RECRUITER, {"drive_id": "drive_a"}),
    "POST /company/drives/{drive_id:int}/placements": Rule(
        RECRUITER, {"drive_id": "drive_a"}, form={}, owner_also=frozenset({422})
    ),
    # the office's drive (fair and company ids are not known to the table: an empty
    # form is refused past the scope check with 422)
    "GET /organiser/drives/{drive_id:int}": Rule(OFFICE, {"drive_id": "drive_a"}),
    "GET /api/v1/drives/{drive_id:int}/progress": Rule(OFFICE, {"drive_id": "drive_a"}),
    "GET /organiser/drives/{drive_id:int}/progress.{kind}": Rule(
        OFFICE, {"drive_id": "drive_a", "kind": "=xlsx"}
    ),
    "GET /organiser/drives/{drive_id:int}/edit": Rule(OFFICE, {"drive_id": "drive_a"}),
    "POST /organiser/drives/{drive_id:int}/edit": Rule(
        OFFICE,
        {"drive_id": "drive_a"},
        form={
            "name": "Gerakan Asahan Bekerja",
            "first_day": "2026-11-01",
            "last_day": "2026-12-31",
            "target": "120",
            "regency_codes": "12.09",
        },
    ),
    "POST /organiser/drives/{drive_id:int}/fairs": Rule(
        OFFICE, {"drive_id": "drive_a"}, form={}, owner_also=frozenset({422})
    ),
    "POST /organiser/drives/{drive_id:int}/partners": Rule(
        OFFICE, {"drive_id": "drive_a"}, form={}, owner_also=frozenset({422})
    ),
    "POST /me/notifications/{notification_id:int}/read": Rule(
        APPLICANT, {"notification_id": "notification_a"}, form={}
    ),
    # booked 1:1 slots and messages left at booths (the second applicant finds the slot
    # taken: 409)
    "POST /fairs/{slug}/booths/{company}/slots/{slot_id:int}/book": Rule(
        APPLICANTS,
        {"slug": "fair_a", "company": "company_a", "slot_id": "slot_a"},
        form={},
        owner_also=frozenset({409}),
    ),
    "POST /fairs/{slug}/booths/{company}/messages": Rule(
        APPLICANTS, {"slug": "fair_a", "company": "company_a"}, form={"body": "Halo"}
    ),
    "POST /me/bookings/{booking_id:int}/cancel": Rule(
        APPLICANT, {"booking_id": "booking_a"}, form={}
    ),
    "GET /company/booths/{booth_id:int}/slots": Rule(RECRUITER, {"booth_id": "booth_a"}),
    "POST /company/booths/{booth_id:int}/slots": Rule(
        RECRUITER,
        {"booth_id": "booth_a"},
        form={"day": "2026-11-07", "start": "09:00", "end": "10:00", "minutes": "20"},
    ),
    "POST /company/slots/{slot_id:int}/cancel": Rule(
        RECRUITER, {"slot_id": "slot_cancel_a"}, form={}
    ),
    "POST /company/bookings/{booking_id:int}/mark": Rule(
        RECRUITER,
        {"booking_id": "booking_mark_a"},
        form={"outcome": "attended"},
        rejected={"booking_id": "booking_mark_d_a"},
    ),
    "POST /company/messages/{message_id:int}/answer": Rule(
        RECRUITER,
        {"message_id": "message_a"},
        form={"answer": "Baik, silakan melamar."},
        rejected={"message_id": "message_d_a"},
    ),
    "DELETE /api/v1/tokens/{token_id:int}": Rule(APPLICANT, {"token_id": "spare_token_a"}),
    "POST /account/tokens/{token_id:int}/revoke": Rule(
        APPLICANT, {"token_id": "spare_token_page_a"}, form={}
    ),
    # the company's booths, vacancies, applications, CVs and exports
    "GET /company/booths/{booth_id:int}": Rule(RECRUITER, {"booth_id": "booth_a"}),
    "POST /company/booths/{booth_id:int}": Rule(
        RECRUITER, {"booth_id": "booth_a"}, form={"description": "Lowongan terbaru."}
    ),
    "POST /company/booths/{booth_id:int}/logo": Rule(
        RECRUITER, {"booth_id": "booth_a"}, form={}, files=True
    ),
    "GET /company/booths/{booth_id:int}/vacancies/new": Rule(RECRUITER, {"booth_id": "booth_a"}),
    "POST /company/booths/{booth_id:int}/vacancies": Rule(
        RECRUITER, {"booth_id": "booth_a"}, form=VACANCY_FORM
    ),
    "GET /company/vacancies/{vacancy_id:int}": Rule(RECRUITER, {"vacancy_id": "vacancy_a"}),
    "POST /company/vacancies/{vacancy_id:int}": Rule(
        RECRUITER, {"vacancy_id": "vacancy_a_edit"}, form=VACANCY_FORM
    ),
    "POST /company/vacancies/{vacancy_id:int}/close": Rule(
        RECRUITER, {"vacancy_id": "vacancy_a_close"}, form={}
    ),
    "GET /company/applications/{application_id:int}": Rule(
        RECRUITER, {"application_id": "application_a"}, **D_APPLICATION
    ),
    "POST /company/applications/{application_id:int}/notes": Rule(
        RECRUITER,
        {"application_id": "application_a"},
        form={"note": "Pengalaman cocok."},
        **D_APPLICATION,
    ),
    "GET /company/applications/{application_id:int}/cv": Rule(
        RECRUITER, {"application_id": "application_a"}, **D_APPLICATION
    ),
    # Company D's export was made before office A rejected it: it holds fair A's rows.
    "GET /company/exports/{job_id:int}": Rule(
        RECRUITER, {"job_id": "export_a"}, rejected={"job_id": "export_d"}
    ),
    "GET /company/exports/{job_id:int}/download": Rule(
        RECRUITER, {"job_id": "export_a"}, rejected={"job_id": "export_d"}
    ),
    "POST /api/v1/company/applications/{application_id:int}/status": Rule(
        RECRUITER, {"application_id": "application_a"}, json={"status": "reviewed"}, **D_APPLICATION
    ),
    "GET /api/v1/company/applications/{application_id:int}/cv": Rule(
        RECRUITER, {"application_id": "application_a"}, **D_APPLICATION
    ),
    # booth chats: the applicant's booth page, the two parties' actions, the console
    "GET /fairs/{slug}/booths/{company}/chat": Rule(
        PUBLIC, {"slug": "fair_a", "company": "company_a"}
    ),
    "GET /fairs/{slug}/booths/{company}/chat/presence": Rule(
        PUBLIC, {"slug": "fair_a", "company": "company_a"}
    ),
    "GET /fairs/{slug}/booths/{company}/chat/status": Rule(
        PUBLIC, {"slug": "fair_a", "company": "company_a"}
    ),
    # Nobody of the booth is online in the matrix: the join is refused after the checks.
    "POST /fairs/{slug}/booths/{company}/chat/queue": Rule(
        APPLICANTS,
        {"slug": "fair_a", "company": "company_a"},
        form={},
        owner_also=frozenset({409}),
    ),
    "POST /fairs/{slug}/booths/{company}/chat/leave": Rule(
        APPLICANTS, {"slug": "fair_a", "company": "company_a"}, form={}
    ),
    "POST /chats/{conversation_id:int}/messages": Rule(
        APPLICANT | RECRUITER, {"conversation_id": "chat_send"}, form={"body": "Halo"}
    ),
    "POST /chats/{conversation_id:int}/end": Rule(
        APPLICANT | RECRUITER, {"conversation_id": "chat_end"}, form={}
    ),
    "POST /chats/{conversation_id:int}/share-cv": Rule(
        APPLICANT, {"conversation_id": "chat_share"}, form={}
    ),
    "POST /chats/{conversation_id:int}/report": Rule(
        APPLICANT, {"conversation_id": "chat_report"}, form={"reason": "Kasar"}
    ),
    "POST /chats/{conversation_id:int}/video": Rule(
        RECRUITER,
        {"conversation_id": "chat_video"},
        form={"video_url": "https://meet.example.test/abc"},
    ),
    "POST /chats/{conversation_id:int}/outcome": Rule(
        RECRUITER,
        {"conversation_id": "chat_outcome"},
        form={"note": "Komunikatif", "interest": "interested"},
    ),
    "POST /chats/{conversation_id:int}/hand-off": Rule(
        RECRUITER, {"conversation_id": "chat_hand_off"}, form={"to": "@chat_colleague"}
    ),
    "GET /chats/{conversation_id:int}/cv": Rule(RECRUITER, {"conversation_id": "chat_cv"}),
    "GET /company/booths/{booth_id:int}/chat": Rule(RECRUITER, {"booth_id": "booth_a"}),
    # The matrix's recruiter already holds more chats than the cap: refused after the checks.
    "POST /company/booths/{booth_id:int}/chat/take": Rule(
        RECRUITER, {"booth_id": "booth_a"}, form={}, owner_also=frozenset({409})
    ),
    "POST /company/booths/{booth_id:int}/chat/timer": Rule(
        RECRUITER, {"booth_id": "booth_a"}, form={"timer_minutes": "10"}
    ),
    "GET /organiser/fairs/{slug}/chat-reports": Rule(OFFICE, {"slug": "fair_a"}),
    "POST /organiser/fairs/{slug}/chat-reports/{report_id:int}/block": Rule(
        OFFICE, {"slug": "fair_a", "report_id": "chat_report_a"}, form={}
    ),
    # the organiser's office
    "GET /organiser/fairs/{slug}/queue": Rule(OFFICE, {"slug": "fair_a"}),
    "POST /organiser/fairs/{slug}/{kind}/{object_id:int}/decision": Rule(
        OFFICE,
        {"slug": "fair_a", "kind": "=booths", "object_id": "pending_booth"},
        form={"decision": "approve"},
    ),
    "GET /organiser/fairs/{slug}": Rule(OFFICE, {"slug": "fair_a"}),
    "GET /organiser/fairs/{slug}/edit": Rule(OFFICE, {"slug": "fair_a"}),
    "POST /organiser/fairs/{slug}/edit": Rule(
        OFFICE, {"slug": "fair_a"}, form={"host_regency_codes": "12.09"}
    ),
    "POST /organiser/fairs/{slug}/publish": Rule(
        OFFICE, {"slug": "fair_a_draft"}, form={}, owner_also=frozenset({409})
    ),
    "POST /organiser/fairs/{slug}/extend": Rule(
        OFFICE,
        {"slug": "fair_a"},
        form={"closes_at": "2026-11-20 17:00"},
        owner_also=frozenset({409, 422}),
    ),
    # On the fair the cancel rule uses, so fair_a stays open for the applying rules.
    "POST /organiser/fairs/{slug}/close": Rule(
        OFFICE, {"slug": "fair_a_cancel"}, form={"confirm": "yes"}, owner_also=frozenset({409})
    ),
    "POST /organiser/fairs/{slug}/deadline": Rule(
        OFFICE,
        {"slug": "fair_a"},
        form={"decision_deadline": "2026-11-30 17:00"},
        owner_also=frozenset({409, 422}),
    ),
    "POST /organiser/fairs/{slug}/cancel": Rule(
        OFFICE, {"slug": "fair_a_cancel"}, form={"confirm": "yes"}, owner_also=frozenset({409})
    ),
    "POST /organiser/companies/{company_id:int}/decision": Rule(
        OFFICE, {"company_id": "company_c"}, form={"decision": "approve"}
    ),
    "POST /organiser/users/{user_id:int}/active": Rule(
        OFFICE, {"user_id": "organiser_colleague"}, form={"active": "0"}
    ),
    # The first owner removes the range; the second finds it gone (404).
    "POST /organiser/networks/{network_id:int}/remove": Rule(
        OFFICE, {"network_id": "network_a"}, form={}, owner_also=frozenset({404})
    ),
    "GET /organiser/fairs/{slug}/live": Rule(OFFICE, {"slug": "fair_a"}),
    # failed mail has no office: an admin's alone
    "POST /organiser/mail/{outbox_id:int}/retry": Rule(
        frozenset({"admin"}), {"outbox_id": "mail_failed"}, form={}
    ),
    # the post-event report (compiled for the office's closed fair)
    "POST /organiser/fairs/{slug}/report/compile": Rule(OFFICE, {"slug": "fair_closed"}, form={}),
    "GET /organiser/fairs/{slug}/report": Rule(OFFICE, {"slug": "fair_closed"}),
    "GET /organiser/fairs/{slug}/report/status": Rule(OFFICE, {"slug": "fair_closed"}),
    "GET /organiser/fairs/{slug}/report.{kind}": Rule(
        OFFICE, {"slug": "fair_closed", "kind": "=xlsx"}
    ),
    "GET /api/v1/fairs/{slug}/report": Rule(OFFICE, {"slug": "fair_closed"}),
    "POST /api/v1/fairs/{slug}/report": Rule(OFFICE, {"slug": "fair_closed"}, json={}),
    # the office's statistics over a period (the current quarter when none is named)
    "GET /organiser/office/statistics.{kind}": Rule(frozenset({"organiser"}), {"kind": "=xlsx"}),
    "GET /api/v1/offices/{office_id:int}/report": Rule(OFFICE, {"office_id": "office_a"}),
    "POST /api/v1/offices/{office_id:int}/report": Rule(OFFICE, {"office_id": "office_a"}, json={}),
    # the organiser's fair actions in the API (as the console's close and deadline)
    "POST /api/v1/fairs/{slug}/close": Rule(
        OFFICE, {"slug": "fair_a_cancel"}, json={}, owner_also=frozenset({409})
    ),
    "POST /api/v1/fairs/{slug}/deadline": Rule(
        OFFICE,
        {"slug": "fair_a"},
        json={"decisions_close_at": "2026-11-30T17:00:00+07:00"},
        owner_also=frozenset({409, 422}),
    ),
    "GET /fairs/{slug}/summary": Rule(PUBLIC, {"slug": "fair_closed"}),
    "WEBSOCKET /ws/fairs/{slug}": Rule(
        PUBLIC,
        {"slug": "fair_a"},
        skip="websocket: public counters; organiser channels and Origin checks are "
        "covered by the live-counter tests",
    ),
}


def expectations_for(endpoint: Endpoint) -> Rule | None:
    return EXPECTATIONS.get(endpoint.key)


def parametrised(app: Starlette) -> list[Endpoint]:
    return [endpoint for endpoint in app_endpoints(app) if endpoint.params]


def test_every_route_with_a_path_parameter_has_expectations(app: Starlette) -> None:
    missing = [endpoint.key for endpoint in parametrised(app) if expectations_for(endpoint) is None]
    assert not missing, (
        "These routes take a path parameter but the authorization matrix does not know who "
        "may use them. Add each to EXPECTATIONS in tests/security/test_authorization_matrix.py "
        "(owners, the objects its parameters name, and a body for state changes):\n  "
        + "\n  ".join(missing)
    )
    for endpoint in parametrised(app):
        rule = expectations_for(endpoint)
        assert rule is not None
        unnamed = set(endpoint.params) - set(rule.params)
        assert rule.skip or not unnamed, f"{endpoint.key}: name the object of {sorted(unnamed)}"


async def _call(world: World, endpoint: Endpoint, rule: Rule, role: str) -> httpx.Response:
    actor = world.actors[role]
    values = {
        name: key[1:] if key.startswith("=") else world.owned[key]
        for name, key in rule.params.items()
    }
    path = concrete(endpoint.path, values)
    if endpoint.is_api:
        body = rule.json if endpoint.method in STATE_CHANGING else None
        return await actor.api.request(endpoint.method, path, json=body)
    if endpoint.method == "GET":
        return await actor.browser.get(path)
    # A form value "@key" is the id of an object of the world (a colleague to hand to).
    form = {
        name: str(world.owned[value[1:]]) if value.startswith("@") else value
        for name, value in (rule.form or {}).items()
    }
    form["csrf_token"] = actor.csrf
    files = {"logo": ("logo.png", png_bytes(), "image/png")} if rule.files else None
    return await actor.browser.request(endpoint.method, path, data=form, files=files)


def _judge(endpoint: Endpoint, rule: Rule, role: str, response: httpx.Response) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    location = response.headers.get("location", "")
    if role in rule.allowed:
        if (200 <= status < 400 or status in rule.owner_also) and not location.startswith("/login"):
            return None
        return f"owner {role} got {status} {location}".strip()
    if role == "anonymous":
        if endpoint.is_api and status == 401:
            return None
        if not endpoint.is_api and status == 303 and location.startswith("/login"):
            return None
        return f"anonymous got {status} {location}".strip()
    if status in (403, 404):
        return None
    return f"foreign {role} got {status} {location}".strip()


async def test_only_owners_reach_owned_objects(world: World) -> None:
    cases = [
        (endpoint, rule)
        for endpoint in parametrised(world.app)
        if (rule := expectations_for(endpoint)) is not None and not rule.skip
    ]
    assert cases
    problems: list[str] = []
    # Foreigners first, while every object is as built; then the owners, reads before
    # writes, and the token revocation last of all.
    order = sorted(cases, key=lambda case: (case[0].method != "GET", case[0].method == "DELETE"))
    for endpoint, rule in order:
        for role in ROLES:
            if role in rule.allowed:
                continue
            response = await _call(world, endpoint, rule, role)
            if problem := _judge(endpoint, rule, role, response):
                problems.append(f"{endpoint.key}: {problem}")
    for endpoint, rule in order:
        for role in ROLES:
            if role not in rule.allowed:
                continue
            response = await _call(world, endpoint, rule, role)
            if problem := _judge(endpoint, rule, role, response):
                problems.append(f"{endpoint.key}: {problem}")
    assert not problems, "\n".join(problems)


async def test_foreign_ids_do_not_leak_through_lists(world: World) -> None:
    """The list endpoints answer 200 to everyone allowed, but only with their own rows."""
    a, b = world.owned["application_a"], world.owned["application_b"]
    mine = (await world.actors["applicant"].api.get("/api/v1/me/applications")).json()
    ids = {item["id"] for item in mine["applications"]}
    assert a in ids and b not in ids
    company = (await world.actors["recruiter"].api.get("/api/v1/company/applications")).json()
    ids = {item["id"] for item in company["applications"]}
    assert a in ids and b not in ids
    other = (await world.actors["other_recruiter"].api.get("/api/v1/company/applications")).json()
    assert {item["id"] for item in other["applications"]} == {b}
    # Bulk staging with a foreign id changes nothing of the other company.
    bulk = await world.actors["other_recruiter"].api.post(
        "/api/v1/company/applications/status", json={"status": "reviewed", "ids": [a]}
    )
    assert bulk.status_code in (200, 404)
    if bulk.status_code == 200:
        assert bulk.json()["changed"] == 0
    mine_after = await world.actors["applicant"].api.get(f"/api/v1/me/applications/{a}")
    assert mine_after.json()["status"] == "submitted"
    page = await world.actors["other_recruiter"].browser.get("/company/applications")
    assert page.status_code == 200
    assert f"/company/applications/{a}" not in page.text


# Path parameters that name applicant data of a company (its applications, exports).
APPLICANT_DATA_PARAMS = frozenset({"application_id", "job_id"})


def test_every_applicant_data_route_is_tried_by_a_rejected_company(app: Starlette) -> None:
    """A new route reading a company's applicants must say what company D's recruiter,
    rejected by the fair's office, gets from it."""
    missing = [
        endpoint.key
        for endpoint in parametrised(app)
        if (rule := expectations_for(endpoint)) is not None
        and rule.allowed == RECRUITER
        and APPLICANT_DATA_PARAMS & set(endpoint.params)
        and rule.rejected is None
    ]
    assert not missing, "Name company D's objects in `rejected` for:\n  " + "\n  ".join(missing)


async def test_a_rejected_companys_recruiter_reaches_none_of_its_applicants_there(
    world: World,
) -> None:
    """Office A rejected company D: every applicant-data route answers 404 to D's
    recruiter on D's own applicants in office A's fair, and still works on D's
    applicants in office B's fair."""
    problems: list[str] = []
    cases = [
        (endpoint, rule)
        for endpoint in parametrised(world.app)
        if (rule := expectations_for(endpoint)) is not None and rule.rejected is not None
    ]
    assert len(cases) >= 7
    for endpoint, rule in sorted(cases, key=lambda case: case[0].method != "GET"):
        response = await _call(world, endpoint, replace(rule, params=rule.rejected), ROLE_D)
        if response.status_code != 404:
            problems.append(f"{endpoint.key} on fair A: {response.status_code}, not 404")
        if rule.still_reached is not None:
            response = await _call(
                world, endpoint, replace(rule, params=rule.still_reached), ROLE_D
            )
            if not 200 <= response.status_code < 400:
                problems.append(f"{endpoint.key} on fair B: {response.status_code}")
    assert not problems, "\n".join(problems)


async def test_a_rejected_companys_lists_leave_out_the_rejecting_offices_fairs(
    world: World,
) -> None:
    """The application table (page and API) and a new export of company D show its
    applicant in office B's fair only."""
    there, elsewhere = world.owned["application_d_a"], world.owned["application_d_b"]
    actor = world.actors[ROLE_D]
    listed = (await actor.api.get("/api/v1/company/applications")).json()
    assert {item["id"] for item in listed["applications"]} == {elsewhere}
    page = await actor.browser.get("/company/applications")
    assert page.status_code == 200
    assert f"/company/applications/{elsewhere}" in page.text
    assert f"/company/applications/{there}" not in page.text
    export = await actor.browser.get("/company/exports?format=csv")
    assert export.status_code == 200
    rows = export.text.strip().splitlines()
    assert len(rows) == 2 and str(elsewhere) in rows[1]
    # Bulk staging with the hidden id changes nothing.
    bulk = await actor.api.post(
        "/api/v1/company/applications/status", json={"status": "reviewed", "ids": [there]}
    )
    assert bulk.status_code in (200, 404)
    if bulk.status_code == 200:
        assert bulk.json()["changed"] == 0


async def test_each_office_sees_only_its_own_decision_on_a_company(world: World) -> None:
    """Office A rejected company D with a reason; office B verified it. Each office's
    console shows its own decision; office B never sees office A's reason."""
    name = "PT Ditolak Kantor A"
    mine = await world.actors["organiser"].browser.get("/organiser/companies?status=rejected")
    assert name in mine.text and REJECTION_REASON in mine.text
    other = await world.actors["other_organiser"].browser.get("/organiser/companies")
    assert name in other.text and REJECTION_REASON not in other.text
    rejected_there = await world.actors["other_organiser"].browser.get(
        "/organiser/companies?status=rejected"
    )
    assert name not in rejected_there.text
    # The company itself sees which office rejected it, and why.
    home = await world.actors[ROLE_D].browser.get("/company")
    assert REJECTION_REASON in home.text
