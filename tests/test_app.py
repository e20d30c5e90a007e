"""The process entry points set the garbage collector for serving (``app.tune_gc_for_serving``);
``create_app`` alone, as the tests use it, leaves it alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jobfair.app import GC_YOUNG_THRESHOLD

PROBE = """
import gc, json
from jobfair.app import asgi, create_app
from jobfair.settings import Settings

before = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
create_app(Settings.from_env())
built = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
asgi()
served = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
print(json.dumps({"before": before, "built": built, "served": served}))
"""


def test_the_asgi_factory_freezes_start_up_objects_and_collects_young_objects_rarely(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "JOBFAIR_DATA_DIR": str(tmp_path)}
    env.pop("JOBFAIR_DATABASE_URL", None)
    ran = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    state = json.loads(ran.stdout.strip().splitlines()[-1])
    default = [700, 10, 10]
    assert state["before"]["threshold"] == default
    assert state["built"] == state["before"]  # create_app alone changes nothing
    assert state["served"]["threshold"] == [GC_YOUNG_THRESHOLD, 10, 10]
    # Modules, mappers and code lists: tens of thousands of objects no collection walks.
    assert state["served"]["frozen"] > 50_000
