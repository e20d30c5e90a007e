"""One rule says which vacancies are public (``models.vacancies.is_public``): every
screen that shows or counts vacancies agrees on the same set, on SQLite and PostgreSQL.

Before the rule had one home, the catalogue's filter list offered the work regency of
a verified vacancy in a booth still waiting for approval (a filter that finds nothing),
the fair counts counted the vacancies of a draft fair, and only applying refused them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from support import factories

from jobfair.context import AppContext
from jobfair.models import Fair, Vacancy
from jobfair.models.companies import BoothStatus
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import VacancyStatus, VacancyVerification
from jobfair.services import applications, catalogue, fairs, live
from jobfair.services.errors import NotFound
from jobfair.stats import compile as stats

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


async def build(session: AsyncSession) -> tuple[Fair, dict[str, Vacancy]]:
    """A fair with one vacancy in each state that decides whether it is public."""
    fair = await factories.fair(session)
    approved = await factories.booth(session, fair_row=fair)
    requested = await factories.booth(session, fair_row=fair, status=BoothStatus.REQUESTED)
    rejected = await factories.booth(session, fair_row=fair, status=BoothStatus.REJECTED)

    async def vacancy(booth: object, regency: str, **kw: object) -> Vacancy:
        return await factories.vacancy(session, booth_row=booth, work_regency_code=regency, **kw)

    rows = {
        "public": await vacancy(approved, "12.09"),
        # Closed is shown as closed, not hidden: still public.
        "closed": await vacancy(approved, "12.71", status=VacancyStatus.CLOSED),
        "pending": await vacancy(approved, "31.71", verification=VacancyVerification.PENDING),
        "refused": await vacancy(approved, "31.72", verification=VacancyVerification.REJECTED),
        "booth_requested": await vacancy(requested, "32.16"),
        "booth_rejected": await vacancy(rejected, "32.73"),
    }
    return fair, rows


PUBLIC = {"public", "closed"}


def counted(n: int) -> set[str]:
    """A screen that only counts: the public set when the count is right."""
    return PUBLIC if n == len(PUBLIC) else {f"{n} counted"}


async def seen_by_every_screen(
    session: AsyncSession, fair: Fair, rows: dict[str, Vacancy]
) -> dict[str, set[str]]:
    """The names of the vacancies each screen shows or counts."""
    name_of = {vacancy.id: name for name, vacancy in rows.items()}
    regency_of = {vacancy.work_regency_code: name for name, vacancy in rows.items()}
    seen: dict[str, set[str]] = {}

    found, total = await catalogue.search_vacancies(session, fair)
    assert total == len(found)
    seen["vacancy search"] = {name_of[v.id] for v in found}
    booth_pages: set[str] = set()
    cards = await catalogue.list_booths(session, fair)
    for card in cards:
        page = await catalogue.get_booth(session, fair, card.company.slug)
        booth_pages |= {name_of[v.id] for v in page.vacancies}
    seen["booth pages"] = booth_pages
    seen["booth grid count"] = counted(sum(card.vacancies for card in cards))
    facets = await catalogue.facets(session, fair)
    seen["regency filter"] = {regency_of[code] for code in facets.regencies}
    vacancy_pages = set()
    for name, vacancy in rows.items():
        try:
            await catalogue.get_vacancy(session, fair, vacancy.id)
            vacancy_pages.add(name)
        except NotFound:
            pass
    seen["vacancy page"] = vacancy_pages
    applicable = set()
    for name, vacancy in rows.items():
        try:
            await applications._vacancy_for_applying(session, vacancy.id)
            applicable.add(name)
        except NotFound:
            pass
    seen["applying"] = applicable
    table = await live.organiser_table(session, fair.id)
    seen["live: vacancies with no application"] = {name_of[v.id] for v in table.idle_vacancies}
    counts = (await fairs.fair_counts(session, [fair.id]))[fair.id]
    seen["fair counts"] = counted(counts.vacancies)
    data = await stats.build_report_data(session, fair.id, NOW)
    headline = {item["key"]: item["value"] for item in data["headline"]}
    seen["report"] = counted(headline["vacancies"])
    return seen


async def test_every_screen_shows_the_same_public_vacancies(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair, rows = await build(session)
        seen = await seen_by_every_screen(session, fair, rows)
        openings = sum(rows[name].openings for name in PUBLIC)
        counts = (await fairs.fair_counts(session, [fair.id]))[fair.id]
        data = await stats.build_report_data(session, fair.id, NOW)
    assert seen == dict.fromkeys(seen, PUBLIC)
    headline = {item["key"]: item["value"] for item in data["headline"]}
    assert counts.openings == headline["openings"] == openings


async def test_a_draft_fair_has_no_public_vacancy(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair, rows = await build(session)
        fair.status = FairStatus.DRAFT
        await session.flush()
        counts = (await fairs.fair_counts(session, [fair.id]))[fair.id]
        table = await live.organiser_table(session, fair.id)
        with pytest.raises(NotFound):
            await applications._vacancy_for_applying(session, rows["public"].id)
    assert (counts.vacancies, counts.openings) == (0, 0)
    assert table.idle_vacancies == []


async def test_a_cancelled_fair_keeps_its_public_vacancies(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair, rows = await build(session)
        fair.status = FairStatus.CANCELLED
        await session.flush()
        found, _total = await catalogue.search_vacancies(session, fair)
    assert {v.id for v in found} == {rows[name].id for name in PUBLIC}
