"""The shape of the code, checked: no import cycle between pantau's modules and no import from a
lower layer into a higher one. Every import counts, also those inside functions and under
TYPE_CHECKING: a cycle hidden in a function is still two modules that cannot be understood
(or moved) one without the other.

The layers, lowest first (a module may import its own layer and those below):
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "pantau"

# Top-level modules and packages of pantau, by layer. A new one must be placed here: where it
# goes says what it may use.
LAYERS: list[tuple[str, set[str]]] = [
    ("foundations", {"pantau", "errors", "records", "values", "privacy", "cells", "templates",
                     "sources", "text"}),
    ("formats and the store", {"formats", "store"}),
    ("project, rules and models", {"project", "sharing", "rules_data", "models"}),
    ("stages", {"ingest", "raw", "preview", "enrich", "analysis", "leads", "media"}),
    ("reports and validation", {"report", "validate"}),
    ("web app", {"web"}),
    ("commands", {"cli", "demo"}),
]
__doc__ += "\n".join(f"    {i}. {name}: {', '.join(sorted(parts))}"
                     for i, (name, parts) in enumerate(LAYERS))

# Cycles and upward imports that exist today, each to be removed (the test fails when one is
# gone, so that this list only shrinks). Nothing may be added here to make a new one pass.
KNOWN_CYCLES: set[frozenset[str]] = {
    # project.rules -> rules_data -> models (label schemes) -> codebook -> project (config)
    frozenset({"pantau.models.codebook", "pantau.project", "pantau.rules_data"}),
    # validation figures call back into `pantau validate` for the coding samples
    frozenset({"pantau.analysis.validation", "pantau.validate"}),
    # loading a coder-adapted model loads its shipped base model through the registry
    # (registry -> learn -> adapt -> registry): the registry should pass its loader in
    frozenset({"pantau.models.adapt", "pantau.models.learn", "pantau.models.registry"}),
}
KNOWN_UPWARD: set[tuple[str, str]] = {
    ("pantau.analysis.validation", "pantau.validate"),
    ("pantau.validate", "pantau.web.coding"),
}


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, package)
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the pantau modules it imports (`from .x import y` counts as importing the
    module x.y when that is a module, else x)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        here = name if package else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[:len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else module
    for number, (_, parts) in enumerate(LAYERS):
        if top in parts:
            return number
    raise AssertionError(f"{module}: pantau.{top} is in no layer; add it to LAYERS in "
                         "tests/test_architecture.py (and to the picture in docs/DEVELOPING.md)")


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in graph.items() for b in targets
            if layer_of(b) > layer_of(a)}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_no_import_cycle(graph):
    found = set(cycles(graph))
    new = found - KNOWN_CYCLES
    assert not new, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in new)
    gone = KNOWN_CYCLES - found
    assert not gone, f"no longer cycles, remove them from KNOWN_CYCLES: {gone}"


def test_no_import_from_a_higher_layer(graph):
    found = upward_imports(graph)
    new = found - KNOWN_UPWARD
    assert not new, "upward imports: " + "; ".join(
        f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
        for a, b in sorted(new))
    gone = KNOWN_UPWARD - found
    assert not gone, f"no longer upward, remove them from KNOWN_UPWARD: {gone}"


def test_the_checks_see_cycles_and_upward_imports():
    """The checks themselves: a made-up graph with a cycle and an upward import."""
    made_up = {"pantau.store.a": {"pantau.web.b"}, "pantau.web.b": {"pantau.store.a"},
               "pantau.errors": set()}
    assert cycles(made_up) == [frozenset({"pantau.store.a", "pantau.web.b"})]
    assert upward_imports(made_up) == {("pantau.store.a", "pantau.web.b")}


def test_the_graph_follows_relative_and_function_level_imports(graph):
    # function-level, relative, two levels up: the registry loads coder-trained models
    assert "pantau.models.learn" in graph["pantau.models.registry"]
    assert "pantau.store.staging" in graph["pantau.ingest"]
    assert "pantau.ingest.blocks" in graph["pantau.ingest"]
