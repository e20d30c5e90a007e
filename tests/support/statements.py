"""The SQL statements a block of code sends: counting them (a test that a read does not
grow with the number of rows it covers, no query per booth, say) and recording the
SELECTs with their parameters (a test of their query plans)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def _listening(engine: AsyncEngine, record: Callable[..., None]) -> Iterator[None]:
    """``record`` sees every statement ``engine`` executes in the block."""
    target = engine.sync_engine
    event.listen(target, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(target, "before_cursor_execute", record)


@contextmanager
def counted_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Yields a list that fills with every statement ``engine`` executes in the block
    (transaction control such as BEGIN and COMMIT is not a statement here)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # SQLite's driver sends an explicit BEGIN (the project's engine setup).
        if statement.strip().upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            seen.append(statement)

    with _listening(engine, record):
        yield seen


@contextmanager
def recorded_selects(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """Yields a list that fills with every SELECT ``engine`` executes in the block, with
    its parameters as the driver got them (for :func:`sqlite_plan`)."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with _listening(engine, record):
        yield seen


async def sqlite_plan(engine: AsyncEngine, statement: str, parameters: Any) -> list[str]:
    """SQLite's ``EXPLAIN QUERY PLAN`` steps for one recorded statement."""
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[3] for row in rows]
