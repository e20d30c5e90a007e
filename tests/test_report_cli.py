"""`jobfair report export` as an operator uses it, against a real database file."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from support import factories
from support.report_sample import sample

from jobfair import cli
from jobfair.context import AppContext
from jobfair.models import FairReport
from jobfair.settings import Settings


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["db", "upgrade"]) == 0
    return tmp_path


def _store(reports: int) -> None:
    async def run() -> None:
        ctx = AppContext.create(Settings.from_env())
        try:
            async with ctx.unit_of_work() as session:
                fair = await factories.fair(session, slug="asahan-2026")
                await factories.fair(session, slug="tanpa-laporan")
                for version in range(1, reports + 1):
                    data = sample()
                    data["version"] = version
                    data["headline"][5]["value"] = 2000 + version
                    session.add(
                        FairReport(
                            fair_id=fair.id,
                            version=version,
                            compiled_at=datetime(2026, 11, 11, version, tzinfo=UTC),
                            data=data,
                        )
                    )
        finally:
            await ctx.close()

    asyncio.run(run())


def test_export_each_format(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(reports=2)
    assert cli.main(["report", "export", "asahan-2026", "--format", "pdf"]) == 0
    assert "wrote asahan-2026-laporan-v2.pdf (report version 2" in capsys.readouterr().out
    pdf = (cli_env / "asahan-2026-laporan-v2.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2.002" in text  # the newest version, Indonesian by default

    target = cli_env / "out.xlsx"
    args = ["report", "export", "asahan-2026", "--format", "xlsx", "--version", "1"]
    assert cli.main([*args, "--output", str(target), "--lang", "en"]) == 0
    book = load_workbook(target)
    assert book.sheetnames[0] == "Summary"
    values = {row[0].value: row[1].value for row in book["Summary"].iter_rows() if row[0].value}
    assert values["Applications"] == 2001

    target = cli_env / "tables.zip"
    assert cli.main(["report", "export", "asahan-2026", "--format", "csv", "-o", str(target)]) == 0
    assert "01-sex-age.csv" in zipfile.ZipFile(target).namelist()


def test_export_errors_are_one_line(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(reports=1)
    capsys.readouterr()
    assert cli.main(["report", "export", "no-such-fair", "--format", "pdf"]) == 1
    assert capsys.readouterr().err == "no fair with slug 'no-such-fair'\n"
    assert cli.main(["report", "export", "tanpa-laporan", "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert "has no report yet" in err and err.count("\n") == 1
    assert cli.main(["report", "export", "asahan-2026", "--format", "xlsx", "--version", "7"]) == 1
    assert "no report version 7" in capsys.readouterr().err
    missing = str(cli_env / "no-such-dir" / "x.pdf")
    assert cli.main(["report", "export", "asahan-2026", "--format", "pdf", "-o", missing]) == 1
    assert "cannot be written" in capsys.readouterr().err
    assert not list(cli_env.glob("*.pdf"))


def test_export_usage_errors(cli_env: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["report", "export", "asahan-2026", "--format", "docx"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["report", "export", "asahan-2026"])
