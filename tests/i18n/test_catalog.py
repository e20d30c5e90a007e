"""The Indonesian catalog keeps up with the code: every user-facing message in the code and
templates has a translation, the template and the catalog are what ``pybabel extract`` and
``pybabel update`` make of the code today, nothing is fuzzy, and translations keep their
placeholders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.pofile import read_po

from jobfair import i18n

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "jobfair/i18n/messages.pot"
PO = ROOT / "jobfair/i18n/locales/id/LC_MESSAGES/messages.po"
STEPS = "run the steps of jobfair/i18n/README.md"


def _pybabel(*args: str) -> subprocess.CompletedProcess[str]:
    """Babel's own command line, from the root so it reads its options in pyproject.toml."""
    return subprocess.run(  # noqa: S603 - our own interpreter running Babel
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _shape(catalog: Catalog) -> list[tuple[object, ...]]:
    """What the template says about each message, without its dates."""
    return [(m.id, m.context, sorted(m.flags), m.auto_comments) for m in catalog if m.id]


def _untranslated(catalog: Catalog, wanted: set[str]) -> list[str]:
    translated = {
        _key(m)
        for m in catalog
        if m.id
        and not m.fuzzy
        and (m.string if isinstance(m.string, str) else m.string and all(m.string))
    }
    return sorted(wanted - translated)


def _fuzzy(catalog: Catalog) -> list[str]:
    return [_key(m) for m in catalog if m.id and m.fuzzy]


def _names(text: str) -> set[str]:
    return {name for name, _spec, _kind in PYTHON_FORMAT.findall(text) if name}


def _placeholder_problems(catalog: Catalog) -> list[str]:
    """Babel's checks (placeholders unknown to the msgid, mixed kinds, plural forms), and
    what they allow: a translation that leaves out a placeholder of its msgid."""
    problems = [f"{_key(m)!r}: {error}" for m, errors in catalog.check() for error in errors]
    for message in catalog:
        if not message.id or not message.python_format:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for index, text in enumerate(strings):
            if not text:
                continue  # untranslated: _untranslated speaks of it
            if len(strings) == 1:
                # One form serves every count (Indonesian), so it needs every name.
                wanted = set().union(*map(_names, ids))
            else:
                wanted = _names(ids[min(index, len(ids) - 1)])
            for name in sorted(wanted - _names(text)):
                problems.append(f"{_key(message)!r}: msgstr[{index}] lacks %({name})s")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """``pybabel extract`` of the code as it is now, into a scratch template."""
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    run = _pybabel("extract", "-o", str(output))
    assert run.returncode == 0, run.stderr
    return _read(output)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return _read(PO, locale="id")


def test_every_message_has_an_indonesian_translation(extracted: Catalog, catalog: Catalog) -> None:
    missing = _untranslated(catalog, {_key(m) for m in extracted if m.id})
    assert missing == [], f"{STEPS}; untranslated: {missing}"


def test_the_template_is_what_extract_makes_of_the_code(extracted: Catalog) -> None:
    assert _shape(_read(POT)) == _shape(extracted), f"{STEPS}: pybabel extract"


def test_the_catalog_is_what_update_makes_of_the_template(tmp_path: Path) -> None:
    # A copy: `update --check` writes its scratch file beside the catalog it checks.
    copy = tmp_path / "messages.po"
    shutil.copy(PO, copy)
    run = _pybabel("update", "--check", "--ignore-pot-creation-date", "-l", "id", "-o", str(copy))
    assert run.returncode == 0, f"{STEPS}: pybabel update\n{run.stderr}"


def test_update_check_sees_a_catalog_behind_its_template(tmp_path: Path) -> None:
    behind = tmp_path / "messages.po"
    text = PO.read_text(encoding="utf-8")
    entry = 'msgid "Vacancies"\nmsgstr "Lowongan"\n\n'
    assert entry in text
    behind.write_text(text.replace(entry, ""), encoding="utf-8")
    run = _pybabel("update", "--check", "--ignore-pot-creation-date", "-l", "id", "-o", str(behind))
    assert run.returncode != 0


def test_no_entry_is_fuzzy(catalog: Catalog) -> None:
    # The app leaves fuzzy entries out (write_mo), so they would show in English.
    assert _fuzzy(catalog) == [], "review these and drop their `#, fuzzy` line"


def test_translations_keep_their_placeholders(catalog: Catalog) -> None:
    assert _placeholder_problems(catalog) == []


def test_the_checks_see_bad_translations() -> None:
    bad = Catalog(locale="id")
    bad.add("Apply by %(date)s", "Lamar sebelum %(tanggal)s")  # misspelt name
    bad.add("%(low)s to %(high)s years", "%(low)s tahun")  # dropped name
    bad.add(("%(count)s booth", "%(count)s booths"), ("stan",))  # plural drops the count
    bad.add("Vacancies", "Lowongan", flags=["fuzzy"])
    bad.add("Salary", "")
    bad.add("Fine %(name)s", "Baik %(name)s")
    problems = _placeholder_problems(bad)
    assert any("'Apply by %(date)s'" in p and "tanggal" in p for p in problems)
    assert "'%(low)s to %(high)s years': msgstr[0] lacks %(high)s" in problems
    assert "'%(count)s booth': msgstr[0] lacks %(count)s" in problems
    assert not any("Fine" in p for p in problems)
    assert _fuzzy(bad) == ["Vacancies"]
    assert _untranslated(bad, {"Vacancies", "Salary", "Fine %(name)s", "Missing"}) == [
        "Missing",
        "Salary",
        "Vacancies",
    ]


def test_gettext_follows_the_current_locale() -> None:
    with i18n.using("id"):
        assert i18n.gettext("Vacancies") == "Lowongan"
        assert i18n.ngettext("%(count)s booth", "%(count)s booths", 3, count=3) == "3 stan"
    with i18n.using("en"):
        assert i18n.gettext("Vacancies") == "Vacancies"
        assert i18n.ngettext("%(count)s booth", "%(count)s booths", 1, count=1) == "1 booth"
