"""Shared by the reliability tests: a fair open *now* (real servers use the real clock),
applicants who can sign in, and checks that the database holds exactly what the
server said it accepted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select

from jobfair.db.engine import create_engine, create_sessionmakers
from jobfair.db.uow import UnitOfWork
from jobfair.models import Application, ApplicationEvent, User
from jobfair.models.applications import ApplicationStatus
from jobfair.services import auth
from jobfair.services.identity import NikVault
from support import factories

NIK_KEY = "test-nik-key-not-for-production"
SECRET_KEY = "test-secret-key-not-for-production"


@dataclass(frozen=True)
class Applicant:
    user_id: int
    applicant_id: int
    email: str
    token: str | None = None


@dataclass
class OpenFair:
    slug: str
    fair_id: int
    vacancy_ids: list[int]
    applicants: list[Applicant] = field(default_factory=list)


async def open_fair(
    database_url: str, *, applicants: int, vacancies: int, tokens: bool = False
) -> OpenFair:
    """A published fair open since yesterday with ``vacancies`` verified vacancies and
    ``applicants`` applicants (all with password ``factories.PASSWORD``); ``tokens``
    also gives each an API token written straight to the database."""
    engine = create_engine(database_url)
    writer, _reader = create_sessionmakers(engine)
    # One argon2 hash for everyone (a salted hash verifies for any account sharing the
    # password), made with the cheapest parameters: the server verifies with the
    # parameters stored in the hash, so 50 real sign-ins take a moment, not a minute.
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
        factories.PASSWORD
    )
    vault = NikVault(NIK_KEY)
    now = datetime.now(UTC)
    try:
        async with UnitOfWork(writer) as session:
            fair = await factories.fair(session, opens_at=now - timedelta(days=1), days=7)
            booth = await factories.booth(session, fair_row=fair)
            vacancy_ids = [
                (await factories.vacancy(session, booth_row=booth)).id for _ in range(vacancies)
            ]
            result = OpenFair(fair.slug, fair.id, vacancy_ids)
            for _ in range(applicants):
                row = await factories.applicant(session, vault=vault)
                user = await session.get(User, row.user_id)
                assert user is not None
                user.password_hash = password_hash
                token = None
                if tokens:
                    token, _ = await auth.create_api_token(
                        session, user, "reliability", lifetime=factories.TOKEN_LIFETIME
                    )
                result.applicants.append(Applicant(user.id, row.id, user.email, token))
            await session.flush()
    finally:
        await engine.dispose()
    return result


@dataclass(frozen=True)
class Stored:
    """What the database holds after a run."""

    applications: dict[tuple[int, int], int]  # (applicant id, vacancy id) -> application id
    duplicates: int
    without_event: int
    orphan_events: int


async def stored(database_url: str) -> Stored:
    engine = create_engine(database_url)
    _writer, reader = create_sessionmakers(engine)
    try:
        async with UnitOfWork(reader) as session:
            rows = (
                await session.execute(
                    select(Application.applicant_id, Application.vacancy_id, Application.id)
                )
            ).all()
            submitted = select(ApplicationEvent.application_id).where(
                ApplicationEvent.to_status == ApplicationStatus.SUBMITTED
            )
            without_event = await session.scalar(
                select(func.count())
                .select_from(Application)
                .where(Application.id.not_in(submitted))
            )
            orphan_events = await session.scalar(
                select(func.count())
                .select_from(ApplicationEvent)
                .where(ApplicationEvent.application_id.not_in(select(Application.id)))
            )
    finally:
        await engine.dispose()
    pairs = {(applicant, vacancy): app_id for applicant, vacancy, app_id in rows}
    return Stored(pairs, len(rows) - len(pairs), without_event or 0, orphan_events or 0)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def server_errors() -> Iterator[list[logging.LogRecord]]:
    """ERROR records of an in-process server: the app's loggers propagate to the root,
    uvicorn's ("Exception in ASGI application") stop at ``uvicorn``, so listen on both.
    Enter it after the server is configured: uvicorn's logging set-up drops handlers."""
    handler = _Collect()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def describe(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.name}: {r.getMessage()}" for r in records[:5])
