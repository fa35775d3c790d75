"""JSON lines (files and standard input): one document a line, errors named by line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ..errors import InputError
from ..model import Document
from .common import _BOM, _BOM_BYTES, _EMPTY, _check_encodable, _decode, _normalise, _os_problem
from .dates import _checked_date

# --------------------------------------------------------------------------- JSON lines


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _optional_str(record: dict, field: str, where: str) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(where, f"'{field}' must be a string, not {_json_type(value)}")
    _check_encodable(value, where, field)
    return value.strip() or None


def _json_document(line: str, where: str, fallback_id: str, default_date: str | None) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(where, f"malformed JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise InputError(where, "malformed JSON (nested too deeply)") from None
    except ValueError as e:  # e.g. an integer too long to convert
        raise InputError(where, f"malformed JSON ({e})") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {_json_type(record)}")

    raw_id = record.get("id")
    if raw_id is None:
        doc_id = fallback_id
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    elif isinstance(raw_id, str):
        _check_encodable(raw_id, where, "id")
        doc_id = raw_id.strip()
        if not doc_id:
            raise InputError(where, "'id' is empty")
    else:
        raise InputError(where, f"'id' must be a string, not {_json_type(raw_id)}")

    if "text" not in record:
        raise InputError(where, "missing 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(where, f"missing 'text' field (found {_json_type(text)}, not a string)")
    _check_encodable(text, where, "text")
    text = _normalise(text)
    if not text.strip():
        raise InputError(where, _EMPTY)

    raw_date = record.get("date")
    if raw_date is not None and not isinstance(raw_date, str):
        raise InputError(where, f"'date' must be a string like \"2024-11-05\", not {_json_type(raw_date)}")
    day = _checked_date(raw_date, where) or default_date

    return Document(
        id=doc_id,
        text=text,
        date=day,
        title=_optional_str(record, "title", where),
        url=_optional_str(record, "url", where),
        origin=where,
    )


def _binary_lines(lines: Iterable[bytes], where: str) -> Iterator[tuple[int, str | InputError]]:
    """Number and decode the lines of a binary stream, reporting bad bytes by file position."""
    offset = 0
    lineno = 0
    try:
        for lineno, raw in enumerate(lines, 1):
            start = offset
            offset += len(raw)
            if lineno == 1 and raw.startswith(_BOM_BYTES):
                raw = raw[len(_BOM_BYTES) :]
                start += len(_BOM_BYTES)
            try:
                yield lineno, _decode(raw, f"{where}:{lineno}", start)
            except InputError as e:
                yield lineno, e
    except OSError as e:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", _os_problem(e))


def _text_lines(stream: TextIO, where: str) -> Iterator[tuple[int, str | InputError]]:
    """Number the lines of a text stream (its own decoding; no byte positions)."""
    lineno = 0
    try:
        for line in stream:
            lineno += 1
            if lineno == 1 and line.startswith(_BOM):
                line = line[1:]
            yield lineno, line
    except UnicodeDecodeError:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", "not UTF-8 text")
    except OSError as e:
        yield lineno + 1, InputError(f"{where}:{lineno + 1}", _os_problem(e))


def _jsonl_documents(
    lines: Iterator[tuple[int, str | InputError]], where: str, stem: str, default_date: str | None
) -> Iterator[Document | InputError]:
    found = False
    for lineno, line in lines:
        if isinstance(line, InputError):
            found = True
            yield line
            continue
        if not line.strip():
            continue
        found = True
        try:
            yield _json_document(line, f"{where}:{lineno}", f"{stem}:{lineno}", default_date)
        except InputError as e:
            yield e
    if not found:
        yield InputError(where, f"{_EMPTY} (no JSON lines)")


def _read_jsonl(name: str, default_date: str | None) -> Iterator[Document | InputError]:
    try:
        f = open(name, "rb")
    except OSError as e:
        yield InputError(name, _os_problem(e))
        return
    with f:
        yield from _jsonl_documents(_binary_lines(f, name), name, Path(name).stem, default_date)


def _read_stdin(stdin: TextIO | None, default_date: str | None) -> Iterator[Document | InputError]:
    where = "<stdin>"
    if stdin is None:
        stream = sys.stdin
        if stream is None:
            yield InputError(where, "no standard input")
            return
        buffer = getattr(stream, "buffer", None)
        # Read the real stdin as bytes: its text encoding follows the locale, not UTF-8.
        lines = _binary_lines(buffer, where) if buffer is not None else _text_lines(stream, where)
    else:
        lines = _text_lines(stdin, where)
    yield from _jsonl_documents(lines, where, "stdin", default_date)
