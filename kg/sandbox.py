"""Walls at the process level: a thread that cannot open network connections, a memory bound.

Oxigraph's HTTP client (what a SPARQL ``SERVICE`` clause uses) is native code that no
Python-level socket guard sees, so :mod:`kg.query` evaluates queries in a thread that
the kernel itself forbids to make a network socket: a seccomp filter (installed with
libseccomp through ``pyseccomp``) answers ``socket()`` for any address family but
``AF_UNIX`` with ``EACCES``, and ``io_uring_setup()`` (which could open sockets without
the ``socket`` call) with ``EPERM``. Every other system call is allowed. A seccomp filter
binds the thread that installs it and the threads and processes it starts, never
the rest of the process, and cannot be taken off: :func:`run_offline` therefore runs
the function in a fresh thread that ends with it.

Where the kernel or libseccomp is missing (not Linux, a container that forbids seccomp),
:func:`network_wall` says why and queries rely on the check of the parsed query alone.

:func:`limit_memory` bounds the address space of the whole process (``RLIMIT_AS``); it
is for the query workers of :mod:`kg.serve`, which are processes of their own.

Examples
--------
>>> import socket
>>> def try_connect():
...     try:
...         socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
...         return "made a socket"
...     except PermissionError:
...         return "refused"
>>> run_offline(try_connect) if network_wall() is None else "refused"
'refused'
>>> try_connect()  # the calling thread is not bound
'made a socket'
"""

from __future__ import annotations

import errno
import functools
import logging
import socket
import sys
import threading
import traceback

__all__ = ["network_wall", "deny_network", "run_offline", "clear_frames", "limit_memory", "parse_size", "format_size"]

log = logging.getLogger(__name__)

_AF_UNIX = socket.AF_UNIX
_STATE = threading.local()
_LOAD_LOCK = threading.Lock()  # libseccomp compiles the filter on each load: one at a time


@functools.cache
def _filter():
    """The compiled filter, or the reason there can be none (a str)."""
    if not sys.platform.startswith("linux"):
        return f"seccomp is a Linux facility; this is {sys.platform}"
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError, AttributeError) as exc:  # pyseccomp raises at import without libseccomp
        return f"libseccomp cannot be loaded ({exc}); install libseccomp2 and pyseccomp"
    try:
        f = seccomp.SyscallFilter(seccomp.ALLOW)
        f.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, _AF_UNIX))
        with _suppress_unknown():
            f.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
        # a thread only, never the whole process (no TSYNC); no new privileges, as the kernel requires
        f.set_attr(seccomp.Attr.CTL_NNP, 1)
    except (OSError, ValueError, RuntimeError) as exc:
        return f"the seccomp filter cannot be built ({exc})"
    return f


class _suppress_unknown:
    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        return kind is not None and issubclass(kind, (OSError, ValueError))  # an old kernel without io_uring


@functools.cache
def network_wall() -> str | None:
    """None when :func:`run_offline` can forbid network sockets here, else why it cannot.

    Tried once per process, in a throw-away thread.
    """
    compiled = _filter()
    if isinstance(compiled, str):
        return compiled
    outcome: dict[str, str | None] = {}

    def probe() -> None:
        try:
            with _LOAD_LOCK:
                compiled.load()
        except OSError as exc:
            outcome["why"] = f"the kernel refuses a seccomp filter ({exc.strerror or exc})"
            return
        try:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
        except PermissionError:
            outcome["why"] = None
        else:
            outcome["why"] = "a seccomp filter loaded, yet a network socket could still be made"

    thread = threading.Thread(target=probe, name="kg-network-probe", daemon=True)
    thread.start()
    thread.join()
    why = outcome.get("why", "the seccomp probe failed")
    if why:
        log.warning("no process-level network wall: %s; SERVICE is refused from the parsed query only", why)
    return why


def deny_network() -> bool:
    """Forbid network sockets to the calling thread (and threads and processes it starts), for good.

    Returns whether the wall stands (see :func:`network_wall` for why it may not).
    Only for threads that end after their work, or processes that never need the network.
    """
    if network_wall() is not None:
        return False
    if getattr(_STATE, "offline", False):
        return True
    with _LOAD_LOCK:
        _filter().load()
    _STATE.offline = True
    return True


def run_offline(func, *args, **kwargs):
    """``func(*args, **kwargs)`` in a fresh thread that cannot open network sockets; its result or error.

    Where no wall can stand (:func:`network_wall` is not None) the function still runs,
    in the fresh thread, without one.
    """
    if getattr(_STATE, "offline", False):  # this thread is walled already
        return func(*args, **kwargs)
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            deny_network()
            outcome["result"] = func(*args, **kwargs)
        except BaseException as exc:  # handed to the caller's thread
            # objects of native libraries (Oxigraph's result iterators) must be dropped on the
            # thread that made them: free the frames that hold one before the error leaves
            clear_frames(exc)
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="kg-offline", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]


def clear_frames(exc: BaseException) -> None:
    """Clear the local variables of every frame of ``exc``'s traceback, and of the errors it chains."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 2**10, "m": 2**20, "mb": 2**20, "g": 2**30, "gb": 2**30}


def parse_size(text: str) -> int:
    """A size such as ``2G``, ``512M`` or ``1500000000`` in bytes.

    >>> parse_size("2G"), parse_size("512mb"), parse_size("1024")
    (2147483648, 536870912, 1024)
    """
    raw = str(text).strip().lower().replace(" ", "")
    number = raw.rstrip("bkmg")
    unit = raw[len(number) :]
    if unit not in _UNITS or not number:
        raise ValueError(f"{text!r} is not a size: give a number with an optional unit, like 2G or 512M")
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a size: give a number with an optional unit, like 2G or 512M") from None
    if not value > 0:
        raise ValueError(f"{text!r} is not a size: it must be more than 0")
    return int(value * _UNITS[unit])


def format_size(n: int) -> str:
    """``n`` bytes as text: ``2 GiB``, ``512 MiB``.

    >>> format_size(2 * 2**30), format_size(512 * 2**20), format_size(1536 * 2**20)
    ('2 GiB', '512 MiB', '1.5 GiB')
    """
    return f"{n / 2**30:.3g} GiB" if n >= 2**30 else f"{n / 2**20:.3g} MiB"


def limit_memory(max_bytes: int) -> bool:
    """Bound the address space of this whole process to ``max_bytes`` (``RLIMIT_AS``).

    Allocations past it fail (Oxigraph's turn into a ``MemoryError`` or an abort of the
    process); returns False where the platform has no such limit.
    """
    try:
        import resource
    except ImportError:  # not POSIX
        return False
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True
