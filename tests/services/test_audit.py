"""The scoped audit log viewer and its filters."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from support import factories
from support.console import NOW
from support.console import user as _user
from support.console import world as _world

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import LabourOffice, User
from jobfair.services import audit
from jobfair.services.audit import AuditFilters


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


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

    async def page(user: User, **params: str) -> tuple[list[audit.AuditRow], bool]:
        filters, errors = AuditFilters.parse(params)
        assert errors == {}
        async with ctx.read() as session:
            return await audit.audit_entries(session, user, filters)

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
