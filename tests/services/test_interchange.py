"""Which rows the interchange files hold (consent, anonymised, assisted, the office's
fairs of the period) and how typed text is written, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from support import factories

from jobfair.context import AppContext
from jobfair.models import LabourOffice
from jobfair.services import interchange
from jobfair.services.periods import Period

Q4 = Period.of("quarter", 2026, 4)
CONSENTED = datetime(2026, 11, 1, tzinfo=UTC)


async def test_job_seekers_are_those_with_consent_of_the_office(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        office = await factories.office(s)
        other = await factories.office(s)
        officer = await factories.organiser(s, office_row=office)
        fair = await factories.fair(s, office_row=office)
        other_fair = await factories.fair(s, office_row=other)
        vacancy = await factories.vacancy(s, booth_row=await factories.booth(s, fair_row=fair))
        elsewhere = await factories.vacancy(
            s, booth_row=await factories.booth(s, fair_row=other_fair)
        )

        async def person(nik: str, **values: object) -> object:
            return await factories.applicant(s, vault=ctx.nik_vault, nik=nik, **values)

        applied = await person("1209011508990011", interchange_consent_at=CONSENTED)
        await factories.application(s, vacancy_row=vacancy, applicant_row=applied)
        silent = await person("1209011508990012")  # applied, no consent
        await factories.application(s, vacancy_row=vacancy, applicant_row=silent)
        gone = await person(
            "1209011508990013", interchange_consent_at=CONSENTED, anonymised_at=CONSENTED
        )
        await factories.application(s, vacancy_row=vacancy, applicant_row=gone)
        away = await person("1209011508990014", interchange_consent_at=CONSENTED)
        await factories.application(s, vacancy_row=elsewhere, applicant_row=away)
        await person(  # a walk-in of this office in the quarter, no application yet
            "1209011508990015",
            interchange_consent_at=CONSENTED,
            assisted_by_user_id=officer.id,
            created_at=CONSENTED,
        )
        await person(  # a walk-in of the quarter before
            "1209011508990016",
            interchange_consent_at=CONSENTED,
            assisted_by_user_id=officer.id,
            created_at=datetime(2026, 9, 1, tzinfo=UTC),
        )
        office_id = office.id
    async with ctx.unit_of_work() as s:
        row = await s.get(LabourOffice, office_id)
        assert row is not None
        rows = await interchange.dataset(s, row, "job_seekers", Q4, ctx.nik_vault)
    assert [(r["nik"], r["assisted"]) for r in rows] == [
        ("1209011508990011", "0"),
        ("1209011508990015", "1"),
    ]
    assert all(tuple(r) == interchange.COLUMNS["job_seekers"] for r in rows)


async def test_a_fair_outside_the_period_gives_no_vacancies(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as s:
        office = await factories.office(s)
        fair = await factories.fair(s, office_row=office)  # 3–10 November 2026
        await factories.vacancy(s, booth_row=await factories.booth(s, fair_row=fair))
        rows_q4 = await interchange.dataset(s, office, "vacancies", Q4, ctx.nik_vault)
        rows_q3 = await interchange.dataset(
            s, office, "vacancies", Period.of("quarter", 2026, 3), ctx.nik_vault
        )
    assert len(rows_q4) == 1 and rows_q3 == []
    assert rows_q4[0]["sex"] == "LP"  # two men and one woman wanted
    assert rows_q4[0]["valid_from"] == "2026-11-03"


def test_typed_text_cannot_become_a_formula() -> None:
    row = {name: "" for name in interchange.COLUMNS["companies"]}
    row.update(name="=HYPERLINK(1)", nib="1234567890123")
    body = interchange.to_csv("companies", [row]).decode()
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed[1][interchange.COLUMNS["companies"].index("name")] == "'=HYPERLINK(1)"
    assert parsed[1][0] == "1234567890123"
