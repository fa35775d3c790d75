"""The package's shape: imports only point upstream, only the CLI prints, public names are documented.

Read from the source with ``ast``; nothing here imports the modules it checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

#: Shared bases any stage may import.
BASES = {"model", "vocab", "errors", "keys", "outputs", "gazetteer", "sandbox"}

#: The stages in order; a module may import bases, earlier stages and modules of its own rank.
STAGES = [
    {"read"},
    {"nlp"},
    {"entities", "offices"},
    {"events"},
    {"graph"},
    {"summary"},
    {"analysis", "export", "query", "draw", "validation", "importers", "curation", "entity_curation", "merges"},
    {"store"},
    {"serve", "review"},
    {"pipeline"},
    {"engines"},
    {"builder"},
    {"cli"},
]
CLI_MODULES = {"cli"}
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}

UI_LIBRARIES = {"typer", "rich", "click"}


def _modules() -> dict[str, ast.Module]:
    """Each stage module, and each stage package (``kg/events/``) read as one module: its files'
    imports of each other left out, its imports of kg's modules (``from ..entities``) kept."""
    modules = {p.stem: ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
               for p in sorted(PACKAGE.glob("*.py")) if p.stem != "__init__"}
    for package in sorted(d for d in PACKAGE.iterdir() if d.is_dir() and d.name in RANK):
        body: list[ast.stmt] = []
        for p in sorted(package.glob("*.py")):
            tree = ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 1:
                    node.module, node.names = None, []  # within the package
                elif isinstance(node, ast.ImportFrom) and node.level == 2:
                    node.level = 1  # from ..entities: a kg module
            body.extend(tree.body)
        modules[package.name] = ast.Module(body=body, type_ignores=[])
    return modules


MODULES = _modules()


def _kg_imports(tree: ast.Module) -> set[str]:
    """The kg modules a module imports (relative or absolute, at any depth in the file)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.level == 0 and (node.module or "").split(".")[0] == "kg"):
                parts = (node.module or "").split(".")
                if node.level == 0:
                    parts = parts[1:]
                if parts and parts[0]:
                    found.add(parts[0])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "kg" and len(parts) > 1:
                    found.add(parts[1])
    return found


def _third_party_imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def _public_names(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [ast.literal_eval(e) for e in node.value.elts]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            return [ast.literal_eval(e) for e in node.value.elts]
    return []


def test_modules_every_kg_module_has_a_place_in_the_stage_order():
    assert sorted(set(MODULES) - BASES - set(RANK)) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_only_upstream(module):
    imported = _kg_imports(MODULES[module]) - {module}
    if module in BASES:
        # bases import only other bases
        assert sorted(imported - BASES) == []
        return
    downstream = sorted(m for m in imported - BASES if RANK.get(m, len(STAGES)) > RANK[module])
    assert downstream == []


@pytest.mark.parametrize(("module", "forbidden"), [
    ("read", {"nlp", "entities", "events", "graph", "pipeline", "cli"}),
    ("nlp", {"entities", "events", "graph", "pipeline", "cli"}),
    ("entities", {"events", "graph", "pipeline", "cli", "export", "query", "draw", "analysis", "validation"}),
    ("events", {"graph", "pipeline", "cli", "export", "query", "draw", "analysis", "validation"}),
    ("graph", {"pipeline", "cli", "export", "draw", "query", "analysis", "validation", "nlp", "entities", "events"}),
    ("pipeline", {"cli", "export", "draw", "query"}),
])
def test_imports_stage_never_reaches_forward(module, forbidden):
    assert sorted(_kg_imports(MODULES[module]) & forbidden) == []


def test_imports_have_no_cycles():
    graph = {m: _kg_imports(tree) & set(MODULES) - {m} for m, tree in MODULES.items()}
    cycles = []

    def visit(node, path):
        for nxt in graph[node]:
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif len(path) < len(graph):
                visit(nxt, path + [nxt])

    for start in graph:
        visit(start, [start])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m not in CLI_MODULES))
def test_only_cli_imports_typer_or_rich(module):
    assert sorted(_third_party_imports(MODULES[module]) & UI_LIBRARIES) == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m not in CLI_MODULES))
def test_only_cli_calls_print(module):
    calls = [node.lineno for node in ast.walk(MODULES[module])
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"]
    assert calls == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_public_functions_and_classes_have_docstrings(module):
    tree = MODULES[module]
    public = set(_public_names(tree))
    undocumented = sorted(
        node.name for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name in public and not ast.get_docstring(node)
    )
    assert undocumented == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "cli"))
def test_library_modules_declare_all(module):
    assert _public_names(MODULES[module]) != []
