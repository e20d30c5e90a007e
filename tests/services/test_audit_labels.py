"""Every audit action recorded anywhere in jobfair/ has a label in the one mapping
(``services.audit.ACTION_LABELS``), in English and Indonesian."""

from __future__ import annotations

import ast
from pathlib import Path

import jobfair
from jobfair import i18n
from jobfair.services import audit

PACKAGE = Path(jobfair.__file__).parent


def _recorded_actions() -> dict[str, str]:
    """Each string that can be the action of an ``audit.record(session, action, …)``
    call (both branches of ``"a" if x else "b"``), with where it is recorded."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "record" or not any(k.arg == "object_type" for k in node.keywords):
                continue
            for part in ast.walk(node.args[1]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found[part.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_the_scan_finds_the_calls() -> None:
    actions = _recorded_actions()
    # Plain strings and both sides of a conditional are found.
    assert {"fair.published", "company.verified", "company.rejected"} <= set(actions)
    assert len(actions) >= 40


def test_every_recorded_action_has_a_label() -> None:
    recorded = _recorded_actions()
    missing = {code: where for code, where in recorded.items() if code not in audit.ACTION_LABELS}
    assert missing == {}


def test_labels_are_translated() -> None:
    with i18n.using("id"):
        assert audit.action_label("vacancy.verified") == "Lowongan diverifikasi"
    with i18n.using("en"):
        assert audit.action_label("vacancy.verified") == "Vacancy verified"
    # An action no longer recorded (old rows) is shown by its code.
    assert audit.action_label("stand.moved") == "stand.moved"
