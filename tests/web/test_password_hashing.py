"""Password hashing in requests: off the event loop and outside every transaction (no
connection checked out, SQLite's write lock free), an older hash upgraded at the next
sign-in, and an unknown login verified against a dummy hash (issue 14, item 1)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import event
from support import factories
from support.browsing import form_token, sign_in

from jobfair.context import AppContext
from jobfair.models import User
from jobfair.services.identity import Passwords


@dataclass
class Seen:
    """What a hash or verification saw of the process while it ran."""

    calls: list[str] = field(default_factory=list)
    in_worker_thread: list[bool] = field(default_factory=list)
    loop_in_thread: list[bool] = field(default_factory=list)
    connections_out: list[int] = field(default_factory=list)
    write_lock_held: list[bool] = field(default_factory=list)
    stored: list[str | None] = field(default_factory=list)
    entered: threading.Event = field(default_factory=threading.Event)


_HELD: ContextVar[list[int] | None] = ContextVar("held", default=None)


def _running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextmanager
def watched(ctx: AppContext, gate: threading.Event | None = None) -> Iterator[Seen]:
    """Record, inside every hash and verification, where it runs and what is held; with
    ``gate``, each waits for it (so the test can act while a hash is running)."""
    seen = Seen()
    entered = seen.entered
    # Connections checked out by this test's requests (the context is copied into the
    # tasks they start and into the worker threads), not by background tasks such as
    # the live layer's reconciliation.
    out = [0]
    held = _HELD.set(out)

    def checkout(*_args: Any) -> None:
        if (cell := _HELD.get()) is not None:
            cell[0] += 1

    def checkin(*_args: Any) -> None:
        if (cell := _HELD.get()) is not None:
            cell[0] -= 1

    pool = ctx.engine.sync_engine.pool
    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    passwords = ctx.passwords

    def spy(name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            seen.calls.append(name)
            entered.set()
            seen.in_worker_thread.append(threading.current_thread() is not threading.main_thread())
            seen.loop_in_thread.append(_running_loop())
            seen.connections_out.append((_HELD.get() or [-1])[0])
            seen.write_lock_held.append(ctx.write_lock is not None and ctx.write_lock.locked())
            if name == "verify":
                seen.stored.append(args[0])
            if gate is not None:
                assert gate.wait(10), "the test never let the hash finish"
            return work(*args)

        return run

    original_verify, original_hash = passwords._verify, passwords._hash
    passwords._verify = spy("verify", original_verify)  # type: ignore[method-assign]
    passwords._hash = spy("hash", original_hash)  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        passwords._verify = original_verify  # type: ignore[method-assign]
        passwords._hash = original_hash  # type: ignore[method-assign]
        event.remove(pool, "checkout", checkout)
        event.remove(pool, "checkin", checkin)
        _HELD.reset(held)


async def _user(ctx: AppContext, email: str, password_hash: str | None = None) -> int:
    async with ctx.unit_of_work() as session:
        applicant = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get_one(User, applicant.user_id)
        user.email = email
        user.password_hash = password_hash or factories.hash_password(factories.PASSWORD)
        return user.id


async def _hash_of(ctx: AppContext, user_id: int) -> str:
    async with ctx.read() as session:
        return (await session.get_one(User, user_id)).password_hash


def _assert_off_loop_and_outside_transactions(seen: Seen) -> None:
    assert seen.calls
    assert all(seen.in_worker_thread), seen
    assert not any(seen.loop_in_thread), seen
    assert seen.connections_out == [0] * len(seen.calls), seen
    assert not any(seen.write_lock_held), seen


async def test_a_sign_in_verifies_off_the_loop_while_other_requests_are_served(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _user(ctx, "ani@example.test")
    await ctx.passwords.prepare()  # the dummy hash, made at the first check otherwise
    token = await form_token(client)
    gate = threading.Event()
    with watched(ctx, gate) as seen:
        signing_in = asyncio.create_task(
            client.post(
                "/login",
                data={
                    "login": "ani@example.test",
                    "password": factories.PASSWORD,
                    "csrf_token": token,
                },
            )
        )
        # Until the verification is running (and held at the gate).
        assert await asyncio.to_thread(seen.entered.wait, 10)
        # The loop is free while argon2 runs: a trivial request and a write get through.
        health = await client.get("/healthz")
        assert health.status_code == 200
        async with ctx.unit_of_work() as session:
            await factories.office(session)
        assert not signing_in.done()
        gate.set()
        answer = await signing_in
    assert answer.status_code == 303 and answer.headers["location"] == "/me"
    assert seen.calls == ["verify"]
    _assert_off_loop_and_outside_transactions(seen)


async def test_registration_hashes_before_its_write_transaction(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    with watched(ctx) as seen:
        answer = await client.post("/api/v1/applicants", json=factories.registration())
    assert answer.status_code == 201
    # The dummy hash (made once per process) may come first; the registration's own last.
    assert seen.calls[-1] == "hash"
    _assert_off_loop_and_outside_transactions(seen)


async def test_an_older_hash_is_upgraded_at_the_next_sign_in(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    # argon2-cffi's default parameters (RFC 9106's second option), as hashes were made
    # before the parameters became settings.
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(factories.PASSWORD)
    user_id = await _user(ctx, "ani@example.test", old)
    with watched(ctx) as seen:
        answer = await sign_in(client, "ani@example.test", factories.PASSWORD)
    assert answer.status_code == 303
    assert seen.calls[-2:] == ["verify", "hash"]
    _assert_off_loop_and_outside_transactions(seen)
    upgraded = await _hash_of(ctx, user_id)
    assert upgraded != old
    settings = ctx.settings
    assert f"m={settings.argon2_memory_cost},t={settings.argon2_time_cost}" in upgraded
    assert f"p={settings.argon2_parallelism}" in upgraded
    assert not ctx.passwords._hasher.check_needs_rehash(upgraded)
    # The new hash signs in, and nothing is rehashed again.
    client.cookies.clear()
    with watched(ctx) as again:
        assert (await sign_in(client, "ani@example.test", factories.PASSWORD)).status_code == 303
    assert again.calls == ["verify"] and await _hash_of(ctx, user_id) == upgraded


async def test_a_wrong_password_upgrades_nothing(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(factories.PASSWORD)
    user_id = await _user(ctx, "ani@example.test", old)
    answer = await sign_in(client, "ani@example.test", "salah-sekali-ini")
    assert answer.status_code == 401
    assert await _hash_of(ctx, user_id) == old


async def test_an_unknown_login_is_verified_against_a_dummy_hash(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await _user(ctx, "ani@example.test")
    with watched(ctx) as seen:
        unknown = await sign_in(client, "nobody@example.test", factories.PASSWORD)
        wrong = await sign_in(client, "ani@example.test", "salah-sekali-ini")
    assert unknown.status_code == wrong.status_code == 401
    # The unknown login still ran one argon2 verification (against the dummy), as the
    # wrong password did against the real hash.
    assert seen.calls.count("verify") == 2
    assert seen.stored[0] is None and seen.stored[1] is not None
    _assert_off_loop_and_outside_transactions(seen)


async def test_an_account_without_a_password_costs_a_dummy_verification() -> None:
    dummy_runs: list[str] = []

    class Recording(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            dummy_runs.append(str(hash))
            return super().verify(hash, password)

    passwords = Passwords(time_cost=1, memory_cost=1024, parallelism=1)
    passwords._hasher = Recording(time_cost=1, memory_cost=1024, parallelism=1)
    check = await passwords.check("!", "anything")
    assert not check.valid and not check.holds_for("!")
    # The marker fails to parse, then the dummy is verified, so the time is the same.
    assert dummy_runs[0] == "!" and dummy_runs[1].startswith("$argon2id$")


async def test_closing_lets_the_hashing_threads_go() -> None:
    threads: list[threading.Thread] = []

    class Recording(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            threads.append(threading.current_thread())
            return super().hash(password, salt=salt)

    passwords = Passwords(time_cost=1, memory_cost=1024, parallelism=1, slots=2)
    passwords._hasher = Recording(time_cost=1, memory_cost=1024, parallelism=1)
    await passwords.hash("satu-dua-tiga")
    (worker,) = threads
    assert worker is not threading.current_thread() and worker.is_alive()
    passwords.close()
    # The idle thread wakes on the pool's shutdown and exits.
    await asyncio.to_thread(worker.join, 5)
    assert not worker.is_alive()
