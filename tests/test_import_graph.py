"""The import graph between ``jobfair.*`` modules: no cycles, and the core never reaches web/.

The graph is grimp's (the library import-linter uses), built from the package's source.
Imports inside functions count as much as module-level ones: a lazy import only hides a
cycle until the day someone hoists it, and it still ties the two modules together. Imports
under ``if TYPE_CHECKING:`` do not count: they never run.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import grimp
import pytest

PACKAGE = "jobfair"

# Layers that hold the rules and must not depend on the HTTP layer (DESIGN: services never
# import web/; handlers are thin and call down, never the other way).
CORE = ("services", "models", "stats", "reference", "live")

# One bad import can close many loops; the first few name it.
SHOWN = 20


def build_graph(package: str) -> grimp.ImportGraph:
    """The graph under this module's rules: lazy imports in, ``TYPE_CHECKING`` ones out."""
    # cache_dir=None: no .grimp_cache left in the checkout; the package is small.
    return grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)


@cache
def _graph() -> grimp.ImportGraph:
    return build_graph(PACKAGE)


def find_cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Every import cycle, as the shortest loop through each import that closes one.

    A cycle is written ``a -> b -> … -> a``; a loop found from several of its imports is
    reported once.
    """
    seen: set[frozenset[tuple[str, str]]] = set()
    cycles: list[tuple[str, ...]] = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is None:
                continue
            loop = (importer, *back)
            edges = frozenset(pairwise(loop))
            if edges not in seen:
                seen.add(edges)
                cycles.append(loop)
    return cycles


def describe(graph: grimp.ImportGraph, loop: tuple[str, ...]) -> str:
    """A loop with the line of each import in it, so the failure says what to move."""
    lines = [" -> ".join(loop)]
    for importer, imported in pairwise(loop):
        for detail in graph.get_import_details(importer=importer, imported=imported):
            lines.append(
                f"    {importer}:{detail['line_number']}: {detail['line_contents'].strip()}"
            )
    return "\n".join(lines)


def test_no_import_cycles_between_jobfair_modules() -> None:
    graph = _graph()
    cycles = find_cycles(graph)
    shown = "\n".join(describe(graph, loop) for loop in cycles[:SHOWN])
    more = f"\n… and {len(cycles) - SHOWN} more" if len(cycles) > SHOWN else ""
    assert not cycles, f"{len(cycles)} import cycles between jobfair modules:\n{shown}{more}"


@pytest.mark.parametrize("layer", CORE)
def test_core_layers_never_import_web(layer: str) -> None:
    graph = _graph()
    # as_packages: any module under the layer, to any module under jobfair.web, directly
    # or through other modules.
    chains = graph.find_shortest_chains(
        importer=f"{PACKAGE}.{layer}", imported=f"{PACKAGE}.web", as_packages=True
    )
    assert not chains, f"{PACKAGE}.{layer} reaches {PACKAGE}.web:\n" + "\n".join(
        describe(graph, chain) for chain in sorted(chains)
    )


def test_the_graph_sees_the_package_and_its_lazy_imports() -> None:
    """Guards the two tests above against passing on an empty or partial graph."""
    graph = _graph()
    assert {f"{PACKAGE}.web", f"{PACKAGE}.services", f"{PACKAGE}.settings"} <= graph.modules
    # jobfair.worker imports its arq module inside ``__getattr__`` only.
    assert graph.direct_import_exists(
        importer=f"{PACKAGE}.worker", imported=f"{PACKAGE}.worker.arq_worker"
    )


def test_lazy_imports_count_and_type_checking_imports_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "graphprobe"
    root.mkdir()
    files = {
        "__init__.py": "",
        # a -> b at module level; b -> a inside a function: a hidden cycle.
        "a.py": "import graphprobe.b\n",
        "b.py": "def later():\n    from graphprobe import a\n    return a\n",
        # c -> d at module level; d -> c for the type checker only: no cycle.
        "c.py": "import graphprobe.d\n",
        "d.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from graphprobe import c\n"
        ),
    }
    for name, source in files.items():
        (root / name).write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = build_graph("graphprobe")
    cycles = find_cycles(graph)

    assert cycles == [("graphprobe.a", "graphprobe.b", "graphprobe.a")]
    text = describe(graph, cycles[0])
    assert text.splitlines()[0] == "graphprobe.a -> graphprobe.b -> graphprobe.a"
    assert "graphprobe.b:2: from graphprobe import a" in text


def test_find_cycles_reports_each_loop_once() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.d", imported="p.a")  # into the loop, not part of it

    assert find_cycles(graph) == [("p.a", "p.b", "p.c", "p.a")]


def test_find_cycles_is_empty_for_a_tree() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    assert find_cycles(graph) == []
