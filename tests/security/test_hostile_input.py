"""Input that used to reach the database unchecked and end in a 500: numbers too large
for an INTEGER column, Unicode digits that ``str.isdigit()`` accepts and ``int()``
refuses, NUL characters (PostgreSQL refuses them in text) and lone surrogates."""

from __future__ import annotations

from sqlalchemy import select
from support.security_world import (
    World,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)

from jobfair.models import Application, Booth
from jobfair.services import companies
from jobfair.services.numbers import whole_number


def test_whole_number_reads_ascii_digits_within_bounds() -> None:
    assert whole_number("42") == 42 and whole_number(" 7 ") == 7 and whole_number(3) == 3
    for bad in ("²", "٣", "-1", "1e3", "", "x", None, True, 2**40, "9" * 30):
        assert whole_number(bad) is None, bad
    assert whole_number("5", minimum=1, maximum=4) is None


async def test_hostile_numbers_and_characters_get_4xx(world: World) -> None:
    applicant, recruiter = world.actors["applicant"], world.actors["recruiter"]
    slug = world.owned["fair_a"]
    answers = {
        # Ids longer than nine digits do not route (the largest INTEGER has ten).
        "page id": await applicant.browser.get("/me/applications/99999999999999999999"),
        "api id": await applicant.api.get("/api/v1/me/applications/2147483648000"),
        "api post id": await recruiter.api.post(
            "/api/v1/company/applications/12345678901/status", json={"status": "reviewed"}
        ),
        # Unicode digits in numbers read from the query.
        "page number": await applicant.browser.get(f"/fairs/{slug}/vacancies?page=²"),
        "api paging": await applicant.api.get(f"/api/v1/fairs/{slug}/vacancies?limit=²"),
        "filter id": await recruiter.api.get("/api/v1/company/applications?vacancy=²"),
        "filter huge id": await recruiter.api.get(
            "/api/v1/company/applications?vacancy=99999999999999"
        ),
        "screening page": await recruiter.browser.get("/company/applications?page=³"),
        # NUL in the query, the path, JSON and forms.
        "nul query": await applicant.browser.get(f"/fairs/{slug}/vacancies?q=%00operator"),
        "nul path": await applicant.browser.get(f"/fairs/{slug}%00/vacancies"),
        "nul json": await recruiter.api.post(
            f"/api/v1/company/applications/{world.owned['application_a']}/status",
            json={"status": "reviewed", "note": "a\x00b"},
        ),
        "surrogate json": await applicant.api.patch(
            "/api/v1/me",
            content=b'{"skills": "\\ud800"}',
            headers={"Content-Type": "application/json"},
        ),
        "bulk huge ids": await recruiter.api.post(
            "/api/v1/company/applications/status",
            json={"status": "reviewed", "ids": [2**40]},
        ),
        "nul form": await recruiter.browser.post(
            f"/company/booths/{world.owned['booth_a']}",
            data={"csrf_token": recruiter.csrf, "description": "Lowongan\x00 baru"},
        ),
        "graduation year": await applicant.api.patch(
            "/api/v1/me", json={"graduation_year": "²⁰²²"}
        ),
    }
    expected = {
        "page id": 404,
        "api id": 404,
        "api post id": 404,
        "page number": 200,
        "api paging": 422,
        "filter id": 422,
        "filter huge id": 422,
        "screening page": 200,
        "nul query": 200,
        "nul path": 200,
        "nul json": 422,
        "surrogate json": 422,
        "bulk huge ids": 422,
        "nul form": 303,
        "graduation year": 422,
    }
    assert {name: r.status_code for name, r in answers.items()} == expected
    assert answers["api id"].json()["error"]["code"] == "not_found"
    assert answers["graduation year"].json()["error"]["fields"]["graduation_year"]
    async with world.ctx.read() as session:
        booth = await session.get(Booth, world.owned["booth_a"])
        # A NUL in the form was dropped, not stored; the edit waits for review.
        assert booth is not None and companies.booth_shown(booth)["description"] == "Lowongan baru"
        application = await session.scalar(
            select(Application).where(Application.id == world.owned["application_a"])
        )
        assert application is not None and application.status == "submitted"


async def test_deeply_nested_json_is_a_400_on_every_json_route(world: World) -> None:
    """A body nested a thousand levels deep used to end in a RecursionError (500); it is
    refused before parsing, on every route that reads JSON."""
    from support.security_world import app_endpoints
    from test_csrf_everywhere import _path

    deep = b"[" * 1000 + b"]" * 1000
    deep_object = b'{"a":' * 1000 + b"1" + b"}" * 1000
    answers: dict[str, int] = {}
    for endpoint in app_endpoints(world.app):
        if not endpoint.is_api or endpoint.method not in {"POST", "PUT", "PATCH", "DELETE"}:
            continue
        path = _path(world, endpoint.key, endpoint.path)
        for role in ("anonymous", "applicant", "recruiter", "organiser"):
            actor = world.actors[role]
            for body in (deep, deep_object):
                response = await actor.api.request(
                    endpoint.method,
                    path,
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                answers[f"{endpoint.key} as {role}"] = response.status_code
                assert response.status_code < 500, f"{endpoint.key} as {role}"
    assert len(answers) > 20
    # Where the body is read at all, the answer names the body, not a server error.
    applicant = world.actors["applicant"]
    response = await applicant.api.patch(
        "/api/v1/me", content=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "bad_request"
