"""Fifty applicants pressing "apply" at the same moment, over real HTTP.

A real uvicorn server and 50 separate httpx clients (one connection each), every one
signed in through ``POST /api/v1/tokens``; a barrier releases all the applications at
once. SQLite must queue the writers (no "database is locked", no 5xx, nothing in the
server's error log) and keep exactly one application per applicant and vacancy — also
when every applicant sends the same application twice at once.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from support import factories
from support.live_server import serve
from support.reliability_data import OpenFair, describe, open_fair, server_errors, stored

from jobfair.settings import Settings

APPLICANTS = 50
TIMEOUT = httpx.Timeout(90.0)
# Signing 50 people in takes seconds on a loaded machine; uvicorn's default 5 s would
# close the first connections meanwhile, racing the barrier's requests.
KEEP_ALIVE = 300


async def _signed_in_clients(base_url: str, fair: OpenFair) -> list[httpx.AsyncClient]:
    """One client (and connection) per applicant, signed in with a bearer token from
    ``POST /api/v1/tokens``."""
    clients = []
    for person in fair.applicants:
        client = httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)
        clients.append(client)
        response = await client.post(
            "/api/v1/tokens", json={"email": person.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 201, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        # Opens the connection now, so the barrier releases requests, not handshakes.
        assert (await client.get("/api/v1/me")).status_code == 200
    return clients


async def _at_once(
    clients: list[httpx.AsyncClient], vacancy_id: int, copies: int
) -> list[list[httpx.Response]]:
    """Every client sends ``copies`` applications to ``vacancy_id``, all released together;
    the answers come back grouped per client (applicant)."""
    barrier = asyncio.Barrier(len(clients) * copies)

    async def one(client: httpx.AsyncClient) -> httpx.Response:
        await barrier.wait()
        return await client.post(f"/api/v1/vacancies/{vacancy_id}/applications")

    tasks = [[asyncio.create_task(one(client)) for _ in range(copies)] for client in clients]
    await asyncio.gather(*(task for group in tasks for task in group))
    return [[task.result() for task in group] for group in tasks]


async def _close(clients: list[httpx.AsyncClient]) -> None:
    await asyncio.gather(*(client.aclose() for client in clients))


async def test_fifty_applicants_at_the_same_moment(settings: Settings) -> None:
    fair = await open_fair(settings.database_url, applicants=APPLICANTS, vacancies=1)
    vacancy_id = fair.vacancy_ids[0]
    with serve(settings, timeout_keep_alive=KEEP_ALIVE) as base_url, server_errors() as errors:
        clients = await _signed_in_clients(base_url, fair)
        try:
            answers = await _at_once(clients, vacancy_id, copies=1)
        finally:
            await _close(clients)
    statuses = [group[0].status_code for group in answers]
    assert statuses == [201] * APPLICANTS, [r[0].text for r in answers if r[0].status_code != 201]
    assert not errors, describe(errors)
    held = await stored(settings.database_url)
    expected = {(person.applicant_id, vacancy_id) for person in fair.applicants}
    assert set(held.applications) == expected
    assert held.duplicates == 0 and held.without_event == 0 and held.orphan_events == 0
    # Each 201 names the application that was stored for that applicant.
    for person, group in zip(fair.applicants, answers, strict=True):
        body = group[0].json()
        assert body["id"] == held.applications[(person.applicant_id, vacancy_id)]
        assert body["status"] == "submitted"


async def test_fifty_applicants_each_sending_twice_at_once(settings: Settings) -> None:
    fair = await open_fair(settings.database_url, applicants=APPLICANTS, vacancies=1)
    vacancy_id = fair.vacancy_ids[0]
    with serve(settings, timeout_keep_alive=KEEP_ALIVE) as base_url, server_errors() as errors:
        clients = await _signed_in_clients(base_url, fair)
        # A second connection per applicant with the same token: the two copies really
        # travel side by side instead of queueing on one keep-alive connection.
        twins = [
            httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT, headers=client.headers)
            for client in clients
        ]
        try:
            for twin in twins:
                assert (await twin.get("/api/v1/me")).status_code == 200
            barrier = asyncio.Barrier(2 * APPLICANTS)

            async def one(client: httpx.AsyncClient) -> httpx.Response:
                await barrier.wait()
                return await client.post(f"/api/v1/vacancies/{vacancy_id}/applications")

            answers = await asyncio.gather(
                *(asyncio.gather(one(a), one(b)) for a, b in zip(clients, twins, strict=True))
            )
        finally:
            await _close(clients + twins)
    for first, second in answers:
        assert sorted([first.status_code, second.status_code]) == [201, 409], (
            first.text,
            second.text,
        )
        duplicate = first if first.status_code == 409 else second
        assert duplicate.json()["error"]["code"] == "conflict"
    assert not errors, describe(errors)
    held = await stored(settings.database_url)
    assert set(held.applications) == {(p.applicant_id, vacancy_id) for p in fair.applicants}
    assert held.duplicates == 0 and held.without_event == 0 and held.orphan_events == 0


@pytest.mark.parametrize("vacancies", [4])
async def test_fifty_applicants_across_vacancies_lose_nothing(
    settings: Settings, vacancies: int
) -> None:
    """Every applicant applies to several vacancies at once: the writes of one applicant
    contend with each other (the applicant row lock) and with everyone else's."""
    fair = await open_fair(settings.database_url, applicants=APPLICANTS, vacancies=vacancies)
    with serve(settings, timeout_keep_alive=KEEP_ALIVE) as base_url, server_errors() as errors:
        clients = await _signed_in_clients(base_url, fair)
        try:
            barrier = asyncio.Barrier(APPLICANTS * vacancies)

            async def one(client: httpx.AsyncClient, vacancy_id: int) -> httpx.Response:
                await barrier.wait()
                return await client.post(f"/api/v1/vacancies/{vacancy_id}/applications")

            answers = await asyncio.gather(
                *(one(client, v) for client in clients for v in fair.vacancy_ids)
            )
        finally:
            await _close(clients)
    assert [r.status_code for r in answers] == [201] * len(answers), {
        r.status_code: r.text for r in answers if r.status_code != 201
    }
    assert not errors, describe(errors)
    held = await stored(settings.database_url)
    expected = {(p.applicant_id, v) for p in fair.applicants for v in fair.vacancy_ids}
    assert set(held.applications) == expected
    assert held.duplicates == 0 and held.without_event == 0 and held.orphan_events == 0
    assert {r.json()["id"] for r in answers} == set(held.applications.values())
