"""`jobfair demo`: the demo fair is open today with the Asahan-scale population."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import distinct, func, select

from jobfair.app import create_app
from jobfair.context import AppContext
from jobfair.demo import APPLICANTS, APPLICATIONS, DEMO_USERS, prepare_demo
from jobfair.models import Applicant, Application, Fair, Placement, User
from jobfair.reference.nik import parse_nik
from jobfair.settings import Settings

NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)


@pytest.fixture
def demo_settings(settings: Settings) -> Settings:
    return settings


async def test_demo_fair_is_open_with_the_reference_scale(demo_settings: Settings) -> None:
    logins = await prepare_demo(demo_settings, now=NOW)
    app = create_app(demo_settings, clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            fairs = (await client.get("/api/v1/fairs")).json()["fairs"]
            assert [(f["slug"], f["status"]) for f in fairs] == [(logins.fair_slug, "open")]
            counts = fairs[0]["counts"]
            assert counts["companies"] == 37 and counts["vacancies"] == 97
            assert counts["applications"] == APPLICATIONS
            assert 0 < counts["applicants"] <= APPLICANTS
            assert counts["hires"] > 0
            booths = (await client.get(f"/api/v1/fairs/{logins.fair_slug}/booths")).json()
            assert booths["total"] == 37
            vacancies = (await client.get(f"/api/v1/fairs/{logins.fair_slug}/vacancies")).json()
            assert vacancies["total"] == 97 and len(vacancies["vacancies"]) == 97
            page = await client.get(f"/fairs/{logins.fair_slug}")
            assert "37 stan" in page.text


async def test_demo_population_is_valid_and_deterministic(
    demo_settings: Settings, ctx: AppContext
) -> None:
    await prepare_demo(demo_settings, now=NOW)
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair))
        assert fair is not None
        assert fair.opens_at < NOW < fair.closes_at
        applicants = list(await session.scalars(select(Applicant)))
        assert len(applicants) == APPLICANTS
        sexes = {a.sex for a in applicants}
        assert sexes == {"L", "P"}
        assert {a.ktp_regency_code == "12.09" for a in applicants} == {True, False}
        for applicant in applicants:
            nik = ctx.nik_vault.decrypt(applicant.nik_ciphertext)
            info = parse_nik(nik, today=NOW.date())
            assert (info.sex, info.birth_date) == (applicant.sex, applicant.birth_date)
            assert applicant.nik_masked == nik[:4] + "•" * 8 + nik[-4:]
        per_applicant = (
            (
                await session.execute(
                    select(func.count()).select_from(Application).group_by(Application.applicant_id)
                )
            )
            .scalars()
            .all()
        )
        assert max(per_applicant) <= (fair.application_cap or 10)
        days = await session.scalar(
            select(func.count(distinct(func.date(Application.submitted_at))))
        )
        assert days and days >= 3  # spread over the days so far
        statuses = set(await session.scalars(select(Application.status).distinct()))
        assert {"submitted", "reviewed", "rejected", "hired"} <= statuses
        assert await session.scalar(select(func.count()).select_from(Placement))
        users = {u.email: u for u in await session.scalars(select(User))}
        for email in DEMO_USERS.values():
            assert (await ctx.passwords.check(users[email].password_hash, "bursakerja")).valid


async def test_demo_runs_twice(demo_settings: Settings, ctx: AppContext) -> None:
    await prepare_demo(demo_settings, now=NOW)
    later = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    await prepare_demo(demo_settings, now=later)
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Applicant)) == APPLICANTS
        assert await session.scalar(select(func.count()).select_from(Application)) == APPLICATIONS
        fair = await session.scalar(select(Fair))
        assert fair is not None and fair.opens_at < later < fair.closes_at


def test_demo_command_prints_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jobfair import cli

    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    assert cli.main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    for email in DEMO_USERS.values():
        assert email in out
    assert "bursakerja" in out and "http://127.0.0.1:8000/fairs/" in out


async def test_the_demo_applicant_can_still_apply(demo_settings: Settings, ctx: AppContext) -> None:
    await prepare_demo(demo_settings, now=NOW)
    async with ctx.read() as session:
        user = await session.scalar(select(User).where(User.email == DEMO_USERS["applicant"]))
        assert user is not None
        fair = await session.scalar(select(Fair))
        assert fair is not None and fair.application_cap is not None
        used = await session.scalar(
            select(func.count())
            .select_from(Application)
            .join(Applicant, Applicant.id == Application.applicant_id)
            .where(Applicant.user_id == user.id)
        )
    assert 0 < (used or 0) < fair.application_cap


def test_demo_refuses_to_run_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo creates accounts with a published password: never in production."""
    from jobfair import cli

    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_ENVIRONMENT", "production")
    monkeypatch.setenv("JOBFAIR_SECRET_KEY", "a-production-secret-key-of-some-length")
    monkeypatch.setenv("JOBFAIR_NIK_KEY", "a-production-nik-key-of-some-length-too")
    assert cli.main(["demo", "--no-serve"]) == 2
    assert "production" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.sqlite3"))
