"""Redis going away and coming back while applicants apply.

With ``JOBFAIR_REDIS_URL`` set the rate limits and the task queue (and the live
counters) use Redis, but the database is the truth: an application must be accepted
(201) whether Redis is up, down or restarting, and none may be lost. The test starts
its own ``redis-server`` on a free port (the shared one serves other tests) and kills
and restarts that one.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis
from support.live_server import serve
from support.own_redis import (
    OwnRedis,
    own_redis_fixture,  # noqa: F401 - the ``own_redis`` fixture
)
from support.reliability_data import Applicant, open_fair, stored

from jobfair.settings import Settings

pytestmark = pytest.mark.redis

APPLICANTS = 20
VACANCIES = 6
CONNECTIONS = 8
TIMEOUT = httpx.Timeout(60.0)


Pair = tuple[Applicant, int]


async def _apply_all(client: httpx.AsyncClient, pairs: list[Pair]) -> dict[Pair, httpx.Response]:
    queue = list(pairs)
    answers: dict[Pair, httpx.Response] = {}

    async def worker() -> None:
        while queue:
            person, vacancy_id = pair = queue.pop()
            answers[pair] = await client.post(
                f"/api/v1/vacancies/{vacancy_id}/applications",
                headers={"Authorization": f"Bearer {person.token}"},
            )

    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return answers


async def test_applications_accepted_while_redis_restarts(
    settings: Settings, own_redis: OwnRedis
) -> None:
    settings = settings.with_overrides(redis_url=own_redis.url, in_process_worker=False)
    fair = await open_fair(
        settings.database_url, applicants=APPLICANTS, vacancies=VACANCIES, tokens=True
    )
    pairs = [(person, v) for v in fair.vacancy_ids for person in fair.applicants]
    third = len(pairs) // 3
    up, down, back = pairs[:third], pairs[third : 2 * third], pairs[2 * third :]
    limits = httpx.Limits(max_connections=CONNECTIONS)
    with serve(settings) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, limits=limits) as client:
            answers = await _apply_all(client, up)
            own_redis.kill()
            answers |= await _apply_all(client, down)
            # Restart Redis while the last third is on its way.
            restart = asyncio.create_task(asyncio.to_thread(own_redis.start))
            answers |= await _apply_all(client, back)
            await restart
            # Redis is back and in use again: one more applicant's application goes
            # through the Redis rate limiter.
            extra_vacancy = fair.vacancy_ids[0]
            late = fair.applicants[0]
            again = await client.post(
                f"/api/v1/vacancies/{extra_vacancy}/applications",
                headers={"Authorization": f"Bearer {late.token}"},
            )
    bad = {pair[1]: r.text for pair, r in answers.items() if r.status_code != 201}
    assert not bad, bad
    assert again.status_code == 409  # a duplicate, judged by the database as always
    held = await stored(settings.database_url)
    assert set(held.applications) == {(p.applicant_id, v) for p, v in pairs}
    assert {r.json()["id"] for r in answers.values()} == set(held.applications.values())
    assert held.duplicates == 0 and held.without_event == 0 and held.orphan_events == 0
    # The rate limiter writes to Redis again once it is back.
    assert redis.Redis.from_url(own_redis.url).dbsize() > 0
