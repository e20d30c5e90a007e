"""A company's applicant exports, CSV and XLSX, with the screening filters.

Up to :data:`INLINE_LIMIT` rows are written during the request; larger exports become
an :class:`ExportJob` built by a task in chunks, with progress the page can show. Files
go to ``<data_dir>/uploads/exports`` under random names and are served only to members
of the company that asked. Cells that start like a formula are quoted, so a spreadsheet
never executes text typed by an applicant.
"""

from __future__ import annotations

import asyncio
import csv
import io
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import gettext
from jobfair.models import ExportJob, OfficeVerification, User
from jobfair.models.applications import status_label
from jobfair.models.companies import CompanyVerification
from jobfair.reference.nik import age_on
from jobfair.reference.regions import regency
from jobfair.services import audit, times
from jobfair.services.errors import NotFound, ValidationFailed
from jobfair.services.screening import (
    Row,
    ScreeningFilters,
    count_matching,
    export_rows,
    matching_timezones,
    membership,
)

INLINE_LIMIT = 1000
CHUNK = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def headers(timezone: str = times.DEFAULT_TIMEZONE) -> list[str]:
    """The columns; the time column names its zone ("Dikirim (WIT, UTC+9)")."""
    return [
        gettext("Application"),
        times.with_zone(gettext("Submitted"), timezone),
        gettext("Vacancy"),
        gettext("Name"),
        gettext("Sex"),
        gettext("Age"),
        gettext("Highest education"),
        gettext("Regency or city on your KTP"),
        gettext("Where you live now"),
        gettext("Local"),
        gettext("Disability"),
        gettext("Status"),
        gettext("Rating"),
    ]


def _regency_name(code: str) -> str:
    try:
        return regency(code).name
    except KeyError:
        return code


def _safe(value: Any) -> Any:
    # A leading = + - @ makes spreadsheets evaluate the cell (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def row_values(row: Row, today: date, timezone: str = times.DEFAULT_TIMEZONE) -> list[Any]:
    yes, no = gettext("yes"), gettext("no")
    return [
        _safe(v)
        for v in (
            row.id,
            times.export_datetime(row.submitted_at, timezone),
            row.vacancy_title,
            row.full_name,
            row.sex,
            age_on(row.birth_date, today),
            row.education_level,
            _regency_name(row.ktp_regency_code),
            _regency_name(row.domicile_regency_code),
            yes if row.is_local else no,
            yes if row.has_disability else no,
            status_label(row.status),
            row.rating or "",
        )
    ]


def write_csv(rows: Iterable[list[Any]], timezone: str = times.DEFAULT_TIMEZONE) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(timezone))
    writer.writerows(rows)
    # A BOM so Excel opens UTF-8 names (Ñ, é, Arabic-script names) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[list[Any]], timezone: str = times.DEFAULT_TIMEZONE) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Applications"))
    sheet.append(headers(timezone))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _check_format(file_format: str) -> str:
    if file_format not in FORMATS:
        message = gettext("Choose CSV or XLSX.")
        raise ValidationFailed(message, fields={"format": message})
    return file_format


async def export_now(
    session: AsyncSession, user: User, filters: ScreeningFilters, file_format: str, today: date
) -> tuple[bytes, int] | None:
    """The export file when small enough to build now (bytes, rows); None when it must
    run as a task."""
    member = await membership(session, user)
    _check_format(file_format)
    total = await count_matching(session, member.company_id, filters)
    if total > INLINE_LIMIT:
        return None
    rows = await export_rows(session, member.company_id, filters, offset=0, limit=INLINE_LIMIT)
    zone = times.common_zone(await matching_timezones(session, member.company_id, filters))
    values = [row_values(row, today, zone) for row in rows]
    write = write_csv if file_format == "csv" else write_xlsx
    data = await asyncio.to_thread(write, values, zone)
    audit.record(
        session,
        "applications.exported",
        object_type="company",
        object_id=member.company_id,
        actor_user_id=user.id,
        data={"rows": len(rows)},
    )
    return data, len(rows)


async def start_export(
    session: AsyncSession, user: User, filters: ScreeningFilters, file_format: str
) -> ExportJob:
    member = await membership(session, user)
    _check_format(file_format)
    total = await count_matching(session, member.company_id, filters)
    job = ExportJob(
        company_id=member.company_id,
        requested_by_user_id=user.id,
        file_format=file_format,
        filters=filters.as_params(),
        total=total,
    )
    session.add(job)
    await session.flush()
    enqueue_after_commit(session, "build_export", job_id=job.id)
    audit.record(
        session,
        "applications.export_started",
        object_type="company",
        object_id=member.company_id,
        actor_user_id=user.id,
        data={"rows": total},
    )
    return job


async def company_export(session: AsyncSession, user: User, job_id: int) -> ExportJob:
    member = await membership(session, user)
    job = await session.get(ExportJob, job_id)
    if job is None or job.company_id != member.company_id:
        raise NotFound(gettext("We could not find that page."))
    if await session.scalar(select(_rejected_since(job))):
        # Made before an office rejected the company: it may hold that office's
        # applicants, whom the company no longer reaches. A new export leaves them out.
        raise NotFound(gettext("We could not find that page."))
    return job


def _rejected_since(job: ExportJob) -> Any:
    """An office has rejected the job's company since the job was made (and has not
    verified it again)."""
    return exists().where(
        OfficeVerification.company_id == job.company_id,
        OfficeVerification.status == CompanyVerification.REJECTED,
        OfficeVerification.decided_at >= job.created_at,
    )


def export_path(uploads_dir: Path, job: ExportJob) -> Path | None:
    return uploads_dir / "exports" / job.storage_name if job.storage_name else None


def export_filename(file_format: str, job_id: int | None = None) -> str:
    """``pelamar.csv`` (``applicants.csv`` in English), ``pelamar-12.xlsx`` for job 12."""
    # A file name: lower case, no spaces.
    stem = gettext("applicants")
    return f"{stem}-{job_id}.{file_format}" if job_id else f"{stem}.{file_format}"


async def build(
    ctx_reader: Any, ctx_writer: Any, job_id: int, uploads_dir: Path, today: date, now: datetime
) -> None:
    """Build a queued export in chunks, recording progress after each (task body)."""
    async with ctx_reader() as session:
        job = await session.get(ExportJob, job_id)
        if job is None or job.status == "done":
            return
        filters = ScreeningFilters.parse(dict(job.filters))
        company_id, file_format = job.company_id, job.file_format
        zone = times.common_zone(await matching_timezones(session, company_id, filters))
    values: list[list[Any]] = []
    offset = 0
    while True:
        async with ctx_reader() as session:
            rows = await export_rows(session, company_id, filters, offset=offset, limit=CHUNK)
        values.extend(row_values(row, today, zone) for row in rows)
        offset += len(rows)
        async with ctx_writer() as session:
            current = await session.get(ExportJob, job_id)
            if current is not None:
                current.status, current.done = "running", offset
        if len(rows) < CHUNK:
            break
    write = write_csv if file_format == "csv" else write_xlsx
    data = await asyncio.to_thread(write, values, zone)
    name = f"{secrets.token_hex(16)}.{file_format}"
    folder = uploads_dir / "exports"

    def write() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    await asyncio.to_thread(write)
    async with ctx_writer() as session:
        current = await session.get(ExportJob, job_id)
        if current is not None:
            current.status, current.done, current.total = "done", offset, offset
            current.storage_name, current.finished_at = name, now


async def queued_exports(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(ExportJob.id).where(ExportJob.status != "done")))
