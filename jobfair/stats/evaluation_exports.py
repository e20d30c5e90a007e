"""The officer evaluation as files for the yearly evaluation: XLSX (openpyxl) and a PDF
(reportlab) with the office's letterhead and signing officer, as the fair report has.

Pure functions of :func:`jobfair.services.officers.table` (plain data, already in the
reader's language): no database, so the page and the tests call the same code. The
PDF's letterhead, fonts and signature block are those of :mod:`jobfair.stats.exports`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jobfair.i18n import N_, gettext
from jobfair.services import times
from jobfair.services.exports import _safe as formula_safe
from jobfair.stats import exports
from jobfair.stats.exports import FONT, FONT_BOLD, Letterhead

FORMATS = {"pdf": exports.FORMATS["pdf"], "xlsx": exports.FORMATS["xlsx"]}
TITLE = N_("Placement officer evaluation")


def _shown(value: Any) -> Any:
    return "–" if value is None else value


def filename(table: Mapping[str, Any], file_format: str, office_slug: str) -> str:
    return f"{office_slug}-evaluasi-petugas-{table['period_key']}.{file_format}"


def to_xlsx(table: Mapping[str, Any]) -> bytes:
    """One sheet with the figures and the office's total, one with the definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = gettext(N_("Evaluation"))[:31]
    sheet["A1"] = gettext(TITLE)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = formula_safe(f"{table['office']} · {table['period']}")
    header = [*table["heading"], *table["columns"]]
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(4, column, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = 5
    for officer in table["rows"]:
        values = [officer["name"], officer["nip"], officer["position"], *officer["figures"]]
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, formula_safe(value) if value is not None else None)
        row += 1
    total = table["total"]
    for column, value in enumerate([total["name"], "", "", *total["figures"]], start=1):
        sheet.cell(row, column, value).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 28
    definitions = book.create_sheet(gettext(N_("Definitions"))[:31])
    for line, (label, text) in enumerate(table["definitions"], start=1):
        definitions.cell(line, 1, label).font = Font(bold=True)
        definitions.cell(line, 2, text).alignment = Alignment(wrap_text=True)
    definitions.column_dimensions["A"].width = 32
    definitions.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(table: Mapping[str, Any], letterhead: Letterhead | None, compiled_at: datetime) -> bytes:
    """A4 landscape: letterhead, title, the table, the definitions, the signature."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    exports.register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    bold = ParagraphStyle("bold", parent=base, fontName=FONT_BOLD)
    title = ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18)

    def para(text: Any, style: Any = base) -> Any:
        return Paragraph(exports._xml(str(text)), style)

    story: list[Any] = []
    if letterhead is not None:
        story += exports._letterhead(letterhead, para, base)
    story += [para(gettext(TITLE), title), para(f"{table['office']} · {table['period']}")]
    story.append(Spacer(1, 4 * mm))
    header = [para(label, bold) for label in [*table["heading"], *table["columns"]]]
    data = [header]
    for officer in table["rows"]:
        position = officer["position"]
        if officer["certification"]:
            position = (
                f"{position} ({officer['certification']})" if position else officer["certification"]
            )
        data.append(
            [
                para(officer["name"]),
                para(officer["nip"]),
                para(position),
                *[para(_shown(value)) for value in officer["figures"]],
            ]
        )
    total = table["total"]
    data.append(
        [para(total["name"], bold), "", "", *[para(_shown(v), bold) for v in total["figures"]]]
    )
    widths = [42 * mm, 34 * mm, 39 * mm] + [19 * mm] * len(table["columns"])
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#808080")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story += [grid, Spacer(1, 5 * mm), para(gettext(N_("Definitions")), bold)]
    for label, text in table["definitions"]:
        story.append(para(f"{label}: {text}"))
    if letterhead is not None and letterhead.signer_name:
        report = {
            "compiled_at": compiled_at.isoformat(),
            "fair": {"timezone": times.DEFAULT_TIMEZONE},
        }
        from jobfair import i18n
        from jobfair.stats.present import Presenter

        story.append(
            exports._signature(report, letterhead, Presenter.of(i18n.current_locale()), para, base)
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=gettext(TITLE),
        author=table["office"],
    )
    document.build(story)
    return buffer.getvalue()
