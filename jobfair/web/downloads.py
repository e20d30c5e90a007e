"""Every file download's answer: ``Content-Disposition: attachment`` with the file's
name twice — an ASCII ``filename`` for old clients and the UTF-8 ``filename*`` of
RFC 6266/5987 ("laporan-bursa-ñ.pdf" keeps its letters) — and ``private, no-store``,
since every download here is someone's data or an office's report.

The one home of that header: the report, the company's applicant exports, the CVs and
the applicant's own data all answer through it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from starlette.responses import FileResponse, Response

# Letters a quoted-string fallback may keep; anything else (quotes, slashes, control
# characters, non-ASCII) becomes "-", so a name cannot break out of the header.
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def ascii_fallback(filename: str) -> str:
    """``filename`` in ASCII for the plain ``filename=`` parameter: accents dropped,
    other characters replaced."""
    decomposed = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", decomposed).strip(" .-") or "download"


def content_disposition(filename: str, kind: str = "attachment") -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` (RFC 6266 with RFC 5987);
    ``kind`` "inline" for a file shown in a page (the CV preview)."""
    return (
        f'{kind}; filename="{ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def _headers(filename: str, kind: str = "attachment") -> dict[str, str]:
    return {
        "Content-Disposition": content_disposition(filename, kind),
        "Cache-Control": "private, no-store",
    }


def download(body: bytes | str, media_type: str, filename: str) -> Response:
    """A download built in memory."""
    return Response(body, media_type=media_type, headers=_headers(filename))


def file_download(
    path: Path, media_type: str, filename: str, *, inline: bool = False
) -> FileResponse:
    """A download of a stored file, or with ``inline`` the file shown in a page."""
    return FileResponse(
        path,
        media_type=media_type,
        headers=_headers(filename, "inline" if inline else "attachment"),
    )
