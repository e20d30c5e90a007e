"""The organiser console: an office's fairs (create, edit, publish, extend, cancel),
company verification, the office's organiser accounts and the audit log.

An organiser works within their labour office (``User.office_id``), an admin within
every office. Anything outside that scope answers 404, exactly like an id that does not
exist. Fair fields obey the rules of the ``events/`` files
(:func:`jobfair.definitions.schema.check_fair_table`); this module only turns form text
into the values a file would hold and words the problems for the form.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.definitions.schema import FairDefinition, check_fair_table
from jobfair.i18n import gettext
from jobfair.models import (
    AuditLog,
    Booth,
    Company,
    Fair,
    FairHostRegency,
    LabourOffice,
    PasswordReset,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.companies import BoothStatus, CompanyVerification
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.models.vacancies import VacancyVerification
from jobfair.services import accounts, audit, auth, fairs
from jobfair.services.companies import _decision_reason, organiser_fair
from jobfair.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from jobfair.services.fairs import FairCounts
from jobfair.services.formats import text
from jobfair.services.identity import token_hash
from jobfair.services.mail import queue_mail
from jobfair.services.numbers import whole_number

MOMENTS = ("registration_opens_at", "opens_at", "closes_at", "decision_deadline")
# Wall times as a datetime-local input sends them (seconds optional).
LOCAL_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
INVITATION_LIFETIME = timedelta(days=7)
PAGE_SIZE = 50
# The audit viewer's dates and times are in WIB: one zone for a log spanning offices.
AUDIT_ZONE = "Asia/Jakarta"


def _not_found() -> NotFound:
    return NotFound(gettext("We could not find that page."))


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN


def _without_office(user: User) -> bool:
    """An organiser who belongs to no office manages nothing (and must not match the
    many users with no office, such as applicants)."""
    return not is_admin(user) and user.office_id is None


def _scoped_fairs(user: User) -> Select[tuple[int]]:
    """Ids of the fairs ``user`` may manage."""
    query = select(Fair.id)
    return query if is_admin(user) else query.where(Fair.office_id == user.office_id)


async def scoped_fair(session: AsyncSession, user: User, slug: str) -> Fair:
    return await organiser_fair(session, user, slug)


async def offices(session: AsyncSession, user: User) -> list[LabourOffice]:
    query = select(LabourOffice).order_by(LabourOffice.name)
    if not is_admin(user):
        query = query.where(LabourOffice.id == user.office_id)
    return list(await session.scalars(query))


# ----------------------------------------------------------------- console home


@dataclass(frozen=True)
class FairRow:
    fair: Fair
    phase: FairPhase
    counts: FairCounts
    booths_waiting: int = 0
    vacancies_waiting: int = 0


@dataclass(frozen=True)
class ConsoleHome:
    fairs: list[FairRow]
    companies_waiting: int
    booths_waiting: int
    vacancies_waiting: int


async def _waiting_by_fair(
    session: AsyncSession, fair_ids: Sequence[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Booth requests and vacancies awaiting verification per fair (the queue's work)."""
    if not fair_ids:
        return {}, {}
    booths = dict(
        (
            await session.execute(
                select(Booth.fair_id, func.count())
                .where(Booth.fair_id.in_(fair_ids), Booth.status == BoothStatus.REQUESTED)
                .group_by(Booth.fair_id)
            )
        ).all()
    )
    vacancies = dict(
        (
            await session.execute(
                select(Vacancy.fair_id, func.count())
                .where(
                    Vacancy.fair_id.in_(fair_ids),
                    Vacancy.verification == VacancyVerification.PENDING,
                )
                .group_by(Vacancy.fair_id)
            )
        ).all()
    )
    return booths, vacancies


async def console_home(session: AsyncSession, user: User, now: datetime) -> ConsoleHome:
    query = select(Fair).order_by(Fair.opens_at.desc(), Fair.id.desc())
    if not is_admin(user):
        query = query.where(Fair.office_id == user.office_id)
    fair_list = list(await session.scalars(query))
    ids = [fair.id for fair in fair_list]
    counts = await fairs.fair_counts(session, ids)
    booths, vacancies = await _waiting_by_fair(session, ids)
    rows = [
        FairRow(
            fair=fair,
            phase=fair.phase(now),
            counts=counts[fair.id],
            booths_waiting=booths.get(fair.id, 0),
            vacancies_waiting=vacancies.get(fair.id, 0),
        )
        for fair in fair_list
    ]
    companies_waiting = await session.scalar(
        _company_query(user, CompanyVerification.PENDING)
        .with_only_columns(func.count(distinct(Company.id)))
        .order_by(None)
    )
    return ConsoleHome(
        fairs=rows,
        companies_waiting=companies_waiting or 0,
        booths_waiting=sum(booths.values()),
        vacancies_waiting=sum(vacancies.values()),
    )


async def fair_overview(session: AsyncSession, user: User, slug: str, now: datetime) -> FairRow:
    fair = await scoped_fair(session, user, slug)
    counts = await fairs.fair_counts(session, [fair.id])
    booths, vacancies = await _waiting_by_fair(session, [fair.id])
    return FairRow(
        fair=fair,
        phase=fair.phase(now),
        counts=counts[fair.id],
        booths_waiting=booths.get(fair.id, 0),
        vacancies_waiting=vacancies.get(fair.id, 0),
    )


# ------------------------------------------------------------------ fair forms


def _field_messages() -> dict[str, str]:
    """The form's words for each field the definition rules refuse (the rules' own
    messages name TOML keys, which mean nothing to someone filling in a form)."""
    return {
        "slug": gettext(
            "Use lower-case letters, digits and single hyphens (at most 80 characters)."
        ),
        "name": gettext("Enter the fair's name (at most 200 characters)."),
        "description": gettext("At most %(limit)s characters.", limit=5000),
        "timezone": gettext("Choose WIB, WITA or WIT."),
        "registration_opens_at": gettext("Registration must open no later than the fair."),
        "opens_at": gettext("Enter when the fair opens."),
        "closes_at": gettext("The fair must close after it opens."),
        "decision_deadline": gettext("The decision deadline cannot be before the fair closes."),
        "host_regency_codes": gettext("Choose regencies or cities from the list, each once."),
        "local_hiring_target": gettext("Enter a percentage from 0 to 100, or leave it empty."),
        "application_cap": gettext("Enter a number from 1 to 100, or leave it empty for no limit."),
    }


def local_input(fair: Fair, moment: datetime) -> str:
    """A stored moment as the wall time a datetime-local input shows."""
    return fair.local(moment).strftime("%Y-%m-%dT%H:%M")


def fair_form_values(fair: Fair) -> dict[str, str]:
    values = {
        "slug": fair.slug,
        "name": fair.name,
        "description": fair.description or "",
        "timezone": fair.timezone,
        "local_hiring_target": (
            "" if fair.local_hiring_target is None else str(fair.local_hiring_target)
        ),
        "application_cap": "" if fair.application_cap is None else str(fair.application_cap),
    }
    values.update({key: local_input(fair, getattr(fair, key)) for key in MOMENTS})
    return values


def _moment_value(raw: str) -> datetime | None:
    if not LOCAL_MOMENT.match(raw):
        return None
    try:
        return datetime.fromisoformat(raw.replace(" ", "T"))
    except ValueError:
        return None


def _number(raw: str) -> int | None:
    return int(raw) if re.fullmatch(r"-?\d{1,6}", raw) else None


def check_fair_form(
    values: Mapping[str, Any], hosts: Sequence[str]
) -> tuple[FairDefinition | None, dict[str, str]]:
    """Form text → the ``[fair]`` table a definition file would hold, checked by the
    same rules; problems come back worded for the form, one per field."""
    errors: dict[str, str] = {}
    table: dict[str, Any] = {"status": FairStatus.DRAFT}
    for key in ("slug", "name", "description", "timezone"):
        table[key] = text(values.get(key))
    for key in MOMENTS:
        raw = text(values.get(key))
        if not raw:
            continue
        moment = _moment_value(raw)
        if moment is None:
            errors[key] = gettext("Enter a date and a time, for example 2026-11-03 08:00.")
        else:
            table[key] = moment
    for key in ("local_hiring_target", "application_cap"):
        raw = text(values.get(key))
        if not raw:
            continue
        number = _number(raw)
        if number is None:
            errors[key] = _field_messages()[key]
        else:
            table[key] = number
    table["host_regency_codes"] = list(hosts)
    definition, problems = check_fair_table(table)
    messages = _field_messages()
    for key, message in problems.items():
        errors.setdefault(key, messages.get(key, message))
    return (None if errors else definition), errors


def _apply(fair: Fair, definition: FairDefinition) -> list[str]:
    """Copy a checked definition onto ``fair``; the names of the fields that changed."""
    changed: list[str] = []
    for key in (
        "name",
        "timezone",
        *MOMENTS,
        "local_hiring_target",
        "application_cap",
    ):
        value = getattr(definition, key)
        if getattr(fair, key) != value:
            setattr(fair, key, value)
            changed.append(key)
    description = definition.description or ""
    if (fair.description or "") != description:
        fair.description = description
        changed.append("description")
    wanted = list(definition.host_regency_codes)
    if fair.host_regency_codes != wanted:
        kept = [host for host in fair.host_regencies if host.regency_code in wanted]
        known = {host.regency_code for host in kept}
        fair.host_regencies = kept + [
            FairHostRegency(regency_code=code) for code in wanted if code not in known
        ]
        changed.append("host_regency_codes")
    return changed


async def create_fair(
    session: AsyncSession,
    user: User,
    values: Mapping[str, Any],
    hosts: Sequence[str],
    now: datetime,
) -> Fair:
    """A draft fair in the organiser's office (an admin names the office)."""
    definition, errors = check_fair_form(values, hosts)
    office_id: int | None = user.office_id
    if is_admin(user):
        raw = text(values.get("office"))
        office_id = whole_number(raw, minimum=1)
        if office_id is None or await session.get(LabourOffice, office_id) is None:
            errors["office"] = gettext("Choose the labour office that runs the fair.")
    elif office_id is None:
        raise PermissionDenied(gettext("You are not allowed to do that."))
    if errors or definition is None:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    if await session.scalar(select(Fair.id).where(Fair.slug == definition.slug)):
        message = gettext("Another fair already uses this address.")
        raise Conflict(message, fields={"slug": message})
    fair = Fair(
        office_id=office_id,
        slug=definition.slug,
        name=definition.name,
        description="",
        timezone=definition.timezone,
        registration_opens_at=definition.registration_opens_at,
        opens_at=definition.opens_at,
        closes_at=definition.closes_at,
        decision_deadline=definition.decision_deadline,
        status=FairStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    fair.host_regencies = []
    _apply(fair, definition)
    session.add(fair)
    await session.flush()
    audit.record(
        session,
        "fair.created",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=user.id,
        fair_id=fair.id,
    )
    return fair


async def update_fair(
    session: AsyncSession,
    user: User,
    slug: str,
    values: Mapping[str, Any],
    hosts: Sequence[str],
    now: datetime,
) -> Fair:
    """Change a fair's settings. The address (slug) stays. Once published, its timezone
    and window stay too: companies and applicants plan by them, and the only move left
    is :func:`extend_fair` (later, never earlier)."""
    fair = await scoped_fair(session, user, slug)
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be changed."))
    data = {**values, "slug": fair.slug}
    if fair.status == FairStatus.PUBLISHED:
        data.update(fair_form_values(fair))
        data.update({key: text(values.get(key)) for key in ("name", "description")})
        for key in ("local_hiring_target", "application_cap"):
            data[key] = text(values.get(key))
    definition, errors = check_fair_form(data, hosts)
    if errors or definition is None:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    changed = _apply(fair, definition)
    if changed:
        fair.updated_at = now
        audit.record(
            session,
            "fair.updated",
            object_type="fair",
            object_id=fair.id,
            actor_user_id=user.id,
            fair_id=fair.id,
            data={"fields": changed},
        )
    return fair


async def publish_fair(session: AsyncSession, user: User, slug: str, now: datetime) -> Fair:
    fair = await scoped_fair(session, user, slug)
    if fair.status == FairStatus.PUBLISHED:
        raise Conflict(gettext("The fair is already published."))
    fairs.publish(session, fair, now=now, actor_user_id=user.id)
    return fair


async def cancel_fair(
    session: AsyncSession, user: User, slug: str, confirmed: bool, now: datetime
) -> Fair:
    fair = await scoped_fair(session, user, slug)
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("The fair is already cancelled."))
    if not confirmed:
        message = gettext("Tick the box to confirm that the fair is cancelled.")
        raise ValidationFailed(message, fields={"confirm": message})
    fairs.cancel(session, fair, now=now, actor_user_id=user.id)
    return fair


async def close_fair_early(
    session: AsyncSession, user: User, slug: str, confirmed: bool, now: datetime
) -> Fair:
    fair = await scoped_fair(session, user, slug)
    if not confirmed:
        message = gettext("Tick the box to confirm that the fair closes now.")
        raise ValidationFailed(message, fields={"confirm_close": message})
    fairs.close_early(session, fair, now=now, actor_user_id=user.id)
    return fair


async def move_fair_deadline(
    session: AsyncSession, user: User, slug: str, decision_deadline: str, now: datetime
) -> Fair:
    """A new decision deadline, typed in the fair's local time."""
    fair = await scoped_fair(session, user, slug)
    raw = decision_deadline.strip()
    moment = _moment_value(raw) if raw else None
    if moment is None:
        message = gettext("Enter a date and a time, for example 2026-11-03 08:00.")
        raise ValidationFailed(gettext("Please check the form."), fields={"new_deadline": message})
    try:
        fairs.move_deadline(
            session,
            fair,
            decision_deadline=moment.replace(tzinfo=fair.zone).astimezone(UTC),
            now=now,
            actor_user_id=user.id,
        )
    except fairs.WindowRefused as error:
        # The window rule names the file's keys; the console says it in its own words.
        message = _field_messages()["decision_deadline"]
        raise ValidationFailed(error.message, fields={"new_deadline": message}) from None
    except ValidationFailed as error:
        fields = {"new_deadline": error.fields.get("decision_deadline", error.message)}
        raise ValidationFailed(error.message, fields=fields) from None
    return fair


async def extend_fair(
    session: AsyncSession,
    user: User,
    slug: str,
    closes_at: str,
    decision_deadline: str,
    now: datetime,
) -> Fair:
    """Close later; the decision deadline keeps its distance unless given."""
    fair = await scoped_fair(session, user, slug)
    errors: dict[str, str] = {}
    moments: dict[str, datetime | None] = {}
    for key, raw in (
        ("closes_at", closes_at.strip()),
        ("decision_deadline", decision_deadline.strip()),
    ):
        moment = _moment_value(raw) if raw else None
        if raw and moment is None:
            errors[key] = gettext("Enter a date and a time, for example 2026-11-03 08:00.")
        moments[key] = moment.replace(tzinfo=fair.zone).astimezone(UTC) if moment else None
    if moments["closes_at"] is None and "closes_at" not in errors:
        errors["closes_at"] = gettext("Enter the new closing time.")
    if errors:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    assert moments["closes_at"] is not None
    try:
        fairs.extend(
            session,
            fair,
            closes_at=moments["closes_at"],
            decision_deadline=moments["decision_deadline"],
            now=now,
            actor_user_id=user.id,
        )
    except ValidationFailed as error:
        messages = {
            "closes_at": gettext("The new close must be later than the current close."),
            "decision_deadline": _field_messages()["decision_deadline"],
        }
        fields = {key: messages.get(key, message) for key, message in error.fields.items()}
        raise ValidationFailed(error.message, fields=fields) from None
    return fair


# -------------------------------------------------------------------- companies


@dataclass
class CompanyRow:
    company: Company
    booths: list[tuple[Booth, Fair]] = field(default_factory=list)


def _company_query(user: User, status: str | None) -> Select[tuple[Company]]:
    """Companies ``user`` may see: an organiser those that asked for a booth in one of
    the office's fairs, an admin every company."""
    query = select(Company)
    if not is_admin(user):
        query = query.where(
            Company.id.in_(
                select(Booth.company_id)
                .join(Fair, Fair.id == Booth.fair_id)
                .where(Fair.office_id == user.office_id)
            )
        )
    if status:
        query = query.where(Company.verification == status)
    return query


async def list_companies(
    session: AsyncSession, user: User, status: str | None, page: int = 1
) -> tuple[list[CompanyRow], bool]:
    """One page of visible companies, newest first, each with its booths in the visible
    fairs; and whether another page follows."""
    if status not in {None, *(s.value for s in CompanyVerification)}:
        status = None
    found = list(
        await session.scalars(
            _company_query(user, status)
            .order_by(Company.created_at.desc(), Company.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    more = len(found) > PAGE_SIZE
    rows = {company.id: CompanyRow(company) for company in found[:PAGE_SIZE]}
    if rows:
        booths = await session.execute(
            select(Booth, Fair)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(Booth.company_id.in_(rows), Fair.id.in_(_scoped_fairs(user)))
            .order_by(Fair.opens_at.desc())
        )
        for booth, fair in booths:
            rows[booth.company_id].booths.append((booth, fair))
    return list(rows.values()), more


async def decide_company(
    session: AsyncSession,
    user: User,
    company_id: int,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> Company:
    """Verify a company (its identity and registration are real) or reject it with a
    reason its recruiters see."""
    company = await session.scalar(_company_query(user, None).where(Company.id == company_id))
    if company is None:
        raise _not_found()
    reason = _decision_reason(approve, reason)
    company.verification = CompanyVerification.VERIFIED if approve else CompanyVerification.REJECTED
    company.verification_reason = reason
    company.verified_at = now
    audit.record(
        session,
        "company.verified" if approve else "company.rejected",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
    )
    return company


# ------------------------------------------------------------------------ users

STAFF_ROLES = (Role.ORGANISER, Role.ADMIN)


@dataclass(frozen=True)
class StaffRow:
    user: User
    office: LabourOffice | None


async def list_staff(session: AsyncSession, user: User) -> list[StaffRow]:
    """The office's organisers (and admins); an admin sees those of every office."""
    query = (
        select(User, LabourOffice)
        .outerjoin(LabourOffice, LabourOffice.id == User.office_id)
        .where(User.role.in_(STAFF_ROLES))
        .order_by(LabourOffice.name, User.full_name, User.id)
    )
    if _without_office(user):
        return []
    if not is_admin(user):
        query = query.where(User.office_id == user.office_id)
    return [StaffRow(person, office) for person, office in await session.execute(query)]


def _user_field_messages() -> dict[str, str]:
    return {
        "email": gettext("Enter a valid e-mail address."),
        "full_name": gettext("Enter the full name (at most 200 characters)."),
        "office": gettext("Choose the labour office."),
        "role": gettext("Choose organiser or admin."),
    }


async def add_staff(
    session: AsyncSession,
    user: User,
    values: Mapping[str, Any],
    password: str,
    now: datetime,
    *,
    base_url: str,
) -> User:
    """Add an organiser (or, by an admin, an admin): with an initial password, or with
    an invitation link to choose one (the password-reset link, valid for a week)."""
    errors: dict[str, str] = {}
    role = text(values.get("role")) or Role.ORGANISER
    if role not in STAFF_ROLES:
        errors["role"] = _user_field_messages()["role"]
    elif role == Role.ADMIN and not is_admin(user):
        raise PermissionDenied(gettext("Only an admin may add an admin."))
    invite = values.get("mode") == "invite"
    office_slug: str | None = None
    office_id = user.office_id
    if is_admin(user):
        raw = text(values.get("office"))
        office_id = whole_number(raw, minimum=1)
    office = await session.get(LabourOffice, office_id) if office_id is not None else None
    if office is not None:
        office_slug = office.slug
    elif role == Role.ORGANISER or text(values.get("office")):
        errors["office"] = _user_field_messages()["office"]
    if not invite and (message := auth.password_error(password)):
        errors["password"] = message
    email = accounts.normalise_email(text(values.get("email")))
    if accounts.check_email(email):
        errors["email"] = _user_field_messages()["email"]
    full_name = " ".join(text(values.get("full_name")).split())
    if not 1 <= len(full_name) <= 200:
        errors["full_name"] = _user_field_messages()["full_name"]
    if errors:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    try:
        created = await accounts.create_user(
            session,
            role=role,
            email=email,
            # An invited user's first password is one nobody knows.
            password=secrets.token_urlsafe(24) if invite else password,
            full_name=full_name,
            office_slug=office_slug,
            actor_user_id=user.id,
        )
    except Conflict:
        message = gettext("This e-mail address already has an account.")
        raise Conflict(message, fields={"email": message}) from None
    created.created_at = now
    if invite:
        await _invite(session, user, created, now, base_url=base_url)
    return created


async def _invite(
    session: AsyncSession, actor: User, invited: User, now: datetime, *, base_url: str
) -> None:
    raw = auth.new_token()
    reset = PasswordReset(
        token_hash=token_hash(raw),
        user_id=invited.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(reset)
    await session.flush()
    link = f"{base_url.rstrip('/')}/password/reset?token={raw}"
    body = gettext(
        "You have been added as an organiser of the virtual job fair.\n\n"
        "To choose your password, open this link within seven days:\n%(link)s\n\n"
        "Then sign in with your e-mail address.",
        link=link,
    )
    assert invited.email is not None
    await queue_mail(
        session,
        to_address=invited.email,
        subject=gettext("Your organiser account"),
        body=body,
        dedupe_key=f"organiser-invitation:{reset.id}",
        user_id=invited.id,
    )
    audit.record(
        session,
        "user.invited",
        object_type="user",
        object_id=invited.id,
        actor_user_id=actor.id,
    )


async def set_staff_active(
    session: AsyncSession, user: User, target_id: int, active: bool, now: datetime
) -> User:
    """Disable (ending every session and API token) or enable an organiser. An
    organiser manages the organisers of their office; admins are managed by admins."""
    target = await session.get(User, target_id)
    if (
        target is None
        or _without_office(user)
        or target.role not in STAFF_ROLES
        or (not is_admin(user) and target.office_id != user.office_id)
    ):
        raise _not_found()
    if target.role == Role.ADMIN and not is_admin(user):
        raise PermissionDenied(gettext("Only an admin may change an admin."))
    if target.id == user.id:
        raise Conflict(gettext("You cannot disable or enable your own account."))
    if active == target.is_active:
        return target
    if not active:
        return await auth.disable_user(session, target.id, now, actor_user_id=user.id)
    target.is_active = True
    target.disabled_at = None
    audit.record(
        session, "user.enabled", object_type="user", object_id=target.id, actor_user_id=user.id
    )
    return target


# ------------------------------------------------------------------------ audit


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> tuple[AuditFilters, dict[str, str]]:
        """Filters from a query string; a bad filter is dropped with a message."""
        errors: dict[str, str] = {}
        actor = text(params.get("actor"))[:254]
        if actor and "@" not in actor and whole_number(actor, minimum=1) is None:
            errors["actor"] = gettext("Enter an e-mail address or a user number.")
            actor = ""
        action = text(params.get("action"))[:64]
        if action and not re.fullmatch(r"[a-z_.]+", action):
            errors["action"] = gettext("An action looks like booth. or fair.published.")
            action = ""
        object_type = text(params.get("object_type"))[:32]
        if object_type and not re.fullmatch(r"[a-z_]+", object_type):
            errors["object_type"] = gettext("An object type looks like fair, booth or user.")
            object_type = ""
        raw_id = text(params.get("object_id"))
        object_id = whole_number(raw_id)
        if raw_id and object_id is None:
            errors["object_id"] = gettext("Enter a number.")
        days: dict[str, date | None] = {}
        for key in ("date_from", "date_to"):
            raw = text(params.get(key))
            try:
                days[key] = date.fromisoformat(raw) if raw else None
            except ValueError:
                errors[key] = gettext("Enter a date, for example 2026-11-03.")
                days[key] = None
        if days["date_from"] and days["date_to"] and days["date_from"] > days["date_to"]:
            errors["date_to"] = gettext("The end date is before the start date.")
            days["date_to"] = None
        raw_page = text(params.get("page"))
        page = whole_number(raw_page, minimum=1, maximum=99_999) or 1
        return (
            cls(
                actor,
                action,
                object_type,
                object_id,
                days["date_from"],
                days["date_to"],
                max(page, 1),
            ),
            errors,
        )

    def query_string(self, page: int) -> str:
        from urllib.parse import urlencode

        values = {
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": "" if self.object_id is None else str(self.object_id),
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        values = {key: value for key, value in values.items() if value}
        values["page"] = str(page)
        return urlencode(values)


@dataclass(frozen=True)
class AuditRow:
    entry: AuditLog
    actor_email: str | None
    fair_slug: str | None


def _audit_scope(user: User) -> Any:
    """What an organiser may read: entries of the office's fairs, and entries with no
    fair by or about the office's own staff."""
    office_fairs = select(Fair.id).where(Fair.office_id == user.office_id)
    office_staff = select(User.id).where(User.office_id == user.office_id)
    return or_(
        AuditLog.fair_id.in_(office_fairs),
        and_(
            AuditLog.fair_id.is_(None),
            or_(
                AuditLog.actor_user_id.in_(office_staff),
                and_(AuditLog.object_type == "user", AuditLog.object_id.in_(office_staff)),
            ),
        ),
    )


async def audit_entries(
    session: AsyncSession, user: User, filters: AuditFilters
) -> tuple[list[AuditRow], bool]:
    """One page of the audit log, newest first, and whether an older page follows."""
    if _without_office(user):
        return [], False
    actor = User.__table__.alias("actor")
    query = (
        select(AuditLog, actor.c.email, Fair.slug)
        .outerjoin(actor, actor.c.id == AuditLog.actor_user_id)
        .outerjoin(Fair, Fair.id == AuditLog.fair_id)
    )
    if not is_admin(user):
        query = query.where(_audit_scope(user))
    if (actor_id := whole_number(filters.actor, minimum=1)) is not None:
        query = query.where(AuditLog.actor_user_id == actor_id)
    elif filters.actor:
        query = query.where(actor.c.email == accounts.normalise_email(filters.actor))
    if filters.action:
        query = query.where(AuditLog.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        query = query.where(AuditLog.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditLog.object_id == filters.object_id)
    zone = ZoneInfo(AUDIT_ZONE)
    if filters.date_from:
        start = datetime.combine(filters.date_from, time(0), tzinfo=zone).astimezone(UTC)
        query = query.where(AuditLog.at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(0), tzinfo=zone)
        query = query.where(AuditLog.at < end.astimezone(UTC))
    found = await session.execute(
        query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((filters.page - 1) * PAGE_SIZE)
    )
    rows = [AuditRow(entry, email, slug) for entry, email, slug in found]
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
