"""The `jobfair` command as an operator uses it, against a real database file."""

from __future__ import annotations

import asyncio
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobfair import cli
from jobfair.context import AppContext
from jobfair.models import Booth, Company, Fair, Recruiter, User, Vacancy
from jobfair.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "events" / "demo.toml"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    return tmp_path


def _count(model: type, *where: object) -> int:
    async def run() -> int:
        ctx = AppContext.create(Settings.from_env())
        try:
            async with ctx.read() as session:
                return (
                    await session.scalar(select(func.count()).select_from(model).where(*where)) or 0
                )
        finally:
            await ctx.close()

    return asyncio.run(run())


def test_validate_accepts_the_shipped_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(path) for path in (ROOT / "events").glob("*.toml"))
    assert cli.main(["events", "validate", *files]) == 0
    out = capsys.readouterr().out
    assert "demo.toml: ok" in out and "37 companies, 97 vacancies" in out


def test_validate_refuses_a_broken_file_naming_file_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(DEMO.read_text().replace('education_min = "SMK"', 'education_min = "SMU"', 1))
    assert cli.main(["events", "validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.toml" in err and "education_min" in err and "SMU" in err
    syntax = tmp_path / "syntax.toml"
    syntax.write_text("format = 1\n[fair\nslug = 'x'\n")
    assert cli.main(["events", "validate", str(syntax)]) == 1
    assert "syntax.toml:2" in capsys.readouterr().err
    assert cli.main(["events", "validate", str(tmp_path / "missing.toml")]) == 1
    assert "cannot be read" in capsys.readouterr().err


def test_load_is_idempotent_and_export_round_trips(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["events", "load", str(DEMO)]) == 0
    assert "created" in capsys.readouterr().out
    assert (_count(Company), _count(Booth), _count(Vacancy)) == (37, 37, 97)
    assert cli.main(["events", "load", str(DEMO)]) == 0
    assert "updated nothing" in capsys.readouterr().out
    assert (_count(Company), _count(Booth), _count(Vacancy)) == (37, 37, 97)
    exported = cli_env / "exported.toml"
    slug = tomllib.loads(DEMO.read_text())["fair"]["slug"]
    assert cli.main(["events", "export", slug, "--output", str(exported)]) == 0
    from jobfair.definitions.schema import parse_fair_file

    assert parse_fair_file(exported) == parse_fair_file(DEMO)
    assert cli.main(["events", "export", "no-such-fair"]) == 1


def test_users_create(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["events", "load", str(DEMO)]) == 0
    office = tomllib.loads(DEMO.read_text())["office"]["slug"]
    company = tomllib.loads(DEMO.read_text())["companies"][0]["slug"]
    assert (
        cli.main(
            [
                "users",
                "create",
                "--role",
                "organiser",
                "--email",
                "Petugas@Disnaker.test",
                "--password",
                "rahasia-sekali",
                "--office",
                office,
            ]
        )
        == 0
    )
    assert "created organiser petugas@disnaker.test" in capsys.readouterr().out
    assert (
        cli.main(
            [
                "users",
                "create",
                "--role",
                "recruiter",
                "--email",
                "hrd@pt.test",
                "--password",
                "rahasia-sekali",
                "--company",
                company,
            ]
        )
        == 0
    )
    assert _count(Recruiter) == 1
    # Refusals: duplicate e-mail, short password, unknown company, recruiter without one.
    cases = [
        (
            ["--role", "admin", "--email", "petugas@disnaker.test", "--password", "rahasia-sekali"],
            "already",
        ),
        (["--role", "admin", "--email", "a@b.test", "--password", "short"], "password"),
        (
            [
                "--role",
                "recruiter",
                "--email",
                "c@d.test",
                "--password",
                "rahasia-sekali",
                "--company",
                "nope",
            ],
            "nope",
        ),
        (["--role", "recruiter", "--email", "e@f.test", "--password", "rahasia-sekali"], "company"),
        (["--role", "admin", "--email", "not-an-email", "--password", "rahasia-sekali"], "email"),
    ]
    for args, fragment in cases:
        assert cli.main(["users", "create", *args]) == 1
        assert fragment in capsys.readouterr().err
    assert _count(User) == 2
    with pytest.raises(SystemExit):
        cli.main(["users", "create", "--role", "boss", "--email", "x@y.test", "--password", "p"])


def test_db_upgrade(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["db", "upgrade"]) == 0
    assert cli.main(["db", "upgrade"]) == 0
    assert "latest schema" in capsys.readouterr().out
    assert _count(Fair) == 0


def test_worker_without_redis_explains(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["worker", "--burst"]) == 2
    assert "JOBFAIR_REDIS_URL" in capsys.readouterr().err


def test_report_compile(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jobfair.models import FairReport

    assert cli.main(["events", "load", str(DEMO)]) == 0
    capsys.readouterr()
    slug = tomllib.loads(DEMO.read_text())["fair"]["slug"]
    assert cli.main(["report", "compile", slug]) == 0
    out = capsys.readouterr().out
    assert f"compiled report version 1 of {slug}" in out
    assert "companies" in out and " 37" in out and "applications" in out
    assert cli.main(["report", "compile", slug]) == 0  # the organiser's recompile: a new one
    assert "version 2" in capsys.readouterr().out
    assert _count(FairReport) == 2
    assert cli.main(["report", "compile", "no-such-fair"]) == 1
    assert "no-such-fair" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["report", "compile"])


def test_fair_close_and_deadline(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jobfair.models import AuditLog

    assert cli.main(["events", "load", str(DEMO)]) == 0
    capsys.readouterr()
    slug = tomllib.loads(DEMO.read_text())["fair"]["slug"]
    # The shipped demo fair is in the past here: it cannot close again, and its
    # deadline has passed.
    assert cli.main(["fair", "close", slug]) == 1
    assert "already closed" in capsys.readouterr().err
    assert cli.main(["fair", "deadline", slug, "2099-01-01 17:00"]) == 1
    assert "has passed" in capsys.readouterr().err
    assert cli.main(["fair", "deadline", slug, "next week"]) == 2
    assert cli.main(["fair", "close", "no-such-fair"]) == 1
    # A copy of the demo fair open today: closed now, then its deadline moved.
    today = datetime.now(UTC).date()
    text = DEMO.read_text().replace(f'slug = "{slug}"', 'slug = "open-today"')
    for key, days in (
        ("registration_opens_at", -5),
        ("opens_at", -1),
        ("closes_at", 3),
        ("decision_deadline", 20),
    ):
        text = re.sub(rf"^{key} = .*$", f"{key} = {today + timedelta(days=days)} 08:00:00", text,
                      count=1, flags=re.M)  # fmt: skip
    open_file = cli_env / "open.toml"
    open_file.write_text(text)
    assert cli.main(["events", "load", str(open_file)]) == 0
    capsys.readouterr()
    assert cli.main(["fair", "close", "open-today"]) == 0
    assert "fair open-today closed at" in capsys.readouterr().out
    later = f"{today + timedelta(days=30)} 17:00"
    assert cli.main(["fair", "deadline", "open-today", later]) == 0
    assert f"is now {later}" in capsys.readouterr().out
    assert _count(AuditLog, AuditLog.action == "fair.closed_early") == 1
    assert _count(AuditLog, AuditLog.action == "fair.deadline_moved") == 1
