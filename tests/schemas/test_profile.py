"""The applicant's typed input: one model per input, read laxly from a form and strictly
from JSON, with a localized message per field and the cross-field rules of the NIK."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from support import factories

from jobfair import i18n
from jobfair.schemas.problems import parse
from jobfair.schemas.profile import TEXT_LIMITS, ProfileUpdate, Registration
from jobfair.services.accounts import FULL_NAME_MAX, MAX_PASSWORD, MIN_PASSWORD
from jobfair.services.errors import ValidationFailed

TODAY = date(2026, 11, 5)


def _registration(strict: bool | None = None, **changes: Any) -> Registration:
    return parse(
        Registration, factories.registration(**changes), context={"today": TODAY}, strict=strict
    )


def _fields(call: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as error:
        call()
    return error.value.fields or {}


def test_a_registration_parses_into_typed_values() -> None:
    values = _registration(nik="1209 0115 0899 0001", email=" Budi@Example.TEST ")
    assert values.nik == factories.MAN_NIK
    assert values.email == "budi@example.test" and values.phone == "+6281234567890"
    assert values.birth_date == date(1999, 8, 15) and values.sex == "L"
    assert values.experience_years is None and values.ak1_number is None
    assert values.disability_kinds == []


def test_a_form_is_read_laxly_and_json_strictly() -> None:
    form = _registration(strict=False, experience_years="3", consent="1", graduation_year="")
    assert (form.experience_years, form.consent, form.graduation_year) == (3, True, None)
    with i18n.using("en"):
        assert _fields(lambda: _registration(experience_years="3")) == {
            "experience_years": "Enter whole years from 0 to 60."
        }
    assert _registration(experience_years=3).experience_years == 3


@pytest.mark.parametrize(
    ("change", "field", "english"),
    [
        ({"sex": "P"}, "sex", "This does not match the sex encoded in your NIK."),
        ({"birth_date": "1999-08-16"}, "birth_date", "birth date encoded in your NIK"),
        ({"nik": "1209011508990000"}, "nik", "The last four digits of a NIK cannot be 0000."),
        ({"email": "", "phone": ""}, "email", "an e-mail address or a mobile number"),
        ({"password": "x" * (MIN_PASSWORD - 1)}, "password", f"at least {MIN_PASSWORD}"),
        ({"password": "x" * (MAX_PASSWORD + 1)}, "password", f"at most {MAX_PASSWORD}"),
        ({"full_name": "x" * (FULL_NAME_MAX + 1)}, "full_name", f"At most {FULL_NAME_MAX}"),
        ({"full_name": "B"}, "full_name", "Enter your full name as on your KTP."),
        ({"experience_years": 61}, "experience_years", "0 to 60"),
        ({"consent": False}, "consent", "agree"),
    ],
)
def test_each_rule_has_its_message_in_both_languages(
    change: dict[str, Any], field: str, english: str
) -> None:
    with i18n.using("en"):
        fields = _fields(lambda: _registration(**change))
        assert field in fields and english in fields[field]
    with i18n.using("id"):
        indonesian = _fields(lambda: _registration(**change))[field]
    assert indonesian and indonesian != fields[field]


def test_a_profile_update_knows_what_it_changes() -> None:
    changes = parse(ProfileUpdate, {"experience_years": "", "phone": "", "x": 1}, strict=False)
    assert changes.changes == {"experience_years", "phone"}
    assert changes.experience_years is None and changes.phone is None
    with i18n.using("en"):
        fields = _fields(
            lambda: parse(
                ProfileUpdate,
                {"full_name": "", "domicile_regency_code": "", "skills": "x" * 2001},
                strict=False,
            )
        )
    assert fields == {
        "full_name": "Enter your full name as on your KTP.",
        "domicile_regency_code": "Choose a regency or city from the list.",
        "skills": f"At most {TEXT_LIMITS['skills']} characters.",
    }
