"""Companies: registration, recruiters and invitations, booths (request, organiser
decision, editing, logo) and vacancies (Perpres 57/2023 fields, organiser verification).

Every object is reached through the recruiter's own company: an id belonging to
another company answers 404, exactly like an id that does not exist.
"""

from __future__ import annotations

import asyncio
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import AfterValidator, BeforeValidator, Field
from sqlalchemy import Select, exists, func, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.uow import after_commit
from jobfair.i18n import N_, gettext, ngettext
from jobfair.live import signals
from jobfair.models import (
    Booth,
    Company,
    CompanyInvitation,
    Fair,
    LabourOffice,
    OfficeVerification,
    Recruiter,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.companies import (
    BOOTH_CONTENT,
    BoothStatus,
    CompanyVerification,
    RecruiterRole,
    is_public_booth,
)
from jobfair.models.fairs import FairPhase, FairStatus
from jobfair.models.vacancies import VacancyStatus, VacancyVerification
from jobfair.reference.kbli import kbli_section
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.companies import BoothInput, CompanyInput, CompanyRegistration, VacancyInput
from jobfair.services import audit, authority
from jobfair.services.accounts import NewPassword, check_email, normalise_email
from jobfair.services.auth import (
    INVITATION_DAYS,
    INVITATION_LIFETIME,
    tell_registration_attempt,
)
from jobfair.services.authority import organiser_may
from jobfair.services.catalogue import MAX_KEYWORD, kbli_code_or_section, keyword
from jobfair.services.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    UnsupportedMediaType,
    ValidationFailed,
)
from jobfair.services.filters import FilterSet, blank_to_none, known_regency, upper_code
from jobfair.services.formats import REASON_MAX
from jobfair.services.identity import token_hash
from jobfair.services.mail import queue_mail
from jobfair.services.numbers import whole_number
from jobfair.services.screening import membership

LOGO_MAX_BYTES = 1024 * 1024
# A logo is shown at most a few hundred pixels wide; 4000 × 4000 leaves room for any
# real one and keeps a decode to about 64 MB.
LOGO_MAX_SIDE = 4000
LOGO_MAX_PIXELS = LOGO_MAX_SIDE * LOGO_MAX_SIDE
LOGO_TYPES = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def _slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "perusahaan"
    return slug


# -------------------------------------------------------------------- companies


NIB_TAKEN = N_("A company with this NIB is already registered; ask its owner to invite you.")


async def register_company(
    session: AsyncSession, registration: CompanyRegistration, password_hash: str, now: datetime
) -> User | None:
    """A company and its first recruiter (the owner). Each labour office verifies it
    for its own fairs (see ``models.companies``). A NIB on the platform is said (a
    company's NIB is public, and its owner invites the newcomer); an e-mail address
    already on an account is not: no company is made, the address's owner is mailed
    and None is returned, and the caller answers as for a new company.
    ``password_hash`` is the registration's password, hashed before the unit of work
    (for a known address too, so it takes as long as a new one)."""
    values = registration.model_dump(exclude={"email", "password"})
    email = registration.email
    if await session.scalar(
        select(func.count()).select_from(Company).where(Company.nib == values["nib"])
    ):
        message = gettext(NIB_TAKEN)
        raise Conflict(gettext("Please check the form."), fields={"nib": message})
    owner = await session.scalar(select(User).where(User.email == email))
    if owner is not None:
        await tell_registration_attempt(session, [owner], now)
        audit.record(
            session, "company.registration_refused", object_type="user", object_id=owner.id
        )
        return None
    slug = _slugify(values["name"])
    while await session.scalar(
        select(func.count()).select_from(Company).where(Company.slug == slug)
    ):
        slug = f"{_slugify(values['name'])[:52]}-{secrets.token_hex(3)}"
    user = User(
        email=email,
        password_hash=password_hash,
        role=Role.RECRUITER,
        full_name=values["contact_name"],
        created_at=now,
    )
    company = Company(
        slug=slug,
        kbli_section=kbli_section(values["kbli"]).letter,
        contact_email=email,
        created_at=now,
        **{
            key: values[key]
            for key in (
                "name",
                "nib",
                "npwp",
                "kbli",
                "employer_type",
                "regency_code",
                "website",
                "description",
                "contact_name",
                "contact_phone",
            )
        },
    )
    try:
        async with session.begin_nested():
            session.add_all([user, company])
            await session.flush()
            session.add(Recruiter(company_id=company.id, user_id=user.id, role=RecruiterRole.OWNER))
            await session.flush()
    except IntegrityError:
        # A registration racing this one took the NIB or the address first.
        raise Conflict(
            gettext("Please check the form."), fields={"nib": gettext(NIB_TAKEN)}
        ) from None
    audit.record(
        session,
        "company.registered",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
    )
    return user


async def my_company(session: AsyncSession, user: User) -> Company:
    member = await membership(session, user)
    company = await session.get(Company, member.company_id)
    assert company is not None
    return company


async def update_company(session: AsyncSession, user: User, details: CompanyInput) -> Company:
    member = await membership(session, user)
    if member.role != RecruiterRole.OWNER:
        raise PermissionDenied(gettext("Only the company's owner can do this."))
    values = details.model_dump()
    company = await session.get(Company, member.company_id)
    assert company is not None
    if values["nib"] != company.nib:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={"nib": gettext("The NIB cannot be changed; ask the labour office.")},
        )
    for key, value in values.items():
        setattr(company, key, value)
    company.kbli_section = kbli_section(company.kbli).letter
    audit.record(
        session,
        "company.updated",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
    )
    return company


async def team(
    session: AsyncSession, user: User
) -> tuple[list[tuple[User, str]], list[CompanyInvitation]]:
    member = await membership(session, user)
    people = [
        (u, role)
        for u, role in (
            await session.execute(
                select(User, Recruiter.role)
                .join(Recruiter, Recruiter.user_id == User.id)
                .where(Recruiter.company_id == member.company_id)
                .order_by(User.full_name)
            )
        ).all()
    ]
    invitations = list(
        await session.scalars(
            select(CompanyInvitation)
            .where(
                CompanyInvitation.company_id == member.company_id,
                CompanyInvitation.accepted_at.is_(None),
            )
            .order_by(CompanyInvitation.id)
        )
    )
    return people, invitations


# Invitations a company may send per day: a self-registered company that no office
# has verified yet could otherwise use the platform's mail to reach any address.
INVITATIONS_PER_DAY_VERIFIED = 50
INVITATIONS_PER_DAY_UNVERIFIED = 5


async def _check_invitation_quota(session: AsyncSession, company: Company, now: datetime) -> None:
    # Verified by at least one office: someone has checked the company is real.
    verified = await session.scalar(
        select(
            exists().where(
                OfficeVerification.company_id == company.id,
                OfficeVerification.status == CompanyVerification.VERIFIED,
            )
        )
    )
    limit = INVITATIONS_PER_DAY_VERIFIED if verified else INVITATIONS_PER_DAY_UNVERIFIED
    sent = await session.scalar(
        select(func.count())
        .select_from(CompanyInvitation)
        .where(
            CompanyInvitation.company_id == company.id,
            CompanyInvitation.created_at > now - timedelta(days=1),
        )
    )
    if (sent or 0) >= limit:
        message = gettext(
            "Your company has sent %(limit)s invitations in the last day. Please wait "
            "before inviting more.",
            limit=limit,
        )
        raise RateLimited(message, fields={"email": message})


async def invite(
    session: AsyncSession, user: User, email: str, now: datetime, *, join_page: str
) -> CompanyInvitation:
    """Invite a recruiter; ``join_page`` is the join page's absolute address (from the
    caller: services know no routes)."""
    member = await membership(session, user)
    if member.role != RecruiterRole.OWNER:
        raise PermissionDenied(gettext("Only the company's owner can do this."))
    email = normalise_email(email or "")
    if check_email(email):
        message = gettext("Enter a valid e-mail address.")
        raise ValidationFailed(message, fields={"email": message})
    if await session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        message = gettext("This e-mail address already has an account; invite another address.")
        raise Conflict(message, fields={"email": message})
    company = await session.get(Company, member.company_id)
    assert company is not None
    await _check_invitation_quota(session, company, now)
    raw = secrets.token_urlsafe(32)
    invitation = CompanyInvitation(
        company_id=company.id,
        email=email,
        token_hash=token_hash(raw),
        invited_by_user_id=user.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(invitation)
    await session.flush()
    link = f"{join_page}?token={raw}"
    await queue_mail(
        session,
        to_address=email,
        # A fixed subject: the company's name is the inviter's own text, and a subject
        # line is where a phishing mail would put its hook.
        subject=gettext("Invitation to recruit at the virtual job fair"),
        body=ngettext(
            "%(name)s invites you to recruit for %(company)s at the virtual job fair.\n\n"
            "Open this link within %(num)s day to create your account:\n%(link)s",
            "%(name)s invites you to recruit for %(company)s at the virtual job fair.\n\n"
            "Open this link within %(num)s days to create your account:\n%(link)s",
            INVITATION_DAYS,
            name=user.full_name,
            company=company.name,
            link=link,
        ),
        dedupe_key=f"invitation:{invitation.id}",
    )
    audit.record(
        session,
        "company.invited",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
    )
    return invitation


async def invitation_for(
    session: AsyncSession, raw: str, now: datetime
) -> tuple[CompanyInvitation, Company]:
    invitation = await session.scalar(
        select(CompanyInvitation).where(CompanyInvitation.token_hash == token_hash(raw or ""))
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= now:
        raise NotFound(gettext("This link is invalid or has expired. Ask for a new one."))
    company = await session.get(Company, invitation.company_id)
    assert company is not None
    return invitation, company


async def accept_invitation(
    session: AsyncSession, raw: str, full_name: str, password: NewPassword, now: datetime
) -> User:
    invitation, company = await invitation_for(session, raw, now)
    errors = {}
    full_name = " ".join((full_name or "").split())
    if not 2 <= len(full_name) <= 200:
        errors["full_name"] = gettext("Enter your full name as on your KTP.")
    if message := password.error():
        errors["password"] = message
    if errors:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    if await session.scalar(
        select(func.count()).select_from(User).where(User.email == invitation.email)
    ):
        raise Conflict(gettext("This is already registered. Sign in, or reset your password."))
    user = User(
        email=invitation.email,
        password_hash=password.stored,
        role=Role.RECRUITER,
        full_name=full_name,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    session.add(Recruiter(company_id=company.id, user_id=user.id, role=RecruiterRole.RECRUITER))
    invitation.accepted_at = now
    audit.record(
        session,
        "company.joined",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
    )
    return user


# ----------------------------------------------------------------------- booths


async def open_fairs_for_booths(session: AsyncSession, now: datetime) -> list[Fair]:
    """Published fairs that have not closed: a company may ask for a booth there."""
    return list(
        await session.scalars(
            select(Fair)
            .where(Fair.status == FairStatus.PUBLISHED, Fair.closes_at > now)
            .order_by(Fair.opens_at)
        )
    )


async def my_booths(session: AsyncSession, user: User) -> list[tuple[Booth, Fair]]:
    member = await membership(session, user)
    return [
        (b, f)
        for b, f in (
            await session.execute(
                select(Booth, Fair)
                .join(Fair, Fair.id == Booth.fair_id)
                .where(Booth.company_id == member.company_id)
                .order_by(Fair.opens_at.desc())
            )
        ).all()
    ]


async def request_booth(session: AsyncSession, user: User, fair_slug: str, now: datetime) -> Booth:
    member = await membership(session, user)
    fair = await session.scalar(select(Fair).where(Fair.slug == fair_slug))
    if fair is None or fair.status != FairStatus.PUBLISHED:
        raise NotFound(gettext("We could not find that page."))
    if fair.phase(now) in (FairPhase.CLOSED, FairPhase.CANCELLED):
        raise Conflict(gettext("The fair is closed; applications are no longer accepted."))
    existing = await session.scalar(
        select(Booth).where(Booth.fair_id == fair.id, Booth.company_id == member.company_id)
    )
    if existing is not None:
        raise Conflict(gettext("Your company already has a booth in this fair."))
    booth = Booth(
        fair_id=fair.id,
        company_id=member.company_id,
        status=BoothStatus.REQUESTED,
        requested_at=now,
    )
    session.add(booth)
    await session.flush()
    audit.record(
        session,
        "booth.requested",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=user.id,
        fair_id=fair.id,
    )
    return booth


async def company_booth(session: AsyncSession, user: User, booth_id: int) -> Booth:
    member = await membership(session, user)
    booth = await session.get(Booth, booth_id)
    if booth is None or booth.company_id != member.company_id:
        raise NotFound(gettext("We could not find that page."))
    return booth


def booth_shown(booth: Booth) -> dict[str, str | None]:
    """What the company last said on its booth: the approved content with the edits
    still waiting for review laid over it (the company's form shows this)."""
    shown = {field: getattr(booth, field) for field in BOOTH_CONTENT}
    shown.update(booth.pending_changes or {})
    return shown


def _say_on_booth(booth: Booth, changes: dict[str, str | None], now: datetime) -> list[str]:
    """Apply a company's edits: straight to a booth not yet on show (the office reviews
    it whole when deciding the booth), to ``pending_changes`` of an approved one, so the
    public keeps seeing what the office checked (issue 12, item 7). Returns the fields
    that differ from the approved content."""
    if booth.status != BoothStatus.APPROVED:
        for field, value in changes.items():
            setattr(booth, field, value)
        return list(changes)
    pending = {**(booth.pending_changes or {}), **changes}
    # An edit back to the approved value is no change to review.
    pending = {field: value for field, value in pending.items() if getattr(booth, field) != value}
    booth.pending_changes = pending or None
    booth.changes_submitted_at = now if pending else None
    return sorted(pending)


async def update_booth(
    session: AsyncSession, user: User, booth_id: int, says: BoothInput, now: datetime
) -> Booth:
    booth = await company_booth(session, user, booth_id)
    changes = {
        "description": says.description,
        "video_url": says.video_url,
        "contact_email": says.contact_email,
        "contact_phone": says.contact_phone,
    }
    shown = booth_shown(booth)
    changes = {field: value for field, value in changes.items() if shown[field] != value}
    if not changes:
        return booth
    said = _say_on_booth(booth, changes, now)
    waiting = said if booth.status == BoothStatus.APPROVED else []
    audit.record(
        session,
        "booth.updated",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
        data={
            "fields": sorted(changes),
            "awaiting_review": waiting if booth.pending_changes else [],
        },
    )
    return booth


def check_logo(data: bytes) -> str:
    """Validate a logo (PNG, JPEG or WebP by content, ≤ 1 MB, a real image); returns
    the file extension to store it under."""
    if not data:
        message = gettext("The file is empty.")
        raise ValidationFailed(message, fields={"logo": message})
    if len(data) > LOGO_MAX_BYTES:
        message = gettext("The logo is larger than 1 MB.")
        raise PayloadTooLarge(message, fields={"logo": message})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            # The header's size, read before any pixel is decoded: a small file may
            # announce an image that takes gigabytes to decode.
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                message = gettext(
                    "The logo is too large in pixels: at most %(width)s × %(height)s.",
                    width=LOGO_MAX_SIDE,
                    height=LOGO_MAX_SIDE,
                )
                raise PayloadTooLarge(message, fields={"logo": message})
            image.verify()
    except (
        UnidentifiedImageError,
        # An image announcing more pixels than Pillow will ever decode: a bomb.
        Image.DecompressionBombError,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        message = gettext("The logo must be a PNG, JPEG or WebP image.")
        raise UnsupportedMediaType(message, fields={"logo": message}) from exc
    if kind not in LOGO_TYPES:
        message = gettext("The logo must be a PNG, JPEG or WebP image.")
        raise UnsupportedMediaType(message, fields={"logo": message})
    return LOGO_TYPES[kind]


async def store_logo(
    session: AsyncSession,
    user: User,
    booth_id: int,
    data: bytes,
    uploads_dir: Path,
    now: datetime,
) -> Booth:
    booth = await company_booth(session, user, booth_id)
    name = await save_logo(data, uploads_dir)
    folder = uploads_dir / "logos"
    # The file this one replaces: the waiting one of an approved booth (the approved
    # logo stays on show until the office accepts the new one), else the current one.
    old = booth_shown(booth)["logo_file"]
    if old == booth.logo_file and booth.status == BoothStatus.APPROVED:
        old = None
    _say_on_booth(booth, {"logo_file": name}, now)

    if old:
        remove_logo_after_commit(session, folder, old)
    audit.record(
        session,
        "booth.logo_uploaded",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
    )
    return booth


async def save_logo(data: bytes, uploads_dir: Path) -> str:
    """Check a logo (:func:`check_logo`) and store it under ``uploads/logos`` with a
    random name, which it returns: booths' and labour offices' logos alike, served by
    ``media:logo``."""
    extension = await asyncio.to_thread(check_logo, data)
    folder = uploads_dir / "logos"
    name = f"{secrets.token_hex(16)}.{extension}"

    def write() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    await asyncio.to_thread(write)
    return name


def remove_logo_after_commit(session: AsyncSession, folder: Path, name: str) -> None:
    """Delete a logo file nobody shows any more, once the change that dropped it is
    committed (a rolled-back change keeps its file)."""

    async def remove() -> None:
        await asyncio.to_thread((folder / name).unlink, missing_ok=True)

    after_commit(session, remove)


async def _office_booth(
    session: AsyncSession, organiser: User, booth_id: int
) -> tuple[Booth, Fair]:
    """A booth and its fair for an organiser of the fair's office (else not found)."""
    booth = await session.get(Booth, booth_id)
    fair = await session.get(Fair, booth.fair_id) if booth else None
    if booth is None or fair is None:
        raise NotFound(gettext("We could not find that page."))
    organiser_may(organiser, fair)
    return booth, fair


def _decision_reason(approve: bool, reason: str | None) -> str | None:
    """An organiser's reason: required to reject, at most REASON_MAX characters."""
    reason = (reason or "").strip()
    if not approve and not reason:
        message = gettext("Say why, so the company can correct it.")
        raise ValidationFailed(message, fields={"reason": message})
    if len(reason) > REASON_MAX:
        message = gettext("At most %(limit)s characters.", limit=REASON_MAX)
        raise ValidationFailed(message, fields={"reason": message})
    return reason or None


# Why an office cannot approve a booth of a company it rejected (the queue shows it).
REJECTED_HERE = N_(
    "Your office has rejected this company. Verify the company on the companies page "
    "before approving its booth."
)


class CompanyRejectedHere(Conflict):
    """A booth approval refused: the fair's office has rejected the company."""


async def decide_booth(
    session: AsyncSession,
    organiser: User,
    booth_id: int,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> Booth:
    """An organiser of the fair's office approves or rejects a booth (a reason is
    required to reject); approving also verifies the company for that office when the
    office has not decided yet. A company the office rejected is verified again first
    (on the companies page): approving its booth would not put it on show."""
    booth, fair = await _office_booth(session, organiser, booth_id)
    reason = _decision_reason(approve, reason)
    if approve:
        decision = await office_verification(session, booth.company_id, fair.office_id)
        if decision is not None and decision.status == CompanyVerification.REJECTED:
            raise CompanyRejectedHere(gettext(REJECTED_HERE))
        if decision is None or decision.status == CompanyVerification.PENDING:
            _record_verification(
                session, decision, booth.company_id, fair.office_id, organiser, True, None, now
            )
    booth.status = BoothStatus.APPROVED if approve else BoothStatus.REJECTED
    booth.decision_reason = reason
    booth.decided_at = now
    audit.record(
        session,
        "booth.approved" if approve else "booth.rejected",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=organiser.id,
        fair_id=fair.id,
    )
    signals.fair_changed(session, fair.id)
    return booth


async def decide_booth_changes(
    session: AsyncSession,
    organiser: User,
    booth_id: int,
    approve: bool,
    reason: str | None,
    now: datetime,
    *,
    uploads_dir: Path | None = None,
) -> Booth:
    """An organiser of the fair's office accepts a booth's waiting edits (they go on
    show) or turns them down with a reason (they are dropped; the approved content
    stays). Either way the file of a logo nobody shows any more is removed."""
    booth, fair = await _office_booth(session, organiser, booth_id)
    if not booth.pending_changes:
        raise NotFound(gettext("We could not find that page."))
    reason = _decision_reason(approve, reason)
    pending = dict(booth.pending_changes)
    unused = booth.logo_file if approve else pending.get("logo_file")
    if approve:
        for field, value in pending.items():
            setattr(booth, field, value)
    if "logo_file" in pending and unused and uploads_dir is not None:
        remove_logo_after_commit(session, uploads_dir / "logos", unused)
    booth.pending_changes = None
    booth.changes_submitted_at = None
    booth.changes_reason = None if approve else reason
    audit.record(
        session,
        "booth.changes_approved" if approve else "booth.changes_rejected",
        object_type="booth",
        object_id=booth.id,
        actor_user_id=organiser.id,
        fair_id=fair.id,
        data={"fields": sorted(pending)},
    )
    signals.fair_changed(session, fair.id)
    return booth


# ---------------------------------------------------------------------- vacancies


async def create_vacancy(
    session: AsyncSession, user: User, booth_id: int, details: VacancyInput, now: datetime
) -> Vacancy:
    booth = await company_booth(session, user, booth_id)
    if booth.status == BoothStatus.REJECTED:
        raise Conflict(gettext("This booth was rejected; vacancies cannot be added."))
    vacancy = Vacancy(
        booth_id=booth.id,
        fair_id=booth.fair_id,
        status=VacancyStatus.OPEN,
        verification=VacancyVerification.PENDING,
        created_at=now,
        updated_at=now,
        **details.columns(),
    )
    session.add(vacancy)
    await session.flush()
    audit.record(
        session,
        "vacancy.created",
        object_type="vacancy",
        object_id=vacancy.id,
        actor_user_id=user.id,
        fair_id=booth.fair_id,
    )
    return vacancy


async def company_vacancy(session: AsyncSession, user: User, vacancy_id: int) -> Vacancy:
    member = await membership(session, user)
    vacancy = await session.scalar(
        select(Vacancy)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .where(Vacancy.id == vacancy_id, Booth.company_id == member.company_id)
    )
    if vacancy is None:
        raise NotFound(gettext("We could not find that vacancy."))
    return vacancy


async def update_vacancy(
    session: AsyncSession, user: User, vacancy_id: int, details: VacancyInput, now: datetime
) -> Vacancy:
    """Edit a vacancy. A change to a verified vacancy sends it back to verification, so
    what the public sees is always what an organiser checked."""
    vacancy = await company_vacancy(session, user, vacancy_id)
    values = details.columns()
    changed = [key for key, value in values.items() if getattr(vacancy, key) != value]
    for key in changed:
        setattr(vacancy, key, values[key])
    if changed:
        vacancy.verification = VacancyVerification.PENDING
        vacancy.verification_reason = None
        vacancy.updated_at = now
        audit.record(
            session,
            "vacancy.updated",
            object_type="vacancy",
            object_id=vacancy.id,
            actor_user_id=user.id,
            fair_id=vacancy.fair_id,
            data={"fields": changed},
        )
    return vacancy


async def close_vacancy(
    session: AsyncSession, user: User, vacancy_id: int, now: datetime
) -> Vacancy:
    vacancy = await company_vacancy(session, user, vacancy_id)
    if vacancy.status != VacancyStatus.CLOSED:
        vacancy.status = VacancyStatus.CLOSED
        vacancy.updated_at = now
        audit.record(
            session,
            "vacancy.closed",
            object_type="vacancy",
            object_id=vacancy.id,
            actor_user_id=user.id,
            fair_id=vacancy.fair_id,
        )
    return vacancy


async def verify_vacancy(
    session: AsyncSession,
    organiser: User,
    vacancy_id: int,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> Vacancy:
    vacancy = await session.get(Vacancy, vacancy_id)
    fair = await session.get(Fair, vacancy.fair_id) if vacancy else None
    if vacancy is None or fair is None:
        raise NotFound(gettext("We could not find that vacancy."))
    organiser_may(organiser, fair)
    reason = _decision_reason(approve, reason)
    vacancy.verification = VacancyVerification.VERIFIED if approve else VacancyVerification.REJECTED
    vacancy.verification_reason = reason
    vacancy.verified_at = now
    audit.record(
        session,
        "vacancy.verified" if approve else "vacancy.rejected",
        object_type="vacancy",
        object_id=vacancy.id,
        actor_user_id=organiser.id,
        fair_id=fair.id,
    )
    signals.fair_changed(session, fair.id)
    return vacancy


async def verification_queue(
    session: AsyncSession, organiser: User, fair_slug: str
) -> tuple[Fair, list[Booth], list[Vacancy]]:
    fair = await session.scalar(select(Fair).where(Fair.slug == fair_slug))
    if fair is None:
        raise NotFound(gettext("We could not find that page."))
    organiser_may(organiser, fair)
    booths = list(
        await session.scalars(
            select(Booth)
            .where(Booth.fair_id == fair.id, Booth.status == BoothStatus.REQUESTED)
            .order_by(Booth.requested_at)
        )
    )
    vacancies = list(
        await session.scalars(
            select(Vacancy)
            .where(Vacancy.fair_id == fair.id, Vacancy.verification == VacancyVerification.PENDING)
            .order_by(Vacancy.updated_at)
        )
    )
    return fair, booths, vacancies


async def booth_changes_queue(session: AsyncSession, fair: Fair) -> list[Booth]:
    """Approved booths of ``fair`` whose edits wait for review, oldest first."""
    return list(
        await session.scalars(
            select(Booth)
            .where(
                Booth.fair_id == fair.id,
                Booth.status == BoothStatus.APPROVED,
                Booth.pending_changes.is_not(None),
            )
            .order_by(Booth.changes_submitted_at)
        )
    )


async def booth_vacancies(
    session: AsyncSession, user: User, booth_id: int
) -> tuple[Booth, list[Vacancy]]:
    booth = await company_booth(session, user, booth_id)
    vacancies = list(
        await session.scalars(
            select(Vacancy).where(Vacancy.booth_id == booth.id).order_by(Vacancy.id)
        )
    )
    return booth, vacancies


# ------------------------------------------------ the organiser console's companies

# One page of the console's company list.
COMPANIES_PAGE = 50


@dataclass(frozen=True)
class OfficeDecision:
    """One office's decision on a company, as shown to that office and to the company
    (``status`` pending when the office has not decided)."""

    office: LabourOffice
    status: str
    reason: str | None = None
    decided_at: datetime | None = None


@dataclass
class CompanyRow:
    company: Company
    booths: list[tuple[Booth, Fair]] = field(default_factory=list)
    # The viewer's office's decision (an admin: every office the company has booths with).
    decisions: list[OfficeDecision] = field(default_factory=list)


async def office_verification(
    session: AsyncSession, company_id: int, office_id: int
) -> OfficeVerification | None:
    return await session.scalar(
        select(OfficeVerification).where(
            OfficeVerification.company_id == company_id,
            OfficeVerification.office_id == office_id,
        )
    )


def _record_verification(
    session: AsyncSession,
    row: OfficeVerification | None,
    company_id: int,
    office_id: int,
    user: User,
    approve: bool,
    reason: str | None,
    now: datetime,
) -> OfficeVerification:
    if row is None:
        row = OfficeVerification(company_id=company_id, office_id=office_id)
        session.add(row)
    row.status = CompanyVerification.VERIFIED if approve else CompanyVerification.REJECTED
    row.reason = reason
    row.decided_by_user_id = user.id
    row.decided_at = now
    return row


def _status_in_office(office_id: Any) -> Any:
    """The company's status in the office ``office_id`` (a column or a value): the
    office's decision, or pending when it has none."""
    return func.coalesce(
        select(OfficeVerification.status)
        .where(
            OfficeVerification.company_id == Company.id,
            OfficeVerification.office_id == office_id,
        )
        .correlate_except(OfficeVerification)
        .scalar_subquery(),
        literal(CompanyVerification.PENDING.value),
    )


def _page(value: Any) -> int:
    """A page number never fails: anything but 1…99,999 is the first page."""
    return whole_number(str(value or ""), minimum=1, maximum=99_999) or 1


VerificationStatus = Literal[tuple(s.value for s in CompanyVerification)]  # type: ignore[valid-type]


class CompanyFilters(FilterSet):
    """The console's company list: a keyword in the name or the NIB, the status in the
    viewer's office, a KBLI section letter or leading digits of a code, the company's
    regency, and the page."""

    q: Annotated[str | None, BeforeValidator(keyword)] = Field(default=None, max_length=MAX_KEYWORD)
    status: Annotated[VerificationStatus | None, BeforeValidator(blank_to_none)] = None
    kbli: Annotated[
        str | None, BeforeValidator(upper_code), AfterValidator(kbli_code_or_section)
    ] = None
    regency: Annotated[
        str | None, BeforeValidator(blank_to_none), AfterValidator(known_regency)
    ] = None
    page: Annotated[int, BeforeValidator(_page)] = 1

    messages: ClassVar = {
        "q": FieldMessage(N_("At most %(limit)s characters."), {"limit": MAX_KEYWORD}),
        "status": FieldMessage(N_("Unknown choice.")),
        "kbli": FieldMessage(N_("Give a KBLI section letter A–U or 1 to 5 digits of a KBLI code.")),
        "regency": FieldMessage(N_("Choose a regency or a city from the list.")),
    }

    def as_params(self, page: int | None = None) -> dict[str, str]:
        """The filters as query values (empty ones left out), on ``page`` if given."""
        params = {
            name: str(value) for name, value in self.model_dump(exclude={"page"}).items() if value
        }
        number = self.page if page is None else page
        if number > 1:
            params["page"] = str(number)
        return params

    @property
    def active(self) -> bool:
        return bool(self.q or self.status or self.kbli or self.regency)


def _company_conditions(filters: CompanyFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.q:
        conditions.append(
            or_(
                func.lower(Company.name).contains(filters.q.lower(), autoescape=True),
                Company.nib.startswith(filters.q, autoescape=True),
            )
        )
    if filters.kbli:
        if filters.kbli.isdigit():
            conditions.append(Company.kbli.startswith(filters.kbli, autoescape=True))
        else:
            conditions.append(Company.kbli_section == filters.kbli)
    if filters.regency:
        conditions.append(Company.regency_code == filters.regency)
    return conditions


def company_query(user: User, status: str | None) -> Select[tuple[Company]]:
    """Companies ``user`` may see: an organiser those that asked for a booth in one of
    the office's fairs, an admin every company. ``status`` is the company's status in
    the viewer's office (an admin: in any office it has a booth with)."""
    query = select(Company)
    if not authority.is_admin(user):
        query = query.where(
            Company.id.in_(
                select(Booth.company_id)
                .join(Fair, Fair.id == Booth.fair_id)
                .where(Fair.office_id == user.office_id)
            )
        )
    if status:
        booth_offices = (
            select(Booth.id)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(
                Booth.company_id == Company.id,
                Fair.id.in_(authority.scoped_fairs(user)),
                _status_in_office(Fair.office_id) == status,
            )
        )
        query = query.where(booth_offices.exists())
    return query


async def list_companies(
    session: AsyncSession,
    user: User,
    status: str | None = None,
    page: int = 1,
    *,
    filters: CompanyFilters | None = None,
) -> tuple[list[CompanyRow], bool]:
    """One page of visible companies, newest first, each with its booths in the visible
    fairs and the decisions of the viewer's office (an admin: of each office those
    fairs belong to); and whether another page follows. ``filters`` (the console's
    search) wins over ``status`` and ``page``."""
    if filters is None:
        filters, _errors = CompanyFilters.parse_lenient({"status": status or "", "page": page})
    page = filters.page
    found = list(
        await session.scalars(
            company_query(user, filters.status)
            .where(*_company_conditions(filters))
            .order_by(Company.created_at.desc(), Company.id.desc())
            .limit(COMPANIES_PAGE + 1)
            .offset((page - 1) * COMPANIES_PAGE)
        )
    )
    more = len(found) > COMPANIES_PAGE
    rows = {company.id: CompanyRow(company) for company in found[:COMPANIES_PAGE]}
    if rows:
        booths = await session.execute(
            select(Booth, Fair)
            .join(Fair, Fair.id == Booth.fair_id)
            .where(Booth.company_id.in_(rows), Fair.id.in_(authority.scoped_fairs(user)))
            .order_by(Fair.opens_at.desc())
        )
        offices: dict[int, dict[int, LabourOffice]] = {company_id: {} for company_id in rows}
        for booth, fair in booths:
            rows[booth.company_id].booths.append((booth, fair))
            offices[booth.company_id][fair.office_id] = fair.office
        for company_id, decisions in (await _decisions(session, offices)).items():
            rows[company_id].decisions = decisions
    return list(rows.values()), more


async def company_regencies(session: AsyncSession, user: User) -> list[str]:
    """The regencies of the companies ``user`` may see: the choices of the filter."""
    visible = company_query(user, None).subquery()
    return list(await session.scalars(select(visible.c.regency_code).distinct()))


async def _decisions(
    session: AsyncSession, offices: dict[int, dict[int, LabourOffice]]
) -> dict[int, list[OfficeDecision]]:
    """For each company, the decision of each of the given offices (pending where an
    office has none); only those offices' rows are read, so no other office's reason
    leaves the database."""
    wanted = {(company, office) for company, by_id in offices.items() for office in by_id}
    found: dict[tuple[int, int], OfficeVerification] = {}
    if wanted:
        office_ids = {office for _company, office in wanted}
        for row in await session.scalars(
            select(OfficeVerification).where(
                OfficeVerification.company_id.in_(offices),
                OfficeVerification.office_id.in_(office_ids),
            )
        ):
            found[(row.company_id, row.office_id)] = row
    result: dict[int, list[OfficeDecision]] = {}
    for company_id, by_id in offices.items():
        decisions = []
        for office in sorted(by_id.values(), key=lambda office: office.name):
            row = found.get((company_id, office.id))
            decisions.append(
                OfficeDecision(office, row.status, row.reason, row.decided_at)
                if row is not None
                else OfficeDecision(office, CompanyVerification.PENDING)
            )
        result[company_id] = decisions
    return result


async def my_verifications(session: AsyncSession, user: User) -> list[OfficeDecision]:
    """What each labour office whose fairs the recruiter's company has a booth in has
    decided about it, with its reason: the company sees which office rejected it and
    why."""
    member = await membership(session, user)
    offices = {
        office.id: office
        for office in await session.scalars(
            select(LabourOffice)
            .join(Fair, Fair.office_id == LabourOffice.id)
            .join(Booth, Booth.fair_id == Fair.id)
            .where(Booth.company_id == member.company_id)
        )
    }
    return (await _decisions(session, {member.company_id: offices}))[member.company_id]


async def public_booths(session: AsyncSession, booth_ids: list[int]) -> set[int]:
    """Which of the booths the public sees (``models.companies.is_public_booth``)."""
    if not booth_ids:
        return set()
    return set(
        await session.scalars(select(Booth.id).where(Booth.id.in_(booth_ids), is_public_booth()))
    )


async def decide_company(
    session: AsyncSession,
    user: User,
    company_id: int,
    approve: bool,
    reason: str | None,
    now: datetime,
    office_id: int | None = None,
) -> OfficeVerification:
    """Verify a company (its identity and registration are real) or reject it with a
    reason its recruiters see, for one labour office: the organiser's own (an
    ``office_id`` naming another answers 404), or, for an admin, ``office_id``, one of
    the offices the company has a booth with (none named: its only such office). The
    decision applies to that office's fairs only (see ``models.companies``)."""
    if not authority.is_admin(user):
        if office_id is not None and office_id != user.office_id:
            raise authority.not_found()
        office_id = user.office_id
    company = await session.scalar(company_query(user, None).where(Company.id == company_id))
    if company is None:
        raise authority.not_found()
    if office_id is None:
        # An admin who names no office: the company's only office, if it has one.
        offices = set(
            await session.scalars(
                select(Fair.office_id)
                .join(Booth, Booth.fair_id == Fair.id)
                .where(Booth.company_id == company.id)
            )
        )
        if len(offices) != 1:
            raise authority.not_found()
        office_id = offices.pop()
    fair_ids = list(
        await session.scalars(
            select(Fair.id)
            .join(Booth, Booth.fair_id == Fair.id)
            .where(Booth.company_id == company.id, Fair.office_id == office_id)
        )
    )
    if not fair_ids:
        # An office decides about the companies that came to its fairs only.
        raise authority.not_found()
    reason = _decision_reason(approve, reason)
    row = _record_verification(
        session,
        await office_verification(session, company.id, office_id),
        company.id,
        office_id,
        user,
        approve,
        reason,
        now,
    )
    audit.record(
        session,
        "company.verified" if approve else "company.rejected",
        object_type="company",
        object_id=company.id,
        actor_user_id=user.id,
        data={"office_id": office_id},
    )
    # The company's booths and vacancies in these fairs appear or disappear.
    for fair_id in fair_ids:
        signals.fair_changed(session, fair_id)
    return row
