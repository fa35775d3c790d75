"""The serve stage: a read-only SPARQL 1.1 Protocol endpoint and the HTML explorer over HTTP.

``kg serve GRAPH|STORE`` answers SPARQL at ``/sparql`` (GET, and POST as
``application/sparql-query`` or form-encoded ``query=``), the actor-network explorer of
:func:`kg.draw.render_html` at ``/``, and the whole graph as Turtle at ``/graph.ttl``.
It is a small Starlette application served by uvicorn; queries run in pyoxigraph.

Results follow the ``Accept`` header: SELECT and ASK as SPARQL JSON (the default), XML,
CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, JSON-LD or
RDF/XML. No web page of another origin may read the answers unless allowed with
``cors_origins`` (``kg serve --cors ORIGIN``): a browser client such as YASGUI needs its
origin named, or ``*``.

The endpoint is read-only and guarded:

- SPARQL Update (``update=``, ``application/sparql-update``) is refused with 403.
- ``SERVICE`` is refused with 403 before anything is evaluated (pyoxigraph would follow
  it to any host): the worker parses the query (:func:`kg.query.check_query`), and the
  worker processes cannot open network sockets at all (:mod:`kg.sandbox`).
- Queries nested deeper than :data:`kg.query.MAX_QUERY_DEPTH` are refused (400) unread.
- Each worker may use ``max_memory`` bytes; a query that needs more is answered 503 and
  its worker replaced.
- Requests queue fairly: a free worker goes to the client running the fewest queries,
  and no client holds every worker (see :class:`QueryPool`).
- Each query has a time limit (``timeout``): past it the answer is 503 and the query
  is stopped for real. pyoxigraph has no way to cancel a query, so queries run in a
  small pool of worker processes (fresh interpreters, talking over a socket pair), each
  holding its own copy of the graph (or its own read-only handle on a store); a worker
  that runs over time is killed, and a new one is started in the background.
- At most ``max_results`` rows (or triples) are returned: a query that gives more is
  answered 400 with a message asking for a LIMIT, not silently cut.
- Requests over 1 MB are refused (413); by default only the loopback interface is bound.

A store is served under a shared lock: ``kg build --store``, ``kg load`` and ``kg remove``
on it are refused until the server stops, so the workers never read a store while it
changes. Workers are separate processes started with ``subprocess`` (POSIX only: they
get their socket through ``pass_fds``).

Examples
--------
Serve a graph in the background (for a notebook or a test) and query it::

    from kg.serve import BackgroundServer
    with BackgroundServer("graph.ttl") as server:
        print(server.url)  # http://127.0.0.1:PORT/sparql
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import logging
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import uvicorn
from rdflib import Graph
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .errors import InputError, KgError, QueryError, QueryTimeoutError, ServerBusy, WorkerOutOfMemory
from .query import (
    GRAPH_TYPES,
    MAX_QUERY_DEPTH,
    TABLE_TYPES,
    QueryRefusedError,
    ResultLimitError,
    format_result,
    negotiate,
    query_depth,
    run_query,
)
from .store import GraphStore, is_store, load_source, open_store
from .summary import summarize
from .vocab import PREFIX_IRIS

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RESULTS",
    "QueryPool",
    "create_app",
    "serve",
    "BackgroundServer",
]

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
    from .sandbox import format_size

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
    from .sandbox import deny_network, limit_memory

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
                from .draw import render_html
                from .graph import add_ntriples

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


_WORKER_CODE = "from kg.serve import _worker_process; _worker_process()"


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
                    raise KgError(f"a query worker did not load the graph within {self.start_timeout:g} s")
                status, detail = worker.conn.recv()
            except (EOFError, OSError) as exc:
                raise KgError("a query worker died while loading the graph") from exc
            if status != "ready":
                raise KgError(f"a query worker cannot load the graph: {detail}")
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
            raise KgError("a query worker died while answering; it has been replaced") from None
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


# --------------------------------------------------------------------------- the application


class _Service:
    """Everything the app needs: the worker pool, a temporary directory and cached pages."""

    def __init__(
        self,
        source,
        *,
        workers: int,
        timeout: float,
        max_results: int | None,
        title: str,
        max_memory: int | None = DEFAULT_MAX_MEMORY,
    ):
        self.title = title
        self.timeout = timeout
        self.max_results = max_results
        self.tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        self.store: GraphStore | None = None
        self._page_lock = threading.Lock()
        self._pages: dict[str, Path] = {}
        self.pool: QueryPool | None = None
        try:
            self.pool = QueryPool(
                self._prepare(source), workers=workers, timeout=timeout, max_results=max_results, max_memory=max_memory
            )
        except BaseException:
            self.close()
            raise

    def _prepare(self, source) -> _Source:
        if isinstance(source, str | os.PathLike) and is_store(source):
            self.store = open_store(source, read_only=True, create=False)  # holds a shared lock
            return _Source("store", str(Path(source) / "oxigraph"))
        if isinstance(source, str | os.PathLike):
            source = load_source(source)
        path = self.tmp / "source.nq"
        if isinstance(source, GraphStore):
            source.oxigraph.dump(str(path), ox.RdfFormat.N_QUADS)
            return _Source("file", str(path), "nq")
        if not isinstance(source, Graph):
            raise TypeError(f"cannot serve a {type(source).__name__}: give a graph file, a store or an rdflib Graph")
        path = self.tmp / "source.nt"
        source.serialize(destination=str(path), format="nt", encoding="utf-8")
        return _Source("file", str(path), "nt")

    def page(self, name: str) -> Path:
        """The cached ``graph.ttl`` or ``index.html``, made by a worker on first use."""
        with self._page_lock:
            if name not in self._pages:
                path = self.tmp / name
                op = "turtle" if name.endswith(".ttl") else "html"
                status, _, body = self.pool.call(
                    {"op": op, "path": str(path), "title": self.title}, timeout=max(self.timeout, 600.0)
                )
                if status != 200:
                    raise KgError(body.decode("utf-8", "replace"))
                self._pages[name] = path
            return self._pages[name]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        if self.store is not None:
            self.store.close()
            self.store = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def _text(status: int, message: str, **headers) -> Response:
    return Response(
        message.rstrip("\n") + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=headers or None
    )


_SERVICE_REFUSED = "SERVICE is refused: this endpoint does not send requests to other servers"
_UPDATE_REFUSED = "this endpoint is read-only: SPARQL Update is refused; build or remove documents with the kg command"


async def _body(request: Request) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _params(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


async def _sparql(request: Request) -> Response:
    service: _Service = request.app.state.kg
    params = _params(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return _text(403, _UPDATE_REFUSED)
        body = await _body(request)
        if body is None:
            return _text(413, f"the request is larger than {MAX_BODY:,} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _text(400, "the request body is not UTF-8")
        if media == "application/x-www-form-urlencoded":
            form = _params((k, v) for k, values in parse_qs(text, keep_blank_values=True).items() for v in values)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            query = text
        else:
            return _text(
                415,
                "send the query as application/sparql-query, or form-encoded as query=... "
                f"(got {media or 'no content type'})",
            )
    if "update" in params:
        return _text(403, _UPDATE_REFUSED)
    if query is None:
        queries = params.get("query", [])
        if len(queries) != 1:
            what = "no query" if not queries else f"{len(queries)} queries"
            return _text(400, f"{what} given: send one query, as ?query=... or in a POST body")
        query = queries[0]
    if query_depth(query) > MAX_QUERY_DEPTH:  # cheap; the worker parses, and checks for SERVICE
        return _text(400, f"the query nests brackets more than {MAX_QUERY_DEPTH} deep; flatten it")
    request_data = {
        "op": "query",
        "query": query,
        "accept": request.headers.get("accept"),
        "default_graphs": params.get("default-graph-uri"),
        "named_graphs": params.get("named-graph-uri"),
    }
    started = time.perf_counter()
    try:
        client = request.client.host if request.client else ""
        status, media, body = await _in_thread(functools.partial(service.pool.call, request_data, client=client))
    except (QueryTimeoutError, WorkerOutOfMemory) as exc:
        return _text(503, str(exc))
    except ServerBusy as exc:
        return _text(503, f"{exc}; try again shortly", **{"Retry-After": "1"})
    except KgError as exc:
        return _text(500, str(exc))
    log.info("query answered %d in %.3f s", status, time.perf_counter() - started)
    if status != 200:
        return _text(status, body.decode("utf-8", "replace"))
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return Response(body, media_type=media, headers={"Vary": "Accept"})


async def _in_thread(func, *args):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)


async def _index(request: Request) -> Response:
    service: _Service = request.app.state.kg
    try:
        path = await _in_thread(service.page, "index.html")
    except KgError as exc:
        return _text(503 if isinstance(exc, QueryTimeoutError | ServerBusy) else 500, str(exc))
    return FileResponse(path, media_type="text/html; charset=utf-8")


async def _turtle(request: Request) -> Response:
    service: _Service = request.app.state.kg
    try:
        path = await _in_thread(service.page, "graph.ttl")
    except KgError as exc:
        return _text(503 if isinstance(exc, QueryTimeoutError | ServerBusy) else 500, str(exc))
    return FileResponse(path, media_type="text/turtle; charset=utf-8", filename="graph.ttl")


def create_app(
    source: str | os.PathLike | Graph | GraphStore,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int | None = DEFAULT_MAX_RESULTS,
    workers: int = 2,
    title: str = "Political event graph",
    cors_origins: Sequence[str] = (),
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> Starlette:
    """The ASGI application of ``kg serve``; its query workers start now and stop with the app.

    Parameters
    ----------
    source
        A store directory, a graph file, an rdflib graph or a :class:`~kg.store.GraphStore`.
        A store directory is read in place (under a shared lock); anything else is copied
        into each worker's memory.
    timeout
        Seconds a query may run before it is stopped (answer 503).
    max_results
        Rows or triples a query may return (more: answer 400); None for no limit.
    workers
        Worker processes, i.e. queries that can run at once.
    title
        Title of the explorer page.
    cors_origins
        Origins (``https://yasgui.triply.cc``) whose web pages may read the answers, or
        ``*`` for any page at all. None by default: a page the user visits cannot read the
        graph across origins.
    max_memory
        Bytes of address space each worker may use, graph included (answer 503 past it);
        None for no bound.

    Returns
    -------
    starlette.applications.Starlette
        ``app.state.kg.close()`` stops the workers if the app is never run.

    Raises
    ------
    InputError
        When the source is missing, does not parse, or is a store in use by a writer.
    """

    origins = [str(o).strip().rstrip("/") for o in cors_origins]
    bad = [o for o in origins if o != "*" and not re.fullmatch(r"https?://[^/\s]+", o)]
    if bad:
        raise InputError(
            "--cors", f"{bad[0]!r} is not an origin: give scheme and host, like https://yasgui.triply.cc, or '*'"
        )
    service = _Service(
        source, workers=workers, timeout=timeout, max_results=max_results, title=title, max_memory=max_memory
    )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            service.close()

    app = Starlette(
        routes=[
            Route("/", _index, methods=["GET"]),
            Route("/graph.ttl", _turtle, methods=["GET"]),
            Route("/sparql", _sparql, methods=["GET", "POST"]),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=origins,
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                max_age=600,
            )
        ]
        if origins
        else [],
        lifespan=lifespan,
    )
    app.state.kg = service
    return app


def _check_host(host: str) -> None:
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: anyone who can reach this machine on that address can query the graph", host)


def serve(
    source: str | os.PathLike | Graph | GraphStore,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_ready=None,
    **options,
) -> None:
    """Serve ``source`` until interrupted (Ctrl-C): the blocking counterpart of :class:`BackgroundServer`.

    ``options`` are those of :func:`create_app`. ``on_ready(url)`` is called with the
    endpoint's URL once the server listens.

    Raises
    ------
    InputError
        As :func:`create_app`; also when the port is taken.
    """
    _check_host(host)
    sock = _bind(host, port)
    app = create_app(source, **options)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    if on_ready is not None:
        _notify_when_started(server, lambda: on_ready(_url(sock)))
    try:
        server.run(sockets=[sock])
    finally:
        app.state.kg.close()
        sock.close()


def _notify_when_started(server: uvicorn.Server, callback) -> None:
    def wait() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            callback()

    threading.Thread(target=wait, name="kg-serve-ready", daemon=True).start()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio sets TCP_NODELAY only then
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"{host}:{port}", f"cannot listen there ({exc.strerror or exc}); pick another --port") from exc
    sock.listen(128)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/sparql"


class BackgroundServer:
    """``kg serve`` in a background thread, for notebooks and tests; a context manager.

    Binds ``host`` on ``port`` (0: a free port), starts the workers and waits (at most
    ``start_timeout`` seconds) until the server answers. ``url`` is the SPARQL endpoint,
    ``base`` the server's root.

    Parameters
    ----------
    source, options
        As :func:`create_app`.
    """

    def __init__(self, source, *, host: str = DEFAULT_HOST, port: int = 0, start_timeout: float = 60.0, **options):
        self._sock = _bind(host, port)
        try:
            self.app = create_app(source, **options)
        except BaseException:
            self._sock.close()
            raise
        self.url = _url(self._sock)
        self.base = self.url[: -len("/sparql")]
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="kg-serve", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + start_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.close()
                raise KgError(f"the server did not start within {start_timeout:g} s")
            time.sleep(0.02)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the server and its workers (waits at most ``timeout`` seconds for requests to end)."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self.app.state.kg.close()
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
