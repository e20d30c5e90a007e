"""Benchmark: server time of one bulk status change ("select all N matching") and of
releasing and delivering those decisions, on SQLite and, if given, PostgreSQL.

Builds a fair with one company, one vacancy and N applications, then times
``screening.stage`` (filter-based, set SQL) and ``deliver_due`` for N = 1,000 and
5,000. Prints one JSON line per measurement. Run:

    .venv/bin/python bench/bulk_decisions.py [postgresql+asyncpg://postgres@127.0.0.1/bench]

The PostgreSQL database named must exist and be empty (the script creates its tables).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    Fair,
    LabourOffice,
    Recruiter,
    User,
    Vacancy,
)
from jobfair.services import screening
from jobfair.services.screening import ScreeningFilters
from jobfair.settings import Settings

NOW = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)


async def _populate(ctx: AppContext, n: int, tag: str) -> User:
    async with ctx.unit_of_work() as session:
        office = LabourOffice(slug=f"office-{tag}", name="Disnaker")
        session.add(office)
        await session.flush()
        fair = Fair(
            office_id=office.id,
            slug=f"fair-{tag}",
            name="Bursa",
            timezone="Asia/Jakarta",
            registration_opens_at=NOW - timedelta(days=7),
            opens_at=NOW - timedelta(days=1),
            closes_at=NOW + timedelta(days=6),
            decision_deadline=NOW + timedelta(days=20),
            status="published",
        )
        company = Company(
            slug=f"pt-{tag}",
            name="PT Bench",
            nib=f"{9_000_000_000_000 + n}",
            kbli="10431",
            kbli_section="C",
            employer_type=24,
            regency_code="12.09",
        )
        session.add_all([fair, company])
        await session.flush()
        booth = Booth(fair_id=fair.id, company_id=company.id, status="approved")
        session.add(booth)
        await session.flush()
        vacancy = Vacancy(
            booth_id=booth.id,
            fair_id=fair.id,
            title="Operator",
            kbji_code="8160",
            openings_either=10,
            education_min="SMA",
            work_regency_code="12.09",
            employment_type="pkwt",
            verification="verified",
        )
        recruiter = User(
            email=f"hrd-{tag}@bench.test",
            password_hash="x",  # noqa: S106 - never signs in
            role="recruiter",
            full_name="HRD",
        )
        session.add_all([vacancy, recruiter])
        await session.flush()
        session.add(Recruiter(company_id=company.id, user_id=recruiter.id, role="owner"))
        users = [
            {
                "email": f"p{tag}-{i}@bench.test",
                "password_hash": "x",
                "role": "applicant",
                "full_name": f"Pelamar {i}",
            }
            for i in range(n)
        ]
        await session.execute(insert(User), users)
        user_ids = list(
            await session.scalars(
                select(User.id).where(User.email.like(f"p{tag}-%")).order_by(User.id)
            )
        )
        await session.execute(
            insert(Applicant),
            [
                {
                    "user_id": uid,
                    "sex": "L" if i % 2 else "P",
                    "birth_date": date(2000, 1, 1),
                    "education_level": "SMA",
                    "ktp_regency_code": "12.09",
                    "domicile_regency_code": "12.09",
                    "consent_at": NOW,
                }
                for i, uid in enumerate(user_ids)
            ],
        )
        applicant_ids = list(
            await session.scalars(select(Applicant.id).where(Applicant.user_id.in_(user_ids)))
        )
        await session.execute(
            insert(Application),
            [
                {
                    "vacancy_id": vacancy.id,
                    "applicant_id": aid,
                    "booth_id": booth.id,
                    "fair_id": fair.id,
                    "submitted_at": NOW,
                    "updated_at": NOW,
                }
                for aid in applicant_ids
            ],
        )
        return recruiter


async def run(database_url: str, label: str) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key="bench",  # noqa: S106 - throwaway benchmark settings
        nik_key="bench",
        data_dir=Path(tempfile.mkdtemp()),
    )
    ctx = AppContext.create(settings)
    await upgrade(ctx.engine)
    try:
        for n in (1000, 5000):
            recruiter = await _populate(ctx, n, f"{label}{n}")
            started = time.perf_counter()
            async with ctx.unit_of_work() as session:
                result = await screening.stage(
                    session, recruiter, "reviewed", NOW, filters=ScreeningFilters()
                )
            staged = time.perf_counter() - started
            async with ctx.unit_of_work() as session:
                await screening.release(session, recruiter, NOW)
            started = time.perf_counter()
            async with ctx.unit_of_work() as session:
                delivered = await screening.deliver_due(session, NOW + timedelta(minutes=5))
            deliver = time.perf_counter() - started
            print(
                json.dumps(
                    {
                        "bench": "bulk_decisions",
                        "database": label,
                        "applications": n,
                        "staged": result.changed,
                        "stage_seconds": round(staged, 3),
                        "delivered": delivered,
                        "deliver_seconds": round(deliver, 3),
                    }
                )
            )
    finally:
        await ctx.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}", "sqlite")
    if len(sys.argv) > 1:
        await run(sys.argv[1], "postgresql")


if __name__ == "__main__":
    asyncio.run(main())
