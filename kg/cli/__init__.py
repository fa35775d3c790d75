"""The command line: thin Typer commands over the library, one module per group.

:mod:`~kg.cli.main` holds the app and the commands on graph files (build, query, export,
merge, draw, validate); :mod:`~kg.cli.store` the store and server commands;
:mod:`~kg.cli.analysis` stats and plots; :mod:`~kg.cli.imports` the event-dataset
importers; :mod:`~kg.cli.common` what they share (the error panel, progress, summaries).
"""

from __future__ import annotations

from .main import app

__all__ = ["app"]
