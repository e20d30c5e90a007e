"""The report PDF's letterhead (office name, logo, address) on the first page and the
signing officer's block (place, date, position, name, NIP) at the end (issue 13, item
13); the text read back with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from support.report_sample import sample

from jobfair.stats import exports

OFFICE = "Dinas Tenaga Kerja Kabupaten Asahan"


def _letterhead(tmp_path: Path, **overrides: object) -> exports.Letterhead:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 80), (11, 92, 173)).save(logo)
    values: dict[str, object] = {
        "office": OFFICE,
        "address": "Jl. Jenderal Sudirman No. 5\nKisaran 21216",
        "logo_path": logo,
        "signing_place": "Kisaran",
        "signer_name": "Drs. Budi Santoso, M.Si.",
        "signer_nip": "19800512 200501 1 002",
        "signer_position": "Kepala Dinas",
    }
    values.update(overrides)
    return exports.Letterhead(**values)  # type: ignore[arg-type]


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def _images(data: bytes, page: int = 0) -> int:
    return len(PdfReader(io.BytesIO(data)).pages[page].images)


def test_letterhead_on_the_first_page_and_signature_at_the_end(tmp_path: Path) -> None:
    report = sample()
    report["compiled_at"] = "2026-11-10T18:30:00+00:00"  # 11 November in WIB
    data = exports.to_pdf(report, "id", letterhead=_letterhead(tmp_path))
    pages = _pages(data)
    first, last = pages[0], pages[-1]
    # The letterhead comes before the fair's title (the footer's text is read first).
    assert first.index(OFFICE) < first.index("Bursa Kerja Virtual Asahan 2026\n")
    assert first.count(OFFICE) == 2  # the letterhead and "Penyelenggara: …"
    assert "Jl. Jenderal Sudirman No. 5" in first and "Kisaran 21216" in first
    assert _images(data) == 1  # the logo
    assert "Kisaran, 11 November 2026" in last
    assert "Kepala Dinas" in last
    assert "Drs. Budi Santoso, M.Si." in last
    assert "NIP 19800512 200501 1 002" in last
    assert not any("NIP" in page for page in pages[:-1])
    # The same report and settings give the same bytes.
    assert exports.to_pdf(report, "id", letterhead=_letterhead(tmp_path)) == data


def test_the_date_is_in_the_readers_language(tmp_path: Path) -> None:
    report = sample()
    report["compiled_at"] = "2026-08-17T03:00:00+00:00"
    indonesian = _pages(exports.to_pdf(report, "id", letterhead=_letterhead(tmp_path)))[-1]
    english = _pages(exports.to_pdf(report, "en", letterhead=_letterhead(tmp_path)))[-1]
    assert "Kisaran, 17 Agustus 2026" in indonesian
    assert "Kisaran, 17 August 2026" in english


def test_unset_parts_are_left_out(tmp_path: Path) -> None:
    bare = exports.Letterhead(office=OFFICE)
    data = exports.to_pdf(sample(), "id", letterhead=bare)
    pages = _pages(data)
    assert OFFICE in pages[0] and _images(data) == 0
    assert not any("NIP" in page for page in pages)
    # A missing logo file does not break the PDF.
    gone = _letterhead(tmp_path, logo_path=tmp_path / "gone.png", signer_nip=None)
    data = exports.to_pdf(sample(), "id", letterhead=gone)
    assert _images(data) == 0
    assert "Drs. Budi Santoso, M.Si." in _pages(data)[-1]
    assert "NIP" not in _pages(data)[-1]


def test_without_a_letterhead_the_pdf_is_as_before() -> None:
    pages = _pages(exports.to_pdf(sample(), "id"))
    assert pages[0].count(OFFICE) == 1  # "Penyelenggara: …" only
    assert not any("NIP" in page for page in pages)


def test_export_passes_the_letterhead_to_the_pdf_only(tmp_path: Path) -> None:
    letterhead = _letterhead(tmp_path)
    assert "NIP 19800512" in _pages(exports.export(sample(), "pdf", "id", letterhead))[-1]
    assert exports.export(sample(), "xlsx", "id", letterhead).startswith(b"PK")
