"""Status notices come from fixed message keys only: an address cannot make a page show
words of someone else's choosing (``?result=`` was echoed as the page's notice)."""

from __future__ import annotations

from support.security_world import (
    World,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)

PLANTED = "Akun Anda diblokir, hubungi 0812-0000-0000"


async def test_free_text_in_the_address_is_never_shown(world: World) -> None:
    recruiter, organiser = world.actors["recruiter"], world.actors["organiser"]
    slug = world.owned["fair_a"]
    pages = {
        "applications": (recruiter, f"/company/applications?result={PLANTED}&notice={PLANTED}"),
        "application": (
            recruiter,
            f"/company/applications/{world.owned['application_a']}?result={PLANTED}",
        ),
        "queue": (organiser, f"/organiser/fairs/{slug}/queue?result={PLANTED}&notice=x"),
        "report": (organiser, f"/organiser/fairs/{slug}/report?result={PLANTED}"),
    }
    for name, (actor, path) in pages.items():
        page = await actor.browser.get(path)
        assert page.status_code == 200, name
        assert "diblokir" not in page.text, name


async def test_a_known_key_shows_its_own_text_with_whole_numbers_only(world: World) -> None:
    recruiter = world.actors["recruiter"]
    recruiter.browser.cookies.set("lang", "en")
    page = await recruiter.browser.get("/company/applications?notice=staged&count=3&refused=1")
    assert "3 staged; send the decisions when you are ready. 1 could not change." in page.text
    odd = await recruiter.browser.get(f"/company/applications?notice=staged&count={PLANTED}")
    assert "diblokir" not in odd.text and "0 staged" in odd.text
