"""The web process killed with SIGKILL in the middle of a burst of applications.

``jobfair serve`` runs as a child process on the test database (SQLite file, and
PostgreSQL where the fixture has it); a burst of applications goes out over several
connections and the process is killed outright once some have been answered. After a
restart on the same database, every application answered 201 must be there, complete
(with its "submitted" event), and nothing half-written; sending again whatever got no
answer leaves exactly one application per applicant and vacancy.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url
from support.live_server import free_port
from support.reliability_data import NIK_KEY, SECRET_KEY, Applicant, open_fair, stored

APPLICANTS = 30
VACANCIES = 6
CONNECTIONS = 12
KILL_AFTER = 40  # answered applications before the SIGKILL
TIMEOUT = httpx.Timeout(60.0)


@contextmanager
def jobfair_serve(database_url: str, data_dir: Path, log: Path) -> Iterator[tuple[str, int]]:
    """``jobfair serve`` as a child process; yields its base URL and pid."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOBFAIR_")}
    env.update(
        JOBFAIR_DATABASE_URL=database_url,
        JOBFAIR_DATA_DIR=str(data_dir),
        JOBFAIR_SECRET_KEY=SECRET_KEY,
        JOBFAIR_NIK_KEY=NIK_KEY,
        JOBFAIR_SWEEP_SECONDS="0",
        JOBFAIR_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "jobfair.cli", "serve", "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed command
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"jobfair serve exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "jobfair serve did not come up in 60 s"
            time.sleep(0.1)
        yield base_url, process.pid
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


Pair = tuple[Applicant, int]


async def burst(
    base_url: str, pairs: list[Pair], kill_pid: int | None
) -> tuple[dict[Pair, int | str], dict[Pair, int]]:
    """Send every application over ``CONNECTIONS`` connections; SIGKILL ``kill_pid`` once
    ``KILL_AFTER`` were answered. Returns each pair's status code (or the transport
    error's name when no answer came) and the application ids answered with 201."""
    answers: dict[Pair, int | str] = {}
    ids: dict[Pair, int] = {}
    queue: asyncio.Queue[Pair] = asyncio.Queue()
    for pair in pairs:
        queue.put_nowait(pair)
    answered = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal answered
        while not queue.empty():
            person, vacancy_id = pair = queue.get_nowait()
            try:
                response = await client.post(
                    f"/api/v1/vacancies/{vacancy_id}/applications",
                    headers={"Authorization": f"Bearer {person.token}"},
                )
            except httpx.TransportError as error:
                answers[pair] = type(error).__name__
                continue
            answers[pair] = response.status_code
            if response.status_code == 201:
                ids[pair] = response.json()["id"]
                answered += 1
                if kill_pid is not None and answered == KILL_AFTER:
                    os.kill(kill_pid, signal.SIGKILL)

    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(CONNECTIONS)))
    return answers, ids


async def test_sigkill_mid_burst_loses_no_accepted_application(
    database_url: str, tmp_path: Path
) -> None:
    fair = await open_fair(database_url, applicants=APPLICANTS, vacancies=VACANCIES, tokens=True)
    # Vacancy-major order: consecutive requests come from different applicants.
    pairs = [(person, v) for v in fair.vacancy_ids for person in fair.applicants]
    data_dir = tmp_path / "data"
    log = tmp_path / "serve.log"

    with jobfair_serve(database_url, data_dir, log) as (base_url, pid):
        answers, accepted = await burst(base_url, pairs, kill_pid=pid)

    unanswered = [pair for pair, answer in answers.items() if not isinstance(answer, int)]
    assert len(accepted) >= KILL_AFTER
    assert unanswered, "the kill came after the burst: nothing was cut off"
    assert {a for a in answers.values() if isinstance(a, int)} == {201}, answers

    # Every answered application is in the database, complete; nothing half-written.
    held = await stored(database_url)
    for (person, vacancy_id), application_id in accepted.items():
        assert held.applications.get((person.applicant_id, vacancy_id)) == application_id
    assert held.duplicates == 0 and held.without_event == 0 and held.orphan_events == 0
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # The restarted server takes the rest; a 409 only where the killed one had committed
    # an application whose answer was lost on the way.
    log.write_text("")
    with jobfair_serve(database_url, data_dir, log) as (base_url, _pid):
        retried, _ids = await burst(base_url, unanswered, kill_pid=None)
    for pair, answer in retried.items():
        committed = (pair[0].applicant_id, pair[1]) in held.applications
        assert answer == (409 if committed else 201), (answer, committed)
    final = await stored(database_url)
    assert set(final.applications) == {(p.applicant_id, v) for p, v in pairs}
    assert final.duplicates == 0 and final.without_event == 0 and final.orphan_events == 0
    assert "Traceback" not in log.read_text() and "ERROR" not in log.read_text(), log.read_text()
