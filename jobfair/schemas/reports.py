"""The compiled fair report (``jobfair/stats/report_format.md``, format 1): aggregates
only. The compiler writes it once per version; the API serves it as written, so these
models document and check it rather than build it."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from jobfair.schemas.base import ResponseModel
from jobfair.schemas.codes import Timezone

MAX_VERSION = 1_000_000


class ReportFair(ResponseModel):
    slug: str
    name: str
    office: str
    timezone: Timezone
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    decision_deadline: AwareDatetime
    period_start: date
    period_end: date
    host_regency_codes: list[str]
    local_hiring_target: int | None


class HeadlineItem(ResponseModel):
    key: str
    label: str = Field(description="an English message id: translate it to show it")
    value: int | float | None = Field(description="an integer, a ratio, or null")
    definition: str
    kind: Literal["int", "float"]
    unit: Literal["share"] | None = Field(default=None, description="only on shares (0–1)")


class ReportColumn(ResponseModel):
    key: str
    label: str
    kind: str = Field(description="how to show the cells: text, int, float, a code list, …")
    unit: Literal["share"] | None = None
    group: str | None = Field(default=None, description="IPK III/8: AKL, AKAD or AKAN")


class ReportTable(ResponseModel):
    key: str
    title: str
    definition: str
    columns: list[ReportColumn]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    target: int | None = Field(default=None, description="local_hires: the fair's target")


class Report(ResponseModel):
    format: int
    version: int
    compiled_at: AwareDatetime
    provisional: bool = Field(description="compiled before the fair closed")
    akl_scope: Literal["province", "regency"]
    fair: ReportFair
    headline: list[HeadlineItem]
    tables: list[ReportTable]


class CompileQueued(ResponseModel):
    status: Literal["queued"] = Field(
        description="the request is stored: it is compiled even if the task queue is away"
    )
    provisional: bool = Field(description="the fair has not closed yet")


class ReportQuery(BaseModel):
    version: int | None = Field(
        default=None, ge=1, le=MAX_VERSION, description="a compiled version; the latest if left out"
    )
