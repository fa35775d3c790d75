"""``kg build --store``, ``kg load``, ``kg remove`` and ``kg serve``: exact output and exit codes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from clitools import error_message, run

from kg.graph import add_extraction, build_graph, entity_iri, merge_graphs, new_graph
from kg.model import Document
from kg.pipeline import extract_document
from kg.store import open_store

DOCS = [
    {"id": "a1", "text": "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling.", "date": "2024-11-13"},
    {"id": "a2", "text": "France urged Russia to withdraw.", "date": "2024-11"},
]
NEW = {"id": "b1", "text": "Germany and Poland signed a defence agreement.", "date": "2024-11-20"}



def _rows(result) -> dict[str, str]:
    """The rows of the summary table: label -> value."""
    out = {}
    for line in result.stderr.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 2:
            out[cells[0]] = cells[1]
    return out


def _write(path: Path, docs) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def parsed(monkeypatch):
    """Record the ids of the documents the pipeline parses."""
    import kg.pipeline

    seen: list[str] = []
    real = kg.pipeline.extract

    def spy(documents, **kwargs):
        def ids(docs):
            for d in docs:
                seen.append(d.id)
                yield d

        return real(ids(documents), **kwargs)

    monkeypatch.setattr(kg.pipeline, "extract", spy)
    return seen


def test_build_store_adds_then_skips_unchanged_then_replaces_changed(tmp_path, parsed, nlp):
    store = tmp_path / "news.kg"
    first = run("build", "--store", str(store), str(_write(tmp_path / "a.jsonl", DOCS)))
    assert first.exit_code == 0, first.output
    assert parsed == ["a1", "a2"]
    rows = _rows(first)
    assert (rows["documents added"], rows["documents replaced"], rows["unchanged, skipped"]) == ("2", "0", "0")
    assert rows["documents in store"] == "2"

    parsed.clear()
    again = run("build", "--store", str(store), str(tmp_path / "a.jsonl"))
    assert again.exit_code == 0, again.output
    assert parsed == []  # nothing parsed again
    rows = _rows(again)
    assert (rows["documents added"], rows["documents replaced"], rows["unchanged, skipped"]) == ("0", "0", "2")

    changed = dict(DOCS[1], text="France urged Russia to withdraw its troops.")
    _write(tmp_path / "a.jsonl", [DOCS[0], changed])
    _write(tmp_path / "b.jsonl", [NEW])
    third = run("build", "--store", str(store), str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"))
    assert third.exit_code == 0, third.output
    assert parsed == ["a2", "b1"]
    rows = _rows(third)
    assert (rows["documents added"], rows["documents replaced"], rows["unchanged, skipped"]) == ("1", "1", "1")

    def doc(d):
        document = Document(d["id"], d["text"], date=d["date"])
        return extract_document(document, nlp(document.text))

    expected = merge_graphs(add_extraction(new_graph(), doc(d)) for d in (DOCS[0], changed, NEW))
    with open_store(store, read_only=True) as opened:
        assert [d.id for d in opened.documents()] == ["a1", "a2", "b1"]  # a replaced document goes last
        assert len(opened.to_graph()) == len(expected)
        got = {(str(s), str(p), str(o)) for s, p, o in opened.to_graph()}
        want = {(str(s), str(p), str(o)) for s, p, o in expected}
        # pyoxigraph writes decimals canonically ("-3" for "-3.0"): compare all else exactly
        assert {t for t in got if not t[1].endswith("#score")} == {t for t in want if not t[1].endswith("#score")}


def test_build_store_bad_input_fails_with_itserror_message(tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    result = run("build", "--store", str(tmp_path / "s"), str(tmp_path / "empty.jsonl"))
    assert result.exit_code == 1
    assert error_message(result) == f"{tmp_path / 'empty.jsonl'}: empty document (no JSON lines)"
    with open_store(tmp_path / "s", read_only=True) as store:
        assert store.documents() == []


# Short invented news items for the streaming store builds: more than one chunk of
# extract_parallel (8 documents), so two workers share them.
STREAM = [
    {"id": f"s{n:02d}", "text": text, "date": f"2024-11-{n:02d}"}
    for n, text in enumerate(
        [
            "Kenya's president met Uganda's president in Nairobi.",
            "France urged Russia to withdraw its troops.",
            "Germany and Poland signed a defence agreement.",
            "Japan accused China of violating its airspace.",
            "Brazil's president visited Argentina on Friday.",
            "Canada condemned Iran for the missile test.",
        ]
        * 2,
        start=1,
    )
]


def _store_content(path: Path) -> tuple[list[str], set[str]]:
    """The document ids (in store order) and the triples of the default graph (the merged view)."""
    import pyoxigraph as ox

    with open_store(path, read_only=True) as opened:
        ids = [d.id for d in opened.documents()]
        triples = {str(q.triple) for q in opened.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    return ids, triples


def _same_rows(result) -> dict[str, str]:
    return {k: v for k, v in _rows(result).items() if k not in ("store", "seconds")}


def test_build_store_with_workers_gives_the_same_store(tmp_path, monkeypatch, nlp):
    import kg.engines.local
    import kg.pipeline

    pools: list[int] = []
    real = kg.engines.local.extract_parallel

    def extract_parallel(documents, **kwargs):
        pools.append(kwargs["workers"])
        return real(documents, **kwargs)

    monkeypatch.setattr(kg.engines.local, "extract_parallel", extract_parallel)
    source = _write(tmp_path / "news.jsonl", STREAM)
    one = run("build", "--store", str(tmp_path / "one.kg"), str(source))
    two = run("build", "--store", str(tmp_path / "two.kg"), str(source), "--workers", "2")
    assert one.exit_code == 0, one.output
    assert two.exit_code == 0, two.output
    assert "ignored" not in two.stderr
    assert pools == [2]  # the second build only, in two processes
    assert _same_rows(two) == _same_rows(one)
    assert _rows(two)["documents added"] == "12"
    assert int(_rows(two)["events"]) > 0
    ids, triples = _store_content(tmp_path / "one.kg")
    assert ids == [d["id"] for d in STREAM]
    assert triples
    assert _store_content(tmp_path / "two.kg") == (ids, triples)


def _breaking(monkeypatch, doc_id: str) -> None:
    """Make the pipeline give document ``doc_id`` a country code in small letters, which
    breaks a shape (pol:country wants "GBR"-like codes); other documents are untouched."""
    from dataclasses import replace

    import kg.pipeline

    real = kg.pipeline.extract

    def extract(documents, **kwargs):
        for extraction in real(documents, **kwargs):
            if extraction.document.id == doc_id:
                assert extraction.entities
                entities = tuple(replace(e, country="xx") for e in extraction.entities)
                extraction = replace(extraction, entities=entities)
            yield extraction

    monkeypatch.setattr(kg.pipeline, "extract", extract)


@pytest.mark.parametrize("checker", ["stream", "pyshacl"])
def test_build_store_stops_at_a_document_that_breaks_a_shape(tmp_path, monkeypatch, nlp, checker):
    import kg.validation

    if checker == "pyshacl":  # shapes StreamValidator cannot compile: each document goes to pyshacl

        def refuse(*args, **kwargs):
            raise kg.validation.UnsupportedShapes("test")

        monkeypatch.setattr(kg.validation, "StreamValidator", refuse)
    source = _write(tmp_path / "news.jsonl", STREAM[:5])
    store = tmp_path / "news.kg"
    _breaking(monkeypatch, "s03")
    result = run("build", "--store", str(store), str(source))
    assert result.exit_code == 1
    message = error_message(result).splitlines()
    assert message[0] == (
        f"{store}: document 's03' ({source}:3) breaks the SHACL shapes and was not added; "
        "the 2 document(s) this build added before it stay in the store."
    )
    breaks = "An entity has at most one pol:country, an ISO 3166-1 alpha-3 code in capitals such as \"GBR\"."
    assert message[1:] == [
        f"the graph of document 's03' ({source}:3) does not conform to the kg SHACL shapes (2 violations):"
        if checker == "stream" else "the graph does not conform to the kg SHACL shapes (2 violations):",
        f"  <{entity_iri('country/DEU')}>: pol:country: {breaks}",  # Germany's and Poland's codes
        f"  <{entity_iri('country/POL')}>: pol:country: {breaks}",
        "Fix the nodes named above; kg.validation.validate(graph).text has pyshacl's full report.",
    ]
    assert _store_content(store)[0] == ["s01", "s02"]

    monkeypatch.undo()  # the pipeline as it is: the rest is added, the first two are not parsed again
    again = run("build", "--store", str(store), str(source))
    assert again.exit_code == 0, again.output
    rows = _rows(again)
    assert (rows["documents added"], rows["unchanged, skipped"], rows["documents in store"]) == ("3", "2", "5")


def test_build_store_without_validation_adds_a_document_that_breaks_a_shape(tmp_path, monkeypatch, nlp):
    source = _write(tmp_path / "news.jsonl", STREAM[:3])
    _breaking(monkeypatch, "s03")
    result = run("build", "--store", str(tmp_path / "news.kg"), str(source), "--no-validate")
    assert result.exit_code == 0, result.output
    assert _store_content(tmp_path / "news.kg")[0] == ["s01", "s02", "s03"]


def test_build_store_adds_each_document_before_the_next_is_extracted(tmp_path, monkeypatch, nlp):
    """Nothing holds the corpus: each extraction goes into the store as soon as it comes."""
    import kg.pipeline
    from kg.store import GraphStore

    calls: list[tuple[str, str]] = []
    real_extract, real_add = kg.pipeline.extract, GraphStore.add_extraction

    def extract(documents, **kwargs):
        for extraction in real_extract(documents, **kwargs):
            calls.append(("extracted", extraction.document.id))
            yield extraction

    def add_extraction(self, extraction, **kwargs):
        calls.append(("added", extraction.document.id))
        return real_add(self, extraction, **kwargs)

    monkeypatch.setattr(kg.pipeline, "extract", extract)
    monkeypatch.setattr(GraphStore, "add_extraction", add_extraction)
    result = run("build", "--store", str(tmp_path / "news.kg"), str(_write(tmp_path / "news.jsonl", STREAM[:4])))
    assert result.exit_code == 0, result.output
    assert calls == [(what, d["id"]) for d in STREAM[:4] for what in ("extracted", "added")]


def test_build_store_interrupted_keeps_what_it_added_complete(tmp_path, monkeypatch, nlp):
    import kg.pipeline

    real = kg.pipeline.extract

    def extract(documents, **kwargs):
        for extraction in real(documents, **kwargs):
            if extraction.document.id == "s03":
                raise KeyboardInterrupt
            yield extraction

    monkeypatch.setattr(kg.pipeline, "extract", extract)
    source = _write(tmp_path / "news.jsonl", STREAM[:5])
    store = tmp_path / "news.kg"
    result = run("build", "--store", str(store), str(source))
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{store}: interrupted; the 2 document(s) this build added stay in the store, each complete; "
        "build again to add the rest"
    )
    assert _store_content(store)[0] == ["s01", "s02"]

    monkeypatch.undo()
    assert run("build", "--store", str(store), str(source)).exit_code == 0
    assert run("build", "--store", str(tmp_path / "whole.kg"), str(source)).exit_code == 0
    assert _store_content(store) == _store_content(tmp_path / "whole.kg")


def test_build_store_bad_line_midway_keeps_the_documents_before_it(tmp_path, nlp):
    source = tmp_path / "news.jsonl"
    source.write_text(
        "".join(json.dumps(d) + "\n" for d in STREAM[:2]) + "not json\n" + json.dumps(STREAM[2]) + "\n",
        encoding="utf-8",
    )
    store = tmp_path / "news.kg"
    result = run("build", "--store", str(store), str(source), "--batch-size", "1")
    assert result.exit_code == 1
    assert error_message(result) == f"{source}:3: malformed JSON (Expecting value at column 1)"
    assert _store_content(store)[0] == ["s01", "s02"]


@pytest.fixture
def filled(tmp_path, nlp):
    """A store with a1 and a2, built in-process."""
    path = tmp_path / "news.kg"
    with open_store(path) as store:
        for d in DOCS:
            document = Document(d["id"], d["text"], date=d["date"])
            store.add_extraction(extract_document(document, nlp(document.text)))
    return path


def test_remove_prints_what_is_left(filled):
    result = run("remove", "--store", str(filled), "a2")
    assert result.exit_code == 0, result.output
    with open_store(filled, read_only=True) as store:
        assert [d.id for d in store.documents()] == ["a1"]
        assert result.stderr == f"removed 1 document(s); {filled} now holds 1 documents, {len(store):,} triples\n"


def test_remove_unknown_id_fails_and_keeps_everything(filled):
    result = run("remove", "--store", str(filled), "a1", "zz")
    assert result.exit_code == 1
    assert error_message(result) == (
        f"{filled}: no document 'zz' in the store; nothing was removed (list the ids with: kg query STORE "
        "'SELECT ?id { ?d dcterms:identifier ?id }')"
    )
    with open_store(filled, read_only=True) as store:
        assert [d.id for d in store.documents()] == ["a1", "a2"]
        triples = len(store)
    assert triples > 0
    tolerant = run("remove", "--store", str(filled), "a1", "zz", "--missing-ok")
    assert tolerant.exit_code == 0, tolerant.output
    with open_store(filled, read_only=True) as store:
        assert [d.id for d in store.documents()] == ["a2"]
        assert tolerant.stderr == (
            f"removed 1 document(s); {filled} now holds 1 documents, {len(store):,} triples\n"
        )


def test_remove_from_missing_store_fails(tmp_path):
    result = run("remove", "--store", str(tmp_path / "nope"), "a1")
    assert result.exit_code == 1
    assert error_message(result) == f"{tmp_path / 'nope'}: no such store; make one with kg build --store DIR ..."


def test_load_graph_file_into_store(tmp_path, filled, nlp):
    document = Document(NEW["id"], NEW["text"], date=NEW["date"])
    graph = build_graph([extract_document(document, nlp(document.text))])
    graph.serialize(tmp_path / "b.ttl", format="turtle")
    result = run("load", "--store", str(filled), str(tmp_path / "b.ttl"))
    assert result.exit_code == 0, result.output
    with open_store(filled, read_only=True) as store:
        assert [d.id for d in store.documents()] == ["a1", "a2", "b1"]
        assert result.stderr == (
            f"{tmp_path / 'b.ttl'}: 1 added, 0 replaced, 0 unchanged\n{filled}: 3 documents, {len(store):,} triples\n"
        )


def test_load_bad_file_fails(tmp_path):
    (tmp_path / "bad.ttl").write_text("not turtle at all", encoding="utf-8")
    result = run("load", "--store", str(tmp_path / "s"), str(tmp_path / "bad.ttl"))
    assert result.exit_code == 1
    assert error_message(result).startswith(f"{tmp_path / 'bad.ttl'}: not valid turtle (")
    with open_store(tmp_path / "s", read_only=True) as store:
        assert store.documents() == [] and len(store) == 0


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_serve_command_answers_and_stops_on_ctrl_c(filled):
    code = "import typer; from kg.cli.store import serve; typer.run(serve)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(filled), "--port", "0", "--timeout", "5"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    try:
        deadline = time.monotonic() + 30
        first = proc.stderr.readline()
        while "SPARQL endpoint" not in first and time.monotonic() < deadline and proc.poll() is None:
            first = proc.stderr.readline()
        url = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+/sparql)", first).group(1)
        assert proc.stderr.readline().strip() == f"explorer {url[:-7]}/   graph {url[:-7]}/graph.ttl"
        assert proc.stderr.readline().strip() == (
            "read-only; time limit 5 s, at most 10,000 results, 2 GiB per worker; no cross-origin reads; Ctrl-C stops"
        )
        answer = httpx.get(url, params={"query": "SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id"})
        assert [b["id"]["value"] for b in answer.json()["results"]["bindings"]] == ["a1", "a2"]
        workers = _children(proc.pid)
        assert len(workers) == 2
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
        assert proc.stderr.read().strip() == "kg serve: stopped"
        assert all(
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text() for pid in workers
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        proc.stderr.close()


def test_serve_command_port_in_use(filled):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    try:
        result = run("serve", str(filled), "--port", str(port))
    finally:
        sock.close()
    assert result.exit_code == 1
    assert error_message(result) == (
        f"127.0.0.1:{port}: cannot listen there (Address already in use); pick another --port"
    )


@pytest.mark.parametrize("reader", [
    ("query", "{store}", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    ("stats", "{store}"),
    ("export", "{store}", "-o", "{out}"),
])  # fmt: skip
def test_reading_a_store_lets_go_of_it_for_a_later_build_in_the_same_process(tmp_path, reader):
    store = tmp_path / "s.kg"
    assert run("build", "--store", str(store), str(_write(tmp_path / "a.jsonl", DOCS[:1]))).exit_code == 0
    args = [a.replace("{store}", str(store)).replace("{out}", str(tmp_path / "out.ttl")) for a in reader]
    assert run(*args).exit_code == 0
    again = run("build", "--store", str(store), str(_write(tmp_path / "b.jsonl", [NEW])))
    assert again.exit_code == 0, again.output
    with open_store(store, read_only=True) as opened:
        assert [d.id for d in opened.documents()] == ["a1", "b1"]
