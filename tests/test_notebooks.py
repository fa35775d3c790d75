"""The walkthrough notebooks run: every code cell, in order, in one namespace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_every_cell(path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(path.parent.parent)
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    namespace: dict = {}
    for number, cell in enumerate(cells, 1):
        source = "".join(cell["source"])
        exec(compile(source, f"{path.name}[cell {number}]", "exec"), namespace)  # noqa: S102
    printed = capsys.readouterr().out
    assert "conforms: True" in printed
    assert "graph.html" in printed


def test_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == ["walkthrough.ipynb"]
