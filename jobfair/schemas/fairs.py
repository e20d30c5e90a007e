"""The organiser's fair actions in the JSON API: close a fair early, move its decision
deadline. The rules are the console's and the CLI's (``services.fairs``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AwareDatetime, Field, field_validator

from jobfair.i18n import N_
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.schemas.base import FieldMessage, RequestModel, ResponseModel
from jobfair.schemas.codes import Timezone, one_of

FairStatusCode = one_of(status.value for status in FairStatus)
FairPhaseCode = one_of(phase.value for phase in FairPhase)


class DeadlineMove(RequestModel):
    """The new decision deadline, a moment with its UTC offset (ISO 8601)."""

    # Not strict: JSON has no datetime type, so the moment arrives as text.
    decisions_close_at: AwareDatetime = Field(
        strict=False,
        description="ISO 8601 with an offset, e.g. 2026-11-30T17:00:00+07:00",
    )

    messages: ClassVar = {
        "decisions_close_at": FieldMessage(
            N_("Enter a date and time with its offset, for example 2026-11-30T17:00:00+07:00.")
        )
    }

    @field_validator("decisions_close_at", mode="before")
    @classmethod
    def _text_only(cls, value: Any) -> Any:
        # Lax parsing would read a number as a Unix timestamp; the API takes text only.
        if not isinstance(value, str):
            raise ValueError("an ISO 8601 datetime with an offset")
        return value


class FairWindow(ResponseModel):
    """A fair's window after an organiser's action."""

    slug: str
    timezone: Timezone
    status: FairStatusCode
    phase: FairPhaseCode
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    decision_deadline: AwareDatetime
