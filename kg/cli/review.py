"""``kg review``: a sheet of events out, reviewers' decisions in, accuracy and agreement shown.
Parses options, calls :mod:`kg.review`, shows the result. Nothing else.

kg review export news.kg -o sheet.csv --sample 50 --seed 1
kg review import sheet.csv --store news.kg --reviewer "A. Coder"
kg review report news.kg

Registered on the main app by ``kg/cli.py`` (``app.add_typer(review_app)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import StoreError
from .common import add_breakdown, check_outputs, err, guard, load_source_graph, out, summary_table

__all__ = ["review_app"]

review_app = typer.Typer(
    name="review",
    help="Human review of events: export a sheet, import the decisions into a store, report accuracy and agreement.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@review_app.command("export")
@guard
def export(
    source: Annotated[str, typer.Argument(help="Graph file or store directory.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The sheet to write (CSV).")] = Path("sheet.csv"),
    sample: Annotated[
        int | None, typer.Option("--sample", min=1, help="Draw this many events at random (see --seed).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the --sample draw: the same seed, the same events.")] = 0,
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this PLOVER type.")] = None,
    below: Annotated[
        float | None, typer.Option("--below", min=0.0, max=1.0, help="Only events with pol:confidence below this.")
    ] = None,
) -> None:
    """Write a review sheet: kg review export news.kg -o sheet.csv --sample 50 --seed 1"""
    from ..review import sheet_rows, write_sheet
    check_outputs([source], [output])
    graph = load_source_graph(source)  # the store closed at once: a review import may follow in this process
    rows = sheet_rows(graph, sample=sample, seed=seed, event_type=event_type, below=below)
    path = write_sheet(rows, output)
    err.print(
        f"wrote {path}: {len(rows)} event(s) to review; fill in verdict (ok, wrong or fix) and, for a fix, "
        "fix_type, fix_actors or fix_recipients (names separated by ';', '-' for none)",
        highlight=False,
    )


@review_app.command("import")
@guard
def import_(
    sheet: Annotated[Path, typer.Argument(help="A filled review sheet (CSV).")],
    store: Annotated[Path, typer.Option("--store", "-s", help="The store the decisions are about.")],
    reviewer: Annotated[str, typer.Option("--reviewer", "-r", help="Who made the decisions.")],
) -> None:
    """Record a filled sheet's decisions in a store: kg review import sheet.csv --store news.kg --reviewer NAME"""
    from ..review import import_sheet
    from ..store import is_store, open_store

    if not is_store(store):
        raise StoreError(f"{store}: not a kg store (make one with kg build --store {store} ARTICLES)")
    with open_store(store, create=False) as opened:
        result = import_sheet(opened, sheet, reviewer=reviewer)
    table = summary_table("kg review import")
    table.add_row("decisions recorded", f"{result.recorded:,}")
    add_breakdown(table, result.verdicts)
    table.add_row("rows left undecided", f"{result.undecided:,}")
    table.add_row("stale, not applied", f"{len(result.stale):,}")
    err.print(table)
    for s in result.stale:
        err.print(f"  stale: {s.decision.document} {s.decision.trigger!r}: {s.reason}", markup=False, highlight=False)


@review_app.command("report")
@guard
def report(
    store: Annotated[Path, typer.Argument(help="A store with review decisions.")],
) -> None:
    """Accuracy by type and reviewers' agreement: kg review report news.kg"""
    from ..review import review_report
    from ..store import is_store, open_store

    if not is_store(store):
        raise StoreError(f"{store}: not a kg store (make one with kg build --store {store} ARTICLES)")
    with open_store(store, read_only=True, create=False) as opened:
        result = review_report(opened.oxigraph)
    if not result.decisions:
        out.print(f"no review decisions in {store} yet (kg review export, then kg review import)", highlight=False)
        return
    table = Table(title=f"events judged right ({result.events} reviewed)", title_justify="left")
    for name, justify in (("type", "left"), ("reviewed", "right"), ("right", "right"), ("share", "right")):
        table.add_column(name, justify=justify)
    for etype, (n, right) in result.by_type.items():
        table.add_row(etype, str(n), str(right), f"{right / n:.0%}")
    table.add_row("all", str(result.events), str(sum(r for _, r in result.by_type.values())), f"{result.right:.0%}")
    out.print(table)
    if result.agreement:
        agree = Table(title="reviewers' agreement", title_justify="left")
        for name, justify in (("reviewers", "left"), ("events", "right"), ("agreed", "right"), ("kappa", "right")):
            agree.add_column(name, justify=justify)
        for a, b, n, agreed, kappa in result.agreement:
            agree.add_row(f"{a} / {b}", str(n), f"{agreed:.0%}", "-" if kappa is None else f"{kappa:.2f}")
        out.print(agree)
    for s in result.stale:
        out.print(f"stale: {s.decision.document} {s.decision.trigger!r}: {s.reason}", highlight=False)
