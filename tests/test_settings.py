"""Settings come from JOBFAIR_* variables, with safe development defaults only."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobfair.settings import Settings


def test_development_defaults_generate_persistent_keys(tmp_path: Path) -> None:
    env = {"JOBFAIR_DATA_DIR": str(tmp_path)}
    first = Settings.from_env(env)
    second = Settings.from_env(env)
    assert first.secret_key and first.secret_key == second.secret_key
    assert first.nik_key and first.nik_key != first.secret_key
    assert first.database_url == f"sqlite+aiosqlite:///{tmp_path / 'jobfair.sqlite3'}"
    assert first.in_process_worker and first.redis_url is None
    assert (tmp_path / ".secret_key").stat().st_mode & 0o077 == 0


def test_values_are_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "JOBFAIR_DATA_DIR": str(tmp_path),
            "JOBFAIR_DATABASE_URL": "postgresql+asyncpg://db/jobfair",
            "JOBFAIR_REDIS_URL": "redis://cache:6379/0",
            "JOBFAIR_SECRET_KEY": "s",
            "JOBFAIR_NIK_KEY": "n",
            "JOBFAIR_BASE_URL": "https://bursakerja.example/",
            "JOBFAIR_RETENTION_DAYS": "90",
        }
    )
    assert settings.database_url == "postgresql+asyncpg://db/jobfair"
    assert settings.redis_url == "redis://cache:6379/0"
    assert not settings.in_process_worker  # Redis configured: tasks go through arq
    assert settings.base_url == "https://bursakerja.example"
    assert settings.retention_days == 90


@pytest.mark.parametrize("missing", ["JOBFAIR_SECRET_KEY", "JOBFAIR_NIK_KEY"])
def test_production_requires_keys(tmp_path: Path, missing: str) -> None:
    env = {
        "JOBFAIR_DATA_DIR": str(tmp_path),
        "JOBFAIR_ENVIRONMENT": "production",
        "JOBFAIR_SECRET_KEY": "s",
        "JOBFAIR_NIK_KEY": "n",
    }
    del env[missing]
    with pytest.raises(RuntimeError, match=missing):
        Settings.from_env(env)


def test_secrets_are_not_in_repr(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"JOBFAIR_DATA_DIR": str(tmp_path), "JOBFAIR_SECRET_KEY": "very-secret-value"}
    )
    assert "very-secret-value" not in repr(settings)
