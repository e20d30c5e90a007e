"""The public read part of the JSON API: fairs with counts, booths, vacancies, filters,
errors as JSON, and responses that match the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from support.api_contract import conforms
from support.catalogue_data import build_fair

from jobfair.context import AppContext


async def test_fairs_list_has_status_and_counts(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    response = await client.get("/api/v1/fairs")
    assert response.status_code == 200
    fairs = response.json()["fairs"]
    assert [fair["slug"] for fair in fairs] == ["bursa-asahan"]  # drafts are not listed
    fair = fairs[0]
    assert fair["status"] == "open"  # the test clock is inside the window
    assert fair["counts"] == {
        "companies": 2,
        "booths": 2,
        "vacancies": 3,
        "openings": 3 + 3 + 2,
        "applicants": 2,
        "applications": 3,
        "hires": 0,
        "online": 0,
    }


async def test_one_fair(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    body = (await client.get("/api/v1/fairs/bursa-asahan")).json()
    assert body["opens_at"] == "2026-11-03T01:00:00Z"
    assert body["timezone"] == "Asia/Jakarta"
    assert body["host_regency_codes"] == ["12.09"]
    assert body["counts"]["applications"] == 3


@pytest.mark.parametrize("slug", ["tidak-ada", "draf-rahasia"])
async def test_unknown_or_draft_fair_is_json_404(
    client: httpx.AsyncClient, ctx: AppContext, slug: str
) -> None:
    await build_fair(ctx)
    for path in ("", "/booths", "/vacancies"):
        response = await client.get(f"/api/v1/fairs/{slug}{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


async def test_booths_are_approved_only(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    body = (await client.get("/api/v1/fairs/bursa-asahan/booths")).json()
    assert body["total"] == 2
    by_slug = {booth["company"]["slug"]: booth for booth in body["booths"]}
    assert set(by_slug) == {"pt-sawit", "pt-bank"}
    assert by_slug["pt-bank"]["vacancies"] == 1  # the pending vacancy is not counted
    assert by_slug["pt-sawit"]["company"]["sector"] == "A"


async def test_vacancies_are_verified_only(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    body = (await client.get("/api/v1/fairs/bursa-asahan/vacancies")).json()
    assert body["total"] == 3
    assert sorted(v["title"] for v in body["vacancies"]) == [
        "Mandor Panen",
        "Pemanen Sawit",
        "Teller",
    ]
    teller = next(v for v in body["vacancies"] if v["title"] == "Teller")
    assert teller["company"]["slug"] == "pt-bank"
    assert teller["openings"] == {"male": 0, "female": 0, "either": 2, "total": 2}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("q=mandor", ["Mandor Panen"]),
        ("q=MANDOR", ["Mandor Panen"]),
        ("q=memupuk", ["Pemanen Sawit"]),  # skills are searched
        ("q=rakyat", ["Teller"]),  # so is the company name
        ("q=100%25", []),  # LIKE wildcards are literal
        ("q=%25", []),  # a bare % would match everything
        ("q=m_ndor", []),  # _ would match the a of Mandor
        ("q=mandor%2F", []),  # the escape character is literal too
        ("education=SD", ["Pemanen Sawit"]),
        ("education=SMK", ["Mandor Panen", "Pemanen Sawit"]),  # SMK meets an SMA minimum
        ("education=S2", ["Mandor Panen", "Pemanen Sawit", "Teller"]),
        ("regency=12.19", ["Pemanen Sawit"]),
        ("kbli=K", ["Teller"]),
        ("kbli=0126", ["Mandor Panen", "Pemanen Sawit"]),
        ("sector=A&education=SD", ["Pemanen Sawit"]),
    ],
)
async def test_vacancy_filters(
    client: httpx.AsyncClient, ctx: AppContext, query: str, titles: list[str]
) -> None:
    await build_fair(ctx)
    body = (await client.get(f"/api/v1/fairs/bursa-asahan/vacancies?{query}")).json()
    assert sorted(v["title"] for v in body["vacancies"]) == titles
    assert body["total"] == len(titles)


async def test_booth_filters_keep_booths_with_matching_vacancies(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    body = (await client.get("/api/v1/fairs/bursa-asahan/booths?education=SMA")).json()
    assert [(b["company"]["slug"], b["vacancies"]) for b in body["booths"]] == [("pt-sawit", 2)]


async def test_paging(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    first = (await client.get("/api/v1/fairs/bursa-asahan/vacancies?limit=2")).json()
    rest = (await client.get("/api/v1/fairs/bursa-asahan/vacancies?limit=2&offset=2")).json()
    assert len(first["vacancies"]) == 2 and len(rest["vacancies"]) == 1
    assert first["total"] == rest["total"] == 3
    ids = {v["id"] for v in first["vacancies"]} | {v["id"] for v in rest["vacancies"]}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("education=SARJANA", "education"),
        ("regency=99.99", "regency"),
        ("regency=12", "regency"),
        ("sector=Z", "sector"),
        ("kbli=12345678", "kbli"),
        ("q=" + "x" * 101, "q"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
    ],
)
async def test_bad_filters_are_422_with_the_field(
    client: httpx.AsyncClient, ctx: AppContext, query: str, field: str
) -> None:
    await build_fair(ctx)
    response = await client.get(f"/api/v1/fairs/bursa-asahan/vacancies?{query}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"]


async def test_unknown_api_path_is_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = await client.post("/api/v1/fairs")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_responses_match_the_openapi_schemas(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await build_fair(ctx)
    for path, concrete in [
        ("/api/v1/fairs", "/api/v1/fairs"),
        ("/api/v1/fairs/{slug}", "/api/v1/fairs/bursa-asahan"),
        ("/api/v1/fairs/{slug}/booths", "/api/v1/fairs/bursa-asahan/booths"),
        ("/api/v1/fairs/{slug}/vacancies", "/api/v1/fairs/bursa-asahan/vacancies"),
        ("/api/v1/fairs/{slug}/vacancies", "/api/v1/fairs/bursa-asahan/vacancies?limit=0"),
        ("/api/v1/fairs/{slug}", "/api/v1/fairs/nope"),
    ]:
        conforms(await client.get(concrete), "GET", path)


async def test_answers_keep_todays_json(client: httpx.AsyncClient, ctx: AppContext) -> None:
    """Built through the models, an answer still has every key (nulls included, never
    left out) in the order it always had, and times in UTC with a Z."""
    await build_fair(ctx)
    fair = (await client.get("/api/v1/fairs/bursa-asahan")).json()
    assert list(fair) == [
        "slug",
        "name",
        "description",
        "office",
        "timezone",
        "status",
        "registration_opens_at",
        "opens_at",
        "closes_at",
        "decision_deadline",
        "host_regency_codes",
        "local_hiring_target",
        "application_cap",
        "counts",
    ]
    assert fair["closes_at"].endswith("Z")
    vacancies = (await client.get("/api/v1/fairs/bursa-asahan/vacancies")).json()["vacancies"]
    vacancy = vacancies[0]
    assert "age_min" in vacancy and "deadline" in vacancy  # null, not missing
    assert vacancy["deadline"] is None or len(vacancy["deadline"]) == 10  # a date, no time
    booth = (await client.get("/api/v1/fairs/bursa-asahan/booths")).json()["booths"][0]
    assert set(booth["company"]) == {
        "slug",
        "name",
        "kbli",
        "sector",
        "employer_type",
        "regency_code",
        "website",
    }


async def test_counts_change_with_the_clock(
    client: httpx.AsyncClient, ctx: AppContext, clock: Any
) -> None:
    await build_fair(ctx)
    clock.now = datetime(2026, 11, 3, 0, 59, 59, tzinfo=UTC)
    assert (await client.get("/api/v1/fairs/bursa-asahan")).json()["status"] == "upcoming"
    clock.now = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
    assert (await client.get("/api/v1/fairs/bursa-asahan")).json()["status"] == "closed"


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=5.0", "limit"), ("limit=1_0", "limit"), ("offset=%2B5", "offset")],
)
async def test_paging_is_ascii_digits_only(
    client: httpx.AsyncClient, ctx: AppContext, query: str, field: str
) -> None:
    await build_fair(ctx)
    response = await client.get(f"/api/v1/fairs/bursa-asahan/vacancies?{query}")
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


async def test_bad_filter_messages_are_localized_per_field(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """The API reads the same filter model as the pages: the field messages are the
    pages' messages in the request's language (Indonesian by default), every bad field
    at once, and the booth listing refuses the same values."""
    await build_fair(ctx)
    response = await client.get(
        "/api/v1/fairs/bursa-asahan/vacancies?sector=Z&regency=99.99&limit=0"
    )
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"sector", "regency", "limit"}
    assert fields["regency"] == "Pilih kabupaten, kota, atau negara dari daftar."
    booths = await client.get("/api/v1/fairs/bursa-asahan/booths?education=SARJANA")
    assert booths.status_code == 422
    assert set(booths.json()["error"]["fields"]) == {"education"}


async def test_codes_are_read_in_any_case(client: httpx.AsyncClient, ctx: AppContext) -> None:
    await build_fair(ctx)
    upper = (await client.get("/api/v1/fairs/bursa-asahan/vacancies?sector=A&education=SD")).json()
    lower = (await client.get("/api/v1/fairs/bursa-asahan/vacancies?sector=a&education=sd")).json()
    assert upper == lower and upper["total"] > 0
