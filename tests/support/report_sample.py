"""A hand-written compiled report (``FairReport.data``, format 1) at the scale of the
Asahan reference fair, used to test the charts, the exports and the report pages
without compiling one. Every table key of ``jobfair/stats/report_format.md`` is here,
with values that add up (sex × age = education = 170 men + 186 women, etc.)."""

from __future__ import annotations

import copy
from typing import Any

from jobfair.stats import definitions as d

AGE_GROUPS = ("15–19", "20–29", "30–44", "45–54", "55+")


def _int(key: str, label: str) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": "int"}


def _lp_columns(first: dict[str, Any]) -> list[dict[str, Any]]:
    return [first, _int("L", "Men (L)"), _int("P", "Women (P)"), _int("total", "Total")]


def _lp_rows(key: str, values: list[tuple[Any, int, int]]) -> list[dict[str, Any]]:
    return [{key: name, "L": men, "P": women, "total": men + women} for name, men, women in values]


def _lp_totals(key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        key: d.TOTAL,
        "L": sum(row["L"] for row in rows),
        "P": sum(row["P"] for row in rows),
        "total": sum(row["total"] for row in rows),
    }


def _lp_table(
    key: str, title: str, definition: str, first: dict[str, Any], values: list[tuple[Any, int, int]]
) -> dict[str, Any]:
    rows = _lp_rows(first["key"], values)
    return {
        "key": key,
        "title": title,
        "definition": definition,
        "columns": _lp_columns(first),
        "rows": rows,
        "totals": _lp_totals(first["key"], rows),
    }


# Job seekers registered (the fair's applicants) and placed (confirmed hires) by age.
_III_1_SEEKERS = {
    "15–19": ((30, 34), (6, 8)),
    "20–29": ((98, 112), (32, 36)),
    "30–44": ((36, 35), (11, 9)),
    "45–54": ((5, 4), (1, 1)),
    "55+": ((1, 1), (0, 0)),
}


def _ipk_iii_1() -> dict[str, Any]:
    """The compiler's shape: applicants by age group × L/P and the openings by L/P (those
    open to either sex apart); placements come from IPK III/8."""
    rows: list[dict[str, Any]] = []
    for group in AGE_GROUPS:
        (men, women), _placed = _III_1_SEEKERS[group]
        rows.append(
            {"group": group, "L": men, "P": women, "total": men + women, "section": "job_seekers"}
        )
    totals = {
        "group": d.TOTAL,
        "L": 170,
        "P": 186,
        "total": 356,
        "section": "job_seekers",
    }
    rows.append({"group": d.OPENINGS_ROW, "L": 210, "P": 140, "total": 412, "section": "openings"})
    rows.append(
        {"group": d.OPENINGS_EITHER_ROW, "L": None, "P": None, "total": 62, "section": "openings"}
    )
    title, definition = d.TABLES["ipk_iii_1"]
    return {
        "key": "ipk_iii_1",
        "title": title,
        "definition": definition,
        "columns": [
            {"key": "group", "label": d.GROUP, "kind": "label"},
            _int("L", d.MEN),
            _int("P", d.WOMEN),
            _int("total", d.TOTAL),
        ],
        "rows": rows,
        "totals": totals,
    }


_III_8_ROWS: dict[int, tuple[int, int, int, int, int, int]] = {
    11: (0, 0, 0, 0, 0, 0),
    12: (2, 1, 0, 0, 0, 0),
    13: (5, 4, 0, 0, 0, 0),
    14: (23, 21, 2, 1, 0, 0),
    15: (0, 1, 0, 0, 0, 0),
    16: (4, 8, 0, 0, 0, 0),
    17: (11, 17, 2, 1, 1, 0),
    21: (0, 0, 0, 0, 0, 0),
    22: (5, 4, 0, 0, 0, 0),
    23: (1, 2, 0, 0, 0, 0),
    24: (38, 44, 4, 2, 1, 0),
    25: (1, 2, 0, 0, 0, 0),
    26: (0, 0, 0, 0, 0, 0),
}
_KINDS = ("AKL", "AKAD", "AKAN")


def _ipk_iii_8() -> dict[str, Any]:
    columns = [{"key": "row", "label": d.ROW, "kind": "ipk_iii_8_row"}]
    for kind in _KINDS:
        columns.append({**_int(f"{kind}_L", d.MEN), "group": kind})
        columns.append({**_int(f"{kind}_P", d.WOMEN), "group": kind})
    columns.append(_int("total", d.TOTAL))
    rows = []
    for code, values in _III_8_ROWS.items():
        row: dict[str, Any] = {
            "row": code,
            "section": "education" if code < 20 else "employer_type",
        }
        for index, kind in enumerate(_KINDS):
            row[f"{kind}_L"] = values[2 * index]
            row[f"{kind}_P"] = values[2 * index + 1]
        row["total"] = sum(values)
        rows.append(row)
    education = [row for row in rows if row["section"] == "education"]
    totals = {
        "row": d.TOTAL,
        "section": "total",
        **{key: sum(row[key] for row in education) for key in rows[0] if key[:2] == "AK"},
        "total": sum(row["total"] for row in education),
    }
    title, definition = d.TABLES["ipk_iii_8"]
    return {
        "key": "ipk_iii_8",
        "title": title,
        "definition": definition,
        "columns": columns,
        "rows": rows,
        "totals": totals,
    }


def _companies() -> dict[str, Any]:
    columns = [
        {"key": "company", "label": d.COMPANY, "kind": "text"},
        {"key": "kbli_section", "label": d.KBLI_SECTION, "kind": "kbli_section"},
        {"key": "employer_type", "label": d.EMPLOYER_TYPE, "kind": "employer_type"},
        _int("vacancies", "Vacancies"),
        _int("openings", "Openings"),
        _int("applications", "Applications"),
        {
            "key": "answered_share",
            "label": "Answered before the deadline",
            "kind": "float",
            "unit": "share",
        },
        {"key": "median_hours", "label": "Median time to first decision", "kind": "duration_hours"},
        _int("shortlisted", "Shortlisted"),
        _int("interviews", "Interviews"),
        _int("hires", "Hires"),
        _int("confirmed", "Confirmed"),
    ]
    rows = [
        {
            "company": "PT Sinar Asahan Sejahtera",
            "kbli_section": "C",
            "employer_type": 24,
            "vacancies": 4,
            "openings": 25,
            "applications": 214,
            "answered_share": 1.0,
            "median_hours": 18.5,
            "shortlisted": 60,
            "interviews": 30,
            "hires": 14,
            "confirmed": 13,
        },
        {
            "company": 'Koperasi "Maju" <Bersama> & Co',
            "kbli_section": "A",
            "employer_type": 23,
            "vacancies": 2,
            "openings": 6,
            "applications": 57,
            "answered_share": 0.8596,
            "median_hours": 40.25,
            "shortlisted": 12,
            "interviews": 6,
            "hires": 3,
            "confirmed": 2,
        },
        {
            # A name typed like a formula: exports must write it as text.
            "company": '=HYPERLINK("http://x.test")',
            "kbli_section": "G",
            "employer_type": 24,
            "vacancies": 1,
            "openings": 2,
            "applications": 31,
            "answered_share": 0.0,
            "median_hours": None,
            "shortlisted": 0,
            "interviews": 0,
            "hires": 0,
            "confirmed": 0,
        },
    ]
    return {
        "key": "companies",
        **_titled("companies"),
        "columns": columns,
        "rows": rows,
    }


def _titled(key: str) -> dict[str, str]:
    title, definition = d.TABLES[key]
    return {"title": title, "definition": definition}


def build_sample() -> dict[str, Any]:
    sex_age = _lp_table(
        "sex_age",
        *_titled("sex_age").values(),
        {"key": "group", "label": d.AGE_GROUP, "kind": "text"},
        [(group, *_III_1_SEEKERS[group][0]) for group in AGE_GROUPS],
    )
    education = _lp_table(
        "education",
        *_titled("education").values(),
        {"key": "education", "label": d.EDUCATION, "kind": "education"},
        [
            ("SD", 4, 2),
            ("SMP", 12, 9),
            ("SMA", 48, 41),
            ("SMK", 60, 58),
            ("D3", 14, 30),
            ("S1", 30, 44),
            ("S2", 2, 2),
        ],
    )
    group = {"key": "group", "label": d.GROUP, "kind": "label"}
    locality = _lp_table(
        "locality",
        *_titled("locality").values(),
        group,
        [(d.LOCAL, 140, 150), (d.NON_LOCAL, 30, 36)],
    )
    disability = _lp_table(
        "disability",
        *_titled("disability").values(),
        group,
        [(d.WITH_DISABILITY, 4, 3), (d.WITHOUT_DISABILITY, 166, 183)],
    )
    disability_kinds = _lp_table(
        "disability_kinds",
        *_titled("disability_kinds").values(),
        {"key": "kind", "label": d.DISABILITY_KIND, "kind": "disability"},
        [("physical", 2, 1), ("sensory_sight", 1, 2), ("sensory_hearing", 1, 0)],
    )
    ak1 = _lp_table(
        "ak1",
        *_titled("ak1").values(),
        group,
        [(d.AK1_HOLDER, 90, 101), (d.NOT_AK1_HOLDER, 80, 85)],
    )
    funnel_counts = dict(
        applications=2278,
        reviewed=1650,
        shortlisted=610,
        interview=320,
        offered=140,
        hired=118,
        confirmed=104,
    )
    funnel = {
        "key": "funnel",
        **_titled("funnel"),
        "columns": [
            {"key": "stage", "label": d.STAGE, "kind": "label"},
            _int("count", d.COUNT),
            {"key": "share", "label": d.SHARE_OF_APPLICATIONS, "kind": "float", "unit": "share"},
        ],
        "rows": [
            {
                "key": key,
                "stage": label,
                "count": funnel_counts[key],
                "share": round(funnel_counts[key] / 2278, 4),
            }
            for key, label in d.FUNNEL_STAGES
        ],
    }
    days = [412, 351, 298, 280, 265, 240, 232, 200]
    newcomers = [120, 70, 48, 40, 30, 22, 16, 10]
    by_day = {
        "key": "by_day",
        **_titled("by_day"),
        "columns": [
            {"key": "date", "label": d.DATE, "kind": "date"},
            _int("applications", "Applications"),
            _int("new_applicants", d.NEW_APPLICANTS),
        ],
        "rows": [
            {"date": f"2026-11-{3 + index:02d}", "applications": days[index], "new_applicants": n}
            for index, n in enumerate(newcomers)
        ],
        "totals": {"date": d.TOTAL, "applications": 2278, "new_applicants": 356},
    }
    vacancies = {
        "key": "vacancies",
        **_titled("vacancies"),
        "columns": [
            _int("id", d.VACANCY_ID),
            {"key": "company", "label": d.COMPANY, "kind": "text"},
            {"key": "title", "label": d.VACANCY, "kind": "text"},
            {"key": "kbji_group", "label": d.KBJI_GROUP, "kind": "kbji_group"},
            _int("openings", "Openings"),
            _int("applications", "Applications"),
            _int("shortlisted", "Shortlisted"),
            _int("hires", d.HIRES),
            _int("confirmed", d.CONFIRMED),
            {
                "key": "answered_share",
                "label": d.ANSWERED_SHARE,
                "kind": "float",
                "unit": "share",
            },
        ],
        "rows": [
            {
                "id": 11,
                "company": "PT Sinar Asahan Sejahtera",
                "title": "Operator Produksi",
                "kbji_group": "8",
                "openings": 20,
                "applications": 180,
                "shortlisted": 50,
                "hires": 12,
                "confirmed": 11,
                "answered_share": 1.0,
            },
            {
                "id": 12,
                "company": "PT Sinar Asahan Sejahtera",
                "title": "Staf Administrasi",
                "kbji_group": "4",
                "openings": 5,
                "applications": 34,
                "shortlisted": 10,
                "hires": 2,
                "confirmed": 2,
                "answered_share": 1.0,
            },
        ],
    }
    formality = {
        "key": "formality_suspects",
        **_titled("formality_suspects"),
        "columns": [
            _int("id", d.VACANCY_ID),
            {"key": "company", "label": d.COMPANY, "kind": "text"},
            {"key": "title", "label": d.VACANCY, "kind": "text"},
            _int("applications", "Applications"),
        ],
        "rows": [
            {
                "id": 40,
                "company": '=HYPERLINK("http://x.test")',
                "title": "Sales",
                "applications": 31,
            }
        ],
    }
    kbli_sections = {
        "key": "kbli_sections",
        **_titled("kbli_sections"),
        "columns": [
            {"key": "kbli_section", "label": d.KBLI_SECTION, "kind": "kbli_section"},
            _int("companies", "Companies"),
            _int("vacancies", "Vacancies"),
            _int("openings", "Openings"),
            _int("applications", "Applications"),
            _int("hires", d.HIRES),
            _int("confirmed", d.CONFIRMED),
        ],
        "rows": [
            {
                "kbli_section": code,
                "companies": a,
                "vacancies": b,
                "openings": c,
                "applications": e,
                "hires": f,
                "confirmed": g,
            }
            for code, a, b, c, e, f, g in (
                ("C", 20, 55, 250, 1300, 70, 62),
                ("G", 10, 25, 100, 600, 30, 26),
                ("A", 7, 17, 62, 378, 18, 16),
            )
        ],
        "totals": {
            "kbli_section": d.TOTAL,
            "companies": 37,
            "vacancies": 97,
            "openings": 412,
            "applications": 2278,
            "hires": 118,
            "confirmed": 104,
        },
    }
    kbji_groups = {
        "key": "kbji_groups",
        **_titled("kbji_groups"),
        "columns": [
            {"key": "kbji_group", "label": d.KBJI_GROUP, "kind": "kbji_group"},
            _int("vacancies", "Vacancies"),
            _int("openings", "Openings"),
            _int("applications", "Applications"),
            _int("hires", d.HIRES),
            _int("confirmed", d.CONFIRMED),
        ],
        "rows": [
            {
                "kbji_group": "8",
                "vacancies": 40,
                "openings": 220,
                "applications": 1100,
                "hires": 60,
                "confirmed": 52,
            },
            {
                "kbji_group": "4",
                "vacancies": 30,
                "openings": 92,
                "applications": 700,
                "hires": 30,
                "confirmed": 28,
            },
            {
                "kbji_group": "5",
                "vacancies": 27,
                "openings": 100,
                "applications": 478,
                "hires": 28,
                "confirmed": 24,
            },
        ],
    }
    local_hires = {
        "key": "local_hires",
        **_titled("local_hires"),
        "columns": [
            group,
            _int("L", d.MEN),
            _int("P", d.WOMEN),
            _int("total", d.TOTAL),
            *(
                {"key": key, "label": label, "kind": "float", "unit": "share"}
                for key, label in (
                    ("share_of_hires", d.SHARE_OF_HIRES),
                    ("target_share", d.TARGET_SHARE),
                    ("gap", d.TARGET_GAP),
                )
            ),
        ],
        "rows": [
            {
                "group": d.LOCAL,
                "L": 40,
                "P": 48,
                "total": 88,
                "share_of_hires": 0.8462,
                "target_share": 0.6,
                "gap": 0.2462,
            },
            {
                "group": d.NON_LOCAL,
                "L": 10,
                "P": 6,
                "total": 16,
                "share_of_hires": 0.1538,
                "target_share": None,
                "gap": None,
            },
        ],
        "totals": {
            "group": d.TOTAL,
            "L": 50,
            "P": 54,
            "total": 104,
            "share_of_hires": 1.0,
            "target_share": None,
            "gap": None,
        },
        "target": 60,
    }
    values = {
        "companies": 37,
        "booths": 37,
        "vacancies": 97,
        "openings": 412,
        "applicants": 356,
        "applications": 2278,
        "applications_per_applicant": 6.4,
        "applications_per_vacancy": 23.48,
        "applications_per_company": 61.57,
        "shortlisted": 610,
        "interviews": 320,
        "hires_reported": 118,
        "hires_confirmed": 104,
        "fill_rate": 0.2524,
    }
    headline_items: list[dict[str, Any]] = []
    for key, (label, definition) in d.HEADLINE.items():
        item = {
            "key": key,
            "label": label,
            "value": values[key],
            "definition": definition,
            "kind": "int" if isinstance(values[key], int) else "float",
        }
        if key == "fill_rate":
            item["unit"] = "share"
        headline_items.append(item)
    return {
        "format": 1,
        "version": 3,
        "compiled_at": "2026-11-11T01:00:00+00:00",
        "provisional": False,
        "akl_scope": "province",
        "fair": {
            "slug": "asahan-2026",
            "name": "Bursa Kerja Virtual Asahan 2026",
            "office": "Dinas Tenaga Kerja Kabupaten Asahan",
            "timezone": "Asia/Jakarta",
            "opens_at": "2026-11-03T01:00:00+00:00",
            "closes_at": "2026-11-10T16:59:59+00:00",
            "decision_deadline": "2026-11-24T16:59:59+00:00",
            "period_start": "2026-11-03",
            "period_end": "2026-11-10",
            "host_regency_codes": ["12.09"],
            "local_hiring_target": 60,
        },
        "headline": headline_items,
        "tables": [
            sex_age,
            education,
            locality,
            disability,
            disability_kinds,
            ak1,
            funnel,
            by_day,
            _companies(),
            vacancies,
            formality,
            kbli_sections,
            kbji_groups,
            local_hires,
            _ipk_iii_1(),
            _ipk_iii_8(),
        ],
    }


SAMPLE: dict[str, Any] = build_sample()


def sample() -> dict[str, Any]:
    """A fresh copy, so a test may change it freely."""
    return copy.deepcopy(SAMPLE)
