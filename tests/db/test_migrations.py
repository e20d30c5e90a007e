"""The schema comes only from Alembic migrations, and they agree with the models."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jobfair.db.base import Base
from jobfair.db.engine import create_engine
from jobfair.db.migrate import current_revision, head_revision, upgrade


async def test_migrations_match_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        assert differences == [], f"models and migrations disagree: {differences}"
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_every_model_table_is_created(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert set(Base.metadata.tables) <= tables
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)  # already at head: nothing to do, no error
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        async with engine.connect() as connection:
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (journal, foreign_keys, busy) == ("wal", 1, 30000)
    finally:
        await engine.dispose()


async def test_tokens_made_before_expiry_was_stored_keep_working(tmp_path) -> None:
    """Revision 0006 stores each API token's expiry; a token that existed before it gets
    the default lifetime from the upgrade instead of ending at once."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from jobfair.db.base import UTCDateTime

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    long_ago = datetime(2025, 1, 1, tzinfo=UTC)
    users = sa.table(
        "users",
        *(sa.column(name) for name in ("id", "password_hash", "role", "full_name", "locale")),
        sa.column("is_active", sa.Boolean()),
        sa.column("created_at", UTCDateTime()),
    )
    tokens = sa.table(
        "api_tokens",
        *(sa.column(name) for name in ("id", "token_hash", "user_id", "name")),
        sa.column("created_at", UTCDateTime()),
        sa.column("expires_at", UTCDateTime()),
    )
    try:
        await upgrade(engine, "0005")
        async with engine.begin() as connection:
            await connection.execute(
                users.insert().values(
                    id=1,
                    password_hash="x",
                    role="applicant",
                    full_name="Ani",
                    locale="id",
                    is_active=True,
                    created_at=long_ago,
                )
            )
            await connection.execute(
                tokens.insert().values(
                    id=1, token_hash="h" * 64, user_id=1, name="old", created_at=long_ago
                )
            )
        before = datetime.now(UTC)
        await upgrade(engine)
        async with engine.connect() as connection:
            expires = (await connection.execute(sa.select(tokens.c.expires_at))).scalar_one()
        assert before + timedelta(days=89) < expires <= datetime.now(UTC) + timedelta(days=90)
    finally:
        await engine.dispose()


async def test_outbox_rows_made_before_the_lease_get_ids_and_abandoned_ones_fail(
    database_url: str,
) -> None:
    """Revision 0007: every existing outbox row gets its own Message-ID; a row the old
    rule abandoned (5 attempts, never sent) is marked failed, so an organiser sees it."""
    import sqlalchemy as sa

    from jobfair.db.base import UTCDateTime

    engine = create_engine(database_url)
    columns = ("id", "dedupe_key", "to_address", "subject", "template", "payload", "attempts")
    outbox = sa.table(
        "outbox",
        *(sa.column(name) for name in columns),
        sa.column("created_at", UTCDateTime()),
        sa.column("sent_at", UTCDateTime()),
        sa.column("message_id"),
        sa.column("failed_at", UTCDateTime()),
    )
    try:
        async with engine.begin() as connection:
            # The fixture's database is at head: take the outbox back to 0006.
            await connection.run_sync(lambda sync: _downgrade_to(sync, "0006"))
            for row_id, attempts, sent in ((1, 5, False), (2, 2, False), (3, 1, True)):
                await connection.execute(
                    outbox.insert().values(
                        id=row_id,
                        dedupe_key=f"old:{row_id}",
                        to_address="ani@example.test",
                        subject="Halo",
                        template="text",
                        payload="{}",
                        attempts=attempts,
                        created_at=datetime(2026, 1, 1, tzinfo=UTC),
                        sent_at=datetime(2026, 1, 1, tzinfo=UTC) if sent else None,
                    )
                )
        await upgrade(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    sa.select(outbox.c.id, outbox.c.message_id, outbox.c.failed_at).order_by(
                        outbox.c.id
                    )
                )
            ).all()
        ids = [row.message_id for row in rows]
        assert len(set(ids)) == 3 and all(
            value.startswith("<") and value.endswith("@jobfair.local>") for value in ids
        )
        assert [row.failed_at is not None for row in rows] == [True, False, False]
    finally:
        await upgrade(engine)  # back at head whatever happened, for the next tests
        await engine.dispose()


def _downgrade_to(connection: object, revision: str) -> None:
    from alembic import command

    from jobfair.db.migrate import alembic_config

    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def test_the_old_company_flag_becomes_each_booth_offices_decision(tmp_path) -> None:
    """Revision 0009 moves the one company-wide verification into a row per office the
    company has a booth with; a pending company gets none (no row: undecided)."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from jobfair.db.base import UTCDateTime

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    when = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)

    def table(name: str, *columns: str, times: tuple[str, ...] = ()) -> sa.TableClause:
        return sa.table(
            name,
            *(sa.column(column) for column in columns),
            *(sa.column(column, UTCDateTime()) for column in times),
        )

    offices = table("labour_offices", "id", "slug", "name", times=("created_at",))
    fairs = table(
        "fairs",
        *("id", "office_id", "slug", "name", "description", "timezone", "status"),
        times=(
            "registration_opens_at",
            "opens_at",
            "closes_at",
            "decision_deadline",
            "created_at",
            "updated_at",
        ),
    )
    companies = table(
        "companies",
        *("id", "slug", "name", "nib", "kbli", "kbli_section", "employer_type"),
        *("regency_code", "description", "verification", "verification_reason"),
        times=("verified_at", "created_at", "updated_at"),
    )
    booths = table(
        "booths", "id", "fair_id", "company_id", "status", "description", times=("requested_at",)
    )
    try:
        await upgrade(engine, "0006")
        async with engine.begin() as connection:
            for n in (1, 2, 3):
                await connection.execute(
                    offices.insert().values(id=n, slug=f"o{n}", name=f"O{n}", created_at=when)
                )
                await connection.execute(
                    fairs.insert().values(
                        id=n,
                        office_id=n,
                        slug=f"f{n}",
                        name=f"F{n}",
                        description="",
                        timezone="Asia/Jakarta",
                        status="published",
                        registration_opens_at=when,
                        opens_at=when,
                        closes_at=when,
                        decision_deadline=when,
                        created_at=when,
                        updated_at=when,
                    )
                )
            for n, status, reason in ((1, "rejected", "NIB palsu"), (2, "verified", None)):
                await connection.execute(
                    companies.insert().values(
                        id=n,
                        slug=f"c{n}",
                        name=f"C{n}",
                        nib=f"{n:013d}",
                        kbli="10721",
                        kbli_section="C",
                        employer_type=24,
                        regency_code="12.09",
                        description="",
                        verification=status,
                        verification_reason=reason,
                        verified_at=when,
                        created_at=when,
                        updated_at=when,
                    )
                )
            await connection.execute(
                companies.insert().values(
                    id=3,
                    slug="c3",
                    name="C3",
                    nib="3" * 13,
                    kbli="10721",
                    kbli_section="C",
                    employer_type=24,
                    regency_code="12.09",
                    description="",
                    verification="pending",
                    created_at=when,
                    updated_at=when,
                )
            )
            # Company 1 is in fairs 1 and 2, company 2 in fair 3, company 3 in fair 1.
            for n, (fair_id, company_id) in enumerate(((1, 1), (2, 1), (3, 2), (1, 3)), 1):
                await connection.execute(
                    booths.insert().values(
                        id=n,
                        fair_id=fair_id,
                        company_id=company_id,
                        status="approved",
                        description="",
                        requested_at=when,
                    )
                )
        await upgrade(engine)
        decisions = table(
            "company_verifications",
            "company_id",
            "office_id",
            "status",
            "reason",
            times=("decided_at",),
        )
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    sa.select(
                        decisions.c.company_id,
                        decisions.c.office_id,
                        decisions.c.status,
                        decisions.c.reason,
                        decisions.c.decided_at,
                    ).order_by(decisions.c.company_id, decisions.c.office_id)
                )
            ).all()
            columns = await connection.run_sync(
                lambda sync: {column["name"] for column in inspect(sync).get_columns("companies")}
            )
            kept = (
                await connection.execute(sa.select(sa.func.count()).select_from(booths))
            ).scalar()
        assert [tuple(row) for row in rows] == [
            (1, 1, "rejected", "NIB palsu", when),
            (1, 2, "rejected", "NIB palsu", when),
            (2, 3, "verified", None, when),
        ]
        assert not columns & {"verification", "verified_at", "verification_reason"}
        assert kept == 4  # dropping the columns deleted nothing by cascade

        def downgrade(sync: sa.Connection) -> None:
            from alembic import command

            from jobfair.db.migrate import alembic_config

            config = alembic_config()
            config.attributes["connection"] = sync
            command.downgrade(config, "0006")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
        async with engine.connect() as connection:
            flags = (
                await connection.execute(
                    sa.select(
                        companies.c.id, companies.c.verification, companies.c.verification_reason
                    ).order_by(companies.c.id)
                )
            ).all()
        assert [tuple(row) for row in flags] == [
            (1, "rejected", "NIB palsu"),
            (2, "verified", None),
            (3, "pending", None),
        ]
    finally:
        await engine.dispose()
