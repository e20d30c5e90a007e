"""A hiring drive's progress in the JSON API (``GET /api/v1/drives/{id}/progress``), for
organisers of its office. The figures are services.drives.Progress's: people, each once."""

from __future__ import annotations

from datetime import date

from jobfair.schemas.base import ResponseModel


class DriveWeek(ResponseModel):
    week: int
    first_day: date
    last_day: date
    placed: int
    cumulative: int


class DrivePartnerFigures(ResponseModel):
    company_id: int
    name: str
    placed: int
    local: int


class DriveProgress(ResponseModel):
    id: int
    name: str
    first_day: date
    last_day: date
    regency_codes: list[str]
    target: int
    placed: int
    share: float
    local: int
    non_local: int
    from_fairs: int
    direct: int
    pending: int
    outside_partners: int
    weeks: list[DriveWeek]
    partners: list[DrivePartnerFigures]
    silent_partner_ids: list[int]
