"""Base classes of the API's models and the per-field messages of request bodies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from jobfair.i18n import N_, gettext

# The field message when a request model names none for a field.
INVALID = N_("This value is not valid.")


class ResponseModel(BaseModel):
    """A JSON answer. An undocumented key is an error, so an answer cannot drift away
    from the document without a test noticing."""

    model_config = ConfigDict(extra="forbid")

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class FieldMessage:
    """A message id (marked with ``N_``) and the values it is formatted with."""

    text: str
    values: Mapping[str, object] = field(default_factory=dict)

    def translated(self) -> str:
        return gettext(self.text, **self.values)


class RequestModel(BaseModel):
    """A JSON body. Unknown keys are ignored (a tolerant reader); the types are strict,
    so ``"1"`` is no id and ``"ya"`` no boolean. ``messages`` names the message shown
    for a field that does not fit."""

    model_config = ConfigDict(extra="ignore", strict=True)

    messages: ClassVar[Mapping[str, FieldMessage]] = {}

    @classmethod
    def message_for(cls, name: str) -> str:
        message = cls.messages.get(name)
        return message.translated() if message else gettext(INVALID)
