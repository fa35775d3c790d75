"""Office holders by date, from ``kg/data/office_holders.json`` (derived from the PETRARCH2
country dictionary by ``kg/data/build_office_holders.py``).

Two questions: what country (and, at a date, what office) a person named in full has, and
who held an office of a country on a date ("the Prime Minister" in a readout that never names
them). An answer is given only when the table has exactly one: two people of one name in
two countries, or two holders of one office on one date, give none. The table ends where
the dictionary does (``until``, early 2015); later holders come from the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

__all__ = ["OfficeTable", "load_offices"]


def _fold(name: str) -> str:
    return " ".join(re.sub(r"[.\u2019']", " ", name).lower().split())


@dataclass
class OfficeTable:
    """People by full name, and office holders by (country, office)."""

    until: str = ""
    by_name: dict[str, list[tuple[str, str, tuple]]] = field(default_factory=dict)  # name, country, offices
    by_office: dict[tuple[str, str], list[tuple[str, tuple[tuple[str, str], ...]]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, until: str, people: list[list]) -> OfficeTable:
        """The table of rows ``[names, country]``, then ``spans, office`` for each office held.

        >>> t = OfficeTable.from_rows("2015-02-17", [[["Ana Lopes"], "PRT", [["2011-06-21", ""]], "Prime Minister"]])
        >>> t.holder("PRT", "prime minister", "2012-03-01"), t.person("ana lopes", "2012-03-01")
        ('Ana Lopes', ('PRT', 'Prime Minister'))
        >>> t.holder("PRT", "prime minister", "2016-03-01") is None  # after the table ends
        True
        """
        table = cls(until=until)
        for row in people:
            names, country = row[0], row[1]
            held = [(tuple((s, e or until) for s, e in row[i]), row[i + 1]) for i in range(2, len(row) - 1, 2)]
            for name in names:
                table.by_name.setdefault(_fold(name), []).append((names[0], country, tuple(held)))
            for spans, office in held:
                table.by_office.setdefault((country, office.lower()), []).append((names[0], spans))
        return table

    def holder(self, country: str, office: str, date: str | None) -> str | None:
        """The one person who held ``office`` of ``country`` on ``date`` (``YYYY-MM-DD``, or
        ``YYYY-MM`` when one person held it all month), or None."""
        if not date or len(date) < 7 or date[:10] > self.until:
            return None
        first, last = (date, date) if len(date) == 10 else (f"{date}-01", f"{date}-31")
        found = {
            name
            for name, spans in self.by_office.get((country, office.lower()), ())
            if any((not s or s <= first) and last <= e for s, e in spans)
        }
        return found.pop() if len(found) == 1 else None

    def person(self, name: str, date: str | None = None) -> tuple[str | None, str | None]:
        """(country, office) of a person named in full: the country when the table knows one
        person of that name, the office when they were its one holder on ``date``."""
        found = self.by_name.get(_fold(name), [])
        if len({country for _, country, _ in found}) != 1:
            return None, None
        canonical, country, held = found[0]
        if len(found) == 1:
            for _, office in held:
                if self.holder(country, office, date) == canonical:
                    return country, office
        return country, None

    def holder_named(self, surname: str, office: str, date: str | None) -> tuple[str, str] | None:
        """(full name, country) of the one holder of ``office`` on ``date``, in any country, whose
        name ends in ``surname``: "President Obama" in May 2012 is Barack Obama of the USA.

        >>> t = OfficeTable.from_rows("2015-02-17", [[["Ana Lopes"], "PRT", [["2011-06-21", ""]], "Prime Minister"]])
        >>> t.holder_named("Lopes", "Prime Minister", "2012-03-01")
        ('Ana Lopes', 'PRT')
        """
        found = {
            (name, country)
            for (country, held), people in self.by_office.items()
            if held == office.lower()
            for name, _ in people
            if name.split()[-1].lower() == surname.lower() and self.holder(country, office, date) == name
        }
        return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def load_offices() -> OfficeTable:
    """The office-holder table, read once per process."""
    data = json.loads(files("kg.data").joinpath("office_holders.json").read_text(encoding="utf-8"))
    return OfficeTable.from_rows(data["until"], data["people"])
