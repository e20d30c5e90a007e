"""Who is asking: session cookies and bearer tokens, CSRF and rate limits.

* The session cookie carries a random token, signed (itsdangerous) so a forged cookie
  is rejected without a database read; the server-side row decides whether it is live.
* ``Authorization: Bearer`` tokens authenticate the JSON API; they carry no ambient
  authority, so API calls with a bearer token need no CSRF token.
* CSRF: a signed double-submit token. A random value lives in an HttpOnly cookie; forms
  and htmx requests send HMAC(secret, value), which a cross-site page can neither read
  nor compute. Every state-changing handler reads its form through :func:`checked_form`.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, TypeVar

from itsdangerous import BadSignature, Signer
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.storage import memory as limits_memory
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import User
from jobfair.services import auth
from jobfair.services.auth import SignedIn
from jobfair.services.errors import (
    DomainError,
    PermissionDenied,
    RateLimited,
    Unauthorized,
    WrongPassword,
)
from jobfair.services.networks import TrustedAddresses

logger = logging.getLogger(__name__)

SESSION_COOKIE = "jobfair_session"
CSRF_COOKIE = "jobfair_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE = int(auth.SESSION_LIFETIME.total_seconds())


class LoginRequired(DomainError):
    """Raised by :func:`require`; pages answer with a redirect to the sign-in page."""

    code = "unauthorized"
    status = 401


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is ignored
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


def session_signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt="jobfair-session")


def csrf_for(secret_key: str, cookie_value: str, session_secret: str = "") -> str:
    """The form token: an HMAC of the CSRF cookie and, once signed in, of the session's
    own CSRF secret (kept in its database row), so a token is good for one session
    only: a cookie planted by a neighbour subdomain or copied from another session
    does not make a valid token."""
    return hmac.new(
        secret_key.encode(), f"csrf:{cookie_value}:{session_secret}".encode(), hashlib.sha256
    ).hexdigest()


def cookie_name(name: str, secure: bool) -> str:
    """``__Host-`` in production: the browser then takes the cookie only from this host
    over https, with ``Path=/`` and no ``Domain``, so no subdomain can set or shadow it."""
    return f"__Host-{name}" if secure else name


def cookie_header(name: str, value: str, *, max_age: int | None, secure: bool) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


@dataclass
class RequestAuth:
    """What the middleware found, in ``request.state.auth``."""

    signed_in: SignedIn | None
    session_token: str | None  # the raw session token (for logout and rotation)
    via_bearer: bool
    csrf_cookie: str
    csrf_token: str
    # Set by handlers that sign in or out; the middleware writes the cookies.
    new_session: str | None = None
    clear_session: bool = False
    rotate_csrf: bool = False


class AuthMiddleware:
    """Resolves the session cookie or bearer token once per request."""

    def __init__(self, app: ASGIApp, *, secret_key: str, secure_cookies: bool) -> None:
        self.app = app
        self.secret_key = secret_key
        self.secure = secure_cookies
        self.signer = session_signer(secret_key)
        self.session_cookie = cookie_name(SESSION_COOKIE, secure_cookies)
        self.csrf_cookie = cookie_name(CSRF_COOKIE, secure_cookies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        ctx: AppContext = scope["app"].state.ctx
        cookies = _cookies(scope)
        now = ctx.now()
        signed_in: SignedIn | None = None
        session_token: str | None = None
        bearer = _bearer(scope)
        if bearer:
            async with ctx.lookup() as session:
                signed_in = await auth.resolve_api_token(session, bearer, now)
            if signed_in is None:
                # A wrong or revoked token is an error, never a silent anonymous call.
                await _json_401(send)
                return
            token_row = signed_in.api_token
            if token_row is not None and auth.token_needs_touch(token_row, now):
                # "Last used" on the account page, written at most once an hour.
                async with ctx.unit_of_work() as session:
                    await auth.touch_api_token(session, token_row.id, now)
        elif self.session_cookie in cookies:
            try:
                session_token = self.signer.unsign(cookies[self.session_cookie]).decode()
            except BadSignature:
                session_token = None
            if session_token:
                async with ctx.lookup() as session:
                    signed_in = await auth.resolve_session(session, session_token, now)
                if (
                    signed_in
                    and signed_in.session_row
                    and auth.needs_touch(signed_in.session_row, now)
                ):
                    async with ctx.unit_of_work() as session:
                        await auth.touch_session(session, signed_in.session_row.id, now)
        csrf_cookie = cookies.get(self.csrf_cookie) or ""
        fresh_csrf = not csrf_cookie or len(csrf_cookie) > 100
        if fresh_csrf:
            csrf_cookie = secrets.token_urlsafe(24)
        state = RequestAuth(
            signed_in=signed_in,
            session_token=session_token if signed_in else None,
            via_bearer=bool(bearer),
            csrf_cookie=csrf_cookie,
            csrf_token=csrf_for(
                self.secret_key,
                csrf_cookie,
                (signed_in.csrf_token or "") if signed_in is not None else "",
            ),
        )
        scope.setdefault("state", {})["auth"] = state
        stale_cookie = self.session_cookie in cookies and signed_in is None and not bearer
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if state.new_session:
                    value = self.signer.sign(state.new_session).decode()
                    headers.append(
                        "Set-Cookie",
                        cookie_header(
                            self.session_cookie,
                            value,
                            max_age=SESSION_MAX_AGE,
                            secure=self.secure,
                        ),
                    )
                elif state.clear_session or stale_cookie:
                    headers.append(
                        "Set-Cookie",
                        cookie_header(self.session_cookie, "", max_age=0, secure=self.secure),
                    )
                if state.rotate_csrf or (fresh_csrf and not bearer):
                    headers.append(
                        "Set-Cookie",
                        cookie_header(
                            self.csrf_cookie, state.csrf_cookie, max_age=None, secure=self.secure
                        ),
                    )
                if signed_in or state.new_session:
                    # Pages of a signed-in user are private: no shared cache may keep them.
                    headers["Cache-Control"] = "private, no-store"
            await send(message)

        await self.app(scope, receive, send_with_cookies)


async def _json_401(send: Send) -> None:
    body = b'{"error": {"code": "unauthorized", "message": "invalid or revoked token"}}'
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def request_auth(request: Request) -> RequestAuth:
    return request.state.auth


def current(request: Request) -> SignedIn | None:
    state = getattr(request.state, "auth", None)
    if state is None:
        return None
    # The JSON API authenticates by bearer token only: a browser's session cookie gives
    # it no authority, so cross-site requests cannot use the API on a user's behalf.
    if request.url.path.startswith("/api/") and not state.via_bearer:
        return None
    return state.signed_in


def require(request: Request, *roles: str) -> SignedIn:
    """The signed-in user, with one of ``roles`` when given."""
    signed_in = current(request)
    if signed_in is None:
        raise LoginRequired(i18n.gettext("Please sign in first."))
    if roles and signed_in.user.role not in roles:
        raise PermissionDenied(i18n.gettext("You are not allowed to do that."))
    return signed_in


def sign_in(request: Request, raw_session_token: str) -> None:
    state = request_auth(request)
    state.new_session = raw_session_token
    # A fresh CSRF secret at sign-in: one planted before login is worthless after it.
    state.rotate_csrf = True
    state.csrf_cookie = secrets.token_urlsafe(24)
    state.csrf_token = csrf_for(request.app.state.settings.secret_key, state.csrf_cookie)


def sign_out(request: Request) -> None:
    state = request_auth(request)
    state.clear_session = True
    state.rotate_csrf = True
    state.csrf_cookie = secrets.token_urlsafe(24)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    state = request_auth(request)
    if state.via_bearer:
        return True
    return bool(submitted) and hmac.compare_digest(str(submitted), state.csrf_token)


async def checked_form(request: Request) -> FormData:
    """The request's form, after checking its CSRF token (form field or header)."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_ok(request, submitted if isinstance(submitted, str) else None):
        raise PermissionDenied(i18n.gettext("The form has expired. Reload the page and try again."))
    if any(isinstance(value, str) and "\x00" in value for _key, value in form.multi_items()):
        # No form field needs a NUL and PostgreSQL cannot store one in text: drop them.
        form = FormData(
            [
                (key, value.replace("\x00", "") if isinstance(value, str) else value)
                for key, value in form.multi_items()
            ]
        )
    return form


def check_csrf_header(request: Request) -> None:
    """For non-form state changes (uploads, htmx calls): the token must come as header."""
    if not csrf_ok(request, request.headers.get(CSRF_HEADER)):
        raise PermissionDenied(i18n.gettext("The form has expired. Reload the page and try again."))


# ------------------------------------------------------------------- rate limits

T = TypeVar("T")

LIMITS: dict[str, list[RateLimitItem]] = {
    # Limits are keyed on the identity first: many job seekers share one address (a
    # mobile carrier's CGNAT, a campus, a warnet, a Disnaker help desk registering
    # dozens in minutes), so the per-address limits are only a high ceiling against a
    # flood, and do not apply to trusted networks (services/networks).
    "login:address": [parse("300/minute")],
    "login:account": [parse("10/15 minutes")],
    "register:address": [parse("300/10 minutes")],
    # Each of the NIK, the e-mail and the phone a registration names.
    "register:identity": [parse("5/hour")],
    "apply:user": [parse("30/minute")],
    # Booking, cancelling and leaving messages at booths (jobfair.web.booth_slots).
    "booth:user": [parse("30/minute"), parse("200/day")],
    "reset:address": [parse("100/15 minutes")],
    "reset:account": [parse("5/hour")],
}
# The kinds keyed on the client's address: a ceiling that trusted networks skip.
ADDRESS_LIMITS = frozenset(kind for kind in LIMITS if kind.endswith(":address"))


class CheapExpiryMemoryStorage(MemoryStorage):
    """limits' in-memory storage, same moving windows, with a cheap expiry.

    The library's own expiry runs a pass after every hit that is not already running
    one, and each pass hands every key seen in the last window to a worker thread
    (``asyncio.to_thread`` per key): at 200 hits/s over 1,500 keys that cost 0.92 of a
    core. Here the pass is plain code on the loop, at most once per
    :attr:`EXPIRE_EVERY` seconds: a bisection per key, microseconds each. It runs
    between awaits, and the library's per-key critical sections hold no await, so it
    never sees a window half-updated (it skips a key whose lock is held all the same).
    Expiry only frees memory: the windows themselves are read by timestamp, so when
    the pass runs changes no answer.
    """

    EXPIRE_EVERY = 1.0

    def __init__(self) -> None:
        self._next_expiry = 0.0
        super().__init__()

    # The library calls this private hook (``self.__schedule_expiry()``) before every
    # hit; overriding it by its mangled name replaces the thread-per-key pass.
    async def _MemoryStorage__schedule_expiry(self) -> None:
        now = limits_memory.time.time()
        if now >= self._next_expiry:
            self._next_expiry = now + self.EXPIRE_EVERY
            self.expire(now)

    def expire(self, now: float) -> None:
        """Drop the events and counters that have expired by ``now``."""
        for key, events in list(self.events.items()):
            lock = self.locks.get(key)
            if lock is not None and lock.locked():
                continue
            # Newest first, so the expired ones are a tail.
            kept = events[: bisect.bisect_left(events, -now, key=lambda event: -event.expiry)]
            if kept:
                self.events[key] = kept
            else:
                self.events.pop(key, None)
                self.locks.pop(key, None)
        for key, expires_at in list(self.expirations.items()):
            if expires_at <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)


class RateLimits:
    """Moving-window limits in memory (one process) or Redis (every process).

    When Redis cannot be reached the limits fall back to this process's memory instead
    of failing the request: a sign-in or an application must not fail because the
    shared limiter is away, and a per-process limit still stops a flood.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.fallback = (
            None
            if isinstance(storage, MemoryStorage)
            else MovingWindowRateLimiter(CheapExpiryMemoryStorage())
        )

    @classmethod
    def create(cls, redis_url: str | None, namespace: str = "jobfair") -> RateLimits:
        if redis_url:
            # Short timeouts: a missing Redis must cost a request milliseconds, not seconds.
            # The keys under the deployment's namespace, like the live layer's: two
            # deployments sharing a Redis must not share their limits.
            storage = storage_from_string(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=f"{namespace}:limits",
                socket_connect_timeout=0.5,
                socket_timeout=0.5,
            )
            assert isinstance(storage, Storage)
            return cls(storage)
        return cls(CheapExpiryMemoryStorage())

    async def _hit(self, item: RateLimitItem, kind: str, key: str) -> bool:
        try:
            return await self.limiter.hit(item, kind, key)
        except Exception:
            if self.fallback is None:
                raise
            logger.warning("rate-limit storage unreachable; limiting in this process")
            return await self.fallback.hit(item, kind, key)

    async def hit(self, kind: str, key: str) -> None:
        hashed = hashlib.sha256(key.encode()).hexdigest()
        for item in LIMITS[kind]:
            if not await self._hit(item, kind, hashed):
                raise _too_many()

    async def check(self, kind: str, key: str) -> None:
        """Refuse when ``key`` has used up ``kind`` already, without counting this call."""
        hashed = hashlib.sha256(key.encode()).hexdigest()
        for item in LIMITS[kind]:
            try:
                allowed = await self.limiter.test(item, kind, hashed)
            except Exception:
                if self.fallback is None:
                    raise
                allowed = await self.fallback.test(item, kind, hashed)
            if not allowed:
                raise _too_many()


def _too_many() -> RateLimited:
    return RateLimited(i18n.gettext("Too many attempts. Please wait a few minutes and try again."))


async def limited_sign_in(
    request: Request,
    login: str,
    password: str,
    attempt: Callable[[auth.LoginCheck], Awaitable[T]],
) -> T:
    """Run a sign-in ``attempt`` under the sign-in limits: per client address (every
    try), and per account, keyed on the account however its login is spelled and
    counting failed tries only, so signing in as someone else ten times with their
    password locks nobody out, while guessing it is stopped.

    The password is checked by :func:`check_login` before ``attempt`` opens its unit
    of work (where :func:`jobfair.services.auth.authenticate` trusts the check)."""
    await limit(request, "login:address")
    limits: RateLimits = request.app.state.rate_limits
    key = auth.login_key(login)
    await limits.check("login:account", key)
    try:
        return await attempt(await check_login(request.app.state.ctx, login, password))
    except Unauthorized:
        await limits.hit("login:account", key)
        raise


async def check_login(ctx: AppContext, login: str, password: str) -> auth.LoginCheck:
    """A login and password checked with no write transaction open: the account's hash
    is read in a read-only transaction, then argon2 runs in a worker thread, so a burst
    of sign-ins neither blocks the event loop nor holds the write lock."""
    async with ctx.read() as session:
        user_id, stored = await auth.login_hash(session, login)
    return auth.LoginCheck(user_id, await ctx.passwords.check(stored, password))


async def limited_confirmation(
    request: Request, user: User, attempt: Callable[[], Awaitable[T]]
) -> T:
    """Run a change that a signed-in user confirms with their password (a new e-mail
    or phone) under the per-account sign-in limit: a wrong password counts as a failed
    sign-in, so a stolen session cannot be used to guess the password."""
    limits: RateLimits = request.app.state.rate_limits
    key = auth.login_key(user.email or user.phone or f"user:{user.id}")
    await limits.check("login:account", key)
    try:
        return await attempt()
    except WrongPassword:
        await limits.hit("login:account", key)
        raise


def client_address(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"


async def limit(request: Request, kind: str, key: str | None = None) -> None:
    """Count this request against ``kind``: per ``key`` (an identity) or, without one,
    per client address, which a trusted network (a help desk) does not count."""
    limits: RateLimits = request.app.state.rate_limits
    if key is None:
        if kind not in ADDRESS_LIMITS:
            raise ValueError(f"{kind} is not keyed on the address")
        address = client_address(request)
        trusted: TrustedAddresses | None = getattr(request.app.state, "trusted_addresses", None)
        if trusted is not None and await trusted.contains(address):
            return
        key = address
    await limits.hit(kind, key)


async def limit_identities(request: Request, kind: str, identities: Iterable[str | None]) -> None:
    """Count one attempt against each identity it names (a NIK's fingerprint, an
    e-mail, a phone), wherever it comes from."""
    limits: RateLimits = request.app.state.rate_limits
    for identity in identities:
        if identity:
            await limits.hit(kind, identity)


def template_globals(request: Request) -> dict[str, Any]:
    state = getattr(request.state, "auth", None)
    return {
        "signed_in": state.signed_in if state else None,
        "csrf_token": state.csrf_token if state else "",
    }


# ------------------------------------------------------------ tokens from mailed links

# How long a token moved out of a mailed link stays in its cookie.
LINK_TOKEN_SECONDS = 3600


@dataclass(frozen=True)
class LinkToken:
    """A secret that arrives in a mailed link (``?token=``): on the first request it is
    moved into a short-lived cookie scoped to the page's path and the browser is sent
    to the clean URL, so the secret leaves the address bar, the history, referrers and
    every later access-log line."""

    cookie: str
    route: str  # the route name of the page the link opens

    def name(self, request: Request) -> str:
        # ``__Secure-`` in production (``__Host-`` needs ``Path=/``; this one is scoped).
        secure = not request.app.state.settings.is_development
        return f"__Secure-{self.cookie}" if secure else self.cookie

    def moved(self, request: Request) -> Response | None:
        """The redirect to the clean URL that stores the link's token, or None when the
        request carries no token (the page then reads :meth:`read`)."""
        token = request.query_params.get("token")
        if not token:
            return None
        path = request.app.url_path_for(self.route)
        response = RedirectResponse(str(path), status_code=303)
        response.set_cookie(
            self.name(request),
            token[:100],
            max_age=LINK_TOKEN_SECONDS,
            path=str(path),
            httponly=True,
            samesite="lax",
            secure=not request.app.state.settings.is_development,
        )
        return response

    def read(self, request: Request) -> str:
        return request.cookies.get(self.name(request), "")

    def forget(self, request: Request, response: Response) -> None:
        response.delete_cookie(
            self.name(request),
            path=str(request.app.url_path_for(self.route)),
            secure=not request.app.state.settings.is_development,
            httponly=True,
        )


RESET_TOKEN = LinkToken("jobfair_reset", "account:reset")
JOIN_TOKEN = LinkToken("jobfair_join", "company:join")
