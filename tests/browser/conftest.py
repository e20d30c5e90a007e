"""Fixtures of the browser journeys: a fresh database with the scene of ``scene.py``
served by uvicorn in a thread, and Playwright's sync API."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import require_browser, serve
from scene import Scene, build_scene, run_async

from jobfair.settings import Settings


def _settings(folder: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'journeys.sqlite3'}",
        secret_key="browser-test-secret",
        nik_key="browser-test-nik-key",
        data_dir=folder / "data",
        sweep_seconds=0,
    )


@pytest.fixture(scope="session")
def scene_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The scene's database, built once (migrations and password hashes take seconds);
    each test gets its own copy."""
    require_browser()
    folder = tmp_path_factory.mktemp("scene")
    settings = _settings(folder)
    built = run_async(lambda: build_scene(settings))
    return folder / "journeys.sqlite3", built


@pytest.fixture
def scene(scene_template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Scene]:
    database, built = scene_template
    # Closed cleanly, SQLite has folded its WAL back into the file: one file to copy.
    assert not database.with_name(database.name + "-wal").exists()
    shutil.copyfile(database, tmp_path / database.name)
    settings = _settings(tmp_path)
    with serve(settings) as base:
        yield Scene(base=base, settings=settings, **built)


@pytest.fixture
def pw() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver
