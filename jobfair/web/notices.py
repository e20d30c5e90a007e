"""Status notices after a redirect, from fixed message keys only.

A handler that redirects after a form names the outcome by key (``?notice=staged``)
with whole-number values (``&count=3``); the page shows the key's own text. Nothing
from the address is shown as text, so a link cannot make the site display words of
someone else's choosing (``?result=`` echoed free text before).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from jobfair.i18n import N_, gettext, ngettext
from jobfair.services.companies import REJECTED_HERE
from jobfair.services.numbers import whole_number

# key → (message id, the whole-number values it takes from the query)
NOTICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "staged": (N_("%(count)s staged; send the decisions when you are ready."), ("count",)),
    "stage_refused": (
        N_("Nothing was staged: the chosen status does not follow from the current one."),
        (),
    ),
    "select_one": (N_("Select at least one application."), ()),
    "saved": (N_("Saved."), ()),
    "reason_needed": (N_("Say why, so the company can correct it."), ()),
    "not_saved": (N_("Not saved. Please check the form."), ()),
    "company_rejected_here": (REJECTED_HERE, ()),
    "report_unpublished": (N_("Only a published fair has a report."), ()),
    "company_registered": (
        N_(
            "Thank you for registering your company. Sign in now with your e-mail and "
            "password. If this e-mail address already had an account, no company was made "
            "and we have written to that address."
        ),
        (),
    ),
    "registered": (
        N_(
            "Thank you for registering. Sign in now with your e-mail or mobile number and "
            "your password. If this NIK, e-mail or number was registered before, no new "
            "account was made and we have written to the e-mail address of that account."
        ),
        (),
    ),
    "mail_retried": (N_("The e-mail is being sent again."), ()),
    "mail_not_failed": (N_("That e-mail is no longer waiting for a retry."), ()),
}
# Notices whose text takes the plural form of their count (written out in
# notice_text, where the catalog's extraction finds them as plural messages).
PLURAL_NOTICES = frozenset({"discarded"})
REFUSED = N_("%(count)s could not change.")


def notice_query(key: str, **values: int) -> dict[str, str]:
    """The query of a redirect that shows notice ``key``."""
    if key not in NOTICES and key not in PLURAL_NOTICES:
        raise KeyError(key)
    return {"notice": key, **{name: str(int(value)) for name, value in values.items()}}


def _number(params: Mapping[str, str], name: str) -> int:
    return whole_number(params.get(name, ""), maximum=10**9) or 0


def notice_text(request: Request) -> str | None:
    """The text of the notice the address names, in the reader's language; None for
    no key or an unknown one."""
    params = request.query_params
    key = params.get("notice", "")
    if key == "discarded":
        count = _number(params, "count")
        return ngettext(
            "%(num)s staged decision discarded.", "%(num)s staged decisions discarded.", count
        )
    if key not in NOTICES:
        return None
    message, names = NOTICES[key]
    text = gettext(message, **{name: _number(params, name) for name in names})
    if key == "staged" and (refused := _number(params, "refused")):
        text += " " + gettext(REFUSED, count=refused)
    return text
