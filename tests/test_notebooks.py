"""The notebooks run: every code cell, in order, in one namespace, and print what they promise.

Plain ``exec`` of the code cells, no Jupyter kernel: a notebook must not need one (it guards
IPython-only display with try/except). Each notebook lists, in ``PRINTED``, lines its run must
print; a new notebook has to be added there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))

#: What each notebook's run must print, by file name.
PRINTED: dict[str, list[str]] = {
    "walkthrough.ipynb": ["conforms: True", "graph.html"],
    "01-build-explore-query.ipynb": [
        "5 documents, ",
        "## who-met-whom: Who met whom",
        "## entity-timeline: Entity timeline (entity='Ukraine')",
        "## conflict-cooperation-balance: Conflict and cooperation balance (a='Helena Varga', b='Tomas Reyes')",
        "degree centrality",
        "betweenness centrality",
        "communities (greedy modularity, weighted by events):",
        "['activity.png', 'balance-ukraine.png']",
        "self-contained (no external src or href)",
    ],
}


def _code_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_every_cell(path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(path.parent.parent)
    cells = _code_cells(path)
    namespace: dict = {}
    ran = 0
    for number, source in enumerate(cells, 1):
        exec(compile(source, f"{path.name}[cell {number}]", "exec"), namespace)  # noqa: S102
        ran += 1
    printed = capsys.readouterr().out
    assert ran == len(cells) > 0
    missing = [line for line in PRINTED[path.name] if line not in printed]
    assert missing == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert [number for number, c in enumerate(cells, 1) if c.get("outputs")] == []


def test_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == sorted(PRINTED)
