"""The office's statistics over a quarter, on the office of ``support.office_world``
(two fairs in Q4 2026, older ones carried over or lapsed, another office's fair
ignored): every figure written down by hand, on SQLite and PostgreSQL; the stock-flow
identity in every row of every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from support.office_world import build_office_world

from jobfair.context import AppContext
from jobfair.services.periods import Period
from jobfair.stats import office as office_stats

NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
Q4 = Period.of("quarter", 2026, 4)
STAGES = office_stats.STAGE_KEYS


def table(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in data["tables"] if item["key"] == key)


def flows(row: dict[str, Any], sex: str) -> tuple[int, ...]:
    return tuple(row[f"{stage}_{sex}"] for stage in STAGES)


async def compiled(ctx: AppContext, period: Period = Q4) -> tuple[dict[str, Any], Any]:
    async with ctx.unit_of_work() as session:
        world = await build_office_world(session)
    async with ctx.read() as session:
        data = await office_stats.build_office_report_data(session, world.office.id, period, NOW)
    return data, world


async def test_quarter_by_hand(ctx: AppContext) -> None:
    data, world = await compiled(ctx)
    assert data["period"] == {
        "kind": "quarter",
        "number": 4,
        "key": "2026-Q4",
        "start": "2026-10-01",
        "end": "2026-12-31",
    }
    assert data["fair"]["office"] == "Disnaker Kabupaten Asahan"
    assert [fair["slug"] for fair in data["fairs"]] == world.fair_slugs
    iii_1 = table(data, "ipk_iii_1")
    by_group = {row["group"]: row for row in iii_1["rows"]}
    # (carried over, registered, placed, removed, carried forward)
    assert flows(by_group["15–19"], "L") == (0, 1, 1, 0, 0)  # P4
    assert flows(by_group["15–19"], "P") == (0, 0, 0, 0, 0)
    assert flows(by_group["20–29"], "L") == (1, 0, 0, 0, 1)  # P1 (P9 after the period)
    assert flows(by_group["20–29"], "P") == (1, 1, 1, 0, 1)  # P2 placed, P10 at 01:00 WIB
    assert flows(by_group["30–44"], "L") == (0, 1, 0, 0, 1)  # P7, hire only pending
    assert flows(by_group["30–44"], "P") == (0, 1, 0, 0, 1)  # P3
    assert flows(by_group["45–54"], "P") == (1, 0, 0, 1, 0)  # P6 lapsed
    assert flows(by_group["55+"], "L") == (0, 0, 0, 0, 0)  # P5 placed in 2024
    assert flows(iii_1["totals"], "L") == (1, 2, 1, 0, 2)
    assert flows(iii_1["totals"], "P") == (2, 2, 1, 1, 2)
    openings = by_group["Openings"]
    assert flows(openings, "L") == (2, 1, 1, 2, 0)  # VA's men removed at F1's deadline
    assert flows(openings, "P") == (1, 0, 1, 0, 0)  # VA's woman filled by P2
    either = by_group["of which open to either sex"]
    assert (either["carried_over"], either["total"], either["placed"]) == (2, 1, 0)
    assert (either["removed"], either["carried_forward"]) == (2, 1)

    education = {row["education_level"]: row for row in table(data, "ipk_iii_2")["rows"]}
    assert flows(education["SMA"], "L") == (1, 1, 0, 0, 2)
    assert flows(education["SMA"], "P") == (0, 1, 0, 0, 1)
    assert flows(education["SMK"], "P") == (1, 0, 1, 0, 0)
    assert flows(education["D3"], "P") == (1, 0, 0, 1, 0)
    assert flows(education["SD"], "L") == (0, 0, 0, 0, 0)

    # IPK III/3: every major group, then the not stated (the code "-", never words in a
    # language); its totals are III/1's.
    iii_3 = table(data, "ipk_iii_3")
    assert [row["kbji_group"] for row in iii_3["rows"]] == [*"0123456789", "-"]
    by_sought = {row["kbji_group"]: row for row in iii_3["rows"]}
    assert flows(by_sought["8"], "L") == (1, 1, 0, 0, 2)  # P1 (8160), P7 (83)
    assert flows(by_sought["8"], "P") == (1, 0, 0, 1, 0)  # P6 lapsed
    assert flows(by_sought["7"], "P") == (1, 0, 1, 0, 0)  # P2
    assert flows(by_sought["2"], "P") == (0, 1, 0, 0, 1)  # P3
    assert flows(by_sought["-"], "L") == (0, 1, 1, 0, 0)  # P4
    assert flows(by_sought["-"], "P") == (0, 1, 0, 0, 1)  # P10
    assert flows(by_sought["9"], "L") == (0, 0, 0, 0, 0)  # P5 placed in 2024
    for group in "013456":
        assert flows(by_sought[group], "L") == flows(by_sought[group], "P") == (0,) * 5
    for sex in ("L", "P"):
        assert flows(iii_3["totals"], sex) == flows(iii_1["totals"], sex)
    # IPK III/7: years since graduation at the end of 2026.
    iii_7 = table(data, "ipk_iii_7")
    assert [row["graduation_group"] for row in iii_7["rows"]] == ["0–2", "3–5", "6+", "-"]
    by_years = {row["graduation_group"]: row for row in iii_7["rows"]}
    assert flows(by_years["0–2"], "P") == (0, 2, 0, 0, 2)  # P3 (2024: 2), P10 (2026: 0)
    assert flows(by_years["0–2"], "L") == (0, 0, 0, 0, 0)
    assert flows(by_years["3–5"], "P") == (1, 0, 1, 0, 0)  # P2 (2023: 3)
    assert flows(by_years["3–5"], "L") == (0, 1, 0, 0, 1)  # P7 (2021: 5)
    assert flows(by_years["6+"], "L") == (1, 0, 0, 0, 1)  # P1 (2020: 6)
    assert flows(by_years["-"], "L") == (0, 1, 1, 0, 0)  # P4 (2027: not yet)
    assert flows(by_years["-"], "P") == (1, 0, 0, 1, 0)  # P6 (no year)
    for sex in ("L", "P"):
        assert flows(iii_7["totals"], sex) == flows(iii_1["totals"], sex)
    assert iii_7["totals"]["total"] == iii_3["totals"]["total"] == 4  # registered

    by_kbji = {row["kbji_group"]: row for row in table(data, "ipk_iii_5")["rows"]}
    assert flows(by_kbji["8"], "L") == (2, 0, 0, 2, 0)
    assert flows(by_kbji["7"], "L") == (0, 1, 1, 0, 0)
    assert set(by_kbji) == {"4", "7", "8"}
    by_kbli = {row["kbli_section"]: row for row in table(data, "ipk_iii_6")["rows"]}
    assert flows(by_kbli["C"], "P") == (1, 0, 1, 0, 0)
    assert flows(by_kbli["G"], "L") == (0, 1, 1, 0, 0)
    by_education = {row["education_level"]: row for row in table(data, "ipk_iii_4")["rows"]}
    assert set(by_education) == {"SMA", "SMP"}

    iii_8 = {row["row"]: row for row in table(data, "ipk_iii_8")["rows"]}
    assert iii_8[14]["AKL_P"] == 1 and iii_8[14]["total"] == 1  # P2, SMK
    assert iii_8[13]["AKAN_L"] == 1 and iii_8[13]["total"] == 1  # P4, SMP, abroad
    assert iii_8[24]["AKL_P"] == 1 and iii_8[22]["AKAN_L"] == 1
    assert table(data, "ipk_iii_8")["totals"]["total"] == 2

    registrations = table(data, "registrations")
    assert [(r["day"], r["L"], r["P"], r["ak1"], r["no_ak1"]) for r in registrations["rows"]] == [
        ("2026-10", 1, 2, 1, 2),
        ("2026-12", 1, 0, 0, 1),
    ]
    headline = {item["key"]: item["value"] for item in data["headline"]}
    assert headline == {
        "fairs": 2,
        "seekers_registered": 4,
        "seekers_placed": 2,
        "seekers_forward": 4,
        "openings_registered": 2,
        "placements": 2,
    }
    assert all(item["definition"] for item in data["headline"])
    assert all(item["definition"] for item in data["tables"])


async def test_stock_flow_identity_everywhere(ctx: AppContext) -> None:
    data, _world = await compiled(ctx)
    keys = ("ipk_iii_1", "ipk_iii_2", "ipk_iii_3", "ipk_iii_4", "ipk_iii_5", "ipk_iii_6")
    for key in (*keys, "ipk_iii_7"):
        item = table(data, key)
        for row in [*item["rows"], item["totals"]]:
            for sex in ("L", "P"):
                if row.get(f"carried_over_{sex}") is None:
                    continue
                over, came, placed, removed, forward = flows(row, sex)
                assert forward == over + came - placed - removed, (key, row)
    either = table(data, "ipk_iii_1")["rows"][-1]
    assert either["carried_forward"] == (
        either["carried_over"] + either["total"] - either["placed"] - either["removed"]
    )


async def test_the_quarter_before_carries_into_this_one(ctx: AppContext) -> None:
    """Q3's carried forward is Q4's carried over (the instants meet)."""
    async with ctx.unit_of_work() as session:
        world = await build_office_world(session)
    async with ctx.read() as session:
        q3 = await office_stats.build_office_report_data(
            session, world.office.id, Q4.previous(), NOW
        )
        q4 = await office_stats.build_office_report_data(session, world.office.id, Q4, NOW)
    for sex in ("L", "P"):
        assert (
            table(q3, "ipk_iii_1")["totals"][f"carried_forward_{sex}"]
            == table(q4, "ipk_iii_1")["totals"][f"carried_over_{sex}"]
        )
    q3_openings = table(q3, "ipk_iii_1")["rows"][5]
    q4_openings = table(q4, "ipk_iii_1")["rows"][5]
    assert q3_openings["carried_forward_L"] == q4_openings["carried_over_L"] == 2


async def test_a_month_counts_registrations_per_day(ctx: AppContext) -> None:
    data, _world = await compiled(ctx, Period.of("month", 2026, 10))
    rows = table(data, "registrations")["rows"]
    assert [(r["day"], r["total"]) for r in rows] == [("2026-10-01", 2), ("2026-10-02", 1)]


async def test_a_period_not_yet_over_counts_up_to_now(ctx: AppContext) -> None:
    """Compiled on 5 October: F1's deadline (16 Oct), P2's hire (10 Oct), P6's lapse
    (2 Nov) and F2 (20 Dec) are still to come, so nothing is placed or removed yet."""
    early = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)
    async with ctx.unit_of_work() as session:
        world = await build_office_world(session)
    async with ctx.read() as session:
        data = await office_stats.build_office_report_data(session, world.office.id, Q4, early)
    assert data["provisional"] is True
    iii_1 = table(data, "ipk_iii_1")
    assert flows(iii_1["totals"], "L") == (1, 1, 0, 0, 2)  # P1; P7
    assert flows(iii_1["totals"], "P") == (2, 2, 0, 0, 4)  # P2, P6; P3, P10
    openings = iii_1["rows"][5]
    assert flows(openings, "L") == (2, 0, 0, 0, 2)
    assert flows(openings, "P") == (1, 0, 0, 0, 1)


def test_not_stated_is_a_code_shown_as_a_label_and_old_versions_read_as_the_code() -> None:
    from jobfair.stats.definitions import NOT_STATED_CODE
    from jobfair.stats.present import Presenter

    assert NOT_STATED_CODE == "-"  # the served value: API readers depend on it
    old = {
        "tables": [
            {"key": "ipk_iii_3", "rows": [{"kbji_group": "9"}, {"kbji_group": "Not stated"}]},
            {"key": "ipk_iii_7", "rows": [{"graduation_group": "Not stated"}]},
            {"key": "ipk_iii_1", "rows": [{"group": "Not stated"}]},  # not one of them
        ]
    }
    new = office_stats.readable(old)
    assert [row["kbji_group"] for row in table(new, "ipk_iii_3")["rows"]] == ["9", "-"]
    assert table(new, "ipk_iii_7")["rows"] == [{"graduation_group": "-"}]
    assert table(new, "ipk_iii_1")["rows"] == [{"group": "Not stated"}]
    assert table(old, "ipk_iii_3")["rows"][1]["kbji_group"] == "Not stated"  # not changed
    assert office_stats.readable(new) is new  # a current version comes back as it is
    for locale, label in (("en", "Not stated"), ("id", "Belum dinyatakan")):
        p = Presenter.of(locale)
        for kind in ("kbji_group", "label", "kbli_section", "text"):
            assert p.cell("-", {"kind": kind}) == label, (locale, kind)
            assert p.raw("-", {"kind": kind}) == label, (locale, kind)
        assert p.cell("Not stated", {"kind": "kbji_group"}) == label
