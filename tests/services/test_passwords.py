"""The Passwords service on its own: worker threads, at most (cores − 1) hashes at once,
checks that a changed password voids, no work for no password typed."""

from __future__ import annotations

import asyncio
import os
import threading

from jobfair.services.identity import PasswordCheck, Passwords, hashing_slots

CHEAP = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def test_one_core_is_left_to_the_event_loop() -> None:
    assert hashing_slots() == max(1, len(os.sched_getaffinity(0)) - 1)


async def test_no_more_hashes_run_at_once_than_there_are_slots() -> None:
    passwords = Passwords(**CHEAP, slots=2)
    running, most = [0], [0]
    lock = threading.Lock()
    release, full = threading.Event(), threading.Event()
    original = passwords._hash

    def counted(password: str) -> str:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            if running[0] == 2:
                full.set()
        release.wait(10)
        with lock:
            running[0] -= 1
        return original(password)

    passwords._hash = counted  # type: ignore[method-assign]
    hashes = [asyncio.create_task(passwords.hash(f"sandi-{n}")) for n in range(5)]
    assert await asyncio.to_thread(full.wait, 10)
    assert not any(task.done() for task in hashes)
    release.set()
    done = await asyncio.gather(*hashes)
    assert most[0] == 2 and len(set(done)) == 5


async def test_a_check_holds_only_for_the_hash_it_was_made_against() -> None:
    passwords = Passwords(**CHEAP)
    stored = await passwords.hash("kopi tubruk pagi hari")
    good = await passwords.check(stored, "kopi tubruk pagi hari")
    assert good.valid and good.holds_for(stored) and good.upgraded is None
    # The password was changed after the check: it no longer stands.
    assert not good.holds_for(await passwords.hash("kopi tubruk pagi hari"))
    bad = await passwords.check(stored, "teh manis")
    assert not bad.valid and not bad.holds_for(stored)
    assert not (await passwords.check(None, "kopi tubruk pagi hari")).valid


async def test_no_password_typed_checks_nothing() -> None:
    passwords = Passwords(**CHEAP)
    called: list[str] = []
    passwords._verify = lambda *args: called.append("verify") or True  # type: ignore[method-assign]
    assert await passwords.check("$argon2id$whatever", None) == PasswordCheck(
        "$argon2id$whatever", valid=False
    )
    assert called == []
