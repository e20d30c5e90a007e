"""Input models of the placement officers' pages: an organiser's officer profile (NIP,
functional position, certification) and a walk-in registration made by an officer on a
job seeker's behalf.

A walk-in registration is :class:`~jobfair.schemas.profile.Registration` (one home of
the NIK, sex, birth date, region and contact rules) without a password: the person
chooses one through the set-password link they are given.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import ValidationInfo, field_validator, model_validator

from jobfair.i18n import N_
from jobfair.models.accounts import FunctionalPosition
from jobfair.reference.nip import NipError, parse_nip
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.companies import _Form
from jobfair.schemas.fields import text
from jobfair.schemas.offices import _NIP_MESSAGES
from jobfair.schemas.problems import refuse
from jobfair.schemas.profile import Registration

CERTIFICATION_MAX = 200  # the column's length (User.certification)
Certification = text(CERTIFICATION_MAX, one_line=True)


def _today(info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    if not isinstance(today, date):
        raise RuntimeError("parse with context={'today': date}")
    return today


class OfficerProfile(_Form):
    """An organiser's placement-officer profile; every field is optional (an organiser
    who is no civil servant has no NIP). Parse with ``context={"today": date}``."""

    nip: str | None = None
    functional_position: FunctionalPosition | None = None
    certification: Certification | None = None
    certified_on: date | None = None

    messages: ClassVar = {
        "functional_position": FieldMessage(N_("Choose a position from the list.")),
        "certification": FieldMessage(
            N_("At most %(limit)s characters."), {"limit": CERTIFICATION_MAX}
        ),
        "certified_on": FieldMessage(N_("Enter the date of the certificate (year-month-day).")),
    }

    @field_validator("nip")
    @classmethod
    def _nip(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        try:
            return parse_nip(value, today=_today(info)).nip
        except NipError as error:
            raise refuse(
                "nip",
                f"is not a valid NIP ({error.code})",
                _NIP_MESSAGES.get(error.code, _NIP_MESSAGES["length"]),
            ) from None

    @field_validator("certified_on")
    @classmethod
    def _past(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and value > _today(info):
            raise refuse(
                "future", "is in the future", N_("The date of the certificate is in the future.")
            )
        return value

    @model_validator(mode="after")
    def _date_with_certificate(self) -> OfficerProfile:
        if self.certified_on is not None and self.certification is None:
            raise refuse(
                "certificate",
                "a date needs a certificate",
                N_("Name the certificate that has this date."),
                field="certification",
            )
        return self


class WalkInRegistration(Registration):
    """An officer registers a job seeker who came to the office. The same rules as
    self-registration; ``consent`` is the person's own agreement, which the officer
    records; ``interchange_consent`` is the separate agreement to be shared with the
    ministry's systems. ``handover`` says how the person gets the account: by e-mail (a
    set-password link) or as SMS-ready text the officer sends or reads out."""

    password: str | None = None  # type: ignore[assignment]
    handover: Literal["email", "sms"] = "email"

    messages: ClassVar = {
        **Registration.messages,
        "consent": FieldMessage(
            N_("Ask the person to agree to the processing of their personal data first.")
        ),
        "handover": FieldMessage(N_("Choose how the person receives the account.")),
    }

    @model_validator(mode="after")
    def _handover_channel(self) -> WalkInRegistration:
        if self.handover == "email" and not self.email:
            raise refuse(
                "handover",
                "an e-mail handover needs an e-mail address",
                N_("To send the account by e-mail, enter the person's e-mail address."),
                field="email",
            )
        if self.handover == "sms" and not self.phone:
            raise refuse(
                "handover",
                "an SMS handover needs a phone number",
                N_("To give the account by SMS, enter the person's mobile number."),
                field="phone",
            )
        return self
