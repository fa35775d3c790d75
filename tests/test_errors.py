"""kg's errors (``kg.errors``): every one the user can meet has its own code, shown by the CLI."""

from __future__ import annotations

import inspect

from typer.testing import CliRunner

from kg import errors
from kg.cli import app


def _error_classes() -> list[type[errors.KgError]]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.KgError)]


def test_every_error_class_is_listed_and_has_its_own_code():
    classes = _error_classes()
    assert sorted(c.__name__ for c in classes) == sorted(errors.__all__)
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes)


def test_error_panel_title_names_the_code(tmp_path):
    missing = tmp_path / "missing.ttl"
    result = CliRunner().invoke(app, ["query", str(missing), "SELECT * WHERE { ?s ?p ?o }"])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("╭─ kg: error [input] ─")


def test_usage_error_has_the_usage_code(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["query", str(graph), "SELECT * WHERE { ?s ?p ?o }", "--param", "no-equals"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("╭─ kg: error [usage] ─")
    assert "--param 'no-equals': expected NAME=VALUE" in result.output
