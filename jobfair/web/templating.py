"""Jinja2 environment: translations, formatting in the fair's timezone and the user's
locale, reference-data labels, and static URLs with cache-busting versions."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from jobfair import i18n
from jobfair.definitions.schema import FAIR_SLUG_MAX
from jobfair.i18n import N_
from jobfair.models import applications as applications_model
from jobfair.reference import (
    countries,
    disability,
    education,
    employer_types,
    kbji,
    kbli,
    regions,
)
from jobfair.reference.nik import age_on
from jobfair.schemas.companies import DESCRIPTION_MAX, TITLE_MAX
from jobfair.schemas.profile import AK1_MAX, FORM_LIMITS
from jobfair.services import booth_slots, drives
from jobfair.services import conversations as chat_rules
from jobfair.services.accounts import FULL_NAME_MAX, MAX_PASSWORD
from jobfair.services.catalogue import MAX_KEYWORD
from jobfair.services.formats import (
    EMAIL_MAX,
    PHONE_TYPED_MAX,
    REASON_MAX,
    URL_MAX,
    phone_links,
)
from jobfair.services.screening import MAX_NOTE
from jobfair.services.times import local_datetime, local_time
from jobfair.services.videos import video_embed
from jobfair.stats.charts import per_minute_chart
from jobfair.stats.definitions import FIGURES
from jobfair.stats.present import Presenter
from jobfair.web.auth import template_globals

HTMX_VERSION = "4.0.1"

# Labels of code lists that live in the code rather than in jobfair.reference.
EMPLOYMENT_TYPE_LABELS = {
    "pkwtt": N_("Permanent (PKWTT)"),
    "pkwt": N_("Fixed-term contract (PKWT)"),
    "magang": N_("Internship"),
    "harian": N_("Daily work"),
    "paruh_waktu": N_("Part-time"),
    "kemitraan": N_("Partnership"),
}
# A company's status in a labour office (models.companies.CompanyVerification).
VERIFICATION_LABELS = {
    "pending": N_("Waiting for verification"),
    "verified": N_("Verified"),
    "rejected": N_("Rejected"),
}
PHASE_LABELS = {
    "draft": N_("Draft"),
    "cancelled": N_("Cancelled"),
    "upcoming": N_("Upcoming"),
    "open": N_("Open now"),
    "closed": N_("Closed"),
}


def _pick(item: Any) -> str:
    return item.label_en if i18n.current_locale() == "en" else item.label_id


def education_label(code: str) -> str:
    try:
        return _pick(education.education_level(code))
    except KeyError:
        return code


def sector_label(letter: str) -> str:
    try:
        return _pick(kbli.section(letter))
    except KeyError:
        return letter


def kbji_label(code: str) -> str:
    """The name of the most precise group of the list a code falls in."""
    try:
        return _pick(kbji.kbji_group(code))
    except ValueError:
        return code


def employer_type_label(code: int) -> str:
    try:
        return _pick(employer_types.employer_type(code))
    except KeyError:
        return str(code)


def regency_name(code: str) -> str:
    try:
        return regions.regency(code).display_name
    except KeyError:
        return code


def work_location_name(code: str) -> str:
    """A vacancy's work location: the regency at home, the country (localized) abroad."""
    return countries.work_location_name(code, i18n.current_locale())


def country_choices() -> tuple[tuple[str, str], ...]:
    return countries.countries(i18n.current_locale())


def employment_label(code: str) -> str:
    return i18n.gettext(EMPLOYMENT_TYPE_LABELS.get(code, code))


def verification_label(status: str) -> str:
    return i18n.gettext(VERIFICATION_LABELS.get(status, status))


def phase_label(phase: str) -> str:
    return i18n.gettext(PHASE_LABELS.get(phase, phase))


def long_date(day: date | None) -> str:
    if day is None:
        return ""
    return format_date(day, "d MMMM y", locale=i18n.current_babel_locale())


def number(value: int | float | None) -> str:
    if value is None:
        return "–"
    return format_decimal(value, locale=i18n.current_babel_locale())


def rupiah(value: int | None) -> str:
    if value is None:
        return "–"
    return "Rp " + format_decimal(value, locale=i18n.current_babel_locale())


def salary_range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return i18n.gettext("Negotiable")
    if low is not None and high is not None and low != high:
        return f"{rupiah(low)} – {rupiah(high)}"
    return rupiah(low if low is not None else high)


LEGAL_FORMS = frozenset(
    {"PT", "CV", "UD", "PD", "KOPERASI", "TBK", "PERUMDA", "PERSERODA", "RS", "KSP"}
)


def initials(name: str) -> str:
    """Up to two letters for a logo placeholder, skipping legal forms ("PT", "CV"…)."""
    words = [word for word in name.replace(".", " ").split() if word.upper() not in LEGAL_FORMS]
    return "".join(word[0] for word in words[:2]).upper() or name[:1].upper()


@cache
def _file_version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def status_label(code: str) -> str:
    return applications_model.status_label(code)


def sex_label(code: str | None) -> str:
    """``L``/``P`` (as on the KTP) in the reader's words; anything else as it is."""
    if code == "L":
        return i18n.gettext("Male")
    if code == "P":
        return i18n.gettext("Female")
    return code or ""


def disability_label(code: str) -> str:
    for kind in disability.DISABILITY_KINDS:
        if kind.code == code:
            return kind.label_id if i18n.current_locale() == "id" else kind.label_en
    return code


def age(birth_date: date | None, today: date) -> str:
    if birth_date is None:
        return ""
    return str(age_on(birth_date, today))


def live_chart(per_minute: list[int]) -> Markup:
    """The live dashboard's per-minute chart as SVG, in the current locale."""
    chart = per_minute_chart(per_minute, Presenter.of(i18n.current_locale()))
    return Markup(chart.svg())  # noqa: S704 - built from escaped parts


def wait_minutes(seconds: float | None) -> str:
    """An estimated wait in seconds as the report shows waits: whole minutes ("4 min")."""
    return Presenter.of(i18n.current_locale()).minutes(None if seconds is None else seconds / 60)


def create_templates(
    templates_dir: Path, static_dir: Path, *, auto_reload: bool = True
) -> Jinja2Templates:
    env = jinja2.Environment(
        # Outside development templates never change under a running process: checking
        # every template file's mtime on each render is wasted work.
        auto_reload=auto_reload,
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.raw_gettext, i18n.raw_ngettext, newstyle=True
    )

    # Starlette finds a route's path by trying every route in turn; a page of 37 booth
    # cards asked for ~40 paths, a sixth of its render time. The paths never change for
    # given arguments, so they are remembered (bounded: slugs and ids are finite).
    paths: dict[tuple[Any, ...], str] = {}

    @jinja2.pass_context
    def url_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
        # Paths, not absolute URLs: smaller pages, and right behind any proxy.
        app = context["request"].app
        key = (id(app), name, *sorted(params.items()))
        try:
            return paths[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument: not remembered
            return str(app.url_path_for(name, **params))
        path = str(app.url_path_for(name, **params))
        if len(paths) >= 20_000:
            paths.clear()
        paths[key] = path
        return path

    def static_url(path: str) -> str:
        file = static_dir / path
        version = _file_version(file) if file.is_file() else "0"
        return f"/static/{path}?v={version}"

    if not auto_reload:
        # Static files do not change under a running process either (the file's version
        # is already kept): spare the stat per asset per render.
        static_url = cache(static_url)

    env.globals.update(
        url_for=url_for,
        static_url=static_url,
        htmx_src=f"vendor/htmx-{HTMX_VERSION}/htmx.min.js",
        htmx_ws_src=f"vendor/htmx-{HTMX_VERSION}/ext/hx-ws.min.js",
        current_locale=i18n.current_locale,
        locale_names=i18n.LOCALE_NAMES,
        education_levels=education.EDUCATION_LEVELS,
        kbli_sections=kbli.KBLI_SECTIONS,
        kbji_groups=kbji.KBJI_GROUPS,
    )
    env.filters.update(
        education_label=education_label,
        sex_label=sex_label,
        sector_label=sector_label,
        kbji_label=kbji_label,
        employer_type_label=employer_type_label,
        regency_name=regency_name,
        work_location_name=work_location_name,
        employment_label=employment_label,
        phase_label=phase_label,
        verification_label=verification_label,
        initials=initials,
        local_datetime=local_datetime,
        local_time=local_time,
        long_date=long_date,
        number=number,
        rupiah=rupiah,
        salary_range=salary_range,
        phone_links=phone_links,
        video_embed=video_embed,
        wait_minutes=wait_minutes,
    )
    env.globals.update(
        # When a chat's timer ends it (services.conversations, the one rule).
        chat_ends_at=chat_rules.ends_at,
        provinces=regions.provinces,
        regencies_of=regions.regencies,
        countries=country_choices,
        disability_kinds=disability.DISABILITY_KINDS,
        live_chart=live_chart,
        # Every screen that shows a shared figure names it and defines it from here.
        figures=FIGURES,
        # The booth's reviewed fields (models.companies.BOOTH_CONTENT), by their labels.
        booth_field_labels={
            "description": N_("Description"),
            "video_url": N_("Video link"),
            "contact_email": N_("Contact e-mail"),
            "contact_phone": N_("Contact phone"),
            "logo_file": N_("Logo"),
        },
        # A field's maxlength is its rule's limit, from the rule's home.
        limits={
            **FORM_LIMITS,
            "email": EMAIL_MAX,
            "password": MAX_PASSWORD,
            "note": MAX_NOTE,
            "keyword": MAX_KEYWORD,
            "description": DESCRIPTION_MAX,
            "reason": REASON_MAX,
            "url": URL_MAX,
            "phone": PHONE_TYPED_MAX,
            "kbji": kbji.KBJI_TYPED_MAX,
            "title": TITLE_MAX,
            "full_name": FULL_NAME_MAX,
            "fair_slug": FAIR_SLUG_MAX,
            "ak1": AK1_MAX,
            "drive_name": drives.NAME_MAX,
            "drive_target": drives.TARGET_TYPED_MAX,
            "job_title": drives.JOB_TITLE_MAX,
            "booth_message": booth_slots.MESSAGE_MAX,
            "booth_answer": booth_slots.ANSWER_MAX,
            "chat_message": chat_rules.MAX_MESSAGE,
            "chat_note": chat_rules.MAX_NOTE,
            "chat_reason": chat_rules.MAX_REASON,
        },
    )
    env.filters.update(status_label=status_label, disability_label=disability_label, age=age)
    env.tests.update(kbji_code=kbji.is_valid_kbji)
    return Jinja2Templates(env=env, context_processors=[template_globals])
