"""Office holders by date: the converter over an invented dictionary, the table, and "the President"."""

from __future__ import annotations

import pytest

from kg.data.build_office_holders import convert, iso_date
from kg.entities import resolve_entities
from kg.keys import document_scope
from kg.offices import OfficeTable, load_offices

DICTIONARY = """\
# Presidents
ATLANTIS_  [ATL]
ANA_LOPES_  # CountryInfo.txt
+PRESIDENT_ANA_LOPES_
+MS_LOPES_
+ANA_MARIA_LOPES_
\t[PRTELI 700101-110621]
\t[PRTGOV 110621-150101]
\t[PRTELI]
JOAO_VAZ_  # CountryInfo.txt
+PRESIDENT_VAZ_
+PRIME_MINISTER_VAZ_
\t[PRTGOV 050101-110621]
RUI_COSTA_
\t[PRTGOV >120101] # Foreign Minister
PEDRO_ALVES_
\t[PRTGOV 800101-851231]
"""


def test_converter_keeps_full_names_country_and_the_offices_the_dictionary_gives(tmp_path):
    path = tmp_path / "actors.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    data = convert(path)
    assert data["until"] == "2015-01-01"
    assert data["people"] == [
        [["Ana Lopes", "Ana Maria Lopes"], "PRT", [["2011-06-21", "2015-01-01"]], "President"],
        [["Joao Vaz"], "PRT"],  # titles of two offices: which span was which is not guessed
        [["Rui Costa"], "PRT", [["2012-01-01", "2015-01-01"]], "Foreign Minister"],
    ]  # Pedro Alves left government before 1990: left out


def test_dictionary_dates_have_two_or_four_digit_years():
    assert [iso_date(d) for d in ("090120", "700101", "19200101")] == ["2009-01-20", "1970-01-01", "1920-01-01"]


@pytest.fixture
def table() -> OfficeTable:
    rows = [
        [["Ana Lopes"], "PRT", [["2011-06-21", "2015-01-01"]], "President"],
        [["Joao Lopes"], "BRA", [["2011-01-01", "2015-01-01"]], "Foreign Minister"],
        [["Rui Costa"], "PRT"],
        [["Rui Costa"], "BRA"],
    ]
    return OfficeTable.from_rows("2015-01-01", rows)


def test_table_answers_only_when_one_person_fits(table):
    assert table.holder("PRT", "President", "2012-03-01") == "Ana Lopes"
    assert table.holder("PRT", "President", "2010-03-01") is None  # before her term
    assert table.holder("PRT", "President", "2016-03-01") is None  # after the table ends
    assert table.holder("PRT", "President", "2011-06") is None  # the month the office changed hands
    assert table.person("Ana Lopes", "2012-03-01") == ("PRT", "President")
    assert table.person("Ana Lopes", "2020-03-01") == ("PRT", None)  # her country, not an office she left
    assert table.person("Rui Costa") == (None, None)  # two namesakes in two countries
    assert table.holder_named("Lopes", "President", "2012-03-01") == ("Ana Lopes", "PRT")


def _keys(nlp, text, date, doc_id="a"):
    return sorted(resolve_entities(nlp(text), doc_id=doc_id, date=date).entities)


def test_the_president_of_a_country_is_the_holder_on_the_documents_date(nlp):
    text = "The President of the United States accused Russia of meddling."
    assert _keys(nlp, text, "2012-05-03") == ["country/RUS", "country/USA", "person/barack-obama"]
    # after the table ends, the same office on the same date is one person; undated, only this document's
    assert "person/office/president-of-united-states/2024-05-03" in _keys(nlp, text, "2024-05-03")
    undated = f"person/office/president-of-united-states/{document_scope('a')}"
    assert undated in _keys(nlp, text, None)


def test_a_title_and_a_surname_resolve_to_the_one_holder_on_the_date(nlp):
    ents = resolve_entities(nlp("President Obama criticised Russia."), doc_id="a", date="2012-05-03").entities
    obama = ents["person/barack-obama"]
    assert (obama.label, obama.country, obama.role) == ("Barack Obama", "USA", "President")


def test_a_known_person_named_in_full_gets_their_country(nlp):
    ents = resolve_entities(nlp("Angela Merkel criticised Russia."), doc_id="a").entities
    assert (ents["person/angela-merkel"].country, ents["person/angela-merkel"].role) == ("DEU", None)


def test_the_table_ends_where_the_dictionary_does():
    assert load_offices().until == "2015-02-17"
