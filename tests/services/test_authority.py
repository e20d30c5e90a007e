"""Who may act on what: another office's fair, company or organiser is not found, an
admin reaches every office, and an organiser without an office manages nothing."""

from __future__ import annotations

import pytest
from support import factories
from support.console import FORM, NOW
from support.console import user as _user
from support.console import world as _world

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import LabourOffice
from jobfair.models.fairs import FairStatus
from jobfair.services import audit, authority, companies, fairs, staff
from jobfair.services.audit import AuditFilters
from jobfair.services.errors import NotFound, PermissionDenied


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


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
            authority.scoped_fair(session, stranger, slug),
            fairs.publish_fair(session, stranger, slug, NOW),
            fairs.cancel_fair(session, stranger, slug, True, NOW),
            fairs.extend_fair(session, stranger, slug, "2030-01-01T08:00", "", NOW),
            fairs.update_fair(session, stranger, slug, FORM, [], NOW),
            companies.decide_company(session, stranger, company_id, True, "", NOW),
            staff.set_staff_active(session, stranger, ids["me"], False, NOW),
        ):
            with pytest.raises(NotFound):
                await call
        # An admin reaches every office.
        assert (await authority.scoped_fair(session, admin, slug)).slug == slug
    home = None
    async with ctx.read() as session:
        home = await fairs.console_home(session, stranger, NOW)
    assert home.fairs == [] and home.companies_waiting == 0


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
        assert (await fairs.console_home(session, lost, NOW)).fairs == []
        assert await staff.list_staff(session, lost) == []
        assert await audit.audit_entries(session, lost, AuditFilters()) == ([], False)
        assert (await companies.list_companies(session, lost, None))[0] == []
    async with ctx.unit_of_work() as session:
        with pytest.raises(PermissionDenied):
            await fairs.create_fair(session, lost, FORM, [], NOW)
        with pytest.raises(NotFound):
            await staff.set_staff_active(session, lost, applicant_user, False, NOW)
