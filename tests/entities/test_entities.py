"""The entity stage: mentions resolved to one node per real-world actor."""

from __future__ import annotations

import pytest
import spacy

from kg.entities import resolve_entities
from kg.gazetteer import load_gazetteer
from kg.keys import document_scope


def _token(doc, text: str, nth: int = 0):
    """The nth token of ``doc`` whose text is ``text``."""
    return [t for t in doc if t.text == text][nth]


def _persons(ents) -> dict:
    return {k: e for k, e in ents.entities.items() if e.kind == "Person"}


def test_resolve_entities_title_honorific_and_surname_join_full_name(nlp):
    doc = nlp("Prime Minister Helena Varga met Spanish officials in Madrid. Ms Varga said the talks were "
              "useful. Varga then criticised the opposition.")
    ents = resolve_entities(doc)
    assert sorted(_persons(ents)) == ["person/helena-varga"]
    assert not [k for k in ents.entities if "varga" in k and k != "person/helena-varga"]
    varga = ents.entities["person/helena-varga"]
    assert (varga.label, varga.kind, varga.role) == ("Helena Varga", "Person", "Prime Minister")
    assert {"Ms Varga", "Varga"} <= varga.aliases
    assert ents.at(_token(doc, "Varga", 0)) == "person/helena-varga"
    assert ents.at(_token(doc, "Varga", 1)) == "person/helena-varga"
    assert ents.at(_token(doc, "Varga", 2)) == "person/helena-varga"


def test_resolve_entities_sir_first_name_joins_full_name(nlp):
    doc = nlp("Sir Alan Whitby visited Kenya. Sir Alan said the visit went well.")
    ents = resolve_entities(doc)
    assert sorted(_persons(ents)) == ["person/alan-whitby"]
    whitby = ents.entities["person/alan-whitby"]
    assert whitby.label == "Alan Whitby"
    assert whitby.aliases == frozenset({"Sir Alan", "Sir Alan Whitby"})
    assert ents.at(_token(doc, "Alan", 1)) == "person/alan-whitby"


def test_resolve_entities_country_name_and_demonym_plural_are_countries(nlp):
    doc = nlp("Britain accused the Palestinians of delaying the talks.")
    ents = resolve_entities(doc)
    names = load_gazetteer().names
    assert sorted(ents.entities) == ["country/GBR", "country/PSE"]
    gbr, pse = ents.entities["country/GBR"], ents.entities["country/PSE"]
    assert (gbr.label, gbr.kind, gbr.country) == (names["GBR"], "Country", "GBR")
    assert (pse.label, pse.kind, pse.country) == (names["PSE"], "Country", "PSE")
    assert "Britain" in gbr.aliases
    assert ents.at(_token(doc, "Palestinians")) == "country/PSE"


def test_resolve_entities_seats_of_government_stand_for_governments(nlp):
    doc = nlp("The Kremlin said Moscow would respond. Downing Street rejected the claim.")
    ents = resolve_entities(doc)
    names = load_gazetteer().names
    assert sorted(ents.entities) == ["government/GBR", "government/RUS"]
    assert ents.at(_token(doc, "Kremlin")) == "government/RUS"
    assert ents.at(_token(doc, "Moscow")) == "government/RUS"
    assert ents.at(_token(doc, "Downing")) == "government/GBR"
    rus, gbr = ents.entities["government/RUS"], ents.entities["government/GBR"]
    assert (rus.kind, rus.country, rus.label) == ("Government", "RUS", f"Government of {names['RUS']}")
    assert (gbr.kind, gbr.country, gbr.label) == ("Government", "GBR", f"Government of {names['GBR']}")


def test_resolve_entities_igo_abbreviations_resolve_with_wikidata(nlp):
    doc = nlp("The U.N. and NATO criticised the EU.")
    ents = resolve_entities(doc)
    assert {k: (e.label, e.kind, e.country, e.wikidata) for k, e in ents.entities.items()} == {
        "org/united-nations": ("United Nations", "Organization", None, "Q1065"),
        "org/nato": ("NATO", "Organization", None, "Q7184"),
        "org/european-union": ("European Union", "Organization", None, "Q458"),
    }
    assert ents.entities["org/united-nations"].aliases == frozenset({"U.N."})
    assert ents.entities["org/european-union"].aliases == frozenset({"EU"})


@pytest.mark.parametrize(
    ("noun", "key", "kind", "country"),
    [
        ("forces", "military/ISR", "Military", "ISR"),
        ("government", "government/ETH", "Government", "ETH"),
    ],
)
def test_resolve_entities_group_noun_takes_country_of_modifier(nlp, noun, key, kind, country):
    doc = nlp("Israeli forces shelled the village. The Ethiopian government arrested Kenyan protesters.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, noun)) == key
    entity = ents.entities[key]
    assert (entity.kind, entity.country) == (kind, country)


def test_resolve_entities_protesters_are_group_of_their_country(nlp):
    doc = nlp("Israeli forces shelled the village. The Ethiopian government arrested Kenyan protesters.")
    ents = resolve_entities(doc)
    key = ents.at(_token(doc, "protesters"))
    assert key is not None
    protesters = ents.entities[key]
    assert (protesters.kind, protesters.country) == ("Group", "KEN")
    assert "Kenyan protesters" in protesters.aliases


def test_resolve_entities_pronoun_subject_is_last_person_named(nlp):
    doc = nlp("President Daniel Mwangi visited Uganda. He said the visit was a success.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "He")) == "person/daniel-mwangi"
    assert ents.entities["person/daniel-mwangi"].role == "President"


def test_resolve_entities_role_noun_resolves_to_sole_holder(nlp):
    doc = nlp("Foreign Minister Daniel Mwangi visited Uganda on Tuesday. The Foreign Minister praised the "
              "Ugandan government.")
    ents = resolve_entities(doc)
    assert ents.entities["person/daniel-mwangi"].role == "Foreign Minister"
    assert ents.at(_token(doc, "Minister", 1)) == "person/daniel-mwangi"


def test_resolve_entities_role_noun_with_two_holders_stays_unresolved(nlp):
    doc = nlp("President Daniel Mwangi met President Omar Haddad in Nairobi. The President praised Kenya.")
    ents = resolve_entities(doc)
    assert sorted(_persons(ents)) == ["person/daniel-mwangi", "person/omar-haddad"]
    assert ents.at(_token(doc, "President", 2)) is None


def test_resolve_entities_mentions_are_exact_text_slices(nlp):
    text = "Prime Minister Helena Varga met Spanish officials. The Kremlin criticised NATO."
    doc = nlp(text)
    ents = resolve_entities(doc)
    assert ents.mentions
    assert [(m.text, text[m.start:m.end]) for m in ents.mentions if m.text != text[m.start:m.end]] == []
    assert {m.entity for m in ents.mentions} <= set(ents.entities)


def test_resolve_entities_empty_document_has_no_entities(nlp):
    ents = resolve_entities(nlp(""))
    assert (ents.entities, ents.mentions, ents.token_entity) == ({}, [], {})


def test_resolve_entities_blank_pipeline_finds_gazetteer_names():
    # the documented example: no parser or NER, the gazetteer still finds countries
    ents = resolve_entities(spacy.blank("en")("Talks in Kenya."))
    assert sorted(ents.entities) == ["country/KEN"]


def test_resolve_entities_middle_initial_is_the_same_person(nlp):
    ents = resolve_entities(nlp("Donald J. Trump spoke. Later Donald Trump left."))
    assert sorted(_persons(ents)) == ["person/donald-trump"]


def test_resolve_entities_hyphenated_role_noun_in_any_case(nlp):
    doc = nlp("UN Secretary-General Ana Lopes arrived. The secretary-general urged calm.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "secretary")) == "person/ana-lopes"


def test_resolve_entities_newspaper_named_after_a_capital_is_not_a_government(nlp):
    ents = resolve_entities(nlp("The Washington Post reported the talks."))
    assert "government/USA" not in ents.entities


def test_resolve_entities_named_group_with_group_noun_is_the_group(nlp):
    doc = nlp("Hamas fighters attacked the town.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "fighters")) == ents.at(_token(doc, "Hamas")) == "org/hamas"


def test_resolve_entities_title_before_a_name_is_not_a_ministry(nlp):
    doc = nlp("Kenya's Foreign Minister Daniel Mwangi arrived.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "Minister")) is None
    assert ents.entities["person/daniel-mwangi"].role == "Foreign Minister"


def test_resolve_entities_countries_carry_their_geonames_iri(nlp):
    ents = resolve_entities(nlp("France condemned the vote."))
    assert ents.entities["country/FRA"].same_as == ("https://sws.geonames.org/3017382/",)


def test_resolve_entities_international_organisations_carry_wikidata(nlp):
    ents = resolve_entities(nlp("NATO met in Brussels."))
    assert ents.entities["org/nato"].wikidata == "Q7184"


def test_resolve_entities_headline_abbreviation_of_a_role(nlp):
    doc = nlp("PM phone call with Ana Lopes\n\nPrime Minister Tomas Reyes spoke with Ms Lopes on Monday.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "PM")) == "person/tomas-reyes"


def test_resolve_entities_bracketed_acronym_is_the_same_organisation(nlp):
    doc = nlp("The Kenya National Union of Teachers (KNUT) met officials. KNUT said talks went well.")
    ents = resolve_entities(doc)
    key = "org/kenya-national-union-of-teachers"
    assert ents.at(_token(doc, "KNUT")) == key
    assert ents.at(_token(doc, "KNUT", 1)) == key
    assert "KNUT" in ents.entities[key].aliases and ents.entities[key].country == "KEN"


def test_gazetteer_provinces_name_their_country_unless_two_countries_share_the_name():
    gaz = load_gazetteer()
    assert gaz.cities["Sindh"] == "PAK"
    assert gaz.cities["Idlib"] == "SYR"
    assert "Punjab" not in gaz.cities  # India's and Pakistan's
    assert "Northern" not in gaz.cities  # a compass word, not a place


def test_resolve_entities_a_city_name_two_countries_share_goes_to_the_one_the_text_names(nlp):
    doc = nlp("Militias clashed in Tripoli as shells hit the north Lebanese port.")
    ents = resolve_entities(doc)
    assert ents.entities[ents.at(_token(doc, "Tripoli"))].country == "LBN"
    doc = nlp("Militias clashed in Tripoli on Monday.")  # no country named: the larger city's
    ents = resolve_entities(doc)
    assert ents.entities[ents.at(_token(doc, "Tripoli"))].country == "LBY"


def test_resolve_entities_a_capital_is_not_moved_to_a_small_namesake_abroad(nlp):
    doc = nlp("Canadian diplomats met in London on Monday.")
    ents = resolve_entities(doc)
    key = ents.at(_token(doc, "London"))
    assert ents.entities[key].country == "GBR"


def test_resolve_entities_a_group_named_by_a_proper_noun_is_that_group_not_the_main_country(nlp):
    doc = nlp("Zarqawi rebels attacked a convoy in Kenya. Kenyan troops later shelled rebel positions.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "rebels")) == "group/zarqawi"
    assert ents.at(_token(doc, "rebel")) == "group/zarqawi"  # the rebels named before
    assert ents.entities["group/zarqawi"].country is None


def test_resolve_entities_a_coalition_led_by_a_country_is_that_country_s(nlp):
    doc = nlp("The Kenyan-led coalition attacked rebel camps in Somalia.")
    ents = resolve_entities(doc)
    assert ents.entities[ents.at(_token(doc, "coalition"))].country == "KEN"


def test_resolve_entities_an_office_never_named_with_its_holder_is_one_person(nlp):
    doc = nlp(
        "Prime Minister's call with President Ruto\n\n"
        "The Prime Minister spoke to President William Ruto of Kenya this evening. "
        "The Prime Minister thanked the President for Kenya's leadership."
    )
    ents = resolve_entities(doc, doc_id="call")
    pm = ents.at(_token(doc, "Minister", 1))
    assert pm == f"person/office/prime-minister/{document_scope('call')}" == ents.at(_token(doc, "Minister", 2))
    assert ents.entities[pm].role == "Prime Minister"
    assert ents.at(_token(doc, "President", 2)) == "person/william-ruto"  # a named holder decides
    assert all(not k.startswith("person/prime") for k in ents.entities)  # "Prime" is no one's name


def test_resolve_entities_no_office_holder_when_a_named_person_could_hold_it(nlp):
    doc = nlp("PM call with Ana Lopes\n\nThe Prime Minister spoke to the President on Monday.")
    assert not any(k.startswith("person/office/") for k in resolve_entities(doc).entities)


def test_resolve_entities_he_is_whom_the_previous_sentence_was_about(nlp):
    doc = nlp("Prime Minister Tomas Reyes spoke to President Ana Lopes. He reiterated his support for Kenya.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "He")) == "person/tomas-reyes"


def test_resolve_entities_a_group_named_in_the_plural_is_the_same_group(nlp):
    doc = nlp("Strikes hit Houthi rebels in Yemen. The Houthis vowed to retaliate.")
    ents = resolve_entities(doc)
    assert ents.at(_token(doc, "Houthis")) == ents.at(_token(doc, "Houthi"))


def test_resolve_entities_hyphenated_names_keep_their_hyphen(nlp):
    ents = resolve_entities(nlp("Students demanded the resignation of President Roh Tae-woo."))
    assert [e.label for e in ents.entities.values() if e.kind == "Person"] == ["Roh Tae-woo"]


def test_resolve_entities_a_capital_alone_still_names_the_country_the_text_is_about(nlp):
    doc = nlp("Protesters stormed the parliament building in Colombo.")
    assert resolve_entities(doc).main_country == "LKA"


def test_resolve_entities_a_dateline_is_no_actor(extract_one):
    extraction = extract_one("BERLIN, October 30 (Wire) - Vietnam expelled two German diplomats.")
    assert [(e.type, e.actors, e.recipients) for e in extraction.events] == [
        ("SANCTION", ("country/VNM",), ("government/DEU",)),
    ]
    assert "org/berlin" not in {e.key for e in extraction.entities}


def test_resolve_entities_a_wire_dateline_does_not_name_the_actor(extract_one):
    extraction = extract_one("NAIROBI (Reuters) - Kenyan police arrested ten protesters.")
    assert [(e.type, e.actors, e.recipients) for e in extraction.events] == [
        ("COERCE", ("military/KEN",), ("group/KEN/protester",)),
    ]


def test_resolve_entities_a_regional_adjective_is_the_organisation_the_text_names(nlp):
    doc = nlp("The Arab League suspended Syria until it implements an Arab peace plan.")
    ents = resolve_entities(doc)
    arab = next(t for t in doc if t.text == "Arab" and t.i > 3)
    assert ents.at(arab) == "org/arab-league"
    assert "group/arab" not in ents.entities


def test_resolve_entities_the_north_is_the_northern_country_the_text_names(nlp):
    doc = nlp("North Korea shelled a South Korean island. The North said the South had fired first.")
    ents = resolve_entities(doc)
    north, south = (next(t for t in doc if t.text == w and t.i > 6) for w in ("North", "South"))
    assert (ents.at(north), ents.at(south)) == ("country/PRK", "country/KOR")


def test_resolve_entities_it_is_what_the_previous_sentence_was_about(nlp):
    doc = nlp("In a statement, Peru said Chile had fired first. It said it had warned Chile.")
    ents = resolve_entities(doc)
    it = next(t for t in doc if t.text == "It")
    assert ents.at(it) == "country/PER"


def test_resolve_entities_a_name_followed_by_of_a_country_is_of_that_country(nlp):
    ents = resolve_entities(nlp("King Hassan of Morocco said he would host a meeting."), doc_id="d1")
    hassan = ents.entities[f"person/{document_scope('d1')}/hassan"]
    assert (hassan.label, hassan.country) == ("Hassan", "MAR")


def test_resolve_entities_the_sides_of_a_lead_are_the_pair_named_later_anywhere(nlp):
    doc = nlp("The warring sides have agreed to a truce. The deal between Kenya and Uganda was signed in Nairobi.")
    ents = resolve_entities(doc)
    sides = next(t for t in doc if t.text == "sides")
    assert ents.token_group[sides.i] == ("country/KEN", "country/UGA")
