"""The current locale: ``set_locale`` for a request, ``using`` for a block within one."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from jobfair import i18n


def test_using_speaks_the_locale_in_the_block_and_the_previous_one_after() -> None:
    before = i18n.current_locale()
    with i18n.using("en"):
        assert i18n.current_locale() == "en"
        assert i18n.gettext("Vacancies") == "Vacancies"
        with i18n.using("id"):
            assert i18n.current_locale() == "id"
            assert i18n.gettext("Vacancies") == "Lowongan"
        assert i18n.current_locale() == "en"  # the inner block gave back the outer locale
        assert i18n.gettext("Vacancies") == "Vacancies"
    assert i18n.current_locale() == before


def test_using_restores_the_locale_when_the_block_raises() -> None:
    with i18n.using("en"):
        with pytest.raises(RuntimeError), i18n.using("id"):
            assert i18n.current_locale() == "id"
            raise RuntimeError("boom")
        assert i18n.current_locale() == "en"


def test_using_restores_a_locale_set_for_the_request() -> None:
    def request() -> tuple[str, str]:
        i18n.set_locale("en")
        with i18n.using("id"):
            inside = i18n.current_locale()
        return inside, i18n.current_locale()

    # A context of its own, as each request has, so set_locale stays in it.
    assert contextvars.copy_context().run(request) == ("id", "en")


def test_an_unknown_locale_falls_back_to_the_default() -> None:
    with i18n.using("en"), i18n.using("xx"):
        assert i18n.current_locale() == i18n.DEFAULT_LOCALE
    assert contextvars.copy_context().run(lambda: (i18n.set_locale("xx"), i18n.current_locale()))[
        1
    ] == (i18n.DEFAULT_LOCALE)


async def test_concurrent_tasks_each_keep_their_own_locale() -> None:
    async def speak(locale: str) -> list[str]:
        heard = []
        with i18n.using(locale):
            for _ in range(3):
                await asyncio.sleep(0)  # let the other task run inside its own block
                heard.append(i18n.gettext("Vacancies"))
        return heard

    assert await asyncio.gather(speak("id"), speak("en")) == [["Lowongan"] * 3, ["Vacancies"] * 3]
