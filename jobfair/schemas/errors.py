"""The error answer of every API operation: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

from pydantic import Field

from jobfair.schemas.base import ResponseModel


class ErrorDetail(ResponseModel):
    code: str = Field(description="machine-readable, e.g. validation_failed, not_found")
    message: str = Field(description="for people, in the request's language")
    fields: dict[str, str] = Field(
        default_factory=dict, description="per-field messages; left out when there are none"
    )


class Error(ResponseModel):
    error: ErrorDetail
