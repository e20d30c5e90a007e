"""A small organiser-console world for the service tests: two offices, an organiser of
each, an admin, and the fair form a definition file would match."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from jobfair.context import AppContext
from jobfair.models import AuditLog, User
from support import factories

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


async def actions(ctx: AppContext, **where: object) -> list[str]:
    async with ctx.read() as session:
        query = select(AuditLog.action).order_by(AuditLog.id)
        for key, value in where.items():
            query = query.where(getattr(AuditLog, key) == value)
        return list(await session.scalars(query))


async def world(ctx: AppContext) -> dict[str, int]:
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


async def user(ctx: AppContext, user_id: int) -> User:
    async with ctx.read() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user
