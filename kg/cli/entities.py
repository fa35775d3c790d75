"""``kg entities``: the merges to review, and a reviewer's merges and splits of a store's entities.
Parses options, calls :mod:`kg.merges` and :mod:`kg.entity_curation`, shows the result. Nothing else.

kg entities graph.ttl --kind Person                       # every entity, its forms, documents, why one node
kg entities merge "Tomas Reyes" "T. Reyes" --store news.kg --reviewer Ana --note "one president"
kg entities split polr:person/sadiq-khan --forms "Mr Khan@doc-17" --store news.kg --reviewer Ana

``kg entities GRAPH`` is ``kg entities list GRAPH``: a first word that is not ``merge``, ``split``
or ``list`` is the graph. Registered on the main app by :mod:`kg.cli.main`.
"""

from __future__ import annotations

import json
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from typer.core import TyperGroup

from ..errors import StoreError, UsageError
from .common import err, guard, out

__all__ = ["entities_app", "ENTITY_FORMATS"]

#: Output formats of ``kg entities``.
ENTITY_FORMATS = ("table", "json")


class _ListByDefault(TyperGroup):
    """A group whose first argument, when it names no command, is the graph of ``list``."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "list", self.commands["list"], args
        return super().resolve_command(ctx, args)


entities_app = typer.Typer(
    name="entities",
    cls=_ListByDefault,
    help="Merges to review: kg entities GRAPH|STORE lists every entity with its surface forms, documents and "
    "why it is one node; kg entities merge A B and kg entities split A --forms FORM@DOC correct a store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_StoreOption = Annotated[Path, typer.Option("--store", "-s", help="The store whose entities are curated.")]
_Reviewer = Annotated[str, typer.Option("--reviewer", "-r", help="Who decides (kept with the decision).")]
_Note = Annotated[str, typer.Option("--note", help="Why (kept with the decision as rdfs:comment).")]


@entities_app.command("list")
@guard
def list_(
    graph: Annotated[str, typer.Argument(help="Graph file (.ttl, .nt, .jsonld, .trig ...) or store directory.")],
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only entities of this class (Person, Country, ...).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Merges to review: kg entities graph.ttl --kind Person (surface forms, documents, why one node)"""
    from dataclasses import asdict, replace

    from ..entity_curation import curated_reasons, unapplied
    from ..merges import entity_records
    from ..store import GraphStore, load_source
    from ..vocab import KIND_TERMS

    if fmt not in ENTITY_FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(ENTITY_FORMATS)}")
    if kind is not None and kind not in KIND_TERMS:
        raise UsageError(f"--kind {kind!r}: choose one of {', '.join(KIND_TERMS)}")
    source = load_source(graph)
    stale: list = []
    if isinstance(source, GraphStore):
        try:
            records = entity_records(source.to_graph(), kind=kind)
            curated = curated_reasons(source.oxigraph)
            stale = unapplied(source.oxigraph)
        finally:
            source.close()
        records = [replace(r, reason=_reason(r.reason, curated.get(r.iri))) for r in records]
    else:
        records = entity_records(source, kind=kind)
    if fmt == "json":
        sys.stdout.write(json.dumps([asdict(r) for r in records], indent=2, ensure_ascii=False) + "\n")
    else:
        table = Table(title=f"{len(records)} entities", title_justify="left")
        for name in ("entity", "class", "country", "surface forms", "documents", "one node because"):
            table.add_column(name)
        for r in records:
            table.add_row(r.label, r.kind, r.country, "; ".join(r.aliases), ", ".join(r.documents), r.reason)
        out.print(table)
    _report_stale(stale)


def _reason(evidence: str, curated: str | None) -> str:
    return evidence if curated is None else curated


def _report_stale(stale: list) -> None:
    for s in stale:
        err.print(f"stale entity decision: {s.decision.describe()}: {s.reason}", highlight=False)


class _Curating:
    """The store, open for writing with its merged view up to date; closed on the way out. A
    refusal leaves no frame holding the store's RocksDB (its lock) behind: the frames of the
    failed call are cleared."""

    def __init__(self, store: Path, reviewer: str):
        from ..store import is_store, open_store

        if not reviewer.strip():
            raise UsageError("--reviewer: give the reviewer's name (it is kept with the decision)")
        if not is_store(store):
            raise StoreError(f"{store}: not a kg store (make one with kg build --store {store} ARTICLES)")
        self.opened = open_store(store, create=False)

    def __enter__(self):
        try:
            self.opened.refresh_summary()  # the merged view as the decisions so far leave it
        except BaseException:
            self.opened.close()
            raise
        return self.opened

    def __exit__(self, kind, exc, tb) -> None:
        self.opened.close()
        if tb is not None:
            traceback.clear_frames(tb)


def _label(store, iri: str) -> str:
    import pyoxigraph as ox

    from ..vocab import POLR, RDFS

    found = next(iter(store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(RDFS.label)), None, None)), None)
    short = "polr:" + iri[len(str(POLR)):] if iri.startswith(str(POLR)) else f"<{iri}>"
    return f"{found.object.value} ({short})" if found is not None else short


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")  # decisions made in one second keep their order


@entities_app.command("merge")
@guard
def merge(
    keep: Annotated[str, typer.Argument(help="The entity to keep: its IRI (polr:... or in full) or label.")],
    other: Annotated[str, typer.Argument(help="The entity that is the same: it is folded into the first.")],
    store: _StoreOption,
    reviewer: _Reviewer,
    note: _Note = "",
) -> None:
    """Two entities are one: kg entities merge "Tomas Reyes" "T. Reyes" --store news.kg --reviewer Ana"""
    from ..entity_curation import EntityDecision, find_entity, record_entity_decision
    from ..summary import mark_stale

    with _Curating(store, reviewer) as opened:
        a = find_entity(opened.oxigraph, keep, where=str(store))
        b = find_entity(opened.oxigraph, other, where=str(store))
        if a == b:
            raise UsageError(
                f"{keep!r} and {other!r} are one entity already ({_label(opened.oxigraph, a)}); nothing to merge"
            )
        shown = _label(opened.oxigraph, b), _label(opened.oxigraph, a)
        decision = EntityDecision("merge", reviewer.strip(), _now(), a, b, note=note)
        mark_stale(opened.oxigraph)
        record_entity_decision(opened.oxigraph, decision)
        opened.refresh_summary()
        stale = opened.stale_entity_decisions
    err.print(
        f"merged {shown[0]} into {shown[1]}: decision by {reviewer.strip()} kept in polr:entity-curation",
        highlight=False,
    )
    _report_stale(stale)


@entities_app.command("split")
@guard
def split(
    entity: Annotated[str, typer.Argument(help="The entity some mentions are split off: its IRI or label.")],
    forms: Annotated[
        list[str],
        typer.Option("--forms", "-f", help='FORM@DOCUMENT: that document\'s mentions named FORM are another entity '
                     '("Mr Khan@doc-17"); repeat for more.'),
    ],
    store: _StoreOption,
    reviewer: _Reviewer,
    note: _Note = "",
) -> None:
    """Mentions that are someone else: kg entities split "Sadiq Khan" --forms "Mr Khan@doc-17" --store news.kg -r Ana"""
    from ..entity_curation import EntityDecision, find_entity, forms_in_document, merged_into, record_entity_decision
    from ..summary import mark_stale

    wanted = []
    for value in forms:
        form, at, doc = value.rpartition("@")
        if not at or not form.strip() or not doc.strip():
            raise UsageError(f'--forms {value!r}: give FORM@DOCUMENT, e.g. "Mr Khan@doc-17"')
        wanted.append((form.strip(), doc.strip()))
    with _Curating(store, reviewer) as opened:
        a = find_entity(opened.oxigraph, entity, where=str(store))
        into = merged_into(opened.oxigraph)
        sources = {a} | {gone for gone, kept in into.items() if kept == a}
        decisions = []
        for form, doc in wanted:
            if opened.get(doc) is None:
                raise UsageError(
                    f"--forms {form}@{doc}: no document {doc!r} in {store} "
                    f"(list the ids with: kg query {store} 'SELECT ?id {{ ?d dcterms:identifier ?id }}')"
                )
            known = sorted(forms_in_document(opened.oxigraph, sources, doc))
            if form.casefold() not in {k.casefold() for k in known}:
                said = f"it calls it {', '.join(repr(k) for k in known)}" if known else "it does not name it"
                raise UsageError(
                    f"--forms {form}@{doc}: document {doc!r} never calls {_label(opened.oxigraph, a)} {form!r}; {said}"
                )
            decisions.append(EntityDecision("split", reviewer.strip(), _now(), a, form=form, document=doc, note=note))
        mark_stale(opened.oxigraph)
        for d in decisions:
            record_entity_decision(opened.oxigraph, d)
        opened.refresh_summary()
        stale = opened.stale_entity_decisions
        made = [_label(opened.oxigraph, d.new_entity) for d in decisions]
    for d, new in zip(decisions, made, strict=True):
        err.print(
            f"split {d.form!r} of {d.document} off {_label_short(a)}: now {new}; decision by {d.reviewer} "
            "kept in polr:entity-curation",
            highlight=False,
        )
    _report_stale(stale)


def _label_short(iri: str) -> str:
    from ..vocab import POLR

    return "polr:" + iri[len(str(POLR)):] if iri.startswith(str(POLR)) else f"<{iri}>"
