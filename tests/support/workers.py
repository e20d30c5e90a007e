"""Which pytest-xdist worker this process is, and the shared resources that are its own.

``pytest`` runs on two workers (``-n 2`` in pyproject.toml). Each worker is a process of its
own that runs its share of the tests one at a time, so a resource that tests assume to be
theirs alone must be one per worker:

- PostgreSQL: each worker creates its own database (``jobfair_test_gw0_…``) on the server of
  ``JOBFAIR_TEST_DATABASE_URL`` (tests/conftest.py) and drops it at the end.
- Redis: worker ``gwN`` uses database ``(base + N) % 16`` of the server of
  ``JOBFAIR_TEST_REDIS_URL``, whose path names the base (``redis://…:6379/0`` → gw0 on db 0,
  gw1 on db 1). Without xdist (``-n 0``) the tests use the base itself. A test that needs an
  empty Redis empties its worker's database, never another.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # redis-server's default ``databases``


def worker_name() -> str:
    """``gw0``, ``gw1``… under xdist; ``main`` without it."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_index() -> int:
    """N of worker ``gwN``; 0 without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw"))


def worker_count() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))


def redis_database(base: int, index: int, count: int) -> int:
    """The Redis database of worker ``index`` of ``count`` over ``base``: distinct per worker
    as long as there are no more workers than Redis has databases."""
    if count > REDIS_DATABASES:
        raise ValueError(
            f"{count} workers but Redis has {REDIS_DATABASES} databases: run with -n 16 or fewer"
        )
    return (base + index) % REDIS_DATABASES


def worker_redis_url(url: str) -> str:
    """``url`` with its database number replaced by this worker's own."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path else 0
    own = redis_database(base, worker_index(), worker_count())
    return urlunsplit(parts._replace(path=f"/{own}"))
