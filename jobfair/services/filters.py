"""Filter sets: the query of a listing as a typed pydantic model, parsed at the edge.

A filter set reads a query string (or the JSON object of a bulk request): every value
is text, empty means "no filter", and a value that does not fit names its field with a
localized message. The API refuses such a query (``parse``); a page drops the bad
filters, shows their messages and lists the rest (``parse_lenient``), so a bad filter
value never fails a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from jobfair.i18n import gettext
from jobfair.reference.regions import is_regency
from jobfair.schemas.base import INVALID, FieldMessage
from jobfair.services.errors import ValidationFailed
from jobfair.services.numbers import whole_number


def blank_to_none(value: Any) -> Any:
    """Text with its outer spaces cut, and no value at all for an empty one."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def whole(value: Any) -> Any:
    """ASCII digits as an int (``services.numbers``); anything else is left for the
    field to refuse. Empty is no value."""
    value = blank_to_none(value)
    if value is None or isinstance(value, bool):
        return value
    number = whole_number(value, maximum=10**15)
    if number is None:
        raise ValueError("not a whole number")
    return number


# A whole number from the query: "12", never "1e2", "1_0", "+5" or "５".
WholeNumber = Annotated[int, BeforeValidator(whole)]


def known_regency(value: str | None) -> str | None:
    """A regency filter: a Kemendagri regency code of the reference list, or none."""
    if value is None or is_regency(value):
        return value
    raise ValueError("not a regency")


def upper_code(value: Any) -> Any:
    value = blank_to_none(value)
    return value.upper() if isinstance(value, str) else value


class FilterSet(BaseModel):
    """Base of the filter sets: immutable, unknown query keys ignored; ``messages``
    names the message of each field that does not fit."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    messages: ClassVar[Mapping[str, FieldMessage]] = {}

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> Self:
        """The filters, or :class:`ValidationFailed` naming each bad field."""
        try:
            return cls.model_validate(dict(params))
        except ValidationError as error:
            fields: dict[str, str] = {}
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else "filter"
                message = cls.messages.get(name)
                fields.setdefault(name, message.translated() if message else gettext(INVALID))
            raise ValidationFailed(gettext("Please check the form."), fields=fields) from None

    @classmethod
    def parse_lenient(cls, params: Mapping[str, Any]) -> tuple[Self, dict[str, str]]:
        """The filters without the bad ones, and the messages of those (for a page)."""
        try:
            return cls.parse(params), {}
        except ValidationFailed as error:
            kept = {key: value for key, value in params.items() if key not in error.fields}
            try:
                return cls.parse(kept), error.fields
            except ValidationFailed:  # a problem not tied to one field: no filter at all
                return cls(), error.fields
