"""Draft → published → cancelled, and extending the window, with audit rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support import factories

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import AuditLog, Fair
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.services import fairs
from jobfair.services.errors import Conflict, NotFound, ValidationFailed

NOW = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


async def _draft(ctx: AppContext) -> int:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, status=FairStatus.DRAFT)
        return fair.id


async def _get(ctx: AppContext, fair_id: int) -> Fair:
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        return fair


async def test_publish_then_cancel(ctx: AppContext) -> None:
    fair_id = await _draft(ctx)
    async with ctx.read() as session:
        slug = (await session.get(Fair, fair_id)).slug  # type: ignore[union-attr]
        with pytest.raises(NotFound):
            await fairs.get_fair(session, slug)  # drafts are invisible to the public
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        fairs.publish(session, fair, now=NOW, actor_user_id=None)
    fair = await _get(ctx, fair_id)
    assert fair.status == FairStatus.PUBLISHED and fair.published_at == NOW
    assert fair.phase(NOW) == FairPhase.UPCOMING
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        fairs.cancel(session, fair, now=NOW, actor_user_id=None)
    fair = await _get(ctx, fair_id)
    assert fair.phase(fair.opens_at) == FairPhase.CANCELLED
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(Conflict):
            fairs.publish(session, fair, now=NOW, actor_user_id=None)
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.fair_id == fair_id).order_by(AuditLog.id)
            )
        )
    assert actions == ["fair.published", "fair.cancelled"]


async def test_cannot_publish_a_fair_whose_window_passed(ctx: AppContext) -> None:
    fair_id = await _draft(ctx)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(Conflict):
            fairs.publish(session, fair, now=fair.closes_at, actor_user_id=None)


async def test_cannot_cancel_a_closed_fair(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        with pytest.raises(Conflict):
            fairs.cancel(session, fair, now=fair.closes_at, actor_user_id=None)


async def test_extend_moves_close_and_keeps_decision_gap(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        gap = fair.decision_deadline - fair.closes_at
        new_close = fair.closes_at + timedelta(days=2)
        fairs.extend(session, fair, closes_at=new_close, now=NOW, actor_user_id=None)
        fair_id = fair.id
    fair = await _get(ctx, fair_id)
    assert fair.closes_at == new_close
    assert fair.decision_deadline - fair.closes_at == gap
    assert fair.phase(new_close - timedelta(seconds=1)) == FairPhase.OPEN


async def test_extend_refuses_an_earlier_close(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        with pytest.raises(ValidationFailed) as caught:
            fairs.extend(session, fair, closes_at=fair.closes_at, now=NOW, actor_user_id=None)
    assert "closes_at" in caught.value.fields


@pytest.mark.parametrize(
    ("field", "registration", "opens", "closes", "deadline"),
    [
        ("registration_opens_at", 2, 1, 3, 4),
        ("closes_at", 0, 2, 2, 4),
        ("closes_at", 0, 3, 2, 4),
        ("decision_deadline", 0, 1, 3, 2),
    ],
)
def test_window_rules(
    field: str, registration: int, opens: int, closes: int, deadline: int
) -> None:
    def day(n: int) -> datetime:
        return NOW + timedelta(days=n)

    with pytest.raises(ValidationFailed) as caught:
        fairs.check_window(
            registration_opens_at=day(registration),
            opens_at=day(opens),
            closes_at=day(closes),
            decision_deadline=day(deadline),
        )
    assert field in caught.value.fields


async def test_close_early_keeps_the_deadline_and_is_audited(ctx: AppContext) -> None:
    i18n.set_locale("en")
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        fair_id, opens_at, deadline = fair.id, fair.opens_at, fair.decision_deadline
    during = opens_at + timedelta(days=2)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(Conflict, match="not opened"):
            fairs.close_early(session, fair, now=opens_at - timedelta(hours=1), actor_user_id=None)
        fairs.close_early(session, fair, now=during, actor_user_id=None)
    fair = await _get(ctx, fair_id)
    assert fair.closes_at == during and fair.decision_deadline == deadline
    assert fair.phase(during) == FairPhase.CLOSED
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(Conflict, match="already closed"):
            fairs.close_early(session, fair, now=during, actor_user_id=None)
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "fair.closed_early"))
    assert entry is not None and entry.data["to"] == during.isoformat()


async def test_move_the_decision_deadline_earlier_or_later_until_it_passes(
    ctx: AppContext,
) -> None:
    i18n.set_locale("en")
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        fair_id, closes_at, deadline = fair.id, fair.closes_at, fair.decision_deadline
    now = closes_at - timedelta(days=1)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(ValidationFailed):  # before the close
            fairs.move_deadline(
                session, fair, decision_deadline=closes_at - timedelta(hours=1), now=now,
                actor_user_id=None,
            )  # fmt: skip
        with pytest.raises(ValidationFailed):  # in the past
            fairs.move_deadline(
                session, fair, decision_deadline=now - timedelta(hours=1), now=now,
                actor_user_id=None,
            )  # fmt: skip
        fairs.move_deadline(
            session, fair, decision_deadline=closes_at + timedelta(days=3), now=now,
            actor_user_id=None,
        )  # fmt: skip
    assert (await _get(ctx, fair_id)).decision_deadline == closes_at + timedelta(days=3)
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        with pytest.raises(Conflict, match="has passed"):
            fairs.move_deadline(
                session, fair, decision_deadline=deadline, now=closes_at + timedelta(days=4),
                actor_user_id=None,
            )  # fmt: skip
        actions = list(await session.scalars(select(AuditLog.action)))
    assert actions.count("fair.deadline_moved") == 1
