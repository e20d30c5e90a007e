"""The organiser console's company list and verification: scoped and audited."""

from __future__ import annotations

import pytest
from support import factories
from support.console import NOW
from support.console import actions as _actions
from support.console import user as _user
from support.console import world as _world

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import LabourOffice
from jobfair.services import companies
from jobfair.services.errors import NotFound, ValidationFailed


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


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
        rows, more = await companies.list_companies(session, me, "pending")
        assert [row.company.id for row in rows] == [mine_id] and not more
        assert [booth.status for booth, _fair in rows[0].booths] == ["requested"]
        everything, _ = await companies.list_companies(session, admin, None)
        assert {row.company.id for row in everything} == {mine_id, elsewhere_id}
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await companies.decide_company(session, me, mine_id, False, "  ", NOW)
        assert "reason" in caught.value.fields
        with pytest.raises(NotFound):
            await companies.decide_company(session, me, elsewhere_id, True, "", NOW)
    async with ctx.unit_of_work() as session:
        await companies.decide_company(session, me, mine_id, False, "NIB tidak terdaftar", NOW)
    async with ctx.read() as session:
        decision = await companies.office_verification(session, mine_id, ids["office"])
        assert decision is not None and decision.status == "rejected"
        assert decision.reason == "NIB tidak terdaftar" and decision.decided_by_user_id == me.id
        rejected, _ = await companies.list_companies(session, me, "rejected")
        assert [row.company.id for row in rejected] == [mine_id]
        assert [(d.status, d.reason) for d in rejected[0].decisions] == [
            ("rejected", "NIB tidak terdaftar")
        ]
    async with ctx.unit_of_work() as session:
        await companies.decide_company(session, me, mine_id, True, "", NOW)
    async with ctx.read() as session:
        decision = await companies.office_verification(session, mine_id, ids["office"])
        assert decision is not None and decision.status == "verified"
        assert decision.reason is None and decision.decided_at == NOW
    assert await _actions(ctx, object_type="company") == ["company.rejected", "company.verified"]
