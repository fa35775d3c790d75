"""The graph stage: extractions in, an rdflib graph in the shape of the RDF contract out.

IRIs are minted from stable keys (entity keys, document ids, sentence offsets and event
content), so building the same input twice, or merging two builds, gives no duplicates.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import InputError
from .gazetteer import country_name, geonames_iri
from .keys import country_key
from .model import FACT_MODALITIES, DocumentExtraction, Entity, Event, Sentence
from .vocab import (
    DCTERMS,
    EVENT_TYPES,
    KIND_TERMS,
    MODALITY_TERMS,
    OWL,
    POL,
    POLR,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    WD,
    XSD,
    slug,
)

__all__ = [
    "new_graph",
    "build_graph",
    "add_extraction",
    "merge_graphs",
    "load_graph",
    "add_ntriples",
    "is_too_long",
    "TOO_LONG",
    "RDF_FORMATS",
    "rdf_format_for",
    "slug",
    "entity_iri",
    "state_key",
    "STATE_PARTS",
    "document_iri",
    "sentence_iri",
    "event_iri",
    "date_literal",
    "SINGLE_VALUED",
    "FIRST_VALUE_WINS",
    "TripleBuffer",
]

log = logging.getLogger(__name__)

#: File extension -> rdflib format name, for the RDF serialisations kg reads and writes.
RDF_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}


def rdf_format_for(path: str | Path) -> str | None:
    """The rdflib format name for a file's extension, or None when it is not RDF.

    >>> rdf_format_for("graph.nt")
    'nt'
    """
    return RDF_FORMATS.get(Path(path).suffix.lower())


def _digest(*parts: object, size: int = 16) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:size]


def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its stable key (``person/keir-starmer`` -> ``polr:person/keir-starmer``)."""
    return POLR[key]


def document_iri(doc_id: str) -> URIRef:
    """IRI of a document: a readable slug of its id plus a short hash (ids may differ only in case)."""
    return POLR[f"doc/{slug(doc_id)[:60]}-{_digest(doc_id, size=8)}"]


def sentence_iri(sentence: Sentence) -> URIRef:
    """IRI of a sentence: its document and character span."""
    return POLR[f"sentence/{_digest(sentence.doc_id, size=12)}-{sentence.start}-{sentence.end}"]


def event_iri(event: Event, doc_id: str) -> URIRef:
    """IRI of an event from what it says: type, parties, modality and date.

    The same event stated twice (in one document, or in two documents of the same date)
    gets the same IRI and so merges, keeping every sentence as provenance. An undated
    event is scoped to its document.
    """
    when = event.date or f"doc:{doc_id}"
    parties = (tuple(sorted(event.actors)), tuple(sorted(event.recipients)))
    if event.type == "CONSULT" or not event.recipients:
        parties = (tuple(sorted(set(event.actors) | set(event.recipients))), ())
    return POLR[f"event/{event.type.lower()}-{_digest(event.type, parties, event.modality, when)}"]


def date_literal(value: str) -> Literal:
    """An ISO date string as a typed literal: xsd:date, xsd:gYearMonth or xsd:gYear.

    >>> date_literal("2024-11").datatype
    rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')
    """
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value))
    if kind is None:
        raise ValueError(f"not an ISO date, year-month or year: {value!r}")
    return Literal(value, datatype=kind)


def new_graph() -> Graph:
    """An empty graph with kg's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def _add_entity(g: Graph, entity: Entity) -> URIRef:
    node = entity_iri(entity.key)
    g.add((node, RDF.type, KIND_TERMS[entity.kind]))
    if g.value(node, RDFS.label) is None:
        g.add((node, RDFS.label, Literal(entity.label)))
    label = str(g.value(node, RDFS.label))
    for alias in entity.aliases:
        if alias != label:
            g.add((node, SKOS.altLabel, Literal(alias)))
    if entity.country and g.value(node, POL.country) is None:
        g.add((node, POL.country, Literal(entity.country)))
    if entity.role and g.value(node, POL.role) is None:
        g.add((node, POL.role, Literal(entity.role)))
    if entity.wikidata:
        g.add((node, OWL.sameAs, WD[entity.wikidata]))
    for iri in entity.same_as:
        g.add((node, OWL.sameAs, URIRef(iri)))
    state = state_key(entity)
    if state is not None:
        code, iri = entity.country, geonames_iri(entity.country)
        country = Entity(state, country_name(code), "Country", code, same_as=(iri,) if iri else ())
        g.add((node, POL.state, _add_entity(g, country)))
    return node


#: Kinds of entity that act for or belong to the state of their pol:country.
STATE_PARTS = ("Person", "Organization", "Government", "Military", "Group")


def state_key(entity: Entity) -> str | None:
    """The key of the country node an entity acts for or belongs to (``pol:state``): a
    government, ministry, military, office holder, party or group of a country's citizens has
    one; a country itself, a place and an international organisation have none.

    >>> state_key(Entity("military/RUS", "Armed forces of Russia", "Military", "RUS"))
    'country/RUS'
    >>> state_key(Entity("location/kyiv", "Kyiv", "Location", "UKR")) is None
    True
    """
    if entity.kind not in STATE_PARTS or not entity.country or not re.fullmatch(r"[A-Z]{3}", entity.country):
        return None
    return country_key(entity.country)


def _add_event(g: Graph, event: Event, doc_id: str, sentence_node: URIRef) -> None:
    node = event_iri(event, doc_id)
    etype = EVENT_TYPES[event.type]
    g.add((node, RDF.type, POL.Event))
    g.add((node, POL.eventType, POL[event.type]))
    g.add((node, POL.modality, MODALITY_TERMS[event.modality]))
    g.add((node, POL.score, Literal(str(etype.score), datatype=XSD.decimal)))
    if g.value(node, POL.trigger) is None:
        g.add((node, POL.trigger, Literal(event.trigger)))
    if event.date and g.value(node, POL.date) is None:
        g.add((node, POL.date, date_literal(event.date)))
    if event.location and g.value(node, POL.location) is None:
        g.add((node, POL.location, entity_iri(event.location)))
    if event.confidence is not None and g.value(node, POL.confidence) is None:
        text = f"{event.confidence:.2f}".rstrip("0").rstrip(".") or "0"  # canonical, as Oxigraph writes it
        g.add((node, POL.confidence, Literal(text, datatype=XSD.decimal)))
    g.add((node, PROV.wasDerivedFrom, sentence_node))
    actors = [entity_iri(k) for k in event.actors]
    recipients = [entity_iri(k) for k in event.recipients]
    for a in actors:
        g.add((node, POL.actor, a))
        g.add((a, POL.participatedIn, node))
    for r in recipients:
        g.add((node, POL.recipient, r))
        g.add((r, POL.participatedIn, node))
    if event.modality not in FACT_MODALITIES:
        return
    truthy = POL[etype.truthy]
    if recipients:
        pairs = [(a, r) for a in actors for r in recipients]
    else:  # reciprocal: "Starmer and Macron met"
        pairs = [(a, b) for a in actors for b in actors if a != b]
    for a, r in pairs:
        if a != r:
            g.add((a, truthy, r))


def add_extraction(g: Graph, extraction: DocumentExtraction) -> Graph:
    """Add one document's extraction to ``g`` (in place) and return ``g``.

    Examples
    --------
    >>> from kg.model import Document, DocumentExtraction
    >>> g = add_extraction(new_graph(), DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    >>> len(g)
    2
    """
    doc = extraction.document
    doc_node = document_iri(doc.id)
    g.add((doc_node, RDF.type, POL.Document))
    g.add((doc_node, DCTERMS.identifier, Literal(doc.id)))
    if doc.date:
        g.add((doc_node, DCTERMS.date, date_literal(doc.date)))
    if doc.title:
        g.add((doc_node, DCTERMS.title, Literal(doc.title)))
    if doc.url and _is_iri(doc.url):
        g.add((doc_node, DCTERMS.source, URIRef(doc.url)))
    elif doc.url:
        log.warning("%s: url %r is not an IRI; left out of the graph", doc.origin or doc.id, doc.url)
    for entity in extraction.entities:
        _add_entity(g, entity)
    sentence_nodes: dict[tuple[int, int], URIRef] = {}
    for sentence in extraction.sentences:
        node = sentence_iri(sentence)
        sentence_nodes[(sentence.start, sentence.end)] = node
        g.add((node, RDF.type, POL.Sentence))
        g.add((node, POL.inDocument, doc_node))
        g.add((node, POL.text, Literal(sentence.text)))
        g.add((node, POL.start, Literal(sentence.start)))
        g.add((node, POL.end, Literal(sentence.end)))
    for event in extraction.events:
        span = (event.sentence.start, event.sentence.end)
        sentence_node = sentence_nodes.get(span) or sentence_iri(event.sentence)
        _add_event(g, event, doc.id, sentence_node)
    return g


def _is_iri(value: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value))


def build_graph(extractions: Iterable[DocumentExtraction]) -> Graph:
    """One graph from many document extractions (entities shared across documents merge).

    Examples
    --------
    >>> build_graph([])  # doctest: +ELLIPSIS
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    """
    g = new_graph()
    for extraction in extractions:
        add_extraction(g, extraction)
    return g


def merge_graphs(graphs: Iterable[Graph]) -> Graph:
    """Union of graphs: nodes with the same IRI merge, every provenance link is kept.

    Canonical labels stay single: where two graphs disagree on an entity's rdfs:label,
    the first one seen wins and the others become skos:altLabel.
    """
    out = new_graph()
    for g in graphs:
        for s, p, o in g:
            if p in SINGLE_VALUED and not isinstance(s, BNode):
                existing = out.value(s, p)
                if existing is not None and existing != o:
                    if p == RDFS.label:
                        out.add((s, SKOS.altLabel, o))
                    continue  # the first graph's value stands
            out.add((s, p, o))
    return out


#: Properties a node has at most once (the shapes' ``sh:maxCount 1``): merging keeps the
#: first value seen (a later, different label becomes a skos:altLabel).
SINGLE_VALUED = frozenset(
    {
        RDFS.label,
        POL.trigger,
        POL.date,
        POL.country,
        POL.role,
        POL.location,
        POL.score,
        POL.confidence,
        POL.eventType,
        POL.modality,
        POL.inDocument,
        POL.text,
        POL.start,
        POL.end,
        DCTERMS.identifier,
        DCTERMS.date,
        DCTERMS.title,
        DCTERMS.source,
    }
)


#: The properties :func:`add_extraction` sets only while a node has none (it asks
#: ``g.value(node, p)`` first): across documents, the first value seen stands. A sink that
#: stands in for a graph (:class:`TripleBuffer`, the streaming writer of :mod:`kg.export`)
#: must answer ``value()`` for these.
FIRST_VALUE_WINS = frozenset(
    {RDFS.label, POL.country, POL.role, POL.trigger, POL.date, POL.location, POL.confidence}
)


class TripleBuffer:
    """The part of an rdflib graph that :func:`add_extraction` uses, for one small batch of triples.

    ``add`` keeps each triple once, in the order added; ``value`` answers as a fresh
    :class:`rdflib.Graph` holding the same triples would (any one value, or None).
    About ten times cheaper than a graph per document, for code that only needs the
    triples of one document (per-document validation, streaming writers).

    Examples
    --------
    >>> from kg.model import Document, DocumentExtraction
    >>> buffer = add_extraction(TripleBuffer(), DocumentExtraction(Document("d1", "Hi."), (), (), (), ()))
    >>> len(buffer), buffer.value(document_iri("d1"), DCTERMS.identifier)
    (2, rdflib.term.Literal('d1'))
    """

    __slots__ = ("_triples", "_seen", "_values")

    def __init__(self) -> None:
        self._triples: list[tuple] = []
        self._seen: set[tuple] = set()
        self._values: dict[tuple, object] = {}

    def add(self, triple: tuple) -> TripleBuffer:
        """Add one ``(s, p, o)`` triple (a triple already held is ignored)."""
        if triple not in self._seen:
            self._seen.add(triple)
            self._triples.append(triple)
            self._values.setdefault(triple[:2], triple[2])
        return self

    def value(self, subject, predicate):
        """The first object held for ``(subject, predicate)``, or None."""
        return self._values.get((subject, predicate))

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._seen


def load_graph(path: str | Path, *, format: str | None = None) -> Graph:
    """Read a graph file (format from the extension unless given) with kg's prefixes bound.

    Raises
    ------
    InputError
        When the file does not exist or does not parse; the message names the file and,
        where the parser says, the line.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    fmt = format or rdf_format_for(path) or "turtle"
    if fmt == "json-ld":
        _refuse_remote_contexts(path)
    elif fmt == "xml":
        _refuse_xml_entities(path)
    from .sandbox import run_offline

    g = new_graph()
    try:
        if fmt in ("nt", "ntriples", "nt11"):  # rdflib's own reader is quadratic in the length of a line
            try:
                add_ntriples(g, path=path)
            except (SyntaxError, MemoryError) as exc:  # Oxigraph's "buffer maximal size" is a MemoryError
                if not is_too_long(exc):
                    raise
                g = new_graph()  # a term over Oxigraph's 16 MB: N-Triples is Turtle, whose reader is linear
                run_offline(g.parse, path, format="turtle")
        else:
            run_offline(g.parse, path, format=fmt)  # a file may name things to fetch: nothing is fetched
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise InputError(str(path), f"not valid {fmt} ({_first_line(exc)})") from exc
    return g


_XSD_STRING_IRI = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING_IRI else Literal(term.value, datatype=URIRef(datatype))


def add_ntriples(graph: Graph, data: bytes | str | None = None, *, path: str | Path | None = None) -> Graph:
    """Add the triples of N-Triples ``data`` (or the file at ``path``) to ``graph``, read by Oxigraph.

    Linear in the length of each line, unlike rdflib's N-Triples reader (a literal of
    50 MB takes it hours); raises ``SyntaxError`` for bad syntax.

    >>> len(add_ntriples(new_graph(), '<http://a> <http://b> "c" .\\n'))
    1
    """
    import pyoxigraph as ox

    if path is not None:
        triples = ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    else:
        triples = ox.parse(data.encode("utf-8") if isinstance(data, str) else data, format=ox.RdfFormat.N_TRIPLES)
    add = graph.add
    for t in triples:
        add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
    return graph


def _refuse_remote_contexts(path: Path) -> None:
    """Refuse a JSON-LD file whose ``@context`` (or ``@import``) names a document to fetch.

    rdflib would fetch it (from the network, or another file); kg reads nothing it was not
    given. Any string value of an ``@context`` or ``@import`` key, at any depth, counts.
    """
    import json

    try:
        with path.open("rb") as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return  # not JSON: the parser says so
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                for ref in value if key in ("@context", "@import") and isinstance(value, list) else [value]:
                    if key in ("@context", "@import") and isinstance(ref, str):
                        raise InputError(
                            str(path),
                            f"its {key} is a reference to another document ({ref!r}), which kg does not fetch: "
                            "nothing is read from the network or from other files unless asked. Put the context "
                            "itself in the file (\"@context\": {...})",
                        )
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


class _XmlEntity(Exception):
    pass


class _RootReached(Exception):
    pass


def _refuse_xml_entities(path: Path) -> None:
    """Refuse an RDF/XML file that declares entities: their expansion is unbounded ("billion laughs").

    Read with expat up to the root element (a DTD comes before it); nothing is expanded.
    """
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name, is_parameter, *rest):
        raise _XmlEntity(f"%{name}" if is_parameter else f"&{name};")

    def start(*args):
        raise _RootReached

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    try:
        with path.open("rb") as f:
            parser.ParseFile(f)
    except _XmlEntity as exc:
        raise InputError(
            str(path),
            f"its DTD declares XML entities ({exc}), which kg does not expand (a few lines of entities "
            "can expand to gigabytes); write the text of each entity where it is used",
        ) from None
    except (_RootReached, xml.parsers.expat.ExpatError, ValueError):
        return  # no entity before the root; or not XML, which the RDF/XML parser reports


def is_too_long(exc: BaseException) -> bool:
    """Whether Oxigraph failed on a term longer than its 16 MB buffer."""
    return "buffer maximal size" in str(exc)


#: What kg says of a term too long for Oxigraph.
TOO_LONG = (
    "it has an IRI or literal longer than 16 MB, more than Oxigraph (kg's store and query engine) "
    "reads in one piece; shorten it, or keep it outside the graph"
)


def _first_line(exc: Exception) -> str:
    if is_too_long(exc):
        return TOO_LONG
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
