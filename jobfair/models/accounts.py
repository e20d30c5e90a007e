"""Users of every role, their server-side sessions, API tokens and password resets."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    APPLICANT = "applicant"
    RECRUITER = "recruiter"
    ORGANISER = "organiser"
    ADMIN = "admin"


class FunctionalPosition(enum.StrEnum):
    """A placement officer's position (DOMAIN.md, "Staff"): the functional grades of
    Pengantar Kerja (ahli pertama, muda, madya, utama) or a designated Petugas Antar
    Kerja, who holds no functional grade."""

    PENGANTAR_KERJA_PERTAMA = "pk_pertama"
    PENGANTAR_KERJA_MUDA = "pk_muda"
    PENGANTAR_KERJA_MADYA = "pk_madya"
    PENGANTAR_KERJA_UTAMA = "pk_utama"
    PETUGAS_ANTAR_KERJA = "petugas_ak"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # An applicant may register with a phone number only, so e-mail is optional.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="id")
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("labour_offices.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An organiser's placement-officer profile (all optional): NIP (18 digits, checked
    # by jobfair.reference.nip), FunctionalPosition, and the certificate and its date.
    nip: Mapped[str | None] = mapped_column(String(18))
    functional_position: Mapped[str | None] = mapped_column(String(16))
    certification: Mapped[str | None] = mapped_column(String(200))
    certified_on: Mapped[date | None] = mapped_column(Date)


class UserSession(Base):
    """A server-side session; the cookie carries only a random id whose hash is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="api")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Fixed when the token is made (JOBFAIR_API_TOKEN_DAYS then), so a changed setting
    # or an upgrade never ends a token early or stretches it.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PasswordReset(Base):
    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TrustedNetwork(Base):
    """An address range an organiser vouches for (a Disnaker help desk, a school lab):
    many people register and sign in from it in minutes, so the per-address rate
    ceilings do not apply there; the per-identity limits still do."""

    __tablename__ = "trusted_networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised CIDR text (``ipaddress.ip_network(...).with_prefixlen``).
    cidr: Mapped[str] = mapped_column(String(43), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("labour_offices.id", ondelete="CASCADE"), index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
