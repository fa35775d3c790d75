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

The worker processes and their pool are :mod:`kg.serve.workers`; the web application
:mod:`kg.serve.app`.

Examples
--------
Serve a graph in the background (for a notebook or a test) and query it::

    from kg.serve import BackgroundServer
    with BackgroundServer("graph.ttl") as server:
        print(server.url)  # http://127.0.0.1:PORT/sparql
"""

from __future__ import annotations

from .app import BackgroundServer, create_app, serve
from .workers import DEFAULT_HOST, DEFAULT_MAX_RESULTS, DEFAULT_PORT, DEFAULT_TIMEOUT, QueryPool

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
