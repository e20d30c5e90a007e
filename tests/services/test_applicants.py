"""The applicant service's consent to the ministry interchange and occupation sought:
registration with and without the consent, giving and withdrawing it (times, audit),
and that the interchange export reads the current consent; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Applicant, AuditLog, LabourOffice, User
from jobfair.schemas.problems import parse
from jobfair.schemas.profile import ProfileUpdate, Registration
from jobfair.services import applicants, interchange
from jobfair.services.errors import ValidationFailed
from jobfair.services.identity import PasswordCheck
from jobfair.services.periods import Period

NOW = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)
Q4 = Period.of("quarter", 2026, 4)


def _registration(**changes: object) -> Registration:
    data = {**factories.registration(), **changes}
    return parse(Registration, data, context={"today": NOW.date()}, strict=False)


async def _register(ctx: AppContext, **changes: object) -> User:
    async with ctx.unit_of_work() as session:
        user = await applicants.register_applicant(
            session, _registration(**changes), "hash", ctx.nik_vault, NOW
        )
    assert user is not None
    return user


async def _applicant(ctx: AppContext) -> Applicant:
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
    assert applicant is not None
    return applicant


async def _actions(ctx: AppContext) -> list[str]:
    async with ctx.read() as session:
        rows = await session.scalars(
            select(AuditLog.action)
            .where(AuditLog.action.like("applicant.interchange_consent_%"))
            .order_by(AuditLog.id)
        )
        return list(rows)


def test_the_consent_is_optional_and_read_from_a_form_tick() -> None:
    assert _registration().interchange_consent is False
    assert _registration(interchange_consent="1").interchange_consent is True
    assert _registration(interchange_consent="").interchange_consent is False
    body = {**factories.registration(), "interchange_consent": True}
    assert parse(Registration, body, context={"today": NOW.date()}).interchange_consent
    # A JSON body is strict: a number is no answer.
    with pytest.raises(ValidationFailed) as refused:
        parse(Registration, {**body, "interchange_consent": 5}, context={"today": NOW.date()})
    assert "interchange_consent" in (refused.value.fields or {})


def test_the_occupation_sought_is_a_kbji_code_or_nothing() -> None:
    assert _registration().sought_kbji_code is None
    assert _registration(sought_kbji_code="  ").sought_kbji_code is None
    assert _registration(sought_kbji_code="8160").sought_kbji_code == "8160"
    assert _registration(sought_kbji_code="Pekerja kasar").sought_kbji_code == "9"
    for bad in ("operator", "1234567", "81a"):
        with pytest.raises(ValidationFailed) as refused:
            _registration(sought_kbji_code=bad)
        assert "sought_kbji_code" in (refused.value.fields or {})


async def test_registration_with_and_without_the_consent(ctx: AppContext) -> None:
    await _register(ctx)
    assert (await _applicant(ctx)).interchange_consent_at is None
    await _register(
        ctx,
        nik="1209011508990002",
        email="ani@example.test",
        phone="",
        interchange_consent=True,
        sought_kbji_code="52",
    )
    async with ctx.read() as session:
        second = await session.scalar(select(Applicant).where(Applicant.sought_kbji_code == "52"))
        audit = list(
            await session.scalars(
                select(AuditLog.data)
                .where(AuditLog.action == "applicant.registered")
                .order_by(AuditLog.id)
            )
        )
    assert second is not None and second.interchange_consent_at == NOW
    assert [row["interchange_consent"] for row in audit] == [False, True]


async def test_give_and_withdraw_record_their_times_and_are_audited(ctx: AppContext) -> None:
    user = await _register(ctx)
    later, latest = NOW + timedelta(days=1), NOW + timedelta(days=2)
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(session, user, True, NOW)
    async with ctx.unit_of_work() as session:  # said again: nothing changes
        await applicants.set_interchange_consent(session, user, True, later)
    assert (await _applicant(ctx)).interchange_consent_at == NOW
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(session, user, False, later)
    withdrawn = await _applicant(ctx)
    assert withdrawn.interchange_consent_at is None
    assert withdrawn.interchange_consent_withdrawn_at == later
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(session, user, False, latest)
    assert (await _applicant(ctx)).interchange_consent_withdrawn_at == later
    assert await _actions(ctx) == [
        "applicant.interchange_consent_given",
        "applicant.interchange_consent_withdrawn",
    ]
    # Each says which wording it was about.
    async with ctx.read() as session:
        versions = await session.scalars(
            select(AuditLog.data).where(AuditLog.action.like("applicant.interchange_consent_%"))
        )
        assert [row["version"] for row in versions] == [applicants.INTERCHANGE_CONSENT_VERSION] * 2
    # The data export (UU PDP right of access) holds both.
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(session, user, True, latest)
    async with ctx.read() as session:
        data = await applicants.export_my_data(session, user, ctx.nik_vault)
    assert data["profile"]["interchange_consent_at"] == latest.isoformat()
    assert data["profile"]["interchange_consent_withdrawn_at"] == later.isoformat()


async def test_the_profile_edit_gives_and_withdraws_too(ctx: AppContext) -> None:
    user = await _register(ctx)
    no_password = PasswordCheck(None, False)

    async def patch(body: dict[str, object], at: datetime) -> None:
        async with ctx.unit_of_work() as session:
            changes = parse(ProfileUpdate, body)
            await applicants.update_profile(session, user, changes, no_password, at)

    await patch({"interchange_consent": True, "sought_kbji_code": "7"}, NOW)
    applicant = await _applicant(ctx)
    assert applicant.interchange_consent_at == NOW and applicant.sought_kbji_code == "7"
    await patch({"interchange_consent": False}, NOW + timedelta(hours=1))
    assert (await _applicant(ctx)).interchange_consent_at is None
    await patch({"sought_kbji_code": None}, NOW + timedelta(hours=2))  # cleared
    assert (await _applicant(ctx)).sought_kbji_code is None
    async with ctx.read() as session:
        fields = list(
            await session.scalars(
                select(AuditLog.data)
                .where(AuditLog.action == "applicant.profile_updated")
                .order_by(AuditLog.id)
            )
        )
    # The consent has its own rows; the profile's name the profile fields only.
    assert [row["fields"] for row in fields] == [["sought_kbji_code"], ["sought_kbji_code"]]


async def test_a_withdrawal_leaves_the_applicant_out_of_the_next_export(
    ctx: AppContext,
) -> None:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        office_id = office.id
    user = await _register(ctx, interchange_consent="1", sought_kbji_code="8160")
    applicant = await _applicant(ctx)
    async with ctx.unit_of_work() as session:
        row = await session.get(Applicant, applicant.id)
        assert row is not None
        await factories.application(session, vacancy_row=vacancy, applicant_row=row)

    async def exported() -> list[dict[str, object]]:
        async with ctx.unit_of_work() as session:
            office_row = await session.get(LabourOffice, office_id)
            assert office_row is not None
            return await interchange.dataset(session, office_row, "job_seekers", Q4, ctx.nik_vault)

    first = await exported()
    assert [(r["nik"], r["sought_kbji_code"]) for r in first] == [(factories.MAN_NIK, "8160")]
    assert first[0]["interchange_consent_on"] == "2026-11-04"
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(session, user, False, NOW + timedelta(days=1))
    assert await exported() == []
    async with ctx.unit_of_work() as session:  # given again: back in, with the new day
        await applicants.set_interchange_consent(session, user, True, NOW + timedelta(days=2))
    again = await exported()
    assert [r["interchange_consent_on"] for r in again] == ["2026-11-06"]
