"""What the security walls of issue 13 cost, printed as one table.

    .venv/bin/python benchmarks/security.py             # ~30 s on 2 cores
    .venv/bin/python benchmarks/security.py --repeat 2000

Measured, each as the median of ``--repeat`` runs (after a warm-up):

check, fast path
    :func:`kg.query.check_query` on a named query that does not have the letters of
    ``service``: the depth count and a regular expression, no parse.
check, rdflib parse
    The same query parsed by rdflib (what a query that mentions ``service`` costs): the
    cheapest and the dearest of the named queries.
run_query without / with the network wall
    ``ASK { ?s ?p ?o }`` on a small in-memory store, with ``allow_service=True`` (no
    check, evaluated in the calling thread) and by default (the check, and evaluation in
    a fresh thread under the seccomp filter); the difference is the wall's cost per query.
run_offline, empty function
    A fresh thread with the filter loaded against a plain thread: the wall alone.
serve worker start
    Time for :class:`kg.serve.QueryPool` to start one worker and load a small graph,
    with the 2 GiB memory bound (as ``kg serve`` runs) and without; both load the filter.
depth count
    :func:`kg.query.query_depth` over a query of 1 MB, the largest ``kg serve`` accepts.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path


def _median(func, repeat: int) -> float:
    func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    from kg.graph import new_graph
    from kg.query import check_query, named_queries, query_depth, run_query, to_store
    from kg.query.check import _rdflib_parse
    from kg.sandbox import network_wall, run_offline
    from kg.serve.workers import QueryPool, _Source

    wall = network_wall()
    print(f"network wall: {'seccomp filter in force' if wall is None else 'none: ' + wall}")
    rows: list[tuple[str, str]] = []

    texts = {}
    for name, named in named_queries().items():
        text, _ = named.text(named.bind({p.name: "x" for p in named.params if p.required}))
        texts[name] = text.replace("$", "?")
    smallest = min(texts, key=lambda n: len(texts[n]))
    largest = max(texts, key=lambda n: len(texts[n]))
    fast = _median(lambda: check_query(texts[largest]), args.repeat)
    rows.append(("check, fast path (no 'service')", f"{fast * 1e6:,.0f} µs"))
    few = max(10, args.repeat // 10)
    for name in (smallest, largest):
        cost = _median(lambda name=name: _rdflib_parse(texts[name]), few)
        rows.append((f"check, rdflib parse ({name}, {len(texts[name])} chars)", f"{cost * 1e3:,.1f} ms"))

    g = new_graph()
    from rdflib import Literal, URIRef

    for i in range(100):
        g.add((URIRef(f"http://e/{i}"), URIRef("http://e/p"), Literal(i)))
    store = to_store(g)
    plain = _median(lambda: run_query(store, "ASK { ?s ?p ?o }", allow_service=True), args.repeat)
    walled = _median(lambda: run_query(store, "ASK { ?s ?p ?o }"), args.repeat)
    rows.append(("run_query ASK, no check, no wall", f"{plain * 1e6:,.0f} µs"))
    extra = (walled - plain) * 1e6
    rows.append(("run_query ASK, check and wall (default)", f"{walled * 1e6:,.0f} µs (+{extra:,.0f} µs)"))

    def thread():
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()

    bare = _median(thread, args.repeat)
    offline = _median(lambda: run_offline(lambda: None), args.repeat)
    rows.append(("plain thread, empty function", f"{bare * 1e6:,.0f} µs"))
    extra = (offline - bare) * 1e6
    rows.append(("run_offline (thread + seccomp filter)", f"{offline * 1e6:,.0f} µs (+{extra:,.0f} µs)"))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.nt"
        g.serialize(destination=str(path), format="nt", encoding="utf-8")
        for label, memory in (("serve worker start, 2 GiB bound", 2 * 2**30), ("serve worker start, no bound", None)):
            starts = []
            for _ in range(3):
                started = time.perf_counter()
                pool = QueryPool(_Source("file", str(path), "nt"), workers=1, max_memory=memory)
                starts.append(time.perf_counter() - started)
                pool.close()
            rows.append((label, f"{statistics.median(starts):.2f} s"))

    for label, big in (
        ("query_depth, 1 MB of triple patterns", "SELECT * WHERE { " + "?s ?p ?o . " * 90_000 + "}"),
        ("query_depth, 1 MB of brackets", "SELECT * WHERE { " + "{} " * 330_000 + "}"),
    ):
        rows.append((label, f"{_median(lambda big=big: query_depth(big), 5) * 1e3:,.1f} ms"))

    width = max(len(r[0]) for r in rows)
    for what, figure in rows:
        print(f"{what.ljust(width)}  {figure}")
    print(
        "note: the worker always loads the seccomp filter (it costs well under a millisecond); the two start "
        "figures differ by the memory bound only, and by noise"
    )


if __name__ == "__main__":
    main()
