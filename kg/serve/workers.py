"""Query workers: fresh processes that each hold the graph, answer one query at a time, and are
killed when a query runs past its time limit; a pool that queues clients fairly."""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, QueryTimeoutError, ServerBusy, WorkerError, WorkerOutOfMemory
from ..query import (
    GRAPH_TYPES,
    TABLE_TYPES,
    QueryRefusedError,
    ResultLimitError,
    format_result,
    negotiate,
    run_query,
)
from ..summary import summarize
from ..vocab import PREFIX_IRIS

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Seconds a query may run.
DEFAULT_TIMEOUT = 30.0
#: Rows (or triples) a query may return.
DEFAULT_MAX_RESULTS = 10_000
#: Bytes of memory (address space) each query worker may use, graph included.
DEFAULT_MAX_MEMORY = 2 * 2**30
#: Largest request body accepted, in bytes.
MAX_BODY = 1_000_000
_SERVICE_REFUSED = "SERVICE is refused: this endpoint does not send requests to other servers"


# --------------------------------------------------------------------------- workers


@dataclass(frozen=True)
class _Source:
    """What a worker loads: an on-disk pyoxigraph store (read-only) or an RDF file into memory."""

    kind: str  # "store" or "file"
    path: str
    format: str = "nt"


_FILE_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS}


def _open_source(source: _Source) -> ox.Store:
    if source.kind == "store":
        return ox.Store.read_only(source.path)
    store = ox.Store()
    store.bulk_load(path=source.path, format=_FILE_FORMATS[source.format], lenient=True)
    summarize(store)  # the counts the named queries read, as a store keeps them
    return store


def _answer(store: ox.Store, request: dict, max_results: int | None) -> tuple[int, str, bytes]:
    try:
        result = run_query(
            store,
            request["query"],
            max_results=max_results,
            default_graphs=request.get("default_graphs"),
            named_graphs=request.get("named_graphs"),
        )
    except QueryRefusedError as exc:
        if exc.reason == "service":
            return 403, "text/plain", _SERVICE_REFUSED.encode()
        return 403, "text/plain", str(exc).encode()
    except ResultLimitError as exc:
        return (
            400,
            "text/plain",
            (
                f"the query gives more than {exc.limit:,} results, the most this server returns (kg serve "
                f"--max-results); add LIMIT {exc.limit} (and OFFSET to page), or narrow the query"
            ).encode(),
        )
    except QueryError as exc:
        return 400, "text/plain", str(exc).encode()
    negotiated = negotiate(request.get("accept"), result.kind)
    if negotiated is None:
        table = GRAPH_TYPES if result.kind == "graph" else TABLE_TYPES
        offered = ", ".join(dict.fromkeys(table))
        return 406, "text/plain", f"cannot answer as {request.get('accept')}; this result comes as: {offered}".encode()
    media, fmt = negotiated
    return 200, media, format_result(result, fmt).encode("utf-8")


def _memory_message(max_memory: int | None) -> str:
    from ..sandbox import format_size

    limit = format_size(max_memory) if max_memory else "the memory it has"
    return (
        f"the query needed more memory than a query worker of this server may use ({limit}, kg serve "
        "--max-memory) and was stopped; narrow it (a LIMIT, fewer unbound patterns, no ORDER BY over everything)"
    )


def _worker_main(
    conn, source: _Source, max_results: int | None, max_memory: int | None = None
) -> None:  # pragma: no cover - in a child
    """A query worker: load the graph, then answer requests from ``conn`` until it closes.

    The worker makes no network socket (:func:`kg.sandbox.deny_network`, its whole life)
    and uses at most ``max_memory`` bytes of address space, graph included.
    """
    from ..sandbox import deny_network, limit_memory

    deny_network()
    if max_memory:
        limit_memory(max_memory)
    try:
        store = _open_source(source)
    except MemoryError:
        conn.send(("error", f"loading the graph needs more memory than --max-memory allows ({max_memory:,} bytes)"))
        return
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            op = request["op"]
            if op == "query":
                reply = _answer(store, request, max_results)
            elif op == "turtle":
                store.dump(request["path"], ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIX_IRIS)
                reply = (200, "text/turtle", b"")
            elif op == "html":
                from ..draw import render_html
                from ..graph import add_ntriples

                graph = Graph()
                data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
                if data:
                    add_ntriples(graph, data)
                page = render_html(graph, title=request.get("title", "Political event graph"))
                Path(request["path"]).write_text(page, encoding="utf-8")
                reply = (200, "text/html", b"")
            else:
                reply = (400, "text/plain", f"unknown operation {op!r}".encode())
        except MemoryError:
            reply = (503, "text/plain", _memory_message(max_memory).encode())
        except Exception as exc:  # the worker stays up; the client learns what failed
            reply = (500, "text/plain", f"internal error: {type(exc).__name__}: {exc}".encode())
        conn.send(reply)


def _worker_process() -> None:  # pragma: no cover - runs in the worker's own interpreter
    """Entry point of a worker process: ``python -c ... FD KIND PATH FORMAT MAX_RESULTS MAX_MEMORY``."""
    fd, kind, path, fmt, max_results, max_memory = sys.argv[1:7]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C at the terminal is the server's to handle; it stops us
    conn = Connection(int(fd))
    _worker_main(
        conn,
        _Source(kind, path, fmt),
        int(max_results) if max_results != "-" else None,
        int(max_memory) if max_memory != "-" else None,
    )


_WORKER_CODE = "from kg.serve.workers import _worker_process; _worker_process()"


class _Worker:
    """One worker process (its own interpreter, started fresh) and the socket to it."""

    def __init__(self, source: _Source, max_results: int | None, max_memory: int | None = None):
        self.conn, child = Pipe(duplex=True)
        env = dict(os.environ)
        here = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
        args = [
            sys.executable,
            "-c",
            _WORKER_CODE,
            str(child.fileno()),
            source.kind,
            source.path,
            source.format,
            "-" if max_results is None else str(max_results),
            "-" if max_memory is None else str(max_memory),
        ]
        try:
            self.process = subprocess.Popen(
                args, pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env
            )
        finally:
            child.close()

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.conn.close()


class _FairQueue:
    """Idle workers, handed to waiting requests fairly: fewest running queries of the client first.

    ``get`` and ``release`` bracket one query of a client; ``put`` returns a worker.
    """

    def __init__(self, per_client: int):
        self.per_client = per_client
        self._cond = threading.Condition()
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiting: list[tuple[int, str]] = []
        self._running: collections.Counter[str] = collections.Counter()
        self._tickets = itertools.count()

    def qsize(self) -> int:
        return len(self._idle)

    def put(self, worker: _Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def _next(self) -> tuple[int, str] | None:
        ready = [t for t in self._waiting if self._running[t[1]] < self.per_client]
        return min(ready, key=lambda t: (self._running[t[1]], t[0])) if ready else None

    def get(self, timeout: float, client: str = "") -> _Worker:
        """An idle worker once it is this request's turn; ``queue.Empty`` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            ticket = (next(self._tickets), client)
            self._waiting.append(ticket)
            try:
                while not (self._idle and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise queue.Empty
                    self._cond.wait(remaining)
                self._running[client] += 1
                return self._idle.popleft()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self, client: str = "") -> None:
        """One query of ``client`` has ended (its worker was put back, or replaced)."""
        with self._cond:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            self._cond.notify_all()


class QueryPool:
    """Worker processes that run queries, and are killed when one runs too long.

    Each worker is a fresh Python process (not a fork: the parent runs threads) that
    loads the graph once and then answers requests over a socket pair.

    Parameters
    ----------
    source
        What each worker loads (``_Source``).
    workers
        How many queries may run at once.
    timeout
        Seconds a query may take, from the moment a worker takes it.
    max_results
        Rows or triples a query may return.
    start_timeout
        Seconds a worker may take to start and load the graph.
    max_memory
        Bytes of address space each worker may use, graph included; None for no bound.
    per_client
        Queries one client may run at once; by default one less than ``workers`` (at least
        one), so that one client's slow queries never hold every worker.

    Notes
    -----
    Requests wait for a worker in a fair queue: a free worker goes to the waiting request
    whose client runs the fewest queries (ties: the one that came first), and a request
    waits at most twice the time limit, since a running query ends within it.
    """

    def __init__(
        self,
        source: _Source,
        *,
        workers: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_results: int | None = DEFAULT_MAX_RESULTS,
        start_timeout: float = 300.0,
        max_memory: int | None = DEFAULT_MAX_MEMORY,
        per_client: int | None = None,
    ):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.source = source
        self.timeout = timeout
        self.max_results = max_results
        self.max_memory = max_memory
        self.start_timeout = start_timeout
        self.size = workers
        self.triples = 0
        self._idle = _FairQueue(per_client or max(1, workers - 1))
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        started = time.perf_counter()
        try:
            for worker in self._spawn_many(workers):
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise
        log.info(
            "%d query worker(s) ready in %.2f s (%d quads each)", workers, time.perf_counter() - started, self.triples
        )

    def _spawn_many(self, n: int) -> list[_Worker]:
        pending = []
        for _ in range(n):
            worker = _Worker(self.source, self.max_results, self.max_memory)
            with self._lock:
                self._all.add(worker)
            pending.append(worker)
        for worker in pending:
            try:
                if not worker.conn.poll(self.start_timeout):
                    raise WorkerError(f"a query worker did not load the graph within {self.start_timeout:g} s")
                status, detail = worker.conn.recv()
            except (EOFError, OSError) as exc:
                raise WorkerError("a query worker died while loading the graph") from exc
            if status != "ready":
                raise WorkerError(f"a query worker cannot load the graph: {detail}")
            self.triples = detail
        return pending

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        if self._closed:
            return

        def respawn() -> None:
            try:
                for new in self._spawn_many(1):
                    if self._closed:
                        new.stop()
                    else:
                        self._idle.put(new)
            except Exception:
                log.exception("could not start a replacement query worker")

        threading.Thread(target=respawn, name="kg-serve-respawn", daemon=True).start()

    def call(self, request: dict, *, timeout: float | None = None, client: str = "") -> tuple[int, str, bytes]:
        """Hand ``request`` to an idle worker and wait for its answer (blocking).

        ``client`` names who asks (an IP address), for the fair queue.

        Raises
        ------
        ServerBusy
            When no worker became free within the time limit.
        QueryTimeoutError
            When the worker did not answer in time (it is killed and replaced).
        KgError
            When the worker died while answering (it is replaced).
        """
        limit = timeout or self.timeout
        wait = 2 * limit + 5
        try:
            worker = self._idle.get(timeout=wait, client=client)
        except queue.Empty as exc:
            raise ServerBusy(f"all {self.size} query workers stayed busy for {wait:g} s") from exc
        try:
            return self._ask(worker, request, limit)
        finally:
            self._idle.release(client)

    def _ask(self, worker: _Worker, request: dict, limit: float) -> tuple[int, str, bytes]:
        try:
            worker.conn.send(request)
            if worker.conn.poll(limit):
                reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            try:
                code = worker.process.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            worker.stop(kill=True)
            self._replace(worker)
            if code in (-signal.SIGABRT, -signal.SIGKILL):  # Rust aborts when an allocation fails; the OOM killer
                raise WorkerOutOfMemory(_memory_message(self.max_memory) + "; its worker has been replaced") from None
            raise WorkerError("a query worker died while answering; it has been replaced") from None
        worker.stop(kill=True)
        self._replace(worker)
        raise QueryTimeoutError(
            f"the query ran longer than this server's time limit of {limit:g} s and was stopped; narrow it "
            "(a LIMIT, a FILTER on a type, entity or date, fewer unbound patterns)",
            limit,
        )

    def close(self) -> None:
        """Stop every worker. Safe to call twice."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop(kill=False)
