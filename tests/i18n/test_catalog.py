"""Every user-facing message in the code and templates has an Indonesian translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jobfair import i18n

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [("jobfair/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _extracted() -> set[str]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, OPTIONS
    ):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_every_message_has_an_indonesian_translation() -> None:
    path = ROOT / "jobfair/i18n/locales/id/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(_extracted() - translated)
    assert missing == [], f"run the steps of jobfair/i18n/README.md; untranslated: {missing}"


def test_gettext_follows_the_current_locale() -> None:
    i18n.set_locale("id")
    assert i18n.gettext("Vacancies") == "Lowongan"
    assert i18n.ngettext("%(count)s booth", "%(count)s booths", 3, count=3) == "3 stan"
    i18n.set_locale("en")
    assert i18n.gettext("Vacancies") == "Vacancies"
    assert i18n.ngettext("%(count)s booth", "%(count)s booths", 1, count=1) == "1 booth"
    i18n.set_locale("xx")  # unknown locales fall back to the default
    assert i18n.current_locale() == "id"
