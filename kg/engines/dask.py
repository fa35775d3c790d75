"""The Dask engine: parse on the workers of a Dask cluster, build the graph here.

:func:`extract_distributed` cuts the documents into partitions as it reads them, sends
each partition to the cluster as one task (:func:`kg.pipeline.extract_batch`: the worker
parses it with its own copy of the spaCy pipeline and returns picklable
:class:`~kg.model.DocumentExtraction` records), and yields the extractions back in input
order. Only the graph stage runs here, in this process, exactly as in a local build:
IRIs come from stable keys, and because results arrive in input order even the
first-seen-wins choices (an entity's ``rdfs:label``, an event's trigger) are the same,
so the graph equals the single-process build of the same input, triple for triple.

The engine holds little: documents are read one partition ahead of the cluster, at most
``max_pending`` partitions are in flight, and each result is released from the cluster
once it has been handed on. (What the caller does with the extractions, such as adding
them to one rdflib graph, is the caller's memory.)

What the cluster needs: every worker has ``kg`` and the spaCy pipeline installed (the
same versions as here), Dask's ``distributed`` package, and one thread per worker process
(``dask worker tcp://HOST:8786 --nworkers N --nthreads 1``): a spaCy pipeline runs one
parse at a time per process. The workers need no access to the input files; documents
travel with the tasks. Before any work is sent, each worker's kg code and rule files are
compared with this machine's (:func:`code_fingerprint`): a worker running other rules
would make the graph depend on which worker parsed what, so that is an error.

Examples
--------
>>> extract_distributed([], nlp=None)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
TypeError: the dask engine loads the spaCy pipeline on each worker: pass its package name ...
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from ..errors import ClusterError, KgError
from ..model import Document, DocumentExtraction
from ..nlp import DEFAULT_MODEL
from ..pipeline import extract_batch

__all__ = [
    "ClusterError",
    "DEFAULT_PARTITION_SIZE",
    "extract_distributed",
    "partitions",
    "code_fingerprint",
]

log = logging.getLogger(__name__)

#: Documents per task: large enough that a task's overhead (milliseconds) is lost in its
#: parsing (seconds), small enough to spread a corpus over many workers.
DEFAULT_PARTITION_SIZE = 64

_INSTALL = "pip install 'kg[dask]'"



def partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Cut a stream of documents into lists of ``size`` (the last may be shorter), lazily.

    >>> [len(p) for p in partitions([Document(str(n), "x") for n in range(5)], 2)]
    [2, 2, 1]
    """
    if size < 1:
        raise ValueError(f"partition size must be at least 1, not {size}")
    it = iter(documents)
    while part := list(islice(it, size)):
        yield part


def code_fingerprint() -> str:
    """A digest of the kg code and rule files installed here, and of the spaCy version.

    Two machines with the same fingerprint extract the same events from the same text
    (given the same spaCy pipeline).

    >>> len(code_fingerprint())
    16
    """
    import spacy

    root = Path(__file__).resolve().parents[1]  # the kg package
    digest = hashlib.sha1(f"spacy {spacy.__version__}".encode())
    kinds = {".py", ".json", ".jsonl", ".rq", ".ttl"}
    for path in sorted(p for p in root.rglob("*") if p.suffix in kinds and "__pycache__" not in p.parts):
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _worker_fingerprint() -> str:
    return code_fingerprint()


def extract_distributed(
    documents: Iterable[Document],
    *,
    nlp: str = DEFAULT_MODEL,
    batch_size: int = 64,
    on_document: Callable[[DocumentExtraction], None] | None = None,
    scheduler: object | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_pending: int | None = None,
    timeout: float | None = None,
    connect_timeout: float = 30.0,
    worker_timeout: float = 60.0,
    check_workers: bool = True,
) -> Iterator[DocumentExtraction]:
    """Extract documents on a Dask cluster, one extraction at a time, in input order.

    The engine behind ``kg.pipeline.extract(..., engine="dask")`` and
    ``kg build --engine dask``.

    Parameters
    ----------
    documents
        Documents from :func:`kg.read.read_documents` or :func:`kg.read.read_texts`; read
        lazily, one partition ahead of what the cluster is working on.
    nlp
        The package name of the spaCy pipeline, installed on every worker.
    batch_size
        Documents per ``nlp.pipe`` batch on the worker.
    on_document
        Called here after each extraction arrives (progress bars).
    scheduler
        The scheduler's address (``tcp://HOST:8786``), a ``distributed.Client``, or a
        cluster object (``distributed.LocalCluster``). None uses Dask's configured
        ``scheduler-address`` (``DASK_SCHEDULER_ADDRESS``) if there is one, else starts a
        cluster on this machine (one single-threaded worker process per core) for the
        run. A client or cluster passed in is left open; one made here is closed.
    partition_size
        Documents per task.
    max_pending
        Tasks in flight at most; default twice the cluster's worker threads (at least 2).
    timeout
        Seconds to wait for any one partition's result; None waits as long as it takes.
    connect_timeout
        Seconds to wait for the scheduler to answer.
    worker_timeout
        Seconds to wait for a first worker when the scheduler has none.
    check_workers
        Compare every worker's :func:`code_fingerprint` with this machine's before
        sending work (workers that join later are not checked).

    Returns
    -------
    iterator of DocumentExtraction
        One per document, in input order. The cluster is contacted on the first
        ``next()``.

    Raises
    ------
    TypeError
        At once, when ``nlp`` is a loaded pipeline rather than a package name.
    ValueError
        At once, when ``partition_size`` or ``max_pending`` is less than 1.
    ClusterError
        At once when Dask's ``distributed`` is not installed here; while iterating when
        the scheduler cannot be reached, no worker joins, a worker cannot import kg or
        runs other kg code than this machine, or a partition takes longer than ``timeout``.
    ModelError
        When the pipeline is not installed on a worker (raised there, reported here).
    """
    if not isinstance(nlp, str):
        raise TypeError(
            "the dask engine loads the spaCy pipeline on each worker: pass its package name "
            f"(like {DEFAULT_MODEL!r}), not {type(nlp).__name__}"
        )
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    if max_pending is not None and max_pending < 1:
        raise ValueError(f"max_pending must be at least 1, not {max_pending}")
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ClusterError(f"the dask engine needs Dask's distributed package: {_INSTALL}") from exc
    return _run(
        documents,
        model=nlp,
        batch_size=batch_size,
        on_document=on_document,
        scheduler=scheduler,
        partition_size=partition_size,
        max_pending=max_pending,
        timeout=timeout,
        connect_timeout=connect_timeout,
        worker_timeout=worker_timeout,
        check_workers=check_workers,
    )


def _run(
    documents: Iterable[Document],
    *,
    model: str,
    batch_size: int,
    on_document: Callable[[DocumentExtraction], None] | None,
    scheduler: object | None,
    partition_size: int,
    max_pending: int | None,
    timeout: float | None,
    connect_timeout: float,
    worker_timeout: float,
    check_workers: bool,
) -> Iterator[DocumentExtraction]:
    client, owned = _connect(scheduler, connect_timeout)
    pending: deque = deque()
    try:
        threads = _threads(client, worker_timeout)
        if check_workers:
            _check_workers(client)
        limit = max_pending or max(2, 2 * threads)
        log.info("dask: %d worker thread(s) at %s; %d document(s) per task", threads, _where(client), partition_size)
        run = uuid.uuid4().hex[:8]
        for n, part in enumerate(partitions(documents, partition_size)):
            pending.append(
                client.submit(
                    extract_batch, part, model=model, batch_size=batch_size, key=f"kg-extract-{run}-{n}", pure=False
                )
            )
            while len(pending) >= limit:
                yield from _hand_on(pending.popleft(), timeout, on_document)
        while pending:
            yield from _hand_on(pending.popleft(), timeout, on_document)
    finally:
        for future in pending:
            future.cancel()
        pending.clear()
        for closable in reversed(owned):
            try:
                closable.close()
            except Exception as exc:  # closing must not hide the error that got us here
                log.debug("dask: closing %r failed: %s", closable, exc)


def _hand_on(
    future, timeout: float | None, on_document: Callable[[DocumentExtraction], None] | None
) -> Iterator[DocumentExtraction]:
    extractions = _result(future, timeout)
    future.release()
    for extraction in extractions:
        if on_document is not None:
            on_document(extraction)
        yield extraction


def _result(future, timeout: float | None) -> list[DocumentExtraction]:
    from distributed import TimeoutError as DaskTimeoutError

    try:
        return future.result(timeout=timeout)
    except KgError:
        raise
    except ModuleNotFoundError as exc:
        raise ClusterError(
            f"a worker cannot import {exc.name!r} ({exc}): install kg and the spaCy pipeline on every worker, "
            f"the same versions as here ({_INSTALL})"
        ) from exc
    except (TimeoutError, DaskTimeoutError) as exc:
        raise ClusterError(f"a partition took longer than {timeout} s on the cluster; raise the timeout") from exc


def _check_workers(client) -> None:
    mine = code_fingerprint()
    try:
        found = client.run(_worker_fingerprint)
    except ModuleNotFoundError as exc:
        raise ClusterError(
            f"a worker cannot import {exc.name!r} ({exc}): install kg and the spaCy pipeline on every worker, "
            f"the same versions as here ({_INSTALL})"
        ) from exc
    odd = sorted(worker for worker, digest in found.items() if digest != mine)
    if odd:
        raise ClusterError(
            f"{len(odd)} of {len(found)} Dask worker(s) run other kg code or rules than this machine "
            f"({', '.join(odd[:3])}{', ...' if len(odd) > 3 else ''}): the graph would depend on which worker "
            "parsed what. Install the same kg version everywhere and restart the workers after an upgrade."
        )
    log.info("dask: %d worker(s) run the same kg code (%s)", len(found), mine)


def _connect(scheduler: object | None, connect_timeout: float) -> tuple[object, list]:
    """A client for ``scheduler``, and what was made here (to close afterwards, last first)."""
    import dask
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        return scheduler, []
    if scheduler is None:
        scheduler = dask.config.get("scheduler-address", None)
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        log.info("dask: started a local cluster of %d worker process(es)", len(cluster.workers))
        try:
            client = Client(cluster, set_as_default=False)
        except BaseException:
            cluster.close()
            raise
        return client, [cluster, client]
    if isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}): start one with `dask scheduler` "
                "and give its address (tcp://HOST:8786)"
            ) from exc
        return client, [client]
    if hasattr(scheduler, "scheduler_address"):  # a cluster object
        client = Client(scheduler, set_as_default=False)
        return client, [client]
    raise TypeError(
        f"scheduler must be an address like 'tcp://HOST:8786', a distributed.Client or a cluster, "
        f"not {type(scheduler).__name__}"
    )


def _threads(client, worker_timeout: float) -> int:
    threads = sum(client.nthreads().values())
    if threads:
        return threads
    log.info("dask: no worker at %s yet; waiting up to %g s", _where(client), worker_timeout)
    try:
        client.wait_for_workers(1, timeout=worker_timeout)
    except (TimeoutError, OSError) as exc:
        raise ClusterError(
            f"no Dask worker joined the scheduler at {_where(client)} within {worker_timeout:g} s: start workers "
            f"with `dask worker {_where(client)} --nthreads 1`"
        ) from exc
    return max(1, sum(client.nthreads().values()))


def _where(client) -> str:
    return str(client.scheduler.address)
