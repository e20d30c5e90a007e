"""Shared test data: a small fair with approved and hidden booths and vacancies."""

from __future__ import annotations

from typing import Any

from jobfair.context import AppContext
from jobfair.models.companies import BoothStatus
from jobfair.models.fairs import FairStatus
from jobfair.models.vacancies import VacancyVerification
from support import factories


async def build_fair(ctx: AppContext) -> dict[str, Any]:
    """A fair with 2 approved booths (3 verified vacancies), 1 requested booth, 1 pending
    vacancy, 2 applicants with 3 applications."""
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session, slug="bursa-asahan")
        sawit = await factories.company(
            session, slug="pt-sawit", name="PT Sawit Makmur", kbli="01262", kbli_section="A"
        )
        bank = await factories.company(
            session, slug="pt-bank", name="PT Bank Rakyat Asahan", kbli="64191", kbli_section="K"
        )
        hidden = await factories.company(session, slug="pt-belum", name="PT Belum Disetujui")
        sawit_booth = await factories.booth(session, fair_row=fair, company_row=sawit)
        bank_booth = await factories.booth(session, fair_row=fair, company_row=bank)
        requested = await factories.booth(
            session, fair_row=fair, company_row=hidden, status=BoothStatus.REQUESTED
        )
        mandor = await factories.vacancy(
            session,
            booth_row=sawit_booth,
            title="Mandor Panen",
            education_min="SMA",
            openings_male=3,
            openings_female=0,
        )
        await factories.vacancy(
            session,
            booth_row=sawit_booth,
            title="Pemanen Sawit",
            education_min="SD",
            work_regency_code="12.19",
            skills="memanen\nmemupuk",
        )
        teller = await factories.vacancy(
            session,
            booth_row=bank_booth,
            title="Teller",
            education_min="S1",
            openings_male=0,
            openings_female=0,
            openings_either=2,
        )
        await factories.vacancy(
            session,
            booth_row=bank_booth,
            title="Analis Kredit (belum diverifikasi)",
            verification=VacancyVerification.PENDING,
        )
        await factories.vacancy(session, booth_row=requested, title="Kasir")
        one = await factories.applicant(session)
        two = await factories.applicant(session, sex="P")
        await factories.application(session, vacancy_row=mandor, applicant_row=one)
        await factories.application(session, vacancy_row=teller, applicant_row=one)
        await factories.application(session, vacancy_row=teller, applicant_row=two)
        await factories.fair(session, slug="draf-rahasia", status=FairStatus.DRAFT)
        return {"slug": fair.slug, "mandor": mandor.id}
