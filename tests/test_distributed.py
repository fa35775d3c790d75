"""The Dask engine: a two-worker LocalCluster builds the same graph as one process.

The cluster runs its workers as separate processes (``processes=True``), as a real
cluster does: every partition and every extraction is pickled across a process boundary,
and each worker imports kg and loads the spaCy pipeline itself. (Thread workers would
share this process's pipeline and skip the pickling, so they would prove less.) It is
started once for the module, with bounded timeouts, and closed at the end.
"""

from __future__ import annotations

import pickle

import pytest

distributed = pytest.importorskip("distributed", reason="the dask engine needs kg[dask]")

from rdflib.compare import isomorphic  # noqa: E402

from kg.errors import KgError  # noqa: E402
from kg.graph import build_graph, entity_iri  # noqa: E402
from kg.model import Document  # noqa: E402
from kg.nlp import DEFAULT_MODEL  # noqa: E402
from kg.pipeline import ENGINES, extract, extract_batch, extract_document  # noqa: E402
from kg.vocab import POL, RDF, RDFS  # noqa: E402

#: Short invented news items; the same actors recur in documents that land in different partitions.
DOCUMENTS = (
    Document("w-1", "Kenya met Uganda on Monday. Kenya accused Uganda of smuggling.", date="2024-11-13"),
    Document("w-2", "France urged Russia to withdraw its troops.", date="2024-11"),
    Document(
        "w-3",
        "Prime Minister Helena Varga of Atlantis met President Tomas Reyes of Borduria in Geneva.",
        date="2025-03-03",
    ),
    Document("w-4", "Uganda rejected the accusation. Kenya and Uganda agreed to hold talks.", date="2024-11-14"),
    Document("w-5", "Russia threatened France with sanctions.", date="2024-11-20"),
    Document("w-6", "Ms Varga said Atlantis would support Borduria's bid to join the trade pact.", date="2025-03-03"),
    Document("w-7", "The weather in Nairobi was mild.", date="2024-11-15"),
    Document("w-8", "Kenya met Uganda on Monday.", date="2024-11-13"),
)


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes, their scheduler, and a client; closed after the module."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, timeout=30
    )
    try:
        with distributed.Client(cluster, timeout=30, set_as_default=False) as c:
            c.wait_for_workers(2, timeout=30)
            yield c
    finally:
        cluster.close(timeout=30)


def _dask(documents, client, **options):
    return list(extract(documents, engine="dask", scheduler=client, **options))


def test_extract_dask_graph_equals_single_process_build(client, nlp):
    local = build_graph(extract(DOCUMENTS, nlp=nlp))
    with distributed.get_task_stream(client) as stream:
        extractions = _dask(DOCUMENTS, client, partition_size=2, timeout=60)
    remote = build_graph(extractions)
    assert {task["worker"] for task in stream.data} == set(client.nthreads())  # both workers did work
    assert len(stream.data) == 4  # 8 documents, 2 per partition
    assert [x.document.id for x in extractions] == [d.id for d in DOCUMENTS]
    assert set(remote) == set(local)
    assert isomorphic(remote, local)


def test_extract_dask_merges_entities_across_partitions(client):
    # w-1 and w-8 state the same meeting: one partition each, one event, one Kenya node.
    graph = build_graph(_dask([DOCUMENTS[0], DOCUMENTS[7]], client, partition_size=1, timeout=60))
    kenya = entity_iri("country/KEN")
    assert [str(label) for label in graph.objects(kenya, RDFS.label)] == ["Kenya"]
    consults = {e for e in graph.subjects(POL.eventType, POL.CONSULT) if (e, RDF.type, POL.Event) in graph}
    assert len(consults) == 1
    assert len(set(graph.objects(next(iter(consults)), POL.actor))) == 2


def test_extract_dask_empty_input_gives_nothing(client):
    assert _dask([], client, timeout=60) == []


def test_extract_dask_calls_on_document_in_order(client):
    seen: list[str] = []
    _dask(DOCUMENTS[:3], client, partition_size=1, on_document=lambda x: seen.append(x.document.id), timeout=60)
    assert seen == ["w-1", "w-2", "w-3"]


def test_extract_dask_unknown_model_is_model_error_from_the_worker(client):
    with pytest.raises(KgError, match="'no_such_pipeline' is not installed"):
        list(extract(DOCUMENTS[:1], nlp="no_such_pipeline", engine="dask", scheduler=client, timeout=60))


def test_extract_dask_needs_a_pipeline_name(nlp):
    with pytest.raises(TypeError, match="pass its package name"):
        extract(DOCUMENTS, nlp=nlp, engine="dask")


def test_extract_dask_unreachable_scheduler_is_cluster_error():
    from kg.engines.dask import ClusterError, extract_distributed

    stream = extract_distributed(DOCUMENTS, scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        next(stream)


def test_extract_unknown_engine_is_kg_error_naming_the_choices():
    with pytest.raises(KgError, match="no extraction engine 'spark': choose one of local, dask"):
        extract(DOCUMENTS, engine="spark")
    assert list(ENGINES) == ["local", "dask"]


def test_extract_local_engine_warns_about_a_scheduler(nlp):
    with pytest.warns(UserWarning, match="scheduler ignored by the local engine"):
        out = list(extract(DOCUMENTS[:1], nlp=nlp, scheduler="tcp://127.0.0.1:8786"))
    assert [x.document.id for x in out] == ["w-1"]


def test_extract_batch_equals_extract_document_and_pickles(nlp):
    batch = extract_batch(DOCUMENTS[:3], model=DEFAULT_MODEL, batch_size=2)
    assert batch == [extract_document(d, nlp(d.text)) for d in DOCUMENTS[:3]]
    assert pickle.loads(pickle.dumps(batch)) == batch


def test_partitions_cut_lazily_and_reject_zero():
    from kg.engines.dask import partitions

    pulled: list[int] = []

    def docs():
        for n in range(5):
            pulled.append(n)
            yield Document(str(n), "x")

    parts = partitions(docs(), 2)
    assert [d.id for d in next(parts)] == ["0", "1"]
    assert pulled == [0, 1]  # nothing read ahead
    assert [[d.id for d in p] for p in parts] == [["2", "3"], ["4"]]
    with pytest.raises(ValueError, match="at least 1, not 0"):
        next(partitions([], 0))


def test_extract_dask_refuses_workers_running_other_code(client, monkeypatch):
    import kg.engines.dask
    from kg.engines.dask import ClusterError

    monkeypatch.setattr(kg.engines.dask, "code_fingerprint", lambda: "0" * 16)  # here only, not on the workers
    with pytest.raises(ClusterError, match=r"2 of 2 Dask worker\(s\) run other kg code or rules than this machine"):
        _dask(DOCUMENTS[:1], client, timeout=60)


def test_code_fingerprint_is_stable():
    from kg.engines.dask import code_fingerprint

    assert code_fingerprint() == code_fingerprint()
    assert len(code_fingerprint()) == 16
