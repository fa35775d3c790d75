"""What the resolver reads words by: pronouns, vague groups, titles and offices, datelines and
bylines, acronyms, name words, the gazetteer's phrase matcher and crowd nouns."""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from importlib.resources import files

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..gazetteer import Gazetteer

log = logging.getLogger(__name__)

_PRONOUNS_PERSON = {"he", "she", "him", "her"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}
_VAGUE_GROUPS = {
    "leaders",
    "members",
    "people",
    "group",
    "groups",
    "party",
    "movement",
    "residents",
    "state",
    "court",
    "courts",
    "official",
    "crowd",
    "leadership",
}
_NER_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


_IT_KINDS = ("Country", "Government", "Organization")


def _pair_kind(kind: str) -> str:
    return "person" if kind == "Person" else "actor"


#: Offices one person holds at a time: "the Prime Minister" is that person even when unnamed.
_OFFICES = {
    "President", "Prime Minister", "Chancellor", "Foreign Secretary", "Foreign Minister", "Secretary-General",
    "Secretary General", "King", "Queen", "Emir", "Premier", "Supreme Leader", "Vice President",
    "Defence Secretary", "Defence Minister", "Defense Secretary", "Secretary of State", "Home Secretary",
    "Pope", "Crown Prince",
}  # fmt: skip


def _title_regex(title: str) -> str:
    """A title as a pattern that allows any spacing, and spaces around its hyphens."""
    return r"\s+".join(r"\s*-\s*".join(map(re.escape, w.split("-"))) for w in title.split())


_OFFICE_PATTERN = re.compile(
    r"(?:\b[Tt]he\s+|^)(" + "|".join(map(_title_regex, sorted(_OFFICES, key=len, reverse=True))) + r")\b",
    re.M,
)  # the titles as written, capitalised, after "the" or at the start of a line

_REFERRING_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "dative"}

#: Plural nouns that refer back to entities named together, and the kind of pair they want
#: (None: whichever pair came last).
_PLURAL_REFERENCES: dict[str, str | None] = {
    "leaders": "person",
    "pair": None,
    "sides": None,
    "men": "person",
    "women": "person",
    "presidents": "person",
    "ministers": "person",
    "countries": "actor",
    "nations": "actor",
    "governments": "actor",
    "parties": None,
}


_TITLE_WORDS: dict[int, frozenset[str]] = {}


def _title_words(gaz: Gazetteer) -> frozenset[str]:
    """Every word of every title ("Prime", "Minister", "Mayor"): never part of a name."""
    key = id(gaz)
    if key not in _TITLE_WORDS:
        _TITLE_WORDS[key] = frozenset(w for t in gaz.titles for w in t.split() if w[:1].isupper())
    return _TITLE_WORDS[key]


def _is_acronym(text: str) -> bool:
    """An organisation named by its initials alone ("PDP", "U.N.C."), which many share.

    >>> _is_acronym("PDP"), _is_acronym("Hamas"), _is_acronym("Labour Party")
    (True, False, False)
    """
    letters = text.replace(".", "")
    return " " not in text and letters.isalpha() and letters.isupper() and 1 < len(letters) <= 6


def _drop_initials(words: list[str]) -> list[str]:
    """ "Donald J. Trump" is "Donald Trump": middle initials do not name another person."""
    if len(words) < 3:
        return words
    return [words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"[A-Z]\.?", w)] + [words[-1]]


def _role_key(role: str) -> str:
    """Roles compare without case and "-elect": "the president-elect" is "President" Trump."""
    role = re.sub(r"\s*-\s*", "-", role.lower())
    return role.replace("-elect", "").replace(" elect", "").strip()


def _clean_alias(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"['\u2019]s$", "", text).strip()


def _strip_det(text: str) -> str:
    return re.sub(r"^(the|The)\s+", "", text.strip())


def dateline_tokens(doc: Doc) -> set[int]:
    """The tokens of datelines: a place in capitals at the start of a sentence, then optionally a
    date and an agency in brackets, up to a dash, bullet or colon ("BERLIN, October 30 (Wire) -",
    "YANGON •", "NAIROBI (Reuters) -"). They say where and when a story was filed; no actor.

    >>> import spacy
    >>> doc = spacy.blank("en")("NAIROBI (Reuters) - Police arrested ten people.")
    >>> doc[0].is_sent_start = True
    >>> sorted(dateline_tokens(doc))
    [0, 1, 2, 3, 4]
    """
    found: set[int] = byline_tokens(doc)
    starts = [t for t in doc if t.is_sent_start] if doc.has_annotation("SENT_START") else [doc[0]] if len(doc) else []
    starts += [t for t in doc if t.i > 0 and "\n" in doc[t.i - 1].text_with_ws]  # a line's first word
    for first in starts:
        if not (first.is_alpha and first.is_upper and len(first) > 1):
            continue
        depth = 0
        for tok in doc[first.i : first.i + 15]:
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif depth == 0 and tok.text in _DATELINE_ENDS and tok.i > first.i:
                found.update(range(first.i, tok.i + 1))
                break
            elif depth == 0 and not (tok.is_upper or tok.is_punct or tok.like_num or tok.ent_type_ == "DATE"):
                break  # a sentence that only starts with a word in capitals
    return found


def byline_tokens(doc: Doc) -> set[int]:
    r"""The tokens of bylines and credits: a line "By Jane Doe and Tom Lee", "(Reporting by Anna
    Smith; Editing by Mark Jones)". They name who wrote the story, not who acted in it.

    >>> import spacy
    >>> doc = spacy.blank("en")("By Jane Doe\nPolice arrested ten people.")
    >>> sorted(byline_tokens(doc))
    [0, 1, 2, 3]
    """
    found: set[int] = set()
    for match in _BYLINE.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return found


#: A line of names after "By" (capitalised words, "and", commas), or a bracketed credit.
_BYLINE = re.compile(
    r"^[ \t]*By[ \t]+[A-Z][\w.'\-]*(?:(?:[ \t]+|,[ \t]*|[ \t]+(?:and|&)[ \t]+)[A-Z][\w.'\-]*)*[ \t]*(?:\n|$)"
    r"|\((?:Additional |Writing and )?(?:[Rr]eporting|[Ww]riting|[Ee]diting)(?: and \w+)? by [^)]{1,200}\)",
    re.M,
)

#: What closes a dateline: "BERLIN, October 30 (Wire) -", "YANGON •", "LONDON:".
_DATELINE_ENDS = {"-", "--", "\u2013", "\u2014", "\u2022", "\u00b7", ":"}


def _capitalised_modifier(word: Token) -> bool:
    """A sentence's first word, capitalised only for being first, that is an event word modifying
    the noun after it: "Riot police fired ...", "Strike leaders said ..." (no name: the actor is
    the noun).

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, ["Riot", "police", "fired"], heads=[1, 2, 2],
    ...           deps=["compound", "nsubj", "ROOT"])
    >>> _capitalised_modifier(doc[0])
    True
    """
    return bool(
        word.is_sent_start
        and word.dep_ in ("compound", "amod")
        and word.head.i == word.i + 1
        and word.lower_ in _event_words()
    )


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """Every trigger word of ``kg/data/triggers.json`` (verbs and nouns, first word of a phrase)."""
    data = json.loads(files("kg.data").joinpath("triggers.json").read_text(encoding="utf-8"))
    return frozenset(w.split(" ")[0] for spec in data["types"].values() for w in (*spec["verbs"], *spec["nouns"]))


def _is_nominal(span: Span) -> bool:
    root = span.root
    return root.pos_ in ("PROPN", "NOUN") and root.dep_ not in ("amod", "compound") or root.text.endswith("s")


def _name_words(span: Span, gaz: Gazetteer) -> list[str]:
    words = [t.text for t in span if t.text not in ("'s", "\u2019s")]
    while words and (words[0] in gaz.honorifics or words[0].lower() in _DETERMINERS):
        words.pop(0)
    for n in (3, 2, 1):
        if len(words) > n and " ".join(words[:n]) in gaz.titles:
            words = words[n:]
            break
    while words and words[0] in gaz.honorifics:
        words.pop(0)
    return words


def _org_kind(span: Span, gaz: Gazetteer) -> tuple[str, str | None]:
    code = None
    for tok in span:  # "the Russian Defence Ministry", "Baghdad University": the country in the name
        code = gaz.country_of(tok.text) or gaz.capitals.get(tok.text) or gaz.cities.get(tok.text) or code
        if code:
            break
    kind = gaz.group_nouns.get(span.root.lower_, "Organization")
    return ("Organization" if kind == "Country" else kind), code


_MATCHERS: dict[int, PhraseMatcher] = {}


def _matcher(vocab, gaz: Gazetteer) -> PhraseMatcher:
    """One PhraseMatcher per vocabulary: countries, capitals, seats and organisations."""
    key = id(vocab)
    if key not in _MATCHERS:
        from spacy.lang.en import English

        tokenizer = English().tokenizer
        matcher = PhraseMatcher(vocab, attr="ORTH")
        groups = {
            "COUNTRY": list(gaz.countries) + [d for d in gaz.demonyms if d[0].isupper()],
            "CAPITAL": list(gaz.capitals),
            "SEAT": list(gaz.seats),
            "IGO": list(gaz.organizations),
        }
        for label, names in groups.items():
            docs = [tokenizer(n) for n in names if n and not n.startswith("the ")]
            matcher.add(label, [Doc(vocab, words=[t.text for t in d]) for d in docs])
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


@lru_cache(maxsize=1)
def _crowd_nouns() -> dict[str, str]:
    data = json.loads(files("kg.data").joinpath("actors.json").read_text(encoding="utf-8"))
    return {word: canonical for canonical, words in data.get("group_synonyms", {}).items() for word in words}


def crowd_noun(noun: str) -> str:
    """The one noun a kind of crowd goes by, so "protesters" and "demonstrators" in a country are
    one group (``group_synonyms`` in ``kg/data/actors.json``).

    >>> crowd_noun("demonstrator"), crowd_noun("rebel")
    ('protester', 'rebel')
    """
    return _crowd_nouns().get(noun, noun)
