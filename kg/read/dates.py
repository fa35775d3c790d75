"""Dates as people write them (``3 March 2025``, ``2025-03``), kept at the precision given."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as _date

from ..errors import InputError

_EXPECTED_DATES = "expected YYYY-MM-DD, YYYY-MM or YYYY"

# Dates: ASCII digits only (``\d`` would also accept Arabic-Indic and other digits).
_YEAR_RE = re.compile(r"([0-9]{4})")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STAMP_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?:Z|[+-]([0-9]{2})(?::?([0-9]{2}))?)?",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- dates


def parse_date(value: str | None) -> str | None:
    """Validate a date and return it in normalised ISO form.

    Parameters
    ----------
    value : str or None
        ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or an ISO timestamp such as
        ``2024-11-11T09:30:00Z``. Surrounding whitespace is ignored.

    Returns
    -------
    str or None
        The date at the precision given (``2024``, ``2024-11`` or ``2024-11-11``);
        a timestamp gives its calendar date as written, without converting its time
        zone. ``None`` for ``None`` or an empty string.

    Raises
    ------
    ValueError
        If the value is not one of those forms or not a real calendar date
        (``2024-02-30``, ``2024-13``).

    Examples
    --------
    >>> parse_date("2024-11-11T09:30:00Z")
    '2024-11-11'
    >>> parse_date("2025-03")
    '2025-03'
    >>> parse_date("2024-02-30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: invalid date '2024-02-30': day is out of range for month (...)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"date must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        return None

    def invalid(reason: str) -> ValueError:
        return ValueError(f"invalid date {value!r}: {reason} ({_EXPECTED_DATES})")

    if m := _YEAR_RE.fullmatch(text):
        _check_year(int(m[1]), invalid)
        return text
    if m := _MONTH_RE.fullmatch(text):
        _check_year(int(m[1]), invalid)
        if not 1 <= int(m[2]) <= 12:
            raise invalid("month must be 01 to 12")
        return text
    if m := _DAY_RE.fullmatch(text):
        return _check_day(m[1], m[2], m[3], invalid)
    if m := _STAMP_RE.fullmatch(text):
        day = _check_day(m[1], m[2], m[3], invalid)
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
        if hour > 23 or minute > 59 or second > 60:
            raise invalid("time of day is out of range")
        if m[7] is not None and (int(m[7]) > 23 or int(m[8] or 0) > 59):
            raise invalid("time zone offset is out of range")
        return day
    raise invalid("not a date")


def _check_year(year: int, invalid: Callable[[str], ValueError]) -> None:
    if year < 1:
        raise invalid("year must be 0001 or later")


def _check_day(year: str, month: str, day: str, invalid: Callable[[str], ValueError]) -> str:
    _check_year(int(year), invalid)
    if not 1 <= int(month) <= 12:
        raise invalid("month must be 01 to 12")
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError as e:
        raise invalid(str(e)) from None


def _checked_date(value: str | None, where: str) -> str | None:
    try:
        return read_date(value)
    except ValueError as e:
        raise InputError(where, str(e)) from None


_FOUR_DIGITS_RE = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{4}")


def read_date(value: str | None) -> str | None:
    """A date as people write it, in normalised ISO form at the precision it gives.

    Parameters
    ----------
    value : str or None
        Anything :func:`parse_date` takes, or a date in words and numbers read with
        python-dateutil: ``3 March 2025``, ``March 3, 2025``, ``Monday, 3rd of March 2025``,
        ``March 2025``, ``Mon, 03 Mar 2025 10:00:00 GMT``, ``13/03/2025``. It must give a
        four-digit year.

    Returns
    -------
    str or None
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: a day only when the value names one, a
        month only when it names one. ``None`` for ``None`` or an empty string.

    Raises
    ------
    ValueError
        If the value is not a date, gives no four-digit year, names a day but no month,
        is not a real calendar date, or is all numbers with both the day and the month
        12 or less and different (``03/04/2025``: 3 April or March 4?).

    Examples
    --------
    >>> [read_date(v) for v in ("3 March 2025", "March 2025", "2025", "Monday, 3rd of March 2025")]
    ['2025-03-03', '2025-03', '2025', '2025-03-03']
    >>> read_date("03/04/2025")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: invalid date '03/04/2025': day and month are ambiguous; write it as YYYY-MM-DD ...
    """
    try:
        return parse_date(value)
    except ValueError as e:
        if "not a date" not in str(e):
            raise
    assert isinstance(value, str)
    text = value.strip()

    def invalid(reason: str) -> ValueError:
        return ValueError(
            f"invalid date {value!r}: {reason} (expected YYYY-MM-DD, YYYY-MM, YYYY or a date like 3 March 2025)"
        )

    if len(text) > 100 or not _FOUR_DIGITS_RE.search(text):
        raise invalid("not a date with a four-digit year")
    if (m := _NUMERIC_DATE_RE.fullmatch(text)) and m[1] != m[2] and int(m[1]) <= 12 and int(m[2]) <= 12:
        raise invalid("day and month are ambiguous; write it as YYYY-MM-DD")
    from datetime import datetime

    from dateutil import parser as dateutil_parser

    try:  # parsed twice with different defaults: what the text does not give differs
        a = dateutil_parser.parse(text, default=datetime(1, 1, 1), ignoretz=True)
        b = dateutil_parser.parse(text, default=datetime(2, 2, 2), ignoretz=True)
    except (ValueError, OverflowError) as e:  # dateutil's ParserError is a ValueError
        reason = str(e).split(":")[0].lower() if str(e) else "not a date"
        if reason.startswith("unknown string format"):
            reason = "not a date"
        raise invalid(reason) from None
    if a.year != b.year:
        raise invalid("no year")
    if a.month != b.month:
        if a.day == b.day:
            raise invalid("a day but no month")
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    return a.date().isoformat()
