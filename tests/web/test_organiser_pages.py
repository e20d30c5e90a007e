"""The organiser console in the browser: landing, fairs (create, edit, publish, extend,
cancel), companies, organiser accounts, the audit log; who may see what, and CSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in

from jobfair.context import AppContext
from jobfair.models import (
    AuditLog,
    Fair,
    LabourOffice,
    OfficeVerification,
    User,
    UserSession,
    Vacancy,
)
from jobfair.models.fairs import FairStatus

FAIR_FORM = {
    "slug": "bursa-asahan-2027",
    "name": "Bursa Kerja Asahan 2027",
    "description": "",
    "timezone": "Asia/Jakarta",
    "registration_opens_at": "2027-01-04T08:00",
    "opens_at": "2027-01-11T08:00",
    "closes_at": "2027-01-18T16:00",
    "decision_deadline": "2027-02-01T16:00",
    "host_province": "12",
    "host_regency_code": "12.09",
    "local_hiring_target": "60",
    "application_cap": "10",
}


def _client(app: Starlette) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    client.cookies.set("lang", "en")
    return client


async def _world(ctx: AppContext) -> dict[str, object]:
    """An office with a published fair, a pending company asking for a booth, and an
    organiser; another office with its own organiser; an admin; a recruiter."""
    async with ctx.unit_of_work() as session:
        office = await factories.office(session, name="Disnaker Asahan")
        other = await factories.office(session, name="Disnaker Medan")
        fair = await factories.fair(session, office_row=office, slug="bursa-uji")
        company = await factories.company(session, name="PT Sawit Baru", verification="pending")
        booth = await factories.booth(
            session, fair_row=fair, company_row=company, status="requested"
        )
        await factories.vacancy(session, booth_row=booth, verification="pending")
        me = await factories.organiser(session, office_row=office, email="saya@disnaker.test")
        colleague = await factories.organiser(
            session, office_row=office, email="rekan@disnaker.test", full_name="Rekan Kerja"
        )
        await factories.organiser(session, office_row=other, email="lain@disnaker.test")
        await factories.organiser(
            session, office_row=other, email="admin@disnaker.test", role="admin"
        )
        await factories.recruiter(
            session, company_row=await factories.company(session), email="hrd@pt.test"
        )
        return {
            "office": office.id,
            "fair": fair.id,
            "company": company.id,
            "booth": booth.id,
            "me": me.id,
            "colleague": colleague.id,
        }


async def _signed_in(app: Starlette, email: str) -> httpx.AsyncClient:
    client = _client(app)
    response = await sign_in(client, email, factories.PASSWORD)
    assert response.status_code == 303
    return client


async def _post(
    client: httpx.AsyncClient, path: str, data: dict[str, object], page: str = "/organiser"
) -> httpx.Response:
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "csrf_token": token})


async def _audit(ctx: AppContext, action: str) -> AuditLog | None:
    async with ctx.read() as session:
        return await session.scalar(
            select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id.desc())
        )


async def test_organisers_land_on_the_console(app: Starlette, ctx: AppContext) -> None:
    await _world(ctx)
    client = _client(app)
    signed = await sign_in(client, "saya@disnaker.test", factories.PASSWORD)
    assert signed.headers["location"] == "/organiser"
    home = await client.get("/organiser")
    assert home.status_code == 200
    assert 'href="/organiser">Console</a>' in home.text
    assert "Bursa Kerja Virtual" in home.text and 'href="/organiser/fairs/bursa-uji"' in home.text
    # One booth request and one vacancy wait; one company waits for verification.
    assert "1 booths, 1 vacancies" in home.text
    assert 'href="/organiser/fairs/bursa-uji/queue"' in home.text
    admin = _client(app)
    assert (await sign_in(admin, "admin@disnaker.test", factories.PASSWORD)).headers[
        "location"
    ] == "/organiser"
    admin_home = await admin.get("/organiser")
    assert "Disnaker Asahan" in admin_home.text
    stranger = await _signed_in(app, "lain@disnaker.test")
    assert "bursa-uji" not in (await stranger.get("/organiser")).text


async def test_who_may_enter(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    anonymous = _client(app)
    for path in ("/organiser", "/organiser/fairs/bursa-uji", "/organiser/audit"):
        response = await anonymous.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    recruiter = await _signed_in(app, "hrd@pt.test")
    for path in ("/organiser", "/organiser/companies", "/organiser/users", "/organiser/audit"):
        assert (await recruiter.get(path)).status_code == 403
    applicant = _client(app)
    async with ctx.unit_of_work() as session:
        person = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, person.user_id)
        assert user is not None
        user.password_hash = (await session.get(User, ids["me"])).password_hash  # type: ignore[union-attr]
        email = user.email
    assert email is not None
    await sign_in(applicant, email, factories.PASSWORD)
    assert (await applicant.get("/organiser/fairs/new")).status_code == 403
    stranger = await _signed_in(app, "lain@disnaker.test")
    for path in (
        "/organiser/fairs/bursa-uji",
        "/organiser/fairs/bursa-uji/edit",
        "/organiser/fairs/bursa-uji/queue",
    ):
        assert (await stranger.get(path)).status_code == 404
    for path, data in (
        ("/organiser/fairs/bursa-uji/publish", {}),
        ("/organiser/fairs/bursa-uji/cancel", {"confirm": "yes"}),
        ("/organiser/fairs/bursa-uji/extend", {"closes_at": "2030-01-01T08:00"}),
        (f"/organiser/companies/{ids['company']}/decision", {"decision": "approve"}),
        (f"/organiser/users/{ids['colleague']}/active", {"active": "0"}),
    ):
        assert (await _post(stranger, path, data)).status_code == 404
    async with ctx.read() as session:
        fair = await session.get(Fair, ids["fair"])
        colleague = await session.get(User, ids["colleague"])
        decided = await session.scalar(
            select(func.count())
            .select_from(OfficeVerification)
            .where(OfficeVerification.company_id == ids["company"])
        )
    assert fair is not None and fair.status == FairStatus.PUBLISHED
    assert colleague is not None and colleague.is_active
    assert decided == 0  # no office has decided: still pending


async def test_every_change_needs_the_csrf_token(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    for path, data in (
        ("/organiser/fairs", FAIR_FORM),
        ("/organiser/fairs/bursa-uji/edit", FAIR_FORM),
        ("/organiser/fairs/bursa-uji/cancel", {"confirm": "yes"}),
        ("/organiser/fairs/bursa-uji/extend", {"closes_at": "2030-01-01T08:00"}),
        ("/organiser/fairs/bursa-uji/publish", {}),
        (f"/organiser/companies/{ids['company']}/decision", {"decision": "approve"}),
        ("/organiser/users", {"full_name": "X", "email": "x@y.test", "mode": "invite"}),
        (f"/organiser/users/{ids['colleague']}/active", {"active": "0"}),
        (f"/organiser/fairs/bursa-uji/booths/{ids['booth']}/decision", {"decision": "approve"}),
    ):
        response = await client.post(path, data=data)
        assert response.status_code == 403, path
        assert "The form has expired" in response.text
    async with ctx.read() as session:
        assert (await session.scalar(select(Fair).where(Fair.slug == "bursa-asahan-2027"))) is None
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None and fair.status == FairStatus.PUBLISHED


async def test_create_a_fair_from_the_form(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    form = await client.get("/organiser/fairs/new")
    assert form.status_code == 200 and 'type="datetime-local"' in form.text
    # The no-JavaScript picker adds a regency without saving.
    added = await _post(
        client, "/organiser/fairs", {**FAIR_FORM, "action": "add_host"}, "/organiser/fairs/new"
    )
    assert added.status_code == 200 and 'name="host_regency_codes" value="12.09"' in added.text
    for changes, field, status in (
        ({"closes_at": "2027-01-10T08:00"}, "closes_at", 422),
        ({"timezone": "UTC"}, "timezone", 422),
        ({"application_cap": "0"}, "application_cap", 422),
        ({"slug": "Bursa Asahan!"}, "slug", 422),
        ({"slug": "bursa-uji"}, "slug", 409),
    ):
        bad = await _post(
            client, "/organiser/fairs", {**FAIR_FORM, **changes}, "/organiser/fairs/new"
        )
        assert bad.status_code == status, changes
        assert f'id="{field}-error"' in bad.text
    assert "Another fair already uses this address." in bad.text
    created = await _post(client, "/organiser/fairs", FAIR_FORM, "/organiser/fairs/new")
    assert created.status_code == 303
    assert created.headers["location"] == "/organiser/fairs/bursa-asahan-2027?done=created"
    page = await client.get(created.headers["location"])
    assert "created as a draft" in page.text and "Kabupaten Asahan" in page.text
    for link in ("/queue", "/live", "/report"):
        assert f'href="/organiser/fairs/bursa-asahan-2027{link}"' in page.text
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == "bursa-asahan-2027"))
        assert fair is not None and fair.status == FairStatus.DRAFT
        assert fair.office_id == ids["office"] and fair.host_regency_codes == ["12.09"]
        assert fair.opens_at == datetime(2027, 1, 11, 1, 0, tzinfo=UTC)
        assert (fair.application_cap, fair.local_hiring_target) == (10, 60)
    entry = await _audit(ctx, "fair.created")
    assert entry is not None and entry.actor_user_id == ids["me"] and entry.fair_id == fair.id


async def test_edit_publish_extend_and_cancel(app: Starlette, ctx: AppContext) -> None:
    await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    await _post(client, "/organiser/fairs", FAIR_FORM, "/organiser/fairs/new")
    base = "/organiser/fairs/bursa-asahan-2027"
    edit = await client.get(f"{base}/edit")
    assert 'value="2027-01-11T08:00"' in edit.text
    changed = await client.post(
        f"{base}/edit",
        data={
            **FAIR_FORM,
            "name": "Bursa Baru",
            "host_regency_codes": ["12.09"],
            "host_regency_code": "12.08",
            "application_cap": "",
            "csrf_token": csrf_of(edit.text),
        },
    )
    assert changed.status_code == 303 and changed.headers["location"] == f"{base}?done=saved"
    bad = await client.post(
        f"{base}/edit",
        data={
            **FAIR_FORM,
            "decision_deadline": "2027-01-01T08:00",
            "csrf_token": csrf_of(edit.text),
        },
    )
    assert bad.status_code == 422 and 'id="decision_deadline-error"' in bad.text
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == "bursa-asahan-2027"))
        assert fair is not None and fair.name == "Bursa Baru" and fair.application_cap is None
        assert fair.host_regency_codes == ["12.08", "12.09"]
        fair_id = fair.id
    updated = await _audit(ctx, "fair.updated")
    assert updated is not None and "name" in updated.data["fields"]

    published = await _post(client, f"{base}/publish", {}, base)
    assert published.headers["location"] == f"{base}?done=published"
    again = await _post(client, f"{base}/publish", {}, base)
    assert again.status_code == 409 and "already published" in again.text
    earlier = await _post(client, f"{base}/extend", {"closes_at": "2027-01-12T08:00"}, base)
    assert earlier.status_code == 422
    assert "The new close must be later than the current close." in earlier.text
    extended = await _post(client, f"{base}/extend", {"closes_at": "2027-01-20T16:00"}, base)
    assert extended.headers["location"] == f"{base}?done=extended"
    unconfirmed = await _post(client, f"{base}/cancel", {}, base)
    assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.text
    cancelled = await _post(client, f"{base}/cancel", {"confirm": "yes"}, base)
    assert cancelled.headers["location"] == f"{base}?done=cancelled"
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.status == FairStatus.CANCELLED
        assert fair.closes_at == datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
        assert fair.decision_deadline == datetime(2027, 2, 3, 9, 0, tzinfo=UTC)
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.fair_id == fair_id).order_by(AuditLog.id)
            )
        )
    assert actions == [
        "fair.created",
        "fair.updated",
        "fair.published",
        "fair.extended",
        "fair.cancelled",
    ]
    page = await client.get(base)
    assert "Extend the fair" not in page.text
    locked = await _post(client, f"{base}/edit", FAIR_FORM, f"{base}/edit")
    assert locked.status_code == 409


async def test_close_a_fair_early_and_move_its_deadline(app: Starlette, ctx: AppContext) -> None:
    world = await _world(ctx)
    async with ctx.unit_of_work() as session:
        office = await session.get(LabourOffice, world["office"])
        assert office is not None
        now = ctx.now()
        fair = await factories.fair(
            session, office_row=office, slug="bursa-buka", opens_at=now - timedelta(days=1)
        )
        deadline = fair.decision_deadline
    client = await _signed_in(app, "saya@disnaker.test")
    base = "/organiser/fairs/bursa-buka"
    page = await client.get(base)
    assert "Close the fair now" in page.text and "Move the deadline" in page.text
    unconfirmed = await _post(client, f"{base}/close", {}, base)
    assert unconfirmed.status_code == 422 and 'id="confirm_close-error"' in unconfirmed.text
    closed = await _post(client, f"{base}/close", {"confirm": "yes"}, base)
    assert closed.headers["location"] == f"{base}?done=closed"
    bad = await _post(client, f"{base}/deadline", {"decision_deadline": "soon"}, base)
    assert bad.status_code == 422 and 'id="new_deadline-error"' in bad.text
    later = (deadline + timedelta(days=7)).astimezone(ZoneInfo("Asia/Jakarta"))
    moved = await _post(
        client, f"{base}/deadline", {"decision_deadline": later.strftime("%Y-%m-%dT%H:%M")}, base
    )
    assert moved.headers["location"] == f"{base}?done=deadline_moved"
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == "bursa-buka"))
        assert fair is not None and fair.closes_at <= ctx.now()
        assert fair.decision_deadline == later.replace(second=0, microsecond=0)
        actions = list(
            await session.scalars(select(AuditLog.action).where(AuditLog.fair_id == fair.id))
        )
    assert "fair.closed_early" in actions and "fair.deadline_moved" in actions
    assert "Close the fair now" not in (await client.get(base)).text


async def test_a_published_fair_locks_its_window_in_the_form(
    app: Starlette, ctx: AppContext
) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    edit = await client.get("/organiser/fairs/bursa-uji/edit")
    assert 'name="opens_at" type="datetime-local"' in edit.text and "disabled" in edit.text
    response = await client.post(
        "/organiser/fairs/bursa-uji/edit",
        data={
            "name": "Nama Baru",
            "host_regency_codes": ["12.09"],
            "csrf_token": csrf_of(edit.text),
        },
    )
    assert response.status_code == 303
    async with ctx.read() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None and fair.name == "Nama Baru"
        assert fair.opens_at == datetime(2026, 11, 3, 1, 0, tzinfo=UTC)


async def test_companies_filter_and_decisions(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    async with ctx.unit_of_work() as session:
        # A company elsewhere is invisible to this office.
        await factories.booth(
            session,
            fair_row=await factories.fair(session),
            company_row=await factories.company(
                session, name="PT Kantor Lain", verification="pending"
            ),
        )
    client = await _signed_in(app, "saya@disnaker.test")
    pending = await client.get("/organiser/companies?status=pending")
    assert "PT Sawit Baru" in pending.text and "PT Kantor Lain" not in pending.text
    assert 'href="/organiser/fairs/bursa-uji/queue"' in pending.text
    assert "PT Sawit Baru" not in (await client.get("/organiser/companies?status=verified")).text
    path = f"/organiser/companies/{ids['company']}/decision"
    no_reason = await _post(client, path, {"decision": "reject"}, "/organiser/companies")
    field = f"reason-{ids['company']}-{ids['office']}"
    assert no_reason.status_code == 422 and f'id="{field}-error"' in no_reason.text
    rejected = await _post(
        client, path, {"decision": "reject", "reason": "NIB tidak aktif"}, "/organiser/companies"
    )
    assert rejected.status_code == 303
    listing = await client.get("/organiser/companies?status=rejected")
    assert "PT Sawit Baru" in listing.text and "NIB tidak aktif" in listing.text
    async with ctx.read() as session:
        decision = await session.scalar(
            select(OfficeVerification).where(OfficeVerification.company_id == ids["company"])
        )
        assert decision is not None and decision.status == "rejected"
        assert decision.reason == "NIB tidak aktif" and decision.office_id == ids["office"]
    entry = await _audit(ctx, "company.rejected")
    assert (
        entry is not None and entry.object_id == ids["company"] and entry.actor_user_id == ids["me"]
    )
    admin = await _signed_in(app, "admin@disnaker.test")
    everything = await admin.get("/organiser/companies")
    assert "PT Sawit Baru" in everything.text and "PT Kantor Lain" in everything.text
    approved = await _post(admin, path, {"decision": "approve"}, "/organiser/companies")
    assert approved.status_code == 303
    assert (await _audit(ctx, "company.verified")) is not None


async def test_organiser_accounts(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    colleague = await _signed_in(app, "rekan@disnaker.test")
    client = await _signed_in(app, "saya@disnaker.test")
    users = await client.get("/organiser/users")
    assert "Rekan Kerja" in users.text and "lain@disnaker.test" not in users.text
    assert 'name="role"' not in users.text  # only admins may add admins
    bad = await _post(
        client,
        "/organiser/users",
        {"full_name": "", "email": "bukan", "mode": "password"},
        "/organiser/users",
    )
    assert bad.status_code == 422
    for field in ("full_name", "email", "password"):
        assert f'id="{field}-error"' in bad.text
    as_admin = await _post(
        client,
        "/organiser/users",
        {"full_name": "Bos", "email": "bos@disnaker.test", "mode": "invite", "role": "admin"},
        "/organiser/users",
    )
    assert as_admin.status_code == 403
    invited = await _post(
        client,
        "/organiser/users",
        {"full_name": "Dewi Petugas", "email": "dewi@disnaker.test", "mode": "invite"},
        "/organiser/users",
    )
    assert invited.headers["location"] == "/organiser/users?done=invited"
    added = await _post(
        client,
        "/organiser/users",
        {
            "full_name": "Eko",
            "email": "eko@disnaker.test",
            "mode": "password",
            "password": factories.PASSWORD,
        },
        "/organiser/users",
    )
    assert added.status_code == 303
    assert (await sign_in(_client(app), "eko@disnaker.test", factories.PASSWORD)).headers[
        "location"
    ] == "/organiser"
    async with ctx.read() as session:
        dewi = await session.scalar(select(User).where(User.email == "dewi@disnaker.test"))
        assert dewi is not None and dewi.office_id == ids["office"] and dewi.role == "organiser"
    assert (await _audit(ctx, "user.invited")) is not None
    # Disabling ends the colleague's sessions at once.
    disabled = await _post(
        client, f"/organiser/users/{ids['colleague']}/active", {"active": "0"}, "/organiser/users"
    )
    assert disabled.headers["location"] == "/organiser/users?done=disabled"
    after = await colleague.get("/organiser")
    assert after.status_code == 303 and after.headers["location"].startswith("/login")
    async with ctx.read() as session:
        live = await session.scalar(
            select(UserSession).where(
                UserSession.user_id == ids["colleague"], UserSession.revoked_at.is_(None)
            )
        )
        assert live is None
    entry = await _audit(ctx, "user.disabled")
    assert entry is not None and entry.object_id == ids["colleague"]
    enabled = await _post(
        client, f"/organiser/users/{ids['colleague']}/active", {"active": "1"}, "/organiser/users"
    )
    assert enabled.status_code == 303
    assert (await _audit(ctx, "user.enabled")) is not None
    own = await _post(
        client, f"/organiser/users/{ids['me']}/active", {"active": "0"}, "/organiser/users"
    )
    assert own.status_code == 409
    # An admin may add an admin.
    admin = await _signed_in(app, "admin@disnaker.test")
    made = await _post(
        admin,
        "/organiser/users",
        {
            "full_name": "Admin Dua",
            "email": "admin2@disnaker.test",
            "mode": "password",
            "password": factories.PASSWORD,
            "role": "admin",
            "office": "",
        },
        "/organiser/users",
    )
    assert made.status_code == 303
    async with ctx.read() as session:
        boss = await session.scalar(select(User).where(User.email == "admin2@disnaker.test"))
        assert boss is not None and boss.role == "admin"


async def test_audit_viewer(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    await _post(client, "/organiser/fairs/bursa-uji/cancel", {"confirm": "yes"}, "/organiser")
    stranger = await _signed_in(app, "lain@disnaker.test")
    page = await client.get("/organiser/audit?action=fair.")
    assert page.status_code == 200 and "fair.cancelled" in page.text
    results = page.text[page.text.index('id="audit-results"') :]
    assert "saya@disnaker.test" in results
    assert "user.signed_in" not in results
    fragment = await client.get("/organiser/audit?action=user.", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="audit-results">')
    assert "user.signed_in" in fragment.text
    filtered = await client.get(f"/organiser/audit?object_type=fair&object_id={ids['fair']}")
    assert "fair.cancelled" in filtered.text
    none = await client.get("/organiser/audit?object_type=fair&object_id=999999")
    assert "No entry matches." in none.text
    bad = await client.get("/organiser/audit?date_from=kemarin&actor=siapa")
    assert bad.status_code == 200 and 'id="date_from-error"' in bad.text
    assert 'id="actor-error"' in bad.text
    others = (await stranger.get("/organiser/audit")).text
    others = others[others.index('id="audit-results"') :]
    assert "fair.cancelled" not in others and "saya@disnaker.test" not in others
    assert "lain@disnaker.test" in others  # their own sign-in


@pytest.mark.parametrize("kind", ["booths", "vacancies"])
async def test_queue_moved_but_still_answers(app: Starlette, ctx: AppContext, kind: str) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    queue = await client.get("/organiser/fairs/bursa-uji/queue")
    assert queue.status_code == 200 and "PT Sawit Baru" in queue.text
    async with ctx.read() as session:
        vacancy_id = await session.scalar(select(Vacancy.id))
    object_id = ids["booth"] if kind == "booths" else vacancy_id
    decided = await client.post(
        f"/organiser/fairs/bursa-uji/{kind}/{object_id}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(queue.text)},
    )
    assert decided.status_code == 303
    assert decided.headers["location"].startswith("/organiser/fairs/bursa-uji/queue?notice=")
    action = "booth.approved" if kind == "booths" else "vacancy.verified"
    assert (await _audit(ctx, action)) is not None
    unknown = await client.post(
        f"/organiser/fairs/bursa-uji/stands/{object_id}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(queue.text)},
    )
    assert unknown.status_code == 404


async def test_queue_shows_every_field_a_vacancy_is_verified_on(
    app: Starlette, ctx: AppContext
) -> None:
    await _world(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == "bursa-uji"))
        assert fair is not None
        booth = await factories.booth(session, fair_row=fair, status="approved")
        await factories.vacancy(
            session,
            booth_row=booth,
            title="Perawat Luar Negeri",
            kbji_code="2221",
            openings_male=0,
            openings_female=4,
            openings_either=3,
            age_min=21,
            age_max=40,
            experience_years=2,
            education_min="D3",
            salary_min=None,
            salary_max=None,
            work_regency_code="JP",
            employment_type="pkwtt",
            deadline=datetime(2027, 1, 15).date(),
            verification="pending",
        )
    client = await _signed_in(app, "saya@disnaker.test")
    page = (await client.get("/organiser/fairs/bursa-uji/queue")).text
    card = page[page.index("Perawat Luar Negeri") :]
    card = card[: card.index("<form")]  # the card up to its decision form
    for text in (
        "21 to 40 years",
        "Women: 4",
        "Men or women: 3",
        "Health professionals (KBJI 2221)",  # named by its sub-major group
        "Permanent (PKWTT)",
        "15 January 2027",
        "Negotiable",
        "Japan",
        "2 years",
    ):
        assert text in card, text
    assert "Men: " not in card  # no openings for men: not shown as zero
    # The factory's vacancy: Indonesian labels from the same filters.
    client.cookies.set("lang", "id")
    indonesian = (await client.get("/organiser/fairs/bursa-uji/queue")).text
    assert "Kontrak (PKWT)" in indonesian and "Diploma III" in indonesian
    assert "Jepang" in indonesian and "Dapat dinegosiasikan" in indonesian
    assert "18 sampai 35 tahun" in indonesian and "21 sampai 40 tahun" in indonesian


async def test_companies_search_filters_and_table(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None
        for name, nib, kbli, regency in (
            ("CV Roti Manis", "8120000000001", "10710", "12.71"),
            ("PT Bengkel Jaya", "8120000000002", "45201", "12.09"),
        ):
            section = "C" if kbli.startswith("1") else "G"
            await factories.booth(
                session,
                fair_row=fair,
                company_row=await factories.company(
                    session,
                    name=name,
                    nib=nib,
                    kbli=kbli,
                    kbli_section=section,
                    regency_code=regency,
                ),
                status="requested",
            )
    client = await _signed_in(app, "saya@disnaker.test")
    page = await client.get("/organiser/companies")
    assert '<table class="screening companies">' in page.text
    assert 'class="table-wrap"' in page.text and '<th scope="col">NIB</th>' in page.text
    assert "Status in your office" in page.text and page.text.count("<details") == 3
    by_name = (await client.get("/organiser/companies?q=roti")).text
    assert "CV Roti Manis" in by_name and "PT Bengkel Jaya" not in by_name
    by_nib = (await client.get("/organiser/companies?q=8120000000002")).text
    assert "PT Bengkel Jaya" in by_nib and "CV Roti Manis" not in by_nib
    by_section = (await client.get("/organiser/companies?kbli=c")).text
    assert "CV Roti Manis" in by_section and "PT Bengkel Jaya" not in by_section
    by_code = (await client.get("/organiser/companies?kbli=452")).text
    assert "PT Bengkel Jaya" in by_code and "CV Roti Manis" not in by_code
    by_regency = (await client.get("/organiser/companies?regency=12.71")).text
    assert "CV Roti Manis" in by_regency and "PT Bengkel Jaya" not in by_regency
    assert '<option value="12.71" selected>' in by_regency
    # A bad filter is named and dropped; the page still lists.
    bad = await client.get("/organiser/companies?kbli=10.7&regency=99.99&status=maybe")
    assert bad.status_code == 200 and 'id="f-kbli-error"' in bad.text
    assert 'id="f-regency-error"' in bad.text and 'id="f-status-error"' in bad.text
    assert "CV Roti Manis" in bad.text and "PT Bengkel Jaya" in bad.text
    # A decision from a filtered list comes back to the same filters.
    path = f"/organiser/companies/{ids['company']}/decision?q=sawit&status=pending"
    decided = await _post(client, path, {"decision": "approve"}, "/organiser/companies")
    assert decided.status_code == 303
    assert decided.headers["location"] == "/organiser/companies?done=saved&q=sawit&status=pending"
    verified = (await client.get("/organiser/companies?status=verified")).text
    pending = (await client.get("/organiser/companies?status=pending")).text
    assert "PT Sawit Baru" in verified and "PT Sawit Baru" not in pending


async def test_companies_pages_keep_the_filters(
    app: Starlette, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobfair.services import companies as companies_service

    monkeypatch.setattr(companies_service, "COMPANIES_PAGE", 1)
    ids = await _world(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, ids["fair"])
        assert fair is not None
        await factories.booth(
            session,
            fair_row=fair,
            company_row=await factories.company(session, name="PT Sawit Lama"),
        )
    client = await _signed_in(app, "saya@disnaker.test")
    first = (await client.get("/organiser/companies?q=sawit")).text
    assert 'href="?q=sawit&amp;page=2"' in first
    second = (await client.get("/organiser/companies?q=sawit&page=2")).text
    assert 'href="?q=sawit"' in second and "Next" not in second


async def test_audit_log_speaks_the_users_language(app: Starlette, ctx: AppContext) -> None:
    ids = await _world(ctx)
    client = await _signed_in(app, "saya@disnaker.test")
    async with ctx.read() as session:
        vacancy_id = await session.scalar(select(Vacancy.id))
    queue = await client.get("/organiser/fairs/bursa-uji/queue")
    await client.post(
        f"/organiser/fairs/bursa-uji/vacancies/{vacancy_id}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(queue.text)},
    )
    path = f"/organiser/companies/{ids['company']}/decision"
    await _post(client, path, {"decision": "reject", "reason": "NIB palsu"}, "/organiser")
    page = await client.get("/organiser/audit")
    results = page.text[page.text.index('id="audit-results"') :]
    assert "Vacancy verified" in results and "Company rejected" in results
    assert "Signed in" in results
    # The object by name, with a link: the company to its row in the console's list.
    assert '<a href="/organiser/companies?q=' in results and ">PT Sawit Baru</a>" in results
    # The action filter is a list of the known actions, by label.
    assert '<select id="action" name="action">' in page.text
    assert '<option value="vacancy.verified">Vacancy verified</option>' in page.text
    only = await client.get("/organiser/audit?action=vacancy.verified")
    only_results = only.text[only.text.index('id="audit-results"') :]
    assert "Vacancy verified" in only_results and "Company rejected" not in only_results
    assert '<option value="vacancy.verified" selected>' in only.text
    # An older link's prefix still filters, and is kept as a choice.
    prefix = await client.get("/organiser/audit?action=company.")
    prefix_results = prefix.text[prefix.text.index('id="audit-results"') :]
    assert "Company rejected" in prefix_results and "Vacancy verified" not in prefix_results
    assert '<option value="company." selected>Starting with company.</option>' in prefix.text
    client.cookies.set("lang", "id")
    indonesian = (await client.get("/organiser/audit")).text
    assert "Lowongan diverifikasi" in indonesian and "Perusahaan ditolak" in indonesian
