"""The organiser console's rules: fairs by the events/ rules, lifecycle actions, company
verification, organiser accounts and the scoped audit log — each audited, each scoped
to the organiser's office."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from support import factories

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import AuditLog, Company, Fair, LabourOffice, Outbox, PasswordReset, User
from jobfair.models.fairs import FairStatus
from jobfair.services import audit, auth, organiser
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.organiser import AuditFilters

NOW = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)

FORM = {
    "slug": "bursa-kerja-asahan-2027",
    "name": "Bursa Kerja Virtual Asahan 2027",
    "description": "Untuk warga Asahan.",
    "timezone": "Asia/Jakarta",
    "registration_opens_at": "2027-01-04T08:00",
    "opens_at": "2027-01-11T08:00",
    "closes_at": "2027-01-18T16:00",
    "decision_deadline": "2027-02-01T16:00",
    "local_hiring_target": "60",
    "application_cap": "10",
}


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


async def _actions(ctx: AppContext, **where: object) -> list[str]:
    async with ctx.read() as session:
        query = select(AuditLog.action).order_by(AuditLog.id)
        for key, value in where.items():
            query = query.where(getattr(AuditLog, key) == value)
        return list(await session.scalars(query))


async def _world(ctx: AppContext) -> dict[str, int]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        other_office = await factories.office(session)
        me = await factories.organiser(session, office_row=office)
        stranger = await factories.organiser(session, office_row=other_office)
        admin = await factories.organiser(session, office_row=other_office, role="admin")
        return {
            "office": office.id,
            "other_office": other_office.id,
            "me": me.id,
            "stranger": stranger.id,
            "admin": admin.id,
        }


async def _user(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


# ------------------------------------------------------------------------ fairs


async def test_create_fair_stores_a_draft_in_the_office_and_audits(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await organiser.create_fair(session, me, FORM, ["12.09", "12.08"], NOW)
        fair_id = fair.id
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        assert fair.office_id == ids["office"] and fair.status == FairStatus.DRAFT
        # Wall time in WIB (UTC+7).
        assert fair.opens_at == datetime(2027, 1, 11, 1, 0, tzinfo=UTC)
        assert fair.decision_deadline == datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
        assert fair.host_regency_codes == ["12.08", "12.09"]
        assert (fair.local_hiring_target, fair.application_cap) == (60, 10)
        assert fair.description == "Untuk warga Asahan."
    assert await _actions(ctx, fair_id=fair_id) == ["fair.created"]
    entry_actor = await _actions(ctx, actor_user_id=ids["me"])
    assert entry_actor == ["fair.created"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_at": "2027-01-10T08:00"}, "closes_at"),
        ({"registration_opens_at": "2027-01-12T08:00"}, "registration_opens_at"),
        ({"decision_deadline": "2027-01-17T08:00"}, "decision_deadline"),
        ({"timezone": "Europe/Berlin"}, "timezone"),
        ({"application_cap": "0"}, "application_cap"),
        ({"application_cap": "-3"}, "application_cap"),
        ({"application_cap": "banyak"}, "application_cap"),
        ({"local_hiring_target": "101"}, "local_hiring_target"),
        ({"slug": "Bursa Kerja"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"name": "  "}, "name"),
        ({"opens_at": "besok"}, "opens_at"),
        ({"opens_at": ""}, "opens_at"),
    ],
)
async def test_create_fair_refuses_what_a_definition_file_may_not_hold(
    ctx: AppContext, changes: dict[str, str], field: str
) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.create_fair(session, me, {**FORM, **changes}, [], NOW)
    assert field in caught.value.fields
    assert "opens_at" not in caught.value.fields or field == "opens_at"
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Fair)) == 0


async def test_create_fair_refuses_bad_hosts_and_a_taken_slug(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.create_fair(session, me, FORM, ["99.99"], NOW)
        assert "host_regency_codes" in caught.value.fields
    async with ctx.unit_of_work() as session:
        await factories.fair(session, slug=FORM["slug"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as taken:
            await organiser.create_fair(session, me, FORM, [], NOW)
    assert taken.value.fields == {"slug": "Another fair already uses this address."}


async def test_admin_names_the_office(ctx: AppContext) -> None:
    ids = await _world(ctx)
    admin = await _user(ctx, ids["admin"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.create_fair(session, admin, FORM, [], NOW)
        assert "office" in caught.value.fields
    async with ctx.unit_of_work() as session:
        fair = await organiser.create_fair(
            session, admin, {**FORM, "office": str(ids["office"])}, [], NOW
        )
        assert fair.office_id == ids["office"]


async def test_update_fair_changes_settings_and_audits_the_fields(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await organiser.create_fair(session, me, FORM, ["12.09"], NOW)
        slug, fair_id = fair.slug, fair.id
    changed = {**FORM, "name": "Bursa Baru", "timezone": "Asia/Makassar", "application_cap": ""}
    async with ctx.unit_of_work() as session:
        await organiser.update_fair(session, me, slug, changed, ["12.09", "12.10"], NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.name == "Bursa Baru"
        assert fair.application_cap is None and fair.host_regency_codes == ["12.09", "12.10"]
        # The same wall time, now read in WITA (UTC+8).
        assert fair.opens_at == datetime(2027, 1, 11, 0, 0, tzinfo=UTC)
        entry = await session.scalar(
            select(AuditLog).where(AuditLog.action == "fair.updated", AuditLog.fair_id == fair_id)
        )
    assert entry is not None and entry.actor_user_id == ids["me"]
    assert set(entry.data["fields"]) >= {"name", "timezone", "application_cap", "opens_at"}
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.update_fair(
                session, me, slug, {**changed, "closes_at": "2027-01-01T08:00"}, [], NOW
            )
        assert "closes_at" in caught.value.fields


async def test_a_published_fair_keeps_its_window_on_edit(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(
            session, office_row=await session.get_one(LabourOffice, ids["office"])
        )
        slug, opens_at = fair.slug, fair.opens_at
    form = {**FORM, "opens_at": "2030-01-01T08:00", "name": "Nama Baru"}
    async with ctx.unit_of_work() as session:
        await organiser.update_fair(session, me, slug, form, ["12.09"], NOW)
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == slug))
        assert fair is not None and fair.name == "Nama Baru" and fair.opens_at == opens_at
        assert fair.slug == slug


async def test_lifecycle_actions_are_audited_and_refused_as_the_service_refuses(
    ctx: AppContext,
) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await organiser.create_fair(session, me, FORM, [], NOW)
        slug, fair_id, closes = fair.slug, fair.id, fair.closes_at
        gap = fair.decision_deadline - fair.closes_at
    async with ctx.unit_of_work() as session:
        await organiser.publish_fair(session, me, slug, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="already published"):
            await organiser.publish_fair(session, me, slug, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as earlier:
            await organiser.extend_fair(session, me, slug, "2027-01-17T08:00", "", NOW)
        assert earlier.value.fields == {
            "closes_at": "The new close must be later than the current close."
        }
        with pytest.raises(ValidationFailed) as unreadable:
            await organiser.extend_fair(session, me, slug, "lusa", "", NOW)
        assert "closes_at" in unreadable.value.fields
    async with ctx.unit_of_work() as session:
        await organiser.extend_fair(session, me, slug, "2027-01-20T16:00", "", NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.closes_at == closes + timedelta(days=2)
        assert fair.decision_deadline - fair.closes_at == gap
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as unconfirmed:
            await organiser.cancel_fair(session, me, slug, False, NOW)
        assert "confirm" in unconfirmed.value.fields
    async with ctx.unit_of_work() as session:
        await organiser.cancel_fair(session, me, slug, True, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="cancelled fair cannot be extended"):
            await organiser.extend_fair(session, me, slug, "2027-01-25T16:00", "", NOW)
        with pytest.raises(Conflict):
            await organiser.update_fair(session, me, slug, FORM, [], NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.status == FairStatus.CANCELLED
    assert await _actions(ctx, fair_id=fair_id) == [
        "fair.created",
        "fair.published",
        "fair.extended",
        "fair.cancelled",
    ]


async def test_a_closed_fair_cannot_be_cancelled(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        slug, after = fair.slug, fair.closes_at + timedelta(hours=1)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="closed cannot be cancelled"):
            await organiser.cancel_fair(session, me, slug, True, after)


async def test_another_office_gets_not_found(ctx: AppContext) -> None:
    ids = await _world(ctx)
    stranger = await _user(ctx, ids["stranger"])
    admin = await _user(ctx, ids["admin"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office, status=FairStatus.DRAFT)
        company = await factories.company(session, verification="pending")
        await factories.booth(session, fair_row=fair, company_row=company)
        slug, company_id = fair.slug, company.id
    async with ctx.unit_of_work() as session:
        for call in (
            organiser.scoped_fair(session, stranger, slug),
            organiser.publish_fair(session, stranger, slug, NOW),
            organiser.cancel_fair(session, stranger, slug, True, NOW),
            organiser.extend_fair(session, stranger, slug, "2030-01-01T08:00", "", NOW),
            organiser.update_fair(session, stranger, slug, FORM, [], NOW),
            organiser.decide_company(session, stranger, company_id, True, "", NOW),
            organiser.set_staff_active(session, stranger, ids["me"], False, NOW),
        ):
            with pytest.raises(NotFound):
                await call
        # An admin reaches every office.
        assert (await organiser.scoped_fair(session, admin, slug)).slug == slug
    home = None
    async with ctx.read() as session:
        home = await organiser.console_home(session, stranger, NOW)
    assert home.fairs == [] and home.companies_waiting == 0


async def test_console_home_counts_the_offices_work(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        pending = await factories.company(session, verification="pending")
        booth = await factories.booth(
            session, fair_row=fair, company_row=pending, status="requested"
        )
        approved = await factories.booth(session, fair_row=fair)
        await factories.vacancy(session, booth_row=booth, verification="pending")
        await factories.vacancy(session, booth_row=approved, verification="pending")
        await factories.vacancy(session, booth_row=approved)
        # Another office's fair and its pending company do not count.
        other = await factories.fair(session)
        await factories.booth(
            session,
            fair_row=other,
            company_row=await factories.company(session, verification="pending"),
            status="requested",
        )
    async with ctx.read() as session:
        home = await organiser.console_home(session, me, NOW)
    assert [row.fair.id for row in home.fairs] == [fair.id]
    row = home.fairs[0]
    assert (row.booths_waiting, row.vacancies_waiting) == (1, 2)
    assert (row.counts.companies, row.counts.vacancies) == (1, 1)
    assert (home.companies_waiting, home.booths_waiting, home.vacancies_waiting) == (1, 1, 2)


# -------------------------------------------------------------------- companies


async def test_company_verification_is_scoped_and_needs_a_reason_to_reject(
    ctx: AppContext,
) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        mine = await factories.company(session, name="PT Milik Kantor", verification="pending")
        await factories.booth(session, fair_row=fair, company_row=mine, status="requested")
        elsewhere = await factories.company(session, name="PT Lain", verification="pending")
        await factories.booth(
            session, fair_row=await factories.fair(session), company_row=elsewhere
        )
        mine_id, elsewhere_id = mine.id, elsewhere.id
    async with ctx.read() as session:
        rows, more = await organiser.list_companies(session, me, "pending")
        assert [row.company.id for row in rows] == [mine_id] and not more
        assert [booth.status for booth, _fair in rows[0].booths] == ["requested"]
        everything, _ = await organiser.list_companies(session, admin, None)
        assert {row.company.id for row in everything} == {mine_id, elsewhere_id}
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.decide_company(session, me, mine_id, False, "  ", NOW)
        assert "reason" in caught.value.fields
        with pytest.raises(NotFound):
            await organiser.decide_company(session, me, elsewhere_id, True, "", NOW)
    async with ctx.unit_of_work() as session:
        await organiser.decide_company(session, me, mine_id, False, "NIB tidak terdaftar", NOW)
    async with ctx.read() as session:
        company = await session.get(Company, mine_id)
        assert company is not None and company.verification == "rejected"
        assert company.verification_reason == "NIB tidak terdaftar"
        rejected, _ = await organiser.list_companies(session, me, "rejected")
        assert [row.company.id for row in rejected] == [mine_id]
    async with ctx.unit_of_work() as session:
        await organiser.decide_company(session, me, mine_id, True, "", NOW)
    async with ctx.read() as session:
        company = await session.get(Company, mine_id)
        assert company is not None and company.verification == "verified"
        assert company.verification_reason is None and company.verified_at == NOW
    assert await _actions(ctx, object_type="company") == ["company.rejected", "company.verified"]


# ------------------------------------------------------------------------ users


async def test_add_organisers_with_a_password_or_an_invitation(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    values = {"full_name": "Rina Petugas", "email": "Rina@Disnaker.test", "mode": "password"}
    async with ctx.unit_of_work() as session:
        created = await organiser.add_staff(
            session, me, values, factories.PASSWORD, NOW, base_url="http://x"
        )
        created_id = created.id
    async with ctx.read() as session:
        user = await auth.authenticate(session, "rina@disnaker.test", factories.PASSWORD)
        assert user.id == created_id and user.role == "organiser"
        assert user.office_id == ids["office"]
    async with ctx.unit_of_work() as session:
        invited = await organiser.add_staff(
            session,
            me,
            {"full_name": "Andi", "email": "andi@disnaker.test", "mode": "invite"},
            "",
            NOW,
            base_url="http://jobfair.test",
        )
        invited_id = invited.id
    async with ctx.read() as session:
        reset = await session.scalar(
            select(PasswordReset).where(PasswordReset.user_id == invited_id)
        )
        assert reset is not None and reset.expires_at == NOW + timedelta(days=7)
        mail = await session.scalar(select(Outbox).where(Outbox.user_id == invited_id))
        assert mail is not None and mail.to_address == "andi@disnaker.test"
        assert "http://jobfair.test/password/reset?token=" in mail.payload["body"]
    actions = await _actions(ctx, actor_user_id=ids["me"])
    assert actions == ["user.created", "user.created", "user.invited"]


async def test_adding_organisers_refuses_bad_input(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    good = {"full_name": "Rina", "email": "rina@disnaker.test", "mode": "password"}
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await organiser.add_staff(
                session,
                me,
                {**good, "email": "bukan-email", "full_name": ""},
                "pendek",
                NOW,
                base_url="http://x",
            )
        assert set(caught.value.fields) == {"email", "full_name", "password"}
        with pytest.raises(PermissionDenied):
            await organiser.add_staff(
                session, me, {**good, "role": "admin"}, factories.PASSWORD, NOW, base_url="x"
            )
        with pytest.raises(ValidationFailed) as no_office:
            await organiser.add_staff(session, admin, good, factories.PASSWORD, NOW, base_url="x")
        assert "office" in no_office.value.fields
    async with ctx.unit_of_work() as session:
        await organiser.add_staff(session, me, good, factories.PASSWORD, NOW, base_url="x")
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as taken:
            await organiser.add_staff(session, me, good, factories.PASSWORD, NOW, base_url="x")
        assert "email" in taken.value.fields
    async with ctx.unit_of_work() as session:
        new_admin = await organiser.add_staff(
            session,
            admin,
            {**good, "email": "boss@disnaker.test", "role": "admin"},
            factories.PASSWORD,
            NOW,
            base_url="x",
        )
        assert new_admin.role == "admin" and new_admin.office_id is None


async def test_disabling_ends_sessions_and_enabling_restores(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        colleague = await factories.organiser(session, office_row=office)
        raw, _row = await auth.start_session(session, colleague, NOW)
        token, _api = await auth.create_api_token(session, colleague)
        colleague_id = colleague.id
    async with ctx.unit_of_work() as session:
        await organiser.set_staff_active(session, me, colleague_id, False, NOW)
    async with ctx.read() as session:
        assert await auth.resolve_session(session, raw, NOW) is None
        assert await auth.resolve_api_token(session, token, ctx.now(), timedelta(days=90)) is None
        user = await session.get(User, colleague_id)
        assert user is not None and not user.is_active and user.disabled_at == NOW
    async with ctx.unit_of_work() as session:
        await organiser.set_staff_active(session, me, colleague_id, True, NOW)
    async with ctx.read() as session:
        user = await session.get(User, colleague_id)
        assert user is not None and user.is_active and user.disabled_at is None
        # Old sessions stay ended: the user signs in again.
        assert await auth.resolve_session(session, raw, NOW) is None
    assert await _actions(ctx, object_type="user", object_id=colleague_id) == [
        "user.signed_in",
        "user.disabled",
        "user.enabled",
    ]
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):
            await organiser.set_staff_active(session, me, me.id, False, NOW)
        with pytest.raises(NotFound):
            await organiser.set_staff_active(session, me, ids["admin"], False, NOW)
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        office_admin = await factories.organiser(session, office_row=office, role="admin")
        with pytest.raises(PermissionDenied):
            await organiser.set_staff_active(session, me, office_admin.id, False, NOW)


async def test_staff_list_is_the_office(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    async with ctx.read() as session:
        mine = await organiser.list_staff(session, me)
        everyone = await organiser.list_staff(session, admin)
    assert [row.user.id for row in mine] == [ids["me"]]
    assert {row.user.id for row in everyone} == {ids["me"], ids["stranger"], ids["admin"]}


# ------------------------------------------------------------------------ audit


async def test_audit_log_is_scoped_filtered_and_paged(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        other_fair = await factories.fair(session)
        for n in range(60):
            entry = audit.record(
                session,
                "booth.approved",
                object_type="booth",
                object_id=n,
                actor_user_id=ids["me"],
                fair_id=fair.id,
            )
            entry.at = NOW - timedelta(minutes=n)
        entry = audit.record(
            session,
            "fair.published",
            object_type="fair",
            object_id=fair.id,
            actor_user_id=ids["me"],
            fair_id=fair.id,
        )
        entry.at = NOW - timedelta(days=3)
        audit.record(
            session,
            "booth.approved",
            object_type="booth",
            object_id=999,
            actor_user_id=ids["stranger"],
            fair_id=other_fair.id,
        )
        # Entries with no fair: about the office's staff, or by someone elsewhere.
        audit.record(session, "user.disabled", object_type="user", object_id=ids["me"])
        audit.record(
            session,
            "company.verified",
            object_type="company",
            object_id=1,
            actor_user_id=ids["stranger"],
        )

    async def page(user: User, **params: str) -> tuple[list[organiser.AuditRow], bool]:
        filters, errors = AuditFilters.parse(params)
        assert errors == {}
        async with ctx.read() as session:
            return await organiser.audit_entries(session, user, filters)

    first, more = await page(me)
    assert len(first) == 50 and more
    assert [row.entry.object_id for row in first[:2]] == [ids["me"], 0]
    second, more = await page(me, page="2")
    assert not more and len(second) == 12
    everything = first + second
    assert all(row.entry.actor_user_id != ids["stranger"] for row in everything)
    assert first[1].actor_email == me.email and first[1].fair_slug == fair.slug
    admin_rows, _ = await page(admin, page="2")
    assert len(admin_rows) == 14
    only_fair, _ = await page(me, action="fair.")
    assert [row.entry.action for row in only_fair] == ["fair.published"]
    by_object, _ = await page(me, object_type="booth", object_id="7")
    assert [row.entry.object_id for row in by_object] == [7]
    by_email, _ = await page(admin, actor=me.email.upper(), action="booth.")
    assert len(by_email) == 50
    by_id, _ = await page(admin, actor=str(ids["stranger"]))
    assert {row.entry.action for row in by_id} == {"booth.approved", "company.verified"}
    # 3 days ago in WIB, the day of the fair.published entry.
    day = (NOW - timedelta(days=3)).astimezone(ZoneInfo("Asia/Jakarta")).date()
    dated, _ = await page(me, date_from=day.isoformat(), date_to=day.isoformat())
    assert [row.entry.action for row in dated] == ["fair.published"]


def test_audit_filters_drop_bad_values() -> None:
    filters, errors = AuditFilters.parse(
        {
            "actor": "nama orang",
            "action": "booth%",
            "object_type": "Booth;",
            "object_id": "x",
            "date_from": "2026-11-05",
            "date_to": "2026-11-01",
            "page": "-2",
        }
    )
    assert set(errors) == {"actor", "action", "object_type", "object_id", "date_to"}
    assert filters == AuditFilters(date_from=filters.date_from, page=1)


async def test_an_organiser_without_an_office_manages_nothing(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        lost = await factories.organiser(session, office_id=None)
        await factories.fair(session)
        person = await factories.applicant(session, vault=ctx.nik_vault)
        # An entry by an applicant (no office either) stays out of sight.
        audit.record(
            session,
            "me.updated",
            object_type="user",
            object_id=person.user_id,
            actor_user_id=person.user_id,
        )
        lost_id, applicant_user = lost.id, person.user_id
    lost = await _user(ctx, lost_id)
    async with ctx.read() as session:
        assert (await organiser.console_home(session, lost, NOW)).fairs == []
        assert await organiser.list_staff(session, lost) == []
        assert await organiser.audit_entries(session, lost, AuditFilters()) == ([], False)
        assert (await organiser.list_companies(session, lost, None))[0] == []
    async with ctx.unit_of_work() as session:
        with pytest.raises(PermissionDenied):
            await organiser.create_fair(session, lost, FORM, [], NOW)
        with pytest.raises(NotFound):
            await organiser.set_staff_active(session, lost, applicant_user, False, NOW)


def test_the_console_and_definition_files_share_one_rule_book() -> None:
    """A value a definition file may not hold is refused by the console for the same
    field, and the reserved slug is refused in files too."""
    from jobfair.definitions.schema import DefinitionError, parse_fair_text

    text = """format = 1
[office]
slug = "disnaker-uji"
name = "Disnaker Uji"
[fair]
slug = "new"
name = "Bursa"
timezone = "Asia/Jakarta"
opens_at = 2027-01-11 08:00:00
closes_at = 2027-01-10 08:00:00
decision_deadline = 2027-01-09 08:00:00
application_cap = 0
"""
    with pytest.raises(DefinitionError) as caught:
        parse_fair_text(text, file="uji.toml")
    where = {problem.where for problem in caught.value.problems}
    assert where == {
        "fair.slug",
        "fair.closes_at",
        "fair.decision_deadline",
        "fair.application_cap",
    }
    form = {
        **FORM,
        "slug": "new",
        "closes_at": "2027-01-10T08:00",
        "decision_deadline": "2027-01-09T08:00",
        "application_cap": "0",
    }
    definition, errors = organiser.check_fair_form(form, [])
    assert definition is None
    assert set(errors) == {key.removeprefix("fair.") for key in where}
    good, none = organiser.check_fair_form(FORM, ["12.09"])
    assert none == {} and good is not None and good.host_regency_codes == ("12.09",)
