"""The report's XLSX, CSV (zip) and PDF exports, from the hand-written sample report:
specific cells of the official IPK III/1 and III/8 sheets and of the tables, the formula
guard, the locale, and the PDF's text."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from support.report_sample import sample

from jobfair.stats import exports


def _book(locale: str = "en", **kwargs: object) -> Any:
    return load_workbook(io.BytesIO(exports.to_xlsx(sample(), locale, **kwargs)))  # type: ignore[arg-type]


def test_xlsx_sheets() -> None:
    names = _book("en").sheetnames
    assert names[:4] == ["Summary", "Definitions", "IPK III-1", "IPK III-8"]
    # Each table's own short title, never a long one cut at 31 characters.
    assert "Sex and age" in names and "Vacancies without decision" in names
    assert len(names) == 4 + len(sample()["tables"])
    assert all(len(name) <= 31 for name in names)
    indonesian = _book("id").sheetnames
    assert indonesian[:2] == ["Ringkasan", "Definisi"]
    assert "Jenis kelamin dan umur" in indonesian and "Penyerapan tenaga kerja lokal" in indonesian
    assert all(len(name) <= 31 for name in indonesian)
    # Every table has a short title, in both languages.
    assert {item["key"] for item in sample()["tables"]} <= set(exports.SHEET_TITLES)


def test_xlsx_summary_and_definitions() -> None:
    book = _book("en")
    summary = book["Summary"]
    assert summary["A1"].value == "Bursa Kerja Virtual Asahan 2026"
    values = {row[0].value: row[1] for row in summary.iter_rows(min_row=3) if row[0].value}
    assert values["Applications"].value == 2278
    assert values["Applicants"].value == 356
    assert values["Fill rate"].value == pytest.approx(0.2524)
    assert values["Fill rate"].number_format == "0.0%"
    assert values["Report version"].value == "3"
    definitions = {row[0].value: row[1].value for row in book["Definitions"].iter_rows(min_row=2)}
    assert definitions["Applications"] == (
        "Applications submitted during the fair, withdrawn ones included."
    )
    assert "Applicants by sex and age group" in definitions


def test_xlsx_ipk_iii_1_official_layout() -> None:
    sheet = _book("en")["IPK III-1"]
    assert sheet["A1"].value == "IPK III/1 · Summary of labour-exchange statistics"
    assert "Dinas Tenaga Kerja Kabupaten Asahan" in sheet["A2"].value
    assert [sheet.cell(4, c).value for c in (1, 2, 3, 5, 7, 9, 11)] == [
        "No.",
        "Description",
        "Carried over",
        "Registered",
        "Placed",
        "Removed",
        "Carried forward",
    ]
    assert [sheet.cell(5, c).value for c in range(3, 13)] == ["L", "P"] * 5
    assert "C4:D4" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A6"].value == "I. Job seekers by age group"
    # 15–19: carried over 0/0, registered 30/34; placements by age are not in the report.
    assert [sheet.cell(7, c).value for c in range(1, 9)] == [1, "15–19", 0, 0, 30, 34, None, None]
    assert sheet["B11"].value == "55+"
    # The job seekers' total: registered 170/186, placed 50/54 (confirmed hires),
    # removed 0, carried forward 120/132.
    assert sheet["B12"].value == "Total"
    assert [sheet.cell(12, c).value for c in range(3, 13)] == [
        0,
        0,
        170,
        186,
        50,
        54,
        0,
        0,
        120,
        132,
    ]
    assert sheet["A13"].value == "II. Vacancies (openings)"
    assert [sheet.cell(14, c).value for c in range(2, 13)] == [
        "Openings",
        0,
        0,
        210,
        140,
        50,
        54,
        0,
        0,
        160,
        86,
    ]
    assert sheet["A16"].value == "of which open to either sex: 62"


def test_xlsx_ipk_iii_8_official_layout() -> None:
    sheet = _book("en")["IPK III-8"]
    assert sheet["A4"].value == "Code"
    assert [sheet.cell(4, c).value for c in (3, 5, 7, 9)] == [
        "AKL (local)",
        "AKAD (between regions)",
        "AKAN (abroad)",
        "Total",
    ]
    assert sheet["A6"].value == "A. By education"
    assert [sheet.cell(7, c).value for c in (1, 2)] == [11, "Did not finish primary school"]
    # Row 14 (SMA/SMK): AKL 23/21, AKAD 2/1, AKAN 0/0, total 25/22.
    assert [sheet.cell(10, c).value for c in range(1, 11)] == [
        14,
        "Senior secondary school (SMA/SMK)",
        23,
        21,
        2,
        1,
        0,
        0,
        25,
        22,
    ]
    assert [sheet.cell(14, c).value for c in range(2, 11)] == ["Total", 45, 52, 4, 2, 1, 0, 50, 54]
    assert sheet["A15"].value == "B. By employer type"
    assert [sheet.cell(19, c).value for c in range(1, 11)] == [
        24,
        "Private company",
        38,
        44,
        4,
        2,
        1,
        0,
        43,
        46,
    ]
    assert [sheet.cell(22, c).value for c in range(2, 11)] == ["Total", 45, 52, 4, 2, 1, 0, 50, 54]


def test_xlsx_official_titles_are_configurable() -> None:
    book = _book("id", titles={"ipk_iii_1": "Tabel III/1 Provinsi Sumatera Utara"})
    assert book["IPK III-1"]["A1"].value == "Tabel III/1 Provinsi Sumatera Utara"
    assert book["IPK III-8"]["A1"].value == "IPK III/8 · Penempatan pencari kerja"


def test_xlsx_tables() -> None:
    book = _book("en")
    sheet = book["Sex and age"]
    assert sheet["A1"].value == "Applicants by sex and age group"
    assert [cell.value for cell in sheet[4]] == ["Age group", "Men (L)", "Women (P)", "Total"]
    assert [cell.value for cell in sheet[5]] == ["15–19", 30, 34, 64]
    assert [cell.value for cell in sheet[10]] == ["Total", 170, 186, 356]
    education = book["Education"]
    assert [cell.value for cell in education[7]] == ["Senior secondary school", 48, 41, 89]
    companies = next(book[name] for name in book.sheetnames if book[name]["A4"].value == "Company")
    names = [row[0].value for row in companies.iter_rows(min_row=5)]
    # A name typed like a formula stays text; other names untouched.
    assert '\'=HYPERLINK("http://x.test")' in names
    assert 'Koperasi "Maju" <Bersama> & Co' in names
    assert all(cell.data_type != "f" for row in companies.iter_rows() for cell in row)
    shares = [row[6] for row in companies.iter_rows(min_row=5)]
    assert shares[1].value == pytest.approx(0.8596) and shares[1].number_format == "0.0%"


def _zip(locale: str = "en") -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(exports.to_csv_zip(sample(), locale)))


def _rows(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    data = archive.read(name)
    assert data.startswith("\ufeff".encode())  # a BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_zip_has_one_file_per_table() -> None:
    archive = _zip()
    names = archive.namelist()
    assert names[:2] == ["summary.csv", "definitions.csv"]
    assert "01-sex-age.csv" in names and "16-ipk-iii-8.csv" in names
    assert "ipk-iii-1-official.csv" in names and "ipk-iii-8-official.csv" in names
    assert len(names) == 2 + len(sample()["tables"]) + 2
    sex_age = _rows(archive, "01-sex-age.csv")
    assert sex_age[0] == ["Age group", "Men (L)", "Women (P)", "Total"]
    assert sex_age[1] == ["15–19", "30", "34", "64"]
    assert sex_age[-1] == ["Total", "170", "186", "356"]
    summary = _rows(archive, "summary.csv")
    assert ["applications", "Applications", "2278"] in summary
    by_day = _rows(archive, "08-by-day.csv")
    assert by_day[1] == ["2026-11-03", "412", "120"]


def test_csv_guards_formulas_and_keeps_unicode() -> None:
    archive = _zip()
    companies = _rows(archive, "09-companies.csv")
    first_cells = [row[0] for row in companies[1:]]
    assert '\'=HYPERLINK("http://x.test")' in first_cells
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in companies for cell in row)
    official = _rows(archive, "ipk-iii-8-official.csv")
    assert official[0] == ["IPK III/8 · Placements of job seekers"]
    assert [
        "14",
        "Senior secondary school (SMA/SMK)",
        "23",
        "21",
        "2",
        "1",
        "0",
        "0",
        "25",
        "22",
    ] in (official)


def test_csv_in_indonesian() -> None:
    archive = _zip("id")
    summary = _rows(archive, "summary.csv")
    assert ["key", "Angka", "Nilai"] in summary
    assert ["Versi laporan", "3"] in summary
    official = _rows(archive, "ipk-iii-1-official.csv")
    assert official[0] == ["IPK III/1 · Ikhtisar Statistik Antar Kerja"]
    assert official[2][:4] == ["No.", "Deskripsi", "Sisa awal – L", "Sisa awal – P"]


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # Table cells wrap long text onto several lines.
    return " ".join(text.split())


def test_pdf_has_the_headline_charts_and_tables() -> None:
    data = exports.to_pdf(sample(), "en")
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for expected in (
        "Bursa Kerja Virtual Asahan 2026",
        "2,278",  # applications
        "356",
        "25.2%",  # fill rate
        "Applicants by sex and age group",
        "From application to hire",
        "IPK III/1 · Summary of labour-exchange statistics",
        "IPK III/8 · Placements of job seekers",
        "Senior secondary school (SMA/SMK)",
        "Definitions",
        'Koperasi "Maju" <Bersama> & Co',  # escaped for reportlab, shown as typed
    ):
        assert expected in text, expected
    # The charts are drawn (their axis labels and values are text in the PDF).
    assert "Age group" in text and "Women (P)" in text


def test_pdf_in_indonesian_and_reproducible() -> None:
    data = exports.to_pdf(sample(), "id")
    text = _pdf_text(data)
    assert "2.278" in text and "Pelamar" in text and "Definisi" in text
    assert exports.to_pdf(sample(), "id") == data


def test_filenames() -> None:
    report = sample()
    # Indonesian by default, as the export's labels; English in the English export.
    assert exports.filename(report, "pdf") == "asahan-2026-laporan-v3.pdf"
    assert exports.filename(report, "csv") == "asahan-2026-laporan-v3.zip"
    assert exports.filename(report, "pdf", "en") == "asahan-2026-report-v3.pdf"
    report["fair"]["slug"] = 'x"; evil\r\n'
    assert exports.filename(report, "xlsx") == "x-evil-laporan-v3.xlsx"
