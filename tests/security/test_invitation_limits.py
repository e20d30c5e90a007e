"""Invitations by self-registered companies: a company no office has verified sends at
most five a day (fifty once verified), and the subject line carries no text the inviter
chose (the company's name used to stand there, a phishing hook)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.models.companies import CompanyVerification
from jobfair.services import companies
from jobfair.services.errors import RateLimited

JOIN = "https://bursa.example/company/join"


async def test_an_unverified_company_sends_five_invitations_a_day(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        company = await factories.company(
            session,
            name="Bank Anda Diblokir - Klik Segera",
            verification=CompanyVerification.PENDING,
        )
        owner = await factories.recruiter(session, company_row=company)
        for n in range(companies.INVITATIONS_PER_DAY_UNVERIFIED):
            await companies.invite(
                session, owner, f"orang{n}@example.test", ctx.now(), join_page=JOIN
            )
        with pytest.raises(RateLimited) as refused:
            await companies.invite(session, owner, "lagi@example.test", ctx.now(), join_page=JOIN)
        assert refused.value.fields["email"]
        subjects = set(await session.scalars(select(Outbox.subject)))
    assert all("Bank" not in subject for subject in subjects) and len(subjects) == 1


async def test_a_verified_company_may_send_more(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        company = await factories.company(session, verification=CompanyVerification.VERIFIED)
        # Verified by the office of a fair it has a booth in.
        await factories.booth(session, fair_row=await factories.fair(session), company_row=company)
        owner = await factories.recruiter(session, company_row=company)
        for n in range(companies.INVITATIONS_PER_DAY_UNVERIFIED + 1):
            await companies.invite(
                session, owner, f"tim{n}@example.test", ctx.now(), join_page=JOIN
            )
