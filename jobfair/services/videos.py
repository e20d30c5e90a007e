"""A booth's video link as an embedded player: YouTube and Vimeo links become their
privacy-enhanced players (no cookies until the visitor plays, no tracking), any other
address stays a plain link.

The players' origins are the only ones the Content-Security-Policy lets a page frame
(``frame-src``, see ``jobfair.web.middleware``), so both read :data:`FRAME_ORIGINS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"
VIMEO_PLAYER = "https://player.vimeo.com"
FRAME_ORIGINS = (YOUTUBE_PLAYER, VIMEO_PLAYER)

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
# An unlisted Vimeo video's key (vimeo.com/123/abc123def0), needed by its player.
_VIMEO_KEY = re.compile(r"[0-9a-f]{6,20}")
_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "www.youtube-nocookie.com"}
)
_VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})


@dataclass(frozen=True)
class VideoEmbed:
    provider: str  # "YouTube" | "Vimeo": a name shown as it is
    video_id: str
    src: str


def _youtube_id(host: str, path: str, query: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if host == "youtu.be":
        candidate = parts[0] if len(parts) == 1 else None
    elif host in _YOUTUBE_HOSTS:
        if parts == ["watch"]:
            candidate = (parse_qs(query).get("v") or [None])[0]
        elif len(parts) == 2 and parts[0] in ("shorts", "embed", "live"):
            candidate = parts[1]
        else:
            candidate = None
    else:
        return None
    return candidate if candidate and _YOUTUBE_ID.fullmatch(candidate) else None


def _vimeo(host: str, path: str) -> tuple[str, str | None] | None:
    if host not in _VIMEO_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if host == "player.vimeo.com":
        if len(parts) != 2 or parts[0] != "video":
            return None
        parts = parts[1:]
    if not 1 <= len(parts) <= 2 or not _VIMEO_ID.fullmatch(parts[0]):
        return None
    if len(parts) == 2 and not _VIMEO_KEY.fullmatch(parts[1]):
        return None
    return parts[0], parts[1] if len(parts) == 2 else None


def video_embed(url: str | None) -> VideoEmbed | None:
    """The player for a YouTube (``watch?v=``, ``youtu.be/``, ``shorts/``, ``embed/``)
    or Vimeo (``vimeo.com/123``) link; None for anything else, malformed links too."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        # Reading the port checks it; a link with one (or with a user name) is not a
        # plain share link, and a look-alike could hide behind it.
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or port is not None or parts.username:
        return None
    host = (parts.hostname or "").lower()
    if video_id := _youtube_id(host, parts.path, parts.query):
        return VideoEmbed("YouTube", video_id, f"{YOUTUBE_PLAYER}/embed/{video_id}")
    if vimeo := _vimeo(host, parts.path):
        video_id, key = vimeo
        extra = f"&h={key}" if key else ""
        return VideoEmbed("Vimeo", video_id, f"{VIMEO_PLAYER}/video/{video_id}?dnt=1{extra}")
    return None
