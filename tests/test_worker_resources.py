"""The Redis database each xdist worker gets (tests/support/workers.py): one of its own,
derived from the base of ``JOBFAIR_TEST_REDIS_URL``, never a neighbour's."""

from __future__ import annotations

import pytest
from support import workers


def test_two_workers_over_base_zero_use_databases_zero_and_one() -> None:
    assert [workers.redis_database(0, index, 2) for index in range(2)] == [0, 1]


def test_the_databases_wrap_around_and_stay_distinct() -> None:
    assert [workers.redis_database(15, index, 2) for index in range(2)] == [15, 0]
    every = [workers.redis_database(7, index, 16) for index in range(16)]
    assert sorted(every) == list(range(16))


def test_more_workers_than_redis_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="16 databases"):
        workers.redis_database(0, 0, 17)


def test_the_worker_url_replaces_only_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    assert workers.worker_redis_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert workers.worker_redis_url("redis://:pw@cache:6380/4") == "redis://:pw@cache:6380/5"
    assert workers.worker_redis_url("redis://cache") == "redis://cache/1"  # no db: base 0
    assert workers.worker_name() == "gw1"


def test_without_xdist_the_base_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    assert workers.worker_redis_url("redis://127.0.0.1:6379/3") == "redis://127.0.0.1:6379/3"
    assert workers.worker_name() == "main"
