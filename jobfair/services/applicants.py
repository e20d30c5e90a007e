"""Applicants: registration, profile, CV files and the data rights of UU PDP 27/2022.

Registration and the profile edit arrive parsed (``jobfair.schemas.profile`` holds
their field rules and messages); this module checks what needs the database. A NIK or
e-mail that is already registered is refused without saying whose account it is.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from jobfair import i18n
from jobfair.db.engine import checkpoint_wal
from jobfair.db.uow import after_commit
from jobfair.i18n import N_, gettext
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    ApplicationNote,
    BookingState,
    Booth,
    BoothMessage,
    Company,
    Cv,
    CvView,
    Fair,
    Recruiter,
    SlotBooking,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.applications import gives_company_access
from jobfair.models.companies import company_reaches
from jobfair.schemas.profile import ProfileUpdate, Registration
from jobfair.services import audit, notifications
from jobfair.services.auth import revoke_everything, tell_registration_attempt
from jobfair.services.errors import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
    ValidationFailed,
    WrongPassword,
)
from jobfair.services.formats import mask_email, mask_phone
from jobfair.services.identity import NikVault, PasswordCheck
from jobfair.services.mail import queue_mail

CV_MAX_BYTES = 2 * 1024 * 1024
# Openings of one CV by one recruiter within this window count as one view.
CV_VIEW_REPEAT_WINDOW = timedelta(hours=1)
# After a PDF's last ``%%EOF`` only white space and comment lines may follow. Anything
# else (an HTML page, a ZIP archive) makes the file a polyglot that another program
# would open as something other than the PDF that was checked.
_PDF_TRAILER = re.compile(rb"(?:\s|%[^\r\n]*)*")
CONSENT_VERSION = "1"
# The wording of the separate consent to the ministry interchange (registration, walk-in,
# /me/sharing); bump it when that purpose text changes, so the audit shows which text a
# person agreed to or withdrew from.
INTERCHANGE_CONSENT_VERSION = "1"
# What an anonymised applicant keeps of an AK/I number: only that there was one, so
# "AK/I holders" in past reports stay right.
AK1_ERASED = "-"
# Details another account holds, where saying so is safe: to the owner editing their
# profile, and to a placement officer registering the person in front of them.
ALREADY_REGISTERED = N_("This is already registered. Sign in, or reset your password.")


async def _taken(
    session: AsyncSession, column: Any, value: Any, exclude_user: int | None = None
) -> bool:
    query = select(func.count()).select_from(User).where(column == value)
    if exclude_user is not None:
        query = query.where(User.id != exclude_user)
    return bool(await session.scalar(query))


def registration_identities(values: Registration, vault: NikVault) -> list[str]:
    """The identities a registration names, each rate-limited on its own wherever it
    comes from: the NIK (by its fingerprint, never the number), the e-mail, the phone."""
    named = [f"nik:{vault.fingerprint(values.nik)}"]
    named += [f"email:{values.email}"] if values.email else []
    named += [f"phone:{values.phone}"] if values.phone else []
    return named


async def _owners_of(session: AsyncSession, values: Registration, fingerprint: str) -> list[User]:
    """The accounts that already hold this registration's NIK, e-mail or phone."""
    user_ids = select(Applicant.user_id).where(Applicant.nik_hmac == fingerprint)
    clauses = [User.id.in_(user_ids)]
    if values.email:
        clauses.append(User.email == values.email)
    if values.phone:
        clauses.append(User.phone == values.phone)
    return list(await session.scalars(select(User).where(or_(*clauses)).order_by(User.id)))


async def register_applicant(
    session: AsyncSession,
    values: Registration,
    password_hash: str,
    vault: NikVault,
    now: datetime,
    *,
    assisted_by: User | None = None,
) -> User | None:
    """Create an applicant account from a parsed registration. When its NIK, e-mail or
    phone is registered already, no account is made, the owner is told by mail and
    None is returned: the caller answers as for a new account, so the registration
    form tells nobody whose NIK or address is on the platform (ASVS 5.0 V6.3).
    ``password_hash`` is the registration's password, hashed before the unit of work
    (for known details too, so the answer takes as long as for new ones).

    ``assisted_by``: a placement officer registering a walk-in job seeker (see
    :mod:`jobfair.services.officers`), who recorded the person's consent; the account
    is marked as assisted by them and the audit row names them as the actor.

    ``values.interchange_consent``: the separate, optional consent to be shared with the
    ministry's systems, given at registration (its time is the registration's)."""
    interchange_consent = values.interchange_consent
    fingerprint = vault.fingerprint(values.nik)
    owners = await _owners_of(session, values, fingerprint)
    if owners:
        await tell_registration_attempt(session, owners, now)
        for owner in owners:
            audit.record(
                session, "applicant.registration_refused", object_type="user", object_id=owner.id
            )
        return None
    user = User(
        email=values.email,
        phone=values.phone,
        password_hash=password_hash,
        role=Role.APPLICANT,
        full_name=values.full_name,
        locale=i18n.current_locale(),
        is_active=True,
        created_at=now,
    )
    applicant = Applicant(
        nik_ciphertext=vault.encrypt(values.nik),
        nik_hmac=fingerprint,
        nik_masked=vault.mask(values.nik),
        sex=values.sex,
        birth_date=values.birth_date,
        birth_place=values.birth_place,
        education_level=values.education_level,
        education_major=values.education_major,
        institution=values.institution,
        graduation_year=values.graduation_year,
        experience_years=values.experience_years,
        sought_kbji_code=values.sought_kbji_code,
        ktp_regency_code=values.ktp_regency_code,
        domicile_regency_code=values.domicile_regency_code,
        has_disability=bool(values.disability_kinds),
        disability_kinds=",".join(values.disability_kinds),
        ak1_number=values.ak1_number,
        skills=values.skills or "",
        consent_at=now,
        consent_version=CONSENT_VERSION,
        interchange_consent_at=now if interchange_consent else None,
        assisted_by_user_id=assisted_by.id if assisted_by is not None else None,
        created_at=now,
    )
    try:
        # A savepoint: two registrations racing for one NIK or e-mail end in a clean
        # conflict for the loser instead of a broken transaction.
        async with session.begin_nested():
            session.add(user)
            await session.flush()
            applicant.user_id = user.id
            session.add(applicant)
            await session.flush()
    except IntegrityError:
        # Another registration with these details won the race: as above.
        owners = await _owners_of(session, values, fingerprint)
        await tell_registration_attempt(session, owners, now)
        return None
    audit.record(
        session,
        "applicant.registered",
        object_type="user",
        object_id=user.id,
        actor_user_id=user.id if assisted_by is None else assisted_by.id,
        # What was consented to, and on whose record (ids and versions only).
        data={
            "consent_version": CONSENT_VERSION,
            "interchange_consent": interchange_consent,
            # The wording shown beside the box, ticked or not.
            "interchange_consent_version": INTERCHANGE_CONSENT_VERSION,
            **({"assisted": True} if assisted_by is not None else {}),
        },
    )
    return user


async def _attached(session: AsyncSession, user: User) -> User:
    """The user as a row of this session (the one resolved per request is detached)."""
    row = await session.get(User, user.id)
    if row is None:
        raise NotFound(gettext("We could not find that page."))
    return row


def ensure_applicant(user: User) -> None:
    """Only a job seeker's account has an applicant profile."""
    if user.role != Role.APPLICANT:
        raise PermissionDenied(gettext("This is for job seekers' accounts."))


async def applicant_of(session: AsyncSession, user: User, *, for_update: bool = False) -> Applicant:
    """The user's applicant profile; ``for_update`` also locks its row (PostgreSQL)."""
    ensure_applicant(user)
    query = select(Applicant).where(Applicant.user_id == user.id)
    applicant = await session.scalar(query.with_for_update() if for_update else query)
    if applicant is None:
        raise NotFound(gettext("We could not find that page."))
    return applicant


CONTACT_PASSWORD = N_("Enter your current password to change your e-mail or mobile number.")


async def _tell_contact_changed(
    session: AsyncSession, user: User, old_email: str, old_phone: str | None, now: datetime
) -> None:
    """Mail the address the account had: if the change was not its owner's, the owner
    learns of it where the intruder cannot read (the new address is theirs)."""
    changed = []
    with i18n.using(user.locale):
        if user.email != old_email:
            changed.append(
                gettext("the e-mail address (now %(email)s)", email=mask_email(user.email))
                if user.email
                else gettext("the e-mail address (removed)")
            )
        if user.phone != old_phone:
            changed.append(
                gettext("the mobile number (now %(phone)s)", phone=mask_phone(user.phone))
                if user.phone
                else gettext("the mobile number (removed)")
            )
        body = gettext(
            "The sign-in details of your job fair account were changed: %(changed)s.\n\n"
            "If you did this, there is nothing more to do. If it was not you, reset your "
            "password now with this address (%(email)s) and tell the labour office.",
            changed="; ".join(changed),
            email=old_email,
        )
        subject = gettext("Your sign-in details were changed")
    await queue_mail(
        session,
        to_address=old_email,
        subject=subject,
        body=body,
        dedupe_key=f"contact-changed:{user.id}:{now.isoformat()}",
        user_id=user.id,
    )


async def update_profile(
    session: AsyncSession,
    user: User,
    values: ProfileUpdate,
    password: PasswordCheck,
    now: datetime,
) -> Applicant:
    """Change the editable part of a profile (NIK, sex, birth date and KTP regency come
    from the KTP and stay). Only the fields the request gave change. A new e-mail or
    phone needs the current password (``values.current_password``, checked as
    ``password`` before the unit of work), and the old address is told."""
    user = await _attached(session, user)
    applicant = await applicant_of(session, user)
    given = values.changes
    email = values.email if "email" in given else user.email
    phone = values.phone if "phone" in given else user.phone
    if given & {"email", "phone"} and not email and not phone:
        message = gettext("Enter an e-mail address or a mobile number, so you can sign in.")
        raise ValidationFailed(gettext("Please check the form."), fields={"email": message})
    old_email, old_phone = user.email, user.phone
    contact_changed = (email, phone) != (old_email, old_phone)
    if contact_changed and not password.holds_for(user.password_hash):
        raise WrongPassword(
            gettext("Please check the form."),
            fields={"current_password": gettext(CONTACT_PASSWORD)},
        )
    errors: dict[str, str] = {}
    already = gettext(ALREADY_REGISTERED)
    if email and email != user.email and await _taken(session, User.email, email, user.id):
        errors["email"] = already
    if phone and phone != user.phone and await _taken(session, User.phone, phone, user.id):
        errors["phone"] = already
    if errors:
        raise Conflict(gettext("Please check the form."), fields=errors)
    if "full_name" in given and values.full_name:
        user.full_name = values.full_name
    if "email" in given:
        user.email = email
    if "phone" in given:
        user.phone = phone
    for name in (
        "birth_place",
        "education_major",
        "institution",
        "graduation_year",
        "experience_years",
        "sought_kbji_code",
        "education_level",
        "domicile_regency_code",
        "ak1_number",
    ):
        if name in given:
            setattr(applicant, name, getattr(values, name))
    if "skills" in given:
        applicant.skills = values.skills or ""
    if "disability" in given:
        applicant.disability_kinds = ",".join(values.disability_kinds)
        applicant.has_disability = bool(values.disability_kinds)
    if "interchange_consent" in given:
        # Its own purpose, with its own audit row (the profile's lists the fields).
        if values.interchange_consent is not None:
            _record_interchange_consent(session, user, applicant, values.interchange_consent, now)
        given = given - {"interchange_consent"}
    applicant.updated_at = now
    if contact_changed and old_email:
        await _tell_contact_changed(session, user, old_email, old_phone, now)
    if given or "interchange_consent" not in values.changes:
        audit.record(
            session,
            "applicant.profile_updated",
            object_type="user",
            object_id=user.id,
            actor_user_id=user.id,
            data={"fields": sorted("disability_kinds" if n == "disability" else n for n in given)},
        )
    return applicant


async def set_interchange_consent(
    session: AsyncSession, user: User, given: bool, now: datetime
) -> Applicant:
    """Give or withdraw the consent to be shared with the ministry's systems
    (SIAPkerja/Karirhub), a purpose of its own (UU PDP 27/2022: consent per purpose,
    withdrawn as easily as given). See :func:`_record_interchange_consent`."""
    user = await _attached(session, user)
    applicant = await applicant_of(session, user, for_update=True)
    _record_interchange_consent(session, user, applicant, given, now)
    await session.flush()
    return applicant


def _record_interchange_consent(
    session: AsyncSession, user: User, applicant: Applicant, given: bool, now: datetime
) -> None:
    """Giving records its time (a consent already given keeps its first time);
    withdrawing clears it and records the withdrawal's time, so the next interchange
    export (``services.interchange``, which reads the current consent) leaves the
    applicant out. Audited when it changes, not when it is said again."""
    if given == (applicant.interchange_consent_at is not None):
        return
    if given:
        applicant.interchange_consent_at = now
    else:
        applicant.interchange_consent_at = None
        applicant.interchange_consent_withdrawn_at = now
    applicant.updated_at = now
    audit.record(
        session,
        "applicant.interchange_consent_given"
        if given
        else "applicant.interchange_consent_withdrawn",
        object_type="user",
        object_id=user.id,
        actor_user_id=user.id,
        data={"version": INTERCHANGE_CONSENT_VERSION},
    )


# ---------------------------------------------------------------------------- CVs


def check_cv(data: bytes) -> int:
    """Validate an uploaded CV; returns its page count. Refuses empty, oversized,
    non-PDF (by magic bytes, whatever the name says) and unreadable files."""
    if not data:
        raise ValidationFailed(
            gettext("The file is empty."), fields={"file": gettext("The file is empty.")}
        )
    if len(data) > CV_MAX_BYTES:
        message = gettext("The CV is larger than 2 MB. Save it smaller and try again.")
        raise PayloadTooLarge(message, fields={"file": message})
    if not data.startswith(b"%PDF-"):
        message = gettext("The CV must be a PDF file.")
        raise UnsupportedMediaType(message, fields={"file": message})
    end = data.rfind(b"%%EOF")
    if end < 0:
        message = gettext("This PDF cannot be read. Export it again and upload the new file.")
        raise ValidationFailed(message, fields={"file": message})
    if not _PDF_TRAILER.fullmatch(data, end + len(b"%%EOF")):
        message = gettext("The CV must be a PDF file.")
        raise UnsupportedMediaType(message, fields={"file": message})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfReadError("encrypted")
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on damaged files
        message = gettext("This PDF cannot be read. Export it again and upload the new file.")
        raise ValidationFailed(message, fields={"file": message}) from exc
    if pages < 1:
        message = gettext("This PDF has no pages.")
        raise ValidationFailed(message, fields={"file": message})
    if _has_active_content(reader):
        # Recruiters open CVs on office machines: a PDF that runs a script, launches a
        # program or carries a file inside is refused, with a way out for the applicant.
        message = gettext(
            "This PDF contains a script, an automatic action or an attached file. "
            "Save it again as a plain PDF (for example with “Print to PDF”) and upload "
            "the new file."
        )
        raise UnsupportedMediaType(message, fields={"file": message})
    return pages


# Action types that run code or open something outside the document. A plain /GoTo or
# a destination (Word's PDFs open at page 1 that way) is harmless and stays allowed.
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/GoToE",
    "/Rendition",
    "/RichMediaExecute",
}


def _has_active_content(reader: PdfReader) -> bool:
    """Whether the parsed document (object streams included, names normalised: a byte
    scan would miss ``/J#61vaScript`` and flag a programmer's "HTML/JS") has a
    document-level script, an attached file, an XFA form or an action that runs code,
    on open, on a page or on an annotation."""
    try:
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        if "/JavaScript" in names or "/EmbeddedFiles" in names:
            return True
        form = root.get("/AcroForm")
        if form is not None and "/XFA" in form.get_object():
            return True
        if _active_action(root.get("/OpenAction")) or _active_actions(root.get("/AA")):
            return True
        for page in reader.pages:
            if _active_actions(page.get("/AA")):
                return True
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") in {"/FileAttachment", "/RichMedia", "/Screen"}:
                    return True
                if _active_action(annotation.get("/A")) or _active_actions(annotation.get("/AA")):
                    return True
    except Exception:  # a damaged structure here is treated as unsafe
        return True
    return False


def _active_actions(actions: Any) -> bool:
    """An additional-actions dictionary (/AA): any of its triggers runs code."""
    if actions is None:
        return False
    actions = actions.get_object()
    return any(_active_action(action) for action in actions.values())


def _active_action(action: Any, depth: int = 0) -> bool:
    if action is None or depth > 20:
        return depth > 20
    action = action.get_object()
    if not hasattr(action, "get"):
        return False  # a destination array, not an action
    if action.get("/S") in _ACTIVE_ACTIONS:
        return True
    following = action.get("/Next")
    if following is None:
        return False
    following = following.get_object()
    chain = following if isinstance(following, list) else [following]
    return any(_active_action(item, depth + 1) for item in chain)


def _safe_filename(name: str) -> str:
    base = Path(name or "cv.pdf").name
    base = re.sub(r"[^\w.\- ]+", "_", base)[:150].strip() or "cv.pdf"
    return base if base.lower().endswith(".pdf") else base + ".pdf"


async def store_cv(
    session: AsyncSession, user: User, data: bytes, filename: str, uploads_dir: Path, now: datetime
) -> Cv:
    """Check and store a CV under a random name outside ``static/``; the previous CV
    is replaced, its file deleted after commit."""
    applicant = await applicant_of(session, user)
    await asyncio.to_thread(check_cv, data)
    folder = uploads_dir / "cv"
    storage_name = f"{secrets.token_hex(16)}.pdf"
    path = folder / storage_name

    def write() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    await asyncio.to_thread(write)
    previous = list(
        await session.scalars(select(Cv).where(Cv.applicant_id == applicant.id, Cv.is_current))
    )
    for old in previous:
        old.is_current = False
    cv = Cv(
        applicant_id=applicant.id,
        storage_name=storage_name,
        original_filename=_safe_filename(filename),
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        is_current=True,
        uploaded_at=now,
    )
    session.add(cv)
    await session.flush()
    old_files = [folder / old.storage_name for old in previous]
    for old in previous:
        await session.delete(old)

    async def remove_old() -> None:
        await asyncio.to_thread(_unlink, old_files)

    after_commit(session, remove_old)
    audit.record(session, "cv.uploaded", object_type="cv", object_id=cv.id, actor_user_id=user.id)
    return cv


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


async def current_cv(session: AsyncSession, applicant_id: int) -> Cv | None:
    return await session.scalar(
        select(Cv).where(Cv.applicant_id == applicant_id, Cv.is_current).order_by(Cv.id.desc())
    )


@dataclass(frozen=True)
class CvFile:
    path: Path
    filename: str
    size: int


async def open_cv(
    session: AsyncSession, viewer: User, applicant_id: int, uploads_dir: Path, now: datetime
) -> CvFile:
    """The CV of ``applicant_id`` for ``viewer``: its owner, or a recruiter of a company
    the applicant applied to, in a fair whose office has not rejected the company (that
    view is recorded). Anyone else gets 404."""
    applicant = await session.get(Applicant, applicant_id)
    if applicant is None or applicant.anonymised_at is not None:
        raise NotFound(gettext("We could not find that page."))
    company_id: int | None = None
    if applicant.user_id != viewer.id:
        if viewer.role != Role.RECRUITER:
            raise NotFound(gettext("We could not find that page."))
        company_id = await session.scalar(
            select(Recruiter.company_id)
            .join(Booth, Booth.company_id == Recruiter.company_id)
            .join(Application, Application.booth_id == Booth.id)
            .where(
                Recruiter.user_id == viewer.id,
                # Not through a fair whose office rejected the company.
                company_reaches(Recruiter.company_id),
                Application.applicant_id == applicant.id,
                # Withdrawn everywhere at this company: its access has ended.
                gives_company_access(Application.status),
            )
            .limit(1)
        )
        if company_id is None:
            # Or the applicant shared the CV in a booth chat with this company.
            from jobfair.services.conversations import company_shared_with

            company_id = await company_shared_with(session, viewer.id, applicant.id)
        if company_id is None:
            raise NotFound(gettext("We could not find that page."))
    cv = await current_cv(session, applicant.id)
    if cv is None:
        raise NotFound(gettext("No CV has been uploaded."))
    if company_id is not None:
        # The applicant's "who viewed my CV" list shows one line per recruiter and CV
        # per hour: paging through applicants with the inline preview would otherwise
        # write a view at every page load. The audit log still records every opening.
        seen_recently = await session.scalar(
            select(CvView.id)
            .where(
                CvView.cv_id == cv.id,
                CvView.viewer_user_id == viewer.id,
                CvView.viewed_at > now - CV_VIEW_REPEAT_WINDOW,
            )
            .limit(1)
        )
        if seen_recently is None:
            session.add(
                CvView(
                    cv_id=cv.id,
                    applicant_id=applicant.id,
                    viewer_user_id=viewer.id,
                    company_id=company_id,
                    viewed_at=now,
                )
            )
        audit.record(
            session,
            "cv.viewed",
            object_type="cv",
            object_id=cv.id,
            actor_user_id=viewer.id,
            data={"company_id": company_id},
        )
    return CvFile(uploads_dir / "cv" / cv.storage_name, cv.original_filename, cv.size_bytes)


@dataclass(frozen=True)
class CvViewRow:
    company_name: str | None
    viewed_at: datetime


async def cv_views(session: AsyncSession, applicant_id: int, limit: int = 100) -> list[CvViewRow]:
    rows = await session.execute(
        select(Company.name, CvView.viewed_at)
        .select_from(CvView)
        .outerjoin(Company, Company.id == CvView.company_id)
        .where(CvView.applicant_id == applicant_id)
        .order_by(CvView.viewed_at.desc(), CvView.id.desc())
        .limit(limit)
    )
    return [CvViewRow(name, at) for name, at in rows]


# --------------------------------------------------------------------- data rights


async def export_my_data(session: AsyncSession, user: User, vault: NikVault) -> dict[str, Any]:
    """Everything the platform holds about the applicant (UU PDP right of access)."""
    applicant = await applicant_of(session, user)
    cv = await current_cv(session, applicant.id)
    applications = (
        await session.execute(
            select(Application, Vacancy.title, Company.name, Fair.slug)
            .join(Vacancy, Vacancy.id == Application.vacancy_id)
            .join(Booth, Booth.id == Application.booth_id)
            .join(Company, Company.id == Booth.company_id)
            .join(Fair, Fair.id == Application.fair_id)
            .where(Application.applicant_id == applicant.id)
            .order_by(Application.id)
        )
    ).all()
    events = await session.execute(
        select(ApplicationEvent)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(Application.applicant_id == applicant.id, ApplicationEvent.released_at.is_not(None))
        .order_by(ApplicationEvent.id)
    )
    by_application: dict[int, list[dict[str, Any]]] = {}
    for (event,) in events:
        by_application.setdefault(event.application_id, []).append(
            {
                "status": event.to_status,
                "at": event.released_at.isoformat() if event.released_at else None,
                "note": event.note,
            }
        )
    # What recruiters wrote about the applicant is personal data too (UU PDP right of
    # access): their notes, each with when it was written; not who wrote it.
    notes = await session.execute(
        select(ApplicationNote.application_id, ApplicationNote.body, ApplicationNote.created_at)
        .join(Application, Application.id == ApplicationNote.application_id)
        .where(Application.applicant_id == applicant.id)
        .order_by(ApplicationNote.id)
    )
    notes_by_application: dict[int, list[dict[str, Any]]] = {}
    for application_id, body, written_at in notes:
        notes_by_application.setdefault(application_id, []).append(
            {"body": body, "written_at": written_at.isoformat()}
        )
    # Worded in the language of the request, like the inbox.
    inbox = await notifications.everything_of(session, user.id)
    from jobfair.services.booth_privacy import export_for as export_slots_and_messages
    from jobfair.services.conversations import export_for as export_chats

    views = await cv_views(session, applicant.id, limit=10_000)
    return {
        "account": {
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "profile": {
            "nik": vault.decrypt(applicant.nik_ciphertext) if applicant.nik_ciphertext else None,
            "sex": applicant.sex,
            "birth_date": applicant.birth_date.isoformat(),
            "birth_place": applicant.birth_place,
            "education_level": applicant.education_level,
            "education_major": applicant.education_major,
            "institution": applicant.institution,
            "graduation_year": applicant.graduation_year,
            "experience_years": applicant.experience_years,
            "sought_kbji_code": applicant.sought_kbji_code,
            "ktp_regency_code": applicant.ktp_regency_code,
            "domicile_regency_code": applicant.domicile_regency_code,
            "disability": [k for k in applicant.disability_kinds.split(",") if k],
            "ak1_number": applicant.ak1_number,
            "skills": applicant.skills,
            "consent_at": applicant.consent_at.isoformat(),
            "consent_version": applicant.consent_version,
            "interchange_consent_at": applicant.interchange_consent_at.isoformat()
            if applicant.interchange_consent_at
            else None,
            "interchange_consent_withdrawn_at": (
                applicant.interchange_consent_withdrawn_at.isoformat()
                if applicant.interchange_consent_withdrawn_at
                else None
            ),
            "assisted": applicant.assisted_by_user_id is not None,
        },
        "cv": None
        if cv is None
        else {
            "filename": cv.original_filename,
            "size_bytes": cv.size_bytes,
            "sha256": cv.sha256,
            "uploaded_at": cv.uploaded_at.isoformat(),
        },
        "cv_views": [
            {"company": view.company_name, "viewed_at": view.viewed_at.isoformat()}
            for view in views
        ],
        "applications": [
            {
                "id": application.id,
                "fair": fair_slug,
                "vacancy": title,
                "company": company,
                "status": application.released_status,
                "submitted_at": application.submitted_at.isoformat(),
                "timeline": by_application.get(application.id, []),
                "rating": application.rating,
                "recruiter_notes": notes_by_application.get(application.id, []),
            }
            for application, title, company, fair_slug in applications
        ],
        "booth_chats": await export_chats(session, applicant.id),
        # Their 1:1 slot bookings and the messages they left booths, with the answers.
        **await export_slots_and_messages(session, applicant.id),
        "notifications": [
            {
                "subject": n.subject,
                "body": n.text,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in inbox
        ],
    }


async def delete_account(
    session: AsyncSession, user: User, password: PasswordCheck, uploads_dir: Path, now: datetime
) -> None:
    """Erase the applicant's personal data and account; applications stay, anonymised,
    so the statistics of past fairs stay right. The CV files go after commit.
    ``password`` is the typed password, checked before the unit of work."""
    user = await _attached(session, user)
    if not password.holds_for(user.password_hash):
        message = gettext("The password is wrong.")
        raise ValidationFailed(message, fields={"password": message})
    applicant = await applicant_of(session, user)
    cvs = list(await session.scalars(select(Cv).where(Cv.applicant_id == applicant.id)))
    files = [uploads_dir / "cv" / cv.storage_name for cv in cvs]
    await session.execute(delete(CvView).where(CvView.applicant_id == applicant.id))
    await session.execute(delete(Cv).where(Cv.applicant_id == applicant.id))
    application_ids = select(Application.id).where(Application.applicant_id == applicant.id)
    # Recruiters' notes and decision notes may describe the person: they go too.
    await session.execute(
        delete(ApplicationNote).where(ApplicationNote.application_id.in_(application_ids))
    )
    await session.execute(
        update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(application_ids))
        .values(note=None)
    )
    # What they wrote to booths and what was answered them may describe the person: the
    # text goes, the rows stay for the fair's figures (messages left and answered).
    await session.execute(
        update(BoothMessage)
        .where(BoothMessage.applicant_id == applicant.id)
        .values(body="", answer=None)
    )
    # Their coming 1:1 slots are freed for others (services.booth_slots: a cancelled
    # booking holds nothing).
    await session.execute(
        update(SlotBooking)
        .where(
            SlotBooking.applicant_id == applicant.id,
            SlotBooking.state == BookingState.BOOKED,
        )
        .values(
            state=BookingState.CANCELLED,
            cancelled_at=now,
            active_slot_id=None,
            active_booth_id=None,
        )
    )
    # Booth chats are transcripts of the person: they go too.
    from jobfair.services.conversations import erase_applicant

    await erase_applicant(session, applicant.id)
    applicant.nik_ciphertext = None
    applicant.nik_hmac = None
    applicant.nik_masked = None
    applicant.birth_place = None
    applicant.education_major = None
    applicant.institution = None
    applicant.skills = ""
    applicant.ak1_number = AK1_ERASED if applicant.ak1_number else None
    applicant.user_id = None
    applicant.anonymised_at = now
    await revoke_everything(session, user.id, now)
    audit.record(session, "applicant.deleted", object_type="applicant", object_id=applicant.id)
    await session.delete(user)
    await session.flush()

    engine = session.bind

    async def remove_files() -> None:
        await asyncio.to_thread(_unlink, files)
        # The erased values' old pages leave SQLite's write-ahead log too.
        if isinstance(engine, AsyncEngine):
            await checkpoint_wal(engine)

    after_commit(session, remove_files)
