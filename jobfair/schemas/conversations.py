"""The booth chat's forms and socket frames, as typed values (rules in
jobfair.services.conversations)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, RequestModel
from jobfair.services.conversations import MAX_MESSAGE, MAX_NOTE, MAX_REASON, MAX_TIMER_MINUTES
from jobfair.services.numbers import MAX_ID


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


OptionalId = Annotated[
    Annotated[int, Field(ge=1, le=MAX_ID)] | None, BeforeValidator(_blank_to_none)
]


class JoinQueue(RequestModel):
    vacancy: OptionalId = None
    messages: ClassVar = {"vacancy": FieldMessage(N_("Choose a vacancy of this booth."))}


class SendMessage(RequestModel):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE * 2)
    messages: ClassVar = {
        "body": FieldMessage(N_("A message has 1 to %(limit)s characters."), {"limit": MAX_MESSAGE})
    }


class SocketSend(SendMessage):
    """``{"type": "send", "conversation": id, "body": text, "ref": any}`` on the socket."""

    type: Literal["send"]
    conversation: int = Field(ge=1, le=MAX_ID)
    ref: str = Field(default="", max_length=64)


class VideoLink(RequestModel):
    video_url: str = Field(max_length=1000)
    messages: ClassVar = {
        "video_url": FieldMessage(N_("Enter a web address starting with http:// or https://."))
    }


class Outcome(RequestModel):
    note: str = Field(default="", max_length=MAX_NOTE * 2)
    interest: Annotated[
        Literal["interested", "not_interested"] | None, BeforeValidator(_blank_to_none)
    ] = None
    vacancy: OptionalId = None
    messages: ClassVar = {
        "note": FieldMessage(N_("A note has at most %(limit)s characters."), {"limit": MAX_NOTE}),
        "interest": FieldMessage(N_("Choose an answer.")),
        "vacancy": FieldMessage(N_("Choose a vacancy of this booth.")),
    }


class HandOff(RequestModel):
    to: int = Field(ge=1, le=MAX_ID)
    messages: ClassVar = {"to": FieldMessage(N_("Choose a colleague of your company."))}


class AbuseReportForm(RequestModel):
    reason: str = Field(min_length=1, max_length=MAX_REASON * 2)
    messages: ClassVar = {
        "reason": FieldMessage(
            N_("Say what happened (at most %(limit)s characters)."), {"limit": MAX_REASON}
        )
    }


class ChatTimer(RequestModel):
    timer_minutes: Annotated[
        Annotated[int, Field(ge=1, le=MAX_TIMER_MINUTES)] | None, BeforeValidator(_blank_to_none)
    ] = None
    messages: ClassVar = {
        "timer_minutes": FieldMessage(
            N_("Choose between 1 and %(limit)s minutes."), {"limit": MAX_TIMER_MINUTES}
        )
    }
