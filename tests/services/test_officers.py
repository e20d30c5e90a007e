"""The officer evaluation against hand-written figures (SQLite and PostgreSQL), the
officer profile, and walk-in registration on the rules of self-registration."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Applicant, AuditLog, Outbox, PasswordReset, Placement, User
from jobfair.schemas.officers import OfficerProfile, WalkInRegistration
from jobfair.schemas.problems import parse
from jobfair.services import officers
from jobfair.services.errors import Conflict, PermissionDenied, ValidationFailed
from jobfair.services.periods import Period

TODAY = date(2026, 11, 5)
RESET = "https://bursa.example/account/reset"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _evaluation_world(ctx: AppContext) -> dict[str, int]:
    """Two officers of one office and one of another; decisions, walk-ins and hires
    at known times around the fourth quarter of 2026 (WIB = UTC+7)."""
    async with ctx.unit_of_work() as s:
        office = await factories.office(s)
        other = await factories.office(s)
        ani = await factories.organiser(s, office_row=office, full_name="Ani")
        budi = await factories.organiser(s, office_row=office, full_name="Budi")
        citra = await factories.organiser(s, office_row=other, full_name="Citra")
        fair = await factories.fair(s, office_row=office)
        c1 = await factories.company(s, created_at=at("2026-10-01T00:00"))
        b1 = await factories.booth(s, fair_row=fair, requested_at=at("2026-10-02T00:00"))
        b2 = await factories.booth(s, fair_row=fair, requested_at=at("2026-12-31T10:30"))
        v1 = await factories.vacancy(s, booth_row=b1, created_at=at("2026-10-03T00:00"))
        v2 = await factories.vacancy(s, booth_row=b1, created_at=at("2026-10-03T00:00"))

        def decided(action: str, kind: str, object_id: int, actor: User, when: str) -> None:
            s.add(
                AuditLog(
                    action=action,
                    object_type=kind,
                    object_id=object_id,
                    actor_user_id=actor.id,
                    at=at(when),
                )
            )

        decided("company.verified", "company", c1.id, ani, "2026-10-01T10:00")  # 10 h
        decided("booth.approved", "booth", b1.id, ani, "2026-10-02T04:00")  # 4 h
        decided("vacancy.rejected", "vacancy", v1.id, ani, "2026-10-04T00:00")  # 24 h
        decided("vacancy.verified", "vacancy", v2.id, budi, "2026-10-03T02:00")  # 2 h
        # 23:30 WIB on 31 December: in the quarter; 00:00 WIB on 1 January: not.
        decided("booth.rejected", "booth", b2.id, budi, "2026-12-31T16:30")  # 6 h
        decided("booth.approved", "booth", b2.id, budi, "2026-12-31T17:00")
        # 23:59 WIB on 30 September: before the quarter.
        decided("vacancy.verified", "vacancy", v1.id, ani, "2026-09-30T16:59")
        decided("company.verified", "company", c1.id, citra, "2026-10-05T00:00")
        decided("chat.abuse_report_decided", "message", 1, ani, "2026-11-01T00:00")
        decided("booth.updated", "booth", b1.id, ani, "2026-11-01T00:00")  # no decision

        n = iter(range(1, 99))

        async def person(assisted: User | None, created: str) -> Applicant:
            return await factories.applicant(
                s,
                nik=f"12090115089900{next(n):02d}",
                assisted_by_user_id=assisted.id if assisted else None,
                created_at=at(created),
            )

        early = await person(ani, "2026-09-01T00:00")  # assisted before the quarter
        a1 = await person(ani, "2026-10-10T00:00")
        a2 = await person(ani, "2026-10-10T00:00")
        await person(citra, "2026-10-10T00:00")
        alone = await person(None, "2026-10-10T00:00")

        async def hire(applicant: Applicant, confirmation: str, when: str | None) -> None:
            application = await factories.application(
                s, vacancy_row=v2, applicant_row=applicant, status="hired"
            )
            s.add(
                Placement(
                    application_id=application.id,
                    fair_id=fair.id,
                    confirmation=confirmation,
                    confirmed_at=at(when) if when else None,
                )
            )

        await hire(early, "confirmed", "2026-10-15T00:00")
        await hire(a1, "confirmed", "2026-11-01T00:00")
        await hire(a2, "pending", None)
        await hire(alone, "confirmed", "2026-11-01T00:00")
        return {"office": office.id, "ani": ani.id, "budi": budi.id}


async def test_evaluation_figures_by_hand(ctx: AppContext) -> None:
    ids = await _evaluation_world(ctx)
    from jobfair.models import LabourOffice

    async with ctx.read() as s:
        office = await s.get(LabourOffice, ids["office"])
        assert office is not None
        result = await officers.evaluation(s, office, Period.of("quarter", 2026, 4))
    rows = {row.name: row for row in result.officers}
    assert set(rows) == {"Ani", "Budi"}
    figures = {
        name: {figure: rows[name].value(figure) for figure in officers.FIGURES}
        for name in ("Ani", "Budi")
    }
    assert figures["Ani"] == {
        "companies": 1,
        "booths": 1,
        "vacancies": 1,
        "decisions": 3,
        "median_hours": 10.0,
        "assisted": 2,
        "placements": 2,
        "abuse_reports": 1,
    }
    assert figures["Budi"] == {
        "companies": 0,
        "booths": 1,
        "vacancies": 1,
        "decisions": 2,
        "median_hours": 4.0,
        "assisted": 0,
        "placements": 0,
        "abuse_reports": 0,
    }
    total = {figure: result.total.value(figure) for figure in officers.FIGURES}
    assert total == {
        "companies": 1,
        "booths": 2,
        "vacancies": 2,
        "decisions": 5,
        # The median of all five waits (2, 4, 6, 10, 24 h), not of the two medians.
        "median_hours": 6.0,
        "assisted": 2,
        "placements": 2,
        "abuse_reports": 1,
    }
    assert set(officers.DEFINITIONS) == set(officers.FIGURES)


async def test_an_empty_period_counts_nothing(ctx: AppContext) -> None:
    ids = await _evaluation_world(ctx)
    from jobfair.models import LabourOffice

    async with ctx.read() as s:
        office = await s.get(LabourOffice, ids["office"])
        assert office is not None
        result = await officers.evaluation(s, office, Period.of("month", 2025, 1))
    assert [row.decisions for row in result.officers] == [0, 0]
    assert result.total.median_hours is None


# ------------------------------------------------------------------- profile


def _profile(**values: str) -> OfficerProfile:
    return parse(OfficerProfile, values, context={"today": TODAY}, strict=False)


def test_profile_parses_a_grouped_nip_and_a_position() -> None:
    profile = _profile(
        nip="19800512 200501 1 002",
        functional_position="pk_muda",
        certification="Diklat Fungsional Pengantar Kerja",
        certified_on="2019-03-01",
    )
    assert profile.nip == "198005122005011002"
    assert profile.functional_position == "pk_muda"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"nip": "19800512 200501 3 002"}, "nip"),
        ({"nip": "1980"}, "nip"),
        ({"functional_position": "kepala"}, "functional_position"),
        ({"certification": "Diklat", "certified_on": "2027-01-01"}, "certified_on"),
        ({"certified_on": "2019-01-01"}, "certification"),
        ({"certification": "x" * 201}, "certification"),
    ],
)
def test_profile_refuses_bad_values(values: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _profile(**values)
    assert field in (caught.value.fields or {})


async def test_profile_update_is_audited_without_values(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        officer = await factories.organiser(s)
    async with ctx.unit_of_work() as s:
        await officers.update_profile(s, officer, _profile(nip="198005122005011002"))
    async with ctx.read() as s:
        row = await s.get(User, officer.id)
        entry = await s.scalar(select(AuditLog).where(AuditLog.action == "officer.profile_updated"))
    assert row is not None and row.nip == "198005122005011002"
    assert entry is not None and entry.data == {"fields": ["nip"]}
    assert "198005122005011002" not in str(entry.data)


# ------------------------------------------------------------------- walk-in


def _walk_in(**overrides: object) -> WalkInRegistration:
    data = factories.registration(**overrides)
    data.pop("password")
    return parse(WalkInRegistration, data, context={"today": TODAY}, strict=False)


def test_walk_in_needs_the_persons_consent() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _walk_in(consent="")
    assert "consent" in (caught.value.fields or {})


def test_walk_in_handover_needs_its_channel() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _walk_in(email="", handover="email")
    assert "email" in (caught.value.fields or {})
    with pytest.raises(ValidationFailed) as caught:
        _walk_in(phone="", handover="sms")
    assert "phone" in (caught.value.fields or {})


def test_walk_in_uses_the_nik_rules() -> None:
    with pytest.raises(ValidationFailed) as caught:
        _walk_in(sex="P")
    assert "sex" in (caught.value.fields or {})


async def test_walk_in_by_email_marks_assisted_and_mails_a_link(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        officer = await factories.organiser(s)
    async with ctx.unit_of_work() as s:
        result = await officers.register_walk_in(
            s,
            officer,
            _walk_in(interchange_consent="1"),
            ctx.nik_vault,
            at("2026-11-05T03:00"),
            reset_page=RESET,
        )
    assert result.sms_text is None and result.mailed_to == "budi@example.test"
    async with ctx.read() as s:
        applicant = await s.scalar(select(Applicant).where(Applicant.user_id == result.user_id))
        mail = await s.scalar(select(Outbox).where(Outbox.user_id == result.user_id))
        resets = await s.scalar(select(func.count()).select_from(PasswordReset))
        entry = await s.scalar(
            select(AuditLog).where(AuditLog.action == "applicant.walk_in_registered")
        )
    assert applicant is not None
    assert applicant.assisted_by_user_id == officer.id
    assert applicant.interchange_consent_at is not None
    assert applicant.consent_at == at("2026-11-05T03:00")
    assert mail is not None and f"{RESET}?token=" in str(mail.payload)
    assert resets == 1
    assert entry is not None and entry.actor_user_id == officer.id


async def test_walk_in_by_sms_gives_text_once_and_no_mail(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        officer = await factories.organiser(s)
    async with ctx.unit_of_work() as s:
        result = await officers.register_walk_in(
            s,
            officer,
            _walk_in(email="", handover="sms"),
            ctx.nik_vault,
            at("2026-11-05T03:00"),
            reset_page=RESET,
        )
    assert result.sms_text is not None and f"{RESET}?token=" in result.sms_text
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Outbox)) == 0
        applicant = await s.scalar(select(Applicant).where(Applicant.user_id == result.user_id))
    assert applicant is not None and applicant.interchange_consent_at is None


async def test_walk_in_refuses_a_registered_nik(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        officer = await factories.organiser(s)
        await factories.applicant(s, vault=ctx.nik_vault, nik=factories.MAN_NIK)
    with pytest.raises(Conflict) as caught:
        async with ctx.unit_of_work() as s:
            await officers.register_walk_in(
                s,
                officer,
                _walk_in(email="other@example.test", phone=""),
                ctx.nik_vault,
                at("2026-11-05T03:00"),
                reset_page=RESET,
            )
    from jobfair.i18n import gettext
    from jobfair.services.applicants import ALREADY_REGISTERED

    # The message the platform gives wherever saying "registered" is safe.
    assert caught.value.message == gettext(ALREADY_REGISTERED)


async def test_only_organisers_register_walk_ins(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        admin = await factories.organiser(s, role="admin", office_id=None)
    with pytest.raises(PermissionDenied):
        async with ctx.unit_of_work() as s:
            await officers.register_walk_in(
                s, admin, _walk_in(), ctx.nik_vault, at("2026-11-05T03:00"), reset_page=RESET
            )
