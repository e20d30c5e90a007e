"""Interchange with the ministry's systems (SIAPkerja/Karirhub): CSV and JSON exports
of job seekers, vacancies and companies of a period, in stable column sets, and the
import of AK/I numbers matched by NIK.

The column sets (:data:`COLUMNS`) are part of the contract: the README lists them
and a test compares the two, so a column is added at the end and never renamed.

What "of a period" means, for an office (its fairs are those whose window, opening to
closing, overlaps the period's days in WIB):

- ``companies``: companies with an approved booth in those fairs (NIB, KBLI);
- ``vacancies``: verified vacancies of those fairs, with the content of a vacancy report
  of Perpres 57/2023 (employer, title, workers needed by sex, validity, age, sex,
  education, skills, experience, wage, work location, other information, filled);
- ``job_seekers``: job seekers who agree, at the time of the export, to be shared with
  the ministry's systems (``Applicant.interchange_consent_at``: asked at registration,
  self or walk-in, and given or withdrawn by the applicant on their sharing page, see
  ``services.applicants.set_interchange_consent``; a withdrawn consent leaves them out of
  every later export) and who applied in those fairs or were registered in the period by
  one of the office's officers; never an anonymised profile. Their NIK is exported
  whole: the ministry matches by it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import gettext
from jobfair.models import Applicant, Application, Booth, Company, Fair, LabourOffice, User, Vacancy
from jobfair.models.accounts import Role
from jobfair.models.companies import BoothStatus
from jobfair.models.vacancies import VacancyVerification
from jobfair.reference.nik import NikError, parse_nik
from jobfair.schemas.profile import AK1_PATTERN
from jobfair.services import audit, periods, times
from jobfair.services.errors import ValidationFailed
from jobfair.services.exports import _safe as formula_safe
from jobfair.services.identity import NikVault
from jobfair.services.periods import Period, PeriodKind

FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
COLUMNS: dict[str, tuple[str, ...]] = {
    "job_seekers": (
        "nik",
        "full_name",
        "sex",
        "birth_place",
        "birth_date",
        "education_level",
        "education_major",
        "institution",
        "graduation_year",
        "ktp_regency_code",
        "domicile_regency_code",
        "disability_kinds",
        "ak1_number",
        "email",
        "phone",
        "registered_on",
        "interchange_consent_on",
        "assisted",
        "sought_kbji_code",
    ),
    "vacancies": (
        "vacancy_id",
        "company_nib",
        "company_name",
        "title",
        "kbji_code",
        "workers_male",
        "workers_female",
        "workers_either",
        "workers_total",
        "valid_from",
        "valid_until",
        "age_min",
        "age_max",
        "sex",
        "education_min",
        "skills",
        "experience_years",
        "salary_min",
        "salary_max",
        "work_regency_code",
        "employment_type",
        "other_information",
        "filled_on",
        "fair",
    ),
    "companies": (
        "nib",
        "npwp",
        "name",
        "kbli",
        "kbli_section",
        "employer_type",
        "regency_code",
        "website",
        "fairs",
    ),
}
DATASETS = tuple(COLUMNS)
# Text typed by people, guarded against spreadsheet formulas in CSV.
_TYPED = {"full_name", "company_name", "title", "skills", "other_information", "name"}
AK1_IMPORT_MAX_ROWS = 50_000


def _day(moment: datetime | None, timezone: str = times.DEFAULT_TIMEZONE) -> str:
    return times.local_date(moment, timezone).isoformat() if moment else ""


async def _fairs(session: AsyncSession, office: LabourOffice, period: Period) -> list[Fair]:
    opens, closes = period.utc_bounds()
    return list(
        await session.scalars(
            select(Fair)
            .where(Fair.office_id == office.id, Fair.opens_at < closes, Fair.closes_at > opens)
            .order_by(Fair.opens_at, Fair.id)
        )
    )


async def _companies(session: AsyncSession, fairs: list[Fair]) -> list[dict[str, Any]]:
    slugs = {fair.id: fair.slug for fair in fairs}
    rows = await session.execute(
        select(Company, Booth.fair_id)
        .join(Booth, Booth.company_id == Company.id)
        .where(Booth.fair_id.in_(slugs), Booth.status == BoothStatus.APPROVED)
        .order_by(Company.nib)
    )
    companies: dict[int, dict[str, Any]] = {}
    for company, fair_id in rows:
        row = companies.setdefault(
            company.id,
            {
                "nib": company.nib,
                "npwp": company.npwp or "",
                "name": company.name,
                "kbli": company.kbli,
                "kbli_section": company.kbli_section,
                "employer_type": company.employer_type,
                "regency_code": company.regency_code,
                "website": company.website or "",
                "fairs": [],
            },
        )
        row["fairs"].append(slugs[fair_id])
    for row in companies.values():
        row["fairs"] = " ".join(sorted(row["fairs"]))
    return list(companies.values())


def _sex_needed(vacancy: Vacancy) -> str:
    """L, P or LP: which sexes the vacancy's openings are for."""
    if vacancy.openings_either or (vacancy.openings_male and vacancy.openings_female):
        return "LP"
    return "L" if vacancy.openings_male else "P" if vacancy.openings_female else "LP"


async def _vacancies(session: AsyncSession, fairs: list[Fair]) -> list[dict[str, Any]]:
    by_id = {fair.id: fair for fair in fairs}
    rows = await session.execute(
        select(Vacancy, Company)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(
            Vacancy.fair_id.in_(by_id),
            Vacancy.verification == VacancyVerification.VERIFIED,
            Booth.status == BoothStatus.APPROVED,
        )
        .order_by(Vacancy.id)
    )
    result = []
    for vacancy, company in rows:
        fair = by_id[vacancy.fair_id]
        valid_until = vacancy.deadline or times.local_date(fair.closes_at, fair.timezone)
        result.append(
            {
                "vacancy_id": vacancy.id,
                "company_nib": company.nib,
                "company_name": company.name,
                "title": vacancy.title,
                "kbji_code": vacancy.kbji_code,
                "workers_male": vacancy.openings_male,
                "workers_female": vacancy.openings_female,
                "workers_either": vacancy.openings_either,
                "workers_total": vacancy.openings,
                "valid_from": _day(fair.opens_at, fair.timezone),
                "valid_until": valid_until.isoformat(),
                "age_min": vacancy.age_min if vacancy.age_min is not None else "",
                "age_max": vacancy.age_max if vacancy.age_max is not None else "",
                "sex": _sex_needed(vacancy),
                "education_min": vacancy.education_min,
                "skills": "; ".join(vacancy.skill_list),
                "experience_years": vacancy.experience_years,
                "salary_min": vacancy.salary_min if vacancy.salary_min is not None else "",
                "salary_max": vacancy.salary_max if vacancy.salary_max is not None else "",
                "work_regency_code": vacancy.work_regency_code,
                "employment_type": vacancy.employment_type,
                "other_information": vacancy.description,
                "filled_on": _day(vacancy.filled_at, fair.timezone),
                "fair": fair.slug,
            }
        )
    return result


async def _job_seekers(
    session: AsyncSession,
    office: LabourOffice,
    period: Period,
    fairs: list[Fair],
    vault: NikVault,
) -> list[dict[str, Any]]:
    opens, closes = period.utc_bounds()
    officers = select(User.id).where(User.office_id == office.id, User.role == Role.ORGANISER)
    applied = select(Application.applicant_id).where(
        Application.fair_id.in_([fair.id for fair in fairs])
    )
    rows = await session.execute(
        select(Applicant, User)
        .join(User, User.id == Applicant.user_id)
        .where(
            Applicant.interchange_consent_at.is_not(None),
            Applicant.anonymised_at.is_(None),
            Applicant.nik_ciphertext.is_not(None),
            or_(
                Applicant.id.in_(applied),
                Applicant.assisted_by_user_id.in_(officers)
                & (Applicant.created_at >= opens)
                & (Applicant.created_at < closes),
            ),
        )
        .order_by(Applicant.id)
    )
    result = []
    for applicant, user in rows:
        assert applicant.nik_ciphertext is not None
        result.append(
            {
                "nik": vault.decrypt(applicant.nik_ciphertext),
                "full_name": user.full_name,
                "sex": applicant.sex,
                "birth_place": applicant.birth_place or "",
                "birth_date": applicant.birth_date.isoformat(),
                "education_level": applicant.education_level,
                "education_major": applicant.education_major or "",
                "institution": applicant.institution or "",
                "graduation_year": applicant.graduation_year or "",
                "ktp_regency_code": applicant.ktp_regency_code,
                "domicile_regency_code": applicant.domicile_regency_code,
                "disability_kinds": applicant.disability_kinds,
                "ak1_number": applicant.ak1_number or "",
                "email": user.email or "",
                "phone": user.phone or "",
                "registered_on": _day(applicant.created_at),
                "interchange_consent_on": _day(applicant.interchange_consent_at),
                "assisted": "1" if applicant.assisted_by_user_id else "0",
                "sought_kbji_code": applicant.sought_kbji_code or "",
            }
        )
    return result


async def dataset(
    session: AsyncSession,
    office: LabourOffice,
    name: str,
    period: Period,
    vault: NikVault,
    *,
    actor_user_id: int | None = None,
) -> list[dict[str, Any]]:
    """The rows of one dataset (dicts keyed by :data:`COLUMNS`), audited as an export
    of personal data when it holds job seekers."""
    if name not in COLUMNS:
        message = gettext("Choose job seekers, vacancies or companies.")
        raise ValidationFailed(message, fields={"dataset": message})
    fairs = await _fairs(session, office, period)
    if name == "companies":
        rows = await _companies(session, fairs)
    elif name == "vacancies":
        rows = await _vacancies(session, fairs)
    else:
        rows = await _job_seekers(session, office, period, fairs, vault)
    audit.record(
        session,
        "interchange.exported",
        object_type="office",
        object_id=office.id,
        actor_user_id=actor_user_id,
        data={"dataset": name, "period": period.key, "rows": len(rows)},
    )
    return rows


def to_csv(name: str, rows: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 without BOM (for machines), a header row of :data:`COLUMNS`, comma
    separated; text people typed is guarded against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = COLUMNS[name]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([formula_safe(row[c]) if c in _TYPED else row[c] for c in columns])
    return buffer.getvalue().encode("utf-8")


def to_json(
    name: str, rows: Sequence[dict[str, Any]], office: LabourOffice, period: Period
) -> bytes:
    """``{"dataset", "office", "period": {"key", "start", "end"}, "columns", "rows"}``
    with each row an object of the columns, in their order."""
    document = {
        "dataset": name,
        "office": office.slug,
        "period": {
            "key": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "columns": list(COLUMNS[name]),
        "rows": [{c: row[c] for c in COLUMNS[name]} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def encode(
    name: str,
    file_format: str,
    rows: Sequence[dict[str, Any]],
    office: LabourOffice,
    period: Period,
) -> bytes:
    if file_format == "json":
        return to_json(name, rows, office, period)
    return to_csv(name, rows)


def filename(office: LabourOffice, name: str, period: Period, file_format: str) -> str:
    return f"{office.slug}-{name.replace('_', '-')}-{period.key}.{file_format}"


# -------------------------------------------------------------- AK/I import


@dataclass
class Ak1Import:
    """What an AK/I import did, by row number of the file (the header is row 1)."""

    matched: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)  # row, why


def _rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = gettext("The file is not UTF-8 text (save it as CSV UTF-8).")
        raise ValidationFailed(message, fields={"file": message}) from None
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


async def import_ak1(
    session: AsyncSession,
    office: LabourOffice,
    content: bytes,
    vault: NikVault,
    today: date,
    *,
    actor_user_id: int,
) -> Ak1Import:
    """Set AK/I numbers from a CSV with the columns ``nik`` and ``ak1_number`` (a header
    row; comma or semicolon separated, as spreadsheets save it). A row is matched when
    its NIK is registered (by its keyed hash, never by the number), unknown when it is
    not, invalid when the NIK or the number breaks their rules. Audited with the counts
    only: the numbers are personal data."""
    rows = _rows(content)
    if not rows:
        message = gettext("The file is empty.")
        raise ValidationFailed(message, fields={"file": message})
    header = [cell.strip().lower() for cell in rows[0]]
    if "nik" not in header or "ak1_number" not in header:
        message = gettext("The first row must name the columns nik and ak1_number.")
        raise ValidationFailed(message, fields={"file": message})
    if len(rows) - 1 > AK1_IMPORT_MAX_ROWS:
        message = gettext("At most %(limit)s rows in one file.", limit=AK1_IMPORT_MAX_ROWS)
        raise ValidationFailed(message, fields={"file": message})
    nik_at, number_at = header.index("nik"), header.index("ak1_number")
    report = Ak1Import()
    wanted: dict[str, list[tuple[int, str]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (max(nik_at, number_at) + 1 - len(row))
        nik = "".join(ch for ch in cells[nik_at] if ch not in " .-")
        ak1 = cells[number_at].strip()
        try:
            parse_nik(nik, today=today)
        except NikError:
            report.invalid.append((number, gettext("This is not a valid NIK.")))
            continue
        if not AK1_PATTERN.match(ak1):
            report.invalid.append(
                (number, gettext("An AK/I number has 4 to 24 letters, digits, . / or -."))
            )
            continue
        wanted.setdefault(vault.fingerprint(nik), []).append((number, ak1))
    found = {
        applicant.nik_hmac: applicant
        for applicant in await session.scalars(
            select(Applicant).where(
                Applicant.nik_hmac.in_(list(wanted)), Applicant.anonymised_at.is_(None)
            )
        )
    }
    for fingerprint, entries in wanted.items():
        applicant = found.get(fingerprint)
        for number, ak1 in entries:
            if applicant is None:
                report.unknown.append(number)
            else:
                applicant.ak1_number = ak1  # a later row for the same NIK wins
                report.matched.append(number)
    await session.flush()
    report.matched.sort()
    report.unknown.sort()
    audit.record(
        session,
        "interchange.ak1_imported",
        object_type="office",
        object_id=office.id,
        actor_user_id=actor_user_id,
        data={
            "matched": len(report.matched),
            "unknown": len(report.unknown),
            "invalid": len(report.invalid),
        },
    )
    return report


# ------------------------------------------------------ periods on the command line

_KEY_FORMS = {"Q": PeriodKind.QUARTER, "S": PeriodKind.SEMESTER}


def period_from_key(key: str, today: date) -> Period:
    """A period as :attr:`Period.key` writes it (``2026-Q4``, ``2026-S1``, ``2026-07``,
    ``2026``, ``2026-01-15_2026-02-14``) or relative to ``today`` for scheduled runs:
    ``last-month``, ``last-quarter``, ``last-semester``, ``last-year``. ValueError
    otherwise."""
    key = key.strip()
    if key.startswith("last-"):
        kind = PeriodKind(key.removeprefix("last-"))
        if kind is PeriodKind.CUSTOM:
            raise ValueError(key)
        return Period.containing(kind, today).previous()
    if "_" in key:
        first, last = key.split("_", 1)
        return periods.parse(
            "custom", start=date.fromisoformat(first), end=date.fromisoformat(last)
        )
    year, _, rest = key.partition("-")
    if not year.isdigit():
        raise ValueError(key)
    if not rest:
        return periods.parse("year", int(year))
    if rest[0] in _KEY_FORMS and rest[1:].isdigit():
        return periods.parse(_KEY_FORMS[rest[0]].value, int(year), int(rest[1:]))
    if rest.isdigit():
        return periods.parse("month", int(year), int(rest))
    raise ValueError(key)
