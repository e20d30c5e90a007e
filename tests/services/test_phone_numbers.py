"""Phone numbers: mobile numbers (sign-in, WhatsApp) and contact numbers, which may be
landlines with their area code; stored in E.164, shown the national way, linked."""

from __future__ import annotations

import pytest

from jobfair.services.formats import (
    PhoneLinks,
    is_mobile,
    normalise_contact_phone,
    normalise_phone,
    phone_links,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("0251-8312345", "+622518312345"),
        ("(021) 555 1234", "+62215551234"),
        ("(021) 5555 1234", "+622155551234"),
        ("+62 21 5551234", "+62215551234"),
        ("0361.234567", "+62361234567"),
        ("0901 123456", "+62901123456"),
    ],
)
def test_contact_numbers_mobile_or_landline(typed: str, stored: str) -> None:
    assert normalise_contact_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1",
        "555 1234",  # no area code
        "021 555",  # too short
        "021 5555 12345 6",  # too long
        "0812 3456 7890 ext 12",  # letters
        "0251-8312345#1",
        "+1 202 555 0123",  # not Indonesian
        "0111 2345678",  # no area code starts with 1
        "++62 812 3456 7890",
        "0812 3456 7890 0812 3456 7890",  # longer than typed numbers may be
        "٠٨١٢٣٤٥٦٧٨٩٠",  # digits, but not ASCII ones
    ],
)
def test_contact_numbers_refused(typed: str) -> None:
    assert normalise_contact_phone(typed) is None


def test_sign_in_numbers_stay_mobile_only() -> None:
    assert normalise_phone("0812 3456 7890") == "+6281234567890"
    assert normalise_phone("0251-8312345") is None
    assert is_mobile("+6281234567890") and not is_mobile("+622518312345")


def test_links_of_a_mobile_number_include_whatsapp() -> None:
    assert phone_links("+6281234567890") == PhoneLinks(
        shown="0812-3456-7890",
        tel="tel:+6281234567890",
        whatsapp="https://wa.me/6281234567890",
    )


def test_links_of_a_landline_call_it() -> None:
    assert phone_links("+622518312345") == PhoneLinks("(0251) 8312345", "tel:+622518312345", None)
    assert phone_links("+62215551234").shown == "(021) 5551234"


def test_a_number_not_stored_by_these_rules_is_shown_without_links() -> None:
    assert phone_links("12345") == PhoneLinks("12345", "", None)
