"""An erased account leaves no readable trace in the SQLite files (UU PDP erasure):
``secure_delete`` zeroes the deleted cells and the write-ahead log is checkpointed and
emptied after the deletion, where old copies of the pages would otherwise remain."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from support import factories

from jobfair.context import AppContext


def _stored_bytes(database_url: str) -> bytes:
    path = Path(make_url(database_url).database or "")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_erased_account_leaves_no_trace_in_the_database_files(
    client: httpx.AsyncClient, ctx: AppContext, database_url: str
) -> None:
    async with ctx.read() as session:
        assert (await session.execute(text("PRAGMA secure_delete"))).scalar() == 1
    email = "erasure.subject@example.test"
    place = "Kisaran Naga Seribu"
    registered = await client.post(
        "/api/v1/applicants",
        json=factories.registration(email=email, birth_place=place),
    )
    assert registered.status_code == 201, registered.text
    token = await client.post(
        "/api/v1/tokens", json={"email": email, "password": factories.PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    assert email.encode() in _stored_bytes(database_url)
    deleted = await client.request(
        "DELETE", "/api/v1/me", json={"password": factories.PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204
    stored = _stored_bytes(database_url)
    assert email.encode() not in stored
    assert place.encode() not in stored
