"""Company pages: registration, team, booths and vacancies, screening with staged
decisions, exports; public logos. (The organiser's decisions live in ``web/organiser``.)"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from jobfair.context import AppContext
from jobfair.i18n import N_, gettext
from jobfair.models import Booth, Fair, User, Vacancy
from jobfair.models.accounts import Role
from jobfair.models.applications import ORDER as STATUS_ORDER
from jobfair.models.applications import PIPELINE
from jobfair.models.companies import CompanyVerification
from jobfair.models.fairs import FairPhase
from jobfair.models.vacancies import EmploymentType
from jobfair.reference.countries import is_country
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.schemas.companies import BoothInput, CompanyRegistration, VacancyInput
from jobfair.schemas.problems import parse
from jobfair.services import applicants, auth, companies, exports, screening
from jobfair.services.accounts import NewPassword
from jobfair.services.errors import DomainError, NotFound, PayloadTooLarge, ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.services.screening import ScreeningFilters, StageForm
from jobfair.web.account import region_choices
from jobfair.web.applicant import cv_response
from jobfair.web.auth import (
    JOIN_TOKEN,
    checked_form,
    current,
    limit,
    limit_identities,
    request_auth,
    require,
    sign_in,
)
from jobfair.web.downloads import download, file_download
from jobfair.web.htmx import render
from jobfair.web.links import absolute_link, path_for, see_other
from jobfair.web.live import page_counters
from jobfair.web.notices import notice_query, notice_text
from jobfair.web.templating import regency_name

LOGO_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _values(form: FormData) -> dict[str, Any]:
    return {
        key: str(value)[:6000]
        for key, value in form.items()
        if key not in ("password", "csrf_token") and isinstance(value, str)
    }


def _common() -> dict[str, Any]:
    return {"employer_types": EMPLOYER_TYPES, "employment_types": list(EmploymentType)}


# ------------------------------------------------------------------ registration


async def register_page(request: Request) -> Response:
    if current(request):
        return see_other(request, "company:home")
    return render(
        request,
        "pages/company/register.html",
        {"values": {}, "errors": {}, "region": region_choices({}, "company"), **_common()},
    )


async def register_submit(request: Request) -> Response:
    form = await checked_form(request)
    values = _values(form)
    values["regency_code"] = values.get("company_regency_code", "")
    context = {"values": values, "region": region_choices(values, "company"), **_common()}
    if form.get("action") == "regions":
        return render(request, "pages/company/register.html", {**context, "errors": {}})
    ctx = _ctx(request)
    try:
        await limit(request, "register:address")
        registration = parse(
            CompanyRegistration, {**values, "password": str(form.get("password", ""))}
        )
        await limit_identities(
            request,
            "register:identity",
            [f"email:{registration.email}", f"nib:{registration.nib}"],
        )
        password_hash = await ctx.passwords.hash(registration.password)
        async with ctx.unit_of_work() as session:
            # None when the address has an account already: the answer is the same.
            await companies.register_company(session, registration, password_hash, ctx.now())
    except DomainError as error:
        errors = dict(error.fields or {"form": error.message})
        if "regency_code" in errors:
            errors["company_regency_code"] = errors.pop("regency_code")
        return render(
            request,
            "pages/company/register.html",
            {**context, "errors": errors},
            status_code=error.status,
        )
    welcome = path_for(request, "company:home") + "?welcome=1"
    return see_other(
        request, "account:login", {**notice_query("company_registered"), "next": welcome}
    )


# --------------------------------------------------------------------- dashboard


async def dashboard(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.read() as session:
        company = await companies.my_company(session, signed_in.user)
        booths = await companies.my_booths(session, signed_in.user)
        open_fairs = await companies.open_fairs_for_booths(session, ctx.now())
        staged, scheduled = await screening.pending_count(session, company.id)
        record = await screening.responsiveness(session, company.id)
        verifications = await companies.my_verifications(session, signed_in.user)
        public = await companies.public_booths(session, [booth.id for booth, _fair in booths])
    taken = {fair.id for _booth, fair in booths}
    # Booths on show in a fair open now show live counters; having this page open is
    # what makes the company's recruiters "online" on the organiser's dashboard.
    live_booths = {}
    for booth, fair in booths:
        if booth.id in public and fair.phase(ctx.now()) == FairPhase.OPEN:
            live_booths[booth.id] = (await page_counters(ctx, fair.id, booth.id))[1]
    return render(
        request,
        "pages/company/dashboard.html",
        {
            "company": company,
            "booths": booths,
            "fairs_to_join": [fair for fair in open_fairs if fair.id not in taken],
            "staged": staged,
            "scheduled": scheduled,
            "record": record,
            "live_booths": live_booths,
            "verifications": verifications,
            "rejected_offices": {
                decision.office.id: decision
                for decision in verifications
                if decision.status == CompanyVerification.REJECTED
            },
            "now": ctx.now(),
            "welcome": request.query_params.get("welcome") == "1",
        },
    )


async def request_booth(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        booth = await companies.request_booth(
            session, signed_in.user, str(form.get("fair", "")), ctx.now()
        )
        booth_id = booth.id
    return see_other(request, "company:booth", booth_id=booth_id)


# ------------------------------------------------------------------------ booths


async def _booth_page(
    request: Request, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        booth, vacancies = await companies.booth_vacancies(
            session, signed_in.user, request.path_params["booth_id"]
        )
        fair = await session.get(Fair, booth.fair_id)
    return render(
        request,
        "pages/company/booth.html",
        {
            "booth": booth,
            "shown": companies.booth_shown(booth),
            "fair": fair,
            "vacancies": vacancies,
            "errors": errors or {},
            "saved": request.query_params.get("saved") == "1",
        },
        status_code=status_code,
    )


async def booth_page(request: Request) -> Response:
    return await _booth_page(request)


async def booth_submit(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    try:
        async with ctx.unit_of_work() as session:
            says = parse(BoothInput, _values(form))
            await companies.update_booth(session, signed_in.user, booth_id, says, ctx.now())
    except ValidationFailed as error:
        return await _booth_page(request, errors=error.fields, status_code=error.status)
    return see_other(request, "company:booth", {"saved": "1"}, booth_id=booth_id)


async def logo_upload(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    try:
        length = request.headers.get("content-length", "")
        if (whole_number(length, maximum=10**15) or 0) > companies.LOGO_MAX_BYTES + 64 * 1024:
            message = gettext("The logo is larger than 1 MB.")
            raise PayloadTooLarge(message, fields={"logo": message})
        form = await checked_form(request)
        upload = form.get("logo")
        if not isinstance(upload, UploadFile):
            message = gettext("The file is empty.")
            raise ValidationFailed(message, fields={"logo": message})
        data = await upload.read(companies.LOGO_MAX_BYTES + 1)
        async with ctx.unit_of_work() as session:
            await companies.store_logo(
                session, signed_in.user, booth_id, data, ctx.settings.uploads_dir, ctx.now()
            )
    except (ValidationFailed, PayloadTooLarge) as error:
        return await _booth_page(request, errors=error.fields, status_code=error.status)
    except DomainError as error:
        if error.status == 404:
            raise
        return await _booth_page(
            request, errors=error.fields or {"logo": error.message}, status_code=error.status
        )
    return see_other(request, "company:booth", {"saved": "1"}, booth_id=booth_id)


async def logo_file(request: Request) -> Response:
    name = request.path_params["name"]
    path = _ctx(request).settings.uploads_dir / "logos" / name
    if not LOGO_NAME.match(name) or not path.is_file():
        raise NotFound(gettext("We could not find that page."))
    response = FileResponse(path)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# --------------------------------------------------------------------- vacancies


def _vacancy_values(vacancy: Any) -> dict[str, Any]:
    values = {
        key: ("" if getattr(vacancy, key) is None else str(getattr(vacancy, key)))
        for key in (
            "title",
            "kbji_code",
            "openings_male",
            "openings_female",
            "openings_either",
            "education_min",
            "age_min",
            "age_max",
            "experience_years",
            "salary_min",
            "salary_max",
            "work_regency_code",
            "employment_type",
            "skills",
            "description",
            "deadline",
        )
    }
    # A work location abroad is a country, chosen with the location control's
    # "abroad" choice.
    if is_country(values["work_regency_code"]):
        values["work_place"] = "abroad"
        values["work_country"] = values.pop("work_regency_code")
    return values


def _vacancy_form(
    request: Request,
    booth: Booth,
    vacancy: Vacancy | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int,
) -> Response:
    if values.get("work_place") == "abroad" and "work_regency_code" in errors:
        # Abroad, the location is the country control's value: its error goes there.
        errors = {**errors, "work_country": errors["work_regency_code"]}
        del errors["work_regency_code"]
    return render(
        request,
        "pages/company/vacancy_form.html",
        {
            "booth": booth,
            "vacancy": vacancy,
            "values": values,
            "errors": errors,
            "region": region_choices(values, "work"),
            **_common(),
        },
        status_code=status_code,
    )


async def vacancy_new(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        booth = await companies.company_booth(
            session, signed_in.user, request.path_params["booth_id"]
        )
    values = {"openings_male": "0", "openings_female": "0", "openings_either": "1"}
    return _vacancy_form(request, booth, None, values, {}, 200)


async def vacancy_create(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    values = _values(form)
    ctx = _ctx(request)
    booth_id = request.path_params["booth_id"]
    try:
        if form.get("action") == "regions":
            raise ValidationFailed("", fields={})
        details = parse(VacancyInput, values)
        async with ctx.unit_of_work() as session:
            await companies.create_vacancy(session, signed_in.user, booth_id, details, ctx.now())
    except DomainError as error:
        if error.status == 404:
            raise
        async with ctx.read() as session:
            booth = await companies.company_booth(session, signed_in.user, booth_id)
        return _vacancy_form(
            request, booth, None, values, error.fields, error.status if error.fields else 200
        )
    return see_other(request, "company:booth", {"saved": "1"}, booth_id=booth_id)


async def vacancy_edit(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        vacancy = await companies.company_vacancy(
            session, signed_in.user, request.path_params["vacancy_id"]
        )
        booth = await companies.company_booth(session, signed_in.user, vacancy.booth_id)
    return _vacancy_form(request, booth, vacancy, _vacancy_values(vacancy), {}, 200)


async def vacancy_update(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    values = _values(form)
    ctx = _ctx(request)
    vacancy_id = request.path_params["vacancy_id"]
    try:
        if form.get("action") == "regions":
            raise ValidationFailed("", fields={})
        details = parse(VacancyInput, values)
        async with ctx.unit_of_work() as session:
            vacancy = await companies.update_vacancy(
                session, signed_in.user, vacancy_id, details, ctx.now()
            )
            booth_id = vacancy.booth_id
    except DomainError as error:
        if error.status == 404:
            raise
        async with ctx.read() as session:
            vacancy = await companies.company_vacancy(session, signed_in.user, vacancy_id)
            booth = await companies.company_booth(session, signed_in.user, vacancy.booth_id)
        return _vacancy_form(
            request, booth, vacancy, values, error.fields, error.status if error.fields else 200
        )
    return see_other(request, "company:booth", {"saved": "1"}, booth_id=booth_id)


async def vacancy_close(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        vacancy = await companies.close_vacancy(
            session, signed_in.user, request.path_params["vacancy_id"], ctx.now()
        )
        booth_id = vacancy.booth_id
    return see_other(request, "company:booth", {"saved": "1"}, booth_id=booth_id)


# --------------------------------------------------------------------- screening


def _filters(request: Request) -> tuple[ScreeningFilters, dict[str, str]]:
    """Filters from the query; bad ones are dropped and named, never a failure."""
    return ScreeningFilters.parse_lenient(request.query_params)


async def applications_page(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    filters, filter_errors = _filters(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        page = await screening.list_applications(session, signed_in.user, filters)
        company = await companies.my_company(session, signed_in.user)
        staged, scheduled = await screening.pending_count(session, company.id)
        booths = await companies.my_booths(session, signed_in.user)
        regencies = await screening.regency_choices(session, signed_in.user)
        vacancies = []
        for booth, _fair in booths:
            _b, items = await companies.booth_vacancies(session, signed_in.user, booth.id)
            vacancies.extend(items)
    return render(
        request,
        "pages/company/applications.html",
        {
            "page": page,
            "filters": filters,
            "filter_errors": filter_errors,
            # A chosen regency stays choosable though nobody from it applied (any more).
            "regencies": sorted({*regencies, *filter(None, [filters.regency])}, key=regency_name),
            "sort_columns": SORT_COLUMNS,
            # Where the table's forms come back to: its filters, sort and page.
            "back": _table_address(request, filters, page.page),
            "vacancies": vacancies,
            "staged": staged,
            "scheduled": scheduled,
            "statuses": PIPELINE,
            "all_statuses": STATUS_ORDER,
            "result": notice_text(request),
            "today": ctx.now().date(),
        },
        fragment="partials/company/application_table.html",
    )


# The table's sortable columns: (sort key, header), in the table's order.
SORT_COLUMNS = {
    "name": N_("Name"),
    "vacancy": N_("Vacancy"),
    "submitted": N_("Applied"),
    "education": N_("Education"),
    "age": N_("Age"),
    "rating": N_("Rating"),
    "status": N_("Status"),
}


def _table_address(request: Request, filters: ScreeningFilters, page: int | None = None) -> str:
    """The table with these filters, sort and page: where its forms come back to."""
    query = urlencode(filters.list_params(page))
    return path_for(request, "company:applications") + (f"?{query}" if query else "")


def _back(form: FormData, default: str = "/company/applications") -> str:
    """Where the form came from (the table's filters, sort and page, or an application
    page with the table's query), never off the company side."""
    back = str(form.get("back", ""))
    return back if back.startswith("/company/") else default


def _with_notice(back: str, key: str, **values: int) -> RedirectResponse:
    """Back to the table (its filters and page kept) with notice ``key``."""
    separator = "&" if "?" in back else "?"
    return RedirectResponse(
        f"{back}{separator}{urlencode(notice_query(key, **values))}", status_code=303
    )


async def stage_from_form(request: Request) -> Response:
    """One or many applications: ``ids`` checkboxes, or ``all_matching`` with the
    filters of the table (the "select all N matching" choice). A hire, or a change of
    every matching application, is confirmed on a page that names who it touches."""
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    back = _back(form)
    try:
        order = StageForm.parse(form)
        if order.asks_confirmation:
            return await _confirm_stage(request, signed_in.user, form, order)
        async with ctx.unit_of_work() as session:
            result = await screening.stage(
                session,
                signed_in.user,
                order.status,
                ctx.now(),
                application_ids=order.ids,
                filters=order.filters,
                note=order.note,
            )
    except DomainError as error:
        if error.status == 404:
            raise
        if error.status == 422 and error.fields.get("ids"):
            return _with_notice(back, "select_one")
        return _with_notice(back, "stage_refused")
    return _with_notice(back, "staged", count=result.changed, refused=len(result.refused))


CONFIRM_NAMES_SHOWN = 20


async def _confirm_stage(
    request: Request,
    user: User,
    form: FormData,
    order: StageForm,
) -> Response:
    """The confirmation step: who will get the status, with the same form to post again."""
    async with _ctx(request).read() as session:
        page = await screening.list_applications(
            session,
            user,
            order.filters or ScreeningFilters(),
            page_size=CONFIRM_NAMES_SHOWN,
            only_ids=order.ids,
        )
    if order.ids is not None and page.total == 0:
        raise NotFound(gettext("We could not find that application."))
    hidden = [
        (key, str(value))
        for key, value in form.multi_items()
        if key not in ("csrf_token", "confirmed") and isinstance(value, str)
    ]
    return render(
        request,
        "pages/company/stage_confirm.html",
        {
            "status": order.status,
            "page": page,
            "all_matching": order.all_matching,
            "hidden": hidden,
            "back": _back(form),
        },
    )


async def discard_from_form(request: Request) -> Response:
    """Throw away staged drafts: one row's (``discard`` = its id) or all of them."""
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    back = _back(form)
    one = whole_number(str(form.get("discard", "")), minimum=1)
    if one is None and form.get("all") != "1":
        return _with_notice(back, "select_one")
    async with ctx.unit_of_work() as session:
        count = await screening.discard(
            session, signed_in.user, application_ids=[one] if one is not None else None
        )
    return _with_notice(back, "discarded", count=count)


async def release(request: Request) -> Response:
    """ "Send decisions": back to the table as it was (filters, sort, page)."""
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await screening.release(session, signed_in.user, ctx.now())
    return RedirectResponse(_back(form), status_code=303)


async def undo(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await screening.undo_release(session, signed_in.user, ctx.now())
    return RedirectResponse(_back(form), status_code=303)


async def application_page(request: Request) -> Response:
    """One application; its query is the table's (filters and sort), which gives the
    previous and next applicant in the table's order and the way back to its page."""
    signed_in = require(request, Role.RECRUITER)
    filters, _errors = _filters(request)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    async with ctx.read() as session:
        page = await screening.list_applications(
            session, signed_in.user, ScreeningFilters(), only_ids=[application_id]
        )
        if not page.rows:
            raise NotFound(gettext("We could not find that application."))
        detail = await screening.application_detail(session, signed_in.user, application_id)
        around = await screening.neighbours(session, signed_in.user, application_id, filters)
        staged, scheduled = await screening.pending_count(
            session, (await screening.membership(session, signed_in.user)).company_id
        )
    query = urlencode(filters.as_params())
    return render(
        request,
        "pages/company/application.html",
        {
            "row": page.rows[0],
            "detail": detail,
            "around": around,
            # The table's query for the next/previous links; the table on this one's page.
            "list_query": f"?{query}" if query else "",
            "table": _table_address(request, filters, around.page),
            # Its forms come back here, the table's query kept.
            "back": request.url.path + (f"?{query}" if query else ""),
            "staged": staged,
            "scheduled": scheduled,
            "statuses": PIPELINE,
            "result": notice_text(request),
            "today": ctx.now().date(),
        },
    )


async def application_note(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    async with ctx.unit_of_work() as session:
        if "rating" in form:
            raw = str(form.get("rating", ""))
            await screening.set_rating(session, signed_in.user, application_id, whole_number(raw))
        else:
            await screening.add_note(
                session, signed_in.user, application_id, str(form.get("note", "")), ctx.now()
            )
    # Back to the page with the table's query it was opened with (next/previous).
    return RedirectResponse(
        _back(form, path_for(request, "company:application", application_id=application_id)),
        status_code=303,
    )


async def application_cv(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        application = await screening.company_application(
            session, signed_in.user, request.path_params["application_id"]
        )
        cv_file = await applicants.open_cv(
            session, signed_in.user, application.applicant_id, ctx.settings.uploads_dir, ctx.now()
        )
    # ?view=inline: the preview frame of the application page; otherwise a download.
    return cv_response(cv_file, inline=request.query_params.get("view") == "inline")


# ------------------------------------------------------------------------ exports


async def export(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    filters, _errors = _filters(request)
    file_format = request.query_params.get("format", "csv")
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        built = await exports.export_now(
            session, signed_in.user, filters, file_format, ctx.now().date()
        )
        if built is None:
            job = await exports.start_export(session, signed_in.user, filters, file_format)
            job_id = job.id
    if built is not None:
        data, _rows = built
        return download(data, exports.FORMATS[file_format], exports.export_filename(file_format))
    return see_other(request, "company:export_job", job_id=job_id)


async def export_status(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        job = await exports.company_export(session, signed_in.user, request.path_params["job_id"])
    return render(
        request,
        "pages/company/export.html",
        {"job": job},
        fragment="partials/company/export_progress.html",
    )


async def export_download(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.read() as session:
        job = await exports.company_export(session, signed_in.user, request.path_params["job_id"])
    path = exports.export_path(ctx.settings.uploads_dir, job)
    if path is None or not path.is_file():
        raise NotFound(gettext("We could not find that page."))
    return file_download(
        path, exports.FORMATS[job.file_format], exports.export_filename(job.file_format, job.id)
    )


# ---------------------------------------------------------------------------- team


async def team_page(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        people, invitations = await companies.team(session, signed_in.user)
        member = await screening.membership(session, signed_in.user)
    return render(
        request,
        "pages/company/team.html",
        {
            "people": people,
            "invitations": invitations,
            "is_owner": member.role == "owner",
            "errors": {},
            "sent": request.query_params.get("sent") == "1",
        },
    )


async def team_invite(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            await companies.invite(
                session,
                signed_in.user,
                str(form.get("email", "")),
                ctx.now(),
                join_page=absolute_link(request, "company:join"),
            )
    except (ValidationFailed, DomainError) as error:
        if error.status in (403, 404):
            raise
        async with ctx.read() as session:
            people, invitations = await companies.team(session, signed_in.user)
        return render(
            request,
            "pages/company/team.html",
            {
                "people": people,
                "invitations": invitations,
                "is_owner": True,
                "errors": error.fields or {"email": error.message},
                "sent": False,
            },
            status_code=error.status,
        )
    return see_other(request, "company:team", {"sent": "1"})


async def join_page(request: Request) -> Response:
    if (moved := JOIN_TOKEN.moved(request)) is not None:
        return moved
    ctx = _ctx(request)
    token = JOIN_TOKEN.read(request)
    async with ctx.read() as session:
        _invitation, company = await companies.invitation_for(session, token, ctx.now())
    return render(
        request,
        "pages/company/join.html",
        {"company": company, "errors": {}, "values": {}},
    )


async def join_submit(request: Request) -> Response:
    form = await checked_form(request)
    ctx = _ctx(request)
    token = JOIN_TOKEN.read(request)
    try:
        # Hashed before the unit of work (when the password passes the rule).
        password = await NewPassword.of(ctx.passwords, str(form.get("password", "")))
        async with ctx.unit_of_work() as session:
            user = await companies.accept_invitation(
                session, token, str(form.get("full_name", "")), password, ctx.now()
            )
            raw, _row = await auth.start_session(
                session, user, ctx.now(), replacing=request_auth(request).session_token
            )
    except ValidationFailed as error:
        async with ctx.read() as session:
            _invitation, company = await companies.invitation_for(session, token, ctx.now())
        return render(
            request,
            "pages/company/join.html",
            {"company": company, "errors": error.fields, "values": _values(form)},
            status_code=error.status,
        )
    sign_in(request, raw)
    response = see_other(request, "company:home")
    JOIN_TOKEN.forget(request, response)
    return response


# ---------------------------------------------------------------------- applicant


async def placement_answer(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    async with ctx.unit_of_work() as session:
        await screening.decide_placement(
            session,
            signed_in.user,
            application_id,
            form.get("confirm") == "1",
            ctx.now(),
            str(form.get("reason", "")).strip() or None,
        )
    return see_other(request, "me:application", application_id=application_id)
