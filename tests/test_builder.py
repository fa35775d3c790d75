"""kg.builder: a build run from Python, counted once, printing nothing."""

from __future__ import annotations

import json

from kg.analysis.stats import graph_stats
from kg.builder import BuildProgress, build_file, build_store
from kg.graph import load_graph
from kg.store import open_store

DOCS = [
    {"id": "b1", "text": "Atlantis accused Borduria of shelling the border.", "date": "2025-03-01"},
    {"id": "b2", "text": "The President of Kenya met the President of Uganda in Kampala.", "date": "2025-03-02"},
]


class Recorder(BuildProgress):
    def __init__(self):
        self.calls: list[str] = []

    def start(self, description, total):
        self.calls.append(f"start {description} {total}")

    def advance(self, rate):
        self.calls.append("advance")

    def stop(self):
        self.calls.append("stop")


def _articles(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    return path


def test_build_file_reports_what_the_written_graph_holds(tmp_path, capsys):
    progress = Recorder()
    report = build_file([str(_articles(tmp_path))], tmp_path / "g.ttl", progress=progress)
    graph = load_graph(tmp_path / "g.ttl")
    stats = graph_stats(graph)
    assert report.written == [tmp_path / "g.ttl"]
    assert (report.counts.documents, report.counts.events, report.triples) == (2, stats.events, len(graph))
    assert dict(report.kinds) == {"jsonl": 2}
    assert progress.calls == ["start parsing 2", "advance", "advance", "stop"]
    assert capsys.readouterr() == ("", "")


def test_build_store_counts_added_then_unchanged(tmp_path):
    articles = _articles(tmp_path)
    first = build_store([str(articles)], tmp_path / "s.kg")
    second = build_store([str(articles)], tmp_path / "s.kg")
    assert (first.added, first.replaced, first.unchanged, first.documents_in_store) == (2, 0, 0, 2)
    assert (second.added, second.unchanged, second.counts.documents) == (0, 2, 0)
    with open_store(tmp_path / "s.kg", read_only=True) as store:
        assert second.triples == len(store)
