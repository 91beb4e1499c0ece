"""The package's folders show its architecture, and the imports keep to it.

Every import in plugins/satudata (at module level or inside a function: lazy imports count too) goes
to the same layer or a lower one, and no two modules import each other, directly or round a loop.
Layers, lowest first: the shared homes (settings, errors, messages, connections), catalog,
warehouse, sources, quality, portal, ops, pipeline, and the entry points (dag_factory, cli).
Sources never speak to the warehouse: they are above it but may not import it.
"""
import ast
from pathlib import Path

from .support import ROOT

PACKAGE = ROOT / "plugins" / "satudata"
LAYERS = [("settings", "errors", "messages", "connections"), ("catalog",), ("warehouse",), ("sources",),
          ("quality",), ("portal",), ("ops",), ("pipeline",), ("dag_factory", "cli")]
RANK = {part: i for i, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """module -> the satudata modules it imports (a `from pkg import name` of a submodule counts)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("satudata.")}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "satudata":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in modules else node.module)
        graph[name] = {m for m in found if m != name and m != "satudata"}
    return graph


def layer(module: str) -> int:
    return RANK[module.split(".")[1]]


def test_every_module_has_a_layer():
    assert {m.split(".")[1] for m in imports() if m != "satudata"} <= set(RANK)


def test_no_module_imports_upward():
    upward = sorted(f"{m} -> {t}" for m, targets in imports().items() if m != "satudata"
                    for t in targets if layer(t) > layer(m))
    assert upward == []


def test_sources_never_import_the_warehouse():
    assert sorted(f"{m} -> {t}" for m, targets in imports().items() if m.startswith("satudata.sources")
                  for t in targets if t.startswith("satudata.warehouse")) == []


def test_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
