"""Hiring drives: create and change them, link fairs, add partner companies, take a
partner's direct placements, and count the drive's progress.

Progress counts **people**, not hires: an applicant counts once for the drive when at
least one of their placements is confirmed by them (``is_confirmed``) and was reported
within the drive's days (``Period.between(first_day, last_day)`` in the zone of the
drive's fairs, WIB when they differ or there are none). The placements are the hires of
the drive's linked fairs and the direct placements reported against the drive. A person
is credited to their earliest such placement: its week and its company, so the weeks and
the partner companies add up to the total. Local: the applicant's KTP regency is in the
drive's locality rule.

A partner company "reported nothing" when neither a hire in a linked fair (confirmed or
not) nor a direct placement of it was reported within the drive's days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair import i18n
from jobfair.i18n import N_, gettext
from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    DirectPlacement,
    Drive,
    DriveFair,
    DrivePartner,
    DriveRegency,
    Fair,
    LabourOffice,
    Placement,
    User,
)
from jobfair.models.applications import PlacementConfirmation, is_confirmed
from jobfair.reference import regions
from jobfair.schemas.problems import field_messages
from jobfair.services import audit, authority, mail, notifications
from jobfair.services.applicants import applicant_of
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.formats import EMAIL_MAX
from jobfair.services.numbers import whole_number
from jobfair.services.periods import MAX_DAYS, Period
from jobfair.services.screening import answer_placement, membership
from jobfair.services.times import common_zone, local_date

NAME_MAX = 200
JOB_TITLE_MAX = 200
TARGET_MAX = 1_000_000
# The target as typed, with its thousands separators ("1.000.000").
TARGET_TYPED_MAX = len(f"{TARGET_MAX:,}")
REGENCIES_MAX = 100
# The notification kind that asks an applicant to confirm a direct placement.
DIRECT_PLACEMENT = notifications.DIRECT_PLACEMENT

FORM_MESSAGES = {
    "name": N_("Give the drive a name (at most 200 characters)."),
    "first_day": N_("Give the first day as a date."),
    "last_day": N_("Give the last day as a date."),
    "target": N_("Give the target as a whole number of people, from 1 to 1,000,000."),
}
REPORT_MESSAGES = {
    "job_title": N_("Give the job (at most 200 characters)."),
    "start_date": N_("Give the first working day as a date."),
}


class DriveForm(BaseModel):
    """A drive's form, as typed values."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=NAME_MAX)
    first_day: date
    last_day: date
    target: int = Field(ge=1, le=TARGET_MAX)

    @field_validator("target", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        # "3.000" and "3,000" as people write it; anything else is refused below.
        return str(value).replace(".", "").replace(",", "").strip() if value else value


class PlacementReport(BaseModel):
    """A partner's direct placement: who (NIK or e-mail), which job, from when."""

    model_config = ConfigDict(str_strip_whitespace=True)

    # A NIK (16 digits) or an e-mail address.
    who: str = Field(min_length=1, max_length=EMAIL_MAX)
    job_title: str = Field(min_length=1, max_length=JOB_TITLE_MAX)
    start_date: date


def check_form(values: Mapping[str, Any], regency_codes: Sequence[str]) -> DriveForm:
    """The form's text → a checked drive, or the problems by field."""
    fields = {key: values.get(key) or None for key in DriveForm.model_fields}
    errors: dict[str, str] = {}
    form: DriveForm | None = None
    try:
        form = DriveForm.model_validate(fields)
    except ValidationError as error:
        errors = field_messages(error, FORM_MESSAGES)
    if form is not None:
        if form.last_day < form.first_day:
            errors["last_day"] = gettext("The last day must not be before the first.")
        elif (form.last_day - form.first_day).days + 1 > MAX_DAYS:
            errors["last_day"] = gettext("A period may cover at most three years.")
    unknown = [code for code in regency_codes if not regions.is_regency(code)]
    if unknown:
        errors["regency_codes"] = gettext("Choose regencies from the list.")
    elif not regency_codes:
        errors["regency_codes"] = gettext(
            "Choose at least one regency whose residents count as local."
        )
    elif len(set(regency_codes)) > REGENCIES_MAX:
        errors["regency_codes"] = gettext("At most %(count)s regencies.", count=REGENCIES_MAX)
    if errors or form is None:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    return form


# ---------------------------------------------------------------------- scope


def _organiser(user: User) -> None:
    if user.role not in authority.STAFF_ROLES:
        raise PermissionDenied(gettext("You are not allowed to do that."))


async def scoped_drive(session: AsyncSession, user: User, drive_id: int) -> Drive:
    """The drive for an organiser of its office or an admin; 404 otherwise."""
    _organiser(user)
    drive = await session.get(Drive, drive_id)
    if drive is None or not (authority.is_admin(user) or drive.office_id == user.office_id):
        raise authority.not_found()
    return drive


async def office_drives(session: AsyncSession, user: User) -> list[Drive]:
    _organiser(user)
    query = select(Drive).order_by(Drive.first_day.desc(), Drive.id.desc())
    if not authority.is_admin(user):
        query = query.where(Drive.office_id == user.office_id)
    return list(await session.scalars(query))


def _apply(drive: Drive, form: DriveForm, regency_codes: Iterable[str]) -> list[str]:
    changed = [key for key in DriveForm.model_fields if getattr(drive, key) != getattr(form, key)]
    for key in changed:
        setattr(drive, key, getattr(form, key))
    wanted = sorted(set(regency_codes))
    if drive.regency_codes != wanted:
        kept = [row for row in drive.regencies if row.regency_code in wanted]
        known = {row.regency_code for row in kept}
        drive.regencies = kept + [
            DriveRegency(regency_code=code) for code in wanted if code not in known
        ]
        changed.append("regency_codes")
    return changed


async def create_drive(
    session: AsyncSession,
    user: User,
    values: Mapping[str, Any],
    regency_codes: Sequence[str],
    now: datetime,
) -> Drive:
    """A drive of the organiser's office (an admin names the office)."""
    _organiser(user)
    office_id = user.office_id
    office_error: dict[str, str] = {}
    if authority.is_admin(user):
        office_id = whole_number(values.get("office"), minimum=1)
        if office_id is None or await session.get(LabourOffice, office_id) is None:
            office_error["office"] = gettext("Choose the labour office that runs the drive.")
    elif office_id is None:
        raise PermissionDenied(gettext("You are not allowed to do that."))
    try:
        form = check_form(values, regency_codes)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, fields={**office_error, **error.fields}) from None
    if office_error or office_id is None:
        raise ValidationFailed(gettext("Please check the form."), fields=office_error)
    drive = Drive(office_id=office_id, created_by_user_id=user.id, created_at=now, updated_at=now)
    drive.regencies = []
    _apply(drive, form, regency_codes)
    session.add(drive)
    await session.flush()
    audit.record(
        session, "drive.created", object_type="drive", object_id=drive.id, actor_user_id=user.id
    )
    return drive


async def update_drive(
    session: AsyncSession,
    user: User,
    drive_id: int,
    values: Mapping[str, Any],
    regency_codes: Sequence[str],
    now: datetime,
) -> Drive:
    drive = await scoped_drive(session, user, drive_id)
    form = check_form(values, regency_codes)
    changed = _apply(drive, form, regency_codes)
    if changed:
        drive.updated_at = now
        await session.flush()
        audit.record(
            session,
            "drive.updated",
            object_type="drive",
            object_id=drive.id,
            actor_user_id=user.id,
            data={"changed": changed},
        )
    return drive


def form_values(drive: Drive) -> dict[str, str]:
    return {
        "name": drive.name,
        "first_day": drive.first_day.isoformat(),
        "last_day": drive.last_day.isoformat(),
        "target": str(drive.target),
    }


# ------------------------------------------------------------ fairs and partners


async def link_fair(
    session: AsyncSession, user: User, drive_id: int, fair_id: int, *, linked: bool = True
) -> None:
    """Link (or unlink) a fair of the drive's office."""
    drive = await scoped_drive(session, user, drive_id)
    fair = await session.get(Fair, fair_id)
    if fair is None or fair.office_id != drive.office_id:
        message = gettext("Choose a fair of the drive's office.")
        raise ValidationFailed(message, fields={"fair": message})
    present = await session.get(DriveFair, (drive.id, fair.id))
    if linked and present is None:
        session.add(DriveFair(drive_id=drive.id, fair_id=fair.id))
    elif not linked and present is not None:
        await session.delete(present)
    else:
        return
    await session.flush()
    audit.record(
        session,
        "drive.fair_linked" if linked else "drive.fair_unlinked",
        object_type="drive",
        object_id=drive.id,
        actor_user_id=user.id,
        fair_id=fair.id,
    )


async def set_partner(
    session: AsyncSession,
    user: User,
    drive_id: int,
    company_id: int,
    now: datetime,
    *,
    partner: bool = True,
) -> None:
    """Add (or remove) a partner company. Removing one keeps its direct placements:
    they were reported while it was a partner."""
    drive = await scoped_drive(session, user, drive_id)
    if await session.get(Company, company_id) is None:
        message = gettext("Choose a company from the list.")
        raise ValidationFailed(message, fields={"company": message})
    present = await session.get(DrivePartner, (drive.id, company_id))
    if partner and present is None:
        session.add(DrivePartner(drive_id=drive.id, company_id=company_id, added_at=now))
    elif not partner and present is not None:
        await session.delete(present)
    else:
        return
    await session.flush()
    audit.record(
        session,
        "drive.partner_added" if partner else "drive.partner_removed",
        object_type="drive",
        object_id=drive.id,
        actor_user_id=user.id,
        data={"company_id": company_id},
    )


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class DriveSetup:
    """What the drive's page offers to link or add, and what is linked."""

    fairs: list[tuple[Choice, bool]]
    partners: list[Choice]
    companies: list[Choice]


async def setup_of(session: AsyncSession, drive: Drive) -> DriveSetup:
    linked = set(
        await session.scalars(select(DriveFair.fair_id).where(DriveFair.drive_id == drive.id))
    )
    fair_rows = await session.execute(
        select(Fair.id, Fair.name)
        .where(Fair.office_id == drive.office_id)
        .order_by(Fair.opens_at.desc())
    )
    partner_ids = select(DrivePartner.company_id).where(DrivePartner.drive_id == drive.id)
    partners = await session.execute(
        select(Company.id, Company.name).where(Company.id.in_(partner_ids)).order_by(Company.name)
    )
    # Companies that took part in the office's fairs (a booth) are the likely partners.
    office_companies = select(Booth.company_id).join(Fair, Fair.id == Booth.fair_id)
    office_companies = office_companies.where(Fair.office_id == drive.office_id)
    others = await session.execute(
        select(Company.id, Company.name)
        .where(Company.id.in_(office_companies), Company.id.not_in(partner_ids))
        .order_by(Company.name)
        .limit(500)
    )
    return DriveSetup(
        fairs=[(Choice(i, n), i in linked) for i, n in fair_rows],
        partners=[Choice(i, n) for i, n in partners],
        companies=[Choice(i, n) for i, n in others],
    )


# ------------------------------------------------------------ direct placements


async def partner_drives(session: AsyncSession, user: User) -> list[Drive]:
    """The drives the recruiter's company is a partner of."""
    member = await membership(session, user)
    return list(
        await session.scalars(
            select(Drive)
            .join(DrivePartner, DrivePartner.drive_id == Drive.id)
            .where(DrivePartner.company_id == member.company_id)
            .order_by(Drive.last_day.desc(), Drive.id.desc())
        )
    )


async def _partner_drive(session: AsyncSession, user: User, drive_id: int) -> tuple[Drive, int]:
    member = await membership(session, user)
    drive = await session.get(Drive, drive_id)
    if drive is None or await session.get(DrivePartner, (drive_id, member.company_id)) is None:
        raise NotFound(gettext("We could not find that page."))
    return drive, member.company_id


async def drive_zone(session: AsyncSession, drive_id: int) -> str:
    """The zone the drive's days are counted in: its fairs' when they share one."""
    zones = await session.scalars(
        select(Fair.timezone)
        .join(DriveFair, DriveFair.fair_id == Fair.id)
        .where(DriveFair.drive_id == drive_id)
    )
    return common_zone(zones)


def period_of(drive: Drive) -> Period:
    return Period.between(drive.first_day, drive.last_day)


async def report_placement(
    session: AsyncSession,
    user: User,
    drive_id: int,
    values: Mapping[str, Any],
    nik_fingerprint: Any,
    now: datetime,
    *,
    applicants_path: str = "",
    base_url: str = "",
) -> DirectPlacement:
    """A partner's recruiter reports a hire outside any fair. The applicant is found by
    NIK (``nik_fingerprint`` turns a NIK into its stored fingerprint) or by e-mail, and
    is asked to confirm it in the app and by e-mail, as for a fair hire."""
    drive, company_id = await _partner_drive(session, user, drive_id)
    fields = {key: values.get(key) or None for key in PlacementReport.model_fields}
    try:
        report = PlacementReport.model_validate(fields)
    except ValidationError as error:
        raise ValidationFailed(
            gettext("Please check the form."),
            fields=field_messages(error, {**REPORT_MESSAGES, "who": FIND_MESSAGE}),
        ) from None
    zone = await drive_zone(session, drive.id)
    today = local_date(now, zone)
    if not period_of(drive).contains(today):
        raise Conflict(
            gettext("This drive is not running today: placements are reported during its days.")
        )
    if abs((report.start_date - today).days) > 366:
        message = gettext("Give a first working day within a year of today.")
        raise ValidationFailed(message, fields={"start_date": message})
    who = report.who
    if "@" in who:
        clause = Applicant.user_id.in_(select(User.id).where(User.email == who.lower()))
    elif who.isdigit() and len(who) == 16:
        clause = Applicant.nik_hmac == nik_fingerprint(who)
    else:
        message = gettext(FIND_MESSAGE)
        raise ValidationFailed(message, fields={"who": message})
    applicant = await session.scalar(
        select(Applicant).where(clause, Applicant.anonymised_at.is_(None))
    )
    if applicant is None or applicant.user_id is None:
        message = gettext(
            "No registered job seeker has this NIK or e-mail. Ask them to register first."
        )
        raise ValidationFailed(message, fields={"who": message})
    if await session.scalar(
        select(DirectPlacement.id).where(
            DirectPlacement.drive_id == drive.id,
            DirectPlacement.company_id == company_id,
            DirectPlacement.applicant_id == applicant.id,
        )
    ):
        message = gettext("Your company has already reported this person for this drive.")
        raise Conflict(message, fields={"who": message})
    placement = DirectPlacement(
        drive_id=drive.id,
        company_id=company_id,
        applicant_id=applicant.id,
        reported_by_user_id=user.id,
        reported_at=now,
        start_date=report.start_date,
        job_title=report.job_title,
    )
    session.add(placement)
    await session.flush()
    audit.record(
        session,
        "drive.placement_reported",
        object_type="direct_placement",
        object_id=placement.id,
        actor_user_id=user.id,
        data={"drive_id": drive.id, "company_id": company_id},
    )
    await _ask_to_confirm(
        session, placement, drive, applicant, now, base_url=base_url, path=applicants_path
    )
    return placement


FIND_MESSAGE = N_("Give the person's 16-digit NIK or the e-mail of their account.")


async def _ask_to_confirm(
    session: AsyncSession,
    placement: DirectPlacement,
    drive: Drive,
    applicant: Applicant,
    now: datetime,
    *,
    base_url: str,
    path: str,
) -> None:
    """The in-app notification (worded when read) and the e-mail, in the applicant's
    language, as a fair hire is announced (screening._tell_applicants)."""
    company = await session.get(Company, placement.company_id)
    user = await session.get(User, applicant.user_id)
    if user is None or company is None:
        return
    link = f"{path.rstrip('/')}/{placement.id}" if path else None
    await notifications.write(
        session,
        [
            {
                "user_id": user.id,
                "kind": DIRECT_PLACEMENT,
                "params": {
                    "placement_id": placement.id,
                    "company": company.name,
                    "job": placement.job_title,
                    "drive": drive.name,
                    "link": link,
                },
                # The line links to the answer page; "see all my applications" does not fit.
                "link": None,
                "created_at": now,
            }
        ],
    )
    if not user.email:
        return
    with i18n.using(user.locale):
        subject = gettext("Please confirm your hire")
        body = "\n".join(
            [
                gettext(
                    "%(company)s reports that it hired you as %(job)s (%(drive)s).",
                    company=company.name,
                    job=placement.job_title,
                    drive=drive.name,
                ),
                gettext("Please confirm it, so the labour office counts your placement."),
                "",
                gettext(
                    "See the details in your account: %(link)s",
                    link=base_url.rstrip("/") + (link or ""),
                ),
            ]
        )
    await mail.queue_mail(
        session,
        to_address=user.email,
        subject=subject,
        body=body,
        dedupe_key=f"direct_placement:{placement.id}",
        user_id=user.id,
    )


@dataclass(frozen=True)
class MyDirectPlacement:
    placement: DirectPlacement
    company: str
    drive: str


async def my_direct_placement(
    session: AsyncSession, user: User, placement_id: int
) -> MyDirectPlacement:
    applicant = await applicant_of(session, user)
    row = (
        await session.execute(
            select(DirectPlacement, Company.name, Drive.name)
            .join(Company, Company.id == DirectPlacement.company_id)
            .join(Drive, Drive.id == DirectPlacement.drive_id)
            .where(DirectPlacement.id == placement_id, DirectPlacement.applicant_id == applicant.id)
        )
    ).first()
    if row is None:
        raise NotFound(gettext("We could not find that page."))
    return MyDirectPlacement(*row)


async def decide_direct_placement(
    session: AsyncSession,
    user: User,
    placement_id: int,
    confirm: bool,
    now: datetime,
    reason: str | None = None,
) -> DirectPlacement:
    """The applicant confirms or denies a direct placement: the same answer as for a
    fair hire (screening.answer_placement), audited with the same actions."""
    mine = await my_direct_placement(session, user, placement_id)
    placement = mine.placement
    answer_placement(placement, confirm, now, reason)
    audit.record(
        session,
        "placement.confirmed" if confirm else "placement.denied",
        object_type="direct_placement",
        object_id=placement.id,
        actor_user_id=user.id,
    )
    return placement


# ------------------------------------------------------------------ progress


@dataclass(frozen=True)
class PartnerRow:
    company_id: int
    name: str
    placed: int
    local: int


@dataclass(frozen=True)
class WeekRow:
    number: int
    first_day: date
    last_day: date
    placed: int
    cumulative: int


@dataclass
class Progress:
    """The drive's figures (see the module's docstring for the rule)."""

    target: int
    placed: int = 0
    local: int = 0
    from_fairs: int = 0
    direct: int = 0
    pending: int = 0
    weeks: list[WeekRow] = field(default_factory=list)
    partners: list[PartnerRow] = field(default_factory=list)
    silent: list[Choice] = field(default_factory=list)
    # Placed people whose credited company is not (or no longer) a partner.
    outside_partners: int = 0

    @property
    def non_local(self) -> int:
        return self.placed - self.local

    @property
    def share(self) -> float:
        """Of the target, 0–1 (above 1 once the target is passed)."""
        return self.placed / self.target if self.target else 0.0

    @property
    def bar_percent(self) -> int:
        """The progress bar's width, capped at 100."""
        return min(100, round(self.share * 100))


def _hires(drive: Drive, start: datetime, end: datetime, *, confirmed_only: bool) -> Any:
    """(applicant, company, reported_at, source) of the drive's placements in [start, end)."""
    fair_hires = (
        select(
            Application.applicant_id.label("applicant_id"),
            Booth.company_id.label("company_id"),
            Placement.reported_at.label("reported_at"),
            literal(0).label("direct"),
        )
        .select_from(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Booth, Booth.id == Application.booth_id)
        .join(DriveFair, DriveFair.fair_id == Placement.fair_id)
        .where(
            DriveFair.drive_id == drive.id,
            Placement.reported_at >= start,
            Placement.reported_at < end,
        )
    )
    direct = select(
        DirectPlacement.applicant_id,
        DirectPlacement.company_id,
        DirectPlacement.reported_at,
        literal(1),
    ).where(
        DirectPlacement.drive_id == drive.id,
        DirectPlacement.reported_at >= start,
        DirectPlacement.reported_at < end,
    )
    if confirmed_only:
        fair_hires = fair_hires.where(is_confirmed(Placement.confirmation))
        direct = direct.where(is_confirmed(DirectPlacement.confirmation))
    return union_all(fair_hires, direct).subquery()


async def progress(session: AsyncSession, drive: Drive) -> Progress:
    zone = await drive_zone(session, drive.id)
    period = period_of(drive)
    start, end = period.utc_bounds(zone)
    result = Progress(target=drive.target)
    confirmed = _hires(drive, start, end, confirmed_only=True)
    rows = await session.execute(
        select(
            confirmed.c.applicant_id,
            confirmed.c.company_id,
            confirmed.c.reported_at,
            confirmed.c.direct,
            Applicant.ktp_regency_code.in_(
                select(DriveRegency.regency_code).where(DriveRegency.drive_id == drive.id)
            ),
        )
        .join(Applicant, Applicant.id == confirmed.c.applicant_id)
        .order_by(confirmed.c.reported_at, confirmed.c.direct)
    )
    # Once per person: the earliest confirmed placement is the one credited.
    credited: dict[int, tuple[int, datetime, bool, bool]] = {}
    for applicant_id, company_id, reported_at, direct, local in rows:
        credited.setdefault(applicant_id, (company_id, reported_at, bool(direct), bool(local)))
    weeks = [0] * ((period.days + 6) // 7)
    per_company: dict[int, list[int]] = {}
    for company_id, reported_at, direct, local in credited.values():
        result.placed += 1
        result.local += local
        result.direct += direct
        result.from_fairs += not direct
        day = local_date(reported_at, zone)
        weeks[min(len(weeks) - 1, (day - drive.first_day).days // 7)] += 1
        counts = per_company.setdefault(company_id, [0, 0])
        counts[0] += 1
        counts[1] += local
    running = 0
    for index, placed in enumerate(weeks):
        running += placed
        first = drive.first_day + timedelta(days=7 * index)
        result.weeks.append(
            WeekRow(
                index + 1, first, min(drive.last_day, first + timedelta(days=6)), placed, running
            )
        )
    partners = (
        await session.execute(
            select(Company.id, Company.name)
            .join(DrivePartner, DrivePartner.company_id == Company.id)
            .where(DrivePartner.drive_id == drive.id)
            .order_by(Company.name)
        )
    ).all()
    partner_ids = {company_id for company_id, _name in partners}
    result.partners = [PartnerRow(i, n, *per_company.get(i, [0, 0])) for i, n in partners]
    result.partners.sort(key=lambda row: (-row.placed, row.name.casefold()))
    result.outside_partners = sum(
        counts[0] for company_id, counts in per_company.items() if company_id not in partner_ids
    )
    every = _hires(drive, start, end, confirmed_only=False)
    reporting = set(await session.scalars(select(every.c.company_id).distinct()))
    result.silent = [Choice(i, n) for i, n in partners if i not in reporting]
    pending = _hires_pending(drive, start, end)
    result.pending = await session.scalar(select(func.count()).select_from(pending)) or 0
    return result


@dataclass(frozen=True)
class ProgressFile:
    """What a drive's progress download needs: the drive, its :func:`progress` (the
    page's and the API's figures, not counted again), the zone its days are counted in
    and its office (the file's organiser and letterhead)."""

    drive: Drive
    progress: Progress
    timezone: str
    office: LabourOffice


async def progress_file(session: AsyncSession, user: User, drive_id: int) -> ProgressFile:
    """The drive's figures for a file, scoped as the drive page (:func:`scoped_drive`)."""
    drive = await scoped_drive(session, user, drive_id)
    figures = await progress(session, drive)
    office = await session.get(LabourOffice, drive.office_id)
    if office is None:
        raise authority.not_found()
    return ProgressFile(drive, figures, await drive_zone(session, drive.id), office)


def _hires_pending(drive: Drive, start: datetime, end: datetime) -> Any:
    """Reported placements still waiting for the applicant's answer (direct ones)."""
    return (
        select(DirectPlacement.id)
        .where(
            DirectPlacement.drive_id == drive.id,
            DirectPlacement.reported_at >= start,
            DirectPlacement.reported_at < end,
            DirectPlacement.confirmation == PlacementConfirmation.PENDING,
        )
        .subquery()
    )
