"""The audit log: recording audited actions (``fair.published``, ``booth.approved``,
``cv.viewed``…) and the organiser console's scoped, filtered view of it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, ClassVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import N_, gettext
from jobfair.models import AuditLog, Booth, Company, DirectPlacement, Drive, Fair, User, Vacancy
from jobfair.models.companies import is_public_booth
from jobfair.models.vacancies import is_public
from jobfair.services import authority
from jobfair.services.formats import normalise_email, text
from jobfair.services.numbers import whole_number

AUDIT_PAGE = 50
# The audit viewer's dates and times are in WIB: one zone for a log spanning offices.
AUDIT_ZONE = "Asia/Jakarta"


# What each recorded action is called in the viewer's language: the one mapping. Every
# code passed to ``record`` anywhere in jobfair/ has an entry (tests/services/test_audit).
ACTION_LABELS: dict[str, str] = {
    "api_token.created": N_("API token created"),
    "api_token.revoked": N_("API token revoked"),
    "applicant.deleted": N_("Job seeker account deleted"),
    "applicant.interchange_consent_given": N_(
        "Job seeker agreed to be shared with the ministry's systems"
    ),
    "applicant.interchange_consent_withdrawn": N_(
        "Job seeker withdrew the consent to be shared with the ministry's systems"
    ),
    "applicant.profile_updated": N_("Job seeker profile updated"),
    "applicant.registered": N_("Job seeker registered"),
    "applicant.registration_refused": N_("Job seeker registration refused"),
    "applicant.walk_in_registered": N_("Walk-in job seeker registered by an officer"),
    "application.draft_discarded": N_("Staged decisions discarded"),
    "application.status_staged": N_("Application decision staged"),
    "applications.export_started": N_("Applications export started"),
    "applications.exported": N_("Applications exported"),
    "booth.approved": N_("Booth approved"),
    "booth.changes_approved": N_("Booth changes accepted"),
    "booth.changes_rejected": N_("Booth changes turned down"),
    "booth.logo_uploaded": N_("Booth logo uploaded"),
    "booth.rejected": N_("Booth rejected"),
    "booth.requested": N_("Booth requested"),
    "booth.updated": N_("Booth updated"),
    "booth_message.answered": N_("Message at a booth answered"),
    "booth_message.left": N_("Message left at a booth"),
    "chat.abuse_reported": N_("Chat reported as abusive"),
    "chat.cv_shared": N_("CV shared in a chat"),
    "chat.ended": N_("Chat ended"),
    "chat.handed_off": N_("Chat handed to a colleague"),
    "chat.outcome_recorded": N_("Chat outcome recorded"),
    "chat.queue_joined": N_("Joined a booth's chat queue"),
    "chat.queue_left": N_("Left a booth's chat queue"),
    "chat.taken": N_("Chat started with the next applicant"),
    "chat.timer_set": N_("Chat timer set"),
    "chat.user_blocked": N_("User blocked from chatting in a fair"),
    "chat.video_link_set": N_("Video-call link added to a chat"),
    "company.invited": N_("Recruiter invited"),
    "company.joined": N_("Recruiter joined the company"),
    "company.registered": N_("Company registered"),
    "company.registration_refused": N_("Company registration with a known e-mail refused"),
    "company.rejected": N_("Company rejected"),
    "company.updated": N_("Company details updated"),
    "company.verified": N_("Company verified"),
    "cv.uploaded": N_("CV uploaded"),
    "cv.viewed": N_("CV viewed"),
    "decisions.released": N_("Decisions sent to applicants"),
    "decisions.undone": N_("Sent decisions undone"),
    "drive.created": N_("Hiring drive created"),
    "drive.fair_linked": N_("Fair linked to a hiring drive"),
    "drive.fair_unlinked": N_("Fair unlinked from a hiring drive"),
    "drive.partner_added": N_("Partner company added to a hiring drive"),
    "drive.partner_removed": N_("Partner company removed from a hiring drive"),
    "drive.placement_reported": N_("Direct placement reported"),
    "drive.updated": N_("Hiring drive updated"),
    "fair.cancelled": N_("Fair cancelled"),
    "fair.closed_early": N_("Fair closed early"),
    "fair.created": N_("Fair created"),
    "fair.deadline_closed": N_("Decision deadline passed"),
    "fair.deadline_moved": N_("Decision deadline moved"),
    "fair.extended": N_("Fair extended"),
    "fair.loaded": N_("Fair loaded from its definition file"),
    "fair.published": N_("Fair published"),
    "fair.updated": N_("Fair updated"),
    "mail.retried": N_("Failed e-mail sent again"),
    "interchange.ak1_imported": N_("AK/I numbers imported"),
    "interchange.exported": N_("Data exported for the ministry"),
    "network.trusted": N_("Network trusted"),
    "office.report_requested": N_("Office statistics requested"),
    "officer.profile_updated": N_("Officer profile updated"),
    "office.report_settings_updated": N_("Report letterhead and signer updated"),
    "network.untrusted": N_("Network no longer trusted"),
    "placement.confirmed": N_("Hire confirmed"),
    "placement.denied": N_("Hire denied"),
    "report.requested": N_("Report requested"),
    "slot.booked": N_("1:1 slot booked"),
    "slot.cancelled": N_("1:1 slot cancelled by the company"),
    "slot_booking.cancelled": N_("1:1 slot booking cancelled"),
    "slot_booking.marked": N_("1:1 slot attendance marked"),
    "slots.published": N_("1:1 slots published"),
    "user.created": N_("Account created"),
    "user.disabled": N_("Account disabled"),
    "user.enabled": N_("Account enabled"),
    "user.invited": N_("Organiser invited"),
    "user.password_reset": N_("Password reset"),
    "user.password_reset_requested": N_("Password reset requested"),
    "user.signed_in": N_("Signed in"),
    "vacancy.closed": N_("Vacancy closed"),
    "vacancy.created": N_("Vacancy created"),
    "vacancy.rejected": N_("Vacancy rejected"),
    "vacancy.updated": N_("Vacancy updated"),
    "vacancy.verified": N_("Vacancy verified"),
}


def action_label(code: str) -> str:
    """The action's name in the current language; an unknown (old) code as it is."""
    message = ACTION_LABELS.get(code)
    return gettext(message) if message else code


def action_choices() -> list[tuple[str, str]]:
    """``(code, label)`` of every known action, by label, for the viewer's filter."""
    return sorted(
        ((code, action_label(code)) for code in ACTION_LABELS), key=lambda pair: pair[1].casefold()
    )


def record(
    session: AsyncSession,
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    actor_user_id: int | None = None,
    fair_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row in the caller's transaction. ``data`` holds ids and codes only."""
    entry = AuditLog(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=actor_user_id,
        fair_id=fair_id,
        data=data or {},
    )
    session.add(entry)
    return entry


# ------------------------------------------------------------------------ viewer


def _optional_number(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    value = whole_number(raw)
    if value is None:
        raise ValueError("not a whole number")
    return value


def _optional_day(raw: Any) -> date | None:
    # date.fromisoformat, not pydantic's lax parsing (which reads digits as a timestamp).
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(raw)


def _page(raw: Any) -> int:
    """A page number never fails: anything but 1…99,999 is the first page."""
    return whole_number(raw, minimum=1, maximum=99_999) or 1


class AuditFilters(BaseModel):
    """The viewer's filters, read from a query string by :meth:`parse`."""

    model_config = ConfigDict(frozen=True)

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: Annotated[int | None, BeforeValidator(_optional_number)] = None
    date_from: Annotated[date | None, BeforeValidator(_optional_day)] = None
    date_to: Annotated[date | None, BeforeValidator(_optional_day)] = None
    page: Annotated[int, BeforeValidator(_page)] = 1

    # Longest text kept per filter; longer input is cut, not refused.
    LIMITS: ClassVar[dict[str, int]] = {"actor": 254, "action": 64, "object_type": 32}

    @field_validator("actor")
    @classmethod
    def _actor(cls, value: str) -> str:
        if value and "@" not in value and whole_number(value, minimum=1) is None:
            raise ValueError("an e-mail address or a user number")
        return value

    @field_validator("action")
    @classmethod
    def _action(cls, value: str) -> str:
        if value and not re.fullmatch(r"[a-z_.]+", value):
            raise ValueError("an action id")
        return value

    @field_validator("object_type")
    @classmethod
    def _object_type(cls, value: str) -> str:
        if value and not re.fullmatch(r"[a-z_]+", value):
            raise ValueError("an object type")
        return value

    @staticmethod
    def _messages() -> dict[str, str]:
        """The form's words per refused filter (pydantic's own are English and technical)."""
        return {
            "actor": gettext("Enter an e-mail address or a user number."),
            "action": gettext("An action looks like booth. or fair.published."),
            "object_type": gettext("An object type looks like fair, booth or user."),
            "object_id": gettext("Enter a number."),
            "date_from": gettext("Enter a date, for example 2026-11-03."),
            "date_to": gettext("Enter a date, for example 2026-11-03."),
        }

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> tuple[AuditFilters, dict[str, str]]:
        """Filters from a query string; a bad filter is dropped with a message."""
        raw: dict[str, Any] = {
            key: text(params.get(key))
            for key in ("actor", "action", "object_type", "object_id", "date_from", "date_to")
        }
        raw["page"] = text(params.get("page"))
        for key, limit in cls.LIMITS.items():
            raw[key] = raw[key][:limit]
        errors: dict[str, str] = {}
        messages = cls._messages()
        try:
            filters = cls.model_validate(raw)
        except ValidationError as error:
            for problem in error.errors():
                key = str(problem["loc"][0])
                errors[key] = messages[key]
                raw.pop(key)
            filters = cls.model_validate(raw)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            errors["date_to"] = gettext("The end date is before the start date.")
            filters = filters.model_copy(update={"date_to": None})
        return filters, errors

    def query_string(self, page: int) -> str:
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
class AuditObject:
    """What an entry is about, named for a person: ``fair_slug`` with ``company_slug``
    or ``vacancy_id`` says where it can be opened (a booth or a vacancy only while the
    public sees it); ``nib`` finds a company in the console's list."""

    name: str
    fair_slug: str | None = None
    company_slug: str | None = None
    vacancy_id: int | None = None
    nib: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class AuditRow:
    entry: AuditLog
    actor_email: str | None
    fair_slug: str | None
    object: AuditObject | None = None

    @property
    def label(self) -> str:
        return action_label(self.entry.action)


def _audit_scope(user: User) -> Any:
    """What an organiser may read: entries of the office's fairs, entries with no
    fair by or about the office's own staff, and those about the office's hiring drives
    and their direct placements (reported by companies, answered by applicants)."""
    office_fairs = select(Fair.id).where(Fair.office_id == user.office_id)
    office_staff = select(User.id).where(User.office_id == user.office_id)
    office_drives = select(Drive.id).where(Drive.office_id == user.office_id)
    drive_placements = select(DirectPlacement.id).where(DirectPlacement.drive_id.in_(office_drives))
    return or_(
        AuditLog.fair_id.in_(office_fairs),
        and_(AuditLog.object_type == "drive", AuditLog.object_id.in_(office_drives)),
        and_(
            AuditLog.object_type == "direct_placement",
            AuditLog.object_id.in_(drive_placements),
        ),
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
    if authority.without_office(user):
        return [], False
    actor = User.__table__.alias("actor")
    query = (
        select(AuditLog, actor.c.email, Fair.slug)
        .outerjoin(actor, actor.c.id == AuditLog.actor_user_id)
        .outerjoin(Fair, Fair.id == AuditLog.fair_id)
    )
    if not authority.is_admin(user):
        query = query.where(_audit_scope(user))
    if (actor_id := whole_number(filters.actor, minimum=1)) is not None:
        query = query.where(AuditLog.actor_user_id == actor_id)
    elif filters.actor:
        query = query.where(actor.c.email == normalise_email(filters.actor))
    if filters.action in ACTION_LABELS:
        query = query.where(AuditLog.action == filters.action)
    elif filters.action:
        # A prefix such as "fair." (older links and bookmarks).
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
        .limit(AUDIT_PAGE + 1)
        .offset((filters.page - 1) * AUDIT_PAGE)
    )
    rows = [AuditRow(entry, email, slug) for entry, email, slug in found]
    more = len(rows) > AUDIT_PAGE
    rows = rows[:AUDIT_PAGE]
    objects = await _objects(session, [row.entry for row in rows])
    return [
        AuditRow(
            row.entry,
            row.actor_email,
            row.fair_slug,
            objects.get((row.entry.object_type, row.entry.object_id)),
        )
        for row in rows
    ], more


async def _objects(
    session: AsyncSession, entries: list[AuditLog]
) -> dict[tuple[str, int | None], AuditObject]:
    """The names (and where to open them) of the objects of ``entries``, one query per
    kind; an object since deleted has none."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[tuple[str, int | None], AuditObject] = {}
    if ids := wanted.get("fair"):
        for fair_id, name, slug in await session.execute(
            select(Fair.id, Fair.name, Fair.slug).where(Fair.id.in_(ids))
        ):
            found[("fair", fair_id)] = AuditObject(name, fair_slug=slug)
    if ids := wanted.get("company"):
        for company_id, name, nib in await session.execute(
            select(Company.id, Company.name, Company.nib).where(Company.id.in_(ids))
        ):
            found[("company", company_id)] = AuditObject(name, nib=nib)
    if ids := wanted.get("booth"):
        for booth_id, company, slug, fair_name, fair_slug, public in await session.execute(
            select(Booth.id, Company.name, Company.slug, Fair.name, Fair.slug, is_public_booth())
            .join(Company, Company.id == Booth.company_id)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(Booth.id.in_(ids))
        ):
            found[("booth", booth_id)] = AuditObject(
                f"{company} · {fair_name}",
                fair_slug=fair_slug if public else None,
                company_slug=slug if public else None,
            )
    if ids := wanted.get("vacancy"):
        for vacancy_id, title, fair_slug, public in await session.execute(
            select(Vacancy.id, Vacancy.title, Fair.slug, is_public())
            .join(Fair, Fair.id == Vacancy.fair_id)
            .where(Vacancy.id.in_(ids))
        ):
            found[("vacancy", vacancy_id)] = AuditObject(
                title,
                fair_slug=fair_slug if public else None,
                vacancy_id=vacancy_id if public else None,
            )
    if ids := wanted.get("user"):
        for user_id, email in await session.execute(
            select(User.id, User.email).where(User.id.in_(ids))
        ):
            found[("user", user_id)] = AuditObject(email, user_id=user_id)
    return found
