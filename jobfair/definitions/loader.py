"""Loading fair definitions into the database (idempotent by slug) and exporting a fair
back to a definition.

Offices, fairs and companies are matched by slug, booths by (fair, company), vacancies
by (booth, ``ref``): loading the same file twice changes nothing the second time.
Nothing is deleted: a vacancy missing from the file may already have applications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.db.base import utcnow
from jobfair.definitions.schema import (
    BoothDefinition,
    CompanyDefinition,
    FairDefinition,
    FairFile,
    OfficeDefinition,
    VacancyDefinition,
)
from jobfair.models import (
    Booth,
    Company,
    Fair,
    FairHostRegency,
    LabourOffice,
    OfficeVerification,
    Vacancy,
)
from jobfair.models.companies import BoothStatus, CompanyVerification
from jobfair.models.fairs import FairStatus
from jobfair.reference.kbli import kbli_section
from jobfair.services import audit, fairs
from jobfair.services.errors import Conflict, NotFound


@dataclass
class LoadResult:
    fair_slug: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

        return f"fair {self.fair_slug}: created {part(self.created)}; updated {part(self.updated)}"


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def shift_window(fair_file: FairFile, delta: timedelta) -> FairFile:
    """The same definition with every date moved by ``delta`` (used by the demo).
    ``model_copy`` keeps the checked values as they are: a shift moves a valid window
    to a valid window."""
    fair = fair_file.fair
    moments = ("registration_opens_at", "opens_at", "closes_at", "decision_deadline")
    moved = fair.model_copy(
        update={key: getattr(fair, key) + delta for key in moments if getattr(fair, key)}
    )

    def later(vacancy: VacancyDefinition) -> VacancyDefinition:
        if vacancy.deadline is None:
            return vacancy
        return vacancy.model_copy(
            update={"deadline": vacancy.deadline + timedelta(days=delta.days)}
        )

    companies = tuple(
        company.model_copy(update={"vacancies": tuple(later(v) for v in company.vacancies)})
        for company in fair_file.companies
    )
    return fair_file.model_copy(update={"fair": moved, "companies": companies})


async def _office(
    session: AsyncSession, spec: OfficeDefinition, result: LoadResult
) -> LabourOffice:
    office = await session.scalar(select(LabourOffice).where(LabourOffice.slug == spec.slug))
    values = {
        "name": spec.name,
        "regency_code": spec.regency_code,
        "province_code": spec.province_code
        or (spec.regency_code.split(".")[0] if spec.regency_code else None),
    }
    if office is None:
        office = LabourOffice(slug=spec.slug, **values)
        session.add(office)
        await session.flush()
        result.count("offices", created=True)
    elif _assign(office, values):
        result.count("offices", created=False)
    return office


async def _fair(
    session: AsyncSession,
    spec: FairDefinition,
    office: LabourOffice,
    result: LoadResult,
    now: datetime,
) -> Fair:
    fair = await session.scalar(select(Fair).where(Fair.slug == spec.slug))
    # Publishing is the fair service's (published_at, the scheduled compile, the audit
    # row): the file's "published" is carried out through it, never assigned.
    publish = spec.status == FairStatus.PUBLISHED and (
        fair is None or fair.status != FairStatus.PUBLISHED
    )
    values = {
        "office_id": office.id,
        "name": spec.name,
        "description": spec.description or "",
        "timezone": spec.timezone,
        "registration_opens_at": spec.registration_opens_at,
        "opens_at": spec.opens_at,
        "closes_at": spec.closes_at,
        "decision_deadline": spec.decision_deadline,
        "local_hiring_target": spec.local_hiring_target,
        "application_cap": spec.application_cap,
    }
    if not publish:
        values["status"] = spec.status
    created = fair is None
    if fair is None:
        fair = Fair(slug=spec.slug, **values)
        fair.host_regencies = [FairHostRegency(regency_code=c) for c in spec.host_regency_codes]
        session.add(fair)
        await session.flush()
        result.count("fairs", created=True)
    else:
        changed = _assign(fair, values)
        if sorted(fair.host_regency_codes) != sorted(spec.host_regency_codes):
            fair.host_regencies = [FairHostRegency(regency_code=c) for c in spec.host_regency_codes]
            changed = True
        if changed or publish:
            result.count("fairs", created=False)
    if publish:
        fairs.publish(session, fair, now=now, actor_user_id=None, allow_closed=True)
    audit.record(
        session,
        "fair.loaded",
        object_type="fair",
        object_id=fair.id,
        fair_id=fair.id,
        data={"created": created},
    )
    return fair


async def _company(session: AsyncSession, spec: CompanyDefinition, result: LoadResult) -> Company:
    company = await session.scalar(select(Company).where(Company.slug == spec.slug))
    owner_of_nib = await session.scalar(select(Company).where(Company.nib == spec.nib))
    if owner_of_nib is not None and owner_of_nib is not company:
        raise Conflict(
            f"company {spec.slug!r}: NIB {spec.nib} already belongs to "
            f"company {owner_of_nib.slug!r}"
        )
    values = {
        "name": spec.name,
        "nib": spec.nib,
        "npwp": spec.npwp,
        "kbli": spec.kbli,
        "kbli_section": kbli_section(spec.kbli).letter,
        "employer_type": spec.employer_type,
        "regency_code": spec.regency_code,
        "website": spec.website,
        "description": spec.description or "",
    }
    if company is None:
        company = Company(slug=spec.slug, **values)
        session.add(company)
        await session.flush()
        result.count("companies", created=True)
    elif _assign(company, values):
        result.count("companies", created=False)
    return company


async def _booth(
    session: AsyncSession,
    fair: Fair,
    company: Company,
    spec: BoothDefinition,
    result: LoadResult,
) -> Booth:
    booth = await session.scalar(
        select(Booth).where(Booth.fair_id == fair.id, Booth.company_id == company.id)
    )
    values = {
        "status": spec.status,
        "description": spec.description or "",
        "video_url": spec.video_url,
        "contact_email": spec.contact_email,
    }
    if booth is None:
        booth = Booth(fair_id=fair.id, company_id=company.id, **values)
        session.add(booth)
        await session.flush()
        result.count("booths", created=True)
    elif _assign(booth, values):
        result.count("booths", created=False)
    if booth.status == BoothStatus.APPROVED:
        # A booth the office's own file approves verifies the company for that office,
        # as approving it in the console does; an office's decision is never overridden.
        decided = await session.scalar(
            select(OfficeVerification.id).where(
                OfficeVerification.company_id == company.id,
                OfficeVerification.office_id == fair.office_id,
            )
        )
        if decided is None:
            session.add(
                OfficeVerification(
                    company_id=company.id,
                    office_id=fair.office_id,
                    status=CompanyVerification.VERIFIED,
                )
            )
    return booth


def _vacancy_values(spec: VacancyDefinition) -> dict[str, Any]:
    return {
        "title": spec.title,
        "kbji_code": spec.kbji,
        "openings_male": spec.openings_male,
        "openings_female": spec.openings_female,
        "openings_either": spec.openings_either,
        "education_min": spec.education_min,
        "age_min": spec.age_min,
        "age_max": spec.age_max,
        "experience_years": spec.experience_years or 0,
        "skills": "\n".join(spec.skills),
        "description": spec.description or "",
        "salary_min": spec.salary_min,
        "salary_max": spec.salary_max,
        "work_regency_code": spec.work_regency_code,
        "employment_type": spec.employment_type,
        "deadline": spec.deadline,
        "status": spec.status,
        "verification": spec.verification,
    }


async def load_fair_file(
    session: AsyncSession,
    fair_file: FairFile,
    *,
    shift: timedelta | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """Create or update everything in ``fair_file``; ``shift`` moves its dates. A fair
    the file calls published is published through ``services.fairs.publish`` at
    ``now``."""
    if shift:
        fair_file = shift_window(fair_file, shift)
    result = LoadResult(fair_slug=fair_file.fair.slug)
    office = await _office(session, fair_file.office, result)
    fair = await _fair(session, fair_file.fair, office, result, now or utcnow())
    existing = {
        (vacancy.booth_id, vacancy.ref): vacancy
        for vacancy in await session.scalars(select(Vacancy).where(Vacancy.fair_id == fair.id))
    }
    for company_spec in fair_file.companies:
        company = await _company(session, company_spec, result)
        booth = await _booth(
            session, fair, company, company_spec.booth or BoothDefinition(), result
        )
        for vacancy_spec in company_spec.vacancies:
            values = _vacancy_values(vacancy_spec)
            vacancy = existing.get((booth.id, vacancy_spec.ref))
            if vacancy is None:
                session.add(
                    Vacancy(booth_id=booth.id, fair_id=fair.id, ref=vacancy_spec.ref, **values)
                )
                result.count("vacancies", created=True)
            elif _assign(vacancy, values):
                result.count("vacancies", created=False)
    await session.flush()
    return result


async def export_fair(session: AsyncSession, slug: str) -> FairFile:
    """The fair as a definition: its office, fair window and every booth's company and
    vacancies (no applications, no people)."""
    fair = await session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise NotFound("fair not found")
    office = fair.office
    booths = list(
        await session.scalars(select(Booth).where(Booth.fair_id == fair.id).order_by(Booth.id))
    )
    vacancies: dict[int, list[Vacancy]] = {}
    for vacancy in await session.scalars(
        select(Vacancy).where(Vacancy.fair_id == fair.id).order_by(Vacancy.id)
    ):
        vacancies.setdefault(vacancy.booth_id, []).append(vacancy)
    companies = []
    for booth in booths:
        company = booth.company
        companies.append(
            CompanyDefinition(
                slug=company.slug,
                name=company.name,
                nib=company.nib,
                npwp=company.npwp,
                kbli=company.kbli,
                employer_type=company.employer_type,
                regency_code=company.regency_code,
                website=company.website,
                description=company.description or None,
                booth=BoothDefinition(
                    status=booth.status,
                    description=booth.description or None,
                    video_url=booth.video_url,
                    contact_email=booth.contact_email,
                ),
                vacancies=tuple(
                    VacancyDefinition(
                        ref=vacancy.ref or f"vacancy-{vacancy.id}",
                        title=vacancy.title,
                        kbji=vacancy.kbji_code,
                        openings_male=vacancy.openings_male,
                        openings_female=vacancy.openings_female,
                        openings_either=vacancy.openings_either,
                        education_min=vacancy.education_min,
                        age_min=vacancy.age_min,
                        age_max=vacancy.age_max,
                        experience_years=vacancy.experience_years,
                        skills=tuple(vacancy.skill_list),
                        description=vacancy.description or None,
                        salary_min=vacancy.salary_min,
                        salary_max=vacancy.salary_max,
                        work_regency_code=vacancy.work_regency_code,
                        employment_type=vacancy.employment_type,
                        deadline=vacancy.deadline,
                        status=vacancy.status,
                        verification=vacancy.verification,
                    )
                    for vacancy in vacancies.get(booth.id, [])
                ),
            )
        )
    return FairFile(
        office=OfficeDefinition(
            slug=office.slug,
            name=office.name,
            regency_code=office.regency_code,
            province_code=office.province_code,
        ),
        fair=FairDefinition(
            slug=fair.slug,
            name=fair.name,
            description=fair.description or None,
            timezone=fair.timezone,
            registration_opens_at=fair.registration_opens_at,
            opens_at=fair.opens_at,
            closes_at=fair.closes_at,
            decision_deadline=fair.decision_deadline,
            host_regency_codes=tuple(fair.host_regency_codes),
            local_hiring_target=fair.local_hiring_target,
            application_cap=fair.application_cap,
            status=fair.status,
        ),
        companies=tuple(companies),
    )
