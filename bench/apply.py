"""Benchmark (DESIGN §11 "apply"): sustained applications per second and p50/p99
latency of the real apply path against a bare Starlette endpoint that inserts one row
into the same database with the same engine settings (WAL, busy timeout, BEGIN
IMMEDIATE on SQLite; a pool on PostgreSQL).

Measured side by side in one run, each server a uvicorn process on loopback, all driven
by the same load generator (``loadgen.drive``):

* ``jobfair``/``api``: ``POST /api/v1/vacancies/{id}/applications`` with a bearer token;
* ``jobfair``/``form``: the HTML form ``POST /fairs/{slug}/vacancies/{id}/apply`` with a
  session cookie and CSRF token (answers 303);
* ``bare``: ``POST /bare/{vacancy}/{applicant}`` inserting one ``applications`` row.

Every request applies a distinct (applicant, vacancy) pair, at most 30 per applicant
(the per-applicant rate limit of 30 a minute). ``--rounds`` rounds alternate the three
targets (one jobfair server serves both paths); each target's best round is reported,
so drift in the machine's load falls on all of them. Prints one JSON line per result;
``ratio`` is rps over the bare rps (target ≥ 0.5). Run from the repository root:

    .venv/bin/python bench/apply.py [--postgres postgresql+asyncpg://postgres@127.0.0.1/test]

With ``--postgres`` a throw-away database is created on that server (and dropped).

Scale-out (issue 14 item 5): ``--workers 1 2 --redis redis://127.0.0.1:6379/N`` runs the
product as that many web processes (``uvicorn --workers``) sharing the live layer,
page cache and task queue through Redis (a namespace of its own per run), all in the
same alternating rounds; a ``scale`` line gives each count's rps over the first's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import secrets
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from loadgen import (
    NIK_KEY,
    SECRET_KEY,
    Call,
    Result,
    analyze,
    backend_of,
    database,
    drive,
    jobfair_env,
    server,
    uvicorn_command,
)
from sqlalchemy import insert, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jobfair.db.engine import create_engine, create_sessionmakers
from jobfair.db.uow import UnitOfWork
from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    Fair,
    LabourOffice,
    OfficeVerification,
    User,
    Vacancy,
)
from jobfair.models.accounts import ApiToken, Role, UserSession
from jobfair.services.auth import SESSION_LIFETIME, token_hash
from jobfair.services.identity import NikVault
from jobfair.web.auth import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE, csrf_for, session_signer

VACANCIES = 30  # = the per-applicant rate limit per minute: one pass each
WARMUP = 50  # unmeasured requests at the start of every round


@dataclass(frozen=True)
class Person:
    user_id: int
    applicant_id: int
    token: str
    cookie: str
    csrf: str


@dataclass(frozen=True)
class Population:
    slug: str
    vacancy_ids: list[int]
    people: dict[str, list[Person]]  # one disjoint group per target


async def populate(url: str, groups: dict[str, int]) -> Population:
    """A fair open now with ``VACANCIES`` verified vacancies and, per target, that many
    applicants, each with an API token and a signed-in browser session."""
    engine = create_engine(url)
    writer, _ = create_sessionmakers(engine)
    vault = NikVault(NIK_KEY)
    signer = session_signer(SECRET_KEY)
    now = datetime.now(UTC)
    people: dict[str, list[Person]] = {}
    async with UnitOfWork(writer) as session:
        office = LabourOffice(slug="disnaker-bench", name="Disnaker", regency_code="12.09")
        session.add(office)
        await session.flush()
        fair = Fair(
            office_id=office.id,
            slug="bench-fair",
            name="Bursa Kerja Bench",
            timezone="Asia/Jakarta",
            registration_opens_at=now - timedelta(days=8),
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
            decision_deadline=now + timedelta(days=20),
            status="published",
        )
        company = Company(
            slug="pt-bench",
            name="PT Bench",
            nib="9100000000001",
            kbli="10721",
            kbli_section="C",
            employer_type=24,
            regency_code="12.09",
        )
        session.add_all([fair, company])
        await session.flush()
        # Verification is each labour office's decision on the company.
        session.add(
            OfficeVerification(company_id=company.id, office_id=office.id, status="verified")
        )
        booth = Booth(fair_id=fair.id, company_id=company.id, status="approved")
        session.add(booth)
        await session.flush()
        vacancies = [
            Vacancy(
                booth_id=booth.id,
                fair_id=fair.id,
                ref=f"lowongan-{n}",
                title=f"Operator Produksi {n}",
                kbji_code="8160",
                openings_male=2,
                openings_female=1,
                openings_either=0,
                education_min="SMA",
                age_min=18,
                age_max=40,
                salary_min=3_200_000,
                salary_max=3_600_000,
                work_regency_code="12.09",
                employment_type="pkwt",
                verification="verified",
            )
            for n in range(VACANCIES)
        ]
        session.add_all(vacancies)
        serial = 0
        for target, count in groups.items():
            users = [
                User(
                    email=f"{target}{n}@bench.test",
                    password_hash="not-a-real-hash",  # noqa: S106 - never signs in
                    role=Role.APPLICANT,
                    full_name=f"Pelamar {target} {n}",
                )
                for n in range(count)
            ]
            session.add_all(users)
            await session.flush()
            applicants = []
            for user in users:
                serial += 1
                nik = f"1209{(serial % 28) + 1:02d}{(serial % 12) + 1:02d}99{serial:06d}"
                applicants.append(
                    Applicant(
                        user_id=user.id,
                        nik_ciphertext=vault.encrypt(nik),
                        nik_hmac=vault.fingerprint(nik),
                        nik_masked=vault.mask(nik),
                        sex="L",
                        birth_date=date(1999, 5, (serial % 28) + 1),
                        education_level="SMA",
                        ktp_regency_code="12.09",
                        domicile_regency_code="12.09",
                        consent_at=now,
                    )
                )
            session.add_all(applicants)
            group = []
            for user, applicant in zip(users, applicants, strict=True):
                token, raw_session, csrf_cookie, session_csrf = (
                    secrets.token_urlsafe(24) for _ in range(4)
                )
                session.add(
                    ApiToken(
                        token_hash=token_hash(token),
                        user_id=user.id,
                        name="bench",
                        expires_at=now + timedelta(days=90),
                    )
                )
                session.add(
                    UserSession(
                        token_hash=token_hash(raw_session),
                        user_id=user.id,
                        csrf_token=session_csrf,
                        created_at=now,
                        last_seen_at=now,
                        expires_at=now + SESSION_LIFETIME,
                    )
                )
                cookie = (
                    f"{SESSION_COOKIE}={signer.sign(raw_session).decode()}; "
                    f"{CSRF_COOKIE}={csrf_cookie}"
                )
                # The form token binds the CSRF cookie to the session's own secret.
                csrf = csrf_for(SECRET_KEY, csrf_cookie, session_csrf)
                group.append((user, applicant, token, cookie, csrf))
            await session.flush()
            people[target] = [
                Person(user.id, applicant.id, token, cookie, csrf)
                for user, applicant, token, cookie, csrf in group
            ]
        await session.flush()
        slug, vacancy_ids = fair.slug, [vacancy.id for vacancy in vacancies]
    await engine.dispose()
    return Population(slug, vacancy_ids, people)


def calls_for(target: str, population: Population) -> list[Call]:
    """Every (applicant, vacancy) pair of the target's group, vacancy-major so that
    consecutive requests come from different applicants."""
    calls = []
    for vacancy_id in population.vacancy_ids:
        for person in population.people[target]:
            if target == "api":
                calls.append(
                    Call(
                        "POST",
                        f"/api/v1/vacancies/{vacancy_id}/applications",
                        201,
                        headers={"Authorization": f"Bearer {person.token}"},
                    )
                )
            elif target == "form":
                calls.append(
                    Call(
                        "POST",
                        f"/fairs/{population.slug}/vacancies/{vacancy_id}/apply",
                        303,
                        headers={"Cookie": person.cookie},
                        data={CSRF_FIELD: person.csrf},
                    )
                )
            else:
                calls.append(Call("POST", f"/bare/{vacancy_id}/{person.applicant_id}", 201))
    return calls


# ----------------------------------------------------------------- the bare reference


def bare_app(database_url: str) -> Starlette:
    """One endpoint inserting one ``applications`` row, on the product's engine settings."""
    engine = create_engine(database_url)
    writer = engine.execution_options(sqlite_immediate=True)
    table = Application.__table__
    places: dict[int, tuple[int, int]] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with engine.connect() as connection:
            rows = await connection.execute(select(Vacancy.id, Vacancy.booth_id, Vacancy.fair_id))
            places.update({row[0]: (row[1], row[2]) for row in rows})
        yield
        await engine.dispose()

    async def apply(request: Request) -> JSONResponse:
        vacancy_id = request.path_params["vacancy_id"]
        booth_id, fair_id = places[vacancy_id]
        now = datetime.now(UTC)
        async with writer.begin() as connection:
            new_id = await connection.scalar(
                insert(table)
                .values(
                    vacancy_id=vacancy_id,
                    applicant_id=request.path_params["applicant_id"],
                    booth_id=booth_id,
                    fair_id=fair_id,
                    status="submitted",
                    released_status="submitted",
                    submitted_at=now,
                    updated_at=now,
                )
                .returning(table.c.id)
            )
        return JSONResponse({"id": new_id}, status_code=201)

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/bare/{vacancy_id:int}/{applicant_id:int}", apply, methods=["POST"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


# ------------------------------------------------------------------------ the run


async def run_backend(args: argparse.Namespace, postgres: str | None, tmp: Path) -> None:
    targets = ["bare", *args.targets]
    chunk = args.requests + WARMUP
    # Enough applicants for every round's requests, one application per vacancy each.
    per_group = -(-(chunk * args.rounds * len(args.workers)) // VACANCIES)
    async with database(postgres, tmp, "apply") as url:
        population = await populate(url, dict.fromkeys(targets, per_group))
        await analyze(url)
        calls = {target: calls_for(target, population) for target in targets}
        extra = {}
        if args.redis:
            extra = {
                "JOBFAIR_REDIS_URL": args.redis,
                "JOBFAIR_REDIS_NAMESPACE": f"bench-{secrets.token_hex(4)}",
            }
        env = jobfair_env(url, tmp / "data", **extra)
        bare_command = [sys.executable, __file__, "--serve-bare", url, "--port", "{port}"]
        best: dict[tuple[str, int], Result] = {}
        with contextlib.ExitStack() as stack:
            bare = stack.enter_context(server(bare_command, env, "/healthz"))
            products = {
                workers: stack.enter_context(
                    server(
                        uvicorn_command("jobfair.app:asgi")
                        + (["--workers", str(workers)] if workers > 1 else []),
                        env,
                        "/healthz",
                    )
                )
                for workers in args.workers
            }
            # Rounds alternate the targets, so drift in the machine's load falls on all of
            # them; each target's best round is reported. Each (path, process count) has
            # its own applicants: every request is a new application.
            runs = [("bare", 1)] + [(t, w) for w in args.workers for t in targets[1:]]
            groups = {run: calls[run[0]] for run in runs}
            offsets = dict.fromkeys(runs, 0)
            for _round_number in range(args.rounds):
                for run in runs:
                    target, workers = run
                    # Each process count's paths take their own slice of the calls.
                    slot = 0 if target == "bare" else args.workers.index(workers)
                    start = offsets[run] + chunk * args.rounds * slot
                    offsets[run] += chunk
                    result = await drive(
                        bare if target == "bare" else products[workers],
                        groups[run][start : start + chunk],
                        connections=args.connections,
                        max_requests=args.requests,
                        max_seconds=args.seconds,
                        warmup=WARMUP,
                    )
                    if run not in best or result.rps > best[run].rps:
                        best[run] = result
        for target, workers in best:
            result = best[(target, workers)]
            line = {
                "bench": "apply",
                "backend": backend_of(url),
                "target": "bare" if target == "bare" else "jobfair",
                "path": target,
                **result.summary(),
                "ratio": round(result.rps / best[("bare", 1)].rps, 2),
                "connections": args.connections,
                "rounds": args.rounds,
            }
            if target != "bare":
                line["workers"] = workers
                line["live_layer"] = "redis" if args.redis else "memory"
            if result.errors:
                line["statuses"] = {str(key): n for key, n in result.statuses.items()}
            print(json.dumps(line), flush=True)
        if len(args.workers) > 1:
            first = args.workers[0]
            for target in targets[1:]:
                print(
                    json.dumps(
                        {
                            "bench": "apply",
                            "backend": backend_of(url),
                            "target": "scale",
                            "path": target,
                            "workers": args.workers,
                            "rps_over_first": [
                                round(best[(target, w)].rps / best[(target, first)].rps, 2)
                                for w in args.workers
                            ],
                        }
                    ),
                    flush=True,
                )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await run_backend(args, None, Path(tmp))
        if args.postgres:
            await run_backend(args, args.postgres, Path(tmp))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--requests", type=int, default=800, help="measured requests per round")
    parser.add_argument("--seconds", type=float, default=20.0, help="time bound per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--targets", nargs="+", default=["api", "form"], choices=["api", "form"], metavar="PATH"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="web processes (e.g. 1 2)"
    )
    parser.add_argument("--redis", metavar="URL", help="Redis for the product (shared layer)")
    parser.add_argument("--serve-bare", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.serve_bare:
        import uvicorn

        uvicorn.run(
            bare_app(arguments.serve_bare),
            host="127.0.0.1",
            port=arguments.port,
            log_level="warning",
            access_log=False,
        )
    else:
        asyncio.run(main(arguments))
