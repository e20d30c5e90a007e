"""Shapes of values checked in several places: e-mail and web addresses, Indonesian
mobile numbers (and their WhatsApp link), free text."""

from __future__ import annotations

import re
from typing import Any

EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# The longest e-mail address (RFC 5321's path limit) and the column's length.
EMAIL_MAX = 254
# A reason given with a decision: a rejection, a withdrawal, a denied hire.
REASON_MAX = 1000
# A web address (a booth's video, a company's site) and its column's length.
URL_MAX = 300
# A phone number as typed (``+62 812-3450-0001``); it is stored shorter, in E.164.
PHONE_TYPED_MAX = 20
ASCII_DIGITS = frozenset("0123456789")


def is_email(value: str) -> bool:
    return len(value) <= EMAIL_MAX and EMAIL_PATTERN.match(value) is not None


def normalise_email(email: str) -> str:
    """The form an e-mail address is stored and compared in."""
    return email.strip().lower()


def mask_email(email: str) -> str:
    """An address shown to someone who should recognise it, not learn it:
    ``a***@example.test``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """A number shown the same way: its last three digits (``+62 *** 123``)."""
    return f"{phone[:3]} *** {phone[-3:]}" if len(phone) > 6 else "***"


def normalise_phone(phone: str) -> str | None:
    """Indonesian mobile numbers as ``+62…``: accepts 08…, 628…, +628…, spaces, dashes.
    Only ASCII digits count ('٠٨' is no number: ``str.isdigit`` says yes to it)."""
    digits = "".join(ch for ch in phone if ch in ASCII_DIGITS or ch == "+").lstrip("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.startswith("628") or not 10 <= len(digits) <= 15 or "+" in digits:
        return None
    return "+" + digits


def whatsapp_url(phone: str | None) -> str | None:
    """The ``https://wa.me/62…`` chat link of an Indonesian mobile number, however it is
    written (08…, +62 8…); None for anything else (a landline has no WhatsApp)."""
    number = normalise_phone(phone) if isinstance(phone, str) else None
    return f"https://wa.me/{number[1:]}" if number else None


def is_http_url(value: str) -> bool:
    return len(value) <= URL_MAX and HTTP_URL.match(value) is not None


def text(value: Any) -> str:
    """A text field's value, stripped; anything but a string (a JSON number, a list…)
    counts as missing, so it gets the field's own error message."""
    return value.strip() if isinstance(value, str) else ""
