"""Hiring drives: the progress figures against hand-written expectations (two linked fairs
and direct placements; a person hired twice counted once; denied, pending, unlinked and
out-of-period hires not counted; local vs non-local), and the forms' bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from support import factories
from support.clock import Clock
from support.drive_world import (
    ELSEWHERE,
    LOCAL,
    at,
    with_direct_placements,
)
from support.drive_world import build_drive_world as _world
from support.drive_world import email_of as _email
from support.drive_world import report_direct as _report
from support.drive_world import user_of as _user

from jobfair.context import AppContext
from jobfair.models import (
    AuditLog,
    Company,
    DirectPlacement,
    Drive,
    Fair,
    Notification,
    Outbox,
    User,
)
from jobfair.services import audit as audit_service
from jobfair.services import drives, notifications
from jobfair.services.audit import AuditFilters
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


async def test_progress_by_hand(ctx: AppContext, clock: Clock) -> None:
    world = await _world(ctx)
    await with_direct_placements(ctx, world)  # a7 confirmed, a8 denied
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
