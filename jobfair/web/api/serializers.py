"""Rows and service results into the API's response models (``jobfair.schemas``), and
models into JSON answers. Times are ISO 8601 UTC, money integer rupiah."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from starlette.responses import JSONResponse

from jobfair.models import Applicant, Company, Cv, Fair, User, Vacancy
from jobfair.schemas import accounts, applications, catalogue, screening
from jobfair.services import notifications
from jobfair.services.applications import MyApplication, Submitted, TimelineEntry
from jobfair.services.catalogue import BoothCard
from jobfair.services.fairs import FairCounts
from jobfair.services.screening import Row


def respond(
    model: BaseModel, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status_code, headers=headers)


# ---------------------------------------------------------------------- catalogue


def fair(fair: Fair, counts: FairCounts, now: datetime, *, online: int = 0) -> catalogue.Fair:
    return catalogue.Fair(
        slug=fair.slug,
        name=fair.name,
        description=fair.description,
        office=catalogue.SlugAndName(slug=fair.office.slug, name=fair.office.name),
        timezone=fair.timezone,
        status=fair.phase(now).value,
        registration_opens_at=fair.registration_opens_at,
        opens_at=fair.opens_at,
        closes_at=fair.closes_at,
        decision_deadline=fair.decision_deadline,
        host_regency_codes=fair.host_regency_codes,
        local_hiring_target=fair.local_hiring_target,
        application_cap=fair.application_cap,
        counts=catalogue.Counts(**counts.as_dict(), online=online),
    )


def company(company: Company) -> catalogue.Company:
    return catalogue.Company(
        slug=company.slug,
        name=company.name,
        kbli=company.kbli,
        sector=company.kbli_section,
        employer_type=company.employer_type,
        regency_code=company.regency_code,
        website=company.website,
    )


def booth(card: BoothCard) -> catalogue.Booth:
    return catalogue.Booth(
        id=card.booth.id,
        company=company(card.company),
        description=card.booth.description,
        video_url=card.booth.video_url,
        vacancies=card.vacancies,
        openings=card.openings,
    )


def vacancy(vacancy: Vacancy) -> catalogue.Vacancy:
    owner = vacancy.booth.company
    return catalogue.Vacancy(
        id=vacancy.id,
        title=vacancy.title,
        company=catalogue.VacancyCompany(
            slug=owner.slug, name=owner.name, sector=owner.kbli_section
        ),
        kbji_code=vacancy.kbji_code,
        openings=catalogue.Openings(
            male=vacancy.openings_male,
            female=vacancy.openings_female,
            either=vacancy.openings_either,
            total=vacancy.openings,
        ),
        education_min=vacancy.education_min,
        age_min=vacancy.age_min,
        age_max=vacancy.age_max,
        experience_years=vacancy.experience_years,
        skills=vacancy.skill_list,
        description=vacancy.description,
        salary_min=vacancy.salary_min,
        salary_max=vacancy.salary_max,
        work_regency_code=vacancy.work_regency_code,
        employment_type=vacancy.employment_type,
        deadline=vacancy.deadline,
        status=vacancy.status,
    )


# ----------------------------------------------------------------------- accounts


def cv_info(cv: Cv) -> accounts.CvInfo:
    return accounts.CvInfo(
        filename=cv.original_filename, size_bytes=cv.size_bytes, uploaded_at=cv.uploaded_at
    )


def profile(user: User, applicant: Applicant, cv: Cv | None) -> accounts.Profile:
    return accounts.Profile(
        id=user.id,
        role=user.role,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        nik=applicant.nik_masked,
        sex=applicant.sex,
        birth_date=applicant.birth_date,
        birth_place=applicant.birth_place,
        education_level=applicant.education_level,
        education_major=applicant.education_major,
        institution=applicant.institution,
        graduation_year=applicant.graduation_year,
        experience_years=applicant.experience_years,
        sought_kbji_code=applicant.sought_kbji_code,
        ktp_regency_code=applicant.ktp_regency_code,
        domicile_regency_code=applicant.domicile_regency_code,
        disability=[kind for kind in applicant.disability_kinds.split(",") if kind],
        ak1_number=applicant.ak1_number,
        skills=applicant.skills,
        interchange_consent_at=applicant.interchange_consent_at,
        cv=None if cv is None else cv_info(cv),
    )


def account(user: User) -> accounts.Account:
    return accounts.Account(
        id=user.id, role=user.role, full_name=user.full_name, email=user.email, phone=user.phone
    )


# ------------------------------------------------------------------- applications


def _my_fields(item: MyApplication) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": item.status,
        "submitted_at": item.submitted_at,
        "updated_at": item.updated_at,
        "vacancy": applications.VacancyRef(id=item.vacancy_id, title=item.vacancy_title),
        "company": catalogue.SlugAndName(slug=item.company_slug, name=item.company_name),
        "fair": catalogue.SlugAndName(slug=item.fair_slug, name=item.fair_name),
        "can_withdraw": item.can_withdraw,
    }


def my_application(item: MyApplication) -> applications.MyApplication:
    return applications.MyApplication(**_my_fields(item))


def submitted_application(submitted: Submitted) -> applications.SubmittedApplication:
    return applications.SubmittedApplication(
        **_my_fields(submitted.summary),
        warnings=[
            applications.ApplyWarning(code=warning.code, message=warning.message)
            for warning in submitted.warnings
        ],
    )


def my_application_detail(
    item: MyApplication, timeline: list[TimelineEntry]
) -> applications.MyApplicationDetail:
    return applications.MyApplicationDetail(
        **_my_fields(item),
        timeline=[
            applications.TimelineEntry(status=entry.status, at=entry.at, note=entry.note)
            for entry in timeline
        ],
    )


def notification(row: notifications.Shown) -> applications.Notification:
    return applications.Notification(
        id=row.id,
        subject=row.subject,
        body=row.text,
        link=row.link,
        created_at=row.created_at,
        read_at=row.read_at,
    )


def company_application(row: Row) -> screening.CompanyApplication:
    return screening.CompanyApplication(
        id=row.id,
        status=row.status,
        released_status=row.released_status,
        pending=bool(row.pending),
        rating=row.rating,
        submitted_at=row.submitted_at,
        vacancy=applications.VacancyRef(id=row.vacancy_id, title=row.vacancy_title),
        applicant=screening.ApplicantSummary(
            id=row.applicant_id,
            full_name=row.full_name,
            sex=row.sex,
            birth_date=row.birth_date,
            education_level=row.education_level,
            ktp_regency_code=row.ktp_regency_code,
            domicile_regency_code=row.domicile_regency_code,
            has_disability=bool(row.has_disability),
            is_local=bool(row.is_local),
        ),
    )
