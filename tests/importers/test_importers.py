"""Importing other event datasets: GDELT 2.0 exports and PLOVER/POLECAT records (``kg.importers``).

The GDELT rows and PLOVER records are small files written for these tests (``tests/data/``).
"""

from __future__ import annotations

import gzip
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pycountry
import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from kg import vocab
from kg.errors import InputError
from kg.gazetteer import load_gazetteer
from kg.graph import build_graph, document_iri, entity_iri, merge_graphs
from kg.importers import (
    GDELT_COLUMNS,
    ImportReport,
    cameo_to_plover,
    import_events,
    import_gdelt,
    import_plover,
    load_cameo_table,
    read_records,
)
from kg.model import Document
from kg.pipeline import extract_document
from kg.query import run_query
from kg.validation import validate
from kg.vocab import DCTERMS, EVENT_TYPES, POL, PROV, RDF, RDFS

DATA = Path(__file__).resolve().parents[1] / "data"
GDELT = DATA / "gdelt-events.CSV"
PAGE_URL = "https://news.example.org/world/2024/11/13/kenya-uganda-talks"


def _events(g) -> set[tuple]:
    """(type, actors, recipients, date, source) of every event, keys without the polr: prefix."""
    out = set()
    for ev in g.subjects(RDF.type, POL.Event):

        def keys(p, ev=ev):
            return tuple(sorted(str(o).rsplit("/id/", 1)[1] for o in g.objects(ev, p)))

        date = g.value(ev, POL.date)
        out.add(
            (
                str(g.value(ev, POL.eventType)).rsplit("#", 1)[1],
                keys(POL.actor),
                keys(POL.recipient),
                str(date) if date is not None else None,
                str(g.value(ev, POL.source)),
            )
        )
    return out


def _event_with_sentence(g, text_start: str):
    for ev in g.subjects(RDF.type, POL.Event):
        sentence = g.value(ev, PROV.wasDerivedFrom)
        if str(g.value(sentence, POL.text)).startswith(text_start):
            return ev, sentence
    raise AssertionError(f"no event stated by {text_start!r}")


@pytest.fixture(scope="module")
def gdelt():
    return import_gdelt([GDELT])


# --------------------------------------------------------------------------- the CAMEO table


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("010", None),
        ("019", None),
        ("020", "REQUEST"),
        ("0233", "REQUEST"),
        ("030", "AGREE"),
        ("036", "AGREE"),
        ("040", "CONSULT"),
        ("042", "CONSULT"),
        ("051", "SUPPORT"),
        ("057", "SUPPORT"),
        ("061", "COOPERATE"),
        ("073", "AID"),
        ("080", "CONCEDE"),
        ("0811", "CONCEDE"),
        ("0813", "RETREAT"),
        ("083", "CONCEDE"),
        ("0841", "RETREAT"),
        ("085", "RETREAT"),
        ("0863", "RETREAT"),
        ("0871", "CONCEDE"),
        ("0874", "RETREAT"),
        ("090", "ACCUSE"),
        ("100", "REQUEST"),
        ("1041", "REQUEST"),
        ("111", "ACCUSE"),
        ("1125", "ACCUSE"),
        ("120", "REJECT"),
        ("129", "REJECT"),
        ("138", "THREATEN"),
        ("141", "PROTEST"),
        ("145", "PROTEST"),
        ("154", "MOBILIZE"),
        ("161", "SANCTION"),
        ("163", "SANCTION"),
        ("173", "COERCE"),
        ("1712", "ASSAULT"),
        ("175", "ASSAULT"),
        ("183", "ASSAULT"),
        ("190", "ASSAULT"),
        ("191", "COERCE"),
        ("192", "COERCE"),
        ("195", "ASSAULT"),
        ("202", "ASSAULT"),
        ("2042", "ASSAULT"),
    ],
)
def test_cameo_to_plover(code, expected):
    assert cameo_to_plover(code) == expected


@pytest.mark.parametrize("code", ["42", "999", "0", "", "21", "0815", "abc", "04 "])
def test_cameo_to_plover_unknown_code_raises(code):
    with pytest.raises(ValueError, match="unknown CAMEO event code"):
        cameo_to_plover(code)


def test_cameo_table_roots_map_to_plover_and_only_root_01_is_unmapped():
    table = load_cameo_table()
    assert sorted(table.roots) == [f"{n:02d}" for n in range(1, 21)]
    assert {r: info["plover"] for r, info in table.roots.items()} == {
        "01": None, "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
        "07": "AID", "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT",
        "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE",
        "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
    }  # fmt: skip
    unmapped = sorted({code[:2] for code in table.valid if table.plover_type(code) is None})
    assert unmapped == ["01"]


def test_cameo_table_is_consistent():
    table = load_cameo_table()
    assert len(table.valid) == 20 + 293  # the roots, and the codes of CAMEO 1.1b3 that GDELT uses
    for code in table.valid:
        assert code[:2] in table.roots and code.isdigit() and 2 <= len(code) <= 4, code
        assert table.plover_type(code) in (None, *EVENT_TYPES), code
    for code, entry in table.codes.items():
        assert code in table.valid, code
        assert set(entry) <= {"plover", "mode", "why"}, code
        assert ("plover" in entry) == ("why" in entry), code  # every departure from the root says why
    assert table.mode("042") == "visit" and table.mode("1411") == "demo" and table.mode("0841") == "release"
    assert table.mode("040") is None


def test_cameo_table_codes_check_against_pycountry_and_gazetteer():
    table = load_cameo_table()
    for cameo, iso in table.country_codes.items():
        assert pycountry.countries.get(alpha_3=cameo) is None, cameo  # only codes ISO does not have
        assert pycountry.countries.get(alpha_3=iso) is not None, iso
    for region in table.regions:
        assert pycountry.countries.get(alpha_3=region) is None, region
    organizations = load_gazetteer().organizations
    for code, name in table.known_groups.items():
        assert organizations[name].name == name, code
    assert {info["kind"] for info in table.actor_types.values()} == {"Government", "Military", "Group"}
    assert set(table.sector_words.values()) <= set(table.actor_types)


# --------------------------------------------------------------------------- GDELT


def test_import_gdelt_report(gdelt):
    _, report = gdelt
    assert report == ImportReport(
        source="gdelt",
        records=8,
        events=Counter({"CONSULT": 1, "ACCUSE": 1, "ASSAULT": 1, "REQUEST": 1, "PROTEST": 1, "SUPPORT": 1}),
        unmapped=Counter({"010": 1}),
        unresolved=Counter({"AFR is a CAMEO region (Africa), not a country": 1}),
    )


def test_import_gdelt_events_use_the_extractors_entity_keys(gdelt):
    g, _ = gdelt
    assert _events(g) == {
        ("CONSULT", ("government/KEN", "government/UGA"), (), "2024-11-11", "gdelt"),
        ("ACCUSE", ("country/KEN",), ("country/UGA",), "2024-11-13", "gdelt"),
        ("ASSAULT", ("military/RUS",), ("country/UKR",), "2024-11-13", "gdelt"),
        ("REQUEST", ("org/united-nations",), ("country/SDN",), "2024-11-13", "gdelt"),
        ("PROTEST", ("group/KEN/civilian",), (), "2024-11-13", "gdelt"),
        ("SUPPORT", ("government/ROU",), ("government/MDA",), "2024-11-14", "gdelt"),  # CAMEO ROM is ISO ROU
    }


def test_import_gdelt_entities_have_the_extractors_labels(gdelt):
    g, _ = gdelt
    labels = {
        "country/KEN": "Kenya",
        "government/KEN": "Government of Kenya",
        "military/RUS": "Armed forces of Russia",
        "group/KEN/civilian": "Civilian (Kenya)",
        "org/united-nations": "United Nations",
    }
    for key, label in labels.items():
        assert g.value(entity_iri(key), RDFS.label) == Literal(label), key
    assert g.value(entity_iri("government/ROU"), POL.country) == Literal("ROU")
    assert (entity_iri("org/united-nations"), vocab.OWL.sameAs, vocab.WD.Q1065) in g


def test_import_gdelt_row_document_sentence_and_provenance(gdelt):
    g, _ = gdelt
    ev, sentence = _event_with_sentence(g, "Government of Kenya consulted")
    text = "Government of Kenya consulted Government of Uganda (GDELT event 1203934011, CAMEO 043, Goldstein 2.8)."
    assert g.value(sentence, POL.text) == Literal(text)
    assert (g.value(sentence, POL.start), g.value(sentence, POL.end)) == (Literal(0), Literal(len(text)))
    doc = g.value(sentence, POL.inDocument)
    assert doc == document_iri("gdelt:1203934011")
    assert g.value(doc, DCTERMS.identifier) == Literal("gdelt:1203934011")
    assert g.value(doc, DCTERMS.source) == URIRef(PAGE_URL)
    assert g.value(doc, DCTERMS.date) == Literal("2024-11-11", datatype=vocab.XSD.date)
    assert g.value(doc, DCTERMS.title) == Literal("GDELT event 1203934011")
    assert g.value(ev, POL.trigger) == Literal("consulted")
    assert g.value(ev, POL.mode) == Literal("host")
    assert g.value(ev, POL.goldstein) == Literal(Decimal("2.8"))
    assert g.value(ev, POL.goldstein).datatype == vocab.XSD.decimal
    assert g.value(ev, POL.score) == Literal("2.5", datatype=vocab.XSD.decimal)
    assert g.value(ev, POL.modality) == POL.Asserted
    assert g.value(ev, POL.location) == entity_iri("location/nairobi")
    assert g.value(entity_iri("location/nairobi"), POL.country) == Literal("KEN")


def test_import_gdelt_truthy_edges_and_validates(gdelt):
    g, _ = gdelt
    truthy = {POL[t.truthy] for t in EVENT_TYPES.values()}
    assert {(s, p, o) for s, p, o in g if p in truthy} == {
        (entity_iri("country/KEN"), POL.accused, entity_iri("country/UGA")),
        (entity_iri("government/KEN"), POL.consulted, entity_iri("government/UGA")),
        (entity_iri("government/UGA"), POL.consulted, entity_iri("government/KEN")),
        (entity_iri("government/ROU"), POL.supported, entity_iri("government/MDA")),
        (entity_iri("military/RUS"), POL.assaulted, entity_iri("country/UKR")),
        (entity_iri("org/united-nations"), POL.requested, entity_iri("country/SDN")),
    }  # the protest has no recipient, so no edge
    report = validate(g)
    assert report.conforms, report.results


def test_import_gdelt_zipped_and_gzipped_give_the_same_graph(tmp_path, gdelt):
    archive = tmp_path / "20241113.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(GDELT, "20241113.export.CSV")
    packed = tmp_path / "events.CSV.gz"
    with gzip.open(packed, "wb") as f:
        f.write(GDELT.read_bytes())
    assert isomorphic(import_gdelt([archive])[0], gdelt[0])
    assert isomorphic(import_gdelt([packed])[0], gdelt[0])


def test_import_gdelt_twice_is_stable(gdelt):
    assert isomorphic(import_gdelt([GDELT])[0], gdelt[0])


def test_import_gdelt_bad_rows_raise_with_file_and_line():
    with pytest.raises(InputError) as info:
        import_gdelt([DATA / "gdelt-bad.CSV"])
    assert str(info.value) == (
        f"{DATA / 'gdelt-bad.CSV'}:2: expected 61 tab-separated columns (GDELT 2.0 event export), found 58; "
        "this looks like a GDELT 1.0 file, which kg does not read"
    )


def test_import_gdelt_skip_bad_carries_on_and_lists_every_bad_row():
    path = DATA / "gdelt-bad.CSV"
    seen: list[InputError] = []
    g, report = import_gdelt([path], skip_bad=True, on_error=seen.append)
    assert [str(e) for e in report.bad] == [
        f"{path}:2: expected 61 tab-separated columns (GDELT 2.0 event export), found 58; "
        "this looks like a GDELT 1.0 file, which kg does not read",
        f"{path}:3: unknown CAMEO event code '999' (EventCode, column 27)",
        f"{path}:4: SQLDATE (column 2) must be a date written YYYYMMDD, not '20241345'",
    ]
    assert seen == report.bad
    assert report.events == Counter({"CONSULT": 1, "ASSAULT": 1})
    assert validate(g).conforms


def _row(**values) -> str:
    fields = dict.fromkeys(GDELT_COLUMNS, "")
    fields.update(
        GLOBALEVENTID="42", SQLDATE="20241113", EventCode="163", GoldsteinScale="-8.0",
        Actor1Code="USAGOV", Actor1CountryCode="USA", Actor1Type1Code="GOV",
        Actor2Code="IRN", Actor2CountryCode="IRN", SOURCEURL="https://wire.example.org/sanctions",
    )  # fmt: skip
    fields.update(values)
    return "\t".join(fields[c] for c in GDELT_COLUMNS)


def _gdelt_file(tmp_path, *rows: str, name="events.CSV") -> Path:
    path = tmp_path / name
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"EventCode": "42"}, "unknown CAMEO event code '42' (EventCode, column 27) (leading zero lost? '042' is one)"),
        ({"EventCode": ""}, "unknown CAMEO event code '' (EventCode, column 27)"),
        ({"GLOBALEVENTID": "x1"}, "GLOBALEVENTID (column 1) must be a number, not 'x1'"),
        ({"SQLDATE": "2024-11-13"}, "SQLDATE (column 2) must be a date written YYYYMMDD, not '2024-11-13'"),
        ({"GoldsteinScale": "high"}, "GoldsteinScale (column 31) must be a number from -10 to 10, not 'high'"),
        ({"GoldsteinScale": "12"}, "GoldsteinScale (column 31) must be a number from -10 to 10, not '12'"),
        ({"DATEADDED": "yesterday"}, "DATEADDED (column 60) must be a date written YYYYMMDD, not 'yesterday'"),
    ],
)
def test_import_gdelt_bad_field_names_the_column(tmp_path, values, problem):
    path = _gdelt_file(tmp_path, _row(), _row(**values))
    with pytest.raises(InputError) as info:
        import_gdelt([path])
    assert str(info.value) == f"{path}:2: {problem}"


def test_import_gdelt_comma_separated_row_gets_a_hint(tmp_path):
    path = _gdelt_file(tmp_path, _row().replace("\t", ","))
    with pytest.raises(InputError) as info:
        import_gdelt([path])
    assert str(info.value) == (
        f"{path}:1: expected 61 tab-separated columns (GDELT 2.0 event export), found 1; "
        "GDELT exports are tab-separated, not comma-separated"
    )


def test_import_gdelt_non_utf8_row(tmp_path):
    path = tmp_path / "events.CSV"
    path.write_bytes(_row().encode() + b"\n" + _row(Actor1Name="S\xe3O PAULO").encode("latin-1") + b"\n")
    with pytest.raises(InputError) as info:
        import_gdelt([path])
    assert str(info.value) == f"{path}:2: not UTF-8 text (byte 24 of the line)"


def test_import_gdelt_header_line_and_blank_lines_are_skipped(tmp_path):
    path = _gdelt_file(tmp_path, "\t".join(GDELT_COLUMNS), "", _row())
    g, report = import_gdelt([path])
    assert report.records == 1
    assert _events(g) == {("SANCTION", ("government/USA",), ("country/IRN",), "2024-11-13", "gdelt")}


def test_import_gdelt_empty_and_missing_files(tmp_path):
    empty = _gdelt_file(tmp_path)
    with pytest.raises(InputError) as info:
        import_gdelt([empty])
    assert str(info.value) == f"{empty}: empty file (no GDELT rows)"
    missing = tmp_path / "missing.CSV"
    with pytest.raises(InputError) as info:
        import_gdelt([GDELT, missing])  # checked before anything is read
    assert str(info.value) == f"{missing}: no such file"


def test_import_gdelt_not_a_zip(tmp_path):
    path = tmp_path / "events.zip"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match=r"events\.zip: not a zip archive"):
        import_gdelt([path])


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"Actor1Code": "", "Actor1CountryCode": "", "Actor1Type1Code": ""}, "actor has no code (Actor1Code is empty)"),
        ({"Actor1Code": "CVL", "Actor1CountryCode": "", "Actor1Type1Code": "CVL"}, "actor has no country code"),
        ({"Actor2Code": "XYZ", "Actor2CountryCode": "XYZ"}, "country code 'XYZ' is unknown"),
        ({"Actor2Code": "EUR", "Actor2CountryCode": "EUR"}, "EUR is a CAMEO region (Europe), not a country"),
        (
            {"Actor1Code": "IGOZZZ", "Actor1CountryCode": "", "Actor1KnownGroupCode": "ZZZ", "Actor1Name": "ZED"},
            "known-group code 'ZZZ' is not in kg's table",
        ),
    ],
)
def test_import_gdelt_unresolved_actor_is_reported_not_guessed(tmp_path, values, reason):
    g, report = import_gdelt([_gdelt_file(tmp_path, _row(**values))])
    assert report.records == 1
    assert report.unresolved == Counter({reason: 1})
    assert not report.events
    assert len(g) == 0


def test_import_gdelt_unknown_actor_type_reads_the_country_and_is_reported(tmp_path):
    g, report = import_gdelt([_gdelt_file(tmp_path, _row(Actor1Code="USAXXX", Actor1Type1Code="XXX"))])
    assert report.unknown_types == Counter({"XXX": 1})
    assert _events(g) == {("SANCTION", ("country/USA",), ("country/IRN",), "2024-11-13", "gdelt")}


def test_import_gdelt_organisation_by_name_without_known_group(tmp_path):
    row = _row(Actor1Code="IGO", Actor1CountryCode="", Actor1Type1Code="IGO", Actor1Name="EUROPEAN UNION")
    g, _ = import_gdelt([_gdelt_file(tmp_path, row)])
    assert _events(g) == {("SANCTION", ("org/european-union",), ("country/IRN",), "2024-11-13", "gdelt")}


def test_read_records_unknown_source_raises():
    with pytest.raises(ValueError, match=r"^unknown event dataset 'acled'; kg imports gdelt, plover$"):
        read_records("acled", [GDELT])


# --------------------------------------------------------------------------- PLOVER


def test_import_plover_records(tmp_path):
    g, report = import_plover([DATA / "plover-records.jsonl"])
    assert report.records == 5
    assert report.events == Counter({"CONSULT": 1, "ACCUSE": 1, "PROTEST": 1, "REQUEST": 1})
    assert report.unresolved == Counter({"country code 'JAP' is unknown": 1})
    assert _events(g) == {
        ("CONSULT", ("government/KEN", "government/UGA"), (), "2024-11-11", "plover"),
        ("ACCUSE", ("country/KEN",), ("country/UGA",), "2024-11-13", "plover"),  # DISAPPROVE: the old name
        ("PROTEST", ("group/KEN/civilian",), (), "2024-11-13", "plover"),
        ("REQUEST", ("org/united-nations",), ("country/SDN",), "2024-11-13", "plover"),
    }
    assert validate(g).conforms


def test_import_plover_record_text_mode_context_and_url():
    g, _ = import_plover([DATA / "plover-records.jsonl"])
    ev, sentence = _event_with_sentence(g, "Kenyan officials met")
    assert g.value(ev, POL.mode) == Literal("visit")
    assert g.value(ev, POL.trigger) == Literal("met")
    assert g.value(ev, POL.goldstein) is None
    doc = g.value(sentence, POL.inDocument)
    assert doc == document_iri("plover:KG-PLV-0001")
    assert set(g.objects(doc, DCTERMS.subject)) == {Literal("diplomatic"), Literal("border")}
    assert g.value(doc, DCTERMS.source) == URIRef(PAGE_URL)
    assert g.value(doc, DCTERMS.date) == Literal("2024-11-11", datatype=vocab.XSD.date)


def test_import_plover_polecat_style_json_array():
    g, report = import_plover([DATA / "plover-polecat.json"])
    assert report.records == 2
    assert _events(g) == {
        ("ASSAULT", ("military/RUS",), ("government/UKR",), "2024-11-13", "plover"),
        ("SANCTION", ("country/USA",), ("country/IRN",), "2024-11-13", "plover"),
    }
    ev, _ = _event_with_sentence(g, "Russian forces struck Kyiv")
    assert g.value(ev, POL.mode) == Literal("aerial")


def test_import_plover_bad_records_name_file_and_line():
    path = DATA / "plover-bad.jsonl"
    with pytest.raises(InputError) as info:
        import_plover([path])
    expected = ", ".join(EVENT_TYPES)
    assert str(info.value) == f"{path}:1: unknown PLOVER event type 'HUG' (expected one of {expected})"
    g, report = import_plover([path], skip_bad=True)
    assert [str(e) for e in report.bad] == [
        f"{path}:1: unknown PLOVER event type 'HUG' (expected one of {expected})",
        f"{path}:2: malformed JSON (Expecting ',' delimiter at column 84)",
        f"{path}:3: missing the event type ('event': one of the 16 PLOVER types)",
    ]
    assert _events(g) == {("ACCUSE", ("country/KEN",), ("country/UGA",), "2024-11-13", "plover")}


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ('["not", "an", "object"]', "expected a JSON object, not list"),
        ('{"event": "ACCUSE", "date": "2024-13-01", "source": [{"code": "KEN"}]}',
         "invalid date '2024-13-01': month must be 01 to 12 (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
        ('{"event": "ACCUSE", "modality": "maybe", "source": [{"code": "KEN"}]}',
         "unknown modality 'maybe' (expected asserted, intended, hypothetical or negated)"),
        ('{"event": "ACCUSE", "source": [42]}', "'source' must list objects or names, not int"),
        ('{"event": "ACCUSE", "text": 7, "source": [{"code": "KEN"}]}', "'text' must be a string, not int"),
    ],
)  # fmt: skip
def test_import_plover_bad_record(tmp_path, record, problem):
    path = tmp_path / "r.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_plover([path])
    assert str(info.value) == f"{path}:1: {problem}"


def test_import_plover_json_errors_name_the_record(tmp_path):
    path = tmp_path / "records.json"
    path.write_text('[{"event": "CONSULT", "source": [{"code": "KEN"}]}, {"event": "WAVE"}]', encoding="utf-8")
    g, report = import_plover([path], skip_bad=True)
    assert [str(e) for e in report.bad] == [
        f"{path}: record 2: unknown PLOVER event type 'WAVE' (expected one of {', '.join(EVENT_TYPES)})"
    ]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"event": "CONSULT",\n  "source": }]', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_plover([broken])
    assert str(info.value) == f"{broken}:2: malformed JSON (Expecting value at column 13)"


def test_import_plover_without_text_generates_a_sentence_and_takes_integer_ids(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"id": 7, "event": "threaten", "modality": "intended", "source": ["France"],'
        ' "target": [{"name": "Mali", "country": "MLI", "sector": "MIL"}]}\n',
        encoding="utf-8",
    )
    g, _ = import_plover([path])
    ev, sentence = _event_with_sentence(g, "France")
    assert g.value(sentence, POL.text) == Literal("France: THREATEN Armed forces of Mali (PLOVER record 7).")
    assert g.value(sentence, POL.inDocument) == document_iri("plover:7")
    assert g.value(ev, POL.modality) == POL.Intended
    assert g.value(ev, POL.date) is None
    assert (entity_iri("country/FRA"), POL.threatened, entity_iri("military/MLI")) in g


def test_import_plover_empty_file(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_plover([path])
    assert str(info.value) == f"{path}: empty file (no records)"


# --------------------------------------------------------------------------- next to extracted articles


ARTICLE = "The United States imposed sanctions on Iran. Russian forces shelled Ukraine."


@pytest.fixture(scope="module")
def side_by_side(nlp, tmp_path_factory):
    """A graph from one article (extractor) and a GDELT file with the same two events, merged."""
    article = Document("wire-1", ARTICLE, date="2024-11-13", url="https://wire.example.org/sanctions")
    articles = build_graph([extract_document(article, nlp(ARTICLE))])
    rows = [
        _row(Actor1Code="USA", Actor1Type1Code=""),
        _row(GLOBALEVENTID="43", EventCode="190", GoldsteinScale="-10.0", Actor1Code="RUSMIL",
             Actor1CountryCode="RUS", Actor1Type1Code="MIL", Actor2Code="UKR", Actor2CountryCode="UKR"),
    ]  # fmt: skip
    path = _gdelt_file(tmp_path_factory.mktemp("gdelt"), *rows)
    gdelt_graph, _ = import_gdelt([path])
    return articles, gdelt_graph, merge_graphs([articles, gdelt_graph])


def test_gdelt_and_article_actors_are_one_node(side_by_side):
    articles, _, merged = side_by_side
    usa = entity_iri("country/USA")
    assert (usa, RDF.type, POL.Country) in articles  # "The United States" in the article
    sources = {merged.value(ev, POL.source) for ev in merged.objects(usa, POL.participatedIn)}
    assert sources == {None, Literal("gdelt")}
    assert len(list(merged.objects(usa, RDFS.label))) == 1
    assert validate(merged).conforms


def test_gdelt_and_article_events_stay_apart(side_by_side):
    articles, gdelt_graph, merged = side_by_side
    n_events = len(set(merged.subjects(RDF.type, POL.Event)))
    assert n_events == len(set(articles.subjects(RDF.type, POL.Event))) + 2


SIDE_BY_SIDE = """
SELECT ?actor ?type ?recipient
       (SUM(IF(?source = "articles", 1, 0)) AS ?fromArticles)
       (SUM(IF(?source = "gdelt", 1, 0)) AS ?fromGdelt)
WHERE {
  ?event a pol:Event ; pol:eventType ?t ; pol:actor ?a ; pol:recipient ?r .
  OPTIONAL { ?event pol:source ?s }
  BIND(COALESCE(?s, "articles") AS ?source)
  ?a rdfs:label ?actor . ?r rdfs:label ?recipient .
  BIND(STRAFTER(STR(?t), "#") AS ?type)
}
GROUP BY ?actor ?type ?recipient
ORDER BY ?actor ?type ?recipient
"""


def test_side_by_side_query_compares_coders(side_by_side):
    _, _, merged = side_by_side
    rows = run_query(merged, SIDE_BY_SIDE).rows
    assert rows == [
        ("Armed forces of Russia", "ASSAULT", "Ukraine", "1", "1"),
        ("United States", "SANCTION", "Iran", "1", "1"),
    ]


def test_import_into_an_existing_graph_equals_merging(side_by_side, tmp_path):
    articles, _, merged = side_by_side
    rows = [
        _row(Actor1Code="USA", Actor1Type1Code=""),
        _row(GLOBALEVENTID="43", EventCode="190", GoldsteinScale="-10.0", Actor1Code="RUSMIL",
             Actor1CountryCode="RUS", Actor1Type1Code="MIL", Actor2Code="UKR", Actor2CountryCode="UKR"),
    ]  # fmt: skip
    into = merge_graphs([articles])
    g, _ = import_events("gdelt", [_gdelt_file(tmp_path, *rows)], graph=into)
    assert g is into
    assert isomorphic(g, merged)


def test_import_plover_next_to_the_same_text_extracted(nlp, tmp_path):
    """A PLOVER record and the extractor on its own text: two coders, one entity node each."""
    src = DATA / "plover-records.jsonl"
    line = src.read_text(encoding="utf-8").splitlines()[1]  # KG-PLV-0002, Kenya accused Uganda
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    plover_graph, _ = import_plover([path])
    text = "Kenya accused Uganda of smuggling weapons across the frontier."
    extracted = build_graph([extract_document(Document("KG-PLV-0002", text, date="2024-11-13"), nlp(text))])
    merged = merge_graphs([extracted, plover_graph])
    accusations = [ev for ev in merged.subjects(POL.eventType, POL.ACCUSE)]
    assert sorted(str(merged.value(ev, POL.source)) for ev in accusations) == ["None", "plover"]
    assert {merged.value(ev, POL.actor) for ev in accusations} == {entity_iri("country/KEN")}
    assert validate(merged).conforms
