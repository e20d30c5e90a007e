"""The period of the office's statistics, as a form or a query string gives it
(``kind=quarter&year=2026&number=4`` or ``kind=custom&start=…&end=…``); the rule of
which days it covers is ``services.periods``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, Field

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, RequestModel, ResponseModel
from jobfair.schemas.codes import Timezone
from jobfair.schemas.problems import parse
from jobfair.schemas.reports import MAX_VERSION, HeadlineItem, ReportTable
from jobfair.services import periods


class PeriodQuery(RequestModel):
    kind: str | None = Field(default=None, max_length=16)
    year: int | None = None
    number: int | None = None
    start: date | None = None
    end: date | None = None

    messages: ClassVar[Mapping[str, FieldMessage]] = {
        "year": FieldMessage(N_("Choose a year from %(year)s."), {"year": periods.EARLIEST_YEAR}),
        "number": FieldMessage(N_("Choose which one, from 1 to %(count)s."), {"count": 12}),
        "start": FieldMessage(N_("Give the first and the last day of the period.")),
        "end": FieldMessage(N_("Give the first and the last day of the period.")),
    }

    def period(self) -> periods.Period:
        return periods.parse(self.kind, self.year, self.number, self.start, self.end)


PERIOD_FIELDS = ("kind", "year", "number", "start", "end")


def period_from(values: Mapping[str, Any]) -> periods.Period | None:
    """The period named by form or query ``values`` (empty fields are absent); None
    when they name none (no ``kind``); a domain error naming the field otherwise."""
    data = {name: values[name] for name in PERIOD_FIELDS if values.get(name) not in (None, "")}
    if not data:
        return None
    return parse(PeriodQuery, data, strict=False).period()


def period_query(period: periods.Period) -> dict[str, str]:
    """The query string naming ``period`` (the inverse of :func:`period_from`)."""
    if period.kind is periods.PeriodKind.CUSTOM:
        return {"kind": "custom", "start": period.start.isoformat(), "end": period.end.isoformat()}
    query = {"kind": str(period.kind), "year": str(period.start.year)}
    if period.kind is not periods.PeriodKind.YEAR:
        query["number"] = str(period.number)
    return query


# ------------------------------------------------------------------ the API's answers


class OfficeReportOffice(ResponseModel):
    id: int
    slug: str
    name: str


class OfficeReportPeriod(ResponseModel):
    kind: Literal["month", "quarter", "semester", "year", "custom"]
    number: int = Field(description="month 1–12, quarter 1–4, semester 1–2; 1 for a year, 0 custom")
    key: str = Field(description="2026-Q4, 2026-S1, 2026-07, 2026 or 2026-01-15_2026-02-14")
    start: date
    end: date = Field(description="the last day, included")


class OfficeReportFair(ResponseModel):
    """The fair report's block, naming the office and the period (so the same
    presenter and exports draw both)."""

    slug: str
    name: str = Field(description="the names of the fairs whose window overlaps the period")
    office: str
    timezone: Timezone
    period_start: date
    period_end: date


class OfficeReportFairRef(ResponseModel):
    slug: str
    name: str


class OfficeReportData(ResponseModel):
    format: int
    kind: Literal["office"]
    version: int
    compiled_at: AwareDatetime
    provisional: bool = Field(description="compiled before the period ended")
    akl_scope: Literal["province", "regency"]
    office: OfficeReportOffice
    period: OfficeReportPeriod
    fair: OfficeReportFair
    fairs: list[OfficeReportFairRef]
    headline: list[HeadlineItem]
    tables: list[ReportTable]


# A day in the query string: an ISO date, as the JSON schema says with its length.
DAY = {"pattern": r"^\d{4}-\d{2}-\d{2}$"}


class OfficeReportQuery(BaseModel):
    kind: Literal["month", "quarter", "semester", "year", "custom"]
    year: int | None = Field(default=None, ge=2000, le=2100, description="not for custom")
    number: int | None = Field(default=None, ge=1, le=12, description="month/quarter/semester")
    start: date | None = Field(
        default=None, description="custom: the first day", json_schema_extra=DAY
    )
    end: date | None = Field(
        default=None, description="custom: the last day, included", json_schema_extra=DAY
    )
    version: int | None = Field(
        default=None, ge=1, le=MAX_VERSION, description="a compiled version; the latest if left out"
    )


class OfficeCompileQuery(BaseModel):
    kind: Literal["month", "quarter", "semester", "year", "custom"]
    year: int | None = Field(default=None, ge=2000, le=2100)
    number: int | None = Field(default=None, ge=1, le=12)
    start: date | None = Field(default=None, json_schema_extra=DAY)
    end: date | None = Field(default=None, json_schema_extra=DAY)
