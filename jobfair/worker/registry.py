"""The one registry of background tasks, shared by the arq and in-process runners.

A task is ``async def task(ctx: AppContext, **ids) -> object``: it takes ids, re-reads
state and is idempotent, because arq may run it again after a worker dies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jobfair.context import AppContext

TaskFunction = Callable[..., Awaitable[Any]]
TASKS: dict[str, TaskFunction] = {}

# Both runners stop a task after TASK_TIMEOUT seconds and try it at most MAX_TRIES times
# (arq by its own job retries; the in-process runner with RETRY_BACKOFF doubling).
# Seconds. The longest task is the report compile: about 25 s for a fair of a million
# applications on SQLite on a loaded 2-core machine (bench/README.md), milliseconds at
# Asahan's size. arq re-runs a dead worker's job TASK_TIMEOUT + 10 s after it started
# (its in-progress key lives that long), so this bound is also how long a job killed
# with its worker waits: about two minutes, not the ten that 600 s meant.
TASK_TIMEOUT = 120.0
MAX_TRIES = 5
RETRY_BACKOFF = 5.0  # seconds before the second try; doubled for each further one


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    def register(function: TaskFunction) -> TaskFunction:
        if name in TASKS:
            raise ValueError(f"task {name!r} registered twice")
        TASKS[name] = function
        return function

    return register


async def run_task(ctx: AppContext, name: str, **kwargs: Any) -> Any:
    return await TASKS[name](ctx, **kwargs)
