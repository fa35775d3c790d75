"""The Starlette application over a :class:`~kg.serve.workers.QueryPool`: the SPARQL protocol at
``/sparql``, the explorer at ``/``, the graph at ``/graph.ttl``; and running it with uvicorn."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
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

from ..errors import InputError, KgError, QueryTimeoutError, ServerBusy, WorkerError, WorkerOutOfMemory
from ..query import (
    MAX_QUERY_DEPTH,
    query_depth,
)
from ..store import GraphStore, is_store, load_source, open_store
from .workers import (
    DEFAULT_HOST,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_RESULTS,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    MAX_BODY,
    QueryPool,
    _Source,
)

log = logging.getLogger(__name__)

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


def _page(name: str, media: str, filename: str | None = None):
    """A route that serves one of the service's files (made on first request, by a worker)."""

    async def serve_page(request: Request) -> Response:
        service: _Service = request.app.state.kg
        try:
            path = await _in_thread(service.page, name)
        except KgError as exc:
            return _text(503 if isinstance(exc, QueryTimeoutError | ServerBusy) else 500, str(exc))
        return FileResponse(path, media_type=media, filename=filename)

    return serve_page


_index = _page("index.html", "text/html; charset=utf-8")
_turtle = _page("graph.ttl", "text/turtle; charset=utf-8", filename="graph.ttl")


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
                raise WorkerError(f"the server did not start within {start_timeout:g} s")
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
