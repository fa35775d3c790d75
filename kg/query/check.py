"""Checks a query passes before it runs: its nesting depth, ``SERVICE``, parameters substituted
as escaped literals, and syntax errors reported at the position the user wrote."""

from __future__ import annotations

import functools
import re
import sys
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import QueryError, QueryRefusedError
from ..vocab import PREFIXES

# --------------------------------------------------------------------------- tokens

_STRING = (
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
)
_TOKEN = re.compile(
    rf"""
    (?P<comment>\#[^\n\r]*)
    |(?P<string>{_STRING})
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<word>[\w:][\w\-.:]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _tokens(sparql: str):
    """(kind, text, start) for each token; strings, IRIs and comments are single tokens."""
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "other" and m.group().isspace():
            continue
        yield m.lastgroup, m.group(), m.start()


def _uses_service(sparql: str) -> bool:
    try:
        check_query(sparql)
    except QueryRefusedError:
        return True
    return False


def uses_service(sparql: str) -> bool:
    """Whether kg refuses a query for ``SERVICE``: found in the parsed query, or not ruled out.

    This is the decision :func:`run_query` makes before evaluating anything
    (:func:`check_query` says why); a server can make it before handing the query on.

    >>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s rdfs:label "SERVICE" }  # no SERVICE here')
    False
    >>> uses_service('SELECT * { ?s ?p 0.SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    """
    return _uses_service(sparql)


#: The deepest nesting of brackets (``{``, ``(``, ``[``) a query may have. Deeper ones are
#: refused before any parser reads them: a few thousand levels crash Oxigraph's parser.
MAX_QUERY_DEPTH = 100
#: Stack of the thread that parses a query with rdflib (a recursive-descent parser).
_PARSE_STACK = 64 * 2**20
_PARSE_RECURSION = 8_000
_OPENERS = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)


def query_depth(sparql: str) -> int:
    """The deepest nesting of brackets in ``sparql``, counted over every character (strings too).

    >>> query_depth("SELECT * { { ?s ?p ?o } FILTER((1)) }")
    3
    """
    brackets = _NOT_BRACKET.sub("", sparql)
    if len(brackets) < 4096:
        depth = deepest = 0
        for char in brackets:
            depth = max(depth + _OPENERS[char], 0)
            deepest = max(deepest, depth)
        return deepest
    # a long run: the depth that never goes below 0 is the running sum less its running minimum
    import numpy as np

    steps = _steps()[np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)]
    sums = np.cumsum(steps)
    floor = np.minimum(np.minimum.accumulate(sums), 0)
    return int((sums - floor).max())


_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")


@functools.cache
def _steps():
    """The +1 / -1 of each byte (0 for all but brackets), for :func:`query_depth`."""
    import numpy as np

    table = np.zeros(256, dtype=np.int64)
    for char, step in _OPENERS.items():
        table[ord(char)] = step
    return table


def _check_depth(sparql: str) -> None:
    depth = query_depth(sparql)
    if depth > MAX_QUERY_DEPTH:
        raise QueryError(
            f"the query nests brackets {depth} deep; kg reads queries nested at most {MAX_QUERY_DEPTH} deep "
            "(count of open '{', '(' and '[', strings included): flatten it"
        )


def _expand_escapes(sparql: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by their characters, as SPARQL reads them.

    Both parsers then read the same characters: rdflib expands escapes before it parses,
    Oxigraph only inside IRIs and strings.
    """
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return expandUnicodeEscapes(sparql)
    except ValueError as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from exc


def _has_service(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple | ParseResults):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _rdflib_parse(sparql: str):
    """rdflib's parse tree of ``sparql`` (a SyntaxError-like exception when it has none).

    Parsed in a thread with a large stack: rdflib's parser recurses some 25 frames per
    level of nesting.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["tree"] = parseQuery(sparql)
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    with _PARSE_LOCK:  # the recursion limit is the interpreter's: raised only while rdflib parses
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _PARSE_RECURSION))
        size = threading.stack_size(_PARSE_STACK)
        try:
            thread = threading.Thread(target=target, name="kg-parse", daemon=True)
            thread.start()
        finally:
            threading.stack_size(size)
        try:
            thread.join()
        finally:
            sys.setrecursionlimit(limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["tree"]


_PARSE_LOCK = threading.Lock()


def check_query(sparql: str) -> str:
    """The text to evaluate, once ``sparql`` is known to send no request elsewhere; else an error.

    A query that has no ``SERVICE`` pattern passes. The decision is made on a real parse
    (rdflib's SPARQL parser), never on a scan of tokens: a query in which rdflib's parse
    tree has a ``ServiceGraphPattern`` is refused, and so is a query rdflib cannot parse
    at all, since nothing then rules SERVICE out. A query whose text does not have the
    letters s, e, r, v, i, c, e in that order at all (after escapes are expanded) cannot
    have the keyword, and is passed without the parse. ``\\u`` escapes are expanded in
    the text returned, so that Oxigraph evaluates the very characters rdflib read.

    Raises
    ------
    QueryRefusedError
        With ``reason`` ``"service"`` (rdflib found SERVICE) or ``"unparsed"`` (rdflib
        cannot parse the query).
    QueryError
        When the query nests too deep (:data:`MAX_QUERY_DEPTH`) or has a bad escape.

    >>> check_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    _check_depth(sparql)
    text = _expand_escapes(sparql)
    if not _SERVICE_LETTERS.search(text):
        return text
    try:
        tree = _rdflib_parse(text)
    except Exception as exc:
        where = getattr(exc, "lineno", None), getattr(exc, "col", None)
        at = f" at line {where[0]}, column {where[1]}" if None not in where else ""
        raise QueryRefusedError(
            f"the query mentions 'service', and rdflib's SPARQL parser, which kg uses to rule SERVICE out "
            f"before anything is evaluated, cannot read it{at} ({getattr(exc, 'msg', None) or _first_line(exc)}). "
            "If the query is valid "
            "SPARQL (Oxigraph accepts some SPARQL 1.1 and 1.2 that rdflib's parser does not, such as "
            "escaped characters in some prefixed names, or triple terms), rewrite that part, or skip the "
            "check with kg query --allow-service (allow_service=True in Python), which also allows SERVICE",
            reason="unparsed",
        ) from None
    if _has_service(tree):
        raise QueryRefusedError(
            "the query uses SERVICE, which would send requests to another server; "
            "remove it, or allow federated queries explicitly "
            "(kg query --allow-service, or allow_service=True in Python)",
            reason="service",
        )
    return text


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deep for it"
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL string literal, escaped so that it stays one literal.

    >>> print(sparql_literal('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{out}"'


@dataclass(frozen=True)
class _Substitution:
    line: int  # 1-based line of the query
    new_col: int  # 1-based column where the literal starts in the substituted text
    new_len: int
    old_col: int
    old_len: int


def _substitute(sparql: str, params: Mapping[str, str]) -> tuple[str, list[_Substitution]]:
    for name in params:
        if not _PARAM_NAME.match(name):
            raise QueryError(f"parameter name {name!r} is not usable: use letters, digits and _ (like $entity)")
    parts: list[str] = []
    subs: list[_Substitution] = []
    used: set[str] = set()
    pos = 0
    shift: dict[int, int] = {}  # line -> columns added so far on that line
    for kind, text, start in _tokens(sparql):
        if kind != "var" or text[0] != "$" or text[1:] not in params:
            continue
        name = text[1:]
        literal = sparql_literal(str(params[name]))
        line = sparql.count("\n", 0, start) + 1
        col = start - (sparql.rfind("\n", 0, start) + 1) + 1
        subs.append(_Substitution(line, col + shift.get(line, 0), len(literal), col, len(text)))
        shift[line] = shift.get(line, 0) + len(literal) - len(text)
        parts.append(sparql[pos:start])
        parts.append(literal)
        pos = start + len(text)
        used.add(name)
    parts.append(sparql[pos:])
    unused = sorted(set(params) - used)
    if unused:
        warnings.warn(
            f"query parameter(s) {', '.join(unused)} not used: the query has no {', '.join('$' + n for n in unused)}",
            stacklevel=3,
        )
    return "".join(parts), subs


def _shift_back(line: int, col: int, subs: list[_Substitution]) -> int:
    delta = 0
    for sub in (s for s in subs if s.line == line):
        if col >= sub.new_col + sub.new_len:
            delta += sub.new_len - sub.old_len
        elif col >= sub.new_col:
            return sub.old_col
    return col - delta


# --------------------------------------------------------------------------- errors

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _problem_text(message: str, source_line: str, col: int) -> str:
    message = message.strip()
    if "Prefix not found" in message:
        before = source_line[: max(col - 1, 0)]
        m = re.search(r"([\w\-.]*):[\w\-.:%\\]*$", before)
        name = f"'{m.group(1)}:'" if m else "a prefix"
        known = ", ".join(sorted(PREFIXES))
        return f"unknown prefix {name}: declare it with PREFIX, or use one of {known}"
    if message.startswith("expected one of "):
        items = [i.strip() for i in message[len("expected one of ") :].split(", ")]
        words = [i for i in items if " " in i and i[:1] not in "[\"'"]
        if words:
            return words[0][:1].lower() + words[0][1:]
    message = " ".join(message.split())
    return message if len(message) <= 200 else message[:199] + "…"


def _syntax_error(exc: SyntaxError, original: str, subs: list[_Substitution]) -> QueryError:
    message = str(exc)
    m = _ERROR_AT.match(message)
    if not m:
        return QueryError(f"invalid SPARQL: {message}")
    line, col = int(m.group(1)), int(m.group(2))
    col = _shift_back(line, col, subs)
    lines = original.split("\n")
    source_line = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    problem = _problem_text(m.group(3), source_line, col)
    caret = "".join(c if c == "\t" else " " for c in source_line[: col - 1]) + "^"
    err = QueryError(f"invalid SPARQL at line {line}, column {col}: {problem}\n    {source_line}\n    {caret}")
    err.line, err.column = line, col
    return err
