"""Sign in and out, password reset, applicant registration and the region picker."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models.accounts import Role
from jobfair.reference import regions
from jobfair.schemas.problems import parse
from jobfair.schemas.profile import Registration
from jobfair.services import applicants, auth
from jobfair.services.accounts import NewPassword
from jobfair.services.errors import DomainError, NotFound
from jobfair.services.formats import normalise_email
from jobfair.web.auth import (
    RESET_TOKEN,
    checked_form,
    current,
    limit,
    limit_identities,
    limited_sign_in,
    request_auth,
    sign_in,
    sign_out,
)
from jobfair.web.htmx import render
from jobfair.web.links import absolute_link, path_for, see_other
from jobfair.web.notices import notice_query, notice_text


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def safe_next(target: str | None, default: str) -> str:
    """Only local paths: ``//host`` and absolute URLs would make an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def home_for(role: str) -> str:
    """The route name of the page a role lands on after signing in."""
    return {
        Role.APPLICANT: "me:home",
        Role.RECRUITER: "company:home",
        Role.ORGANISER: "organiser:home",
        Role.ADMIN: "organiser:home",
    }.get(role, "public:fairs")


# ----------------------------------------------------------------------- sign in


async def login_page(request: Request) -> Response:
    if current(request):
        return see_other(request, home_for(current(request).user.role))  # type: ignore[union-attr]
    return render(
        request,
        "pages/account/login.html",
        {
            "next": safe_next(request.query_params.get("next"), ""),
            "error": None,
            "login": "",
            "notice": notice_text(request),
        },
    )


async def login_submit(request: Request) -> Response:
    form = await checked_form(request)
    login = str(form.get("login", ""))[:254]
    password = str(form.get("password", ""))[:200]
    next_path = safe_next(str(form.get("next", "")), "")
    ctx = _ctx(request)

    async def attempt(check: auth.LoginCheck) -> tuple[str, str]:
        async with ctx.unit_of_work() as session:
            user = await auth.authenticate(session, check)
            raw, _row = await auth.start_session(
                session, user, ctx.now(), replacing=request_auth(request).session_token
            )
            return raw, user.role

    try:
        raw, role = await limited_sign_in(request, login, password, attempt)
    except DomainError as error:
        return render(
            request,
            "pages/account/login.html",
            {"next": next_path, "error": error.message, "login": login, "notice": None},
            status_code=error.status,
        )
    sign_in(request, raw)
    return RedirectResponse(next_path or path_for(request, home_for(role)), status_code=303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    state = request_auth(request)
    ctx = _ctx(request)
    if state.session_token:
        async with ctx.unit_of_work() as session:
            await auth.end_session(session, state.session_token, ctx.now())
    sign_out(request)
    return see_other(request, "public:fairs")


# ---------------------------------------------------------------- password reset


async def forgot_page(request: Request) -> Response:
    return render(request, "pages/account/forgot.html", {"sent": False, "email": ""})


async def forgot_submit(request: Request) -> Response:
    form = await checked_form(request)
    email = str(form.get("email", ""))[:254]
    await limit(request, "reset:address")
    await limit_identities(request, "reset:account", [f"email:{normalise_email(email)}"])
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await auth.request_password_reset(
            session, email, ctx.now(), reset_page=absolute_link(request, "account:reset")
        )
    # The same answer whether or not the address is registered.
    return render(request, "pages/account/forgot.html", {"sent": True, "email": email})


async def reset_page(request: Request) -> Response:
    if (moved := RESET_TOKEN.moved(request)) is not None:
        return moved
    raw = RESET_TOKEN.read(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        try:
            await auth.check_reset_token(session, raw, ctx.now())
            valid = True
        except NotFound:
            valid = False
    return render(
        request,
        "pages/account/reset.html",
        {"valid": valid, "errors": {}},
        status_code=200 if valid else 404,
    )


async def reset_submit(request: Request) -> Response:
    form = await checked_form(request)
    raw = RESET_TOKEN.read(request)
    password = str(form.get("password", ""))
    ctx = _ctx(request)
    try:
        # Hashed before the unit of work (when the password passes the rule).
        new_password = await NewPassword.of(ctx.passwords, password)
        async with ctx.unit_of_work() as session:
            await auth.reset_password(session, raw, new_password, ctx.now())
    except DomainError as error:
        return render(
            request,
            "pages/account/reset.html",
            {
                "valid": error.status != 404,
                "errors": error.fields or {"password": error.message},
            },
            status_code=error.status,
        )
    response = see_other(request, "account:login", {"reset": "1"})
    RESET_TOKEN.forget(request, response)
    return response


# ------------------------------------------------------------------ registration


def region_choices(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Province and regency options for one picker, from what the form holds so far."""
    code = str(values.get(f"{prefix}_regency_code") or "")
    province = str(values.get(f"{prefix}_province") or "") or (code.split(".")[0] if code else "")
    known = {p.code for p in regions.provinces()}
    province = province if province in known else ""
    return {"province": province, "regencies": regions.regencies(province) if province else ()}


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: str(value)[:300]
        for key, value in form.items()
        if key not in ("password", "current_password", "csrf_token")
    }
    values["disability"] = [str(v) for v in form.getlist("disability")]
    return values


def _registration_context(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        # Where to go after the first sign-in (the vacancy registration started from).
        "next": safe_next(str(values.get("next", "")), ""),
        "ktp": region_choices(values, "ktp"),
        "domicile": region_choices(values, "domicile"),
    }


async def register_page(request: Request) -> Response:
    signed_in = current(request)
    if signed_in:
        return see_other(request, home_for(signed_in.user.role))
    values = {"next": safe_next(request.query_params.get("next"), "")}
    return render(request, "pages/account/register.html", _registration_context(values, {}))


async def register_submit(request: Request) -> Response:
    form = await checked_form(request)
    values = _form_values(form)
    if form.get("action") == "regions":
        # The no-JavaScript picker: show the regencies of the chosen provinces.
        return render(request, "pages/account/register.html", _registration_context(values, {}))
    data = dict(values)
    data["password"] = str(form.get("password", ""))
    ctx = _ctx(request)
    try:
        await limit(request, "register:address")
        # A form's values are text: read laxly ("3" is a number), with the NIK's age on
        # today's date.
        registration = parse(Registration, data, context={"today": ctx.now().date()}, strict=False)
        await limit_identities(
            request,
            "register:identity",
            applicants.registration_identities(registration, ctx.nik_vault),
        )
        password_hash = await ctx.passwords.hash(registration.password)
        async with ctx.unit_of_work() as session:
            # None when the details were registered already: the answer is the same.
            await applicants.register_applicant(
                session, registration, password_hash, ctx.nik_vault, ctx.now()
            )
    except DomainError as error:
        errors = error.fields or {"form": error.message}
        return render(
            request,
            "pages/account/register.html",
            _registration_context(values, errors),
            status_code=error.status,
        )
    # The same answer whether the account was made or its details were registered
    # already (the owner is mailed): signing in is the next step for both.
    welcome = path_for(request, "me:home") + "?welcome=1"
    after = safe_next(str(values.get("next", "")), welcome)
    return see_other(request, "account:login", {**notice_query("registered"), "next": after})


async def regency_options(request: Request) -> Response:
    """``<option>`` list for a province (htmx swaps it into the regency select)."""
    province = ""
    for key, value in request.query_params.items():
        if key == "province" or key.endswith("_province"):
            province = value
    known = {p.code for p in regions.provinces()}
    choices = regions.regencies(province) if province in known else ()
    return render(
        request,
        "partials/account/regency_options.html",
        {
            "regencies": choices,
            "selected": request.query_params.get("selected", ""),
            "placeholder": i18n.gettext("Choose a regency or city"),
        },
    )
