"""Placement officers: an organiser's officer profile (NIP, functional position,
certification), walk-in registration of a job seeker on their behalf, and the officer
evaluation over a period.

The evaluation's figures, all per officer and for the office (its organisers), in a
:class:`~jobfair.services.periods.Period` of the office's zone (the definitions shown
with them are :data:`DEFINITIONS`):

- verifications decided: audit rows ``company.verified``/``company.rejected``,
  ``booth.approved``/``booth.rejected``, ``vacancy.verified``/``vacancy.rejected``
  whose actor is the officer and whose time is in the period (the audit log is where
  every decision is recorded, by whom and when);
- median time to decision: over those decisions, from the request (a company's
  registration, a booth's request, a vacancy's creation) to the decision;
- job seekers assisted: walk-in registrations the officer made in the period;
- placements helped to confirm: hires confirmed in the period by job seekers the
  officer registered (the data knows whom an officer helped, not who talked to whom);
- abuse reports handled: audit rows ``chat.abuse_report_decided`` by the officer.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import N_, gettext
from jobfair.models import (
    Applicant,
    Application,
    AuditLog,
    Booth,
    Company,
    LabourOffice,
    PasswordReset,
    Placement,
    User,
    Vacancy,
)
from jobfair.models.accounts import FunctionalPosition, Role
from jobfair.models.applications import is_confirmed
from jobfair.schemas.officers import OfficerProfile, WalkInRegistration
from jobfair.services import audit, auth
from jobfair.services.applicants import ALREADY_REGISTERED, register_applicant
from jobfair.services.errors import Conflict, PermissionDenied
from jobfair.services.identity import NO_PASSWORD, NikVault, token_hash
from jobfair.services.mail import queue_mail
from jobfair.services.periods import Period

POSITION_LABELS: dict[str, str] = {
    FunctionalPosition.PENGANTAR_KERJA_PERTAMA: N_("Pengantar Kerja Ahli Pertama"),
    FunctionalPosition.PENGANTAR_KERJA_MUDA: N_("Pengantar Kerja Ahli Muda"),
    FunctionalPosition.PENGANTAR_KERJA_MADYA: N_("Pengantar Kerja Ahli Madya"),
    FunctionalPosition.PENGANTAR_KERJA_UTAMA: N_("Pengantar Kerja Ahli Utama"),
    FunctionalPosition.PETUGAS_ANTAR_KERJA: N_("Petugas Antar Kerja"),
}

# The decisions counted, by kind: (action of approval, action of refusal).
DECISIONS: dict[str, tuple[str, str]] = {
    "company": ("company.verified", "company.rejected"),
    "booth": ("booth.approved", "booth.rejected"),
    "vacancy": ("vacancy.verified", "vacancy.rejected"),
}
ABUSE_DECIDED = "chat.abuse_report_decided"
FIGURES = (
    "companies",
    "booths",
    "vacancies",
    "decisions",
    "median_hours",
    "assisted",
    "placements",
    "abuse_reports",
)
DEFINITIONS: dict[str, str] = {
    "companies": N_(
        "Companies verified or rejected by the officer in the period, as the audit log "
        "records each decision."
    ),
    "booths": N_("Booth requests approved or rejected by the officer in the period."),
    "vacancies": N_("Vacancies verified or rejected by the officer in the period."),
    "decisions": N_("All verifications decided: companies, booths and vacancies."),
    "median_hours": N_(
        "The median time from the request (a company's registration, a booth's request, "
        "a vacancy's creation) to the decision, in hours, over the decisions counted. "
        "The office's figure is the median over all its decisions, not an average of "
        "the officers' medians."
    ),
    "assisted": N_(
        "Job seekers the officer registered at the office on their behalf (walk-in "
        "registration, with the person's consent recorded) in the period."
    ),
    "placements": N_(
        "Hires confirmed in the period by job seekers the officer registered: the "
        "platform records whom an officer registered, not every conversation."
    ),
    "abuse_reports": N_(
        "Abuse reports on chat messages decided by the officer in the period. It stays "
        "0 until the platform has abuse reports: it counts their decisions in the audit "
        "log."
    ),
}


def position_label(code: str | None) -> str:
    return gettext(POSITION_LABELS[code]) if code in POSITION_LABELS else ""


def _organiser(user: User) -> None:
    if user.role != Role.ORGANISER or user.office_id is None:
        raise PermissionDenied(gettext("You are not allowed to do that."))


# ------------------------------------------------------------------ the profile


async def update_profile(session: AsyncSession, user: User, values: OfficerProfile) -> User:
    """Change the signed-in organiser's officer profile; audited with the names of the
    fields that changed, never their values (a NIP is personal data)."""
    _organiser(user)
    row = await session.get(User, user.id)
    assert row is not None
    changed = []
    for name in ("nip", "functional_position", "certification", "certified_on"):
        value = getattr(values, name)
        value = value.value if isinstance(value, FunctionalPosition) else value
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    await session.flush()
    if changed:
        audit.record(
            session,
            "officer.profile_updated",
            object_type="user",
            object_id=row.id,
            actor_user_id=user.id,
            data={"fields": changed},
        )
    return row


# ---------------------------------------------------------- walk-in registration


@dataclass(frozen=True)
class WalkInResult:
    user_id: int
    # The SMS-ready text (with the set-password link), shown once to the officer and
    # never stored; None when the account went by e-mail.
    sms_text: str | None
    mailed_to: str | None


async def register_walk_in(
    session: AsyncSession,
    officer: User,
    values: WalkInRegistration,
    vault: NikVault,
    now: datetime,
    *,
    reset_page: str,
) -> WalkInResult:
    """Register a job seeker who came to the office, on the rules of self-registration
    (:func:`jobfair.services.applicants.register_applicant`), marked as assisted by
    ``officer``. The account has no password: the person chooses one through the
    password-reset link (valid :data:`auth.INVITATION_DAYS` days), sent by e-mail or
    given as SMS-ready text. Details another account holds are refused: the officer
    is told so (the person can sign in or reset the password), and the owner is
    mailed as for a self-registration. ``reset_page`` is the reset page's absolute
    address (services know no routes)."""
    _organiser(officer)
    user = await register_applicant(
        session,
        values,
        NO_PASSWORD,
        vault,
        now,
        assisted_by=officer,
    )
    if user is None:
        message = gettext(ALREADY_REGISTERED)
        raise Conflict(message, fields={"form": message})
    raw = auth.new_token()
    reset = PasswordReset(
        token_hash=token_hash(raw),
        user_id=user.id,
        created_at=now,
        expires_at=now + auth.INVITATION_LIFETIME,
    )
    session.add(reset)
    await session.flush()
    link = f"{reset_page}?token={raw}"
    office = await session.get(LabourOffice, officer.office_id)
    office_name = office.name if office else ""
    sign_in = values.email or values.phone or ""
    if values.handover == "email" and values.email:
        body = gettext(
            "%(office)s has registered you as a job seeker on the virtual job fair, with "
            "your agreement.\n\nTo choose your password, open this link within "
            "%(days)s days:\n%(link)s\n\nThen sign in with %(sign_in)s. If you did not ask "
            "for this, tell the labour office.",
            office=office_name,
            days=auth.INVITATION_DAYS,
            link=link,
            sign_in=sign_in,
        )
        await queue_mail(
            session,
            to_address=values.email,
            subject=gettext("Your job fair account"),
            body=body,
            dedupe_key=f"walk-in:{reset.id}",
            user_id=user.id,
        )
        handover = "email"
        result = WalkInResult(user.id, None, values.email)
    else:
        # Short, as one SMS is: the person opens the link on their phone.
        sms = gettext(
            "%(office)s: your job fair account is ready. Choose your password within "
            "%(days)s days: %(link)s then sign in with %(sign_in)s.",
            office=office_name,
            days=auth.INVITATION_DAYS,
            link=link,
            sign_in=sign_in,
        )
        handover = "sms"
        result = WalkInResult(user.id, sms, None)
    audit.record(
        session,
        "applicant.walk_in_registered",
        object_type="user",
        object_id=user.id,
        actor_user_id=officer.id,
        data={"handover": handover, "interchange_consent": values.interchange_consent},
    )
    return result


# ----------------------------------------------------------------- evaluation


@dataclass
class OfficerFigures:
    user_id: int | None  # None: the office's total
    name: str
    nip: str | None = None
    position: str | None = None
    certification: str | None = None
    companies: int = 0
    booths: int = 0
    vacancies: int = 0
    assisted: int = 0
    placements: int = 0
    abuse_reports: int = 0
    waits: list[float] = field(default_factory=list)  # seconds, one per decision

    @property
    def decisions(self) -> int:
        return self.companies + self.booths + self.vacancies

    @property
    def median_hours(self) -> float | None:
        """Median wait in hours, one decimal; None without decisions."""
        if not self.waits:
            return None
        return round(statistics.median(self.waits) / 3600, 1)

    def value(self, name: str) -> int | float | None:
        return getattr(self, name)


@dataclass(frozen=True)
class Evaluation:
    office: LabourOffice
    period: Period
    officers: list[OfficerFigures]
    total: OfficerFigures


async def _requests(session: AsyncSession, kind: str, ids: set[int]) -> dict[int, datetime]:
    """When each object was requested: the start of its wait for a decision."""
    if not ids:
        return {}
    column = {
        "company": (Company.id, Company.created_at),
        "booth": (Booth.id, Booth.requested_at),
        "vacancy": (Vacancy.id, Vacancy.created_at),
    }[kind]
    rows = await session.execute(select(*column).where(column[0].in_(ids)))
    return {row[0]: row[1] for row in rows}


async def evaluation(session: AsyncSession, office: LabourOffice, period: Period) -> Evaluation:
    """The officer evaluation of ``office`` over ``period`` (see the module docstring);
    every organiser of the office has a row, also one with nothing to count."""
    # An office has no zone of its own yet: the period is read in the default zone
    # (WIB), as the office statistics read it.
    opens, closes = period.utc_bounds()
    officers = list(
        await session.scalars(
            select(User)
            .where(User.office_id == office.id, User.role == Role.ORGANISER)
            .order_by(User.full_name, User.id)
        )
    )
    rows = {
        officer.id: OfficerFigures(
            officer.id,
            officer.full_name,
            officer.nip,
            officer.functional_position,
            officer.certification,
        )
        for officer in officers
    }
    ids = list(rows)
    in_period = (AuditLog.at >= opens, AuditLog.at < closes)
    kind_of = {action: kind for kind, pair in DECISIONS.items() for action in pair}
    decided = (
        await session.execute(
            select(AuditLog.actor_user_id, AuditLog.action, AuditLog.object_id, AuditLog.at).where(
                AuditLog.actor_user_id.in_(ids), AuditLog.action.in_(kind_of), *in_period
            )
        )
    ).all()
    by_kind: dict[str, set[int]] = defaultdict(set)
    for _actor, action, object_id, _at in decided:
        if object_id is not None:
            by_kind[kind_of[action]].add(object_id)
    requested = {kind: await _requests(session, kind, by_kind[kind]) for kind in DECISIONS}
    plural = {"company": "companies", "booth": "booths", "vacancy": "vacancies"}
    for actor, action, object_id, at in decided:
        row = rows[actor]
        kind = kind_of[action]
        setattr(row, plural[kind], getattr(row, plural[kind]) + 1)
        start = requested[kind].get(object_id) if object_id is not None else None
        if start is not None:
            # A request stamped after its decision (clock skew, a re-request) waits 0.
            row.waits.append(max(0.0, (at - start).total_seconds()))
    assisted = await session.execute(
        select(Applicant.assisted_by_user_id, func.count())
        .where(
            Applicant.assisted_by_user_id.in_(ids),
            Applicant.created_at >= opens,
            Applicant.created_at < closes,
        )
        .group_by(Applicant.assisted_by_user_id)
    )
    for actor, count in assisted:
        rows[actor].assisted = count
    placements = await session.execute(
        select(Applicant.assisted_by_user_id, func.count(Placement.id))
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(
            Applicant.assisted_by_user_id.in_(ids),
            is_confirmed(Placement.confirmation),
            Placement.confirmed_at >= opens,
            Placement.confirmed_at < closes,
        )
        .group_by(Applicant.assisted_by_user_id)
    )
    for actor, count in placements:
        rows[actor].placements = count
    abuse = await session.execute(
        select(AuditLog.actor_user_id, func.count())
        .where(AuditLog.actor_user_id.in_(ids), AuditLog.action == ABUSE_DECIDED, *in_period)
        .group_by(AuditLog.actor_user_id)
    )
    for actor, count in abuse:
        rows[actor].abuse_reports = count
    total = OfficerFigures(None, office.name)
    for row in rows.values():
        for name in ("companies", "booths", "vacancies", "assisted", "placements", "abuse_reports"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.waits.extend(row.waits)
    return Evaluation(office, period, list(rows.values()), total)


LABELS: dict[str, str] = {
    "companies": N_("Companies decided"),
    "booths": N_("Booths decided"),
    "vacancies": N_("Vacancies decided"),
    "decisions": N_("Verifications decided"),
    "median_hours": N_("Median hours to a decision"),
    "assisted": N_("Job seekers assisted"),
    "placements": N_("Placements helped to confirm"),
    "abuse_reports": N_("Abuse reports handled"),
}


def table(result: Evaluation) -> dict[str, Any]:
    """The evaluation as plain data in the current language, for the page and the
    PDF/XLSX files (:mod:`jobfair.stats.evaluation_exports`): the officer columns, one
    row per officer, the office's total and the definitions."""
    from jobfair.reference.nip import grouped

    def figures(row: OfficerFigures) -> list[int | float | None]:
        return [row.value(name) for name in FIGURES]

    return {
        "office": result.office.name,
        "period": result.period.label(),
        "period_key": result.period.key,
        "heading": [gettext(N_("Officer")), "NIP", gettext(N_("Position"))],
        "columns": [gettext(LABELS[name]) for name in FIGURES],
        "rows": [
            {
                "name": row.name,
                "nip": grouped(row.nip) if row.nip else "",
                "position": position_label(row.position),
                "certification": row.certification or "",
                "figures": figures(row),
            }
            for row in result.officers
        ],
        "total": {"name": gettext(N_("Office total")), "figures": figures(result.total)},
        "definitions": [(gettext(LABELS[name]), gettext(DEFINITIONS[name])) for name in FIGURES],
    }
