"""The forms of booked slots and booth messages, read into typed values; the rules
themselves (lengths, the fair's window) are in :mod:`jobfair.services.booth_slots`."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, RequestModel
from jobfair.services import booth_slots as rules
from jobfair.services.numbers import MAX_ID


def _blank(value: Any) -> Any:
    """An empty form field is no value."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[RowId | None, BeforeValidator(_blank)]


class SlotRunForm(RequestModel):
    """The company's "publish slots" form: one day of the fair, from, to, a length."""

    day: date
    start: time
    end: time
    minutes: int = Field(ge=rules.SLOT_MINUTES_MIN, le=rules.SLOT_MINUTES_MAX)
    recruiter_user_id: OptionalId = None

    messages: ClassVar = {
        "day": FieldMessage(N_("Choose a day of the fair.")),
        "start": FieldMessage(N_("Enter a time such as 09:00.")),
        "end": FieldMessage(N_("Enter a time such as 12:00.")),
        "minutes": FieldMessage(
            N_("A slot lasts %(low)s to %(high)s minutes."),
            {"low": rules.SLOT_MINUTES_MIN, "high": rules.SLOT_MINUTES_MAX},
        ),
        "recruiter_user_id": FieldMessage(N_("Choose a recruiter of your company.")),
    }

    def run(self) -> rules.SlotRun:
        return rules.SlotRun(
            day=self.day,
            start=self.start,
            end=self.end,
            minutes=self.minutes,
            recruiter_user_id=self.recruiter_user_id,
        )


class MessageForm(RequestModel):
    """An applicant's message to a booth."""

    body: str = Field(min_length=1, max_length=rules.MESSAGE_MAX)
    vacancy_id: OptionalId = None

    messages: ClassVar = {
        "body": FieldMessage(
            N_("A message has 1 to %(limit)s characters."), {"limit": rules.MESSAGE_MAX}
        ),
        "vacancy_id": FieldMessage(N_("Choose one of this booth's vacancies.")),
    }


class AnswerForm(RequestModel):
    answer: str = Field(min_length=1, max_length=rules.ANSWER_MAX)

    messages: ClassVar = {
        "answer": FieldMessage(
            N_("An answer has 1 to %(limit)s characters."), {"limit": rules.ANSWER_MAX}
        ),
    }


class MarkForm(RequestModel):
    outcome: Literal["attended", "missed"]

    messages: ClassVar = {"outcome": FieldMessage(N_("Choose an outcome."))}
