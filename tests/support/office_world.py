"""A labour office with two fairs in the fourth quarter of 2026 (and older ones), for
the office statistics' tests and the browser check; every figure it yields is written
down by hand in ``tests/stats/test_office.py``.

Period: Q4 2026 in WIB = [2026-09-30 17:00 UTC, 2026-12-31 17:00 UTC).
Fairs of the office (factory fairs: 7 days, decision deadline 21 days after opening):
  F_OLD 1 Nov 2024 (deadline 22 Nov 2024), F0 1 Aug 2026 (deadline 22 Aug 2026),
  F1 25 Sep 2026 (closes 2 Oct, deadline 16 Oct: in the period),
  F2 20 Dec 2026 (deadline 10 Jan 2027: after the period).
Another office's fair in the period counts nowhere.
Vacancies: VA (F1, C1 employer 24 KBLI C, 8160, SMA, M2 F1), VB (F1, C1, 4110, SMA,
  either 2), VC (F2, C2 employer 22 KBLI G, 7212 abroad "MY", SMP, M1 E1),
  VD (F0, M1), VOLD (F_OLD), VX (other office).
Job seekers (age on 31 Dec 2026):
  P1 L 26 SMA AK/I: F0 2 Aug 2026, F2 21 Dec            → carried over, forward
  P2 P 21 SMK: F1 26 Sep, hire confirmed, reported 10 Oct → carried over, placed
  P3 P 36 S1 AK/I: F1 1 Oct 05:00 UTC                    → registered, forward
  P4 L 18 SMP: F2 22 Dec, hire confirmed reported 24 Dec   → registered, placed (AKAN)
  P5 L 56 SD: F_OLD 3 Nov 2024, placed then (confirmed)    → nowhere
  P6 P 46 D3: F_OLD 2 Nov 2024, never placed               → carried over, removed
  P7 L 31 SMA: F1 2 Oct, hire pending                      → registered, forward
  P8 P: only the other office's fair                       → nowhere
  P9 L 27 SMA: F2 31 Dec 18:00 UTC (1 Jan WIB)             → nowhere (after the period)
  P10 P 25 SMA: F1 30 Sep 18:00 UTC (1 Oct 01:00 WIB)      → registered, forward
Occupation sought (KBJI) and graduation year (years at the end of 2026, IPK III/7):
  P1 8160, 2020 (6: 6+) · P2 7212, 2023 (3: 3–5) · P3 2, 2024 (2: 0–2) ·
  P4 none, 2027 (not graduated yet: not stated) · P5 9, 1990 · P6 8, none (not stated) ·
  P7 83, 2021 (5: 3–5) · P9 8, 2020 · P10 none, 2026 (0: 0–2)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.models import Booth, LabourOffice, Placement
from support import factories


def u(year: int, month: int, day: int, hour: int = 3) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class OfficeWorld:
    office: LabourOffice
    other_office: LabourOffice
    fair_slugs: list[str]


async def build_office_world(session: AsyncSession) -> OfficeWorld:
    office = await factories.office(session, name="Disnaker Kabupaten Asahan")
    other = await factories.office(session, name="Disnaker Kota Medan")
    f_old = await factories.fair(session, office_row=office, opens_at=u(2024, 11, 1, 1))
    f0 = await factories.fair(session, office_row=office, opens_at=u(2026, 8, 1, 1))
    f1 = await factories.fair(session, office_row=office, opens_at=u(2026, 9, 25, 1))
    f2 = await factories.fair(session, office_row=office, opens_at=u(2026, 12, 20, 1))
    fx = await factories.fair(session, office_row=other, opens_at=u(2026, 11, 1, 1))
    c1 = await factories.company(session, kbli_section="C", employer_type=24)
    c2 = await factories.company(session, kbli="47111", kbli_section="G", employer_type=22)

    async def vacancy(fair: Any, company: Any, **kw: Any) -> Any:
        booth = await factories.booth(session, fair_row=fair, company_row=company)
        return await factories.vacancy(session, booth_row=booth, **kw)

    va = await vacancy(f1, c1, kbji_code="8160", openings_male=2, openings_female=1)
    booth_b = va.booth_id
    vb = await factories.vacancy(
        session,
        booth_row=await session.get(Booth, booth_b),
        kbji_code="4110",
        openings_male=0,
        openings_female=0,
        openings_either=2,
    )
    vc = await vacancy(
        f2,
        c2,
        kbji_code="7212",
        work_regency_code="MY",
        education_min="SMP",
        openings_male=1,
        openings_female=0,
        openings_either=1,
    )
    vd = await vacancy(f0, c1, openings_male=1, openings_female=0)
    v_old = await vacancy(f_old, c2)
    vx = await vacancy(fx, c2)

    def person(sex: str, born: date, education: str, **kw: Any) -> Any:
        return factories.applicant(
            session, sex=sex, birth_date=born, education_level=education, **kw
        )

    def sought(code: str | None, year: int | None) -> dict[str, Any]:
        return {"sought_kbji_code": code, "graduation_year": year}

    p1 = await person("L", date(2000, 1, 1), "SMA", ak1_number="AK1-1", **sought("8160", 2020))
    p2 = await person("P", date(2005, 6, 1), "SMK", **sought("7212", 2023))
    p3 = await person("P", date(1990, 3, 3), "S1", ak1_number="AK1-3", **sought("2", 2024))
    p4 = await person("L", date(2008, 2, 2), "SMP", **sought(None, 2027))
    p5 = await person("L", date(1970, 5, 5), "SD", **sought("9", 1990))
    p6 = await person("P", date(1980, 7, 7), "D3", **sought("8", None))
    p7 = await person("L", date(1995, 4, 4), "SMA", **sought("83", 2021))
    p8 = await person("P", date(1999, 1, 1), "SMA")
    p9 = await person("L", date(1999, 9, 9), "SMA", **sought("8", 2020))
    p10 = await person("P", date(2001, 1, 1), "SMA", **sought(None, 2026))

    async def apply(vacancy: Any, who: Any, at: datetime, **kw: Any) -> Any:
        return await factories.application(
            session, vacancy_row=vacancy, applicant_row=who, submitted_at=at, **kw
        )

    async def placed(application: Any, reported: datetime, confirmation: str) -> None:
        session.add(
            Placement(
                application_id=application.id,
                fair_id=application.fair_id,
                confirmation=confirmation,
                reported_at=reported,
                confirmed_at=reported if confirmation == "confirmed" else None,
            )
        )

    await apply(vd, p1, u(2026, 8, 2))
    await apply(vc, p1, u(2026, 12, 21))
    x2 = await apply(va, p2, u(2026, 9, 26), status="hired", released_status="hired")
    await placed(x2, u(2026, 10, 10), "confirmed")
    await apply(va, p3, u(2026, 10, 1, 5))
    x4 = await apply(vc, p4, u(2026, 12, 22), status="hired", released_status="hired")
    await placed(x4, u(2026, 12, 24), "confirmed")
    x5 = await apply(v_old, p5, u(2024, 11, 3), status="hired", released_status="hired")
    await placed(x5, u(2024, 11, 20), "confirmed")
    await apply(v_old, p6, u(2024, 11, 2))
    x7 = await apply(vb, p7, u(2026, 10, 2), status="hired", released_status="hired")
    await placed(x7, u(2026, 10, 12), "pending")
    await apply(vx, p8, u(2026, 11, 2))
    await apply(vc, p9, u(2026, 12, 31, 18))
    await apply(va, p10, u(2026, 9, 30, 18))
    await session.flush()
    return OfficeWorld(office, other, [f1.slug, f2.slug])
