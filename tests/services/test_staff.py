"""The office's organiser accounts: added with a password or an invitation, listed,
disabled and enabled — each audited, each scoped to the office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from support import factories
from support.console import NOW
from support.console import actions as _actions
from support.console import user as _user
from support.console import world as _world

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import LabourOffice, Outbox, PasswordReset, User
from jobfair.services import accounts, auth, staff
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.web.auth import check_login


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


# ------------------------------------------------------------------------ users


async def test_add_organisers_with_a_password_or_an_invitation(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    values = {"full_name": "Rina Petugas", "email": "Rina@Disnaker.test", "mode": "password"}
    async with ctx.unit_of_work() as session:
        created = await staff.add_staff(
            session, me, values, factories.new_password(), NOW, reset_page="http://x/password/reset"
        )
        created_id = created.id
    check = await check_login(ctx, "rina@disnaker.test", factories.PASSWORD)
    async with ctx.unit_of_work() as session:
        user = await auth.authenticate(session, check)
        assert user.id == created_id and user.role == "organiser"
        assert user.office_id == ids["office"]
    async with ctx.unit_of_work() as session:
        invited = await staff.add_staff(
            session,
            me,
            {"full_name": "Andi", "email": "andi@disnaker.test", "mode": "invite"},
            factories.new_password(""),
            NOW,
            reset_page="http://jobfair.test/password/reset",
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


async def test_the_invitation_mail_states_the_lifetime_the_link_has(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One home for the lifetime: the mail's words follow the expiry that is stored.
    monkeypatch.setattr(auth, "INVITATION_DAYS", 3)
    monkeypatch.setattr(auth, "INVITATION_LIFETIME", timedelta(days=3))
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        invited = await staff.add_staff(
            session,
            me,
            {"full_name": "Andi", "email": "andi@disnaker.test", "mode": "invite"},
            factories.new_password(""),
            NOW,
            reset_page="http://jobfair.test/password/reset",
        )
        invited_id = invited.id
    async with ctx.read() as session:
        reset = await session.scalar(
            select(PasswordReset).where(PasswordReset.user_id == invited_id)
        )
        assert reset is not None and reset.expires_at == NOW + timedelta(days=3)
        mail = await session.scalar(select(Outbox).where(Outbox.user_id == invited_id))
        assert mail is not None
        assert "within 3 days" in mail.payload["body"]
        assert "seven" not in mail.payload["body"]


async def test_adding_organisers_refuses_bad_input(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    good = {"full_name": "Rina", "email": "rina@disnaker.test", "mode": "password"}
    given = factories.new_password()
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await staff.add_staff(
                session,
                me,
                {**good, "email": "bukan-email", "full_name": ""},
                factories.new_password("pendek"),
                NOW,
                reset_page="http://x/password/reset",
            )
        assert set(caught.value.fields) == {"email", "full_name", "password"}
        # The name's limits are the accounts' own (FULL_NAME_MIN/MAX), not a copy.
        for name in ("R", "R" * (accounts.FULL_NAME_MAX + 1)):
            with pytest.raises(ValidationFailed) as bad_name:
                await staff.add_staff(
                    session,
                    me,
                    {**good, "full_name": name},
                    given,
                    NOW,
                    reset_page="x",
                )
            assert list(bad_name.value.fields) == ["full_name"]
        for field, value in (("role", "superuser"), ("mode", "sms"), ("email", "a@b")):
            with pytest.raises(ValidationFailed) as bad:
                await staff.add_staff(
                    session, me, {**good, field: value}, given, NOW, reset_page="x"
                )
            assert field in bad.value.fields
        with pytest.raises(PermissionDenied):
            await staff.add_staff(
                session, me, {**good, "role": "admin"}, given, NOW, reset_page="x"
            )
        with pytest.raises(ValidationFailed) as no_office:
            await staff.add_staff(session, admin, good, given, NOW, reset_page="x")
        assert "office" in no_office.value.fields
    async with ctx.unit_of_work() as session:
        await staff.add_staff(session, me, good, given, NOW, reset_page="x")
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as taken:
            await staff.add_staff(session, me, good, given, NOW, reset_page="x")
        assert "email" in taken.value.fields
    async with ctx.unit_of_work() as session:
        new_admin = await staff.add_staff(
            session,
            admin,
            {**good, "email": "boss@disnaker.test", "role": "admin"},
            given,
            NOW,
            reset_page="x",
        )
        assert new_admin.role == "admin" and new_admin.office_id is None


async def test_disabling_ends_sessions_and_enabling_restores(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        colleague = await factories.organiser(session, office_row=office)
        raw, _row = await auth.start_session(session, colleague, NOW)
        token, _api = await auth.create_api_token(session, colleague, lifetime=timedelta(days=90))
        colleague_id = colleague.id
    async with ctx.unit_of_work() as session:
        await staff.set_staff_active(session, me, colleague_id, False, NOW)
    async with ctx.read() as session:
        assert await auth.resolve_session(session, raw, NOW) is None
        assert await auth.resolve_api_token(session, token, ctx.now()) is None
        user = await session.get(User, colleague_id)
        assert user is not None and not user.is_active and user.disabled_at == NOW
    async with ctx.unit_of_work() as session:
        await staff.set_staff_active(session, me, colleague_id, True, NOW)
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
            await staff.set_staff_active(session, me, me.id, False, NOW)
        with pytest.raises(NotFound):
            await staff.set_staff_active(session, me, ids["admin"], False, NOW)
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        office_admin = await factories.organiser(session, office_row=office, role="admin")
        with pytest.raises(PermissionDenied):
            await staff.set_staff_active(session, me, office_admin.id, False, NOW)


async def test_staff_list_is_the_office(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    admin = await _user(ctx, ids["admin"])
    async with ctx.read() as session:
        mine = await staff.list_staff(session, me)
        everyone = await staff.list_staff(session, admin)
    assert [row.user.id for row in mine] == [ids["me"]]
    assert {row.user.id for row in everyone} == {ids["me"], ids["stranger"], ids["admin"]}
