"""Hiring drives: the progress figures against hand-written expectations (two linked fairs
and direct placements; a person hired twice counted once; denied, pending, unlinked and
out-of-period hires not counted; local vs non-local), and the forms' bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from support import factories
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import (
    AuditLog,
    Booth,
    Company,
    DirectPlacement,
    Drive,
    Fair,
    Notification,
    Outbox,
    Placement,
    User,
)
from jobfair.models.applications import ApplicationStatus
from jobfair.services import audit as audit_service
from jobfair.services import drives, notifications
from jobfair.services.audit import AuditFilters
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

LOCAL = "12.09"  # Kabupaten Asahan: the drive's locality rule
ELSEWHERE = "12.71"  # Kota Medan


def at(day: int, month: int = 11, hour: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@dataclass
class World:
    organiser_id: int
    other_organiser_id: int
    drive_id: int
    partner_ids: dict[str, int]
    recruiter_ids: dict[str, int]
    applicant_users: dict[str, int]
    fair_ids: dict[str, int]
    other_fair_id: int
    outsider_id: int


async def _user(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def _hire(session, *, booth: Booth, person, reported_at: datetime, confirmation: str) -> None:  # type: ignore[no-untyped-def]
    vacancy = await factories.vacancy(session, booth_row=booth)
    application = await factories.application(
        session,
        vacancy_row=vacancy,
        applicant_row=person,
        status=ApplicationStatus.HIRED,
        released_status=ApplicationStatus.HIRED,
    )
    session.add(
        Placement(
            application_id=application.id,
            fair_id=booth.fair_id,
            reported_at=reported_at,
            confirmation=confirmation,
        )
    )
    await session.flush()


async def _world(ctx: AppContext) -> World:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        other_office = await factories.office(session)
        organiser = await factories.organiser(session, office_row=office)
        other_organiser = await factories.organiser(session, office_row=other_office)
        fairs = {
            name: await factories.fair(session, office_row=office, opens_at=at(3))
            for name in ("A", "B", "unlinked")
        }
        other_fair = await factories.fair(session, office_row=other_office)
        companies = {
            name: await factories.company(session, name=f"PT {name}")
            for name in ("P1", "P2", "P3", "X")
        }
        booths = {
            ("A", "P1"): await factories.booth(
                session, fair_row=fairs["A"], company_row=companies["P1"]
            ),
            ("B", "P2"): await factories.booth(
                session, fair_row=fairs["B"], company_row=companies["P2"]
            ),
            ("A", "X"): await factories.booth(
                session, fair_row=fairs["A"], company_row=companies["X"]
            ),
            ("unlinked", "P1"): await factories.booth(
                session, fair_row=fairs["unlinked"], company_row=companies["P1"]
            ),
        }
        recruiters = {
            name: (await factories.recruiter(session, company_row=companies[name])).id
            for name in ("P2", "X")
        }
        people = {
            name: await factories.applicant(
                session,
                vault=ctx.nik_vault,
                ktp_regency_code=ELSEWHERE if name == "a2" else LOCAL,
            )
            for name in ("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9")
        }
        # a1: hired twice (A by P1 in week 1, B by P2 in week 2), both confirmed.
        await _hire(
            session,
            booth=booths["A", "P1"],
            person=people["a1"],
            reported_at=at(3),
            confirmation="confirmed",
        )
        await _hire(
            session,
            booth=booths["B", "P2"],
            person=people["a1"],
            reported_at=at(10),
            confirmation="confirmed",
        )
        # a2: non-local, hired in B by P2 in week 2.
        await _hire(
            session,
            booth=booths["B", "P2"],
            person=people["a2"],
            reported_at=at(10),
            confirmation="confirmed",
        )
        # a3: denied; a6: still pending; a4: in a fair not linked; a9: before the drive.
        await _hire(
            session,
            booth=booths["A", "P1"],
            person=people["a3"],
            reported_at=at(4),
            confirmation="denied",
        )
        await _hire(
            session,
            booth=booths["A", "P1"],
            person=people["a6"],
            reported_at=at(4),
            confirmation="pending",
        )
        await _hire(
            session,
            booth=booths["unlinked", "P1"],
            person=people["a4"],
            reported_at=at(4),
            confirmation="confirmed",
        )
        await _hire(
            session,
            booth=booths["A", "P1"],
            person=people["a9"],
            reported_at=at(30, 10),
            confirmation="confirmed",
        )
        # a5: hired in A by X, a company that is no partner: counted, outside partners.
        await _hire(
            session,
            booth=booths["A", "X"],
            person=people["a5"],
            reported_at=at(3),
            confirmation="confirmed",
        )
        applicant_users = {name: person.user_id for name, person in people.items()}
        ids = (
            organiser.id,
            other_organiser.id,
            {name: fair.id for name, fair in fairs.items()},
            other_fair.id,
            {name: company.id for name, company in companies.items()},
        )
    organiser_user = await _user(ctx, ids[0])
    async with ctx.unit_of_work() as session:
        drive = await drives.create_drive(
            session,
            organiser_user,
            {
                "name": "Gerakan Warga Asahan Bekerja",
                "first_day": "2026-11-01",
                "last_day": "2026-12-31",
                "target": "3.000",
            },
            [LOCAL],
            ctx.now(),
        )
        drive_id = drive.id
        for name in ("A", "B"):
            await drives.link_fair(session, organiser_user, drive_id, ids[2][name])
        for name in ("P1", "P2", "P3"):
            await drives.set_partner(session, organiser_user, drive_id, ids[4][name], ctx.now())
    return World(
        organiser_id=ids[0],
        other_organiser_id=ids[1],
        drive_id=drive_id,
        partner_ids=ids[4],
        recruiter_ids=recruiters,
        applicant_users=applicant_users,
        fair_ids=ids[2],
        other_fair_id=ids[3],
        outsider_id=ids[4]["X"],
    )


async def _report(ctx: AppContext, world: World, recruiter: str, who: str) -> int:
    user = await _user(ctx, world.recruiter_ids[recruiter])
    async with ctx.unit_of_work() as session:
        placement = await drives.report_placement(
            session,
            user,
            world.drive_id,
            {"who": who, "job_title": "Operator gudang", "start_date": "2026-11-09"},
            ctx.nik_vault.fingerprint,
            ctx.now(),
            applicants_path="/me/placements",
        )
        return placement.id


async def _email(ctx: AppContext, user_id: int) -> str:
    return (await _user(ctx, user_id)).email or ""


async def test_progress_by_hand(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    # a7: a direct placement by P2 (found by e-mail), confirmed; a8: one denied.
    a7 = await _report(ctx, world, "P2", (await _email(ctx, world.applicant_users["a7"])).upper())
    a8 = await _report(ctx, world, "P2", await _email(ctx, world.applicant_users["a8"]))
    async with ctx.unit_of_work() as session:
        await drives.decide_direct_placement(
            session, await _user(ctx, world.applicant_users["a7"]), a7, True, ctx.now()
        )
        await drives.decide_direct_placement(
            session,
            await _user(ctx, world.applicant_users["a8"]),
            a8,
            False,
            ctx.now(),
            "Bukan saya",
        )
    organiser = await _user(ctx, world.organiser_id)
    async with ctx.read() as session:
        drive = await drives.scoped_drive(session, organiser, world.drive_id)
        progress = await drives.progress(session, drive)
    # a1 (once), a2, a5, a7.
    assert (progress.target, progress.placed) == (3000, 4)
    assert (progress.local, progress.non_local) == (3, 1)
    assert (progress.from_fairs, progress.direct, progress.pending) == (3, 1, 0)
    assert progress.bar_percent == 0 and progress.share == pytest.approx(4 / 3000)
    # Week 1 (1–7 Nov): a1, a5 (3 Nov), a7 (5 Nov); week 2: a2. Nine weeks in all.
    assert [w.placed for w in progress.weeks] == [3, 1, 0, 0, 0, 0, 0, 0, 0]
    assert [w.cumulative for w in progress.weeks][:3] == [3, 4, 4]
    assert progress.weeks[-1].first_day == date(2026, 12, 27)
    assert progress.weeks[-1].last_day == date(2026, 12, 31)
    partners = {row.name: (row.placed, row.local) for row in progress.partners}
    # a1 is credited to P1 (the earlier hire); P2 has a2 (non-local) and a7 (local).
    assert partners == {"PT P1": (1, 1), "PT P2": (2, 1), "PT P3": (0, 0)}
    assert progress.outside_partners == 1  # a5, by X
    assert [c.name for c in progress.silent] == ["PT P3"]


async def test_direct_placement_asks_the_applicant_and_answers_once(
    ctx: AppContext, clock: Clock
) -> None:
    world = await _world(ctx)
    person = await _user(ctx, world.applicant_users["a6"])
    placement_id = await _report(ctx, world, "P2", person.email or "")
    async with ctx.read() as session:
        note = await session.scalar(select(Notification).where(Notification.user_id == person.id))
        assert note is not None and note.kind == notifications.DIRECT_PLACEMENT
        assert note.params is not None
        assert note.params["link"] == f"/me/placements/{placement_id}"
        shown = notifications.shown(note)
        assert "PT P2" in shown.text
        mail = await session.scalar(select(Outbox).where(Outbox.user_id == person.id))
        assert mail is not None and mail.dedupe_key == f"direct_placement:{placement_id}"
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.action == "drive.placement_reported")
        )
        assert audit is not None and audit.object_id == placement_id
    # The same company cannot report the same person twice for the drive.
    with pytest.raises(Conflict):
        await _report(ctx, world, "P2", person.email or "")
    other = await _user(ctx, world.applicant_users["a1"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):  # not theirs
            await drives.decide_direct_placement(session, other, placement_id, True, ctx.now())
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed):
            await drives.decide_direct_placement(
                session, person, placement_id, False, ctx.now(), "x" * 2000
            )
    async with ctx.unit_of_work() as session:
        await drives.decide_direct_placement(session, person, placement_id, True, ctx.now())
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict):
            await drives.decide_direct_placement(session, person, placement_id, False, ctx.now())
    async with ctx.read() as session:
        row = await session.get(DirectPlacement, placement_id)
        assert row is not None and row.confirmation == "confirmed"
        # The office's audit log shows the company's report and the applicant's answer.
        organiser = await session.get(User, world.organiser_id)
        stranger = await session.get(User, world.other_organiser_id)
        assert organiser is not None and stranger is not None
        seen, _more = await audit_service.audit_entries(session, organiser, AuditFilters())
        actions = {entry.entry.action for entry in seen}
        assert {"drive.placement_reported", "placement.confirmed", "drive.created"} <= actions
        hidden, _more = await audit_service.audit_entries(session, stranger, AuditFilters())
        assert not {entry.entry.action for entry in hidden} & actions


async def test_direct_placement_by_nik(ctx: AppContext) -> None:
    world = await _world(ctx)
    async with ctx.unit_of_work() as session:
        person = await factories.applicant(session, vault=ctx.nik_vault, nik=factories.MAN_NIK)
        applicant_id = person.id
    placement_id = await _report(ctx, world, "P2", factories.MAN_NIK)
    async with ctx.read() as session:
        row = await session.get(DirectPlacement, placement_id)
        assert row is not None and row.applicant_id == applicant_id


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("", "who"),
        ("12345", "who"),  # neither a NIK nor an e-mail
        ("9999999999999999", "who"),  # no such NIK
        ("nobody@example.test", "who"),
    ],
)
async def test_report_bad_input(ctx: AppContext, who: str, field: str) -> None:
    world = await _world(ctx)
    with pytest.raises(ValidationFailed) as caught:
        await _report(ctx, world, "P2", who)
    assert field in caught.value.fields


async def test_report_refused_outside_partners_and_days(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    with pytest.raises(NotFound):  # X is no partner
        await _report(ctx, world, "X", await _email(ctx, world.applicant_users["a1"]))
    clock.now = at(2, 1).replace(year=2027)
    with pytest.raises(Conflict):  # the drive is over
        await _report(ctx, world, "P2", await _email(ctx, world.applicant_users["a1"]))
    user = await _user(ctx, world.recruiter_ids["P2"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await drives.report_placement(
                session,
                user,
                world.drive_id,
                {"who": "a@b.test", "job_title": "", "start_date": "kemarin"},
                ctx.nik_vault.fingerprint,
                at(5),
            )
    assert {"job_title", "start_date"} <= set(caught.value.fields)


@pytest.mark.parametrize(
    ("values", "regencies", "fields"),
    [
        (
            {"name": "", "first_day": "2026-11-01", "last_day": "2026-12-31", "target": "10"},
            [LOCAL],
            {"name"},
        ),
        (
            {"name": "D", "first_day": "2026-12-01", "last_day": "2026-11-01", "target": "10"},
            [LOCAL],
            {"last_day"},
        ),
        (
            {"name": "D", "first_day": "2026-11-01", "last_day": "2026-12-31", "target": "0"},
            [LOCAL],
            {"target"},
        ),
        (
            {"name": "D", "first_day": "2026-11-01", "last_day": "2026-12-31", "target": "banyak"},
            [LOCAL],
            {"target"},
        ),
        (
            {"name": "D", "first_day": "1 Nov", "last_day": "2026-12-31", "target": "10"},
            [LOCAL],
            {"first_day"},
        ),
        (
            {"name": "D", "first_day": "2026-11-01", "last_day": "2026-12-31", "target": "10"},
            [],
            {"regency_codes"},
        ),
        (
            {"name": "D", "first_day": "2026-11-01", "last_day": "2026-12-31", "target": "10"},
            ["99.99"],
            {"regency_codes"},
        ),
        (
            {
                "name": "x" * 201,
                "first_day": "2026-11-01",
                "last_day": "2026-12-31",
                "target": "10",
            },
            [LOCAL],
            {"name"},
        ),
        (
            {"name": "D", "first_day": "2020-01-01", "last_day": "2026-12-31", "target": "10"},
            [LOCAL],
            {"last_day"},
        ),
    ],
)
async def test_drive_form_bad_input(
    ctx: AppContext, values: dict[str, str], regencies: list[str], fields: set[str]
) -> None:
    async with ctx.unit_of_work() as session:
        organiser = await factories.organiser(session)
    with pytest.raises(ValidationFailed) as caught:
        async with ctx.unit_of_work() as session:
            await drives.create_drive(session, organiser, values, regencies, ctx.now())
    assert fields <= set(caught.value.fields)


async def test_scope_edit_and_links(ctx: AppContext) -> None:
    world = await _world(ctx)
    organiser = await _user(ctx, world.organiser_id)
    stranger = await _user(ctx, world.other_organiser_id)
    recruiter = await _user(ctx, world.recruiter_ids["P2"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(NotFound):
            await drives.scoped_drive(session, stranger, world.drive_id)
        with pytest.raises(PermissionDenied):
            await drives.scoped_drive(session, recruiter, world.drive_id)
        with pytest.raises(ValidationFailed):  # another office's fair
            await drives.link_fair(session, organiser, world.drive_id, world.other_fair_id)
        assert [d.id for d in await drives.office_drives(session, organiser)] == [world.drive_id]
        assert await drives.office_drives(session, stranger) == []
        assert [d.id for d in await drives.partner_drives(session, recruiter)] == [world.drive_id]
    async with ctx.unit_of_work() as session:
        drive = await drives.update_drive(
            session,
            organiser,
            world.drive_id,
            {
                "name": "Gerakan baru",
                "first_day": "2026-11-01",
                "last_day": "2026-11-30",
                "target": "500",
            },
            [LOCAL, ELSEWHERE],
            ctx.now(),
        )
        assert drive.regency_codes == [LOCAL, ELSEWHERE] and drive.target == 500
        await drives.link_fair(
            session, organiser, world.drive_id, world.fair_ids["B"], linked=False
        )
        await drives.set_partner(
            session, organiser, world.drive_id, world.partner_ids["P3"], ctx.now(), partner=False
        )
    async with ctx.read() as session:
        drive = await session.get(Drive, world.drive_id)
        assert drive is not None
        progress = await drives.progress(session, drive)
        actions = list(await session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
        names = list(await session.scalars(select(Company.name).order_by(Company.id)))
        assert names
        assert await session.get(Fair, world.fair_ids["B"]) is not None
    # Without B, and everyone now local: a1 (A, P1) and a5 (A, X).
    assert (progress.placed, progress.local) == (2, 2)
    assert [row.name for row in progress.partners] == ["PT P1", "PT P2"]
    assert [c.name for c in progress.silent] == ["PT P2"]
    assert len(progress.weeks) == 5
    for action in (
        "drive.created",
        "drive.updated",
        "drive.fair_linked",
        "drive.fair_unlinked",
        "drive.partner_added",
        "drive.partner_removed",
    ):
        assert action in actions
