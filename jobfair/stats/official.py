"""The two official labour-office tables a fair can fill, in their layout: IPK III/1
(job seekers by age group × L/P and vacancies by L/P, as a stock-flow: carried over ·
registered · placed · removed · carried forward) and IPK III/8 (placements AKL/AKAD/AKAN
× L/P in two blocks: by education code 11–17 and by employer type 21–26).

They are built from the report's ``ipk_iii_1`` and ``ipk_iii_8`` tables into a grid
(two header rows, numbered sections with a total) that the XLSX, the PDF and the page
draw the same way. Numbering and titles differ between provinces (DOMAIN.md), so titles
are configurable: pass ``titles={"ipk_iii_1": "…"}``.

For one fair: "registered" = the fair's applicants (people) / openings, "placed" =
people with a confirmed hire / openings filled by confirmed hires (per sex column, see
``stats.compile._openings_filled``), "carried over" = 0 and "carried forward" = carried
over + registered − placed − removed, computed here when the report does not carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jobfair.i18n import N_
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.stats.present import Presenter, table

AGE_GROUPS = ("15–19", "20–29", "30–44", "45–54", "55+")
STAGES = (
    ("carried_over", N_("Carried over")),
    ("registered", N_("Registered")),
    ("placed", N_("Placed")),
    ("removed", N_("Removed")),
    ("carried_forward", N_("Carried forward")),
)
PLACEMENT_KINDS = (
    ("AKL", N_("AKL (local)")),
    ("AKAD", N_("AKAD (between regions)")),
    ("AKAN", N_("AKAN (abroad)")),
)
DEFAULT_TITLES = {
    "ipk_iii_1": N_("IPK III/1 · Summary of labour-exchange statistics"),
    "ipk_iii_8": N_("IPK III/8 · Placements of job seekers"),
}


@dataclass(frozen=True)
class Head:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class LayoutRow:
    number: str
    label: str
    values: list[int | None]
    is_total: bool = False


@dataclass
class Section:
    title: str
    rows: list[LayoutRow] = field(default_factory=list)


@dataclass
class Layout:
    key: str
    title: str
    subtitle: str
    header: list[list[Head]]
    # Labels of the value columns in order ("Registered – L"), for flat exports.
    value_labels: list[str]
    sections: list[Section]
    # Remarks printed under the table (what the official layout cannot hold).
    notes: list[str] = field(default_factory=list)


def _value(row: Mapping[str, Any], key: str) -> int | None:
    """``row[key]`` matched case-insensitively (``AKL_L`` or ``akl_l``)."""
    wanted = key.lower()
    for name, value in row.items():
        if str(name).lower() == wanted:
            return value if isinstance(value, int) else None
    return None


def _label(row: Mapping[str, Any]) -> str:
    for name in ("group", "row", "label", "name", "section"):
        if isinstance(row.get(name), str):
            return row[name]
    return ""


def _stock_flow(row: Mapping[str, Any], placed: tuple[int | None, int | None]) -> list[int | None]:
    """Carried over, registered, placed, removed, carried forward — each L then P.
    ``placed`` is used when the row has no ``placed_L``/``placed_P`` of its own."""
    if not row:  # an age group nobody was in
        return [0] * 10
    values: list[int | None] = []
    for index, sex in enumerate(("L", "P")):
        carried_over = _value(row, f"carried_over_{sex}") or 0
        registered = _value(row, f"registered_{sex}")
        if registered is None:
            registered = _value(row, sex)
        placed_here = _value(row, f"placed_{sex}")
        if placed_here is None:
            placed_here = placed[index]
        removed = _value(row, f"removed_{sex}") or 0
        forward = _value(row, f"carried_forward_{sex}")
        if forward is None and registered is not None and placed_here is not None:
            forward = carried_over + registered - placed_here - removed
        values += [carried_over, registered, placed_here, removed, forward]
    # L values then P values → stage by stage: (stage L, stage P) pairs.
    return [value for pair in zip(values[:5], values[5:], strict=True) for value in pair]


def _confirmed_hires(report: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Placements (confirmed hires) by sex, from IPK III/8's education block: every
    placement has exactly one education row, so that block adds up to all of them."""
    source = table(report, "ipk_iii_8")
    if source is None:
        return None, None
    totals = [0, 0]
    for row in source.get("rows", []):
        code = _code(row)
        if code is None or not 11 <= code <= 17:
            continue
        for index, sex in enumerate(("L", "P")):
            totals[index] += sum(_value(row, f"{kind}_{sex}") or 0 for kind, _ in PLACEMENT_KINDS)
    return totals[0], totals[1]


def _code(row: Mapping[str, Any]) -> int | None:
    code = row.get("code", row.get("row"))
    if isinstance(code, str) and code.isdigit():
        code = int(code)
    return code if isinstance(code, int) else None


def _sum(rows: list[LayoutRow]) -> list[int | None]:
    width = len(rows[0].values) if rows else 0
    totals: list[int | None] = []
    for index in range(width):
        column = [row.values[index] for row in rows]
        totals.append(None if any(v is None for v in column) else sum(v or 0 for v in column))
    return totals


def _lp_header(p: Presenter, groups: list[str]) -> tuple[list[list[Head]], list[str]]:
    top = [Head(p._("No."), rowspan=2), Head(p._("Description"), rowspan=2)]
    top += [Head(group, colspan=2) for group in groups]
    bottom = [Head("L"), Head("P")] * len(groups)
    labels = [f"{group} – {sex}" for group in groups for sex in ("L", "P")]
    return [top, bottom], labels


def _subtitle(p: Presenter, report: Mapping[str, Any]) -> str:
    fair = report.get("fair", {})
    parts = [fair.get("office") or "", fair.get("name") or "", p.period(report)]
    return " · ".join(part for part in parts if part)


def ipk_iii_1(
    report: Mapping[str, Any], p: Presenter, titles: Mapping[str, str] | None = None
) -> Layout | None:
    source = table(report, "ipk_iii_1")
    if source is None:
        return None
    header, labels = _lp_header(p, [p._(label) for _key, label in STAGES])
    seekers = Section(p._("I. Job seekers by age group"))
    vacancies = Section(p._("II. Vacancies (openings)"))
    hires = _confirmed_hires(report)
    age_rows: dict[str, Mapping[str, Any]] = {}
    other_rows: list[Mapping[str, Any]] = []
    for row in source.get("rows", []):
        label = _label(row)
        section = row.get("section")
        if section == "job_seekers" or (section is None and label in AGE_GROUPS):
            age_rows[label] = row
        elif label.lower() not in ("total", "jumlah"):
            other_rows.append(row)
    for number, group in enumerate(AGE_GROUPS, start=1):
        # Reports compiled before placements were split by age have none: "–" then.
        row = age_rows.get(group, {})
        seekers.rows.append(LayoutRow(str(number), group, _stock_flow(row, (None, None))))
    total = _sum(seekers.rows)
    if total[4] is None and hires[0] is not None:
        # The total's placements are known even when the age split is not.
        total = _stock_flow({"L": total[2], "P": total[3]}, hires)
    seekers.rows.append(LayoutRow("", p._("Total"), total, is_total=True))
    notes: list[str] = []
    number = 0
    for row in other_rows:
        label = p.code_label("label", _label(row))
        if _value(row, "L") is None and _value(row, "P") is None:
            # Openings for either sex have no place in an L/P table: said beneath it.
            note = f"{label}: {p.number(_value(row, 'total'))}"
            if _value(row, "placed") is not None:
                note += " · " + p._("%(placed)s placed, %(forward)s carried forward") % {
                    "placed": p.number(_value(row, "placed")),
                    "forward": p.number(_value(row, "carried_forward")),
                }
            notes.append(note)
            continue
        number += 1
        vacancies.rows.append(LayoutRow(str(number), label, _stock_flow(row, hires)))
    title = (titles or {}).get("ipk_iii_1") or p._(DEFAULT_TITLES["ipk_iii_1"])
    return Layout(
        "ipk_iii_1", title, _subtitle(p, report), header, labels, [seekers, vacancies], notes
    )


def ipk_iii_8(
    report: Mapping[str, Any], p: Presenter, titles: Mapping[str, str] | None = None
) -> Layout | None:
    source = table(report, "ipk_iii_8")
    if source is None:
        return None
    groups = [p._(label) for _key, label in PLACEMENT_KINDS] + [p._("Total")]
    header, labels = _lp_header(p, groups)
    header[0][0] = Head(p._("Code"), rowspan=2)
    by_code: dict[int, Mapping[str, Any]] = {}
    for row in source.get("rows", []):
        code = _code(row)
        if code is not None:
            by_code[code] = row

    def values(row: Mapping[str, Any]) -> list[int | None]:
        out: list[int | None] = []
        for kind, _label_text in PLACEMENT_KINDS:
            out += [_value(row, f"{kind}_L") or 0, _value(row, f"{kind}_P") or 0]
        out += [sum(v or 0 for v in out[0::2]), sum(v or 0 for v in out[1::2])]
        return out

    education = Section(p._("A. By education"))
    for code in range(11, 18):
        label = p.ipk_row_label(code)
        education.rows.append(LayoutRow(str(code), label, values(by_code.get(code, {}))))
    education.rows.append(LayoutRow("", p._("Total"), _sum(education.rows), is_total=True))
    employers = Section(p._("B. By employer type"))
    for kind in EMPLOYER_TYPES:
        label = p._pick(kind)
        employers.rows.append(LayoutRow(str(kind.code), label, values(by_code.get(kind.code, {}))))
    employers.rows.append(LayoutRow("", p._("Total"), _sum(employers.rows), is_total=True))
    title = (titles or {}).get("ipk_iii_8") or p._(DEFAULT_TITLES["ipk_iii_8"])
    return Layout("ipk_iii_8", title, _subtitle(p, report), header, labels, [education, employers])


def layouts(
    report: Mapping[str, Any], p: Presenter, titles: Mapping[str, str] | None = None
) -> list[Layout]:
    return [
        layout
        for layout in (ipk_iii_1(report, p, titles), ipk_iii_8(report, p, titles))
        if layout is not None
    ]
