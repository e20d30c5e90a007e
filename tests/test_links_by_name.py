"""Links by route name, never by string: a handler redirects with ``see_other`` (a route
name from ``jobfair.routes``) and a service builds no path of the app at all — its
caller hands it the link (``AppContext.path_for``, ``jobfair.web.links.absolute_link``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from starlette.routing import BaseRoute, Mount, Route

from jobfair.routes import build_routes
from jobfair.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent / "jobfair"


def _paths(routes: list[BaseRoute], prefix: str = "") -> list[str]:
    found: list[str] = []
    for route in routes:
        if isinstance(route, Mount):
            found += _paths(list(route.routes), prefix + route.path)
        elif isinstance(route, Route):
            found.append(prefix + route.path)
    return found


def _app_paths() -> set[str]:
    """The static start of every page path (``/me/applications``, ``/password/reset``):
    up to the first parameter, at least one segment."""
    static = Settings.from_env().static_dir
    starts = {path.split("{")[0].rstrip("/") for path in _paths(build_routes(static))}
    return {start for start in starts if start.count("/") >= 1 and len(start) > 1}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals and f-string parts, docstrings left out (they may name a path)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _names_a_path(value: str, paths: set[str]) -> str | None:
    for path in paths:
        if re.search(re.escape(path) + r"(?=$|[/?#])", value):
            return path
    return None


@pytest.mark.parametrize(
    "module", sorted(PACKAGE.glob("services/*.py")), ids=lambda path: path.name
)
def test_services_build_no_path_of_the_app(module: Path) -> None:
    paths = _app_paths()
    found = [
        f"{module.name}:{line}: {value!r} names {path}"
        for line, value in _strings(ast.parse(module.read_text()))
        if (path := _names_a_path(value, paths))
    ]
    assert not found, "\n".join(found)


def _redirect_targets(tree: ast.AST) -> list[tuple[int, ast.expr]]:
    return [
        (node.lineno, node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "RedirectResponse"
        and node.args
    ]


def _starts_with_slash(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("/")
    if isinstance(node, ast.JoinedStr) and node.values:
        return _starts_with_slash(node.values[0])
    if isinstance(node, ast.BinOp):
        return _starts_with_slash(node.left)
    return False


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("web/**/*.py")), ids=lambda path: path.name)
def test_handlers_redirect_by_route_name(module: Path) -> None:
    found = [
        f"{module.name}:{line}: RedirectResponse({ast.unparse(target)})"
        for line, target in _redirect_targets(ast.parse(module.read_text()))
        if _starts_with_slash(target)
    ]
    assert not found, "use see_other(request, name, …):\n" + "\n".join(found)


def test_the_guards_catch_what_they_guard() -> None:
    """The checks themselves: the old code's shapes are caught."""
    paths = _app_paths()
    assert "/me/applications" in paths and "/password/reset" in paths
    old_service = 'link = base_url.rstrip("/") + "/me/applications"\nx = "/me/applications"'
    named = [bool(_names_a_path(v, paths)) for _l, v in _strings(ast.parse(old_service))]
    assert sorted(named) == [False, True, True]  # "/" alone is no page path
    invite = "link = f\"{base_url.rstrip('/')}/password/reset?token={raw}\""
    assert any(_names_a_path(v, paths) for _l, v in _strings(ast.parse(invite)))
    for handler in (
        'RedirectResponse("/me?cv=1", status_code=303)',
        'RedirectResponse(f"/company/booths/{booth_id}", status_code=303)',
    ):
        [(_line, target)] = _redirect_targets(ast.parse(handler))
        assert _starts_with_slash(target)
