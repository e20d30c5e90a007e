"""Hostile uploads for the CV (page and API) and the booth logo.

Each payload must be refused with the documented status (413 too large, 415 not the
type, 422 unreadable or empty) and leave nothing behind: no file under the uploads
folder and no row. The body limit holds when Content-Length lies or is absent.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from support import factories
from support.security_world import (
    World,
    png_bytes,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)

from jobfair.models import Cv
from jobfair.models.companies import Booth
from jobfair.services.applicants import CV_MAX_BYTES
from jobfair.services.companies import LOGO_MAX_BYTES

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_bomb(side: int = 100_000) -> bytes:
    """A PNG header announcing ``side`` × ``side`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _png_chunk(b"IEND", b"")
    )


def _pdf(build: Callable[[Any], None]) -> bytes:
    """A one-page PDF whose writer ``build`` changes (an action, an attachment)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action(kind: str, **entries: str) -> Callable[[Any], None]:
    def build(writer: Any) -> None:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject({NameObject("/S"): NameObject(kind)})
        for key, value in entries.items():
            action[NameObject(f"/{key}")] = TextStringObject(value)
        writer._root_object[NameObject("/OpenAction")] = action

    return build


def _page_open_destination(writer: Any) -> None:
    """What Word's PDFs carry: open at page 1, fit width. Harmless."""
    from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(0)]
    )


def _attachment(writer: Any) -> None:
    writer.add_attachment("payload.exe", b"MZ" + b"\x00" * 64)


PDF = factories.pdf_bytes()
# name → (bytes, declared content type, expected status for the CV)
CV_PAYLOADS: dict[str, tuple[bytes, str, int]] = {
    "gif magic": (b"GIF89a" + b"\x00" * 200, "application/pdf", 415),
    "html named pdf": (HTML, "application/pdf", 415),
    "html before pdf": (HTML + PDF, "application/pdf", 415),
    "pdf then html (polyglot)": (PDF + HTML, "application/pdf", 415),
    "pdf then zip (polyglot)": (PDF + _zip(), "application/pdf", 415),
    "pdf header, garbage": (b"%PDF-1.7\n" + bytes(range(256)) * 40, "application/pdf", 422),
    "pdf header only": (b"%PDF-", "application/pdf", 422),
    "empty": (b"", "application/pdf", 422),
    "too large": (factories.pdf_bytes(padding=CV_MAX_BYTES), "application/pdf", 413),
    "javascript on open": (
        _pdf(_open_action("/JavaScript", JS="app.alert(1)")),
        "application/pdf",
        415,
    ),
    "launch on open": (_pdf(_open_action("/Launch", F="cmd.exe")), "application/pdf", 415),
    "embedded file": (_pdf(_attachment), "application/pdf", 415),
}
LOGO_PAYLOADS: dict[str, tuple[bytes, str, int]] = {
    "gif": (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", 415),
    "jpeg that is html": (HTML, "image/jpeg", 415),
    "pdf": (PDF, "image/png", 415),
    "png header, garbage": (b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "image/png", 415),
    "decompression bomb": (_png_bomb(), "image/png", 415),
    # 100 million pixels: under Pillow's bomb limit, over the logo's.
    "ten thousand square": (_png_bomb(10_000), "image/png", 413),
    "empty": (b"", "image/png", 422),
    "too large": (png_bytes() + b"\x00" * (LOGO_MAX_BYTES + 1), "image/png", 413),
}
BAD_NAMES = ["../../../../etc/passwd.pdf", "cv\x00.pdf.html", "x" * 5000 + ".pdf", "..\\..\\cv.pdf"]


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


async def _cv_rows(world: World) -> int:
    async with world.ctx.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Cv)) or 0)


async def _logo(world: World) -> str | None:
    async with world.ctx.read() as session:
        booth = await session.get(Booth, world.owned["booth_a"])
        assert booth is not None
        return booth.logo_file


@pytest.fixture
def uploads(world: World) -> Path:
    return world.app.state.settings.uploads_dir


async def _refused(world: World, uploads: Path, send: Callable[[], object], status: int) -> None:
    files, rows, logo = _files(uploads), await _cv_rows(world), await _logo(world)
    response = await send()  # type: ignore[misc]
    assert isinstance(response, httpx.Response)
    assert response.status_code == status, response.text[:300]
    assert _files(uploads) == files, "a refused upload left a file behind"
    assert await _cv_rows(world) == rows
    assert await _logo(world) == logo
    assert "<script>alert" not in response.text


async def test_hostile_cvs_are_refused_on_the_page_and_the_api(world: World, uploads: Path) -> None:
    applicant = world.actors["applicant"]
    for name, (data, content_type, status) in CV_PAYLOADS.items():

        def page(data: bytes = data, content_type: str = content_type) -> object:
            return applicant.browser.post(
                "/me/cv",
                data={"csrf_token": applicant.csrf},
                files={"file": ("cv.pdf", data, content_type)},
            )

        def raw(data: bytes = data, content_type: str = content_type) -> object:
            return applicant.api.put(
                "/api/v1/me/cv", content=data, headers={"Content-Type": content_type}
            )

        def multipart(data: bytes = data, content_type: str = content_type) -> object:
            return applicant.api.put(
                "/api/v1/me/cv", files={"file": ("cv.pdf", data, content_type)}
            )

        for send in (page, raw, multipart):
            try:
                await _refused(world, uploads, send, status)
            except AssertionError as error:
                raise AssertionError(f"{name} via {send.__name__}: {error}") from error
    await _wrong_content_type(world, uploads)
    await _hostile_names(world, uploads)


async def _wrong_content_type(world: World, uploads: Path) -> None:
    api = world.actors["applicant"].api
    for content_type in ("text/html", "application/octet-stream", "image/png", ""):
        await _refused(
            world,
            uploads,
            lambda content_type=content_type: api.put(
                "/api/v1/me/cv", content=PDF, headers={"Content-Type": content_type}
            ),
            415,
        )


async def _chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_the_body_limit_holds_without_or_against_content_length(
    world: World, uploads: Path
) -> None:
    applicant = world.actors["applicant"]
    huge = factories.pdf_bytes(padding=8 * 1024 * 1024)
    # Chunked, no Content-Length: read up to the limit, then 413.
    await _refused(
        world,
        uploads,
        lambda: applicant.api.put(
            "/api/v1/me/cv", content=_chunks(huge), headers={"Content-Type": "application/pdf"}
        ),
        413,
    )
    boundary = "jobfairboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{applicant.csrf}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="cv.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + huge
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    await _refused(
        world,
        uploads,
        lambda: applicant.browser.post("/me/cv", content=_chunks(body), headers=headers),
        413,
    )
    # A Content-Length that claims a small body while a huge one follows.
    for path, client in (("/me/cv", applicant.browser), ("/api/v1/me/cv", applicant.api)):
        request = client.build_request(
            "POST" if path == "/me/cv" else "PUT",
            path,
            content=body if path == "/me/cv" else huge,
            headers=headers if path == "/me/cv" else {"Content-Type": "application/pdf"},
        )
        request.headers["Content-Length"] = "1000"
        await _refused(
            world, uploads, lambda request=request, client=client: client.send(request), 413
        )
    # A declared size over the limit is refused before the body is read.
    logo_path = f"/company/booths/{world.owned['booth_a']}/logo"
    recruiter = world.actors["recruiter"]
    request = recruiter.browser.build_request(
        "POST", logo_path, content=b"x" * 10, headers={"Content-Type": headers["Content-Type"]}
    )
    request.headers["Content-Length"] = str(50 * 1024 * 1024)
    await _refused(world, uploads, lambda: recruiter.browser.send(request), 413)
    await _streamed_body(world)


async def test_hostile_logos_are_refused(world: World, uploads: Path) -> None:
    recruiter = world.actors["recruiter"]
    path = f"/company/booths/{world.owned['booth_a']}/logo"
    for name, (data, content_type, status) in LOGO_PAYLOADS.items():
        try:
            await _refused(
                world,
                uploads,
                lambda data=data, content_type=content_type: recruiter.browser.post(
                    path,
                    data={"csrf_token": recruiter.csrf},
                    files={"logo": ("logo.jpg", data, content_type)},
                ),
                status,
            )
        except AssertionError as error:
            raise AssertionError(f"logo {name}: {error}") from error


async def _hostile_names(world: World, uploads: Path) -> None:
    """A valid PDF under a hostile name is stored under a random name inside the
    uploads folder; the name shown back is cleaned (no path, no NUL, bounded)."""
    applicant = world.actors["applicant"]
    for name in BAD_NAMES:
        before = _files(uploads)
        response = await applicant.api.put(
            "/api/v1/me/cv", files={"file": (name, PDF, "application/pdf")}
        )
        if response.status_code == 400:
            # The multipart parser refuses a part header this long: nothing stored.
            assert len(name) > 1000 and _files(uploads) == before
            continue
        assert response.status_code == 201, (name, response.text)
        stored = response.json()["filename"]
        assert "/" not in stored and "\\" not in stored and "\x00" not in stored
        assert len(stored) <= 155 and stored.endswith(".pdf")
        new = _files(uploads) - before
        assert len(new) == 1
        (written,) = new
        assert written.parent == uploads / "cv" and written.name != stored
        page = await applicant.browser.post(
            "/me/cv",
            data={"csrf_token": applicant.csrf},
            files={"file": (name, PDF, "application/pdf")},
        )
        assert page.status_code == 303
        download = await applicant.browser.get("/me/cv")
        disposition = download.headers["content-disposition"]
        assert disposition.startswith("attachment") and "/" not in disposition.split("filename")[1]
        assert download.headers["x-content-type-options"] == "nosniff"
    # The previous CVs were replaced, not piled up.
    assert len(_files(uploads / "cv")) == 2  # applicant A's and applicant B's


async def _streamed_body(world: World) -> None:
    """The app stops pulling a chunked body soon after the limit, whatever the route
    (a form post here): a client cannot make it buffer or spool gigabytes."""
    from jobfair.web.middleware import MAX_BODY_BYTES

    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(200):  # 12.8 MB, six times the limit
            pulled += 64 * 1024
            yield b"a" * (64 * 1024)

    anonymous = world.actors["anonymous"]
    response = await anonymous.browser.post(
        "/login",
        content=endless(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    # Starlette's form parser refuses a field over 1 MB (400) before our limit (413).
    assert response.status_code in (400, 413)
    assert pulled <= MAX_BODY_BYTES + 2 * 64 * 1024
    pulled = 0
    api = await anonymous.api.post(
        "/api/v1/applicants", content=endless(), headers={"Content-Type": "application/json"}
    )
    assert api.status_code == 413, api.text
    assert api.json()["error"]["code"] == "payload_too_large"
    assert pulled <= MAX_BODY_BYTES + 2 * 64 * 1024


async def test_a_plain_cv_that_opens_at_page_one_is_accepted(world: World) -> None:
    """Word's PDFs name a destination to open at; only actions that run code are refused."""
    applicant = world.actors["applicant"]
    response = await applicant.api.put(
        "/api/v1/me/cv",
        content=_pdf(_page_open_destination),
        headers={"Content-Type": "application/pdf"},
    )
    assert response.status_code == 201, response.text
    refused = await applicant.api.put(
        "/api/v1/me/cv",
        content=_pdf(_open_action("/JavaScript", JS="app.alert(1)")),
        headers={"Content-Type": "application/pdf"},
    )
    assert refused.status_code == 415 and refused.json()["error"]["fields"]["file"]
