"""The README's examples run as written, so they cannot drift from what kg does.

Its code blocks run in README order, in one scratch directory holding a copy of the bundled
``examples/`` and ``tests/data/`` (all paths in the README are relative to the checkout):

* ``bash`` blocks: every command (``\\``-continued lines joined, ``#`` comments dropped) must
  exit 0. A command is ``kg ...``, ``cat FILE | kg ...`` or ``kg ... < FILE``; kg runs in
  this process (its spaCy pipeline loaded once).
* ``console`` blocks: transcripts. A line ``$ COMMAND`` runs the command; the lines after it,
  up to the next ``$``, are what it prints (standard output, then standard error), compared
  line by line with trailing spaces removed and the measured ``documents/s`` masked. A
  line ``...`` stands for any number of lines.
* ``python`` blocks run with ``exec``.

A block right after the comment ``<!-- not run: REASON -->`` is skipped (installing kg,
starting a server, minutes of benchmarks); every skip is listed in
:data:`EXPECTED_SKIPS`, so none goes unnoticed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

_BLOCK_RE = re.compile(r"^(?P<skip><!-- not run: (?P<reason>[^>]*) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```$",
                       re.MULTILINE | re.DOTALL)
_RATE_RE = re.compile(r"(│ documents/s\s+│\s+)[0-9.,]+( │)")

#: The README's blocks that are not run, by the reason its comment gives.
EXPECTED_SKIPS = [
    "installs kg in a new virtual environment",
    "installs the test dependencies and runs this suite",
    "sends a request to a remote SPARQL endpoint",
    "starts a server and waits for it",
    "runs the benchmarks, about 7 minutes",
]


@dataclass
class Block:
    lang: str
    body: str
    skip: str | None
    line: int


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(m["lang"], m["body"], m["reason"], text.count("\n", 0, m.start()) + 1)
        for m in _BLOCK_RE.finditer(text)
    ]


def _commands(body: str) -> list[str]:
    return [c for c in (line.strip() for line in body.replace("\\\n", " ").splitlines()) if c and c[0] != "#"]


def _kg(command: str) -> tuple[int, str, str]:
    """Run one README command line in this process: exit code, standard output, standard error."""
    words = shlex.split(command, comments=True)
    stdin = None
    if words[:1] == ["cat"] and "|" in words:
        bar = words.index("|")
        stdin = "".join(Path(name).read_text(encoding="utf-8") for name in words[1:bar])
        words = words[bar + 1 :]
    if "<" in words:
        at = words.index("<")
        stdin = Path(words[at + 1]).read_text(encoding="utf-8")
        words = words[:at] + words[at + 2 :]
    assert words[:1] == ["kg"], f"not a kg command (mark its block <!-- not run: ... -->): {command}"
    result = CliRunner().invoke(app, words[1:], input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def _normalise(lines: list[str]) -> list[str]:
    return [_RATE_RE.sub(r"\g<1>N\g<2>", line.rstrip()) for line in lines]


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` with each ``...`` line standing for any lines."""
    pattern = "\n".join(".*?" if line == "..." else re.escape(line) for line in expected)
    pattern = pattern.replace("\n.*?\n", "(?:\n.*?)?\n")
    return re.fullmatch(pattern, "\n".join(actual), re.DOTALL) is not None


def _transcripts(body: str) -> list[tuple[str, list[str]]]:
    runs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            assert runs, f"a transcript starts with '$ COMMAND', not {line!r}"
            runs[-1][1].append(line)
    return runs


@dataclass
class Outcome:
    block: Block
    command: str
    code: int
    stdout: str
    stderr: str
    expected: list[str] | None = None


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> list[Outcome]:
    """Every runnable README block, run once in README order in one scratch directory."""
    scratch = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", scratch / "examples")
    shutil.copytree(ROOT / "tests" / "data", scratch / "tests" / "data")
    done: list[Outcome] = []
    cwd = os.getcwd()
    os.chdir(scratch)
    try:
        for block in readme_blocks():
            if block.skip is not None:
                continue
            if block.lang == "bash":
                for command in _commands(block.body):
                    done.append(Outcome(block, command, *_kg(command)))
            elif block.lang == "console":
                for command, expected in _transcripts(block.body):
                    done.append(Outcome(block, command, *_kg(command), expected=expected))
            elif block.lang == "python":
                namespace: dict = {"__name__": "readme"}
                exec(compile(block.body, f"README.md:{block.line}", "exec"), namespace)  # noqa: S102
                done.append(Outcome(block, "python", 0, "", ""))
    finally:
        os.chdir(cwd)
    return done


def test_readme_skips_only_the_blocks_it_must():
    assert [b.skip for b in readme_blocks() if b.skip is not None] == EXPECTED_SKIPS


def test_readme_runs_blocks_of_every_kind():
    kinds = {b.lang for b in readme_blocks() if b.skip is None}
    assert {"bash", "console", "python"} <= kinds


def _shows_error(o: Outcome) -> bool:
    return o.expected is not None and any("kg: error" in line for line in o.expected)


def test_readme_every_command_succeeds(outcomes):
    failed = [
        f"README.md:{o.block.line}: {o.command} -> exit {o.code}\n{o.stdout}{o.stderr}"
        for o in outcomes
        if o.code != (1 if _shows_error(o) else 0)
    ]
    assert not failed, "\n\n".join(failed)
    assert len(outcomes) >= 30


def test_readme_transcripts_show_what_kg_prints(outcomes):
    wrong = []
    for o in outcomes:
        if o.expected is None:
            continue
        actual = _normalise((o.stdout + o.stderr).rstrip("\n").splitlines())
        if not _matches(_normalise(o.expected), actual):
            wrong.append(f"README.md:{o.block.line}: $ {o.command}\nkg printed:\n" + "\n".join(actual))
    assert not wrong, "\n\n".join(wrong)


def test_readme_matches_ellipsis_lines():
    assert _matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "...", "d"], ["a", "d"])
    assert not _matches(["a", "...", "d"], ["a", "b", "c"])
    assert not _matches(["a", "b"], ["a", "b", "c"])
