"""The one parse step from outside data to a typed model, and the three ways its
validation errors are told: localized per-field messages for pages, the API's error
shape (both as :class:`ValidationFailed` ``fields``), and ``key.path: message`` lines in
English for the ``events/`` files (located by :mod:`jobfair.definitions.schema`).

A rule that refuses a value raises :func:`refuse`: the English text is for files, the
message id (``N_``) with its values is for people and is translated when shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from jobfair.i18n import N_, gettext
from jobfair.schemas.base import INVALID  # when neither the rule nor the model names one
from jobfair.services.errors import ValidationFailed

Model = TypeVar("Model", bound=BaseModel)

CHECK_THE_FORM = N_("Please check the form.")


def refuse(
    kind: str,
    english: str,
    message: str | None = None,
    *,
    field: str | None = None,
    **values: object,
) -> PydanticCustomError:
    """A refusal: ``english`` for files; ``message`` (an ``N_`` id formatted with
    ``values``) for people; ``field`` names the field of a rule over several fields."""
    context: dict[str, Any] = {"message_id": message, "values": values}
    if field:
        context["field"] = field
    return PydanticCustomError(kind, english, context)


def refuse_told(kind: str, english: str, told: str) -> PydanticCustomError:
    """A refusal whose message for people another module has already put in the
    request's language (``told``), for a rule whose home words its own message."""
    return PydanticCustomError(kind, english, {"message_id": None, "values": {}, "told": told})


def field_of(problem: ErrorDetails) -> str | None:
    """The top-level field a problem belongs to (a cross-field rule names it)."""
    named = (problem.get("ctx") or {}).get("field")
    if named:
        return str(named)
    return str(problem["loc"][0]) if problem["loc"] else None


def field_messages(
    error: ValidationError, messages: Mapping[str, Any] | None = None, *, whole: str = "form"
) -> dict[str, str]:
    """One translated message per top-level field: the rule's own message when it names
    one (:func:`refuse`), else the
    model's message for the field (``messages``: a ``FieldMessage`` or an ``N_`` id),
    else :data:`INVALID`. ``whole`` names a problem of no one field."""
    messages = messages or {}
    fields: dict[str, str] = {}
    for problem in error.errors():
        name = field_of(problem) or whole
        if name in fields:
            continue
        context = dict(problem.get("ctx") or {})
        if context.get("message_id"):
            message_id = str(context.pop("message_id"))
            fields[name] = gettext(message_id, **(context.get("values") or {}))
        elif context.get("told"):
            fields[name] = str(context["told"])
        elif name in messages:
            given = messages[name]
            fields[name] = gettext(given) if isinstance(given, str) else given.translated()
        else:
            fields[name] = gettext(INVALID)
    return fields


def parse(
    model: type[Model],
    data: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    strict: bool | None = None,
    whole: str = "form",
) -> Model:
    """The one parse step: ``data`` as ``model``, or :class:`ValidationFailed` with a
    translated message per field (the model's ``messages`` class attribute names each
    field's message). A JSON body is read strictly (``"1"`` is no number), a form,
    whose every value is text, with ``strict=False``; ``context`` reaches validators
    (today's date for the NIK's age)."""
    try:
        return model.model_validate(dict(data), strict=strict, context=dict(context or {}))
    except ValidationError as error:
        fields = field_messages(error, getattr(model, "messages", None), whole=whole)
    raise ValidationFailed(gettext(CHECK_THE_FORM), fields=fields)


# ------------------------------------------------------------------- for files

_KINDS = {
    "string": "a string",
    "int": "an integer",
    "bool": "true or false",
    "list": "a list",
    "tuple": "a list",
    "dict": "a table",
    "model": "a table",
    "model_attributes": "a table",
    "datetime": "a date-time (2026-11-02T08:00:00)",
    "date": "a date (2026-11-30)",
}


def describe(value: Any) -> str:
    """What a TOML value is, for "must be X, not Y"."""
    if isinstance(value, bool):
        return "true/false"
    for kind, name in (
        (str, "a string"),
        (int, "an integer"),
        (float, "a decimal number"),
        (datetime, "a date-time"),
        (date, "a date"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return f"{name} ({value!r})" if not isinstance(value, list | dict) else name
    return type(value).__name__


def file_message(problem: ErrorDetails) -> str:
    """A problem in the words of ``events/README.md``: what is wrong, what is allowed."""
    kind = problem["type"]
    value = problem.get("input")
    context = problem.get("ctx") or {}
    if "message_id" in context:
        return problem["msg"]  # a refusal of ours says it in full
    if kind == "missing":
        return "is missing"
    if kind.endswith("_type") and kind[: -len("_type")] in _KINDS:
        return f"must be {_KINDS[kind[: -len('_type')]]}, not {describe(value)}"
    if kind == "literal_error":
        allowed = str(context.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{value!r} is not allowed; allowed: {allowed}"
    if kind in ("string_too_long", "too_long"):
        return f"is too long; at most {context.get('max_length')} allowed"
    if kind in ("date_from_datetime_inexact", "date_from_datetime_parsing"):
        return f"must be a date (2026-11-30), not {describe(value)}"
    return problem["msg"]


def refuse_all(
    title: str, problems: list[tuple[tuple[str | int, ...], PydanticCustomError, object]]
) -> ValidationError:
    """Several refusals at once, each at its place under the field being validated
    (``(loc, refusal, input)``), for rules that look at a whole list or table."""
    return ValidationError.from_exception_data(
        title,
        [InitErrorDetails(type=refusal, loc=loc, input=value) for loc, refusal, value in problems],
    )
