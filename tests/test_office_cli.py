"""`jobfair office export` as a scheduled job runs it, against a real database file, and
the interchange column sets against the README's (the contract of the files)."""

from __future__ import annotations

import asyncio
import csv
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from support import factories

from jobfair import cli
from jobfair.context import AppContext
from jobfair.services import interchange
from jobfair.services.periods import Period
from jobfair.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["db", "upgrade"]) == 0
    return tmp_path


def _store() -> None:
    async def run() -> None:
        ctx = AppContext.create(Settings.from_env())
        try:
            async with ctx.unit_of_work() as session:
                office = await factories.office(session, slug="disnaker-asahan")
                fair = await factories.fair(
                    session, office_row=office, opens_at=datetime(2026, 11, 3, 1, tzinfo=UTC)
                )
                company = await factories.company(session, nib="1234567890123")
                booth = await factories.booth(session, fair_row=fair, company_row=company)
                vacancy = await factories.vacancy(session, booth_row=booth)
                shared = await factories.applicant(
                    session,
                    vault=ctx.nik_vault,
                    nik=factories.MAN_NIK,
                    interchange_consent_at=datetime(2026, 11, 3, tzinfo=UTC),
                )
                private = await factories.applicant(session, vault=ctx.nik_vault)
                for person in (shared, private):
                    await factories.application(session, vacancy_row=vacancy, applicant_row=person)
        finally:
            await ctx.close()

    asyncio.run(run())


def test_export_writes_the_three_files(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store()
    code = cli.main(["office", "export", "disnaker-asahan", "--period", "2026-Q4", "-o", "out"])
    assert code == 0, capsys.readouterr().err
    folder = cli_env / "out"
    names = sorted(path.name for path in folder.iterdir())
    assert names == [
        "disnaker-asahan-companies-2026-Q4.csv",
        "disnaker-asahan-job-seekers-2026-Q4.csv",
        "disnaker-asahan-vacancies-2026-Q4.csv",
    ]
    seekers = list(csv.reader((folder / names[1]).open(encoding="utf-8")))
    assert tuple(seekers[0]) == interchange.COLUMNS["job_seekers"]
    assert [row[0] for row in seekers[1:]] == [factories.MAN_NIK]  # only with consent
    companies = list(csv.reader((folder / names[0]).open(encoding="utf-8")))
    assert [row[0] for row in companies[1:]] == ["1234567890123"]


def test_export_json_to_standard_output(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store()
    capsys.readouterr()
    code = cli.main(
        [
            "office",
            "export",
            "disnaker-asahan",
            "--period",
            "2026-11",
            "--dataset",
            "vacancies",
            "--format",
            "json",
            "-o",
            "-",
        ]
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["period"] == {"key": "2026-11", "start": "2026-11-01", "end": "2026-11-30"}
    assert len(document["rows"]) == 1


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["office", "export", "disnaker-asahan", "--period", "2026-Q5"], 2),
        (["office", "export", "disnaker-asahan", "--period", "kemarin"], 2),
        (["office", "export", "tidak-ada", "--period", "2026-Q4"], 1),
    ],
)
def test_export_refusals(cli_env: Path, argv: list[str], code: int) -> None:
    _store()
    assert cli.main(argv) == code


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2026-Q4", Period.of("quarter", 2026, 4)),
        ("2026-S1", Period.of("semester", 2026, 1)),
        ("2026-07", Period.of("month", 2026, 7)),
        ("2026", Period.of("year", 2026)),
        ("2026-01-15_2026-02-14", Period.between(date(2026, 1, 15), date(2026, 2, 14))),
        ("last-month", Period.of("month", 2026, 10)),
        ("last-quarter", Period.of("quarter", 2026, 3)),
        ("last-year", Period.of("year", 2025)),
    ],
)
def test_period_keys(key: str, expected: Period) -> None:
    assert interchange.period_from_key(key, date(2026, 11, 5)) == expected


def _readme_columns() -> dict[str, tuple[str, ...]]:
    """The README's column lists: a heading ``#### <dataset>`` of the interchange
    section followed by a line of the columns in backticks, comma separated."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Interchange files", 1)[1]
    found = {}
    for name, body in re.findall(r"#### `(\w+)`\n+((?:.+\n)+)", section):
        found[name] = tuple(re.findall(r"`(\w+)`", body.split("\n\n")[0]))
    return found


def test_the_readme_lists_the_columns_in_order() -> None:
    assert _readme_columns() == interchange.COLUMNS
