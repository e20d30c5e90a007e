"""Benchmark (DESIGN §11 "report"): compiling a fair's report with 100k and 1M
applications, against the same aggregate SQL run raw on the same database.

For each size a closed fair with a realistic population is bulk-inserted (SQLite:
``executemany`` in one transaction; PostgreSQL: ``COPY``): companies and vacancies with
Zipf-like popularity, applicants with the demo's age, sex, education and residence mix,
about 6.5 applications each over the fair's week, released and staged decisions with
their event history, and placements. Then, alternating, ``repeat`` times each:

* ``compile``: ``jobfair.worker.report.compile_report`` — the task's path: the fair
  lookups, every aggregate statement through SQLAlchemy, assembling the tables in
  Python, and writing the new version;
* ``raw``: the statements of ``jobfair.stats.compile.report_statements`` compiled to SQL
  text once, then executed and fetched with the bare driver (``sqlite3`` / ``asyncpg``).

Prints one JSON line per result (best and median seconds; ``ratio`` = compile / raw,
target ≤ 2; and ≤ 30 s for 1M on SQLite). Run from the repository root:

    .venv/bin/python bench/report.py [--sizes 100000,1000000] [--repeat 3]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1/test]

With ``--postgres`` the same runs on a throw-away database on that server (dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from loadgen import backend_of, database
from sqlalchemy import Table, select
from sqlalchemy.engine import make_url

from jobfair.context import AppContext
from jobfair.db.base import Base
from jobfair.models import Fair
from jobfair.models.applications import ANSWERS
from jobfair.models.office_reports import OfficeReportRequest
from jobfair.services.periods import Period, PeriodKind
from jobfair.settings import Settings
from jobfair.stats.compile import fair_scope, report_statements
from jobfair.stats.office import office_scope, office_statements
from jobfair.worker.office_report import compile_office_request
from jobfair.worker.report import compile_report

SEED = 2026
CLOSES_AT = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)  # 16:00 WIB
OPENS_AT = CLOSES_AT - timedelta(days=7)
DEADLINE = CLOSES_AT + timedelta(days=14)
NOW = DEADLINE + timedelta(days=1)
HOST = "12.09"
NEAR = ("12.08", "12.10", "12.12", "12.71", "12.72", "12.74")  # same province
FAR = ("32.16", "32.75", "31.71", "33.74", "35.78", "64.72")
EDUCATION = (
    ("TTSD", 2), ("SD", 6), ("SMP", 12), ("SMA", 30), ("SMK", 28), ("D1", 2),
    ("D2", 1), ("D3", 7), ("D4", 2), ("S1", 9), ("S2", 1),
)  # fmt: skip
AGES = (((17, 19), 12), ((20, 29), 55), ((30, 44), 25), ((45, 54), 6), ((55, 60), 2))
KBLI = (("C", "10721"), ("G", "47111"), ("I", "56101"), ("H", "49431"), ("F", "41011"),
        ("Q", "86101"), ("K", "64191"), ("A", "01262"), ("N", "78100"), ("J", "62019"))  # fmt: skip
KBJI = ("8160", "4110", "5223", "9329", "7212", "3313", "2411", "5131", "8322", "9621")
# Where an application ends (released status) with its event path and weight.
PATHS: tuple[tuple[tuple[str, ...], str, int], ...] = (
    ((), "unanswered_none", 18),  # no event yet (still waiting before the deadline job)
    (("unanswered",), "unanswered", 14),
    (("reviewed",), "reviewed", 10),
    (("rejected",), "rejected", 30),
    (("reviewed", "rejected"), "rejected", 8),
    (("shortlisted", "rejected"), "rejected", 7),
    (("shortlisted", "interview", "rejected"), "rejected", 4),
    (("shortlisted", "interview"), "interview", 2),
    (("interview", "offered"), "offered", 1),
    (("shortlisted", "interview", "offered", "hired"), "hired", 2),
    (("hired",), "hired", 1),
    (("withdrawn",), "withdrawn", 2),
    (("staged:hired",), "submitted", 1),  # a decision staged, never released
)
ANSWERED = ANSWERS  # the statuses that set first_decision_at, from the model


def sqlite_time(moment: datetime) -> str:
    """As SQLAlchemy stores a UTC datetime in SQLite (naive, with microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class Writer:
    """Bulk rows into one backend; values arrive as Python values and are adapted."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = backend_of(url) == "sqlite"
        self.connection: Any = None

    async def __aenter__(self) -> Writer:
        if self.sqlite:
            self.connection = sqlite3.connect(make_url(self.url).database or "")
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=OFF")
            self.connection.execute("BEGIN")
        else:
            import asyncpg

            self.connection = await asyncpg.connect(_dsn(self.url))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.sqlite:
            self.connection.execute("COMMIT")
            self.connection.execute("ANALYZE")
            self.connection.close()
        else:
            await self.connection.execute("ANALYZE")
            await self.connection.close()

    def _adapt(self, value: Any) -> Any:
        if not self.sqlite:
            if isinstance(value, datetime):
                return value.astimezone(UTC).replace(tzinfo=None)
            return value
        if isinstance(value, datetime):
            return sqlite_time(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        return value

    async def rows(self, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert ``rows``; NOT NULL columns left out get their model default."""
        table: Table = Base.metadata.tables[name]
        missing = [
            column
            for column in table.columns
            if column.name not in columns
            and not column.nullable
            and not (column.primary_key and column.autoincrement in (True, "auto"))
        ]
        filler = [_default(column) for column in missing]
        names = [*columns, *(column.name for column in missing)]
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(self._adapt(v) for v in (*row, *filler)))
            if len(batch) >= 50_000:
                await self._flush(name, names, batch)
                batch = []
        if batch:
            await self._flush(name, names, batch)

    async def _flush(self, name: str, names: list[str], batch: list[tuple[Any, ...]]) -> None:
        if self.sqlite:
            marks = ", ".join("?" for _ in names)
            # Table and column names come from the models, never from input.
            insert = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
            self.connection.executemany(insert, batch)
        else:
            await self.connection.copy_records_to_table(name, records=batch, columns=names)


def _default(column: Any) -> Any:
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        return default.arg
    if default is not None:  # utcnow and the like
        return NOW
    python = column.type.python_type
    return {str: "", int: 0, bool: False}.get(python, "")


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]], k: int) -> list[Any]:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=k)


def fair_window(fair: int, fairs: int) -> tuple[datetime, datetime, datetime]:
    """Opens, closes and decision deadline of fair ``fair`` (1-based) of ``fairs``: the
    last one is the single fair's week; earlier ones every 18 days before it, so 20
    fairs span 2026 (the office report's year)."""
    opens = OPENS_AT - timedelta(days=18 * (fairs - fair))
    return opens, opens + (CLOSES_AT - OPENS_AT), opens + (DEADLINE - OPENS_AT)


async def populate(url: str, applications: int, fairs: int = 1) -> int:
    """Bulk-insert ``fairs`` closed fairs of one office with about ``applications``
    applications in all."""
    rng = random.Random(SEED)
    companies = max(20, applications // 500)
    vacancies_n = companies * 4
    # More applicants than needed: generation stops at exactly ``applications``; the rest
    # registered and never applied (as in a real fair).
    applicants_n = int(applications / 5.5)
    async with Writer(url) as out:
        await out.rows("labour_offices", ["id", "slug", "name"], [(1, "bench", "Disnaker")])
        windows = {n: fair_window(n, fairs) for n in range(1, fairs + 1)}
        await out.rows(
            "fairs",
            ["id", "office_id", "slug", "name", "timezone", "registration_opens_at",
             "opens_at", "closes_at", "decision_deadline", "status", "local_hiring_target"],
            [(n, 1, "bench" if n == fairs else f"bench-{n}", f"Bursa Kerja {n}", "Asia/Jakarta",
              opens - timedelta(days=7), opens, closes, deadline, "published",
              applications // 100) for n, (opens, closes, deadline) in windows.items()],
        )  # fmt: skip
        await out.rows(
            "fair_host_regencies",
            ["fair_id", "regency_code"],
            [(n, HOST) for n in range(1, fairs + 1)],
        )
        kinds = [KBLI[n % len(KBLI)] for n in range(companies)]
        await out.rows(
            "companies",
            ["id", "slug", "name", "nib", "kbli", "kbli_section", "employer_type",
             "regency_code"],
            [(n, f"pt-{n}", f"PT Bench {n}", f"{9200000000000 + n}", kinds[n - 1][1],
              kinds[n - 1][0], rng.choice((21, 22, 23, 24, 24, 24, 24, 25, 26)),
              rng.choice((HOST, *NEAR))) for n in range(1, companies + 1)],
        )  # fmt: skip
        # One booth per company and fair: booth (fair − 1) × companies + company.
        await out.rows(
            "booths",
            ["id", "fair_id", "company_id", "status"],
            [((f - 1) * companies + n, f, n, "approved")
             for f in range(1, fairs + 1) for n in range(1, companies + 1)],
        )  # fmt: skip
        vacancy_rows = []
        fair_of: dict[int, int] = {}
        for n in range(1, vacancies_n + 1):
            fair_of[n] = (n - 1) % fairs + 1
            booth = (fair_of[n] - 1) * companies + (n - 1) % companies + 1
            split = rng.random()
            male, female, either = (
                (rng.randint(1, 5), 0, 0) if split < 0.3
                else (0, rng.randint(1, 5), 0) if split < 0.5
                else (0, 0, rng.randint(1, 10))
            )  # fmt: skip
            vacancy_rows.append(
                (n, booth, fair_of[n], f"Lowongan {n}", rng.choice(KBJI), male, female, either,
                 "SMA", rng.choice((HOST, HOST, *NEAR, *FAR[:2])), "pkwt", "verified")
            )  # fmt: skip
        await out.rows(
            "vacancies",
            ["id", "booth_id", "fair_id", "title", "kbji_code", "openings_male",
             "openings_female", "openings_either", "education_min", "work_regency_code",
             "employment_type", "verification"],
            vacancy_rows,
        )  # fmt: skip
        booth_of = {row[0]: row[1] for row in vacancy_rows}

        def applicant_rows() -> Iterable[tuple[Any, ...]]:
            end = CLOSES_AT.date()
            educations = _weighted(rng, EDUCATION, applicants_n)
            ages = _weighted(rng, AGES, applicants_n)
            for n in range(applicants_n):
                low, high = ages[n]
                birth = end - timedelta(days=rng.randint(low * 365, high * 365 + 364))
                place = rng.random()
                ktp = HOST if place < 0.6 else rng.choice(NEAR) if place < 0.85 else rng.choice(FAR)
                disabled = rng.random() < 0.02
                yield (
                    n + 1, "P" if rng.random() < 0.55 else "L", birth, educations[n], ktp, ktp,
                    disabled, rng.choice(("physical", "sensory_sight,physical")) * disabled,
                    f"AK1-{n}" if rng.random() < 0.3 else None, OPENS_AT,
                )  # fmt: skip

        await out.rows(
            "applicants",
            ["id", "sex", "birth_date", "education_level", "ktp_regency_code",
             "domicile_regency_code", "has_disability", "disability_kinds", "ak1_number",
             "consent_at"],
            applicant_rows(),
        )  # fmt: skip

        popularity = list(
            itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(vacancies_n))
        )
        vacancy_ids = list(range(1, vacancies_n + 1))
        rng.shuffle(vacancy_ids)
        paths = [(p[0], p[1]) for p in PATHS]
        path_weights = [p[2] for p in PATHS]
        application_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        placement_rows: list[tuple[Any, ...]] = []
        app_id = 0
        window = (CLOSES_AT - OPENS_AT).total_seconds()
        for person in range(1, applicants_n + 1):
            wanted = max(1, min(30, round(rng.expovariate(1 / 6.5))))
            chosen = set(rng.choices(vacancy_ids, cum_weights=popularity, k=wanted))
            for vacancy in chosen:
                if app_id == applications:
                    break
                app_id += 1
                fair = fair_of[vacancy]
                opens, _closes, deadline = windows[fair]
                submitted = opens + timedelta(seconds=window * rng.random() ** 1.3)
                steps, final = rng.choices(paths, weights=path_weights)[0]
                at = submitted
                first_decision = None
                status = final if final != "unanswered_none" else "submitted"
                for step in steps:
                    at = at + timedelta(hours=rng.expovariate(1 / 40))
                    staged = step.startswith("staged:")
                    to = step.removeprefix("staged:")
                    released = None if staged else (deadline if to == "unanswered" else at)
                    if staged:
                        status = to
                    if released and to in ANSWERED and first_decision is None:
                        first_decision = released
                    event_rows.append((app_id, to, at, released))
                released_status = "submitted" if final in ("unanswered_none",) else final
                application_rows.append(
                    (app_id, vacancy, person, booth_of[vacancy], fair, status, released_status,
                     submitted, first_decision)
                )  # fmt: skip
                if final == "hired":
                    outcome = rng.random()
                    confirmation = (
                        "confirmed" if outcome < 0.7 else "pending" if outcome < 0.9 else "denied"
                    )
                    placement_rows.append((app_id, fair, confirmation, at))
        await out.rows(
            "applications",
            ["id", "vacancy_id", "applicant_id", "booth_id", "fair_id", "status",
             "released_status", "submitted_at", "first_decision_at"],
            application_rows,
        )  # fmt: skip
        await out.rows(
            "application_events",
            ["application_id", "to_status", "created_at", "released_at"],
            event_rows,
        )
        await out.rows(
            "placements", ["application_id", "fair_id", "confirmation", "reported_at"],
            placement_rows,
        )  # fmt: skip
    return app_id


def raw_statements(url: str, statements: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """The report's statements as SQL text and positional parameters for the bare
    driver, exactly as SQLAlchemy would send them (same text, same bound values)."""
    from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
    from sqlalchemy.dialects.sqlite.aiosqlite import dialect as aiosqlite_dialect

    dialect = aiosqlite_dialect() if backend_of(url) == "sqlite" else asyncpg_dialect()
    out = []
    for statement in statements.values():
        compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        params = compiled.construct_params()
        values = []
        for name in compiled.positiontup or []:
            value = params[name]
            if isinstance(value, datetime):
                value = (
                    sqlite_time(value)
                    if dialect.name == "sqlite"
                    else value.astimezone(UTC).replace(tzinfo=None)
                )
            elif isinstance(value, date) and dialect.name == "sqlite":
                value = value.isoformat()
            elif isinstance(value, bool) and dialect.name == "sqlite":
                value = int(value)
            values.append(value)
        out.append((str(compiled), tuple(values)))
    return out


async def run_raw(url: str, statements: list[tuple[str, tuple[Any, ...]]]) -> int:
    rows = 0
    if backend_of(url) == "sqlite":

        def work() -> int:
            connection = sqlite3.connect(make_url(url).database or "")
            try:
                return sum(
                    len(connection.execute(sql, params).fetchall()) for sql, params in statements
                )
            finally:
                connection.close()

        return await asyncio.to_thread(work)
    import asyncpg

    connection = await asyncpg.connect(_dsn(url))
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            for sql, params in statements:
                rows += len(await connection.fetch(sql, *params))
    finally:
        await connection.close()
    return rows


async def measure(postgres_url: str | None, size: int, repeat: int, directory: Path) -> None:
    async with database(postgres_url, directory, f"report{size}") as url:
        started = time.perf_counter()
        applications = await populate(url, size)
        built = time.perf_counter() - started
        ctx = AppContext.create(
            Settings(database_url=url, secret_key="bench", nik_key="bench", data_dir=directory),  # noqa: S106
            clock=lambda: NOW,
        )
        try:
            async with ctx.read() as session:
                fair = await session.scalar(select(Fair))
                assert fair is not None
                scope = fair_scope(fair, "province", [HOST])
            statements = raw_statements(url, report_statements(scope))
            await run_raw(url, statements)  # warm the caches alike for both
            times: dict[str, list[float]] = {"compile": [], "raw": []}
            for _ in range(repeat):
                started = time.perf_counter()
                report = await compile_report(ctx, 1, force=True)
                times["compile"].append(time.perf_counter() - started)
                assert report is not None
                started = time.perf_counter()
                await run_raw(url, statements)
                times["raw"].append(time.perf_counter() - started)
        finally:
            await ctx.close()
        best = {name: min(values) for name, values in times.items()}
        print(
            json.dumps(
                {
                    "bench": "report",
                    "backend": backend_of(url),
                    "applications": applications,
                    "statements": len(statements),
                    "build_s": round(built, 1),
                    "compile_best_s": round(best["compile"], 3),
                    "compile_median_s": round(statistics.median(times["compile"]), 3),
                    "raw_best_s": round(best["raw"], 3),
                    "raw_median_s": round(statistics.median(times["raw"]), 3),
                    "ratio": round(best["compile"] / best["raw"], 2),
                    "repeat": repeat,
                }
            ),
            flush=True,
        )


async def measure_office(
    postgres_url: str | None, size: int, repeat: int, directory: Path, fairs: int
) -> None:
    """The office statistics of 2026 (every fair) against their statements run raw."""
    async with database(postgres_url, directory, f"office{size}") as url:
        started = time.perf_counter()
        applications = await populate(url, size, fairs)
        built = time.perf_counter() - started
        ctx = AppContext.create(
            Settings(database_url=url, secret_key="bench", nik_key="bench", data_dir=directory),  # noqa: S106
            clock=lambda: NOW,
        )
        year = Period.of(PeriodKind.YEAR, 2026)
        try:
            scope = office_scope(1, year, "Asia/Jakarta", "province", NOW)
            statements = raw_statements(url, office_statements(scope))
            await run_raw(url, statements)  # warm the caches alike for both
            times: dict[str, list[float]] = {"compile": [], "raw": []}
            for _ in range(repeat):
                async with ctx.unit_of_work() as session:
                    request = OfficeReportRequest(
                        office_id=1,
                        period_kind=str(year.kind),
                        period_number=year.number,
                        period_start=year.start,
                        period_end=year.end,
                        requested_at=NOW,
                    )
                    session.add(request)
                    await session.flush()
                    request_id = request.id
                started = time.perf_counter()
                report = await compile_office_request(ctx, request_id)
                times["compile"].append(time.perf_counter() - started)
                assert report is not None
                started = time.perf_counter()
                await run_raw(url, statements)
                times["raw"].append(time.perf_counter() - started)
        finally:
            await ctx.close()
        best = {name: min(values) for name, values in times.items()}
        print(
            json.dumps(
                {
                    "bench": "office_report",
                    "backend": backend_of(url),
                    "applications": applications,
                    "fairs": fairs,
                    "statements": len(statements),
                    "build_s": round(built, 1),
                    "compile_best_s": round(best["compile"], 3),
                    "compile_median_s": round(statistics.median(times["compile"]), 3),
                    "raw_best_s": round(best["raw"], 3),
                    "raw_median_s": round(statistics.median(times["raw"]), 3),
                    "ratio": round(best["compile"] / best["raw"], 2),
                    "repeat": repeat,
                }
            ),
            flush=True,
        )


async def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", help="also on a throw-away database of this server")
    parser.add_argument(
        "--office",
        type=int,
        metavar="FAIRS",
        help="the office statistics of 2026 over this many fairs instead of one fair's report",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="jobfair-report-bench-") as folder:
        for size in sizes:
            for url in (None, args.postgres) if args.postgres else (None,):
                if args.office:
                    await measure_office(url, size, args.repeat, Path(folder), args.office)
                else:
                    await measure(url, size, args.repeat, Path(folder))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
