"""Signing in and out: server-side sessions, API tokens, password resets, disabling.

Every secret handed to a client (session cookie, API token, reset link) is a random
token whose SHA-256 alone is stored, so a copy of the database opens no account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair import i18n
from jobfair.db.base import utcnow
from jobfair.live import signals
from jobfair.models import ApiToken, PasswordReset, User, UserSession
from jobfair.services import audit, notifications
from jobfair.services.accounts import (
    NewPassword,
    normalise_email,
    password_problem,
)
from jobfair.services.errors import NotFound, Unauthorized, ValidationFailed
from jobfair.services.formats import normalise_phone
from jobfair.services.identity import PasswordCheck, token_hash
from jobfair.services.mail import queue_mail

SESSION_LIFETIME = timedelta(days=14)
# However active, a session ends this long after its sign-in (ASVS 7.3: an absolute
# limit beside the sliding one), so a stolen cookie is not good forever.
SESSION_ABSOLUTE = timedelta(days=30)
# A session's expiry slides forward at most this often, so reads rarely write.
SESSION_REFRESH = timedelta(hours=1)
RESET_LIFETIME = timedelta(hours=1)
# Every invitation (to a company's team, to an organiser account) stays valid a week;
# the invitation e-mails say so.
INVITATION_DAYS = 7
INVITATION_LIFETIME = timedelta(days=INVITATION_DAYS)


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SignedIn:
    user: User
    session_row: UserSession | None = None
    api_token: ApiToken | None = None
    # Unread notifications when the session was looked up (the header's badge).
    unread: int = 0

    @property
    def csrf_token(self) -> str | None:
        return self.session_row.csrf_token if self.session_row else None


async def find_login(session: AsyncSession, login: str) -> User | None:
    login = login.strip()
    if "@" in login:
        return await session.scalar(select(User).where(User.email == normalise_email(login)))
    phone = normalise_phone(login)
    return await session.scalar(select(User).where(User.phone == phone)) if phone else None


def login_key(login: str) -> str:
    """The account a typed login names, as one key whatever its spelling: the e-mail in
    lower case, the phone in E.164 (``081234500001`` and ``+62 812-3450-0001`` are one
    account); anything else as typed, trimmed and lower-cased."""
    login = login.strip()
    if "@" in login:
        return normalise_email(login)
    return normalise_phone(login) or login.lower()


@dataclass(frozen=True)
class LoginCheck:
    """A typed login and password checked before the sign-in's unit of work: the
    account it names (None when none does) and the password's check against its hash."""

    user_id: int | None
    password: PasswordCheck


async def login_hash(session: AsyncSession, login: str) -> tuple[int | None, str | None]:
    """The id and password hash of the account a login names, or (None, None): read
    before the password is checked, outside the sign-in's write."""
    user = await find_login(session, login) if login.strip() else None
    return (user.id, user.password_hash) if user is not None else (None, None)


async def authenticate(session: AsyncSession, check: LoginCheck) -> User:
    """The active user a :class:`LoginCheck` found with the right password, else
    :class:`Unauthorized` with one message for every reason. A password changed since
    the check voids it; an upgraded hash (newer argon2 parameters) is saved."""
    user = await session.get(User, check.user_id) if check.user_id is not None else None
    if user is None or not check.password.holds_for(user.password_hash) or not user.is_active:
        raise Unauthorized(i18n.gettext("The e-mail, phone number or password is wrong."))
    if check.password.upgraded is not None:
        user.password_hash = check.password.upgraded
    return user


async def start_session(
    session: AsyncSession, user: User, now: datetime, *, replacing: str | None = None
) -> tuple[str, UserSession]:
    """A new session for ``user``; the session being replaced (the browser's previous
    one) is revoked, so a session id known before login is useless after it."""
    if replacing:
        await session.execute(
            update(UserSession)
            .where(
                UserSession.token_hash == token_hash(replacing), UserSession.revoked_at.is_(None)
            )
            .values(revoked_at=now)
        )
    raw = new_token()
    row = UserSession(
        token_hash=token_hash(raw),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(row)
    user.last_login_at = now
    await session.flush()
    audit.record(
        session, "user.signed_in", object_type="user", object_id=user.id, actor_user_id=user.id
    )
    return raw, row


# The two lookups every signed-in request makes are built once, with the hash as a
# bound parameter: building them (joins, the unread-count subquery) on each request was
# a few per cent of an apply's CPU in a py-spy profile (bench/README, issue 14).
@cache
def _session_lookup() -> Select[Any]:
    return (
        select(UserSession, User, notifications.unread_of(User.id))
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


@cache
def _token_lookup() -> Select[Any]:
    return (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


async def resolve_session(session: AsyncSession, raw: str, now: datetime) -> SignedIn | None:
    """The signed-in user behind a session cookie, or None when it is unknown, expired,
    revoked or its user disabled. One statement: it runs outside a transaction
    (``AppContext.lookup``)."""
    found = (await session.execute(_session_lookup(), {"token_hash": token_hash(raw)})).first()
    if found is None:
        return None
    row, user, unread = found
    if row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    if row.created_at + SESSION_ABSOLUTE <= now:
        return None
    return SignedIn(user=user, session_row=row, unread=unread or 0)


async def touch_session(session: AsyncSession, session_id: int, now: datetime) -> None:
    """Slide the expiry of an active session (called at most once per refresh period)."""
    await session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(last_seen_at=now, expires_at=now + SESSION_LIFETIME)
    )


def needs_touch(row: UserSession, now: datetime) -> bool:
    return now - row.last_seen_at >= SESSION_REFRESH


async def end_session(session: AsyncSession, raw: str, now: datetime) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(raw), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def create_api_token(
    session: AsyncSession,
    user: User,
    name: str = "api",
    *,
    lifetime: timedelta,
    now: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new bearer token that works for ``lifetime`` (``JOBFAIR_API_TOKEN_DAYS``) from
    ``now`` (the app's clock)."""
    raw = "jf_" + new_token()
    created = now or utcnow()
    row = ApiToken(
        token_hash=token_hash(raw),
        user_id=user.id,
        name=name[:100] or "api",
        created_at=created,
        expires_at=created + lifetime,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        "api_token.created",
        object_type="api_token",
        object_id=row.id,
        actor_user_id=user.id,
    )
    return raw, row


async def resolve_api_token(session: AsyncSession, raw: str, now: datetime) -> SignedIn | None:
    """The user behind a bearer token, or None when it is unknown, revoked, past its
    expiry or its user disabled. One statement, like :func:`resolve_session`."""
    found = (await session.execute(_token_lookup(), {"token_hash": token_hash(raw)})).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or not user.is_active:
        return None
    if row.expires_at <= now:
        return None
    return SignedIn(user=user, api_token=row)


def token_needs_touch(row: ApiToken, now: datetime) -> bool:
    """Whether to record a use of the token: at most once per refresh period, so the
    API's reads rarely write."""
    return row.last_used_at is None or now - row.last_used_at >= SESSION_REFRESH


async def touch_api_token(session: AsyncSession, token_id: int, now: datetime) -> None:
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


@dataclass(frozen=True)
class TokenRow:
    """One of a user's API tokens as the account page lists it (never the secret)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


async def api_tokens(session: AsyncSession, user: User, now: datetime) -> list[TokenRow]:
    """The user's tokens that still work, newest first."""
    rows = await session.scalars(
        select(ApiToken)
        .where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [
        TokenRow(row.id, row.name, row.created_at, row.last_used_at, row.expires_at) for row in rows
    ]


async def revoke_api_token(session: AsyncSession, user: User, token_id: int, now: datetime) -> None:
    row = await session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound(i18n.gettext("We could not find that page."))
    row.revoked_at = now
    audit.record(
        session,
        "api_token.revoked",
        object_type="api_token",
        object_id=row.id,
        actor_user_id=user.id,
    )


async def list_api_tokens(session: AsyncSession, user: User) -> list[ApiToken]:
    return list(
        await session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )


async def revoke_everything(session: AsyncSession, user_id: int, now: datetime) -> None:
    """End every session and API token of a user (disabling, password reset, deletion)."""
    await session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Their open live sockets (the organiser channel included) close too.
    signals.signed_out(session, user_id)


async def disable_user(
    session: AsyncSession, user_id: int, now: datetime, *, actor_user_id: int | None
) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(i18n.gettext("We could not find that page."))
    user.is_active = False
    user.disabled_at = now
    await revoke_everything(session, user.id, now)
    audit.record(
        session, "user.disabled", object_type="user", object_id=user.id, actor_user_id=actor_user_id
    )
    return user


async def request_password_reset(
    session: AsyncSession, email: str, now: datetime, *, reset_page: str
) -> None:
    """Mail a reset link (``reset_page``: the page's absolute address, from the caller)
    when an active account has this e-mail. The answer to the
    requester is the same either way, so the form tells nobody who is registered."""
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active or not user.email:
        return
    raw = new_token()
    reset = PasswordReset(
        token_hash=token_hash(raw), user_id=user.id, created_at=now, expires_at=now + RESET_LIFETIME
    )
    session.add(reset)
    await session.flush()
    link = f"{reset_page}?token={raw}"
    body = i18n.gettext(
        "Someone asked to reset the password of your job fair account.\n\n"
        "To choose a new password, open this link within one hour:\n%(link)s\n\n"
        "If it was not you, ignore this message; your password stays as it is.",
        link=link,
    )
    await queue_mail(
        session,
        to_address=user.email,
        subject=i18n.gettext("Reset your password"),
        body=body,
        dedupe_key=f"password-reset:{reset.id}",
        user_id=user.id,
    )
    audit.record(session, "user.password_reset_requested", object_type="user", object_id=user.id)


async def check_reset_token(session: AsyncSession, raw: str, now: datetime) -> PasswordReset:
    reset = await session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(raw))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise NotFound(i18n.gettext("This link is invalid or has expired. Ask for a new one."))
    return reset


async def reset_password(
    session: AsyncSession, raw: str, password: NewPassword, now: datetime
) -> User:
    reset = await check_reset_token(session, raw, now)
    if message := password.error():
        raise ValidationFailed(i18n.gettext("Please check the form."), fields={"password": message})
    user = await session.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise NotFound(i18n.gettext("This link is invalid or has expired. Ask for a new one."))
    user.password_hash = password.stored
    reset.used_at = now
    # Every other reset link of the user dies with this one.
    await session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    await revoke_everything(session, user.id, now)
    audit.record(
        session, "user.password_reset", object_type="user", object_id=user.id, actor_user_id=user.id
    )
    return user


def password_error(password: str) -> str | None:
    """:func:`password_problem` in the user's language."""
    problem = password_problem(password)
    return None if problem is None else i18n.gettext(problem[0], **problem[1])


async def tell_registration_attempt(
    session: AsyncSession, owners: list[User], now: datetime
) -> None:
    """Someone registered with details an account already holds: its owner is told by
    mail (at most once a day per account), and nobody else learns anything."""
    for owner in owners:
        if not owner.email:
            continue  # a phone-only account: no channel to tell (no SMS gateway)
        with i18n.using(owner.locale):
            body = i18n.gettext(
                "Someone tried to register a new job fair account with the NIK, e-mail "
                "address or mobile number of your account. No new account was made.\n\n"
                "If it was you, sign in with your existing account; if you forgot the "
                "password, reset it with this address (%(email)s). If it was not you, "
                "there is nothing to do; tell the labour office if it happens again.",
                email=owner.email,
            )
            subject = i18n.gettext("Someone tried to register with your details")
        await queue_mail(
            session,
            to_address=owner.email,
            subject=subject,
            body=body,
            dedupe_key=f"registration-attempt:{owner.id}:{now.date().isoformat()}",
            user_id=owner.id,
        )
