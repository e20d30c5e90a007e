"""A booth's video link: YouTube and Vimeo links become their privacy-enhanced players,
everything else (look-alikes, malformed links, other sites) stays a plain link."""

from __future__ import annotations

import pytest

from jobfair.services.videos import FRAME_ORIGINS, VideoEmbed, video_embed

YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "  https://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ ",
    ],
)
def test_youtube_links(url: str) -> None:
    assert video_embed(url) == VideoEmbed("YouTube", "dQw4w9WgXcQ", YT)


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.vimeo.com/76979871/", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/76979871/abc123def0",
            "https://player.vimeo.com/video/76979871?dnt=1&h=abc123def0",
        ),
    ],
)
def test_vimeo_links(url: str, src: str) -> None:
    embed = video_embed(url)
    assert embed is not None and embed.provider == "Vimeo" and embed.src == src


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "https://video.example/promo",
        "https://www.youtube.com/",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ-too-long",
        "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",  # a quote in the id
        "https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ/extra",
        "https://youtu.be/",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
        "https://[::1/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/",
        "https://vimeo.com/channels/staffpicks",
        "https://vimeo.com/76979871/not-a-key",
        "https://vimeo.com/1234567890123",
        "https://player.vimeo.com/76979871",
        "https://vimeo.com.evil.example/76979871",
    ],
)
def test_other_links_are_not_embedded(url: str | None) -> None:
    assert video_embed(url) is None


def test_players_are_the_only_frame_origins() -> None:
    assert FRAME_ORIGINS == ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
    for url in ("https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/76979871"):
        embed = video_embed(url)
        assert embed is not None and embed.src.startswith(FRAME_ORIGINS)
