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
