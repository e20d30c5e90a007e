"""Organiser console pages: the office's fairs (create, edit, publish, extend, cancel),
the verification queue, companies, organiser accounts, the audit log, and (admins
only: an e-mail belongs to no office) the failed e-mail.

Organisers work within their labour office, admins within every office; the services
answer 404 for anything outside that scope. Every change is a POST with a CSRF token
and leaves an audit row.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.i18n import N_, gettext
from jobfair.models.accounts import Role
from jobfair.models.companies import CompanyVerification
from jobfair.models.fairs import FAIR_TIMEZONES, TIMEZONE_ABBREVIATIONS, FairStatus
from jobfair.reference import regions
from jobfair.services import audit, authority, companies, fairs, mail, networks, staff
from jobfair.services.accounts import NewPassword
from jobfair.services.audit import AuditFilters
from jobfair.services.auth import INVITATION_DAYS, SignedIn
from jobfair.services.errors import DomainError, NotFound, ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.web.account import region_choices
from jobfair.web.auth import checked_form, require
from jobfair.web.htmx import render
from jobfair.web.links import absolute_link, see_other
from jobfair.web.notices import notice_query, notice_text
from jobfair.web.templating import regency_name

STAFF = (Role.ORGANISER, Role.ADMIN)
# Notices after a redirect, by the ``done`` query value (never free text in the URL).
DONE = {
    "created": N_("The fair was created as a draft. Publish it when it is ready."),
    "saved": N_("Saved."),
    "published": N_("The fair is published."),
    "extended": N_("The fair now closes later."),
    "closed": N_("The fair is closed. Its decision deadline has not changed."),
    "deadline_moved": N_("The decision deadline has moved."),
    "cancelled": N_("The fair is cancelled."),
}


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _staff(request: Request) -> SignedIn:
    return require(request, *STAFF)


def _values(form: FormData) -> dict[str, str]:
    return {
        key: str(value)[:6000]
        for key, value in form.items()
        if key not in ("password", "csrf_token") and isinstance(value, str)
    }


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return whole_number(raw, minimum=1, maximum=99_999) or 1


def _done(request: Request) -> str | None:
    key = request.query_params.get("done", "")
    return gettext(DONE[key]) if key in DONE else None


# -------------------------------------------------------------------------- home


async def home(request: Request) -> Response:
    signed_in = _staff(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        console = await fairs.console_home(session, signed_in.user, ctx.now())
    return render(
        request,
        "pages/organiser/home.html",
        {"console": console, "is_admin": authority.is_admin(signed_in.user)},
    )


# ------------------------------------------------------------------------- fairs


def _hosts(form: FormData) -> list[str]:
    """The host regencies kept (checked) plus the one chosen in the picker, if any."""
    codes = [str(code) for code in form.getlist("host_regency_codes")][:50]
    picked = str(form.get("host_regency_code", "")).strip()
    if picked and picked not in codes:
        codes.append(picked)
    return codes


def _host_choices(codes: list[str]) -> list[tuple[str, str]]:
    names = []
    for code in codes:
        try:
            names.append((code, regions.regency(code).display_name))
        except KeyError:
            names.append((code, code))
    return names


async def _fair_form(
    request: Request,
    *,
    fair: Any,
    values: dict[str, str],
    hosts: list[str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    signed_in = _staff(request)
    async with _ctx(request).read() as session:
        offices = await authority.offices(session, signed_in.user)
    return render(
        request,
        "pages/organiser/fair_form.html",
        {
            "fair": fair,
            "values": values,
            "hosts": _host_choices(hosts),
            "errors": errors,
            "region": region_choices(values, "host"),
            "timezones": [(zone, TIMEZONE_ABBREVIATIONS[zone]) for zone in FAIR_TIMEZONES],
            "offices": offices,
            "is_admin": authority.is_admin(signed_in.user),
            "window_locked": fair is not None and fair.status != FairStatus.DRAFT,
        },
        status_code=status_code,
    )


async def fair_new(request: Request) -> Response:
    signed_in = _staff(request)
    values = {"timezone": "Asia/Jakarta"}
    if signed_in.user.office_id:
        values["office"] = str(signed_in.user.office_id)
    return await _fair_form(request, fair=None, values=values, hosts=[], errors={})


async def fair_create(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    values, hosts = _values(form), _hosts(form)
    values.pop("host_regency_code", None)
    if form.get("action") in ("regions", "add_host"):
        # The no-JavaScript picker: show the province's regencies, or add the chosen one.
        return await _fair_form(request, fair=None, values=values, hosts=hosts, errors={})
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            fair = await fairs.create_fair(session, signed_in.user, values, hosts, ctx.now())
            slug = fair.slug
    except ValidationFailed as error:
        return await _fair_form(
            request, fair=None, values=values, hosts=hosts, errors=error.fields, status_code=422
        )
    except DomainError as error:
        if not error.fields:
            raise
        return await _fair_form(
            request,
            fair=None,
            values=values,
            hosts=hosts,
            errors=error.fields,
            status_code=error.status,
        )
    return see_other(request, "organiser:fair", {"done": "created"}, slug=slug)


async def _fair_page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = _staff(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        row = await fairs.fair_overview(
            session, signed_in.user, request.path_params["slug"], ctx.now()
        )
    fair = row.fair
    return render(
        request,
        "pages/organiser/fair.html",
        {
            "row": row,
            "fair": fair,
            "errors": errors or {},
            "problem": problem,
            "notice": _done(request),
            "extend_values": {
                "closes_at": fairs.local_input(fair, fair.closes_at),
                "decision_deadline": "",
                "new_deadline": fairs.local_input(fair, fair.decision_deadline),
            },
            "now": ctx.now(),
        },
        status_code=status_code,
    )


async def fair_page(request: Request) -> Response:
    return await _fair_page(request)


async def fair_edit(request: Request) -> Response:
    signed_in = _staff(request)
    async with _ctx(request).read() as session:
        fair = await authority.scoped_fair(session, signed_in.user, request.path_params["slug"])
    return await _fair_form(
        request,
        fair=fair,
        values=fairs.fair_form_values(fair),
        hosts=fair.host_regency_codes,
        errors={},
    )


async def fair_update(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    values, hosts = _values(form), _hosts(form)
    values.pop("host_regency_code", None)
    ctx = _ctx(request)
    slug = request.path_params["slug"]
    async with ctx.read() as session:
        fair = await authority.scoped_fair(session, signed_in.user, slug)
    if fair.status != FairStatus.DRAFT:
        # Locked inputs are not sent; show what is stored.
        values = {**fairs.fair_form_values(fair), **values}
    if form.get("action") in ("regions", "add_host"):
        return await _fair_form(request, fair=fair, values=values, hosts=hosts, errors={})
    try:
        async with ctx.unit_of_work() as session:
            await fairs.update_fair(session, signed_in.user, slug, values, hosts, ctx.now())
    except DomainError as error:
        if error.status == 404:
            raise
        return await _fair_form(
            request,
            fair=fair,
            values=values,
            hosts=hosts,
            errors=error.fields or {"form": error.message},
            status_code=error.status,
        )
    return see_other(request, "organiser:fair", {"done": "saved"}, slug=slug)


async def _fair_action(request: Request, done: str, action: Any) -> Response:
    """Run one lifecycle action; a refusal shows the fair page with the reason."""
    signed_in = _staff(request)
    form = await checked_form(request)
    ctx = _ctx(request)
    slug = request.path_params["slug"]
    try:
        async with ctx.unit_of_work() as session:
            await action(session, signed_in.user, slug, form, ctx.now())
    except DomainError as error:
        if error.status == 404:
            raise
        return await _fair_page(
            request, errors=error.fields, problem=error.message, status_code=error.status
        )
    return see_other(request, "organiser:fair", {"done": done}, slug=slug)


async def fair_publish(request: Request) -> Response:
    async def action(session: Any, user: Any, slug: str, form: FormData, now: Any) -> None:
        await fairs.publish_fair(session, user, slug, now)

    return await _fair_action(request, "published", action)


async def fair_extend(request: Request) -> Response:
    async def action(session: Any, user: Any, slug: str, form: FormData, now: Any) -> None:
        await fairs.extend_fair(
            session,
            user,
            slug,
            str(form.get("closes_at", ""))[:40],
            str(form.get("decision_deadline", ""))[:40],
            now,
        )

    return await _fair_action(request, "extended", action)


async def fair_close(request: Request) -> Response:
    async def action(session: Any, user: Any, slug: str, form: FormData, now: Any) -> None:
        await fairs.close_fair_early(session, user, slug, form.get("confirm") == "yes", now)

    return await _fair_action(request, "closed", action)


async def fair_deadline(request: Request) -> Response:
    async def action(session: Any, user: Any, slug: str, form: FormData, now: Any) -> None:
        await fairs.move_fair_deadline(
            session, user, slug, str(form.get("decision_deadline", ""))[:40], now
        )

    return await _fair_action(request, "deadline_moved", action)


async def fair_cancel(request: Request) -> Response:
    async def action(session: Any, user: Any, slug: str, form: FormData, now: Any) -> None:
        await fairs.cancel_fair(session, user, slug, form.get("confirm") == "yes", now)

    return await _fair_action(request, "cancelled", action)


# ------------------------------------------------------------------------- queue


async def queue(request: Request) -> Response:
    signed_in = _staff(request)
    async with _ctx(request).read() as session:
        fair, booths, vacancies = await companies.verification_queue(
            session, signed_in.user, request.path_params["slug"]
        )
        booth_changes = await companies.booth_changes_queue(session, fair)
    return render(
        request,
        "pages/organiser/queue.html",
        {
            "fair": fair,
            "booths": booths,
            "booth_changes": booth_changes,
            "vacancies": vacancies,
            "errors": {},
            "result": notice_text(request),
        },
    )


async def decide(request: Request) -> Response:
    """Approve or reject a booth, a booth's edits or a vacancy from the fair's queue,
    then back to it."""
    signed_in = _staff(request)
    form = await checked_form(request)
    ctx = _ctx(request)
    decide_changes = partial(companies.decide_booth_changes, uploads_dir=ctx.settings.uploads_dir)
    decision = {
        "booths": companies.decide_booth,
        "booth-changes": decide_changes,
        "vacancies": companies.verify_vacancy,
    }.get(request.path_params["kind"])
    if decision is None:
        raise NotFound(gettext("We could not find that page."))
    try:
        async with ctx.unit_of_work() as session:
            await decision(
                session,
                signed_in.user,
                request.path_params["object_id"],
                form.get("decision") == "approve",
                str(form.get("reason", "")),
                ctx.now(),
            )
        key = "saved"
    except ValidationFailed as error:
        key = "reason_needed" if "reason" in error.fields else "not_saved"
    except companies.CompanyRejectedHere:
        key = "company_rejected_here"
    slug = request.path_params["slug"]
    return see_other(request, "organiser:queue", notice_query(key), slug=slug)


# --------------------------------------------------------------------- companies


def _company_filters(request: Request) -> tuple[companies.CompanyFilters, dict[str, str]]:
    return companies.CompanyFilters.parse_lenient(request.query_params)


async def _companies_page(
    request: Request, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    signed_in = _staff(request)
    filters, filter_errors = _company_filters(request)
    async with _ctx(request).read() as session:
        rows, more = await companies.list_companies(session, signed_in.user, filters=filters)
        regencies = await companies.company_regencies(session, signed_in.user)
    return render(
        request,
        "pages/organiser/companies.html",
        {
            "rows": rows,
            "more": more,
            "filters": filters,
            "filter_errors": filter_errors,
            "regencies": sorted(regencies, key=regency_name),
            "statuses": [s.value for s in CompanyVerification],
            "errors": errors or {},
            "notice": _done(request),
            "is_admin": authority.is_admin(signed_in.user),
        },
        status_code=status_code,
    )


async def companies_page(request: Request) -> Response:
    return await _companies_page(request)


async def company_decide(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    ctx = _ctx(request)
    company_id = request.path_params["company_id"]
    # The office decided for: an organiser's own (the field may be absent), an admin's
    # choice among the company's offices; the service checks either.
    office_id = whole_number(str(form.get("office", "")), minimum=1)
    try:
        async with ctx.unit_of_work() as session:
            await companies.decide_company(
                session,
                signed_in.user,
                company_id,
                form.get("decision") == "approve",
                str(form.get("reason", "")),
                ctx.now(),
                office_id=office_id,
            )
    except ValidationFailed as error:
        field = f"reason-{company_id}-{office_id or signed_in.user.office_id}"
        errors = {field: error.fields.get("reason", error.message)}
        return await _companies_page(request, errors=errors, status_code=422)
    # Back to the same search, filters and page (the form's action carries them).
    filters, _errors = _company_filters(request)
    return see_other(request, "organiser:companies", {"done": "saved", **filters.as_params()})


# ------------------------------------------------------------------------- users


async def _users_page(
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = _staff(request)
    async with _ctx(request).read() as session:
        people = await staff.list_staff(session, signed_in.user)
        offices = await authority.offices(session, signed_in.user)
    notices = {
        "added": gettext("The organiser was added."),
        "invited": gettext("The organiser was added and the invitation has been sent."),
        "disabled": gettext("The account is disabled and signed out everywhere."),
        "enabled": gettext("The account is enabled again."),
    }
    return render(
        request,
        "pages/organiser/users.html",
        {
            "staff": people,
            "offices": offices,
            "invitation_days": INVITATION_DAYS,
            "values": values or {"role": "organiser", "mode": "invite"},
            "errors": errors or {},
            "problem": problem,
            "notice": notices.get(request.query_params.get("done", "")),
            "is_admin": authority.is_admin(signed_in.user),
            "me": signed_in.user.id,
        },
        status_code=status_code,
    )


async def users_page(request: Request) -> Response:
    return await _users_page(request)


async def user_create(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    values = _values(form)
    ctx = _ctx(request)
    try:
        # Hashed before the unit of work (when the password passes the rule).
        password = await NewPassword.of(ctx.passwords, str(form.get("password", "")))
        async with ctx.unit_of_work() as session:
            await staff.add_staff(
                session,
                signed_in.user,
                values,
                password,
                ctx.now(),
                reset_page=absolute_link(request, "account:reset"),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await _users_page(
            request,
            values=values,
            errors=error.fields,
            problem=None if error.fields else error.message,
            status_code=error.status,
        )
    done = "invited" if values.get("mode") == "invite" else "added"
    return see_other(request, "organiser:users", {"done": done})


async def user_active(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    active = form.get("active") == "1"
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            await staff.set_staff_active(
                session, signed_in.user, request.path_params["user_id"], active, ctx.now()
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await _users_page(request, problem=error.message, status_code=error.status)
    done = "enabled" if active else "disabled"
    return see_other(request, "organiser:users", {"done": done})


# ------------------------------------------------------------- trusted networks


async def _networks_page(
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = _staff(request)
    async with _ctx(request).read() as session:
        rows = await networks.list_networks(session, signed_in.user)
    done = {
        "trusted": gettext("The range is trusted. It counts in every web process within a minute."),
        "removed": gettext("The range is no longer trusted."),
    }
    return render(
        request,
        "pages/organiser/networks.html",
        {
            "rows": rows,
            "values": values or {},
            "errors": errors or {},
            "notice": done.get(request.query_params.get("done", "")),
            "is_admin": authority.is_admin(signed_in.user),
            "widest": networks.WIDEST_PREFIX,
            "label_max": networks.LABEL_MAX,
        },
        status_code=status_code,
    )


async def networks_page(request: Request) -> Response:
    return await _networks_page(request)


async def network_create(request: Request) -> Response:
    signed_in = _staff(request)
    form = await checked_form(request)
    values = {key: str(form.get(key, ""))[:200] for key in ("cidr", "label")}
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            await networks.trust_network(session, signed_in.user, values, ctx.now())
    except DomainError as error:
        if error.status in {403, 404}:
            raise
        return await _networks_page(
            request,
            values=values,
            errors=error.fields or {"form": error.message},
            status_code=error.status,
        )
    request.app.state.trusted_addresses.forget()
    return see_other(request, "organiser:networks", {"done": "trusted"})


async def network_remove(request: Request) -> Response:
    signed_in = _staff(request)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await networks.untrust_network(session, signed_in.user, request.path_params["network_id"])
    request.app.state.trusted_addresses.forget()
    return see_other(request, "organiser:networks", {"done": "removed"})


# ------------------------------------------------------------------------- audit


async def audit_page(request: Request) -> Response:
    signed_in = _staff(request)
    filters, errors = AuditFilters.parse(request.query_params)
    async with _ctx(request).read() as session:
        rows, more = await audit.audit_entries(session, signed_in.user, filters)
    return render(
        request,
        "pages/organiser/audit.html",
        {
            "rows": rows,
            "more": more,
            "filters": filters,
            "errors": errors,
            "values": {
                key: request.query_params.get(key, "")[:254]
                for key in ("actor", "action", "object_type", "object_id", "date_from", "date_to")
            },
            "zone": audit.AUDIT_ZONE,
            "actions": audit.action_choices(),
            "action_codes": audit.ACTION_LABELS,
        },
        fragment="partials/organiser/audit_table.html",
    )


# -------------------------------------------------------------------------- mail


async def mail_page(request: Request) -> Response:
    """Mail given up after its retry period, for an admin to send again."""
    signed_in = require(request, Role.ADMIN)
    page = _page_number(request)
    async with _ctx(request).read() as session:
        rows, more = await mail.failed_mail(session, signed_in.user, page)
    return render(
        request,
        "pages/organiser/mail.html",
        {
            "rows": rows,
            "more": more,
            "page": page,
            "zone": audit.AUDIT_ZONE,
            "retry_days": _ctx(request).settings.mail_retry_days,
            "notice": notice_text(request),
        },
    )


async def mail_retry(request: Request) -> Response:
    signed_in = require(request, Role.ADMIN)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        retried = await mail.retry_failed(session, signed_in.user, request.path_params["outbox_id"])
    return see_other(
        request, "organiser:mail", notice_query("mail_retried" if retried else "mail_not_failed")
    )
