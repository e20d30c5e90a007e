"""The compiled report as files: XLSX (openpyxl), a zip of CSV files, and a PDF
(reportlab, with the same charts as the page).

Each exporter is a pure function ``(report, locale) -> bytes`` of a ``FairReport.data``
dict (see ``report_format.md``): no database, so the CLI, the page and the tests call
the same code. Labels go through gettext in the requested locale (``id`` by default).
Text cells that look like formulas are written as text (the guard of the company
exports), because company names and vacancy titles are typed by companies.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jobfair.i18n import N_
from jobfair.services import times
from jobfair.services.exports import _safe as formula_safe
from jobfair.stats.charts import report_charts
from jobfair.stats.official import Layout, layouts
from jobfair.stats.present import NUMERIC_KINDS, Presenter, all_rows

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
# ``--format csv`` writes the zip of CSV files.
EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "csv": "zip", "zip": "zip"}


# The file name's word for "report", by locale (a file name: lower case, no spaces).
REPORT_WORD = {"id": "laporan", "en": "report"}


def filename(report: Mapping[str, Any], kind: str, locale: str = "id") -> str:
    """``<fair slug>-laporan-v<version>.<ext>`` (``-report-`` in English), safe for a
    Content-Disposition header."""
    slug = re.sub(r"[^a-z0-9-]+", "-", str(report.get("fair", {}).get("slug", "fair")).lower())
    word = REPORT_WORD.get(Presenter.of(locale).locale, REPORT_WORD["id"])
    version = int(report.get("version") or 0)
    return f"{slug.strip('-') or 'fair'}-{word}-v{version}.{EXTENSIONS[kind]}"


@dataclass(frozen=True)
class Letterhead:
    """What the PDF prints of the office that signs the report: the letterhead (name,
    logo, address) and the signature block (place, date, rank or position, name, NIP).
    Office settings, read when the file is made (``services.offices.letterhead``); a
    field left unset is left out."""

    office: str
    address: str | None = None
    logo_path: Path | None = None
    signing_place: str | None = None
    signer_name: str | None = None
    signer_nip: str | None = None  # grouped as printed: 19800512 200501 1 002
    signer_position: str | None = None


PROVISIONAL = N_(
    "Provisional: compiled before the fair closed. The report compiled at the close replaces it."
)
OFFICE_PROVISIONAL = N_("Provisional: compiled before the period ended.")
DRIVE_PROVISIONAL = N_("Provisional: made while the drive runs; its figures may still change.")
# What the first line of the about block names, by the data's kind (a fair by default).
SUBJECT = {"office": N_("Fairs"), "drive": N_("Hiring drive")}
# The files' document title, by kind.
DOCUMENT_TITLE = {"drive": N_("Hiring drive progress")}


def provisional_text(report: Mapping[str, Any]) -> str:
    """The provisional notice of a fair report, the office statistics or a drive's
    progress (``stats.drive_report``)."""
    kind = report.get("kind")
    if kind == "drive":
        return DRIVE_PROVISIONAL
    return OFFICE_PROVISIONAL if kind == "office" else PROVISIONAL


def _about(report: Mapping[str, Any], p: Presenter) -> list[tuple[str, str]]:
    fair = report.get("fair", {})
    timezone = fair.get("timezone") or times.DEFAULT_TIMEZONE
    about = [
        (p._(SUBJECT.get(str(report.get("kind")), N_("Fair"))), str(fair.get("name", ""))),
        (p._(N_("Organiser")), str(fair.get("office", ""))),
        (p._(N_("Period")), p.period(report)),
    ]
    # A drive's progress is a snapshot made on request: it has no version.
    if report.get("kind") != "drive":
        about.append((p._(N_("Report version")), str(report.get("version", ""))))
    about.append(
        (
            times.with_zone(p._(N_("Compiled at")), timezone),
            p.moment(report.get("compiled_at"), timezone),
        )
    )
    return about


def _definitions(report: Mapping[str, Any], p: Presenter) -> list[tuple[str, str]]:
    rows = [
        (p._(item.get("label")), p._(item.get("definition")))
        for item in report.get("headline", [])
        if item.get("definition")
    ]
    rows += [
        (p._(item.get("title")), p._(item.get("definition")))
        for item in report.get("tables", [])
        if item.get("definition")
    ]
    return rows


# ------------------------------------------------------------------ XLSX


# A spreadsheet's sheet name holds at most 31 characters: each table's own short
# title, translated (the Indonesian ones are written to fit as well).
SHEET_NAME_MAX = 31
SHEET_TITLES: dict[str, str] = {
    "sex_age": N_("Sex and age"),
    "education": N_("Education"),
    "locality": N_("Local and non-local"),
    "disability": N_("Disability"),
    "disability_kinds": N_("Kinds of disability"),
    "ak1": N_("AK-I card"),
    "funnel": N_("Application to hire"),
    "by_day": N_("Applications by day"),
    "companies": N_("Companies"),
    "vacancies": N_("Vacancies"),
    "formality_suspects": N_("Vacancies without decision"),
    "kbli_sections": N_("By sector (KBLI)"),
    "kbji_groups": N_("By occupation (KBJI)"),
    "local_hires": N_("Local hires"),
    "ipk_iii_1": N_("IPK III-1 data"),
    "ipk_iii_8": N_("IPK III-8 data"),
    # a hiring drive's progress (stats.drive_report)
    "drive_partners": N_("Partner companies"),
    "drive_weeks": N_("Per week"),
    "drive_locality": N_("The locality rule"),
}


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut between words (a single word
    longer than that is cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" :;,-·(") or text[:limit]


def _sheet_name(title: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", "-", title).strip("' ")
    name = _shorten(clean, SHEET_NAME_MAX) or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = _shorten(name, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def to_xlsx(
    report: Mapping[str, Any], locale: str = "id", titles: Mapping[str, str] | None = None
) -> bytes:
    """A summary sheet, a definitions sheet, the official IPK III/1 and III/8 sheets,
    then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    p = Presenter.of(locale)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    book = Workbook()
    summary = book.active
    summary.title = _sheet_name(p._(N_("Summary")), used)
    summary["A1"] = formula_safe(str(report.get("fair", {}).get("name", "")))
    summary["A1"].font = title_font
    row = 3
    for label, value in _about(report, p):
        summary.cell(row, 1, label).font = bold
        summary.cell(row, 2, formula_safe(value))
        row += 1
    if report.get("provisional"):
        summary.cell(row, 1, p._(provisional_text(report))).font = bold
        row += 1
    row += 1
    summary.cell(row, 1, p._(N_("Figure"))).font = bold
    summary.cell(row, 2, p._(N_("Value"))).font = bold
    for item in report.get("headline", []):
        row += 1
        summary.cell(row, 1, p._(item.get("label")))
        cell = summary.cell(row, 2, item.get("value"))
        if item.get("unit") == "share":
            cell.number_format = "0.0%"
        elif isinstance(item.get("value"), float):
            cell.number_format = "#,##0.00"
        else:
            cell.number_format = "#,##0"
    summary.column_dimensions["A"].width = 38
    summary.column_dimensions["B"].width = 48

    definitions = book.create_sheet(_sheet_name(p._(N_("Definitions")), used))
    definitions.append([p._(N_("Figure or table")), p._(N_("Definition"))])
    for cell in definitions[1]:
        cell.font = bold
    for label, text in _definitions(report, p):
        definitions.append([label, text])
    definitions.column_dimensions["A"].width = 40
    definitions.column_dimensions["B"].width = 100
    for cells in definitions.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap

    for layout in layouts(report, p, titles):
        sheet = book.create_sheet(
            _sheet_name(layout.key.upper().replace("_", " ").replace("IPK III ", "IPK III-"), used)
        )
        _official_sheet(sheet, layout, bold, title_font, box, centre, get_column_letter)

    for item in report.get("tables", []):
        columns = item.get("columns", [])
        short = SHEET_TITLES.get(item["key"])
        title = p._(short) if short else p._(item.get("title")) or item["key"]
        sheet = book.create_sheet(_sheet_name(title, used))
        sheet["A1"] = p._(item.get("title"))
        sheet["A1"].font = title_font
        sheet["A2"] = p._(item.get("definition"))
        sheet.append([])
        sheet.append([p._(column.get("label")) for column in columns])
        for cell in sheet[4]:
            cell.font = bold
            cell.alignment = centre
        for values in item.get("rows", []):
            sheet.append(_xlsx_row(values, columns, p))
        if item.get("totals"):
            sheet.append(_xlsx_row(item["totals"], columns, p))
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 34 if column.get("kind") == "text" else 16
            if column.get("unit") == "share":
                for (cell,) in sheet.iter_rows(min_row=5, min_col=index, max_col=index):
                    cell.number_format = "0.0%"
        sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_row(values: Mapping[str, Any], columns: list[Mapping[str, Any]], p: Presenter) -> list:
    out = []
    for column in columns:
        value = values.get(column["key"])
        if column.get("kind") == "text" and value == "Total":
            out.append(p._("Total"))
            continue
        out.append(formula_safe(p.raw(value, column)))
    return out


def _official_sheet(
    sheet: Any, layout: Layout, bold: Any, title_font: Any, box: Any, centre: Any, letter: Any
) -> None:
    from openpyxl.styles import Font

    width = 2 + len(layout.value_labels)
    sheet["A1"] = layout.title
    sheet["A1"].font = title_font
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A2"] = formula_safe(layout.subtitle)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    row = 4
    for line_number, line in enumerate(layout.header):
        # The second header line starts after "No." and "Description", which span both.
        column = 1 if line_number == 0 else 3
        for head in line:
            cell = sheet.cell(row, column, head.text)
            cell.font = bold
            cell.alignment = centre
            if head.colspan > 1 or head.rowspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + head.rowspan - 1,
                    end_column=column + head.colspan - 1,
                )
            column += head.colspan
        row += 1
    for section in layout.sections:
        cell = sheet.cell(row, 1, section.title)
        cell.font = bold
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
        for line in section.rows:
            sheet.cell(row, 1, int(line.number) if line.number.isdigit() else line.number)
            sheet.cell(row, 2, formula_safe(line.label))
            for index, value in enumerate(line.values, start=3):
                sheet.cell(row, index, value)
            if line.is_total:
                for index in range(1, width + 1):
                    sheet.cell(row, index).font = Font(bold=True)
            row += 1
    for cells in sheet.iter_rows(min_row=4, max_row=row - 1, max_col=width):
        for cell in cells:
            cell.border = box
    for note in layout.notes:
        row += 1
        sheet.cell(row, 1, formula_safe(note))
    sheet.column_dimensions["A"].width = 7
    sheet.column_dimensions["B"].width = 30
    for index in range(3, width + 1):
        sheet.column_dimensions[letter(index)].width = 9


# ------------------------------------------------------------------ CSV


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in rows:
        writer.writerow(
            [
                "" if value is None else value.isoformat() if isinstance(value, date) else value
                for value in (formula_safe(v) for v in values)
            ]
        )
    # A BOM so Excel opens the UTF-8 text (names with é, Ñ…) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv_zip(
    report: Mapping[str, Any], locale: str = "id", titles: Mapping[str, str] | None = None
) -> bytes:
    """``summary.csv``, ``definitions.csv``, one ``NN-<key>.csv`` per table and the two
    official layouts flattened (``ipk-iii-1-official.csv``…)."""
    p = Presenter.of(locale)
    files: list[tuple[str, bytes]] = []
    summary: list[list[Any]] = [[label, value] for label, value in _about(report, p)]
    summary.append([])
    summary.append(["key", p._(N_("Figure")), p._(N_("Value"))])
    summary += [
        [item.get("key"), p._(item.get("label")), item.get("value")]
        for item in report.get("headline", [])
    ]
    files.append(("summary.csv", _csv(summary)))
    files.append(
        (
            "definitions.csv",
            _csv([[p._(N_("Figure or table")), p._(N_("Definition"))], *_definitions(report, p)]),
        )
    )
    for number, item in enumerate(report.get("tables", []), start=1):
        columns = item.get("columns", [])
        rows: list[list[Any]] = [[p._(column.get("label")) for column in columns]]
        rows += [_xlsx_row(values, columns, p) for values in all_rows(item)]
        files.append((f"{number:02d}-{item['key'].replace('_', '-')}.csv", _csv(rows)))
    for layout in layouts(report, p, titles):
        rows = [[layout.title], [layout.subtitle]]
        first = p._("Code") if layout.key == "ipk_iii_8" else p._("No.")
        rows.append([first, p._("Description"), *layout.value_labels])
        for section in layout.sections:
            rows.append([section.title])
            rows += [[line.number, line.label, *line.values] for line in section.rows]
        rows += [[note] for note in layout.notes]
        files.append((f"{layout.key.replace('_', '-')}-official.csv", _csv(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            # A fixed date keeps the archive byte-for-byte reproducible.
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# ------------------------------------------------------------------ PDF

FONT, FONT_BOLD = "JobfairSans", "JobfairSans-Bold"


def register_fonts() -> None:
    """Bitstream Vera, shipped inside reportlab: a TrueType font (embedded, with a
    Unicode map so the text can be searched and copied), no system fonts needed."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def to_pdf(
    report: Mapping[str, Any],
    locale: str = "id",
    titles: Mapping[str, str] | None = None,
    letterhead: Letterhead | None = None,
) -> bytes:
    """The report as on the page: headline, charts, every table, the official layouts,
    the definitions. A4 landscape, so the wide tables fit. With a ``letterhead``, the
    first page opens with the office's letterhead and the last closes with the signing
    officer's block."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        CondPageBreak,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    p = Presenter.of(locale)
    fair = report.get("fair", {})
    kind = str(report.get("kind"))
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    small = ParagraphStyle(
        "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
    )
    h1 = ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21)
    h2 = ParagraphStyle(
        "h2", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=3
    )
    cell = ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=FONT_BOLD)
    head = ParagraphStyle("head", parent=cell_bold, fontSize=7, leading=8.5)
    big = ParagraphStyle("big", parent=base, fontName=FONT_BOLD, fontSize=15, leading=18)

    def para(text: Any, style: ParagraphStyle = base) -> Paragraph:
        # Paragraph reads a little markup: escape everything that came from the data.
        return Paragraph(_xml(str(text)), style)

    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa4ae")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    story: list[Any] = []
    if letterhead is not None:
        story += _letterhead(letterhead, para, base)
    story += [para(fair.get("name", ""), h1), Spacer(1, 2 * mm)]
    about = " · ".join(f"{label}: {value}" for label, value in _about(report, p)[1:])
    story += [para(about, small), Spacer(1, 4 * mm)]
    if report.get("provisional"):
        story += [para(p._(provisional_text(report)), cell_bold), Spacer(1, 2 * mm)]

    # Headline figures, four to a row.
    cards = [
        [para(p._(item.get("label")), small), para(p.headline_value(item), big)]
        for item in report.get("headline", [])
    ]
    if cards:
        story.append(para(p._(N_("Headline")), h2))
        per_row = 4
        rows = []
        for start in range(0, len(cards), per_row):
            chunk = cards[start : start + per_row]
            chunk += [["", ""]] * (per_row - len(chunk))
            rows.append([Table([[c[0]], [c[1]]]) if c[0] else "" for c in chunk])
        headline_table = Table(rows, colWidths=[62 * mm] * per_row, hAlign="LEFT")
        headline_table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa4ae")),
                    ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa4ae")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(headline_table)

    charts = list(report_charts(report, p).values())
    if charts:
        story.append(CondPageBreak(90 * mm))
        story.append(para(p._(N_("Charts")), h2))
        scale = 0.58
        drawings = []
        for chart in charts:
            drawing = _drawing(chart, scale)
            drawings.append([para(chart.title, cell_bold), drawing])
        pairs = []
        for start in range(0, len(drawings), 2):
            left = drawings[start]
            right = drawings[start + 1] if start + 1 < len(drawings) else ["", ""]
            pairs.append([left[0], right[0]])
            pairs.append([left[1], right[1]])
        chart_table = Table(pairs, colWidths=[128 * mm, 128 * mm], hAlign="LEFT")
        chart_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(chart_table)

    for layout in layouts(report, p, titles):
        story.append(CondPageBreak(70 * mm))
        story.append(para(layout.title, h2))
        story.append(para(layout.subtitle, small))
        story.append(Spacer(1, 2 * mm))
        story.append(_official_table(layout, para, cell, cell_bold, grid))
        story += [para(note, small) for note in layout.notes]

    for item in report.get("tables", []):
        columns = item.get("columns", [])
        header = [para(p._(column.get("label")), head) for column in columns]
        numeric = [
            index for index, column in enumerate(columns) if column.get("kind") in NUMERIC_KINDS
        ]
        widths = _widths(columns, [p._(column.get("label")) for column in columns], 267 * mm)
        body: list[list[Any]] = []
        commands: list[tuple] = [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
        for values in all_rows(item):
            is_total = values is item.get("totals")
            if is_total:
                commands.append(("FONT", (0, len(body) + 1), (-1, len(body) + 1), FONT_BOLD, 7.5))
            row: list[Any] = []
            for index, column in enumerate(columns):
                text = p.cell(values.get(column["key"]), column)
                # A Paragraph (slow) only where the text may need to wrap.
                fits = stringWidth(text, FONT_BOLD, 7.5) < widths[index] - 6
                row.append(text if fits else para(text, cell_bold if is_total else cell))
            body.append(row)
        if not body:
            body = [["–"] + [""] * (len(columns) - 1)]
        data_table = Table([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
        data_table.setStyle(grid)
        data_table.setStyle(TableStyle(commands))
        heading = [para(p._(item.get("title")), h2)]
        if item.get("definition"):
            heading.append(para(p._(item.get("definition")), small))
        heading.append(Spacer(1, 1.5 * mm))
        story.append(KeepTogether([*heading, data_table]) if len(body) < 25 else heading[0])
        if len(body) >= 25:
            story += [*heading[1:], data_table]

    definitions = _definitions(report, p)
    if definitions:
        story.append(CondPageBreak(40 * mm))
        story.append(para(p._(N_("Definitions")), h2))
        rows = [[para(label, cell_bold), para(text, cell)] for label, text in definitions]
        table = Table(rows, colWidths=[70 * mm, 197 * mm], hAlign="LEFT")
        table.setStyle(grid)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.white)]))
        story.append(table)

    if letterhead is not None and letterhead.signer_name:
        story.append(_signature(report, letterhead, p, para, base))

    footer = f"{fair.get('name', '')} · {p._(N_('Report version'))} {report.get('version', '')}"
    if kind == "drive":  # no version
        footer = str(fair.get("name", ""))

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(15 * mm, 8 * mm, footer)
        canvas.drawRightString(
            landscape(A4)[0] - 15 * mm, 8 * mm, p._(N_("Page %(page)s")) % {"page": doc.page}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=f"{fair.get('name', '')} — {p._(DOCUMENT_TITLE.get(kind, N_('Fair report')))}",
        author=str(fair.get("office", "")),
        invariant=1,  # no timestamp or random id: the same report gives the same bytes
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _letterhead(letterhead: Letterhead, para: Any, base: Any) -> list[Any]:
    """The office's name (and address) beside its logo, over a rule."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import HRFlowable, Image, Spacer, Table, TableStyle

    name = ParagraphStyle("office", parent=base, fontName=FONT_BOLD, fontSize=14, leading=17)
    text: list[Any] = [para(letterhead.office, name)]
    for line in (letterhead.address or "").splitlines():
        if line.strip():
            text.append(para(line.strip(), base))
    cells: list[Any] = [text]
    widths = [267 * mm]
    if letterhead.logo_path is not None:
        try:
            # Read now: reportlab opens the file only while building, too late to skip.
            ImageReader(str(letterhead.logo_path)).getSize()
        except (OSError, ValueError):  # a file gone or unreadable: the letterhead without it
            pass
        else:
            # Fitted into a 20 mm square, its proportions kept.
            logo = Image(str(letterhead.logo_path), 20 * mm, 20 * mm, kind="proportional")
            cells, widths = [logo, text], [24 * mm, 243 * mm]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    rule = HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=2, spaceAfter=0)
    return [table, rule, Spacer(1, 5 * mm)]


def signing_date(report: Mapping[str, Any], p: Presenter) -> str:
    """The date under the signature: the day the version was compiled, in the fair's
    zone (so the same version always gives the same file)."""
    from babel.dates import format_date

    timezone = report.get("fair", {}).get("timezone") or times.DEFAULT_TIMEZONE
    try:
        compiled = datetime.fromisoformat(str(report.get("compiled_at")))
    except ValueError:
        return ""
    return format_date(times.local_date(compiled, timezone), "d MMMM y", locale=p.locale)


def _signature(
    report: Mapping[str, Any], letterhead: Letterhead, p: Presenter, para: Any, base: Any
) -> Any:
    """Place and date, rank or position, room to sign, name and NIP: on the right."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer, Table

    bold = ParagraphStyle("signer", parent=base, fontName=FONT_BOLD)
    place_date = ", ".join(
        part for part in (letterhead.signing_place, signing_date(report, p)) if part
    )
    lines: list[Any] = [para(place_date, base)]
    if letterhead.signer_position:
        lines.append(para(letterhead.signer_position, base))
    lines += [Spacer(1, 18 * mm), para(letterhead.signer_name, bold)]
    if letterhead.signer_nip:
        lines.append(para(f"NIP {letterhead.signer_nip}", base))
    block = Table([["", lines]], colWidths=[177 * mm, 90 * mm], hAlign="LEFT")
    return KeepTogether([Spacer(1, 8 * mm), block])


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _drawing(chart: Any, scale: float) -> Any:
    from jobfair.stats.charts import to_drawing

    drawing = to_drawing(chart, FONT)
    drawing.scale(scale, scale)
    drawing.width *= scale
    drawing.height *= scale
    return drawing


def _widths(columns: list[Mapping[str, Any]], labels: list[str], total: float) -> list[float]:
    """Column widths: text wide, numbers narrow, but never narrower than the longest
    word of the header (so no header word is split), within ``total``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    weights = [
        3.0
        if column.get("kind") == "text"
        else 1.3
        if column.get("kind") in NUMERIC_KINDS | {"date"}
        else 2.2
        for column in columns
    ]
    least = [
        max((stringWidth(word, FONT_BOLD, 7) for word in label.split()), default=0) + 8
        for label in labels
    ]
    unit = total / sum(weights) if weights else total
    # Narrow tables do not need the whole page width.
    unit = min(unit, 28.0 * 2.8346)
    widths = [max(weight * unit, low) for weight, low in zip(weights, least, strict=True)]
    excess = sum(widths) - total
    slack = sum(width - low for width, low in zip(widths, least, strict=True))
    if excess > 0 and slack > 0:
        share = min(excess / slack, 1.0)
        widths = [w - (w - low) * share for w, low in zip(widths, least, strict=True)]
    return widths


def _official_table(layout: Layout, para: Any, cell: Any, cell_bold: Any, grid: Any) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    width = 2 + len(layout.value_labels)
    commands: list[tuple] = []
    rows: list[list[Any]] = []
    for line_number, line in enumerate(layout.header):
        row: list[Any] = [""] * width
        # The second header line starts after "No." and "Description", which span both.
        column = 0 if line_number == 0 else 2
        for head in line:
            row[column] = para(head.text, cell_bold)
            if head.colspan > 1 or head.rowspan > 1:
                commands.append(
                    (
                        "SPAN",
                        (column, line_number),
                        (column + head.colspan - 1, line_number + head.rowspan - 1),
                    )
                )
            column += head.colspan
        rows.append(row)
    for section in layout.sections:
        commands.append(("SPAN", (0, len(rows)), (-1, len(rows))))
        commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), colors.HexColor("#f3f5f7")))
        rows.append([para(section.title, cell_bold)] + [""] * (width - 1))
        for line in section.rows:
            style = cell_bold if line.is_total else cell
            right = ParagraphStyle("right", parent=style, alignment=2)
            rows.append(
                [para(line.number, style), para(line.label, style)]
                + [
                    para("–" if v is None else f"{v:,}".replace(",", "."), right)
                    for v in line.values
                ]
            )
    table = Table(
        rows, colWidths=[12 * mm, 55 * mm] + [16 * mm] * (width - 2), repeatRows=2, hAlign="LEFT"
    )
    table.setStyle(grid)
    table.setStyle(
        TableStyle(
            [
                *commands,
                ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e8edf2")),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


EXPORTERS = {"pdf": to_pdf, "xlsx": to_xlsx, "csv": to_csv_zip, "zip": to_csv_zip}


def export(
    report: Mapping[str, Any],
    kind: str,
    locale: str = "id",
    letterhead: Letterhead | None = None,
) -> bytes:
    """``kind`` one of pdf, xlsx, csv (a zip of CSV files); the ``letterhead`` goes on
    the PDF only."""
    if kind == "pdf":
        return to_pdf(report, locale, letterhead=letterhead)
    return EXPORTERS[kind](report, locale)
