"""Loading definitions into the database and exporting them, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import factories

from jobfair.context import AppContext
from jobfair.definitions.loader import export_fair, load_fair_file
from jobfair.definitions.schema import parse_fair_file
from jobfair.models import Booth, Company, Fair, Vacancy
from jobfair.services.errors import Conflict

DEMO = Path(__file__).resolve().parents[2] / "events" / "demo.toml"


async def _counts(ctx: AppContext) -> tuple[int, ...]:
    async with ctx.read() as session:
        return tuple(
            [
                await session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Fair, Company, Booth, Vacancy)
            ]
        )


async def test_load_twice_then_change_one_vacancy(ctx: AppContext) -> None:
    definition = parse_fair_file(DEMO)
    async with ctx.unit_of_work() as session:
        first = await load_fair_file(session, definition)
    assert first.created == {
        "booths": 37,
        "companies": 37,
        "fairs": 1,
        "offices": 1,
        "vacancies": 97,
    }
    async with ctx.unit_of_work() as session:
        second = await load_fair_file(session, definition)
    assert second.created == {} and second.updated == {}
    assert "updated nothing" in second.summary()
    assert await _counts(ctx) == (1, 37, 37, 97)

    company = definition.companies[0]
    renamed = company.vacancies[0].model_copy(update=dict(title="Asisten Kebun Senior"))
    changed = definition.model_copy(
        update=dict(
            companies=(
                company.model_copy(update=dict(vacancies=(renamed, *company.vacancies[1:]))),
                *definition.companies[1:],
            ),
        )
    )
    async with ctx.unit_of_work() as session:
        third = await load_fair_file(session, changed)
    assert third.updated == {"vacancies": 1} and third.created == {}
    async with ctx.read() as session:
        titles = set(await session.scalars(select(Vacancy.title)))
    assert "Asisten Kebun Senior" in titles and "Asisten Kebun" not in titles


async def test_export_equals_the_loaded_definition(ctx: AppContext) -> None:
    definition = parse_fair_file(DEMO)
    async with ctx.unit_of_work() as session:
        await load_fair_file(session, definition)
    async with ctx.read() as session:
        exported = await export_fair(session, definition.fair.slug)
    assert exported == definition


async def test_shifted_load_moves_every_date(ctx: AppContext) -> None:
    definition = parse_fair_file(DEMO)
    async with ctx.unit_of_work() as session:
        await load_fair_file(session, definition, shift=timedelta(days=14))
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair))
        assert fair is not None
        assert fair.opens_at == definition.fair.opens_at + timedelta(days=14)
        assert fair.decision_deadline == definition.fair.decision_deadline + timedelta(days=14)
        deadline = await session.scalar(select(func.max(Vacancy.deadline)))
    assert deadline == definition.companies[0].vacancies[0].deadline + timedelta(days=14)


async def test_a_nib_owned_by_another_company_is_refused(ctx: AppContext) -> None:
    definition = parse_fair_file(DEMO)
    async with ctx.unit_of_work() as session:
        await factories.company(session, slug="pt-lain", nib=definition.companies[0].nib)
    with pytest.raises(Conflict, match="already belongs to company 'pt-lain'"):
        async with ctx.unit_of_work() as session:
            await load_fair_file(session, definition)
    # Nothing of the refused file was written.
    assert await _counts(ctx) == (0, 1, 0, 0)


async def test_a_published_fair_in_a_file_is_published_by_the_fair_service(
    ctx: AppContext,
) -> None:
    """Loading ``status = "published"`` once set the column only: no ``published_at``, no
    scheduled compile, no ``fair.published`` audit row."""
    from jobfair.db.uow import _TASKS_KEY
    from jobfair.models import AuditLog as AuditEntry

    definition = parse_fair_file(DEMO)
    assert definition.fair.status == "published"
    now = definition.fair.opens_at - timedelta(days=1)
    async with ctx.unit_of_work() as session:
        await load_fair_file(session, definition, now=now)
        queued = [name for name, _kwargs in session.info.get(_TASKS_KEY, [])]
    assert "compile_fair_report" in queued
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair))
        assert fair is not None
        assert fair.status == "published" and fair.published_at == now
        actions = list(
            await session.scalars(select(AuditEntry.action).where(AuditEntry.fair_id == fair.id))
        )
    assert actions.count("fair.published") == 1
    # Loading the same file again publishes nothing twice.
    async with ctx.unit_of_work() as session:
        await load_fair_file(session, definition, now=now + timedelta(hours=1))
    async with ctx.read() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
        published_at = await session.scalar(select(Fair.published_at))
    assert actions.count("fair.published") == 1 and published_at == now
