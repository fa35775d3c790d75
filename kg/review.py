"""Human review of extracted events: a sheet out, decisions in, agreement and accuracy reported.

Event-data coders do not publish machine coding unreviewed: they sample it, check it, correct
it and report how often it was right. :func:`sheet_rows` and :func:`write_sheet` make a CSV sheet
of events (any spreadsheet opens it) with empty decision columns; :func:`import_sheet` reads the
filled sheet and records each decision in the store's curation graph (:mod:`kg.curation`),
which the merged view then shows; :func:`review_report` says, from the decisions so far, how
often the extractor was right, by type, and how far two reviewers agree (Cohen's kappa).
"""

from __future__ import annotations

import csv
import difflib
import os
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .curation import VERDICTS, Decision, Stale, locate, read_decisions, record_decisions
from .errors import KgError, SheetError, UsageError
from .graph import sentence_iri
from .model import Sentence
from .outputs import write_atomic
from .summary import mark_stale
from .vocab import DCTERMS, EVENT_TYPES, OLD_TYPE_NAMES, POL, POLR, PROV, RDF, RDFS, SKOS, local_name

__all__ = [
    "SHEET_COLUMNS",
    "DECISION_COLUMNS",
    "ImportResult",
    "ReviewReport",
    "sheet_rows",
    "write_sheet",
    "read_sheet",
    "import_sheet",
    "review_report",
    "cohen_kappa",
]

#: The decision columns a reviewer fills in: ``verdict`` is ok, wrong or fix; a fix gives the
#: corrected type, actors or recipients (names separated by ";", "-" for no recipient).
DECISION_COLUMNS = ("verdict", "fix_type", "fix_actors", "fix_recipients", "note")

#: The columns of a review sheet, in order.
SHEET_COLUMNS = (
    "event", "type", "modality", "actors", "recipients", "date", "confidence", "trigger", "sentence",
    "document", "start", "end", *DECISION_COLUMNS,
)  # fmt: skip

_NEEDED = ("event", "type", "trigger", "sentence", "document", "start", "end", "verdict")


# --------------------------------------------------------------------------- export


def sheet_rows(
    graph: Graph,
    *,
    sample: int | None = None,
    seed: int = 0,
    event_type: str | None = None,
    below: float | None = None,
) -> list[dict[str, str]]:
    """One row per event of ``graph`` (keys :data:`SHEET_COLUMNS`, decision columns empty).

    Parameters
    ----------
    graph
        A graph, or a store's merged view (:func:`kg.store.as_graph`).
    sample
        Keep this many events, drawn at random (with ``seed``) from those that pass the filters.
    seed
        Seed of the draw: the same seed draws the same events.
    event_type
        Only events of this PLOVER type.
    below
        Only events whose ``pol:confidence`` is below this.

    Returns
    -------
    list of dict
        Sorted by document, sentence offset, type and event IRI. The sentence is the first that
        states the event (by document id and offset); ``start`` and ``end`` are its offsets.

    Raises
    ------
    KgError
        For an unknown type, or a sample size below 1.

    Examples
    --------
    >>> from kg.graph import new_graph
    >>> sheet_rows(new_graph())
    []
    """
    etype = _event_type(event_type, "--type") if event_type else None
    if sample is not None and sample < 1:
        raise UsageError(f"a sample has at least 1 event, not {sample}")

    def label(node) -> str:
        value = graph.value(node, RDFS.label)
        return str(value) if value is not None else local_name(node)

    rows = []
    for event in set(graph.subjects(RDF.type, POL.Event)):
        t = graph.value(event, POL.eventType)
        if etype and t != POL[etype]:
            continue
        confidence = graph.value(event, POL.confidence)
        if below is not None and (confidence is None or float(confidence) >= below):
            continue
        stated = []
        for s in graph.objects(event, PROV.wasDerivedFrom):
            doc = graph.value(s, POL.inDocument)
            doc_id = graph.value(doc, DCTERMS.identifier) if doc is not None else None
            start, end, text = graph.value(s, POL.start), graph.value(s, POL.end), graph.value(s, POL.text)
            if None not in (doc_id, start, end, text):
                stated.append((str(doc_id), int(start), int(end), str(text)))
        if not stated:
            continue  # no sentence to read it in (imported without text)
        doc_id, start, end, text = min(stated)
        own = graph.value(event, POL.date)
        modality, trigger = graph.value(event, POL.modality), graph.value(event, POL.trigger)
        rows.append({
            "event": str(event),
            "type": local_name(t) if t is not None else "",
            "modality": local_name(modality) if modality is not None else "",
            "actors": "; ".join(sorted(label(a) for a in graph.objects(event, POL.actor))),
            "recipients": "; ".join(sorted(label(r) for r in graph.objects(event, POL.recipient))),
            "date": str(own) if own is not None else "",
            "confidence": str(confidence) if confidence is not None else "",
            "trigger": str(trigger) if trigger is not None else "",
            "sentence": text,
            "document": doc_id,
            "start": str(start),
            "end": str(end),
            **dict.fromkeys(DECISION_COLUMNS, ""),
        })
    rows.sort(key=lambda r: (r["document"], int(r["start"]), r["type"], r["event"]))
    if sample is not None and sample < len(rows):
        picked = set(random.Random(seed).sample(range(len(rows)), sample))
        rows = [r for i, r in enumerate(rows) if i in picked]
    return rows


def write_sheet(rows: Iterable[dict[str, str]], path: str | os.PathLike) -> Path:
    """Write a review sheet (UTF-8 CSV with a header), replacing ``path`` only once complete.

    Raises
    ------
    OutputError
        When the file cannot be written.
    """

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=SHEET_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)

    return write_atomic(Path(path), write, what="review sheet")


# --------------------------------------------------------------------------- import


def _event_type(value: str, where: str, error: type[KgError] = UsageError) -> str:
    """A PLOVER type name from what a user wrote ("accuse", old CAMEO-era names too)."""
    name = value.strip().upper()
    name = OLD_TYPE_NAMES.get(name, name)
    if name not in EVENT_TYPES:
        close = difflib.get_close_matches(name, list(EVENT_TYPES), n=1)
        hint = f"; did you mean {close[0]}?" if close else f" (one of {', '.join(EVENT_TYPES)})"
        problem = f"{value!r} is not a PLOVER event type{hint}"
        raise SheetError(where, problem) if error is SheetError else UsageError(f"{where}: {problem}")
    return name


class _Names:
    """Entity IRIs by label or alias (any case), from a store's merged view."""

    def __init__(self, store: ox.Store):
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for p in (RDFS.label, SKOS.altLabel):
            for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None, ox.DefaultGraph()):
                if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode):
                    self.by_name[q.object.value.lower()].add(q.subject.value)
        self.iris = {iri for found in self.by_name.values() for iri in found}

    def resolve(self, text: str, where: str) -> tuple[str, ...]:
        out = []
        for name in (n.strip() for n in text.split(";")):
            if not name:
                continue
            iri = str(POLR[name[5:]]) if name.startswith("polr:") else name.strip("<>")
            if iri in self.iris:
                out.append(iri)
                continue
            found = self.by_name.get(name.lower(), set())
            if len(found) == 1:
                out.append(next(iter(found)))
                continue
            if found:
                shown = ", ".join(sorted(found))
                raise SheetError(where, f"{name!r} names {len(found)} entities: give one IRI ({shown})")
            close = difflib.get_close_matches(name.lower(), list(self.by_name), n=3)
            hint = f"; close names: {', '.join(repr(c) for c in close)}" if close else ""
            raise SheetError(where, f"no entity named {name!r} in the store (label, alias or IRI){hint}")
        return tuple(sorted(set(out)))


def read_sheet(path: str | os.PathLike, names: _Names, *, reviewer: str, time: str) -> tuple[list[Decision], int]:
    """The decisions of a filled review sheet, and how many rows it leaves undecided.

    Every row is checked before any is used: a bad row stops the import with a
    :class:`SheetError` naming the file and line.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in _NEEDED if c not in (reader.fieldnames or [])]
            if missing:
                raise SheetError(
                    str(path), f"not a review sheet: no {', '.join(missing)} column(s) (make one with kg review export)"
                )
            decisions: list[Decision] = []
            undecided = 0
            for row in reader:
                where = f"{path}:{reader.line_num}"
                decision = _decision(row, where, names, reviewer, time)
                if decision is None:
                    undecided += 1
                else:
                    decisions.append(decision)
    except FileNotFoundError:
        raise SheetError(str(path), "no such file") from None
    except UnicodeDecodeError:
        raise SheetError(str(path), "not UTF-8 text (save the sheet as CSV UTF-8)") from None
    except csv.Error as exc:
        raise SheetError(str(path), f"not a CSV file ({exc})") from None
    return decisions, undecided


def _decision(row: dict, where: str, names: _Names, reviewer: str, time: str) -> Decision | None:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    verdict = cell("verdict").lower()
    fixes = {c: cell(c) for c in ("fix_type", "fix_actors", "fix_recipients") if cell(c)}
    if not verdict:
        if fixes:
            raise SheetError(where, f"{', '.join(fixes)} filled but no verdict: write fix in the verdict column")
        return None
    if verdict not in VERDICTS:
        raise SheetError(where, f"verdict {cell('verdict')!r} is not one of {', '.join(VERDICTS)}")
    if verdict != "fix" and fixes:
        raise SheetError(where, f"{', '.join(fixes)} filled but the verdict is {verdict!r}: write fix, or clear them")
    if verdict == "fix" and not fixes:
        raise SheetError(where, "verdict fix needs a corrected fix_type, fix_actors or fix_recipients")
    try:
        start, end = int(cell("start")), int(cell("end"))
    except ValueError:
        offsets = f"{cell('start')!r}, {cell('end')!r}"
        raise SheetError(where, f"start and end must be character offsets, not {offsets}") from None
    reviewed_type = _event_type(cell("type"), where, SheetError)
    fix_type = _event_type(fixes["fix_type"], where, SheetError) if "fix_type" in fixes else None
    fix_actors = names.resolve(fixes["fix_actors"], where) if "fix_actors" in fixes else None
    if fix_actors == ():
        raise SheetError(where, "fix_actors names no entity: an event needs an actor (verdict wrong if it has none)")
    recipients = fixes.get("fix_recipients")
    fix_recipients = None if recipients is None else () if recipients == "-" else names.resolve(recipients, where)
    document, text, event = cell("document"), row.get("sentence") or "", cell("event")
    if not event or not document:
        raise SheetError(where, "the event and document columns are empty: keep the columns kg review export wrote")
    return Decision(
        reviewer=reviewer,
        time=time,
        verdict=verdict,
        event=event,
        document=document,
        sentence=str(sentence_iri(Sentence(document, start, end, text))),
        text=text,
        trigger=row.get("trigger") or "",
        reviewed_type=reviewed_type,
        fix_type=fix_type,
        fix_actors=fix_actors,
        fix_recipients=fix_recipients,
        note=cell("note"),
    )


@dataclass
class ImportResult:
    """What :func:`import_sheet` did: decisions recorded, rows left undecided, decisions not applied."""

    recorded: int
    undecided: int
    verdicts: Counter = field(default_factory=Counter)
    stale: list[Stale] = field(default_factory=list)


def import_sheet(store, path: str | os.PathLike, *, reviewer: str, time: str | None = None) -> ImportResult:
    """Record the decisions of a filled sheet in a store's curation graph, and apply them.

    Parameters
    ----------
    store
        A :class:`kg.store.GraphStore` open for writing.
    path
        The sheet, as :func:`write_sheet` wrote it and a reviewer filled it.
    reviewer
        Who decided (a ``prov:Agent``).
    time
        When (ISO 8601); now by default.

    Raises
    ------
    SheetError
        For a bad sheet or row; nothing is recorded then.
    """
    if not reviewer.strip():
        raise UsageError("give the reviewer's name: --reviewer NAME")
    time = time or datetime.now(UTC).isoformat(timespec="microseconds")  # orders two imports of one second
    store.refresh_summary()
    decisions, undecided = read_sheet(path, _Names(store.oxigraph), reviewer=reviewer.strip(), time=time)
    mark_stale(store.oxigraph)
    recorded = record_decisions(store.oxigraph, decisions)
    store.refresh_summary()  # applies every decision to the merged view
    ours = {d.iri for d in decisions}
    stale = [s for s in store.stale_decisions if s.decision.iri in ours]
    return ImportResult(recorded, undecided, Counter(d.verdict for d in decisions), stale)


# --------------------------------------------------------------------------- report


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items; None without items.

    >>> cohen_kappa([("ok", "ok"), ("ok", "wrong"), ("wrong", "wrong"), ("ok", "ok")])
    0.5
    """
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in set(first) | set(second)) / (n * n)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


@dataclass
class ReviewReport:
    """The decisions so far: how often events were right, by type; how far reviewers agree."""

    decisions: int
    events: int
    by_type: dict[str, tuple[int, int]]  # type -> (events judged, judged right)
    verdicts: Counter
    agreement: list[tuple[str, str, int, float, float | None]]  # reviewer, reviewer, events, agreed, kappa
    stale: list[Stale]

    @property
    def right(self) -> float | None:
        judged = sum(n for n, _ in self.by_type.values())
        return sum(r for _, r in self.by_type.values()) / judged if judged else None


def review_report(store: ox.Store) -> ReviewReport:
    """Accuracy and agreement from the decisions in a store's curation graph.

    An event is judged right when its latest decision is ``ok`` (``fix`` and ``wrong`` are
    not); by the type it was extracted with. Two reviewers agree on an event when they gave
    it the same verdict; kappa is Cohen's, over the events both judged.

    Examples
    --------
    >>> review_report(ox.Store()).events
    0
    """
    decisions = read_decisions(store)
    latest: dict[tuple, Decision] = {}
    by_reviewer: dict[str, dict[tuple, str]] = defaultdict(dict)
    for d in decisions:
        key = (d.sentence, d.trigger, d.event)
        latest[key] = d
        by_reviewer[d.reviewer][key] = d.verdict
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in latest.values():
        counts[d.reviewed_type][0] += 1
        counts[d.reviewed_type][1] += d.verdict == "ok"
    agreement = []
    for a, b in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[a]) & set(by_reviewer[b]))
        if shared:
            pairs = [(by_reviewer[a][k], by_reviewer[b][k]) for k in shared]
            agreed = sum(x == y for x, y in pairs) / len(pairs)
            agreement.append((a, b, len(pairs), agreed, cohen_kappa(pairs)))
    stale = []
    for d in decisions:
        event, why = locate(store, d)
        if event is None:
            stale.append(Stale(d, why or "not found"))
    return ReviewReport(
        decisions=len(decisions),
        events=len(latest),
        by_type={t: (n, r) for t, (n, r) in sorted(counts.items())},
        verdicts=Counter(d.verdict for d in latest.values()),
        agreement=agreement,
        stale=stale,
    )
