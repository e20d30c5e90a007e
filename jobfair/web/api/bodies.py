"""JSON request bodies at the API's edge: size and encoding checks, then parsing into a
request model of ``jobfair.schemas``, with the 4xx error shape on anything that does not fit."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from starlette.requests import Request

from jobfair.i18n import gettext
from jobfair.schemas import problems
from jobfair.schemas.base import RequestModel
from jobfair.services.errors import BadRequest, PayloadTooLarge, ValidationFailed
from jobfair.services.numbers import whole_number

MAX_JSON_BYTES = 64 * 1024
# No request model nests deeper than a few levels; a body nested deeper is refused
# before anything walks it (the parser itself recurses, and so would the checks).
MAX_JSON_DEPTH = 32

Body = TypeVar("Body", bound=RequestModel)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 4xx: too large, not JSON, not an object."""
    length = request.headers.get("content-length", "")
    if (whole_number(length, maximum=10**15) or 0) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    if _nesting(body) > MAX_JSON_DEPTH:
        raise BadRequest(gettext("The body is nested too deeply."))
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed(gettext("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(gettext("The body must be a JSON object."))
    if not _storable(data):
        raise ValidationFailed(gettext("The text contains characters that are not allowed."))
    return data


def parse(model: type[Body], data: dict[str, Any], context: dict[str, Any] | None = None) -> Body:
    """``data`` as ``model``, or :class:`ValidationFailed` with one translated message
    per top-level field that does not fit."""
    return problems.parse(model, data, context=context, whole="body")


async def read(request: Request, model: type[Body], context: dict[str, Any] | None = None) -> Body:
    return parse(model, await json_body(request), context)


def _nesting(body: bytes) -> int:
    """The deepest bracket nesting of a JSON text, ignoring brackets inside strings:
    one pass over the bytes, no recursion, so a body of 64 KiB of ``[`` costs
    microseconds instead of a RecursionError deep in the parser."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot be deeper: skip the walk for every ordinary body
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


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
