"""SQLAlchemy's aiosqlite adapter with one hop to the connection's thread per statement.

aiosqlite runs every call on a thread of its own, and SQLAlchemy's adapter makes four
calls per statement (open a cursor, execute, fetch all rows, close the cursor): four
round trips between the event loop and that thread, each waiting for the loop to come
back to it. Under a burst of applications, with SQLite's single write lock held across
those waits, that was most of an apply's time (issue 14). Here the whole statement —
cursor, execute, rows, description, row count, last row id, close — is one function
run on the thread, so a statement costs one hop. Transactions, commit, rollback and
server-side cursors are the library's own.

Installed through ``create_async_engine(..., module=dbapi())``: the URL stays
``sqlite+aiosqlite://`` and nothing else of the dialect changes.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Ran = tuple[Any, list[Any], int, int | None]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Ran:
    """On the connection's thread: the statement and everything its cursor knows."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement runs in one call on the connection's thread;
    afterwards it only holds the rows and the cursor's attributes."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # No driver cursor is opened here (that was a hop of its own).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # rows are always fetched whole

    def _ran(self, operation: str, parameters: Any, many: bool) -> None:
        try:
            ran: Ran = await_(
                self._connection._execute(_run, self._connection._conn, operation, parameters, many)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = ran
        self._rows = collections.deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._ran(operation, parameters, False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._ran(operation, seq_of_parameters, True)

    async def _async_soft_close(self) -> None:
        return None  # nothing open on the driver's side

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        return None  # SQLite has one result set per statement (DB-API: None, no more sets)

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor

    def _in_transaction(self) -> bool:
        # A plain read of the sqlite3 connection's autocommit flag, no hop.
        return bool(self._connection._conn.in_transaction)

    def commit(self) -> None:
        # A statement run without BEGIN (engine.create_lookup_sessionmaker) leaves
        # nothing to commit: spare the hop.
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The adapter module, connecting through :class:`OneHopConnection`."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
