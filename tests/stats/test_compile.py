"""The compiled report on a small hand-built fair, every breakdown written down by hand,
on SQLite and PostgreSQL; and the headline of the demo population against plain SQL.

The fair (Asia/Jakarta, UTC+7) opens 3 Nov 2026 08:00 WIB and closes 10 Nov 08:00 WIB:
the period is 3–10 November. Decision deadline 24 Nov 01:00 UTC.

Applicants (host regency 12.09):
  A1 man,   born 2006-11-10 (turns 20 on the last day), SMA, KTP 12.09, AK/I
  A2 woman, born 2006-11-11 (19),  SMK, KTP 12.71 (NIK from 12.09: still not local),
            disability physical + hearing
  A3 woman, born 1990-01-15 (36),  S1,  KTP 12.09 (NIK from 32.16: still local), AK/I ""
  A4 man,   born 1970-06-01 (56),  SD,  KTP 32.16, disability physical
  A5 man,   born 1980-03-03 (46),  D3,  KTP 12.09, AK/I
  A6 woman, born 2000-01-01 (26),  TTSD, KTP 12.09 (only application withdrawn)
Vacancies: V1 (C1, 8160, 12.09, M2 F1), V2 (C1, 4110, 31.71, either 2),
  V3 (C2, 5223, 12.71, M1 F1 E1), V4 (C2, 9329, either 1: applications, no decision),
  V5 (C2, pending verification), V6 (C2, 7212, abroad "MY", M1).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import distinct, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from support import factories

from jobfair.context import AppContext
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    Booth,
    FairReport,
    Placement,
    Vacancy,
)
from jobfair.models.companies import BoothStatus
from jobfair.models.vacancies import VacancyVerification
from jobfair.stats import compile as stats
from jobfair.stats import definitions

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def build_fair(session: AsyncSession) -> int:
    fair = await factories.fair(session, local_hiring_target=50)
    c1 = await factories.company(session, name="PT Alpha", kbli="10721", kbli_section="C")
    c2 = await factories.company(
        session, name="PT Beta", kbli="47111", kbli_section="G", employer_type=22
    )
    c3 = await factories.company(session, name="PT Gamma")
    b1 = await factories.booth(session, fair_row=fair, company_row=c1)
    b2 = await factories.booth(session, fair_row=fair, company_row=c2)
    b3 = await factories.booth(session, fair_row=fair, company_row=c3, status=BoothStatus.REQUESTED)
    await factories.vacancy(session, booth_row=b3, verification=VacancyVerification.PENDING)

    def vac(booth: Booth, kbji: str, regency: str, m: int, f: int, e: int, **kw: Any) -> Any:
        return factories.vacancy(
            session,
            booth_row=booth,
            kbji_code=kbji,
            work_regency_code=regency,
            openings_male=m,
            openings_female=f,
            openings_either=e,
            **kw,
        )

    v1 = await vac(b1, "8160", "12.09", 2, 1, 0)
    v2 = await vac(b1, "4110", "31.71", 0, 0, 2)
    v3 = await vac(b2, "5223", "12.71", 1, 1, 1)
    v4 = await vac(b2, "9329", "12.09", 0, 0, 1)
    await vac(b2, "9329", "12.09", 5, 5, 5, verification=VacancyVerification.PENDING)
    v6 = await vac(b2, "7212", "MY", 1, 0, 0)

    a1 = await factories.applicant(
        session, sex="L", birth_date=date(2006, 11, 10), education_level="SMA",
        ak1_number="AK1-0001",
    )  # fmt: skip
    a2 = await factories.applicant(
        session, sex="P", birth_date=date(2006, 11, 11), education_level="SMK",
        ktp_regency_code="12.71", has_disability=True,
        disability_kinds="physical,sensory_hearing",
    )  # fmt: skip
    a3 = await factories.applicant(
        session, sex="P", birth_date=date(1990, 1, 15), education_level="S1",
        nik="3216015501900003", ak1_number="",
    )  # fmt: skip
    a4 = await factories.applicant(
        session, sex="L", birth_date=date(1970, 6, 1), education_level="SD",
        ktp_regency_code="32.16", has_disability=True, disability_kinds="physical",
    )  # fmt: skip
    a5 = await factories.applicant(
        session, sex="L", birth_date=date(1980, 3, 3), education_level="D3", ak1_number="X"
    )
    a6 = await factories.applicant(
        session, sex="P", birth_date=date(2000, 1, 1), education_level="TTSD"
    )

    async def apply(
        vacancy: Vacancy, person: Any, at: datetime, first: datetime | None = None, **kw: Any
    ) -> Application:
        # ``first``: when the first released answer reached the applicant, as the
        # delivery of decisions records it (the events below say the same).
        return await factories.application(
            session,
            vacancy_row=vacancy,
            applicant_row=person,
            submitted_at=at,
            first_decision_at=first,
            **kw,
        )

    x1 = await apply(v1, a1, t(3, 16, 59), status="hired", released_status="hired", first=t(5, 1))
    x2 = await apply(
        v3, a1, t(3, 17), status="rejected", released_status="rejected", first=t(4, 17)
    )
    x3 = await apply(v1, a2, t(4, 2), status="hired", released_status="hired", first=t(5, 2))
    x4 = await apply(v2, a2, t(5, 3), status="hired")  # staged only
    x5 = await apply(v2, a3, t(5, 5), status="hired", released_status="hired", first=t(7, 5))
    x6 = await apply(v3, a3, t(6, 1), status="rejected", released_status="rejected", first=t(6, 13))
    x7 = await apply(v3, a4, t(6, 20), status="hired", released_status="hired", first=t(26, 1))
    x8 = await apply(v4, a4, t(7, 1), status="unanswered", released_status="unanswered")
    x9 = await apply(v4, a5, t(8, 1), status="offered", released_status="reviewed")
    x10 = await apply(v1, a5, t(9, 18), status="hired", released_status="hired", first=t(9, 20))
    x11 = await apply(v1, a6, t(9, 1), status="withdrawn", released_status="withdrawn")
    x12 = await apply(v6, a4, t(8, 3), status="hired", released_status="hired", first=t(9, 3))

    def event(app: Application, to: str, released: datetime | None) -> ApplicationEvent:
        return ApplicationEvent(
            application_id=app.id,
            to_status=to,
            created_at=released or t(20, 0),
            released_at=released,
        )

    session.add_all(
        [
            event(x1, "reviewed", t(4, 1)),
            event(x1, "shortlisted", t(5, 1)),
            event(x1, "interview", t(6, 1)),
            event(x1, "offered", t(7, 1)),
            event(x1, "hired", t(8, 1)),
            event(x2, "rejected", t(4, 17)),
            event(x3, "interview", t(5, 2)),
            event(x3, "hired", t(6, 2)),
            event(x4, "hired", None),  # staged, never released: counts nowhere
            event(x5, "hired", t(7, 5)),
            event(x6, "shortlisted", t(6, 13)),
            event(x6, "rejected", t(25, 1)),
            event(x7, "hired", t(26, 1)),  # after the decision deadline
            event(x8, "unanswered", t(24, 1)),
            event(x9, "reviewed", t(9, 1)),
            event(x9, "offered", None),  # staged
            event(x10, "hired", t(9, 20)),
            event(x11, "withdrawn", t(9, 2)),
            event(x12, "hired", t(9, 3)),
        ]
    )
    for app, confirmation in (
        (x1, "confirmed"),
        (x3, "confirmed"),
        (x5, "confirmed"),
        (x7, "pending"),
        (x10, "confirmed"),
        (x12, "confirmed"),
    ):
        session.add(
            Placement(
                application_id=app.id,
                fair_id=fair.id,
                confirmation=confirmation,
                reported_at=NOW,
            )
        )
    await session.flush()
    return fair.id


def table(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in data["tables"] if item["key"] == key)


def rows(data: dict[str, Any], key: str, first: str) -> dict[Any, dict[str, Any]]:
    return {row[first]: row for row in table(data, key)["rows"]}


def lp(data: dict[str, Any], key: str, first: str) -> dict[Any, tuple[int, int, int]]:
    return {k: (r["L"], r["P"], r["total"]) for k, r in rows(data, key, first).items()}


async def compiled(ctx: AppContext, *, akl_scope: str = "province", now: datetime = NOW) -> Any:
    async with ctx.unit_of_work() as session:
        fair_id = await build_fair(session)
    async with ctx.unit_of_work() as session:
        report = await stats.compile_fair_report(session, fair_id, now, akl_scope=akl_scope)
    return report


async def test_headline_and_every_breakdown(ctx: AppContext) -> None:
    report = await compiled(ctx)
    data = report.data
    assert report.version == 1 and data["version"] == 1 and data["format"] == 1
    assert data["provisional"] is False
    assert data["fair"]["period_start"] == "2026-11-03"
    assert data["fair"]["period_end"] == "2026-11-10"
    headline = {item["key"]: item["value"] for item in data["headline"]}
    assert headline == {
        "companies": 2,
        "booths": 2,
        "vacancies": 5,
        "openings": 10,
        "applicants": 6,
        "applications": 12,
        "applications_per_applicant": 2.0,
        "applications_per_vacancy": 2.4,
        "applications_per_company": 6.0,
        "shortlisted": 7,
        "interviews": 6,
        "hires_reported": 6,
        "hires_confirmed": 5,
        "fill_rate": 0.5,
    }
    for item in data["headline"]:
        assert (item["label"], item["definition"]) == definitions.HEADLINE[item["key"]]
    for item in data["tables"]:
        assert (item["title"], item["definition"]) == definitions.TABLES[item["key"]]

    assert lp(data, "sex_age", "group") == {
        "15–19": (0, 1, 1),
        "20–29": (1, 1, 2),  # A1 turned 20 on the last day
        "30–44": (0, 1, 1),
        "45–54": (1, 0, 1),
        "55+": (1, 0, 1),
    }
    assert table(data, "sex_age")["totals"] == {"group": "Total", "L": 3, "P": 3, "total": 6}
    education = {k: v for k, v in lp(data, "education", "education").items() if v[2]}
    assert education == {
        "TTSD": (0, 1, 1),
        "SD": (1, 0, 1),
        "SMA": (1, 0, 1),
        "SMK": (0, 1, 1),
        "D3": (1, 0, 1),
        "S1": (0, 1, 1),
    }
    assert lp(data, "locality", "group") == {
        definitions.LOCAL: (2, 2, 4),
        definitions.NON_LOCAL: (1, 1, 2),
    }
    assert lp(data, "disability", "group") == {
        definitions.WITH_DISABILITY: (1, 1, 2),
        definitions.WITHOUT_DISABILITY: (2, 2, 4),
    }
    kinds = {k: v for k, v in lp(data, "disability_kinds", "kind").items() if v[2]}
    assert kinds == {"physical": (1, 1, 2), "sensory_hearing": (0, 1, 1)}
    assert lp(data, "ak1", "group") == {
        definitions.AK1_HOLDER: (2, 0, 2),
        definitions.NOT_AK1_HOLDER: (1, 3, 4),
    }

    funnel = {row["key"]: (row["count"], row["share"]) for row in table(data, "funnel")["rows"]}
    assert funnel == {
        "applications": (12, 1.0),
        "reviewed": (9, 0.75),
        "shortlisted": (7, 0.5833),
        "interview": (6, 0.5),
        "offered": (6, 0.5),
        "hired": (6, 0.5),
        "confirmed": (5, 0.4167),
    }

    by_day = {
        r["date"]: (r["applications"], r["new_applicants"]) for r in table(data, "by_day")["rows"]
    }
    assert by_day == {
        "2026-11-03": (1, 1),  # 23:59 WIB
        "2026-11-04": (2, 1),  # 00:00 WIB: the next local day
        "2026-11-05": (2, 1),
        "2026-11-06": (1, 0),
        "2026-11-07": (2, 1),  # 20:00 UTC on the 6th is the 7th in Jakarta
        "2026-11-08": (2, 1),
        "2026-11-09": (1, 1),
        "2026-11-10": (1, 0),
    }

    companies = rows(data, "companies", "company")
    assert {k: {c: v[c] for c in v if c not in ("slug",)} for k, v in companies.items()} == {
        "PT Alpha": {
            "company": "PT Alpha",
            "kbli_section": "C",
            "employer_type": 24,
            "vacancies": 2,
            "openings": 5,
            "applications": 6,
            "answered_share": 0.8,  # 4 in time of 5 (one withdrawn before an answer)
            "unanswered": 0,
            "undecided": 0,
            "median_hours": 28.01,  # 2, 24, 32.02, 48 → (24 + 32.02) / 2
            "shortlisted": 4,
            "interviews": 4,
            "hires": 4,
            "confirmed": 4,
        },
        "PT Beta": {
            "company": "PT Beta",
            "kbli_section": "G",
            "employer_type": 22,
            "vacancies": 3,
            "openings": 5,
            "applications": 6,
            "answered_share": 0.5,  # X7 answered after the deadline
            "unanswered": 1,  # X8
            "undecided": 0,
            "median_hours": 24.0,  # 12, 24, 24, 461
            "shortlisted": 3,
            "interviews": 2,
            "hires": 2,
            "confirmed": 1,
        },
    }

    vacancies = {
        r["kbji_code"]: (
            r["applications"], r["reviewed"], r["shortlisted"], r["interviews"],
            r["offered"], r["hires"], r["confirmed"], r["answered_share"],
        )
        for r in table(data, "vacancies")["rows"]
    }  # fmt: skip
    assert vacancies == {
        "8160": (4, 3, 3, 3, 3, 3, 3, 1.0),
        "4110": (2, 1, 1, 1, 1, 1, 1, 0.5),
        "5223": (3, 3, 2, 1, 1, 1, 0, 0.6667),
        "9329": (2, 1, 0, 0, 0, 0, 0, 0.0),
        "7212": (1, 1, 1, 1, 1, 1, 1, 1.0),
    }
    suspects = table(data, "formality_suspects")["rows"]
    assert [(r["company"], r["applications"]) for r in suspects] == [("PT Beta", 2)]

    keys = ("companies", "vacancies", "openings", "applications", "hires", "confirmed")
    kbli = {
        r["kbli_section"]: tuple(r[k] for k in keys) for r in table(data, "kbli_sections")["rows"]
    }
    assert kbli == {"C": (1, 2, 5, 6, 4, 4), "G": (1, 3, 5, 6, 2, 1)}
    keys = keys[1:]
    kbji = [(r["kbji_group"], *(r[k] for k in keys)) for r in table(data, "kbji_groups")["rows"]]
    assert kbji == [
        ("4", 1, 2, 2, 1, 1),
        ("5", 1, 3, 3, 1, 0),
        ("7", 1, 1, 1, 1, 1),
        ("8", 1, 3, 4, 3, 3),
        ("9", 1, 1, 2, 0, 0),
    ]

    local = table(data, "local_hires")
    # The target is a percent of confirmed hires: 3 local of 5 confirmed = 60 % against
    # a 50 % target, 10 points above it (once a head count, 3 / 50 = 0.06 was printed).
    assert local["target"] == 50
    local_rows = [
        (r["L"], r["P"], r["total"], r["share_of_hires"], r["target_share"], r["gap"])
        for r in local["rows"]
    ]
    assert local_rows == [(2, 1, 3, 0.6, 0.5, 0.1), (1, 1, 2, 0.4, None, None)]
    assert local["totals"]["total"] == 5

    ipk1 = table(data, "ipk_iii_1")
    assert [(r["group"], r["L"], r["P"], r["total"]) for r in ipk1["rows"]] == [
        ("15–19", 0, 1, 1),
        ("20–29", 1, 1, 2),
        ("30–44", 0, 1, 1),
        ("45–54", 1, 0, 1),
        ("55+", 1, 0, 1),
        (definitions.OPENINGS_ROW, 4, 2, 10),
        (definitions.OPENINGS_EITHER_ROW, None, None, 4),
    ]
    # People placed (a confirmed hire) by age group, and carried forward; openings filled
    # per sex column: V1's two men and one woman fill its M2 F1, A3 (a woman) fills one
    # of V2's openings for either sex — not a women's opening — and A4 V6's men's one.
    flow = ("placed_L", "placed_P", "carried_forward_L", "carried_forward_P")
    assert [(r["group"], *(r[k] for k in flow)) for r in ipk1["rows"][:6]] == [
        ("15–19", 0, 1, 0, 0),
        ("20–29", 1, 0, 0, 1),
        ("30–44", 0, 1, 0, 0),
        ("45–54", 1, 0, 0, 0),
        ("55+", 1, 0, 0, 0),
        (definitions.OPENINGS_ROW, 3, 1, 1, 1),
    ]
    either = ipk1["rows"][6]
    assert (either["placed"], either["carried_forward"]) == (1, 3)
    assert tuple(ipk1["totals"][k] for k in flow) == (3, 2, 0, 1)
    cells = ("AKL_L", "AKL_P", "AKAD_L", "AKAD_P", "AKAN_L", "AKAN_P", "total")
    ipk8 = {r["row"]: tuple(r[c] for c in cells) for r in table(data, "ipk_iii_8")["rows"]}
    assert {k: v for k, v in ipk8.items() if v[-1]} == {
        12: (0, 0, 0, 0, 1, 0, 1),  # A4 abroad
        14: (1, 1, 0, 0, 0, 0, 2),  # A1; A2 from Medan to Asahan: same province
        16: (1, 0, 0, 0, 0, 0, 1),
        17: (0, 0, 0, 1, 0, 0, 1),  # A3 to Jakarta
        22: (0, 0, 0, 0, 1, 0, 1),
        24: (2, 1, 0, 1, 0, 0, 4),
    }
    assert set(ipk8) == {11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 26}
    totals = table(data, "ipk_iii_8")["totals"]
    assert tuple(totals[c] for c in cells) == (2, 1, 0, 1, 1, 0, 5)


async def test_ipk_iii_1_counts_people_not_placements(ctx: AppContext) -> None:
    """A person who confirmed two hires is placed once in IPK III/1 (and counts twice in
    III/8, which counts placements)."""
    async with ctx.unit_of_work() as session:
        fair_id = await build_fair(session)
        a1 = await session.scalar(
            select(Application.applicant_id)
            .join(Placement, Placement.application_id == Application.id)
            .where(Application.fair_id == fair_id, Placement.confirmation == "confirmed")
            .order_by(Application.submitted_at)
            .limit(1)
        )
        v2 = await session.scalar(
            select(Vacancy).where(Vacancy.fair_id == fair_id, Vacancy.kbji_code == "4110")
        )
        second = await factories.application(
            session,
            vacancy_row=v2,
            applicant_row=await session.get(Applicant, a1),
            submitted_at=t(9, 2),
            first_decision_at=t(9, 4),
            status="hired",
            released_status="hired",
        )
        session.add(
            Placement(
                application_id=second.id,
                fair_id=fair_id,
                confirmation="confirmed",
                reported_at=NOW,
            )
        )
    async with ctx.unit_of_work() as session:
        data = (await stats.compile_fair_report(session, fair_id, NOW)).data
    ipk1 = table(data, "ipk_iii_1")
    assert ipk1["rows"][1]["group"] == "20–29" and ipk1["rows"][1]["placed_L"] == 1
    assert ipk1["totals"]["placed_L"] == 3
    # The second hire (a man into V2's openings for either sex) fills one more of them.
    assert ipk1["rows"][6]["placed"] == 2
    assert table(data, "ipk_iii_8")["totals"]["total"] == 6


async def test_akl_by_regency_moves_a_placement_to_akad(ctx: AppContext) -> None:
    data = (await compiled(ctx, akl_scope="regency")).data
    cells = ("AKL_L", "AKL_P", "AKAD_L", "AKAD_P", "AKAN_L", "AKAN_P", "total")
    ipk8 = {r["row"]: tuple(r[c] for c in cells) for r in table(data, "ipk_iii_8")["rows"]}
    assert ipk8[14] == (1, 0, 0, 1, 0, 0, 2)  # A2: KTP Medan (12.71), works in Asahan
    assert ipk8[24] == (2, 0, 0, 2, 0, 0, 4)
    assert data["akl_scope"] == "regency"


async def test_a_compile_before_the_close_is_provisional(ctx: AppContext) -> None:
    report = await compiled(ctx, now=t(6, 0))
    assert report.data["provisional"] is True


async def test_compiling_twice_gives_versions_with_equal_figures(ctx: AppContext) -> None:
    first = await compiled(ctx)
    async with ctx.unit_of_work() as session:
        second = await stats.compile_fair_report(session, first.fair_id, NOW)
    assert (first.version, second.version) == (1, 2)
    assert {**first.data, "version": 0} == {**second.data, "version": 0}


async def test_a_taken_version_number_is_retried(ctx: AppContext, monkeypatch: Any) -> None:
    """A concurrent compile took the number between our max() and our insert."""
    report = await compiled(ctx)
    async with ctx.unit_of_work() as session:
        data = await stats.build_report_data(session, report.fair_id, NOW)
    real_max = func.max
    calls = {"n": 0}

    def stale_max(*args: Any) -> Any:
        # The first max() of save_report is answered as if version 1 did not exist yet.
        calls["n"] += 1
        return real_max(*args) - 1 if calls["n"] == 1 else real_max(*args)

    monkeypatch.setattr(stats.func, "max", stale_max)
    async with ctx.unit_of_work() as session:
        saved = await stats.save_report(session, report.fair_id, data, NOW)
    monkeypatch.undo()
    assert saved is not None and saved.version == 2 and calls["n"] == 2
    async with ctx.read() as session:
        versions = list(
            await session.scalars(select(FairReport.version).order_by(FairReport.version))
        )
    assert versions == [1, 2]


async def test_unknown_fair_and_bad_scope(ctx: AppContext) -> None:
    async with ctx.read() as session:
        with pytest.raises(LookupError):
            await stats.build_report_data(session, 999, NOW)
    async with ctx.unit_of_work() as session:
        fair_id = await build_fair(session)
    async with ctx.read() as session:
        with pytest.raises(ValueError, match="akl_scope"):
            await stats.build_report_data(session, fair_id, NOW, akl_scope="island")


async def test_an_empty_fair_has_zeros_and_nulls(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        report = await stats.compile_fair_report(session, fair.id, NOW)
    headline = {item["key"]: item["value"] for item in report.data["headline"]}
    assert headline["applications"] == 0 and headline["applications_per_applicant"] is None
    assert headline["fill_rate"] is None
    # 3–10 Nov: the close at 08:00 WIB on the 10th makes the 10th the last day.
    assert len(table(report.data, "by_day")["rows"]) == 8


async def test_demo_headline_equals_plain_sql(ctx: AppContext, settings: Any) -> None:
    from jobfair.demo import prepare_demo

    await prepare_demo(settings, now=datetime(2026, 11, 22, 5, 0, tzinfo=UTC))
    async with ctx.read() as session:
        fair_id = await session.scalar(text("SELECT id FROM fairs"))
        data = await stats.build_report_data(session, fair_id, NOW)

        async def one(sql: str) -> Any:
            return (await session.execute(text(sql), {"f": fair_id})).scalar()

        expected = {
            "companies": await one(
                "SELECT COUNT(DISTINCT company_id) FROM booths "
                "WHERE fair_id = :f AND status = 'approved'"
            ),
            "vacancies": await one(
                "SELECT COUNT(*) FROM vacancies v JOIN booths b ON b.id = v.booth_id "
                "WHERE v.fair_id = :f AND v.verification = 'verified' AND b.status = 'approved'"
            ),
            "openings": await one(
                "SELECT SUM(openings_male + openings_female + openings_either) FROM vacancies v "
                "JOIN booths b ON b.id = v.booth_id WHERE v.fair_id = :f "
                "AND v.verification = 'verified' AND b.status = 'approved'"
            ),
            "applications": await one("SELECT COUNT(*) FROM applications WHERE fair_id = :f"),
            "applicants": await one(
                "SELECT COUNT(DISTINCT applicant_id) FROM applications WHERE fair_id = :f"
            ),
            "hires_reported": await one("SELECT COUNT(*) FROM placements WHERE fair_id = :f"),
            "hires_confirmed": await one(
                "SELECT COUNT(*) FROM placements WHERE fair_id = :f AND confirmation = 'confirmed'"
            ),
            "shortlisted": await one(
                "SELECT COUNT(DISTINCT e.application_id) FROM application_events e "
                "JOIN applications a ON a.id = e.application_id WHERE a.fair_id = :f "
                "AND e.released_at IS NOT NULL "
                "AND e.to_status IN ('shortlisted', 'interview', 'offered', 'hired')"
            ),
            "interviews": await one(
                "SELECT COUNT(DISTINCT e.application_id) FROM application_events e "
                "JOIN applications a ON a.id = e.application_id WHERE a.fair_id = :f "
                "AND e.released_at IS NOT NULL "
                "AND e.to_status IN ('interview', 'offered', 'hired')"
            ),
        }
        assert await session.scalar(select(func.count(distinct(Application.applicant_id)))) > 0
    headline = {item["key"]: item["value"] for item in data["headline"]}
    assert expected["applications"] == 2278 and expected["companies"] == 37
    assert {key: headline[key] for key in expected} == expected
    assert headline["booths"] == expected["companies"]
    total = table(data, "sex_age")["totals"]["total"]
    assert total == expected["applicants"]
