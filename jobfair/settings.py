"""Settings read from ``JOBFAIR_*`` environment variables.

Built once by the entry point (CLI, ASGI factory, worker) and passed in explicitly;
nothing in the package reads the environment at import time.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults fit for the one-machine demo."""

    database_url: str = "sqlite+aiosqlite:///var/jobfair.sqlite3"
    redis_url: str | None = None
    # Prefix of every Redis key and channel of the live layer: deployments (or test
    # runs) sharing one Redis stay apart.
    redis_namespace: str = "jobfair"
    secret_key: str = field(default="", repr=False)
    nik_key: str = field(default="", repr=False)
    environment: str = "development"
    base_url: str = "http://127.0.0.1:8000"
    default_locale: str = "id"
    data_dir: Path = PROJECT_ROOT / "var"
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "static"
    events_dir: Path = PROJECT_ROOT / "events"
    smtp_url: str | None = None
    mail_from: str = "Bursa Kerja <noreply@localhost>"
    retention_days: int = 365
    # AKL vs AKAD: DOMAIN.md marks the boundary "verify"; by default a placement is
    # local (AKL) when the work regency is in the applicant's KTP province.
    akl_scope: str = "province"
    in_process_worker: bool = True
    # Seconds between passes of the in-process sweep that re-drives owed work (decisions
    # due, unanswered applications at the deadline, unsent mail); 0 turns it off.
    sweep_seconds: float = 60.0
    log_level: str = "INFO"

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"JOBFAIR_{name}")
            return value if value not in (None, "") else None

        environment = get("ENVIRONMENT") or "development"
        secret_key = get("SECRET_KEY")
        if secret_key is None:
            if environment != "development":
                raise RuntimeError("JOBFAIR_SECRET_KEY must be set outside development")
            # Development only: a per-data-dir key persisted so sessions survive restarts.
            secret_key = ""
        data_dir = Path(get("DATA_DIR") or PROJECT_ROOT / "var")
        settings = cls(
            database_url=get("DATABASE_URL")
            or f"sqlite+aiosqlite:///{data_dir / 'jobfair.sqlite3'}",
            redis_url=get("REDIS_URL"),
            redis_namespace=get("REDIS_NAMESPACE") or "jobfair",
            secret_key=secret_key,
            nik_key=get("NIK_KEY") or "",
            environment=environment,
            base_url=(get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            default_locale=get("DEFAULT_LOCALE") or "id",
            data_dir=data_dir,
            smtp_url=get("SMTP_URL"),
            mail_from=get("MAIL_FROM") or "Bursa Kerja <noreply@localhost>",
            retention_days=int(get("RETENTION_DAYS") or 365),
            akl_scope=get("AKL_SCOPE") or "province",
            in_process_worker=_flag(get("IN_PROCESS_WORKER"), default=get("REDIS_URL") is None),
            sweep_seconds=float(get("SWEEP_SECONDS") or 60),
            log_level=get("LOG_LEVEL") or "INFO",
        )
        if not settings.secret_key:
            settings = settings.with_overrides(secret_key=_development_key(data_dir, "secret_key"))
        if not settings.nik_key:
            if environment != "development":
                raise RuntimeError("JOBFAIR_NIK_KEY must be set outside development")
            settings = settings.with_overrides(nik_key=_development_key(data_dir, "nik_key"))
        return settings


def _development_key(data_dir: Path, name: str) -> str:
    """A random key kept in the data directory, so a development database stays readable."""
    path = data_dir / f".{name}"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
