"""Shapes of values checked in several places: e-mail and web addresses, phone numbers,
free text."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# ------------------------------------------------------------------ phone numbers
#
# Every phone number is stored in E.164 (``+62…``) and read back through these rules.
# A *mobile* number (08…) signs in and gets a WhatsApp link; a *contact* number (a
# booth's) may also be a landline: 0 + area code + subscriber, ``0251-8312345`` or
# ``(021) 555 1234``.

# What may be typed: digits, spaces, dots, dashes, brackets, one leading plus.
_PHONE_TYPED = re.compile(r"\+?[0-9 ().\-]+")
# The area codes of two digits (Jakarta, Bandung, Semarang, Surabaya, Medan); every
# other area code has three.
TWO_DIGIT_AREA_CODES = frozenset({"21", "22", "24", "31", "61"})
# A landline's national number (area code and subscriber, without the 0): a two-digit
# area code and six digits to a three-digit one and eight.
_LANDLINE = re.compile(r"[2-79][0-9]{7,10}")


def _national(phone: str) -> str:
    """The digits after the country code (``62``) or the trunk prefix (``0``)."""
    digits = "".join(ch for ch in phone if ch in ASCII_DIGITS or ch == "+").lstrip("+")
    if digits.startswith("0"):
        return digits[1:]
    return digits[2:] if digits.startswith("62") else ""


def normalise_phone(phone: str) -> str | None:
    """Indonesian mobile numbers as ``+62…``: accepts 08…, 628…, +628…, spaces, dashes.
    Only ASCII digits count ('٠٨' is no number: ``str.isdigit`` says yes to it)."""
    digits = "".join(ch for ch in phone if ch in ASCII_DIGITS or ch == "+").lstrip("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.startswith("628") or not 10 <= len(digits) <= 15 or not digits.isdigit():
        return None
    return "+" + digits


def normalise_contact_phone(phone: str) -> str | None:
    """A mobile number or a landline with its area code as ``+62…``; None when it is
    neither (letters, an extension, a number without its area code)."""
    phone = phone.strip()
    if len(phone) > PHONE_TYPED_MAX or not _PHONE_TYPED.fullmatch(phone):
        return None
    if mobile := normalise_phone(phone):
        return mobile
    national = _national(phone)
    return "+62" + national if national.isdigit() and _LANDLINE.fullmatch(national) else None


def is_mobile(phone: str) -> bool:
    """A stored (E.164) number is a mobile one: 8 after the country code."""
    return phone.startswith("+628")


@dataclass(frozen=True)
class PhoneLinks:
    """A stored number as shown and linked: ``shown`` in the national way (``0812-3456-
    7890``, ``(0251) 8312345``), ``tel`` to call it, ``whatsapp`` for a mobile one."""

    shown: str
    tel: str
    whatsapp: str | None


def phone_links(phone: str) -> PhoneLinks:
    national = _national(phone)
    if not national.isdigit():  # not one of ours: shown as stored, no links to guess
        return PhoneLinks(phone, "", None)
    if is_mobile(phone):
        groups = [national[:3], *(national[i : i + 4] for i in range(3, len(national), 4))]
        return PhoneLinks(
            "0" + "-".join(groups), f"tel:+62{national}", f"https://wa.me/62{national}"
        )
    area = 2 if national[:2] in TWO_DIGIT_AREA_CODES else 3
    return PhoneLinks(f"(0{national[:area]}) {national[area:]}", f"tel:+62{national}", None)


def whatsapp_url(phone: str | None) -> str | None:
    """The ``https://wa.me/62…`` chat link of an Indonesian mobile number, however it is
    written (08…, +62 8…); None for anything else (a landline has no WhatsApp)."""
    number = normalise_phone(phone) if isinstance(phone, str) else None
    return phone_links(number).whatsapp if number else None


def is_http_url(value: str) -> bool:
    return len(value) <= URL_MAX and HTTP_URL.match(value) is not None


def text(value: Any) -> str:
    """A text field's value, stripped; anything but a string (a JSON number, a list…)
    counts as missing, so it gets the field's own error message."""
    return value.strip() if isinstance(value, str) else ""
