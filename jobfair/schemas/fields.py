"""Field types shared by the input models of forms, files and the API: bounded text,
numbers in a range, addresses, phone numbers, form text turned into values. Each
refuses with :func:`jobfair.schemas.problems.refuse`, so a file names what is allowed
and a page shows the model's message for the field."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from jobfair.schemas.problems import refuse
from jobfair.services.accounts import check_email, normalise_email
from jobfair.services.formats import is_http_url, normalise_contact_phone, normalise_phone


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _not_empty(value: str) -> str:
    if not value:
        raise refuse("empty", "must not be empty")
    return value


def text(limit: int, *, least: int = 1, one_line: bool = False) -> Any:
    """Stripped text of ``least`` to ``limit`` characters; ``one_line`` also collapses
    runs of white space (names, titles)."""

    def check(value: str) -> str:
        if one_line:
            value = " ".join(value.split())
        if len(value) > limit:
            raise refuse("too_long", f"is {len(value)} characters long; at most {limit} allowed")
        if not value:
            raise refuse("empty", "must not be empty")
        if len(value) < least:
            raise refuse("too_short", f"is {len(value)} characters long; at least {least}")
        return value

    return Annotated[str, BeforeValidator(_stripped), AfterValidator(check)]


def between(low: int, high: int) -> Any:
    """A whole number from ``low`` to ``high``."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise refuse("out_of_range", f"{value} is out of range; allowed: {low} to {high}")
        return value

    return Annotated[int, AfterValidator(check)]


def _http_url(value: str) -> str:
    if not is_http_url(value):
        raise refuse("url", f"{value!r} is not an http(s) address")
    return value


def _email(value: str) -> str:
    value = normalise_email(value)
    if check_email(value):
        raise refuse("email", f"{value!r} is not an e-mail address")
    return value


def _phone(value: str) -> str:
    normalised = normalise_phone(value)
    if normalised is None:
        raise refuse("phone", f"{value!r} is not an Indonesian mobile number")
    return normalised


def _contact_phone(value: str) -> str:
    normalised = normalise_contact_phone(value)
    if normalised is None:
        raise refuse("phone", f"{value!r} is not an Indonesian mobile or landline number")
    return normalised


HttpUrl = Annotated[str, BeforeValidator(_stripped), AfterValidator(_http_url)]
Email = Annotated[str, BeforeValidator(_stripped), AfterValidator(_email)]
# Stored as +62…; a form may write 0812 3456 7890.
Phone = Annotated[str, BeforeValidator(_stripped), AfterValidator(_phone)]
# A number to call a company on: a mobile number or a landline with its area code.
ContactPhone = Annotated[str, BeforeValidator(_stripped), AfterValidator(_contact_phone)]


# ------------------------------------------------------------------ form text

_AMOUNT = re.compile(r"\d{1,12}")


def form_number(value: Any) -> Any:
    """A number typed into a form: digits, with dots as thousands separators."""
    if isinstance(value, str):
        digits = value.strip().replace(".", "")
        return int(digits) if _AMOUNT.fullmatch(digits) else value
    return value


def form_blanks(data: Any) -> Any:
    """A form's empty fields are fields left out, so they take their defaults."""
    if isinstance(data, dict):
        return {
            key: value
            for key, value in data.items()
            if not (isinstance(value, str) and not value.strip())
        }
    return data
