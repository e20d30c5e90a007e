"""Settings read from ``JOBFAIR_*`` environment variables, typed and validated by pydantic.

Built once by the entry point (CLI, ASGI factory, worker) with :meth:`Settings.from_env`
and passed in explicitly; nothing in the package reads the environment at import time.
``Settings(...)`` with keyword arguments takes exactly those values and the defaults and
never looks at the environment, so a test's settings do not depend on the shell it runs in.
A bad value fails at start-up with a :class:`SettingsError` naming the variable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, HttpUrl, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from jobfair import i18n
from jobfair.stats.definitions import AKL_SCOPES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "JOBFAIR_"

# Where the checkout keeps its own files: part of the code, not of a deployment, so no
# variable sets them (tests and benchmarks may still pass them in).
_NOT_FROM_ENVIRONMENT = frozenset({"templates_dir", "static_dir", "events_dir"})

# Required outside development; generated into the data directory in development.
_KEYS = ("secret_key", "nik_key")

_HTTP_URL = TypeAdapter(HttpUrl)
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Addresses a server listens on that no browser can be sent to: links name this machine.
_ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
# Names that logging and uvicorn both accept: ``jobfair serve`` hands the level to both.
LogLevel = Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"]


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def env_name(field_name: str) -> str:
    """The environment variable behind a field: ``sweep_seconds`` → ``JOBFAIR_SWEEP_SECONDS``."""
    return f"{ENV_PREFIX}{field_name.upper()}"


class _Environ(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of ``os.environ``.

    ``from_env`` takes a mapping so that tests and benchmarks need not patch the process
    environment; everything else (prefix, empty values, parsing) stays the library's.
    """

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {
            (key if self.case_sensitive else key.lower()): value
            for key, value in self._environ.items()
            if not (self.env_ignore_empty and value == "")
        }


class Settings(BaseSettings):
    """Everything configurable, with defaults fit for the one-machine demo.

    Fields hidden from ``repr`` (keys, and URLs that may carry passwords) are also kept out
    of validation messages.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=True,
    )

    # Default: ``jobfair.sqlite3`` in the data directory (filled in by _derived_defaults).
    database_url: str = Field(default="", repr=False)
    redis_url: str | None = Field(default=None, repr=False)
    # Prefix of every Redis key and channel of the live layer: deployments (or test
    # runs) sharing one Redis stay apart.
    redis_namespace: str = Field(default="jobfair", min_length=1)
    # Empty only in development, where from_env puts a key kept in the data directory.
    secret_key: str = Field(default="", repr=False)
    nik_key: str = Field(default="", repr=False)
    environment: str = Field(default="development", min_length=1)
    # Where absolute links (e-mails, share links) point. Outside development it is the
    # public address and nothing else is ever used (see jobfair.web.links.site_url).
    base_url: str = DEFAULT_BASE_URL
    default_locale: str = i18n.DEFAULT_LOCALE
    data_dir: Path = PROJECT_ROOT / "var"
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "static"
    events_dir: Path = PROJECT_ROOT / "events"
    smtp_url: str | None = Field(default=None, repr=False)
    mail_from: str = "Bursa Kerja <noreply@localhost>"
    # An e-mail that cannot be sent is tried again (backing off up to 4 hours) for this
    # many days from its first failure, then marked failed for the organiser to see.
    mail_retry_days: int = Field(default=3, ge=1, le=60)
    retention_days: int = Field(default=365, ge=0)
    # AKL vs AKAD: DOMAIN.md marks the boundary "verify"; by default a placement is
    # local (AKL) when the work regency is in the applicant's KTP province.
    akl_scope: str = "province"
    # Default: true unless a Redis URL is set (filled in by _derived_defaults).
    in_process_worker: bool = True
    # Seconds between passes of the in-process sweep that re-drives owed work (decisions
    # due, unanswered applications at the deadline, unsent mail); 0 turns it off.
    sweep_seconds: float = Field(default=60.0, ge=0)
    # Minutes before a booked 1:1 slot at which its applicant is reminded (e-mail and
    # in-app), by the sweep's send_slot_reminders task.
    slot_reminder_minutes: int = Field(default=30, ge=1, le=24 * 60)
    log_level: LogLevel = "INFO"
    # Anonymous live-counter sockets one client address may hold open per web process.
    # High on purpose: a mobile carrier puts many phones behind one address (CGNAT).
    live_sockets_per_address: int = Field(default=200, ge=1)
    # Booth chats (jobfair.services.conversations): queues one applicant may wait in at
    # once, seconds a waiting place is kept after the applicant's page stops checking in
    # (a reload, a lost connection), and chats one recruiter may hold at the same time.
    chat_max_queues: int = Field(default=2, ge=1, le=20)
    chat_queue_grace_seconds: int = Field(default=120, ge=10, le=3_600)
    chat_max_parallel: int = Field(default=4, ge=1, le=20)
    # An API token stops working this many days after it was created.
    api_token_days: int = Field(default=90, ge=1, le=3650)
    # The public page cache (jobfair.web.page_cache): how many rendered pages a web
    # process keeps (0 turns it off), and after how many seconds one is re-rendered
    # even if nothing said it changed (the fair's phase moves with the clock, the
    # counters it shows before its socket connects move with applications, and without
    # Redis another web process's writes are not heard here).
    page_cache_entries: int = Field(default=2_000, ge=0, le=1_000_000)
    page_cache_seconds: float = Field(default=30.0, ge=0, le=3_600)
    # Password hashing, argon2id. The defaults are the OWASP Password Storage Cheat
    # Sheet's first argon2id configuration, m = 19 MiB (19,456 KiB), t = 2, p = 1, rather
    # than RFC 9106's second recommended option, 64 MiB, t = 3, p = 4 (argon2-cffi's
    # default, ~300 ms of CPU a hash here): OWASP sizes it for a server that hashes many
    # sign-ins at once, and with p = 1 a hash keeps to one core, so (cores - 1) hashes run
    # side by side while a core stays with the event loop. A hash made with other values
    # is upgraded at its owner's next sign-in.
    argon2_time_cost: int = Field(default=2, ge=1, le=100)
    argon2_memory_cost: int = Field(default=19_456, ge=8, le=4 * 1024 * 1024)  # KiB
    argon2_parallelism: int = Field(default=1, ge=1, le=64)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The constructor takes only what it is given: the environment is read by from_env,
        # once, at the entry point.
        return (init_settings,)

    @model_validator(mode="before")
    @classmethod
    def _derived_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if not data.get("database_url"):
            data_dir = Path(data.get("data_dir") or cls.model_fields["data_dir"].default)
            data["database_url"] = f"sqlite+aiosqlite:///{data_dir / 'jobfair.sqlite3'}"
        if data.get("in_process_worker") is None:
            # With Redis, tasks go through arq unless told otherwise.
            data["in_process_worker"] = not data.get("redis_url")
        return data

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(
                "not a database URL; expected e.g. postgresql+asyncpg://user@host/jobfair"
            ) from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("not a Redis URL; expected redis://host:6379/0")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if value is not None:
            url = urlsplit(value)
            if url.scheme not in {"smtp", "smtps"} or not url.hostname:
                raise ValueError("not an SMTP URL; expected smtp://host:587 or smtps://host:465")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        try:
            _HTTP_URL.validate_python(value)
        except ValidationError:
            raise ValueError("not an http(s) URL; expected e.g. https://bursa.example") from None
        # Links are built as base_url + "/path".
        return value.rstrip("/")

    @field_validator("default_locale")
    @classmethod
    def _default_locale(cls, value: str) -> str:
        if value not in i18n.LOCALES:
            raise ValueError(f"must be one of {', '.join(i18n.LOCALES)}")
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str) -> str:
        if "@" not in parseaddr(value)[1]:
            raise ValueError("not a sender address; expected e.g. Bursa Kerja <noreply@host>")
        return value

    @field_validator("akl_scope")
    @classmethod
    def _akl_scope(cls, value: str) -> str:
        if value not in AKL_SCOPES:
            raise ValueError(f"must be one of {', '.join(AKL_SCOPES)}")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _argon2_memory(self) -> Settings:
        # argon2 needs 8 KiB per lane.
        if self.argon2_memory_cost < 8 * self.argon2_parallelism:
            raise ValueError(
                f"{env_name('argon2_memory_cost')} must be at least 8 KiB per lane "
                f"(8 × {env_name('argon2_parallelism')})"
            )
        return self

    @model_validator(mode="after")
    def _keys_outside_development(self) -> Settings:
        if not self.is_development:
            missing = [env_name(name) for name in _KEYS if not getattr(self, name)]
            if missing:
                raise ValueError(f"{' and '.join(missing)} must be set outside development")
        return self

    @property
    def api_token_lifetime(self) -> timedelta:
        return timedelta(days=self.api_token_days)

    @property
    def mail_retry_period(self) -> timedelta:
        return timedelta(days=self.mail_retry_days)

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

    def served_at(self, host: str, port: int) -> Settings:
        """The settings of a development server listening on ``host:port``: with the
        default base URL, links point where this server is, so ``jobfair demo --port
        8123`` mails ``:8123`` links and not dead ``:8000`` ones. A base URL that was set
        (JOBFAIR_BASE_URL), and every setting outside development, stay as they are:
        there the public address is known and the listening socket (behind a proxy) is
        not it."""
        if not self.is_development or self.base_url != DEFAULT_BASE_URL:
            return self
        name = "127.0.0.1" if host in _ANY_ADDRESS else host
        if ":" in name:  # an IPv6 address is bracketed in a URL
            name = f"[{name.strip('[]')}]"
        return self.with_overrides(base_url=f"http://{name}:{port}")

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some values changed, validated like the original."""
        return type(self)(**{**dict(self), **changes})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of ``JOBFAIR_*`` variables (``os.environ`` unless given).

        In development a missing key is generated once and kept in the data directory.
        Raises :class:`SettingsError` naming every bad or missing variable.
        """
        source = _Environ(cls, os.environ if environ is None else environ)
        values = {
            name: value for name, value in source().items() if name not in _NOT_FROM_ENVIRONMENT
        }
        try:
            settings = cls(**values)
        except ValidationError as error:
            raise SettingsError(_explain(cls, error)) from None
        if settings.is_development:
            # Development only: per-data-dir keys persisted so sessions survive restarts.
            for name in _KEYS:
                if not getattr(settings, name):
                    key = _development_key(settings.data_dir, name)
                    settings = settings.with_overrides(**{name: key})
        return settings


def _explain(cls: type[Settings], error: ValidationError) -> str:
    """One line per problem, named by its variable, with the bad value unless it is secret."""
    problems = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else None
        # A validator's own ValueError reads better without pydantic's "Value error, ".
        message = str(item["ctx"]["error"]) if item["type"] == "value_error" else item["msg"]
        if field is None:
            problems.append(message)
            continue
        shown = cls.model_fields[field].repr if field in cls.model_fields else True
        value = f" (got {item['input']!r})" if shown else ""
        problems.append(f"{env_name(field)}: {message}{value}")
    return "invalid settings:\n  " + "\n  ".join(problems)


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
