"""Benchmark (issue 14): the Asahan week — 362 registrations and 2,278 applications —
ingested through the public JSON API by 3 clients; target under 30 s on SQLite.

Setup (not measured): a throw-away migrated database (SQLite, or ``--postgres URL``),
the demo fair of ``events/demo.toml`` loaded with its window placed as ``jobfair demo``
places it (opened three days ago, still open), 37 companies and 97 vacancies, no
applicants; loopback trusted as a help desk's network (``trusted_networks``, so the
per-address ceilings of registering and signing in do not apply; the per-identity and
per-user limits do). The product is served as the Procfile runs it: one uvicorn
process, the in-process worker, no Redis.

The people are the demo's (``jobfair.demo.demo_person``: valid NIKs, the Asahan mix of
regencies, schooling, ages), their applications chosen as the demo chooses them
(``jobfair.demo.choose_applications``: distinct vacancies whose requirements each one
meets, at most the fair's cap of 10), seeded, so every run sends the same requests.

Measured: ``--clients`` concurrent clients (an ``httpx.AsyncClient`` each, keep-alive,
one request at a time), the applicants dealt round-robin between them; each applicant
``POST /api/v1/applicants`` (201; the account can sign in at once, no e-mail
verification), ``POST /api/v1/tokens`` (201), then its applications
``POST /api/v1/vacancies/{id}/applications`` with the bearer token (201 each). At most
10 applications per applicant stay under ``apply:user`` (30 a minute).

Prints one JSON line per phase (registrations, sign-ins, applications: count, wall
seconds from the phase's first request to its last answer, rate over that span,
``client_s`` = the clients' time in that phase / clients, p50/p99, non-201 by status)
and a total line: the whole ingest's wall time against the 30 s target, the rows stored
afterwards, and the load average before and after. Run from the repository root:

    .venv/bin/python bench/week.py [--clients 3] [--applicants 362] [--applications 2278]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from loadgen import (
    ROOT,
    Result,
    analyze,
    backend_of,
    database,
    jobfair_env,
    server,
    uvicorn_command,
)
from sqlalchemy import func, select

from jobfair.db.engine import create_engine, create_sessionmakers
from jobfair.db.uow import UnitOfWork
from jobfair.definitions.loader import load_fair_file
from jobfair.definitions.schema import parse_fair_file
from jobfair.demo import (
    DEMO_FILE,
    SEED,
    DemoPerson,
    choose_applications,
    demo_person,
    demo_window_shift,
)
from jobfair.models import Applicant, Application, Fair, Vacancy
from jobfair.models.accounts import TrustedNetwork

TARGET_S = 30.0
PASSWORD = "minggu-asahan-2026"  # noqa: S105 - throwaway accounts
# Loopback as a help desk's network: the widest range the product lets one entry trust.
LOOPBACK = "127.0.0.0/24"
PHASES = ("registrations", "sign-ins", "applications")


@dataclass
class Seeker:
    """One applicant of the week: sign-in e-mail, person, vacancies to apply to."""

    email: str
    person: DemoPerson
    vacancy_ids: list[int] = field(default_factory=list)

    def registration(self) -> dict[str, Any]:
        person = self.person
        body: dict[str, Any] = {
            "nik": person.nik,
            "full_name": person.full_name,
            "email": self.email,
            "password": PASSWORD,
            "birth_date": person.birth_date.isoformat(),
            "sex": person.sex,
            "education_level": person.education_level,
            "experience_years": person.experience_years,
            "ktp_regency_code": person.ktp_regency_code,
            "domicile_regency_code": person.domicile_regency_code,
            "consent": True,
        }
        if person.disability_kind:
            body["disability"] = [person.disability_kind]
        if person.ak1_number:
            body["ak1_number"] = person.ak1_number
        return body


async def prepare(url: str, args: argparse.Namespace) -> list[Seeker]:
    """Load the demo fair open now, trust loopback, and draw the week's people and
    their applications (nothing of them is written: they come through the API)."""
    engine = create_engine(url)
    writer, _ = create_sessionmakers(engine)
    now = datetime.now(UTC)
    fair_file = parse_fair_file(ROOT / "events" / DEMO_FILE)
    shift = demo_window_shift(fair_file.fair.opens_at, fair_file.fair.timezone, now)
    try:
        async with UnitOfWork(writer) as session:
            await load_fair_file(session, fair_file, shift=shift, now=now)
            fair = await session.scalar(select(Fair).where(Fair.slug == fair_file.fair.slug))
            assert fair is not None
            session.add(TrustedNetwork(cidr=LOOPBACK, label="bench", office_id=fair.office_id))
            vacancies = list(
                await session.scalars(
                    select(Vacancy).where(Vacancy.fair_id == fair.id).order_by(Vacancy.id)
                )
            )
            today, cap = fair.local(now).date(), fair.application_cap or 10
    finally:
        await engine.dispose()
    rng, years_rng = random.Random(SEED), random.Random(SEED + 1)
    people = [demo_person(rng, years_rng, n, today) for n in range(args.applicants)]
    applicants = [Seeker(f"pekan{n:03d}@bench.test", person) for n, person in enumerate(people)]
    pairs = choose_applications(rng, people, vacancies, today, cap=cap, total=args.applications)
    for i, vacancy in pairs:
        applicants[i].vacancy_ids.append(vacancy.id)
    print(
        json.dumps(
            {
                "bench": "week",
                "phase": "setup",
                "fair": fair_file.fair.slug,
                "vacancies": len(vacancies),
                "applicants": len(applicants),
                "applications": len(pairs),
                "most_per_applicant": max(len(a.vacancy_ids) for a in applicants),
            }
        ),
        flush=True,
    )
    return applicants


@dataclass
class Phase:
    """The requests of one kind over the whole ingest."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int | str, int] = field(default_factory=dict)
    first: float = float("inf")
    last: float = 0.0

    def result(self) -> Result:
        errors = sum(n for status, n in self.statuses.items() if status != 201)
        span = max(0.0, self.last - self.first)
        return Result(len(self.latencies_ms), errors, span, self.latencies_ms, self.statuses)


async def call(
    client: httpx.AsyncClient, phase: Phase, path: str, **kwargs: Any
) -> httpx.Response | None:
    started = time.perf_counter()
    phase.first = min(phase.first, started)
    response: httpx.Response | None
    try:
        response = await client.post(path, **kwargs)
        status: int | str = response.status_code
    except httpx.HTTPError as error:
        response, status = None, type(error).__name__
    ended = time.perf_counter()
    phase.last = max(phase.last, ended)
    phase.latencies_ms.append((ended - started) * 1000)
    phase.statuses[status] = phase.statuses.get(status, 0) + 1
    return response


async def client_run(base: str, applicants: list[Seeker], phases: dict[str, Phase]) -> None:
    """One client: its applicants one after another, each registering, signing in and
    sending its applications."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        for applicant in applicants:
            await call(
                client, phases["registrations"], "/api/v1/applicants", json=applicant.registration()
            )
            answer = await call(
                client,
                phases["sign-ins"],
                "/api/v1/tokens",
                json={"email": applicant.email, "password": PASSWORD},
            )
            if answer is None or answer.status_code != 201:
                continue  # counted; its applications cannot be sent
            bearer = {"Authorization": f"Bearer {answer.json()['token']}"}
            for vacancy_id in applicant.vacancy_ids:
                await call(
                    client,
                    phases["applications"],
                    f"/api/v1/vacancies/{vacancy_id}/applications",
                    headers=bearer,
                )


async def stored_counts(url: str) -> dict[str, int]:
    """What the database holds afterwards: every 201 should be a row."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                name: int(await connection.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in (("applicants", Applicant), ("applications", Application))
            }
    finally:
        await engine.dispose()


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


async def run(args: argparse.Namespace, tmp: Path) -> None:
    async with database(args.postgres, tmp, "week") as url:
        applicants = await prepare(url, args)
        await analyze(url)
        env = jobfair_env(url, tmp / "data")
        command = [*uvicorn_command("jobfair.app:asgi"), "--ws-per-message-deflate", "false"]
        with server(command, env, "/healthz", port=args.port) as base:
            phases = {name: Phase() for name in PHASES}
            before = load_average()
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    client_run(base, applicants[k :: args.clients], phases)
                    for k in range(args.clients)
                )
            )
            wall = time.perf_counter() - started
            after = load_average()
        backend = backend_of(url)
        stored = await stored_counts(url)
        for name, phase in phases.items():
            result = phase.result()
            summary = result.summary()
            line = {
                "bench": "week",
                "backend": backend,
                "phase": name,
                "count": result.requests,
                "wall_s": summary["seconds"],
                "per_s": summary["rps"],
                "client_s": round(sum(result.latencies_ms) / 1000 / args.clients, 2),
                "p50_ms": summary["p50_ms"],
                "p99_ms": summary["p99_ms"],
                "not_201": {str(s): n for s, n in phase.statuses.items() if s != 201},
            }
            print(json.dumps(line), flush=True)
        requests = sum(len(phase.latencies_ms) for phase in phases.values())
        failed = sum(phase.result().errors for phase in phases.values())
        print(
            json.dumps(
                {
                    "bench": "week",
                    "backend": backend,
                    "phase": "total",
                    "clients": args.clients,
                    "requests": requests,
                    "not_201": failed,
                    "wall_s": round(wall, 2),
                    "target_s": TARGET_S,
                    "within_target": wall < TARGET_S and not failed,
                    "stored": stored,
                    "load_before": before,
                    "load_after": after,
                }
            ),
            flush=True,
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--applicants", type=int, default=362)
    parser.add_argument("--applications", type=int, default=2278)
    parser.add_argument("--postgres", metavar="URL", help="a throw-away database on this server")
    parser.add_argument("--port", type=int, help="serve the product on this port (default: free)")
    return parser.parse_args()


def main() -> None:
    arguments = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(arguments, Path(tmp)))


if __name__ == "__main__":
    main()
