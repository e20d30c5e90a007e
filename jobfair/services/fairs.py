"""Fairs: the lifecycle (draft → published → cancelled, extend, close early, move the
deadline), public counts, and the organiser console's fair pages and forms.

Upcoming / open / closed is never stored: ``Fair.phase(now)`` derives it from the
window, so a fair opens and closes on time without any task running.

Console actions are scoped by :mod:`jobfair.services.authority` (another office's fair
answers 404). Fair fields obey the rules of the ``events/`` files
(:func:`jobfair.definitions.schema.check_fair_table`); the form helpers here only turn
form text into the values a file would hold and word the problems for the form.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from sqlalchemy import Select, bindparam, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from jobfair.db.uow import enqueue_after_commit
from jobfair.definitions.schema import (
    APPLICATION_CAP_MAX,
    FAIR_SLUG_MAX,
    HIRING_TARGET_MAX,
    MOMENTS,
    FairDefinition,
    check_fair_table,
)
from jobfair.i18n import N_, gettext
from jobfair.models import (
    Application,
    Booth,
    Company,
    Fair,
    FairHostRegency,
    LabourOffice,
    Placement,
    User,
    Vacancy,
)
from jobfair.models.applications import is_confirmed
from jobfair.models.companies import BoothStatus, CompanyVerification, is_public_booth
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.models.vacancies import VacancyVerification, is_public
from jobfair.schemas.companies import DESCRIPTION_MAX, TITLE_MAX, TITLE_MIN
from jobfair.schemas.problems import field_messages, refuse
from jobfair.services import audit, authority, companies, mail
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.fair_window import WindowRefused, check_window
from jobfair.services.formats import text
from jobfair.services.numbers import whole_number

# Wall times as a datetime-local input sends them (seconds optional).
LOCAL_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True)
class FairCounts:
    companies: int = 0
    vacancies: int = 0
    openings: int = 0
    applicants: int = 0
    applications: int = 0
    hires: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "companies": self.companies,
            "booths": self.companies,
            "vacancies": self.vacancies,
            "openings": self.openings,
            "applicants": self.applicants,
            "applications": self.applications,
            "hires": self.hires,
        }


@cache
def _fair_by_slug(hosts: bool) -> Select[tuple[Fair]]:
    # Built once (every page of a fair starts here), the slug bound.
    query = select(Fair).where(Fair.slug == bindparam("slug"))
    # Without the host regencies: a second SELECT, ~0.6 ms of an uncached fair page's
    # ~6 ms; reading them then raises instead of querying.
    return query if hosts else query.options(raiseload(Fair.host_regencies))


async def get_fair(
    session: AsyncSession, slug: str, *, public: bool = True, hosts: bool = True
) -> Fair:
    """The fair with ``slug``; drafts are invisible to the public (404, not 403).
    ``hosts=False`` for a page that never shows the fair's host regencies (only the
    organiser's pages and the API do)."""
    fair = await session.scalar(_fair_by_slug(hosts), {"slug": slug})
    if fair is None or (public and fair.status == FairStatus.DRAFT):
        raise NotFound("fair not found")
    return fair


async def list_public_fairs(session: AsyncSession) -> list[Fair]:
    result = await session.scalars(
        select(Fair)
        .where(Fair.status != FairStatus.DRAFT)
        .order_by(Fair.opens_at.desc(), Fair.id.desc())
    )
    return list(result)


async def fair_counts(session: AsyncSession, fair_ids: Iterable[int]) -> dict[int, FairCounts]:
    """Public counts for several fairs at once: one grouped query per table."""
    ids = list(fair_ids)
    if not ids:
        return {}
    booths = dict(
        (
            await session.execute(
                select(Booth.fair_id, func.count())
                .where(Booth.fair_id.in_(ids), is_public_booth())
                .group_by(Booth.fair_id)
            )
        ).all()
    )
    vacancy_rows = (
        await session.execute(
            select(
                Vacancy.fair_id,
                func.count(),
                func.coalesce(
                    func.sum(
                        Vacancy.openings_male + Vacancy.openings_female + Vacancy.openings_either
                    ),
                    0,
                ),
            )
            .where(Vacancy.fair_id.in_(ids), is_public())
            .group_by(Vacancy.fair_id)
        )
    ).all()
    vacancies = {fair_id: (count, openings) for fair_id, count, openings in vacancy_rows}
    application_rows = (
        await session.execute(
            select(
                Application.fair_id, func.count(), func.count(distinct(Application.applicant_id))
            )
            .where(Application.fair_id.in_(ids))
            .group_by(Application.fair_id)
        )
    ).all()
    applications = {fair_id: (count, people) for fair_id, count, people in application_rows}
    hires = dict(
        (
            await session.execute(
                select(Placement.fair_id, func.count())
                # Hires confirmed (models.applications); the counter is named "hires".
                .where(Placement.fair_id.in_(ids), is_confirmed(Placement.confirmation))
                .group_by(Placement.fair_id)
            )
        ).all()
    )
    return {
        fair_id: FairCounts(
            companies=booths.get(fair_id, 0),
            vacancies=vacancies.get(fair_id, (0, 0))[0],
            openings=int(vacancies.get(fair_id, (0, 0))[1]),
            applicants=applications.get(fair_id, (0, 0))[1],
            applications=applications.get(fair_id, (0, 0))[0],
            hires=hires.get(fair_id, 0),
        )
        for fair_id in ids
    }


def schedule_report(session: AsyncSession, fair: Fair, now: datetime) -> None:
    """Enqueue the report's compilation for the fair's close, after the commit. A job
    left over from before an extension finds the fair still open and does nothing; a
    job lost with its process is re-driven by the sweep (``compile_due_reports``)."""
    delay = max((fair.closes_at - now).total_seconds(), 0.0)
    # A whole second more, so the job never runs a hair before the close.
    enqueue_after_commit(session, "compile_fair_report", defer_by=delay + 1.0, fair_id=fair.id)


def publish(
    session: AsyncSession,
    fair: Fair,
    *,
    now: datetime,
    actor_user_id: int | None,
    allow_closed: bool = False,
) -> None:
    """Make the fair public, schedule its report for the close and audit it.
    ``allow_closed``: a past fair loaded from an ``events/`` file for its report."""
    if fair.status == FairStatus.PUBLISHED:
        return
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be published again."))
    if fair.closes_at <= now and not allow_closed:
        raise Conflict(gettext("The fair has already closed; extend it before publishing."))
    fair.status = FairStatus.PUBLISHED
    fair.published_at = now
    schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.published",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
    )


def cancel(session: AsyncSession, fair: Fair, *, now: datetime, actor_user_id: int | None) -> None:
    if fair.status == FairStatus.CANCELLED:
        return
    if fair.phase(now) == FairPhase.CLOSED:
        raise Conflict(gettext("A fair that has closed cannot be cancelled."))
    fair.status = FairStatus.CANCELLED
    fair.cancelled_at = now
    audit.record(
        session,
        "fair.cancelled",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
    )


def close_early(
    session: AsyncSession, fair: Fair, *, now: datetime, actor_user_id: int | None
) -> None:
    """Close a published fair now, before its planned close. The decision deadline
    stays where it was: companies keep the time they were promised to answer."""
    if fair.status != FairStatus.PUBLISHED:
        raise Conflict(gettext("Only a published fair can be closed."))
    if fair.closes_at <= now:
        raise Conflict(gettext("The fair has already closed."))
    if fair.opens_at > now:
        raise Conflict(gettext("The fair has not opened yet; cancel it instead."))
    previous = fair.closes_at
    fair.closes_at = now
    schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.closed_early",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": fair.closes_at.isoformat()},
    )


def move_deadline(
    session: AsyncSession,
    fair: Fair,
    *,
    decision_deadline: datetime,
    now: datetime,
    actor_user_id: int | None,
) -> None:
    """Move the decision deadline, earlier or later, while it has not passed: once it
    has, the open applications were closed and their applicants told."""
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be changed."))
    if fair.decision_deadline <= now:
        raise Conflict(
            gettext("The decision deadline has passed; the open applications were closed.")
        )
    if decision_deadline <= now:
        message = gettext("The new decision deadline must be in the future.")
        raise ValidationFailed(message, fields={"decision_deadline": message})
    check_window(
        registration_opens_at=fair.registration_opens_at,
        opens_at=fair.opens_at,
        closes_at=fair.closes_at,
        decision_deadline=decision_deadline,
    )
    previous = fair.decision_deadline
    fair.decision_deadline = decision_deadline
    audit.record(
        session,
        "fair.deadline_moved",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": decision_deadline.isoformat()},
    )


def extend(
    session: AsyncSession,
    fair: Fair,
    *,
    closes_at: datetime,
    decision_deadline: datetime | None = None,
    now: datetime,
    actor_user_id: int | None,
) -> None:
    """Move the close later (never earlier), and the decision deadline with it."""
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("A cancelled fair cannot be extended."))
    if closes_at <= fair.closes_at:
        raise ValidationFailed(
            gettext("An extension must move the close later."),
            fields={"closes_at": "must be later than the current closes_at"},
        )
    # Unless told otherwise, companies keep the same time to answer after the close:
    # late applicants deserve an answer as much as early ones.
    deadline = decision_deadline or closes_at + (fair.decision_deadline - fair.closes_at)
    check_window(
        registration_opens_at=fair.registration_opens_at,
        opens_at=fair.opens_at,
        closes_at=closes_at,
        decision_deadline=deadline,
    )
    previous = fair.closes_at
    fair.closes_at = closes_at
    fair.decision_deadline = deadline
    if fair.status == FairStatus.PUBLISHED:
        schedule_report(session, fair, now)
    audit.record(
        session,
        "fair.extended",
        object_type="fair",
        object_id=fair.id,
        actor_user_id=actor_user_id,
        fair_id=fair.id,
        data={"from": previous.isoformat(), "to": closes_at.isoformat()},
    )


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
    # Mail given up after its retry period; None for an organiser (mail has no office).
    failed_mail: int | None = None


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
    if not authority.is_admin(user):
        query = query.where(Fair.office_id == user.office_id)
    fair_list = list(await session.scalars(query))
    ids = [fair.id for fair in fair_list]
    counts = await fair_counts(session, ids)
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
        companies.company_query(user, CompanyVerification.PENDING)
        .with_only_columns(func.count(distinct(Company.id)))
        .order_by(None)
    )
    return ConsoleHome(
        fairs=rows,
        companies_waiting=companies_waiting or 0,
        booths_waiting=sum(booths.values()),
        vacancies_waiting=sum(vacancies.values()),
        failed_mail=await mail.failed_count(session) if authority.is_admin(user) else None,
    )


async def fair_overview(session: AsyncSession, user: User, slug: str, now: datetime) -> FairRow:
    fair = await authority.scoped_fair(session, user, slug)
    counts = await fair_counts(session, [fair.id])
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
            "Use lower-case letters, digits and single hyphens (at most %(limit)s characters).",
            limit=FAIR_SLUG_MAX,
        ),
        "name": gettext(
            "Enter the fair's name (%(least)s to %(limit)s characters).",
            least=TITLE_MIN,
            limit=TITLE_MAX,
        ),
        "description": gettext("At most %(limit)s characters.", limit=DESCRIPTION_MAX),
        "timezone": gettext("Choose WIB, WITA or WIT."),
        "registration_opens_at": gettext("Registration must open no later than the fair."),
        "opens_at": gettext("Enter when the fair opens."),
        "closes_at": gettext("The fair must close after it opens."),
        "decision_deadline": gettext("The decision deadline cannot be before the fair closes."),
        "host_regency_codes": gettext("Choose regencies or cities from the list, each once."),
        "local_hiring_target": gettext(
            "Enter a percentage from 0 to %(limit)s, or leave it empty.", limit=HIRING_TARGET_MAX
        ),
        "application_cap": gettext(
            "Enter a number from 1 to %(limit)s, or leave it empty for no limit.",
            limit=APPLICATION_CAP_MAX,
        ),
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


def _local_moment(value: Any) -> Any:
    """A datetime-local input's wall time (seconds optional); empty is no value."""
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            return None
        if LOCAL_MOMENT.match(raw):
            with contextlib.suppress(ValueError):
                return datetime.fromisoformat(raw.replace(" ", "T"))
        raise refuse(
            "moment",
            f"{raw!r} is not a local date and time",
            N_("Enter a date and a time, for example 2026-11-03 08:00."),
        )
    return value


def _form_whole(value: Any) -> Any:
    """A whole number typed into the form (a sign allowed, so the range rule answers a
    negative one); empty is no value."""
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            return None
        if re.fullmatch(r"-?\d{1,6}", raw):
            return int(raw)
    return value


LocalMoment = Annotated[datetime | None, BeforeValidator(_local_moment)]
FormWhole = Annotated[int | None, BeforeValidator(_form_whole)]


class FairForm(BaseModel):
    """The fair form's text as values. Only the form's own shapes are checked here
    (a wall time, a whole number); what a fair may be is the definition rules', the
    same that check an ``events/`` file (:func:`check_fair_table`)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    slug: str = ""
    name: str = ""
    description: str = ""
    timezone: str = ""
    registration_opens_at: LocalMoment = None
    opens_at: LocalMoment = None
    closes_at: LocalMoment = None
    decision_deadline: LocalMoment = None
    local_hiring_target: FormWhole = None
    application_cap: FormWhole = None

    def table(self, hosts: Sequence[str]) -> dict[str, Any]:
        """The ``[fair]`` table a definition file would hold."""
        table: dict[str, Any] = {
            key: value for key, value in self.model_dump().items() if value is not None
        }
        return {**table, "status": FairStatus.DRAFT, "host_regency_codes": list(hosts)}


def check_fair_form(
    values: Mapping[str, Any], hosts: Sequence[str]
) -> tuple[FairDefinition | None, dict[str, str]]:
    """Form text → the ``[fair]`` table a definition file would hold, checked by the
    same rules; problems come back worded for the form, one per field."""
    fields = {key: values.get(key) for key in FairForm.model_fields if key in values}
    messages = _field_messages()
    try:
        form = FairForm.model_validate(fields, strict=False)
    except ValidationError as error:
        # The form's shapes (a wall time, a number) first: the rules need the values.
        return None, field_messages(error, messages)
    definition, problems = check_fair_table(form.table(hosts))
    errors = {key: messages.get(key, message) for key, message in problems.items()}
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
    if authority.is_admin(user):
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
    fair = await authority.scoped_fair(session, user, slug)
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
    fair = await authority.scoped_fair(session, user, slug)
    if fair.status == FairStatus.PUBLISHED:
        raise Conflict(gettext("The fair is already published."))
    publish(session, fair, now=now, actor_user_id=user.id)
    return fair


async def cancel_fair(
    session: AsyncSession, user: User, slug: str, confirmed: bool, now: datetime
) -> Fair:
    fair = await authority.scoped_fair(session, user, slug)
    if fair.status == FairStatus.CANCELLED:
        raise Conflict(gettext("The fair is already cancelled."))
    if not confirmed:
        message = gettext("Tick the box to confirm that the fair is cancelled.")
        raise ValidationFailed(message, fields={"confirm": message})
    cancel(session, fair, now=now, actor_user_id=user.id)
    return fair


async def close_fair_early(
    session: AsyncSession, user: User, slug: str, confirmed: bool, now: datetime
) -> Fair:
    fair = await authority.scoped_fair(session, user, slug)
    if not confirmed:
        message = gettext("Tick the box to confirm that the fair closes now.")
        raise ValidationFailed(message, fields={"confirm_close": message})
    close_early(session, fair, now=now, actor_user_id=user.id)
    return fair


class _WallTimes(BaseModel):
    """The wall times of the console's short forms (move the deadline, extend)."""

    new_deadline: LocalMoment = None
    closes_at: LocalMoment = None
    decision_deadline: LocalMoment = None


def _wall_times(**raw: str) -> dict[str, datetime | None]:
    """The given inputs as wall times (None when left empty), or every misshapen one
    refused at once with the form's words."""
    try:
        parsed = _WallTimes.model_validate(raw)
    except ValidationError as error:
        fields = field_messages(error)
        raise ValidationFailed(gettext("Please check the form."), fields=fields) from None
    return {key: getattr(parsed, key) for key in raw}


async def move_fair_deadline(
    session: AsyncSession, user: User, slug: str, decision_deadline: str, now: datetime
) -> Fair:
    """A new decision deadline, typed in the fair's local time."""
    fair = await authority.scoped_fair(session, user, slug)
    moment = _wall_times(new_deadline=decision_deadline)["new_deadline"]
    if moment is None:
        message = gettext("Enter a date and a time, for example 2026-11-03 08:00.")
        raise ValidationFailed(gettext("Please check the form."), fields={"new_deadline": message})
    _move_deadline(
        session, user, fair, moment.replace(tzinfo=fair.zone), field="new_deadline", now=now
    )
    return fair


def _move_deadline(
    session: AsyncSession, user: User, fair: Fair, moment: datetime, *, field: str, now: datetime
) -> None:
    """Move the deadline to ``moment`` (aware); a refusal names ``field``, the input's
    own name (the console's ``new_deadline``, the API's ``decisions_close_at``)."""
    try:
        move_deadline(
            session,
            fair,
            decision_deadline=moment.astimezone(UTC),
            now=now,
            actor_user_id=user.id,
        )
    except WindowRefused as error:
        # The window rule names the file's keys; the console says it in its own words.
        message = _field_messages()["decision_deadline"]
        raise ValidationFailed(error.message, fields={field: message}) from None
    except ValidationFailed as error:
        fields = {field: error.fields.get("decision_deadline", error.message)}
        raise ValidationFailed(error.message, fields=fields) from None


async def move_deadline_to(
    session: AsyncSession, user: User, slug: str, decisions_close_at: datetime, now: datetime
) -> Fair:
    """A new decision deadline given as a moment with its offset (the API's
    ``decisions_close_at``); refusals name that field."""
    fair = await authority.scoped_fair(session, user, slug)
    _move_deadline(session, user, fair, decisions_close_at, field="decisions_close_at", now=now)
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
    fair = await authority.scoped_fair(session, user, slug)
    walls = _wall_times(closes_at=closes_at, decision_deadline=decision_deadline)
    moments = {
        key: wall.replace(tzinfo=fair.zone).astimezone(UTC) if wall else None
        for key, wall in walls.items()
    }
    if moments["closes_at"] is None:
        message = gettext("Enter the new closing time.")
        raise ValidationFailed(gettext("Please check the form."), fields={"closes_at": message})
    try:
        extend(
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
