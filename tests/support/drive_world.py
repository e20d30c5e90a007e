"""The hand-built hiring drive of ``tests/services/test_drives.py``, shared with the
drive downloads' tests: an office with fairs A, B (linked) and one unlinked, partners
P1–P3 and a non-partner X, nine applicants whose hires are confirmed, denied, pending,
in an unlinked fair or before the drive (see the comments), and the drive
"Gerakan Warga Asahan Bekerja" (1 Nov – 31 Dec 2026, target 3,000, local: Asahan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from jobfair.context import AppContext
from jobfair.models import Booth, Placement, User
from jobfair.models.applications import ApplicationStatus
from jobfair.services import drives
from support import factories

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


async def user_of(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def hire(session, *, booth: Booth, person, reported_at: datetime, confirmation: str) -> None:  # type: ignore[no-untyped-def]
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


async def build_drive_world(ctx: AppContext) -> World:
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
        await hire(
            session,
            booth=booths["A", "P1"],
            person=people["a1"],
            reported_at=at(3),
            confirmation="confirmed",
        )
        await hire(
            session,
            booth=booths["B", "P2"],
            person=people["a1"],
            reported_at=at(10),
            confirmation="confirmed",
        )
        # a2: non-local, hired in B by P2 in week 2.
        await hire(
            session,
            booth=booths["B", "P2"],
            person=people["a2"],
            reported_at=at(10),
            confirmation="confirmed",
        )
        # a3: denied; a6: still pending; a4: in a fair not linked; a9: before the drive.
        await hire(
            session,
            booth=booths["A", "P1"],
            person=people["a3"],
            reported_at=at(4),
            confirmation="denied",
        )
        await hire(
            session,
            booth=booths["A", "P1"],
            person=people["a6"],
            reported_at=at(4),
            confirmation="pending",
        )
        await hire(
            session,
            booth=booths["unlinked", "P1"],
            person=people["a4"],
            reported_at=at(4),
            confirmation="confirmed",
        )
        await hire(
            session,
            booth=booths["A", "P1"],
            person=people["a9"],
            reported_at=at(30, 10),
            confirmation="confirmed",
        )
        # a5: hired in A by X, a company that is no partner: counted, outside partners.
        await hire(
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
    organiser_user = await user_of(ctx, ids[0])
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


async def report_direct(ctx: AppContext, world: World, recruiter: str, who: str) -> int:
    user = await user_of(ctx, world.recruiter_ids[recruiter])
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


async def email_of(ctx: AppContext, user_id: int) -> str:
    return (await user_of(ctx, user_id)).email or ""


async def with_direct_placements(ctx: AppContext, world: World) -> None:
    """a7: a direct placement by P2 (found by e-mail), confirmed; a8: one denied."""
    a7 = await report_direct(
        ctx, world, "P2", (await email_of(ctx, world.applicant_users["a7"])).upper()
    )
    a8 = await report_direct(ctx, world, "P2", await email_of(ctx, world.applicant_users["a8"]))
    async with ctx.unit_of_work() as session:
        await drives.decide_direct_placement(
            session, await user_of(ctx, world.applicant_users["a7"]), a7, True, ctx.now()
        )
        await drives.decide_direct_placement(
            session,
            await user_of(ctx, world.applicant_users["a8"]),
            a8,
            False,
            ctx.now(),
            "Bukan saya",
        )
