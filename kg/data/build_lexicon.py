"""Derive kg's CAMEO trigger lexicon from the PETRARCH2 verb dictionary (run by hand, output committed).

    python -m kg.data.build_lexicon ../shared/ref/petrarch2/CAMEO.2.0.txt

writes ``kg/data/cameo_lexicon.json``: every verb of the dictionary whose CAMEO code has a PLOVER
type (through ``kg/data/cameo_plover.json``), the object nouns that pick another type for a verb
("suspend" + "aid" -> SANCTION), the prepositional phrases that do ("summon" + "to court" ->
COERCE), and the irregular forms the dictionary spells out (for lemma repair).

The dictionary (Open Event Data Alliance, PETRARCH2 at 676801c, MIT licence; notice in
``kg/data/LICENSE-petrarch2.txt``) codes verbs for the CAMEO scheme and for PETRARCH's own
parser: its transformations, subject-side patterns and patterns with a trailing condition are
left out, and so are the words listed in ``PRUNED`` below, each pruned because measurement on the
dev articles and PLOVER records showed the dictionary's sense is not the one news uses most.

The lexicon is a fallback: ``kg/data/triggers.json``, written for kg, decides first.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "cameo_lexicon.json"

#: Verbs of the dictionary whose everyday sense in news is not the coded one (a match, a hit
#: song, to stage a play ...), or that are too common to carry a type on their own. Pruned by
#: measurement (see the module docstring).
PRUNED = {
    "match", "kick", "stone", "toast", "clap", "celebrate", "respect", "reward", "honor", "honour",
    "greet", "hit", "race", "rush", "run", "set", "put", "place", "post", "position", "base", "stage",
    "look", "seem", "appear", "take", "make", "give", "get", "go", "come", "have", "be", "do", "say",
    "tell", "see", "find", "show", "hold", "keep", "leave", "meet with", "turn", "move", "call",
    "follow", "lead", "bring", "carry", "use", "work", "play", "begin", "start", "end", "continue",
    "open", "close", "raise", "pass", "spend", "cost", "pay", "visit",
}  # fmt: skip

#: The words that may follow a verb in a two-word verb ("call off", "pull out", "abide by").
_PARTICLES = {
    "up", "down", "out", "off", "on", "in", "over", "back", "away", "through", "after", "by", "for", "with", "to",
    "into", "against", "from", "upon", "around", "aside", "apart", "forward", "behind", "about",
}  # fmt: skip

_HEADER = re.compile(r"^---\s+(?P<head>\S+)\s+\[(?P<code>[^\]]*)\]\s+---")
_CODE = re.compile(r"\[(?P<code>[^\]]*)\]")
_VERB_LINE = re.compile(r"^(?P<verb>\+?[A-Z][A-Z_+]*)\s*(?P<forms>\{[^}]*\})?\s*(?:\[(?P<code>[^\]]*)\])?")


def _word(token: str) -> str:
    """``CALL_OFF`` -> "call off"; PETRARCH's markers (``+``, a trailing ``_``) dropped."""
    return token.replace("+", "").strip("_").replace("_", " ").lower()


def _load_codes(path: Path) -> tuple[dict[str, str | None], dict[str, str]]:
    table = json.loads(path.read_text(encoding="utf-8"))
    roots = {code: spec.get("plover") for code, spec in table["roots"].items()}
    codes = {code: spec["plover"] for code, spec in table["codes"].items() if "plover" in spec}
    return roots, codes


def plover_type(code: str, roots: dict[str, str | None], codes: dict[str, str]) -> str | None:
    """The PLOVER type of a CAMEO code: the longest prefix kg's table gives, else its root's.

    >>> plover_type("0256", {"02": "REQUEST"}, {})
    'REQUEST'
    >>> plover_type("---", {"02": "REQUEST"}, {}) is None
    True
    """
    code = code.split(":")[0].strip()
    if not code.isdigit():
        return None
    for end in range(len(code), 2, -1):
        if code[:end] in codes:
            return codes[code[:end]]
    return roots.get(code[:2])


def parse_dictionary(text: str, roots: dict[str, str | None], codes: dict[str, str]) -> dict:
    """Read the verb dictionary into kg's lexicon shape (see the module docstring)."""
    synsets: dict[str, list[str]] = {}
    verbs: dict[str, str] = {}
    objects: dict[str, dict[str, str]] = {}
    preps: dict[str, dict[str, str]] = {}
    forms: dict[str, str] = {}
    current: str | None = None
    block_code = "---"
    block_verbs: list[str] = []
    in_verbs = False
    lines = text.splitlines()
    for raw in lines:  # synonym sets first: patterns refer to them by name
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("&"):
            current = line[1:].strip().rstrip("_")
            synsets[current] = []
        elif line.startswith("+") and current is not None:
            synsets[current].append(_word(line.split()[0]))
        elif not line.strip() or line.startswith("---"):
            current = None

    def expand(token: str) -> list[str]:
        if token.startswith("&"):
            return synsets.get(token[1:].rstrip("_"), [])
        return [_word(token)]

    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        header = _HEADER.match(line)
        if header:
            block_code, block_verbs, in_verbs = header["code"], [], True
            continue
        if line.startswith("####"):
            in_verbs, block_verbs = False, []
            continue
        if not line.strip() or line.startswith(("&", "~")):
            continue
        if line.startswith("-"):
            in_verbs = False
            _add_pattern(line, block_verbs, expand, roots, codes, objects, preps)
            continue
        if not in_verbs:
            continue
        verb_line = _VERB_LINE.match(line)
        if verb_line is None:
            continue
        token = verb_line["verb"]
        if "+" in token.lstrip("+"):
            continue  # the verb is a later word ("ABRUPTLY_+END"): a phrase, not a verb
        verb = _word(token)
        if " " in verb and verb.split(" ", 1)[1] not in _PARTICLES:
            continue  # "killed or", "kidnapped and killed": a phrase of PETRARCH's, not a verb
        block_verbs.append(verb)
        for form in (verb_line["forms"] or "").strip("{}").split():
            forms.setdefault(_word(form), verb)
        etype = plover_type(verb_line["code"] or block_code, roots, codes)
        if etype and verb not in PRUNED:
            verbs.setdefault(verb, etype)
    return {"verbs": verbs, "objects": objects, "preps": preps, "forms": forms}


def _add_pattern(line, block_verbs, expand, roots, codes, objects, preps) -> None:
    """``- * &CEASEFIRE [0256]``: the verbs of this block with that object take that code's type.
    ``- * (TO COURT) [173]``: the same for a prepositional phrase. Other shapes are PETRARCH's own."""
    code = _CODE.search(line)
    if code is None or "*" not in line:
        return
    before, after = line[1 : line.index("*")].strip(), line[line.index("*") + 1 : code.start()].strip()
    etype = plover_type(code["code"], roots, codes)
    if before or not after or etype is None:
        return
    if after.startswith("(") and after.endswith(")") and after.count("(") == 1:
        words = after[1:-1].split()
        if len(words) == 2 and not words[1].startswith("{"):
            for noun in expand(words[1]):
                for verb in block_verbs:
                    preps.setdefault(verb, {}).setdefault(f"{words[0].lower()} {noun}", etype)
        return
    if "(" in after:
        return  # a condition on the object's own phrase: too specific for a parse-based matcher
    if after.startswith("{") and after.endswith("}"):
        phrase_words = after[1:-1].split()
        if len(phrase_words) != 2 or phrase_words[0].startswith("&"):
            return
        heads = [f"{_word(phrase_words[0])} {noun}" for noun in expand(phrase_words[1])]
    elif " " not in after:
        heads = expand(after)
    else:
        return
    for noun in heads:
        for verb in block_verbs:
            if verb not in PRUNED:
                objects.setdefault(verb, {}).setdefault(noun, etype)


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else HERE.parents[2] / "shared" / "ref" / "petrarch2" / "CAMEO.2.0.txt"
    roots, codes = _load_codes(HERE / "cameo_plover.json")
    lexicon = parse_dictionary(source.read_text(encoding="utf-8", errors="replace"), roots, codes)
    out = {
        "_about": [
            "Derived by kg/data/build_lexicon.py from the PETRARCH2 CAMEO verb dictionary (CAMEO.2.0.txt,",
            "Open Event Data Alliance, MIT licence: see LICENSE-petrarch2.txt). Do not edit: edit the converter",
            "or kg/data/triggers.json, which decides first. verbs: lemma -> PLOVER type; objects: lemma ->",
            "object noun -> type; preps: lemma -> 'prep noun' -> type; forms: irregular form -> lemma.",
        ],
        **{key: dict(sorted(value.items())) for key, value in lexicon.items()},
    }
    OUT.write_text(json.dumps(out, indent=0, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    sizes = ", ".join(f"{len(v)} {k}" for k, v in lexicon.items())
    print(f"wrote {OUT.name}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
