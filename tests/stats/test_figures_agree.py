"""The hires reported and confirmed are one figure each, counted by the predicates of
``models.applications``: the company dashboard, the report (headline and per company)
and the fair counts of the public pages, the live counters and the API agree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from support import factories

from jobfair.context import AppContext
from jobfair.models import ApplicationEvent, Company, Placement
from jobfair.models.applications import ApplicationStatus as S
from jobfair.models.applications import PlacementConfirmation as C
from jobfair.services import fairs, screening
from jobfair.stats import compile as stats
from jobfair.stats import definitions

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
ANSWERED_AT = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)


async def build(session: AsyncSession) -> tuple[int, Company, Company]:
    """Alpha: a confirmed, a denied and an unanswered hire, a hire staged but not sent,
    a rejection. Beta: one confirmed hire."""
    fair = await factories.fair(session)
    alpha = await factories.company(session, name="PT Alpha")
    beta = await factories.company(session, name="PT Beta")
    alpha_vacancy = await factories.vacancy(
        session, booth_row=await factories.booth(session, fair_row=fair, company_row=alpha)
    )
    beta_vacancy = await factories.vacancy(
        session, booth_row=await factories.booth(session, fair_row=fair, company_row=beta)
    )

    async def apply(vacancy: object, status: str, released: str, placed: str | None) -> None:
        applicant = await factories.applicant(session)
        application = await factories.application(
            session,
            vacancy_row=vacancy,
            applicant_row=applicant,
            status=status,
            released_status=released,
            first_decision_at=ANSWERED_AT if released != S.SUBMITTED else None,
        )
        session.add(
            ApplicationEvent(
                application_id=application.id,
                from_status=S.SUBMITTED,
                to_status=status,
                released_at=ANSWERED_AT if released == status else None,
            )
        )
        if placed is not None:
            session.add(
                Placement(
                    application_id=application.id,
                    fair_id=fair.id,
                    reported_at=ANSWERED_AT,
                    confirmation=placed,
                )
            )
        await session.flush()

    await apply(alpha_vacancy, S.HIRED, S.HIRED, C.CONFIRMED)
    await apply(alpha_vacancy, S.HIRED, S.HIRED, C.DENIED)
    await apply(alpha_vacancy, S.HIRED, S.HIRED, C.PENDING)
    await apply(alpha_vacancy, S.HIRED, S.SUBMITTED, None)  # staged: not reported
    await apply(alpha_vacancy, S.REJECTED, S.REJECTED, None)
    await apply(beta_vacancy, S.HIRED, S.HIRED, C.CONFIRMED)
    return fair.id, alpha, beta


async def test_dashboard_report_and_counts_agree_on_hires(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair_id, alpha, beta = await build(session)
        records = {c.name: await screening.responsiveness(session, c.id) for c in (alpha, beta)}
        counts = (await fairs.fair_counts(session, [fair_id]))[fair_id]
        data = await stats.build_report_data(session, fair_id, NOW)
    headline = {item["key"]: item["value"] for item in data["headline"]}
    companies = next(t for t in data["tables"] if t["key"] == "companies")
    report = {row["company"]: (row["hires"], row["confirmed"]) for row in companies["rows"]}
    dashboard = {
        name: (record.hires_reported, record.hires_confirmed) for name, record in records.items()
    }
    assert dashboard == report == {"PT Alpha": (3, 1), "PT Beta": (1, 1)}
    assert (headline["hires_reported"], headline["hires_confirmed"]) == (4, 2)
    # The public and live "hires" counter is the confirmed figure.
    assert counts.hires == headline["hires_confirmed"]


def test_each_hire_figure_carries_one_definition() -> None:
    """The dashboards read FIGURES, the report HEADLINE and its column labels: the
    same words."""
    for key in ("hires_reported", "hires_confirmed"):
        assert definitions.FIGURES[key] == definitions.HEADLINE[key]
    assert definitions.FIGURES["hires_reported"][0] == definitions.HIRES
    assert definitions.FIGURES["hires_confirmed"][0] == definitions.CONFIRMED
