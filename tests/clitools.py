"""The CLI tests' two helpers: run ``kg`` in-process, and read the message of its error panel."""

from __future__ import annotations

from click.testing import Result
from typer.testing import CliRunner

from kg.cli import app


def run(*args: str, input: str | None = None) -> Result:
    """Invoke ``kg ARGS...`` in-process (``input`` is its stdin); a wide console so that messages are not wrapped."""
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "400"})


def error_message(result: Result) -> str:
    """The text inside the error panel on stderr, one line per line of the message.

    The borders and the right-hand padding are removed; indentation inside the panel is kept.
    """
    lines = [line.rstrip().removesuffix("│").rstrip().removeprefix("│ ") for line in result.stderr.splitlines()]
    return "\n".join(line for line in lines if line.strip() and not line.startswith(("╭", "╰")))
