"""The window rule of a fair: registration opens no later than the fair, the fair closes
after it opens, and the decision deadline is not before the close.

Its own module because both the lifecycle (:mod:`jobfair.services.fairs`) and the
``events/`` rules (:mod:`jobfair.definitions.schema`) apply it, and the console's fair
form in ``fairs`` checks its fields by those same ``events/`` rules.
"""

from __future__ import annotations

from datetime import datetime

from jobfair.i18n import gettext
from jobfair.services.errors import ValidationFailed


class WindowRefused(ValidationFailed):
    """The window rule refused the dates; its field messages name the keys of a
    definition file, which the console words its own way."""


def check_window(
    *,
    registration_opens_at: datetime | None,
    opens_at: datetime | None,
    closes_at: datetime | None,
    decision_deadline: datetime | None,
) -> None:
    """The window rule shared by the console and the events/ loader (which passes None
    for a moment it could not read, so the others are still checked). Field messages
    name the keys of a definition file; the console shows its own text per field."""
    fields: dict[str, str] = {}
    if opens_at and closes_at and opens_at >= closes_at:
        fields["closes_at"] = "must be after opens_at"
    if registration_opens_at and opens_at and registration_opens_at > opens_at:
        fields["registration_opens_at"] = "must not be after opens_at"
    if decision_deadline and closes_at and decision_deadline < closes_at:
        fields["decision_deadline"] = "must not be before closes_at"
    if fields:
        raise WindowRefused(gettext("The fair's dates do not fit together."), fields=fields)
