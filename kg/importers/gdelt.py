"""GDELT 2.0 event exports (tab-separated, zipped or gzipped or plain): one record a row."""

from __future__ import annotations

import gzip
import re
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import InputError
from ..model import Entity
from ..read import parse_date
from .records import CameoTable, ImportedRecord, ImportReport, _Actors, _record, _Unresolved, load_cameo_table

#: The columns of a GDELT 2.0 event export, in order (tab-separated, no header line).
GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
_COL = {name: i for i, name in enumerate(GDELT_COLUMNS)}
#: GDELT geography types that name a place below the country (US state or city, world city or province).
_PLACE_TYPES = {"2", "3", "4", "5"}
_DAY_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


# --------------------------------------------------------------------------- GDELT


def _open_lines(path: str) -> Iterator[tuple[str, bytes]]:
    """``(where, raw line)`` for a plain, gzipped or zipped file; ``where`` is ``file:LINE``."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if not members:
                    raise InputError(path, "empty zip archive")
                for member in members:
                    prefix = path if len(members) == 1 else f"{path}/{member.filename}"
                    with archive.open(member) as f:
                        for n, line in enumerate(f, 1):
                            yield f"{prefix}:{n}", line
            return
        opener = gzip.open if suffix == ".gz" else open
        with opener(path, "rb") as f:
            for n, line in enumerate(f, 1):
                yield f"{path}:{n}", line
    except zipfile.BadZipFile as e:
        raise InputError(path, f"not a zip archive ({e})") from None
    except gzip.BadGzipFile as e:
        raise InputError(path, f"not a gzip file ({e})") from None
    except (EOFError, zlib.error) as e:
        raise InputError(path, f"corrupt compressed data ({e})") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({(e.strerror or str(e)).lower()})") from None


def _gdelt_day(value: str, where: str, column: str) -> str:
    m = _DAY_RE.fullmatch(value.strip()[:8]) if len(value.strip()) in (8, 14) else None
    try:
        day = parse_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(where, f"{column} must be a date written YYYYMMDD, not {value!r}")
    return day


def _decimal(value: str, where: str, column: str) -> Decimal | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not -10 <= number <= 10:
        raise InputError(where, f"{column} must be a number from -10 to 10, not {value!r}")
    return number


def _check_columns(fields: list[str], where: str) -> None:
    if len(fields) == len(GDELT_COLUMNS):
        return
    hint = ""
    if len(fields) == 58:
        hint = "; this looks like a GDELT 1.0 file, which kg does not read"
    elif len(fields) == 1 and "," in fields[0]:
        hint = "; GDELT exports are tab-separated, not comma-separated"
    raise InputError(
        where,
        f"expected {len(GDELT_COLUMNS)} tab-separated columns (GDELT 2.0 event export), found {len(fields)}{hint}",
    )


def _gdelt_actor(col: dict[str, str], which: str, actors: _Actors) -> Entity | None:
    """Actor1 or Actor2 of a row, or None when the row has none."""
    if not col[f"{which}Code"]:
        return None
    return actors.resolve(
        country=col[f"{which}CountryCode"],
        type_code=col[f"{which}Type1Code"] or col[f"{which}Type2Code"],
        group=col[f"{which}KnownGroupCode"],
        name=col[f"{which}Name"],
    )


def _gdelt_row(fields: list[str], where: str, table: CameoTable, actors: _Actors) -> ImportedRecord | None:
    col = {name: fields[i].strip() for name, i in _COL.items()}
    event_id = col["GLOBALEVENTID"]
    if not event_id.isdigit():
        raise InputError(where, f"GLOBALEVENTID (column 1) must be a number, not {event_id!r}")
    day = _gdelt_day(col["SQLDATE"], where, "SQLDATE (column 2)")
    code = col["EventCode"]
    if code not in table.valid:
        hint = f" (leading zero lost? '0{code}' is one)" if f"0{code}" in table.valid else ""
        raise InputError(where, f"unknown CAMEO event code {code!r} (EventCode, column 27){hint}")
    goldstein = _decimal(col["GoldsteinScale"], where, "GoldsteinScale (column 31)")
    added = col["DATEADDED"]
    doc_day = _gdelt_day(added, where, "DATEADDED (column 60)") if added else day
    actors.report.records += 1
    etype = table.plover_type(code)
    if etype is None:
        actors.report.unmapped[code] += 1
        return None
    try:
        actor = _gdelt_actor(col, "Actor1", actors)
        if actor is None:
            raise _Unresolved("actor has no code (Actor1Code is empty)")
        recipient = _gdelt_actor(col, "Actor2", actors)
    except _Unresolved as e:
        actors.report.unresolved[str(e)] += 1
        return None
    place = actors.place(col["ActionGeo_FullName"]) if col["ActionGeo_Type"] in _PLACE_TYPES else None
    verb = table.verb(code, with_recipient=recipient is not None)
    said = f"{actor.label} {verb}" + (f" {recipient.label}" if recipient is not None else "")
    details = f"GDELT event {event_id}, CAMEO {code}" + (f", Goldstein {goldstein}" if goldstein is not None else "")
    return _record(
        source="gdelt",
        doc_id=f"gdelt:{event_id}",
        text=f"{said} ({details}).",
        where=where,
        etype=etype,
        actors=(actor,),
        recipients=(recipient,) if recipient is not None else (),
        trigger=verb,
        date=day,
        doc_date=doc_day,
        title=f"GDELT event {event_id}",
        url=col["SOURCEURL"] or None,
        location=place,
        goldstein=goldstein,
        mode=table.mode(code),
    )


def _gdelt_file(path: str, report: ImportReport) -> Iterator[ImportedRecord | InputError]:
    """The records of one GDELT 2.0 event export (``.CSV``, ``.csv.zip``, ``.gz``)."""
    table = load_cameo_table()
    actors = _Actors(table, report)
    rows = 0
    try:
        for where, raw in _open_lines(path):
            try:
                line = raw.rstrip(b"\r\n").decode("utf-8")
            except UnicodeDecodeError as e:
                yield InputError(where, f"not UTF-8 text (byte {e.start + 1} of the line)")
                continue
            if not line.strip():
                continue
            fields = line.split("\t")
            if rows == 0 and fields[0].strip() == "GLOBALEVENTID":
                continue  # a header line that someone added
            rows += 1
            try:
                _check_columns(fields, where)
                record = _gdelt_row(fields, where, table, actors)
            except InputError as e:
                yield e
                continue
            if record is not None:
                yield record
    except InputError as e:
        yield e
        return
    if rows == 0:
        yield InputError(path, "empty file (no GDELT rows)")
