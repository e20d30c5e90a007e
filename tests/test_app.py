"""The process entry points set the garbage collector and the GIL's switch interval
for serving (``app.tune_interpreter_for_serving``); ``create_app`` alone, as the tests
use it, leaves them alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jobfair.app import GC_YOUNG_THRESHOLD, SWITCH_INTERVAL

PROBE = """
import gc, json, sys
from jobfair.app import asgi, create_app
from jobfair.settings import Settings

def state():
    return {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
            "switch": sys.getswitchinterval()}

before = state()
create_app(Settings.from_env())
built = state()
asgi()
print(json.dumps({"before": before, "built": built, "served": state()}))
"""


def test_the_asgi_factory_tunes_the_collector_and_the_gil_for_many_sockets(
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
    assert state["before"]["switch"] == 0.005
    assert state["served"]["threshold"] == [GC_YOUNG_THRESHOLD, 10, 10]
    assert state["served"]["switch"] == SWITCH_INTERVAL
    # Modules, mappers and code lists: tens of thousands of objects no collection walks.
    assert state["served"]["frozen"] > 50_000
