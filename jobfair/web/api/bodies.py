"""JSON request bodies at the API's edge: size and encoding checks, then parsing into a
request model of ``jobfair.schemas``, with the 4xx error shape on anything that does not fit."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import ValidationError
from starlette.requests import Request

from jobfair.i18n import gettext
from jobfair.schemas.base import RequestModel
from jobfair.schemas.problems import field_messages
from jobfair.services.errors import PayloadTooLarge, ValidationFailed
from jobfair.services.numbers import whole_number

MAX_JSON_BYTES = 64 * 1024

Body = TypeVar("Body", bound=RequestModel)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 4xx: too large, not JSON, not an object."""
    length = request.headers.get("content-length", "")
    if (whole_number(length, maximum=10**15) or 0) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(gettext("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(gettext("The body must be a JSON object."))
    if not _storable(data):
        raise ValidationFailed(gettext("The text contains characters that are not allowed."))
    return data


def parse(model: type[Body], data: dict[str, Any]) -> Body:
    """``data`` as ``model``, or :class:`ValidationFailed` with one translated message
    per top-level field that does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        # The pages' parse step, with the body as the whole.
        fields = field_messages(error, model.messages, whole="body")
        raise ValidationFailed(gettext("Please check the form."), fields=fields) from None


async def read(request: Request, model: type[Body]) -> Body:
    return parse(model, await json_body(request))


def _storable(value: Any, depth: int = 0) -> bool:
    """No NUL and no lone surrogate in any string: neither can be stored as text
    (PostgreSQL refuses NUL; UTF-8 has no surrogates), so they are refused up front
    instead of failing deep in a query."""
    if isinstance(value, str):
        return _utf8(value)
    if depth > 50:
        return False
    if isinstance(value, dict):
        return all(_storable(k, depth + 1) and _storable(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(item, depth + 1) for item in value)
    return True


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value
