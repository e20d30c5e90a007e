"""The input model of a labour office's report settings: the letterhead (address; the
logo is a file, checked by ``services.companies.check_logo``) and the signing officer
(place of signing, name, NIP, rank or position) of the report PDF."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import ValidationInfo, field_validator

from jobfair.i18n import N_
from jobfair.reference.nip import NipError, parse_nip
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.companies import _Form
from jobfair.schemas.fields import text
from jobfair.schemas.problems import refuse

ADDRESS_MAX = 300
PLACE_MAX = 100
SIGNER_NAME_MAX = 200
POSITION_MAX = 200

Address = text(ADDRESS_MAX)
Place = text(PLACE_MAX, one_line=True)
SignerName = text(SIGNER_NAME_MAX, one_line=True)
Position = text(POSITION_MAX, one_line=True)

_NIP_MESSAGES = {
    "digits": N_("A NIP has 18 digits (spaces between the groups are fine)."),
    "length": N_("A NIP has 18 digits (spaces between the groups are fine)."),
    "birth_date": N_("The first 8 digits of a NIP are a birth date (YYYYMMDD)."),
    "appointed": N_(
        "Digits 9 to 14 of a NIP are the month of appointment (YYYYMM), at 18 or older "
        "and not in the future."
    ),
    "sex": N_("Digit 15 of a NIP is 1 or 2."),
    "serial": N_("The last 3 digits of a NIP cannot be 000."),
}


class OfficeReportSettings(_Form):
    """What the report PDF says of its office. Every field is optional: a letterhead
    without an address, a report without a signature block. Parse with
    ``context={"today": date}`` (the NIP's appointment month)."""

    address: Address | None = None
    signing_place: Place | None = None
    signer_name: SignerName | None = None
    signer_nip: str | None = None
    signer_position: Position | None = None

    messages: ClassVar = {
        "address": FieldMessage(N_("At most %(limit)s characters."), {"limit": ADDRESS_MAX}),
        "signing_place": FieldMessage(N_("At most %(limit)s characters."), {"limit": PLACE_MAX}),
        "signer_name": FieldMessage(
            N_("At most %(limit)s characters."), {"limit": SIGNER_NAME_MAX}
        ),
        "signer_position": FieldMessage(
            N_("At most %(limit)s characters."), {"limit": POSITION_MAX}
        ),
    }

    @field_validator("signer_nip")
    @classmethod
    def _nip(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        today = (info.context or {}).get("today")
        if not isinstance(today, date):
            raise RuntimeError("parse office settings with context={'today': date}")
        try:
            return parse_nip(value, today=today).nip
        except NipError as error:
            raise refuse(
                "nip",
                f"is not a valid NIP ({error.code})",
                _NIP_MESSAGES.get(error.code, _NIP_MESSAGES["length"]),
            ) from None
