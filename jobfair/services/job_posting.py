"""A public vacancy as a schema.org ``JobPosting`` (the JSON-LD search engines read),
and its safe serialisation for a ``<script type="application/ld+json">`` element."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

from jobfair.models import Fair, Vacancy
from jobfair.models.vacancies import EmploymentType
from jobfair.reference import regions
from jobfair.reference.countries import country_name, is_country

# Indonesian contract kinds in schema.org's employmentType words. A fixed-term contract
# (PKWT) is temporary work, a partnership (kemitraan) is not employment: a contractor.
EMPLOYMENT_TYPES: dict[str, str] = {
    EmploymentType.PKWTT: "FULL_TIME",
    EmploymentType.PKWT: "TEMPORARY",
    EmploymentType.MAGANG: "INTERN",
    EmploymentType.HARIAN: "PER_DIEM",
    EmploymentType.PARUH_WAKTU: "PART_TIME",
    EmploymentType.KEMITRAAN: "CONTRACTOR",
}


def valid_through(vacancy: Vacancy, fair: Fair) -> datetime:
    """When applying ends: the fair's close, or earlier the end of the deadline day in
    the fair's timezone (the deadline day itself still counts, as in ``closed_reason``)."""
    closes = fair.local(fair.closes_at)
    if vacancy.deadline is None:
        return closes
    end_of_deadline = datetime.combine(vacancy.deadline + timedelta(days=1), time(), fair.zone)
    return min(closes, end_of_deadline)


def _location(code: str) -> dict[str, Any]:
    if is_country(code):
        return {
            "@type": "PostalAddress",
            "addressCountry": code,
            "addressLocality": country_name(code, "en"),
        }
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "ID"}
    if regions.is_regency(code):
        regency = regions.regency(code)
        address["addressLocality"] = regency.display_name
        address["addressRegion"] = regions.province(regency.province_code).name
    return address


def job_posting(vacancy: Vacancy, fair: Fair, url: str) -> dict[str, Any]:
    """The JSON-LD object of a public vacancy; ``url`` is its absolute page address."""
    company = vacancy.booth.company
    organisation: dict[str, Any] = {"@type": "Organization", "name": company.name}
    if company.website and company.website.startswith(("https://", "http://")):
        organisation["sameAs"] = company.website
    posted = vacancy.verified_at or vacancy.created_at
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description or vacancy.title,
        "datePosted": fair.local(posted).date().isoformat(),
        "validThrough": valid_through(vacancy, fair).isoformat(),
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": _location(vacancy.work_regency_code)},
        "directApply": True,
        "url": url,
    }
    kind = EMPLOYMENT_TYPES.get(vacancy.employment_type)
    if kind:
        data["employmentType"] = kind
    if vacancy.salary_min is not None or vacancy.salary_max is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if vacancy.salary_min is not None and vacancy.salary_max is not None:
            value["minValue"] = vacancy.salary_min
            value["maxValue"] = vacancy.salary_max
        else:
            value["value"] = (
                vacancy.salary_min if vacancy.salary_min is not None else vacancy.salary_max
            )
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "IDR", "value": value}
    return data


def script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element nor open markup: ``<``, ``>`` and
    ``&`` are written as ``\\u003c`` and so on, which JSON parsers read back unchanged."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
