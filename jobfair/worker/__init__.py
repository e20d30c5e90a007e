"""Background work: the task registry, its two runners, and arq's ``WorkerSettings``.

``arq jobfair.worker.WorkerSettings`` (the Procfile's worker line) reads the settings
from the environment only when arq asks for ``WorkerSettings``, never at import time.
Health check: ``arq --check jobfair.worker.WorkerSettings`` exits 0 while a worker has
reported recently.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "WorkerSettings":
        from jobfair.settings import Settings
        from jobfair.worker.arq_worker import worker_settings

        return worker_settings(Settings.from_env())
    raise AttributeError(name)
