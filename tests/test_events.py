"""The event stage: one PLOVER event per stated interaction, with parties, modality and date.

Each test writes one short sentence for one phenomenon and checks the events exactly,
as ``(type, actors, recipients, modality, trigger)`` tuples.
"""

from __future__ import annotations

import spacy

from kg.entities import DocEntities
from kg.events import extract_events, load_lexicon
from kg.model import Document, Sentence


def _events(extraction) -> list[tuple]:
    return [(e.type, e.actors, e.recipients, e.modality, e.trigger) for e in extraction.events]


# -- simple subject-verb-object, one per type ------------------------------------


def test_extract_events_met_is_consult_with_both_parties_as_actors(extract_one):
    assert _events(extract_one("France met Germany.")) == [
        ("CONSULT", ("country/FRA", "country/DEU"), (), "Asserted", "met"),
    ]


def test_extract_events_accused_of_is_accuse_with_recipient(extract_one):
    assert _events(extract_one("Kenya accused Uganda of smuggling.")) == [
        ("ACCUSE", ("country/KEN",), ("country/UGA",), "Asserted", "accused"),
    ]


def test_extract_events_imposed_sanctions_on_is_sanction(extract_one):
    assert _events(extract_one("The United States imposed sanctions on Iran.")) == [
        ("SANCTION", ("country/USA",), ("country/IRN",), "Asserted", "imposed sanctions"),
    ]


def test_extract_events_shelled_is_assault(extract_one):
    assert _events(extract_one("Russia shelled Ukraine.")) == [
        ("ASSAULT", ("country/RUS",), ("country/UKR",), "Asserted", "shelled"),
    ]


def test_extract_events_condemned_attack_is_not_an_attack_by_the_subject(extract_one):
    # Kenya condemns Uganda's attack: Kenya accuses, only Uganda can be the attacker
    events = _events(extract_one("Kenya condemned Uganda's attack on Sudan."))
    assert [e for e in events if "country/KEN" in e[1]] == [
        ("ACCUSE", ("country/KEN",), ("country/UGA",), "Asserted", "condemned"),
    ]
    assert [e[1:3] for e in events if e[0] == "ASSAULT"] in ([], [(("country/UGA",), ("country/SDN",))])


# -- argument structure --------------------------------------------------------------


def test_extract_events_passive_by_agent_is_actor(extract_one):
    assert _events(extract_one("Ukraine was attacked by Russia.")) == [
        ("ASSAULT", ("country/RUS",), ("country/UKR",), "Asserted", "attacked"),
    ]


def test_extract_events_coordinated_actors_are_one_event(extract_one):
    assert _events(extract_one("France and Germany accused Russia.")) == [
        ("ACCUSE", ("country/FRA", "country/DEU"), ("country/RUS",), "Asserted", "accused"),
    ]


def test_extract_events_coordinated_recipients_are_one_event(extract_one):
    assert _events(extract_one("France accused Russia and Belarus.")) == [
        ("ACCUSE", ("country/FRA",), ("country/RUS", "country/BLR"), "Asserted", "accused"),
    ]


def test_extract_events_light_verb_with_nominal_trigger(extract_one):
    assert _events(extract_one("Egypt held talks with Jordan.")) == [
        ("CONSULT", ("country/EGY", "country/JOR"), (), "Asserted", "held talks"),
    ]


def test_extract_events_possessive_nominal_gives_actor_and_recipient(extract_one):
    assert _events(extract_one("Russia's invasion of Ukraine continued.")) == [
        ("ASSAULT", ("country/RUS",), ("country/UKR",), "Asserted", "invasion"),
    ]


def test_extract_events_reported_speech_it_is_the_speaker(extract_one):
    # "would" in reported speech is the speaker's intention: SUPPORT becomes AGREE by the future rule
    assert _events(extract_one("Kenya said it would back Uganda.")) == [
        ("AGREE", ("country/KEN",), ("country/UGA",), "Intended", "back"),
    ]


def test_extract_events_no_actor_no_event(extract_one):
    assert _events(extract_one("Officials met in a quiet hall.")) == []


# -- modality ---------------------------------------------------------------------------


def test_extract_events_asserted_past_meeting(extract_one):
    assert [e.modality for e in extract_one("Kenya met Uganda.").events] == ["Asserted"]


def test_extract_events_will_meet_is_intended_agree(extract_one):
    assert _events(extract_one("Kenya will meet Uganda.")) == [
        ("AGREE", ("country/KEN",), ("country/UGA",), "Intended", "meet"),
    ]


def test_extract_events_could_meet_is_hypothetical(extract_one):
    assert _events(extract_one("Kenya could meet Uganda.")) == [
        ("CONSULT", ("country/KEN", "country/UGA"), (), "Hypothetical", "meet"),
    ]


def test_extract_events_if_clause_is_hypothetical(extract_one):
    assert _events(extract_one("If Kenya meets Uganda, trade will grow.")) == [
        ("CONSULT", ("country/KEN", "country/UGA"), (), "Hypothetical", "meets"),
    ]


def test_extract_events_did_not_meet_is_negated(extract_one):
    assert _events(extract_one("Kenya did not meet Uganda.")) == [
        ("CONSULT", ("country/KEN", "country/UGA"), (), "Negated", "meet"),
    ]


def test_extract_events_refused_to_meet_is_one_reject(extract_one):
    events = extract_one("Kenya refused to meet Uganda.").events
    assert [(e.type, e.actors, e.recipients, e.modality) for e in events] == [
        ("REJECT", ("country/KEN",), ("country/UGA",), "Asserted"),
    ]


def test_extract_events_did_not_meet_is_negated_consult(extract_one):
    events = extract_one("Kenya did not meet Uganda.").events
    assert [(e.type, e.actors, e.modality) for e in events] == [("CONSULT", ("country/KEN", "country/UGA"), "Negated")]


def test_extract_events_will_not_accept_is_reject(extract_one):
    events = extract_one("Syria will not accept refugees from Iraq.").events
    assert [(e.type, e.actors, e.modality) for e in events] == [("REJECT", ("country/SYR",), "Asserted")]


def test_extract_events_urged_to_withdraw_is_request_and_withdraw_not_asserted(extract_one):
    events = extract_one("France urged Russia to withdraw.").events
    request = [e for e in events if e.type == "REQUEST"]
    assert [(e.actors, e.recipients, e.modality, e.trigger) for e in request] == [
        (("country/FRA",), ("country/RUS",), "Asserted", "urged"),
    ]
    withdraw = [e for e in events if e.trigger == "withdraw"]
    assert [(e.type, e.actors) for e in withdraw] == [("RETREAT", ("country/RUS",))]
    assert withdraw[0].modality != "Asserted"


def test_extract_events_question_is_hypothetical(extract_one):
    assert [e.modality for e in extract_one("Did Kenya meet Uganda?").events] == ["Hypothetical"]


# -- dates and provenance -------------------------------------------------------------------


def test_extract_events_on_weekday_moves_back_from_document_date(extract_one):
    # 2024-11-13 is a Wednesday: "on Monday" is 2024-11-11
    events = extract_one("Kenya met Uganda on Monday.", date="2024-11-13").events
    assert [e.date for e in events] == ["2024-11-11"]


def test_extract_events_without_weekday_takes_document_date(extract_one):
    assert [e.date for e in extract_one("Kenya met Uganda.", date="2024-11-13").events] == ["2024-11-13"]


def test_extract_events_month_document_date_kept(extract_one):
    assert [e.date for e in extract_one("Kenya met Uganda on Monday.", date="2024-11").events] == ["2024-11"]


def test_extract_events_undated_document_gives_undated_event(extract_one):
    assert [e.date for e in extract_one("Kenya met Uganda on Monday.").events] == [None]


def test_extract_events_sentence_is_the_stating_sentence(extract_one):
    text = "Talks were calm. Kenya accused Uganda of smuggling."
    events = extract_one(text, doc_id="wire-9").events
    assert [e.sentence for e in events] == [Sentence("wire-9", 17, 51, "Kenya accused Uganda of smuggling.")]
    assert text[17:51] == "Kenya accused Uganda of smuggling."


def test_extract_events_future_rules_retype_intended_events():
    lex = load_lexicon()
    assert lex.future_rules["CONSULT"] == "AGREE"
    assert lex.future_rules["SUPPORT"] == "AGREE"


def test_extract_events_without_parse_gives_nothing():
    doc = spacy.blank("en")("Kenya met Uganda.")
    assert extract_events(doc, DocEntities(), Document("d", "Kenya met Uganda.")) == []
