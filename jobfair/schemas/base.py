"""Base classes of the API's models and the per-field messages of request bodies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from jobfair.i18n import N_, gettext
from jobfair.services.errors import ValidationFailed

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


# The error type of a field message raised by a validator (see :func:`refuse`).
FIELD_MESSAGE = "field_message"


def refuse(message_id: str, **values: object) -> PydanticCustomError:
    """A validator's refusal carrying a message id (marked with ``N_``) and its values;
    :func:`field_messages` translates it for the reader."""
    return PydanticCustomError(FIELD_MESSAGE, message_id, {"message_id": message_id, **values})


class FieldRefusal(Exception):
    """A cross-field rule's refusal of one field, raised by a model-level validator.
    Not a ``ValueError``, so pydantic lets it through to :func:`parse` unchanged, which
    answers it like any other field message."""

    def __init__(self, name: str, message_id: str, values: Mapping[str, object]) -> None:
        super().__init__(name)
        self.name = name
        self.message_id = message_id
        self.values = dict(values)


def refuse_field(name: str, message_id: str, **values: object) -> NoReturn:
    """Refuse the field ``name`` from a model-level (cross-field) validator."""
    raise FieldRefusal(name, message_id, values)


def field_messages(model: type[RequestModel], error: ValidationError) -> dict[str, str]:
    """One translated message per top-level field: a validator's own message when it
    gave one, otherwise the field's message from ``model.messages``."""
    fields: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "body"
        if name in fields:
            continue
        context = dict(problem.get("ctx") or {})
        if problem["type"] == FIELD_MESSAGE and "message_id" in context:
            message_id = str(context.pop("message_id"))
            fields[name] = gettext(message_id, **context)
        else:
            fields[name] = model.message_for(name)
    return fields


Parsed = TypeVar("Parsed", bound=RequestModel)


def parse(
    model: type[Parsed],
    data: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    strict: bool | None = None,
) -> Parsed:
    """``data`` as ``model``, or :class:`ValidationFailed` with one translated message per
    field. A JSON body is read strictly (``"1"`` is no number); a form, whose every value
    is text, with ``strict=False``."""
    try:
        return model.model_validate(data, strict=strict, context=dict(context or {}))
    except ValidationError as error:
        fields = field_messages(model, error)
    except FieldRefusal as refusal:
        fields = {refusal.name: gettext(refusal.message_id, **refusal.values)}
    raise ValidationFailed(gettext("Please check the form."), fields=fields)
