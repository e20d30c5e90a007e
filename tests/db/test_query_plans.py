"""The sweeps that run all through a fair reach their rows through an index, also
without statistics (SQLite gathers none by itself): otherwise each sweep reads a table
that grows with every fair, inside a write transaction."""

from __future__ import annotations

import pytest
from support.statements import recorded_selects, sqlite_plan

from jobfair.context import AppContext
from jobfair.services import booth_privacy, conversations

# Tables that grow with every fair (a handful of fairs, offices and booths may be read whole).
GROWING = ("applications", "booth_messages", "chat_messages", "conversations", "slot_bookings")


async def test_the_sweeps_scan_no_table_that_grows(ctx: AppContext) -> None:
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("the plans are SQLite's; PostgreSQL plans from its own statistics")
    now = ctx.now()
    with recorded_selects(ctx.engine) as selects:
        async with ctx.unit_of_work() as session:
            await conversations.end_timed_out(session, now)
        async with ctx.unit_of_work() as session:
            await booth_privacy.purge_closed_fairs(session, now, ctx.settings.retention_days)
    assert len(selects) >= 2
    for statement, parameters in selects:
        plan = await sqlite_plan(ctx.engine, statement, parameters)
        scans = [step for step in plan if step.startswith("SCAN ") and step.split()[1] in GROWING]
        assert not scans, (statement, plan)
