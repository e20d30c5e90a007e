"""JSON shapes of the API; times in ISO 8601 UTC, money in integer rupiah."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jobfair.models import Company, Fair, Vacancy
from jobfair.services.catalogue import BoothCard
from jobfair.services.fairs import FairCounts


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def fair(fair: Fair, counts: FairCounts, now: datetime, *, online: int = 0) -> dict[str, Any]:
    return {
        "slug": fair.slug,
        "name": fair.name,
        "description": fair.description,
        "office": {"slug": fair.office.slug, "name": fair.office.name},
        "timezone": fair.timezone,
        "status": fair.phase(now).value,
        "registration_opens_at": iso(fair.registration_opens_at),
        "opens_at": iso(fair.opens_at),
        "closes_at": iso(fair.closes_at),
        "decision_deadline": iso(fair.decision_deadline),
        "host_regency_codes": fair.host_regency_codes,
        "local_hiring_target": fair.local_hiring_target,
        "application_cap": fair.application_cap,
        "counts": {**counts.as_dict(), "online": online},
    }


def company(company: Company) -> dict[str, Any]:
    return {
        "slug": company.slug,
        "name": company.name,
        "kbli": company.kbli,
        "sector": company.kbli_section,
        "employer_type": company.employer_type,
        "regency_code": company.regency_code,
        "website": company.website,
    }


def booth(card: BoothCard) -> dict[str, Any]:
    return {
        "id": card.booth.id,
        "company": company(card.company),
        "description": card.booth.description,
        "video_url": card.booth.video_url,
        "vacancies": card.vacancies,
        "openings": card.openings,
    }


def vacancy(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "id": vacancy.id,
        "title": vacancy.title,
        "company": {
            "slug": vacancy.booth.company.slug,
            "name": vacancy.booth.company.name,
            "sector": vacancy.booth.company.kbli_section,
        },
        "kbji_code": vacancy.kbji_code,
        "openings": {
            "male": vacancy.openings_male,
            "female": vacancy.openings_female,
            "either": vacancy.openings_either,
            "total": vacancy.openings,
        },
        "education_min": vacancy.education_min,
        "age_min": vacancy.age_min,
        "age_max": vacancy.age_max,
        "experience_years": vacancy.experience_years,
        "skills": vacancy.skill_list,
        "description": vacancy.description,
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "work_regency_code": vacancy.work_regency_code,
        "employment_type": vacancy.employment_type,
        "deadline": vacancy.deadline.isoformat() if vacancy.deadline else None,
        "status": vacancy.status,
    }
