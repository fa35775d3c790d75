"""Derive kg's office-holder table from the PETRARCH2 country dictionary (run by hand, output committed).

    python -m kg.data.build_office_holders ../shared/ref/petrarch2/Phoenix.Countries.actors.txt

writes ``kg/data/office_holders.json``: for each person the dictionary dates in a government
office (a ``GOV`` code with dates, ``[USAGOV 090120-170120]``), the full names it gives them,
their country (ISO 3166-1 alpha-3) and their spans in government, each with the office when the
dictionary says which (the comment of a span, "# Chancellor of Germany", or the one title its
aliases give them ("PRESIDENT_BARACK_OBAMA"). A person with titles of two offices (a president
who was prime minister before) keeps the spans without an office: kg does not guess which span
was which. Open spans (``>080508``) end where the dictionary ends (``until``). People out of
government before 1990 are left out, to keep the table small.

The dictionary (Open Event Data Alliance, PETRARCH2 at 676801c, MIT licence; notice in
``kg/data/LICENSE-petrarch2.txt``) was last revised in the mid-2010s: later office holders are
not in it, and kg learns them from the text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
OUT = HERE / "office_holders.json"

#: Offices kg resolves "the President" and the like to, as aliases and section headings spell them.
TITLES = (
    ("VICE_PRESIDENT", "Vice President"), ("VICE-PRESIDENT", "Vice President"),
    ("PRIME_MINISTER", "Prime Minister"), ("PRESIDENT", "President"), ("CHANCELLOR", "Chancellor"),
    ("BUNDESKANZLER", "Chancellor"), ("KANZLER", "Chancellor"), ("PREMIER", "Premier"),
    ("FOREIGN_MINISTER", "Foreign Minister"), ("SECRETARY_OF_STATE", "Secretary of State"),
    ("SUPREME_LEADER", "Supreme Leader"), ("KING", "King"), ("QUEEN", "Queen"), ("EMIR", "Emir"),
)  # fmt: skip

#: Words that make an entry an institution or a group, not a person.
NOT_PEOPLE = {
    "ADMINISTRATION", "GOVERNMENT", "MINISTRY", "PARTY", "ARMY", "FORCES", "COUNCIL", "COURT", "OFFICE",
    "DEPARTMENT", "AGENCY", "COMMITTEE", "UNION", "FRONT", "MOVEMENT", "BANK", "UNIVERSITY", "POLICE",
    "CABINET", "REGIME", "PARLIAMENT", "ASSEMBLY", "SENATE", "CONGRESS", "OF", "THE", "AND",
}  # fmt: skip

#: Honorifics and titles that aliases put before a name ("MR._OBAMA", "KANZLER_MERKEL"): not a name.
NOT_NAMES = {
    "MR", "MR.", "MRS", "MRS.", "MS", "MS.", "DR", "DR.", "SIR", "LORD", "LADY", "DAME", "SENATOR", "SEN.",
    "GOVERNOR", "GOV.", "KANZLER", "BUNDESKANZLER", "GENERAL", "GEN.", "COLONEL", "COL.", "ADMIRAL", "MINISTER",
    "SECRETARY", "AMBASSADOR", "MAYOR", "SPEAKER", "SHEIKH", "PRINCE", "PRINCESS", "AYATOLLAH", "CHAIRMAN",
    "FORMER", "US", "U.S.", "AMERICAN", "RUSSIAN", "BRITISH", "PRESIDENT-ELECT", "PM", "FM", "HIS", "HER",
}  # fmt: skip

#: People whose last span in government ended before this are left out (kg reads news).
SINCE = "1990-01-01"

_CODE = re.compile(r"\[([A-Z]{3})([A-Z]{3})?[A-Z]*(?:\s+([<>]?)(\d{6,8})(?:-(\d{6,8}))?)?\s*\]")


def iso_date(text: str) -> str:
    """ "090120" -> "2009-01-20"; "19200101" -> "1920-01-01" (two-digit years up to 30 are 20xx)."""
    if len(text) == 8:
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    year = int(text[:2])
    return f"{2000 + year if year <= 30 else 1900 + year}-{text[2:4]}-{text[4:]}"


def words(entry: str) -> list[str]:
    return [w for w in entry.strip().lstrip("+").split("#")[0].strip().split("_") if w]


def office_of(text: str) -> str | None:
    """The office a heading or an alias names ("PRESIDENT_VLADIMIR_PUTIN" -> President)."""
    upper = text.upper().replace(" ", "_")
    for token, title in TITLES:
        if re.search(rf"(?:^|_){re.escape(token)}S?(?:_|$)", upper):
            return title
    return None


def span_office(comment: str, country: str) -> str | None:
    """The office a code's comment names ("# Chancellor of Germany"), when it is an office of
    the country itself ("# Prime Minister of Lower Saxony" is not)."""
    text = comment.strip().lstrip("#").strip()
    office = office_of(text) if text else None
    if office and " of " in text:
        try:
            if pycountry.countries.lookup(text.split(" of ", 1)[1].strip()).alpha_3 != country:
                return None
        except LookupError:
            return None
    return office


def person_name(ws: list[str]) -> str | None:
    """A full name ("VLADIMIR", "PUTIN" -> "Vladimir Putin"), or None for a title, an initial
    alone, a single word or an institution."""
    if not 2 <= len(ws) <= 5 or any(w in NOT_PEOPLE or w in NOT_NAMES for w in ws) or office_of("_".join(ws)):
        return None
    if not all(re.fullmatch(r"[A-Z][A-Z.'\-]*", w) for w in ws):
        return None
    return " ".join(w.capitalize() if "." not in w else w for w in ws)


def convert(path: Path) -> dict:
    people: list[dict] = []
    current: dict | None = None
    until = "0000-00-00"
    valid = {c.alpha_3 for c in pycountry.countries}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("#"):
            continue  # section headings ("# Prime Ministers") run on over the cabinet: not evidence
        if not line.strip():
            continue
        if line[0] not in "+\t [":
            current = {"names": [], "titles": set(), "spans": []}
            people.append(current)
            name = person_name(words(line))
            if name:
                current["names"].append(name)
            current["titles"].add(office_of("_".join(words(line))))
        elif line.startswith("+") and current is not None:
            ws = words(line)
            name = person_name(ws)
            if name and name not in current["names"]:
                current["names"].append(name)
            current["titles"].add(office_of("_".join(ws)))
        if current is None:
            continue
        for m in _CODE.finditer(line):
            country, sector, op, first, last = m.groups()
            if country not in valid or not first:
                continue
            start, end = (None, iso_date(first)) if op == "<" else (iso_date(first), iso_date(last) if last else None)
            until = max(until, *(d for d in (start, end) if d))
            current["spans"].append((country, sector, start, end, span_office(line[m.end() :], country)))
    out = []
    for p in people:
        gov = [(c, s, e, o) for c, sector, s, e, o in p["spans"] if sector == "GOV"]
        if not p["names"] or not gov or max(e or until for _, _, e, _ in gov) < SINCE:
            continue  # kg reads news: people out of government before 1990 are left out
        countries = {c for c, _, _, _ in gov}
        if len(countries) != 1:
            continue  # a person coded for two states: kg does not guess which
        titles = {t for t in p["titles"] if t}
        stated = {o for _, _, _, o in gov if o}
        if stated:  # the spans' own comments ("# President of Germany") say which span was which
            offices = {o: [(s, e) for _, s, e, o2 in gov if o2 == o] for o in stated}
        elif len(titles) == 1:  # one title in all its aliases: every span in government
            offices = {titles.pop(): [(s, e) for _, s, e, _ in gov]}
        else:
            offices = {}
        row = [p["names"], countries.pop()]
        for office, spans in sorted(offices.items()):
            row += [[list(span) for span in sorted({(s or "", e or until) for s, e in spans})], office]
        out.append(row)
    out.sort(key=lambda p: (p[1], p[0][0]))
    return {
        "_about": [
            "Derived by kg/data/build_office_holders.py from the PETRARCH2 country dictionary",
            "(Phoenix.Countries.actors.txt, Open Event Data Alliance, MIT licence: see LICENSE-petrarch2.txt).",
            "Do not edit: edit the converter. people: [full names, country] of each person in government,",
            "then for each office the dictionary gives them: [[start, end], ...], office (their spans in it);",
            "an open span ends at 'until', where the dictionary ends.",
        ],
        "until": until,
        "people": out,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    data = convert(Path(argv[0]))
    with OUT.open("w", encoding="utf-8") as f:
        f.write('{\n"_about": ' + json.dumps(data["_about"], ensure_ascii=False) + ",\n")
        f.write('"until": ' + json.dumps(data["until"]) + ',\n"people": [\n')
        f.write(",\n".join(json.dumps(p, ensure_ascii=False) for p in data["people"]))
        f.write("\n]\n}\n")
    print(f"wrote {OUT}: {len(data['people'])} people, until {data['until']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
