"""Time the explorer in headless Chromium and print what it shows at first sight.

    .venv/bin/python benchmarks/explorer.py                     # 300 documents and 5,000 entities
    .venv/bin/python benchmarks/explorer.py --docs 100 --nodes 2000,5000

Two kinds of graph: a generated corpus of ``--docs`` documents (``make_corpus.py``) built by
kg's real extraction, as an analyst's build would be; and synthetic graphs
(``synthetic.py``) with at least each of ``--nodes`` entities, drawn with ``max_nodes``
set to that size. For each page: the time :func:`kg.draw.draw_html` takes, the file's
size, the time from navigation until the page has drawn in Chromium (``tests/browser.py``;
the issue's limits are 5 s for 300 documents and 10 s for 5,000 nodes), the view it opens
in, the nodes and links drawn, the entities hidden for want of a link, and the labels
shown (and whether any two overlap).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import Chromium, find_chromium  # noqa: E402

READY = "window.kg && window.kg.ready && window.kg.drawn"
STATE = """(function () {
    var labels = kg.labels, overlaps = 0;
    for (var i = 0; i < labels.length; i++) {
        for (var j = i + 1; j < labels.length; j++) {
            var a = labels[i], b = labels[j];
            if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) { overlaps += 1; }
        }
    }
    return {view: kg.view(), nodes: kgNetwork.body.nodeIndices.length, links: kgNetwork.body.edgeIndices.length,
            hidden: kg.hiddenEntities, labels: labels.length, overlaps: overlaps};
})()"""


def corpus_graph(docs: int):
    from make_corpus import write_corpus

    import kg

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        write_corpus(path, docs=docs)
        return kg.build_graph(kg.extract(kg.read_documents([path])))


def synthetic(nodes: int):
    from synthetic import synthetic_extractions

    from kg.graph import build_graph

    return build_graph(synthetic_extractions(int(nodes * 1.8), entities=int(nodes * 1.2)))


def measure(browser: Chromium, graph, name: str, max_nodes: int, folder: Path) -> dict:
    from kg.draw import draw_html

    path = folder / f"{name}.html"
    started = time.perf_counter()
    draw_html(graph, path, max_nodes=max_nodes, title=name)
    render = time.perf_counter() - started
    page = browser.new_page()
    try:
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=120)
        page.wait_for(READY, timeout=120)
        opened = time.perf_counter() - started
        state = page.evaluate(STATE)
    finally:
        page.close()
    return {"page": name, "render s": render, "MB": path.stat().st_size / 1e6, "open s": opened, **state}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300, help="documents in the generated corpus (0: none)")
    parser.add_argument("--nodes", default="5000", help="entities of the synthetic graphs, comma-separated")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium not found: install it (apt-get install chromium) or set KG_CHROMIUM")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Chromium(executable, timeout=120) as browser:
        if args.docs:
            print(f"building a corpus of {args.docs} documents ...", file=sys.stderr)
            rows.append(measure(browser, corpus_graph(args.docs), f"corpus-{args.docs}", 500, Path(tmp)))
        for n in (int(v) for v in args.nodes.split(",") if v):
            print(f"generating a synthetic graph of {n:,} entities ...", file=sys.stderr)
            rows.append(measure(browser, synthetic(n), f"synthetic-{n}", n, Path(tmp)))
    columns = ["page", "render s", "MB", "open s", "view", "nodes", "links", "hidden", "labels", "overlaps"]
    table = [[f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in table:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
