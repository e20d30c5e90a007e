"""Secrets handling for accounts and personal data: password hashes (argon2id) and the
NIK vault (encryption at rest, keyed hash for uniqueness, masked display).

Hashing a password costs tens of milliseconds of CPU on purpose. :class:`Passwords` does
it in worker threads (argon2-cffi releases the GIL), never on the event loop, and its
callers do it before any unit of work: a sign-in burst must not stall every page, nor
hold SQLite's write lock (and ``BEGIN IMMEDIATE``) or a PostgreSQL transaction while
argon2 runs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from jobfair.reference.nik import mask_nik

if TYPE_CHECKING:
    from jobfair.settings import Settings

T = TypeVar("T")

# What an account without a password (an invited organiser until they choose one)
# stores: no argon2 hash, so nothing verifies against it.
NO_PASSWORD = "!"  # noqa: S105 - a marker no password matches, not a password


def hashing_slots() -> int:
    """How many hashes may run at once: one core is left to the event loop."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


@dataclass(frozen=True)
class PasswordCheck:
    """A typed password checked against a stored hash, before the unit of work that acts
    on it. ``upgraded`` is a new hash of the same password when ``stored`` was made with
    older parameters (saved at the next sign-in)."""

    stored: str | None
    valid: bool
    upgraded: str | None = None

    def holds_for(self, stored: str | None) -> bool:
        """Whether the check still stands for the hash the account has now (a password
        changed in the meantime voids it)."""
        return self.valid and stored is not None and stored == self.stored


class Passwords:
    """argon2id hashing and verification off the event loop, on a pool of its own with
    :func:`hashing_slots` threads: at most that many at a time. The others wait in the
    pool's queue, from which a thread takes the next hash as soon as it is done (a
    semaphore in front of ``asyncio.to_thread`` left the slot idle for two turns of the
    loop between hashes: 12 % of the sign-ins the cores allow, bench/signin.py). A
    request that gives up while its hash is still queued cancels it (asyncio cancels the
    pool's future), so it never spends a hash."""

    def __init__(
        self, *, time_cost: int, memory_cost: int, parallelism: int, slots: int | None = None
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
        self._pool = ThreadPoolExecutor(
            max_workers=slots or hashing_slots(), thread_name_prefix="argon2"
        )
        self._dummy: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Passwords:
        return cls(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        )

    def close(self) -> None:
        """Let the pool's threads go: a running hash finishes, queued ones are cancelled."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def hash_now(self, password: str) -> str:
        """Blocking: for scripts and tests, never in a request."""
        return self._hasher.hash(password)

    async def hash(self, password: str) -> str:
        return await self._off_loop(self._hash, password)

    async def check(self, stored: str | None, password: str | None) -> PasswordCheck:
        """Check ``password`` against ``stored``. An unknown account (``stored`` None) or
        one without a password is checked against a dummy hash, so the time taken does
        not tell which accounts exist; no password typed (None) checks nothing."""
        if password is None:
            return PasswordCheck(stored, valid=False)
        dummy = await self.prepare()
        valid = await self._off_loop(self._verify, stored, password, dummy)
        upgraded = None
        if valid and stored is not None and self._hasher.check_needs_rehash(stored):
            upgraded = await self.hash(password)
        return PasswordCheck(stored, valid, upgraded)

    async def prepare(self) -> str:
        """The dummy hash, made at the first check with this process's parameters (so
        verifying it costs what a real one does)."""
        if self._dummy is None:
            self._dummy = await self.hash(secrets.token_urlsafe(16))
        return self._dummy

    def _hash(self, password: str) -> str:
        # Runs in a worker thread.
        return self._hasher.hash(password)

    def _verify(self, stored: str | None, password: str, dummy: str) -> bool:
        # Runs in a worker thread.
        if stored is not None:
            try:
                return self._hasher.verify(stored, password)
            except VerificationError:
                return False
            except InvalidHashError:
                pass  # no password (NO_PASSWORD): spend the dummy's time below
        with contextlib.suppress(VerificationError, InvalidHashError):
            self._hasher.verify(dummy, password)
        return False

    async def _off_loop(self, work: Callable[..., T], *args: object) -> T:
        # The caller's context goes along, as with asyncio.to_thread.
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, context.run, work, *args
        )


def _derive(secret: str, purpose: str) -> bytes:
    # Separate keys per purpose from one configured secret.
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def token_hash(token: str) -> str:
    """Tokens (sessions, API, resets) are stored as their SHA-256 only."""
    return hashlib.sha256(token.encode()).hexdigest()


class NikVault:
    """Encrypts NIKs at rest and gives a keyed hash so duplicates can be found."""

    def __init__(self, nik_key: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(nik_key, "nik-encryption")))
        self._hmac_key = _derive(nik_key, "nik-hmac")

    def encrypt(self, nik: str) -> bytes:
        return self._fernet.encrypt(nik.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken as exc:  # wrong key: never echo the ciphertext
            raise ValueError("NIK cannot be decrypted with the configured key") from exc

    def fingerprint(self, nik: str) -> str:
        return hmac.new(self._hmac_key, nik.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def mask(nik: str) -> str:
        return mask_nik(nik)
