"""Settings come from JOBFAIR_* variables, with safe development defaults only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from jobfair.services.identity import Passwords
from jobfair.settings import PROJECT_ROOT, Settings, SettingsError, env_name


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


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("JOBFAIR_SWEEP_SECONDS", "soon", "valid number"),
        ("JOBFAIR_SWEEP_SECONDS", "-5", "greater than or equal to 0"),
        ("JOBFAIR_SWEEP_SECONDS", "inf", "finite number"),
        ("JOBFAIR_SWEEP_SECONDS", "nan", "finite number"),
        ("JOBFAIR_RETENTION_DAYS", "a year", "valid integer"),
        ("JOBFAIR_RETENTION_DAYS", "30.5", "valid integer"),
        ("JOBFAIR_RETENTION_DAYS", "-1", "greater than or equal to 0"),
        ("JOBFAIR_IN_PROCESS_WORKER", "maybe", "valid boolean"),
        ("JOBFAIR_BASE_URL", "bursakerja.example", "not an http(s) URL"),
        ("JOBFAIR_BASE_URL", "ftp://bursakerja.example", "not an http(s) URL"),
        ("JOBFAIR_DEFAULT_LOCALE", "fr", "must be one of id, en"),
        ("JOBFAIR_AKL_SCOPE", "nation", "must be one of province, regency"),
        ("JOBFAIR_LOG_LEVEL", "loud", "'INFO'"),
        ("JOBFAIR_MAIL_FROM", "Bursa Kerja", "not a sender address"),
    ],
)
def test_a_bad_value_names_its_variable_and_value(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path), name: value})
    message = str(raised.value)
    assert f"{name}: " in message
    assert expected in message
    assert repr(value) in message or repr(value.upper()) in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("JOBFAIR_DATABASE_URL", "postgresql//jobfair:hunter2@db/x", "not a database URL"),
        ("JOBFAIR_REDIS_URL", "http://jobfair:hunter2@cache:6379", "not a Redis URL"),
        ("JOBFAIR_SMTP_URL", "mail://jobfair:hunter2@relay", "not an SMTP URL"),
        ("JOBFAIR_SMTP_URL", "smtp://jobfair:hunter2@", "not an SMTP URL"),
    ],
)
def test_a_bad_url_is_named_without_echoing_its_password(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path), name: value})
    message = str(raised.value)
    assert f"{name}: {expected}" in message
    assert "hunter2" not in message and value not in message


def test_every_bad_value_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(
            {
                "JOBFAIR_DATA_DIR": str(tmp_path),
                "JOBFAIR_SWEEP_SECONDS": "often",
                "JOBFAIR_RETENTION_DAYS": "forever",
            }
        )
    assert "JOBFAIR_SWEEP_SECONDS" in str(raised.value)
    assert "JOBFAIR_RETENTION_DAYS" in str(raised.value)


def test_production_without_keys_names_both(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path), "JOBFAIR_ENVIRONMENT": "production"})
    assert "JOBFAIR_SECRET_KEY and JOBFAIR_NIK_KEY must be set outside development" in str(
        raised.value
    )
    assert not (tmp_path / ".secret_key").exists()  # no key generated outside development


def test_the_asgi_factory_fails_at_start_up_on_a_bad_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobfair.app import asgi

    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_SWEEP_SECONDS", "every minute")
    with pytest.raises(SettingsError, match="JOBFAIR_SWEEP_SECONDS"):
        asgi()


def test_keyword_construction_is_validated_too(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="sweep_seconds"):
        Settings(data_dir=tmp_path, sweep_seconds=-1)
    with pytest.raises(ValidationError, match="JOBFAIR_SECRET_KEY and JOBFAIR_NIK_KEY"):
        Settings(data_dir=tmp_path, environment="production")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Settings(data_dir=tmp_path, sweep_second=0)  # type: ignore[call-arg]


def test_overrides_are_validated_and_settings_are_frozen(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s", nik_key="n")
    with pytest.raises(ValidationError, match="retention_days"):
        settings.with_overrides(retention_days="soon")
    with pytest.raises(ValidationError, match="JOBFAIR_NIK_KEY must be set"):
        settings.with_overrides(environment="production", nik_key="")
    with pytest.raises(ValidationError, match="frozen"):
        settings.sweep_seconds = 1  # type: ignore[misc]


# ------------------------------------------------------------------ good input


def test_keyword_construction_never_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBFAIR_REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("JOBFAIR_SWEEP_SECONDS", "not a number")
    settings = Settings(data_dir=tmp_path, secret_key="s", nik_key="n")
    assert settings.redis_url is None and settings.sweep_seconds == 60
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'jobfair.sqlite3'}"


def test_from_env_reads_the_process_environment_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBFAIR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFAIR_SWEEP_SECONDS", "2.5")
    assert Settings.from_env().sweep_seconds == 2.5


def test_empty_and_unknown_variables_are_ignored(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "JOBFAIR_DATA_DIR": str(tmp_path),
            "JOBFAIR_REDIS_URL": "",
            "JOBFAIR_SWEEP_SECONDS": "",
            "JOBFAIR_TEST_DATABASE_URL": "postgresql+asyncpg://db/test",
            # The checkout's own folders are not deployment settings.
            "JOBFAIR_TEMPLATES_DIR": str(tmp_path),
        }
    )
    assert settings.redis_url is None and settings.in_process_worker
    assert settings.sweep_seconds == 60
    assert settings.templates_dir == Settings.model_fields["templates_dir"].default


@pytest.mark.parametrize(
    ("redis_url", "flag", "expected"),
    [
        (None, None, True),
        ("redis://cache:6379/0", None, False),
        ("redis://cache:6379/0", "yes", True),
        (None, "off", False),
        (None, "0", False),
        (None, "TRUE", True),
    ],
)
def test_in_process_worker_follows_redis_unless_set(
    tmp_path: Path, redis_url: str | None, flag: str | None, expected: bool
) -> None:
    env = {"JOBFAIR_DATA_DIR": str(tmp_path)}
    if redis_url is not None:
        env["JOBFAIR_REDIS_URL"] = redis_url
    if flag is not None:
        env["JOBFAIR_IN_PROCESS_WORKER"] = flag
    assert Settings.from_env(env).in_process_worker is expected


def test_log_level_is_read_in_any_case(tmp_path: Path) -> None:
    env = {"JOBFAIR_DATA_DIR": str(tmp_path), "JOBFAIR_LOG_LEVEL": "warning"}
    assert Settings.from_env(env).log_level == "WARNING"


def test_overrides_keep_the_other_values(tmp_path: Path) -> None:
    settings = Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path), "JOBFAIR_LOG_LEVEL": "DEBUG"})
    changed = settings.with_overrides(redis_url="redis://cache:6379/0")
    assert changed.redis_url == "redis://cache:6379/0"
    assert changed.log_level == "DEBUG" and changed.secret_key == settings.secret_key
    # Explicitly resolved before: an override of the URL alone keeps the runner.
    assert changed.in_process_worker


# ------------------------------------------------------------------ the README's table


def _readme_table() -> dict[str, str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(JOBFAIR_[A-Z0-9_]+)` \| (.*?) \|", section, flags=re.MULTILINE)
    return dict(rows)


def test_the_readme_lists_every_variable_and_no_other() -> None:
    documented = set(_readme_table())
    read = {env_name(name) for name in Settings.model_fields} - {
        env_name(name) for name in ("templates_dir", "static_dir", "events_dir")
    }
    assert documented == read


def test_the_readme_defaults_are_the_real_ones(tmp_path: Path) -> None:
    settings = Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path)})
    checked = 0
    for name, default in _readme_table().items():
        literal = re.fullmatch(r"`([^`]*)`", default)
        if literal is None:  # prose ("unset", "generated …"): covered by the tests above
            continue
        value = getattr(settings, name.removeprefix("JOBFAIR_").lower())
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert float(literal.group(1)) == value, name
        else:
            assert literal.group(1) == str(value), name
        checked += 1
    assert checked >= 8
    assert Settings().database_url.endswith("/var/jobfair.sqlite3")
    assert Settings().data_dir == PROJECT_ROOT / "var"


def test_mail_retry_days_are_read_and_bounded(tmp_path: Path) -> None:
    env = {"JOBFAIR_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(env).mail_retry_days == 3
    settings = Settings.from_env({**env, "JOBFAIR_MAIL_RETRY_DAYS": "7"})
    assert settings.mail_retry_period.days == 7
    for bad in ("0", "61", "two", "1.5"):
        with pytest.raises(SettingsError, match="JOBFAIR_MAIL_RETRY_DAYS"):
            Settings.from_env({**env, "JOBFAIR_MAIL_RETRY_DAYS": bad})


def test_argon2_parameters_default_to_owasp_and_are_read(tmp_path: Path) -> None:
    env = {"JOBFAIR_DATA_DIR": str(tmp_path)}
    default = Settings.from_env(env)
    # OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
    assert (default.argon2_memory_cost, default.argon2_time_cost) == (19 * 1024, 2)
    assert default.argon2_parallelism == 1
    chosen = Settings.from_env(
        {
            **env,
            "JOBFAIR_ARGON2_TIME_COST": "3",
            "JOBFAIR_ARGON2_MEMORY_COST": "65536",
            "JOBFAIR_ARGON2_PARALLELISM": "4",
        }
    )
    assert (chosen.argon2_time_cost, chosen.argon2_memory_cost, chosen.argon2_parallelism) == (
        3,
        65536,
        4,
    )
    hashed = Passwords.from_settings(chosen).hash_now("kopi tubruk pagi hari")
    assert hashed.startswith("$argon2id$") and "m=65536,t=3,p=4" in hashed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JOBFAIR_ARGON2_TIME_COST", "0"),
        ("JOBFAIR_ARGON2_TIME_COST", "two"),
        ("JOBFAIR_ARGON2_MEMORY_COST", "4"),
        ("JOBFAIR_ARGON2_PARALLELISM", "0"),
    ],
)
def test_bad_argon2_parameters_are_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"JOBFAIR_DATA_DIR": str(tmp_path), name: value})


def test_argon2_memory_must_cover_every_lane(tmp_path: Path) -> None:
    env = {
        "JOBFAIR_DATA_DIR": str(tmp_path),
        "JOBFAIR_ARGON2_MEMORY_COST": "16",
        "JOBFAIR_ARGON2_PARALLELISM": "4",
    }
    with pytest.raises(SettingsError, match="JOBFAIR_ARGON2_MEMORY_COST"):
        Settings.from_env(env)
