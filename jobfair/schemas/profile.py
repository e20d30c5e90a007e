"""The applicant's typed input: registration and the profile edit, one model each, read
from a form (text, ``strict=False``) or a JSON body (strict) by
:func:`jobfair.schemas.problems.parse`.

These models are the home of the field rules and their messages (message ids, shown in
the reader's language); the applicant service receives the parsed values and checks only
what needs the database (a NIK, e-mail or phone already registered). The field limits
live in :mod:`jobfair.services.accounts` (names and passwords, for every role) and here
(the profile's own texts).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from jobfair.i18n import N_
from jobfair.reference.kbji import kbji_code_of
from jobfair.reference.nik import NikError, parse_nik
from jobfair.reference.regions import is_regency
from jobfair.schemas.base import FieldMessage, RequestModel
from jobfair.schemas.codes import DisabilityCode, EducationCode, KbjiCode, Sex
from jobfair.schemas.problems import refuse
from jobfair.services.accounts import (
    FULL_NAME_MAX,
    FULL_NAME_MIN,
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_email,
    normalise_email,
    password_problem,
)
from jobfair.services.formats import normalise_phone
from jobfair.services.requirements import EXPERIENCE_MAX

AK1_MAX = 24
AK1_PATTERN = re.compile(rf"^[A-Za-z0-9./-]{{4,{AK1_MAX}}}$")
TEXT_LIMITS = {
    "full_name": FULL_NAME_MAX,
    "birth_place": 100,
    "education_major": 200,
    "institution": 200,
    "skills": 2000,
}
GRADUATION_YEARS = (1950, 2100)
# What the forms' ``maxlength`` and hints show: the same limits, for the browser.
FORM_LIMITS: dict[str, int] = {
    **TEXT_LIMITS,
    "password": MAX_PASSWORD,
    "password_min": MIN_PASSWORD,
    "experience_digits": len(str(EXPERIENCE_MAX)),
}

_AT_MOST = N_("At most %(limit)s characters.")
_REGENCY = FieldMessage(N_("Choose a regency or city from the list."))
_NIK_MESSAGES = {
    "length": N_("A NIK has exactly 16 digits."),
    "digits": N_("A NIK contains digits only."),
    "province": N_("The first six digits of this NIK are not a region code."),
    "date": N_("Digits 7 to 12 of this NIK are not a birth date."),
    "age": N_("The birth date in this NIK gives an age outside 15 to 70 years."),
    "serial": N_("The last four digits of a NIK cannot be 0000."),
}
_SIGN_IN = N_("Enter an e-mail address or a mobile number, so you can sign in.")


def _blank(value: Any) -> Any:
    """Text is stripped; an empty field is no value (a form sends every field)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _limited(name: str) -> Any:
    return Field(default=None, max_length=TEXT_LIMITS[name])


class ProfileFields(RequestModel):
    """What registration and the profile edit share."""

    full_name: str | None = Field(default=None, min_length=FULL_NAME_MIN, max_length=FULL_NAME_MAX)
    email: str | None = Field(
        default=None, json_schema_extra={"format": "email"}, description="email and/or phone"
    )
    phone: str | None = Field(
        default=None, description="Indonesian mobile number, e.g. 081234567890"
    )
    birth_place: str | None = _limited("birth_place")
    education_level: EducationCode | None = None
    education_major: str | None = _limited("education_major")
    institution: str | None = _limited("institution")
    graduation_year: int | None = Field(
        default=None, ge=GRADUATION_YEARS[0], le=GRADUATION_YEARS[1]
    )
    experience_years: int | None = Field(
        default=None,
        ge=0,
        le=EXPERIENCE_MAX,
        description="whole years of work, 0 for none; empty or null when not said",
    )
    domicile_regency_code: str | None = Field(
        default=None, description="dotted Kemendagri code, e.g. 12.09"
    )
    # The occupation sought, as a vacancy's: chosen from the list by name, or typed as a
    # code (reference.kbji.kbji_code_of); empty or null when not stated.
    sought_kbji_code: KbjiCode | None = Field(
        default=None,
        description="KBJI 2014 code (1 to 6 digits) of the occupation sought; null: not stated",
    )
    disability: list[DisabilityCode] | None = None
    # Empty means none, as on the form.
    ak1_number: str | None = Field(default=None, pattern=AK1_PATTERN.pattern)
    skills: str | None = _limited("skills")

    messages: ClassVar = {
        "full_name": FieldMessage(N_("Enter your full name as on your KTP.")),
        "email": FieldMessage(N_("Enter a valid e-mail address.")),
        "phone": FieldMessage(N_("Enter an Indonesian mobile number such as 0812 3456 7890.")),
        "education_level": FieldMessage(N_("Choose your highest education from the list.")),
        "graduation_year": FieldMessage(N_("Enter a year such as 2022.")),
        "experience_years": FieldMessage(
            N_("Enter whole years from 0 to %(max)s."), {"max": EXPERIENCE_MAX}
        ),
        "domicile_regency_code": _REGENCY,
        "ktp_regency_code": _REGENCY,
        "sought_kbji_code": FieldMessage(
            N_("Choose the occupation from the list, or enter its KBJI 2014 code (1 to 6 digits).")
        ),
        "disability": FieldMessage(N_("Choose the kinds of disability from the list.")),
        "ak1_number": FieldMessage(
            N_("Enter the number printed on your AK/I card (4 to 24 letters, digits, . / -).")
        ),
        **{
            name: FieldMessage(_AT_MOST, {"limit": TEXT_LIMITS[name]})
            for name in ("birth_place", "education_major", "institution", "skills")
        },
    }

    @field_validator(
        "email",
        "phone",
        "birth_place",
        "education_major",
        "institution",
        "graduation_year",
        "experience_years",
        "domicile_regency_code",
        "ak1_number",
        "skills",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _blank(value)

    @field_validator("sought_kbji_code", mode="before")
    @classmethod
    def _occupation_typed(cls, value: Any) -> Any:
        value = _blank(value)
        return kbji_code_of(value) if isinstance(value, str) else value

    @field_validator("full_name", mode="before")
    @classmethod
    def _one_spaced(cls, value: Any) -> Any:
        if isinstance(value, str):
            name = " ".join(value.split())
            if len(name) > FULL_NAME_MAX:
                raise refuse("too_long", "is too long", _AT_MOST, limit=FULL_NAME_MAX)
            return name
        return value

    @field_validator("education_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        email = normalise_email(value)
        if check_email(email):
            raise ValueError("not an e-mail address")
        return email

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = normalise_phone(value)
        if phone is None:
            raise ValueError("not a mobile number")
        return phone

    @field_validator("domicile_regency_code")
    @classmethod
    def _regency(cls, value: str | None) -> str | None:
        if value is not None and not is_regency(value):
            raise ValueError("not a regency")
        return value

    @field_validator("disability", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        # The form sends a list of ticks; a JSON body may also say "a, b" or nothing.
        if value is None or value == "" or value is False:
            return []
        if isinstance(value, str):
            return [part for part in re.split(r"[,\s]+", value) if part]
        return value

    @field_validator("disability")
    @classmethod
    def _sorted(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else sorted(set(value))

    @property
    def disability_kinds(self) -> list[str]:
        return list(self.disability or [])


class ProfileUpdate(ProfileFields):
    """``PATCH /api/v1/me`` and the profile form: only the fields present change. NIK,
    sex, birth date and KTP regency come from the KTP and cannot be changed (they are
    ignored)."""

    @field_validator("full_name", "education_level", "domicile_regency_code")
    @classmethod
    def _not_cleared(cls, value: Any) -> Any:
        # These can be changed, never emptied.
        if value is None:
            raise ValueError("required")
        return value

    # Not a profile field: the proof asked for before the e-mail or phone changes
    # (ASVS 5.0 V6.3: a change of the sign-in identifier re-authenticates).
    current_password: str | None = Field(
        default=None,
        max_length=MAX_PASSWORD,
        description="the account's password; needed when email or phone changes",
    )

    # Not a profile field either: the consent to be shared with the ministry's systems,
    # given (true) or withdrawn (false); absent or null leaves it as it is.
    interchange_consent: bool | None = Field(
        default=None,
        description="true gives, false withdraws the consent to be shared with the "
        "Ministry of Manpower's systems (SIAPkerja); absent leaves it unchanged",
    )

    @property
    def changes(self) -> set[str]:
        """The names of the profile fields the request gave."""
        return set(self.model_fields_set) - {"current_password"}


def _ticked_box(value: Any) -> Any:
    """A form's checkbox: present with a yes-like value is true, absent is false."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes", "ya"}
    return value


class InterchangeConsentChoice(RequestModel):
    """The sharing page's form: its one checkbox, ticked (give) or not (withdraw)."""

    interchange_consent: bool = False

    @field_validator("interchange_consent", mode="before")
    @classmethod
    def _box(cls, value: Any) -> Any:
        return _ticked_box(value)


class Registration(ProfileFields):
    """``POST /api/v1/applicants`` (DESIGN §7) and the registration form: the fields of
    the KTP and the consent. Parse with ``context={"today": date}`` (the NIK's age)."""

    nik: str = Field(description="16 digits; spaces, dots and dashes are ignored")
    full_name: str = Field(min_length=FULL_NAME_MIN, max_length=FULL_NAME_MAX)  # type: ignore[assignment]
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    # Field-level lax: the ISO text of a JSON body is the date.
    birth_date: date = Field(strict=False)
    sex: Sex
    education_level: EducationCode  # type: ignore[assignment]
    ktp_regency_code: str = Field(description="dotted Kemendagri code, e.g. 12.09")
    domicile_regency_code: str  # type: ignore[assignment]
    consent: bool = Field(description="the applicant agrees to the processing (true)")
    # A purpose of its own (UU PDP: consent per purpose), optional, never ticked in
    # advance: the profile may go to the ministry's systems (services.interchange).
    interchange_consent: bool = Field(
        default=False,
        description="the applicant also agrees to be shared with the Ministry of Manpower's "
        "systems (SIAPkerja) as a job seeker; optional, false when absent",
    )

    messages: ClassVar = {
        **ProfileFields.messages,
        "nik": FieldMessage(N_("Enter your NIK (16 digits, on your KTP).")),
        "sex": FieldMessage(N_("Choose male or female.")),
        "birth_date": FieldMessage(N_("Enter your birth date (year-month-day).")),
        "consent": FieldMessage(
            N_("You need to agree to the processing of your personal data to register.")
        ),
    }

    @field_validator("nik", mode="before")
    @classmethod
    def _nik_digits(cls, value: Any) -> Any:
        return re.sub(r"[\s.-]", "", value) if isinstance(value, str) else value

    @field_validator("nik")
    @classmethod
    def _nik(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError("required")
        try:
            parse_nik(value, today=_today(info))
        except NikError as error:
            raise refuse(
                "nik",
                f"is not a valid NIK ({error.code})",
                _NIK_MESSAGES.get(error.code, N_("This is not a valid NIK.")),
            ) from None
        return value

    @field_validator("sex", mode="before")
    @classmethod
    def _sex_upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("ktp_regency_code")
    @classmethod
    def _ktp(cls, value: str) -> str:
        if not is_regency(value.strip()):
            raise ValueError("not a regency")
        return value.strip()

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, value: Any) -> Any:
        # The length rule's own message (at least / at most), as on every password form.
        if isinstance(value, str) and (problem := password_problem(value)):
            message_id, values = problem
            raise refuse("password", "is not an acceptable password", message_id, **values)
        return value

    @field_validator("consent", "interchange_consent", mode="before")
    @classmethod
    def _ticked(cls, value: Any) -> Any:
        return _ticked_box(value)

    @field_validator("consent")
    @classmethod
    def _consent(cls, value: bool) -> bool:
        if not value:
            raise ValueError("no consent")
        return value

    @model_validator(mode="after")
    def _matches_the_nik(self, info: ValidationInfo) -> Registration:
        nik = parse_nik(self.nik, today=_today(info))
        if nik.sex != self.sex:
            raise refuse(
                "nik_sex",
                "does not match the NIK",
                N_("This does not match the sex encoded in your NIK."),
                field="sex",
            )
        if nik.birth_date != self.birth_date:
            raise refuse(
                "nik_birth_date",
                "does not match the NIK",
                N_("This does not match the birth date encoded in your NIK."),
                field="birth_date",
            )
        if not self.email and not self.phone:
            raise refuse("sign_in", "needs an e-mail or a phone", _SIGN_IN, field="email")
        return self


def _today(info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    if not isinstance(today, date):
        raise RuntimeError("parse a registration with context={'today': date}")
    return today
