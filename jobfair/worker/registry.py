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


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    def register(function: TaskFunction) -> TaskFunction:
        if name in TASKS:
            raise ValueError(f"task {name!r} registered twice")
        TASKS[name] = function
        return function

    return register


async def run_task(ctx: AppContext, name: str, **kwargs: Any) -> Any:
    return await TASKS[name](ctx, **kwargs)
