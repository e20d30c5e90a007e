"""Factories: build offices, fairs, companies, booths, vacancies and applicants with
sensible defaults, each overridable. They flush; the caller's unit of work commits."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.models import (
    Applicant,
    Application,
    Booth,
    Company,
    Fair,
    FairHostRegency,
    LabourOffice,
    OfficeVerification,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.companies import BoothStatus, CompanyVerification
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import VacancyVerification
from jobfair.services.accounts import NewPassword, password_problem
from jobfair.services.identity import NikVault, Passwords
from jobfair.settings import Settings

_sequence = itertools.count(1)

# An API token made by a test lives as long as the setting's default says.
TOKEN_LIFETIME = timedelta(days=Settings.model_fields["api_token_days"].default)


PASSWORD = "rahasia-sekali"
# Hashes as the app does with the default settings (so no sign-in upgrades them).
_PASSWORDS = Passwords.from_settings(Settings())


def hash_password(password: str) -> str:
    """A password hash made here and now (blocking), for rows a test writes itself."""
    return _PASSWORDS.hash_now(password)


def new_password(password: str = PASSWORD) -> NewPassword:
    """What a handler hands a service for a chosen password (hashed when acceptable)."""
    problem = password_problem(password)
    return NewPassword(problem, None if problem else hash_password(password))


def _next() -> int:
    return next(_sequence)


async def office(session: AsyncSession, **overrides: Any) -> LabourOffice:
    n = _next()
    values: dict[str, Any] = {
        "slug": f"disnaker-{n}",
        "name": f"Dinas Tenaga Kerja {n}",
        "province_code": "12",
        "regency_code": "12.09",
    }
    values.update(overrides)
    row = LabourOffice(**values)
    session.add(row)
    await session.flush()
    return row


async def fair(
    session: AsyncSession,
    *,
    office_row: LabourOffice | None = None,
    opens_at: datetime = datetime(2026, 11, 3, 1, 0, tzinfo=UTC),
    days: int = 7,
    host_regency_codes: tuple[str, ...] = ("12.09",),
    **overrides: Any,
) -> Fair:
    n = _next()
    office_row = office_row or await office(session)
    values: dict[str, Any] = {
        "office_id": office_row.id,
        "slug": f"fair-{n}",
        "name": f"Bursa Kerja Virtual {n}",
        "timezone": "Asia/Jakarta",
        "registration_opens_at": opens_at - timedelta(days=7),
        "opens_at": opens_at,
        "closes_at": opens_at + timedelta(days=days),
        "decision_deadline": opens_at + timedelta(days=days + 14),
        "status": FairStatus.PUBLISHED,
        "local_hiring_target": 50,
    }
    values.update(overrides)
    row = Fair(**values)
    row.host_regencies = [FairHostRegency(regency_code=code) for code in host_regency_codes]
    session.add(row)
    await session.flush()
    return row


async def company(session: AsyncSession, **overrides: Any) -> Company:
    n = _next()
    values: dict[str, Any] = {
        "slug": f"pt-contoh-{n}",
        "name": f"PT Contoh Sejahtera {n}",
        "nib": f"{9100000000000 + n}",
        "kbli": "10721",
        "kbli_section": "C",
        "employer_type": 24,
        "regency_code": "12.09",
    }
    # Verification belongs to each labour office: ``verification`` is what the office
    # of every fair the company gets a booth in by :func:`booth` has decided (verified
    # unless told; "pending" leaves the office undecided).
    verification = overrides.pop("verification", CompanyVerification.VERIFIED)
    values.update(overrides)
    row = Company(**values)
    session.add(row)
    await session.flush()
    # Kept on the object for booth(); a company made elsewhere has no office decision.
    row._factory_verification = verification  # type: ignore[attr-defined]
    return row


async def office_decision(
    session: AsyncSession,
    company_row: Company,
    office_id: int,
    status: str,
    reason: str | None = None,
) -> OfficeVerification:
    """Record (or change) an office's decision on a company, as the console would."""
    row = await session.scalar(
        select(OfficeVerification).where(
            OfficeVerification.company_id == company_row.id,
            OfficeVerification.office_id == office_id,
        )
    )
    if row is None:
        row = OfficeVerification(company_id=company_row.id, office_id=office_id)
        session.add(row)
    row.status, row.reason = status, reason
    await session.flush()
    return row


async def booth(
    session: AsyncSession, *, fair_row: Fair, company_row: Company | None = None, **overrides: Any
) -> Booth:
    company_row = company_row or await company(session)
    values: dict[str, Any] = {
        "fair_id": fair_row.id,
        "company_id": company_row.id,
        "status": BoothStatus.APPROVED,
        "description": "Kami membuka lowongan untuk warga Asahan.",
    }
    values.update(overrides)
    row = Booth(**values)
    session.add(row)
    await session.flush()
    status = getattr(company_row, "_factory_verification", CompanyVerification.PENDING)
    if status != CompanyVerification.PENDING:
        decided = await session.scalar(
            select(OfficeVerification.id).where(
                OfficeVerification.company_id == company_row.id,
                OfficeVerification.office_id == fair_row.office_id,
            )
        )
        if decided is None:
            await office_decision(session, company_row, fair_row.office_id, status)
    return row


async def vacancy(session: AsyncSession, *, booth_row: Booth, **overrides: Any) -> Vacancy:
    n = _next()
    values: dict[str, Any] = {
        "booth_id": booth_row.id,
        "fair_id": booth_row.fair_id,
        "ref": f"lowongan-{n}",
        "title": f"Operator Produksi {n}",
        "kbji_code": "8160",
        "openings_male": 2,
        "openings_female": 1,
        "openings_either": 0,
        "education_min": "SMA",
        "age_min": 18,
        "age_max": 35,
        "salary_min": 3_200_000,
        "salary_max": 3_600_000,
        "work_regency_code": "12.09",
        "employment_type": "pkwt",
        "verification": VacancyVerification.VERIFIED,
    }
    values.update(overrides)
    row = Vacancy(**values)
    session.add(row)
    await session.flush()
    return row


async def applicant(
    session: AsyncSession,
    *,
    vault: NikVault | None = None,
    nik: str | None = None,
    **overrides: Any,
) -> Applicant:
    n = _next()
    user = User(
        email=f"pelamar{n}@example.test",
        password_hash="not-a-real-hash",
        role=Role.APPLICANT,
        full_name=f"Pelamar {n}",
    )
    session.add(user)
    await session.flush()
    nik = nik or f"120901{(n % 28) + 1:02d}0599{n % 10000:04d}"
    vault = vault or NikVault("test-nik-key-not-for-production")
    values: dict[str, Any] = {
        "user_id": user.id,
        "nik_ciphertext": vault.encrypt(nik),
        "nik_hmac": vault.fingerprint(nik),
        "nik_masked": vault.mask(nik),
        "sex": "L",
        "birth_date": date(1999, 5, (n % 28) + 1),
        "education_level": "SMA",
        "ktp_regency_code": "12.09",
        "domicile_regency_code": "12.09",
        "consent_at": datetime(2026, 11, 1, tzinfo=UTC),
    }
    values.update(overrides)
    row = Applicant(**values)
    session.add(row)
    await session.flush()
    return row


async def application(
    session: AsyncSession, *, vacancy_row: Vacancy, applicant_row: Applicant, **overrides: Any
) -> Application:
    values: dict[str, Any] = {
        "vacancy_id": vacancy_row.id,
        "applicant_id": applicant_row.id,
        "booth_id": vacancy_row.booth_id,
        "fair_id": vacancy_row.fair_id,
    }
    values.update(overrides)
    row = Application(**values)
    session.add(row)
    await session.flush()
    return row


# ------------------------------------------------------------ accounts and files

# Valid on the test clock (2026-11-05): a man born 15 Aug 1999 and a woman born
# 15 Aug 2003 (+40 on the day), both registered in Kabupaten Asahan (12.09).
MAN_NIK = "1209011508990001"
WOMAN_NIK = "1209015508030002"


def registration(**overrides: Any) -> dict[str, Any]:
    """The fields of a valid applicant registration (DESIGN §7 names)."""
    values: dict[str, Any] = {
        "nik": MAN_NIK,
        "full_name": "Budi Santoso",
        "email": "budi@example.test",
        "phone": "0812 3456 7890",
        "password": PASSWORD,
        "birth_date": "1999-08-15",
        "sex": "L",
        "education_level": "SMK",
        "ktp_regency_code": "12.09",
        "domicile_regency_code": "12.09",
        "disability": [],
        "ak1_number": "",
        "consent": True,
    }
    values.update(overrides)
    return values


def pdf_bytes(pages: int = 1, padding: int = 0) -> bytes:
    """A real, parseable PDF; ``padding`` adds a comment to grow it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    if padding:
        # Bytes after %%EOF are ignored by readers: a valid PDF of any size.
        data += b"\n%" + b"x" * padding + b"\n"
    return data


async def recruiter(session: AsyncSession, *, company_row: Company, **overrides: Any) -> User:
    """A recruiter user who is a member (owner) of ``company_row``."""
    from jobfair.models import Recruiter

    n = _next()
    values: dict[str, Any] = {
        "email": f"hrd{n}@example.test",
        "password_hash": hash_password(PASSWORD),
        "role": Role.RECRUITER,
        "full_name": f"HRD {n}",
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    await session.flush()
    session.add(Recruiter(company_id=company_row.id, user_id=user.id, role="owner"))
    await session.flush()
    return user


async def organiser(
    session: AsyncSession, *, office_row: LabourOffice | None = None, **overrides: Any
) -> User:
    """An organiser of ``office_row`` (a new office when none is given) who can sign in
    with :data:`PASSWORD`; ``role="admin"`` makes an admin."""
    n = _next()
    office_row = office_row or await office(session)
    values: dict[str, Any] = {
        "email": f"petugas{n}@disnaker.test",
        "password_hash": hash_password(PASSWORD),
        "role": Role.ORGANISER,
        "full_name": f"Petugas {n}",
        "office_id": office_row.id,
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    await session.flush()
    return user
