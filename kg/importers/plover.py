"""PLOVER / POLECAT records (JSON lines or a JSON array): one record each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..model import MODALITIES, Entity
from ..read import parse_date
from ..vocab import EVENT_TYPES, OLD_TYPE_NAMES
from .records import (
    _LIST_SPLIT_RE,
    ImportedRecord,
    ImportReport,
    _Actors,
    _record,
    _unique,
    _Unresolved,
    load_cameo_table,
)

# --------------------------------------------------------------------------- PLOVER / POLECAT


def _field(record: dict, *names: str):
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _text_field(record: dict, where: str, *names: str) -> str | None:
    value = _field(record, *names)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(where, f"'{names[0]}' must be a string, not {type(value).__name__}")
    return value.strip() or None


def _actor_items(record: dict, where: str, names: tuple[str, ...], flat: str) -> list[dict]:
    """The actors (or recipients) of a record as dicts, from a list, one object, or flat fields."""
    value = _field(record, *names)
    if value is None:
        flat_name = _field(record, f"{flat}_name", f"{flat.title()} Name")
        flat_code = _field(record, f"{flat}_country", f"{flat.title()} Country")
        if flat_name is None and flat_code is None:
            return []
        value = {
            "name": flat_name or "",
            "code": flat_code or "",
            "sector": _field(record, f"{flat}_sector", f"Primary {flat.title()} Sector") or "",
        }
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise InputError(where, f"'{names[0]}' must list objects or names, not {type(item).__name__}")
        out.append(item)
    return out


def _resolve_items(items: list[dict], actors: _Actors) -> tuple[Entity, ...]:
    resolved = []
    for item in items:
        name = str(_field(item, "actorText", "name", "text") or "")
        code = str(_field(item, "code", "country", "countryCode") or "")
        sector = _field(item, "sector", "type")
        if isinstance(sector, list):
            sector = sector[0] if sector else ""
        resolved.append(actors.resolve(country=code, type_code=str(sector or ""), name=name))
    return _unique(resolved)


def _plover_record(record: object, where: str, fallback_id: str, actors: _Actors) -> ImportedRecord | None:
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, not {type(record).__name__}")
    raw_id = _field(record, "id", "event_id", "Event ID")
    rid = str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
    rid = rid or _text_field(record, where, "id", "event_id", "Event ID") or fallback_id
    raw_type = _text_field(record, where, "event", "event_type", "eventType", "Event Type", "type")
    if raw_type is None:
        raise InputError(where, "missing the event type ('event': one of the 16 PLOVER types)")
    etype = OLD_TYPE_NAMES.get(raw_type.upper(), raw_type.upper())
    if etype not in EVENT_TYPES:
        raise InputError(where, f"unknown PLOVER event type {raw_type!r} (expected one of {', '.join(EVENT_TYPES)})")
    raw_date = _text_field(record, where, "date", "event_date", "Event Date")
    try:
        day = parse_date(raw_date)
    except ValueError as e:
        raise InputError(where, str(e)) from None
    raw_modality = _text_field(record, where, "modality") or "asserted"
    modality = raw_modality.capitalize()
    if modality not in MODALITIES:
        raise InputError(
            where, f"unknown modality {raw_modality!r} (expected asserted, intended, hypothetical or negated)"
        )
    actor_items = _actor_items(record, where, ("source", "actors", "actor"), "actor")
    recipient_items = _actor_items(record, where, ("target", "recipients", "recipient"), "recipient")
    context = _field(record, "context", "Context") or ()
    if isinstance(context, str):
        context = _LIST_SPLIT_RE.split(context.strip())
    text = _text_field(record, where, "text", "sentence", "Text")
    mode = _text_field(record, where, "mode", "event_mode", "Event Mode")
    trigger = _text_field(record, where, "eventText", "trigger") or EVENT_TYPES[etype].label
    url = _text_field(record, where, "url", "source_url")
    actors.report.records += 1
    try:
        if not actor_items:
            raise _Unresolved("no actor")
        source = _resolve_items(actor_items, actors)
        target = _resolve_items(recipient_items, actors)
    except _Unresolved as e:
        actors.report.unresolved[str(e)] += 1
        return None
    if text is None:
        parties = " and ".join(e.label for e in source)
        whom = f" {' and '.join(e.label for e in target)}" if target else ""
        text = f"{parties}: {etype}{whom} (PLOVER record {rid})."
    return _record(
        source="plover",
        doc_id=f"plover:{rid}",
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        where=where,
        etype=etype,
        actors=source,
        recipients=target,
        trigger=trigger,
        modality=modality,
        date=day,
        url=url,
        mode=mode,
        context=tuple(str(c).strip() for c in context if str(c).strip()),
    )


def _plover_file(path: str, report: ImportReport) -> Iterator[ImportedRecord | InputError]:
    """The records of a ``.jsonl`` file (one a line) or a ``.json`` file (an array, or one record)."""
    actors = _Actors(load_cameo_table(), report)
    stem = Path(path).stem
    try:
        data = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as e:
        yield InputError(path, f"cannot read ({(e.strerror or str(e)).lower()})")
        return
    except UnicodeDecodeError as e:
        yield InputError(path, f"not UTF-8 text (byte {e.start + 1})")
        return
    if Path(path).suffix.lower() == ".jsonl":
        items = []
        for n, line in enumerate(data.split("\n"), 1):  # not splitlines(): JSON strings may hold U+2028
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                items.append((json.loads(line), where, f"{stem}:{n}"))
            except json.JSONDecodeError as e:
                items.append((InputError(where, f"malformed JSON ({e.msg} at column {e.colno})"), where, ""))
            except RecursionError:
                items.append((InputError(where, "malformed JSON (nested too deeply)"), where, ""))
    else:
        try:
            whole = json.loads(data)
        except json.JSONDecodeError as e:
            yield InputError(f"{path}:{e.lineno}", f"malformed JSON ({e.msg} at column {e.colno})")
            return
        records = whole if isinstance(whole, list) else [whole]
        items = [(r, f"{path}: record {n}", f"{stem}:{n}") for n, r in enumerate(records, 1)]
    if not items:
        yield InputError(path, "empty file (no records)")
        return
    for record, where, fallback_id in items:
        if isinstance(record, InputError):
            yield record
            continue
        try:
            imported = _plover_record(record, where, fallback_id, actors)
        except InputError as e:
            yield e
            continue
        if imported is not None:
            yield imported
