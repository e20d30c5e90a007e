"""The organiser's fair actions in the API: close a fair early, move its decision
deadline — who may, which fairs, bad input and the refusals of a closed fair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select
from support import factories
from support.api_contract import conforms
from support.clock import Clock
from support.factories import hash_password

from jobfair.context import AppContext
from jobfair.models import AuditLog, Fair, User
from jobfair.models.accounts import Role
from jobfair.models.fairs import FairStatus

CLOSE = "/api/v1/fairs/{slug}/close"
DEADLINE = "/api/v1/fairs/{slug}/deadline"


@dataclass
class Setup:
    slug: str
    draft: str
    cancelled: str
    fair_id: int


async def _user(ctx: AppContext, email: str, role: str, office_id: int | None = None) -> None:
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


async def _bearer(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _setup(ctx: AppContext) -> Setup:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        other = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        draft = await factories.fair(session, office_row=office, status=FairStatus.DRAFT)
        cancelled = await factories.fair(session, office_row=office, status=FairStatus.CANCELLED)
        company = await factories.company(session)
        await factories.recruiter(session, company_row=company, email="hrd@a.test")
        person = await factories.applicant(session, vault=ctx.nik_vault)
        person_user = await session.get(User, person.user_id)
        assert person_user is not None
        person_user.email = "ani@example.test"
        person_user.password_hash = hash_password(factories.PASSWORD)
        result = Setup(fair.slug, draft.slug, cancelled.slug, fair.id)
        office_id, other_id = office.id, other.id
    await _user(ctx, "org@a.test", Role.ORGANISER, office_id)
    await _user(ctx, "org@b.test", Role.ORGANISER, other_id)
    await _user(ctx, "admin@x.test", Role.ADMIN)
    return result


async def _fair(ctx: AppContext, fair_id: int) -> Fair:
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        return fair


async def _actions(ctx: AppContext, fair_id: int) -> list[str]:
    async with ctx.read() as session:
        return list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.fair_id == fair_id).order_by(AuditLog.id)
            )
        )


async def test_organiser_moves_the_deadline_then_closes_early(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    setup = await _setup(ctx)
    organiser = await _bearer(client, "org@a.test")
    before = await _fair(ctx, setup.fair_id)

    moved = await client.post(
        DEADLINE.format(slug=setup.slug),
        json={"decisions_close_at": "2026-11-30T17:00:00+07:00"},
        headers=organiser,
    )
    assert moved.status_code == 200, moved.text
    conforms(moved, "POST", DEADLINE)
    body = moved.json()
    assert body["slug"] == setup.slug and body["phase"] == "open"
    assert datetime.fromisoformat(body["decision_deadline"]) == datetime(
        2026, 11, 30, 10, 0, tzinfo=UTC
    )
    fair = await _fair(ctx, setup.fair_id)
    assert fair.decision_deadline == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert fair.closes_at == before.closes_at

    closed = await client.post(CLOSE.format(slug=setup.slug), headers=organiser)
    assert closed.status_code == 200, closed.text
    conforms(closed, "POST", CLOSE)
    body = closed.json()
    assert body["phase"] == "closed" and body["status"] == "published"
    fair = await _fair(ctx, setup.fair_id)
    assert fair.closes_at == clock.now
    # Closing early keeps the decision deadline companies were promised.
    assert fair.decision_deadline == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert await _actions(ctx, setup.fair_id) == ["fair.deadline_moved", "fair.closed_early"]

    # A closed fair cannot close again; its deadline can still move while it has not passed.
    again = await client.post(CLOSE.format(slug=setup.slug), headers=organiser)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    conforms(again, "POST", CLOSE)
    admin = await _bearer(client, "admin@x.test")
    later = await client.post(
        DEADLINE.format(slug=setup.slug),
        json={"decisions_close_at": "2026-12-01T08:00:00Z"},
        headers=admin,
    )
    assert later.status_code == 200
    clock.advance(timedelta(days=30))  # past the deadline: the open applications closed
    passed = await client.post(
        DEADLINE.format(slug=setup.slug),
        json={"decisions_close_at": "2027-01-30T08:00:00+07:00"},
        headers=organiser,
    )
    assert passed.status_code == 409 and passed.json()["error"]["code"] == "conflict"


async def test_who_may_and_which_fairs(client: httpx.AsyncClient, ctx: AppContext) -> None:
    setup = await _setup(ctx)
    body = {"decisions_close_at": "2026-11-30T17:00:00+07:00"}
    paths = (CLOSE.format(slug=setup.slug), DEADLINE.format(slug=setup.slug))
    for path in paths:
        assert (await client.post(path, json=body)).status_code == 401
    for email in ("hrd@a.test", "ani@example.test"):
        headers = await _bearer(client, email)
        for path in paths:
            # Not an organiser: 403, even with a body that would not parse.
            for payload in (body, {"decisions_close_at": 5}):
                response = await client.post(path, json=payload, headers=headers)
                assert response.status_code == 403, (email, path)
                assert response.json()["error"]["code"] == "forbidden"
    other = await _bearer(client, "org@b.test")
    for path in paths:
        response = await client.post(path, json=body, headers=other)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    organiser = await _bearer(client, "org@a.test")
    for slug in ("nope", "NOPE-1"):
        response = await client.post(CLOSE.format(slug=slug), headers=organiser)
        assert response.status_code == 404
    # A draft has nothing to close; a cancelled fair neither closes nor moves.
    for slug in (setup.draft, setup.cancelled):
        response = await client.post(CLOSE.format(slug=slug), headers=organiser)
        assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    response = await client.post(
        DEADLINE.format(slug=setup.cancelled), json=body, headers=organiser
    )
    assert response.status_code == 409
    fair = await _fair(ctx, setup.fair_id)
    assert fair.closes_at == datetime(2026, 11, 10, 1, 0, tzinfo=UTC)  # nothing changed
    assert await _actions(ctx, setup.fair_id) == []


async def test_a_bad_deadline_is_refused_with_the_field(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    setup = await _setup(ctx)
    organiser = await _bearer(client, "org@a.test")
    path = DEADLINE.format(slug=setup.slug)
    for payload in (
        {},
        {"decisions_close_at": "besok"},
        {"decisions_close_at": "2026-11-30T17:00:00"},  # no offset: which zone?
        {"decisions_close_at": "2026-11-30"},
        {"decisions_close_at": 1798000000},
        {"decisions_close_at": None},
        {"decisions_close_at": "2026-11-05T09:00:00+07:00"},  # in the past
        {"decisions_close_at": "2026-11-09T08:00:00+07:00"},  # before the close
    ):
        response = await client.post(path, json=payload, headers=organiser)
        assert response.status_code == 422, (payload, response.text)
        error = response.json()["error"]
        assert error["code"] == "validation_failed", payload
        assert set(error["fields"]) == {"decisions_close_at"}, payload
        conforms(response, "POST", DEADLINE)
    for raw in (b"[]", b"not json"):
        response = await client.post(
            path, content=raw, headers={**organiser, "content-type": "application/json"}
        )
        assert response.status_code == 422
    fair = await _fair(ctx, setup.fair_id)
    assert fair.decision_deadline == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    assert await _actions(ctx, setup.fair_id) == []
