"""Which fair's public pages a transaction changed, derived from what it flushes.

Every write goes through the unit of work and every ORM write through a flush, so one
``before_flush`` hook is the single place that notices a fair, booth, company, office,
office decision on a company, report or vacancy row being added, changed or deleted; it files a
:class:`~jobfair.live.signals.ContentChanged` per fair, which the unit of work hands on
only after the commit (and drops on rollback). No service has to remember to say so.
Bulk ``UPDATE``/``DELETE`` statements on those tables do not flush objects; the
``do_orm_execute`` hook files "any fair" for them rather than miss one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from jobfair.db.uow import signal_after_commit
from jobfair.live.signals import ContentChanged
from jobfair.models import (
    Booth,
    Company,
    Fair,
    FairHostRegency,
    FairReport,
    LabourOffice,
    OfficeVerification,
    Vacancy,
)

# The rows a public page shows, and the fair each belongs to (None: any fair).
_FAIR_OF: dict[type, Callable[[Any], int | None]] = {
    Fair: lambda row: row.id,
    FairHostRegency: lambda row: row.fair_id,
    Booth: lambda row: row.fair_id,
    Vacancy: lambda row: row.fair_id,
    FairReport: lambda row: row.fair_id,
    Company: lambda _row: None,
    # An office rejecting a company hides its booths in that office's fairs.
    OfficeVerification: lambda _row: None,
    LabourOffice: lambda _row: None,
}
_TABLES = frozenset(model.__tablename__ for model in _FAIR_OF)  # type: ignore[attr-defined]


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    fair_ids: set[int | None] = set()
    # session.dirty is computed from the identity map on each access: read it once.
    dirty = [row for row in session.dirty if type(row) in _FAIR_OF and session.is_modified(row)]
    for row in (*session.new, *dirty, *session.deleted):
        fair_of = _FAIR_OF.get(type(row))
        if fair_of is not None:
            fair_ids.add(fair_of(row))
    for fair_id in fair_ids:
        signal_after_commit(session, ContentChanged(fair_id))  # type: ignore[arg-type]


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _TABLES:
        signal_after_commit(state.session, ContentChanged(None))  # type: ignore[arg-type]


def watch_content() -> None:
    """Install the hooks (once per process; every ORM session gets them)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
