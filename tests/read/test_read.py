"""Tests of the reading stage, ``kg.read``."""

from __future__ import annotations

import doctest
import io
import json
import logging
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import read as read_module
from kg.errors import InputError
from kg.model import Document
from kg.read import parse_date, read_documents, read_texts

PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_all(*paths, **kwargs) -> list[Document]:
    return list(read_documents(list(paths), **kwargs))


def read_one(path, **kwargs) -> Document:
    docs = read_all(path, **kwargs)
    assert len(docs) == 1
    return docs[0]


def jsonl(*records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-05", "2024-11-05"),
        ("2024-11", "2024-11"),
        ("2024", "2024"),
        ("  2024-02-29 ", "2024-02-29"),
        ("2024-11-11T09:30:00Z", "2024-11-11"),
        ("2024-11-11T09:30", "2024-11-11"),
        ("2024-11-11 09:30:15.250+01:00", "2024-11-11"),
        ("2024-11-11T23:59:59-0500", "2024-11-11"),
    ],
)
def test_parse_date_valid_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_empty_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-02-30", "day is out of range for month"),
        ("2023-02-29", "day is out of range for month"),
        ("2024-13", "month must be 01 to 12"),
        ("2024-00-10", "month must be 01 to 12"),
        ("0000", "year must be 0001 or later"),
        ("2024-11-11T25:00:00Z", "time of day is out of range"),
        ("2024-11-11T10:00+25:00", "time zone offset is out of range"),
        ("5 November 2024", "not a date"),
        ("2024/11/05", "not a date"),
        ("24-11-05", "not a date"),
        ("2024-1-5", "not a date"),
        ("٢٠٢٤", "not a date"),
        ("yesterday", "not a date"),
    ],
)
def test_parse_date_invalid_raises_value_error(value, reason):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    assert str(info.value) == f"invalid date {value!r}: {reason} (expected YYYY-MM-DD, YYYY-MM or YYYY)"


def test_parse_date_non_string_raises_type_error():
    with pytest.raises(TypeError):
        parse_date(2024)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- .txt files


def test_read_documents_txt_colon_header(tmp_path):
    path = write(tmp_path / "budget.txt", "date: 2025-03-03\nThe finance minister unveiled the budget.\n")
    doc = read_one(path)
    assert doc == Document(
        id="budget",
        text="The finance minister unveiled the budget.\n",
        date="2025-03-03",
        title=None,
        url=None,
        origin=str(path),
    )


@pytest.mark.parametrize(
    ("header", "date", "title"),
    [
        ("Date: 2025-03", "2025-03", None),
        ("DATE: 2025", "2025", None),
        ("date:2025-03-03", "2025-03-03", None),
        ("date 2024-11 Ceasefire talks in Doha", "2024-11", "Ceasefire talks in Doha"),
        ("  Date 2024-11-05   Election night  ", "2024-11-05", "Election night"),
        ("date\t2024-11-05\tVote count", "2024-11-05", "Vote count"),
        ("date 2024-11-05", "2024-11-05", None),
        ("Date: 2024-11-05 Polls close", "2024-11-05", "Polls close"),
        ("date: 2024-11-11T09:30:00Z", "2024-11-11", None),
    ],
)
def test_read_documents_txt_header_forms(tmp_path, header, date, title):
    path = write(tmp_path / "story.txt", f"{header}\nTurnout rose in the capital.")
    doc = read_one(path)
    assert (doc.date, doc.title, doc.text) == (date, title, "Turnout rose in the capital.")


def test_read_documents_txt_header_strips_following_blank_lines_only(tmp_path):
    body = "    Indented lead paragraph.\n\n  Second paragraph.  \n\n"
    path = write(tmp_path / "story.txt", "date: 2024-06\n\n  \n\t\n" + body)
    assert read_one(path).text == body


def test_read_documents_txt_without_header_keeps_text_exactly(tmp_path):
    text = "\n  Protesters gathered in Tbilisi.\n\n\tPolice watched.  \n\n"
    path = write(tmp_path / "protest.txt", text)
    doc = read_one(path)
    assert (doc.id, doc.text, doc.date, doc.title) == ("protest", text, None, None)


def test_read_documents_txt_default_date_applies_without_header(tmp_path):
    path = write(tmp_path / "visit.txt", "The envoy arrived in Seoul.")
    assert read_one(path, default_date="2024-05").date == "2024-05"


def test_read_documents_txt_header_date_overrides_default_date(tmp_path):
    path = write(tmp_path / "visit.txt", "date: 2023-01-09\nThe envoy arrived in Seoul.")
    assert read_one(path, default_date="2024-05").date == "2023-01-09"


def test_read_documents_txt_default_date_is_normalised(tmp_path):
    path = write(tmp_path / "visit.txt", "The envoy arrived in Seoul.")
    assert read_one(path, default_date="2024-05-06T08:00:00Z").date == "2024-05-06"


@pytest.mark.parametrize(
    "first_line",
    [
        "Date palms grow in Iraq.",
        "Dated 2024-11-05, the letter was signed in Cairo.",
        "date 2024 was a hard year for Kyiv.",
        "Date: 2024-11-05, Paris",
        "Date: tomorrow the talks resume.",
        "The date 2024-11-05 was chosen for the vote.",
        "date 2024-11-050 Votes",
        "date: 2024 Budget",
        "date: ٢٠٢٤-١١",
    ],
)
def test_read_documents_txt_header_like_first_line_is_text(tmp_path, first_line):
    text = f"{first_line}\nOfficials declined to comment."
    path = write(tmp_path / "note.txt", text)
    doc = read_one(path)
    assert (doc.text, doc.date, doc.title) == (text, None, None)


def test_read_documents_txt_invalid_header_date_raises(tmp_path):
    path = write(tmp_path / "bad.txt", "date: 2024-02-30\nThe parliament met.")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == (
        f"{path}: header line 1: invalid date '2024-02-30': day is out of range for month "
        "(expected YYYY-MM-DD, YYYY-MM or YYYY)"
    )


def test_read_documents_txt_crlf_and_cr_normalised(tmp_path):
    path = write(tmp_path / "wire.txt", "date: 2024-01-02\r\n\r\nTroops withdrew.\r\nTalks\rcontinue.\r\n")
    doc = read_one(path)
    assert (doc.date, doc.text) == ("2024-01-02", "Troops withdrew.\nTalks\ncontinue.\n")


def test_read_documents_txt_bom_stripped(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfdate: 2024-07\nThe senate voted.")
    doc = read_one(path)
    assert (doc.date, doc.text) == ("2024-07", "The senate voted.")


def test_read_documents_txt_uppercase_suffix(tmp_path):
    path = write(tmp_path / "LOUD.TXT", "The cabinet resigned.")
    assert read_one(path).id == "LOUD"


def test_read_documents_accepts_single_path(tmp_path):
    path = write(tmp_path / "one.txt", "The cabinet resigned.")
    assert [d.id for d in read_documents(path)] == ["one"]


# --------------------------------------------------------------------------- .jsonl files


def test_read_documents_jsonl_all_fields_and_extra_fields(tmp_path):
    record = {
        "id": "reuters-1",
        "text": "Chile and Peru signed a trade deal.",
        "date": "2024-11-11T09:30:00Z",
        "title": " Trade deal ",
        "url": "https://example.org/deal",
        "source": "wire",
        "tags": ["trade", {"nested": True}],
    }
    path = write(tmp_path / "articles.jsonl", jsonl(record))
    assert read_one(path) == Document(
        id="reuters-1",
        text="Chile and Peru signed a trade deal.",
        date="2024-11-11",
        title="Trade deal",
        url="https://example.org/deal",
        origin=f"{path}:1",
    )


def test_read_documents_jsonl_blank_lines_skipped_and_lines_counted(tmp_path):
    content = "\n" + json.dumps({"id": "a", "text": "Oil prices rose."}) + "\n  \n\t\n"
    content += json.dumps({"id": "b", "text": "Markets fell."}) + "\n\n"
    path = write(tmp_path / "feed.jsonl", content)
    docs = read_all(path)
    assert [(d.id, d.origin) for d in docs] == [("a", f"{path}:2"), ("b", f"{path}:5")]


def test_read_documents_jsonl_missing_id_uses_stem_and_line(tmp_path):
    path = write(tmp_path / "feed.jsonl", "\n" + jsonl({"text": "The mayor resigned."}))
    assert read_one(path).id == "feed:2"


def test_read_documents_jsonl_integer_id_and_null_fields(tmp_path):
    record = {"id": 42, "text": "A strike closed the port.", "date": None, "title": None, "url": ""}
    path = write(tmp_path / "feed.jsonl", jsonl(record))
    doc = read_one(path, default_date="2024")
    assert (doc.id, doc.date, doc.title, doc.url) == ("42", "2024", None, None)


def test_read_documents_jsonl_default_date_only_when_absent(tmp_path):
    path = write(
        tmp_path / "feed.jsonl",
        jsonl({"id": "a", "text": "Talks began."}, {"id": "b", "text": "Talks ended.", "date": "2023-03"}),
    )
    assert [d.date for d in read_all(path, default_date="2024-01-01")] == ["2024-01-01", "2023-03"]


def test_read_documents_jsonl_crlf_lines_and_text_normalised(tmp_path):
    line = json.dumps({"id": "a", "text": "First line.\r\nSecond\rThird"})
    path = write(tmp_path / "feed.jsonl", line + "\r\n\r\n")
    assert read_one(path).text == "First line.\nSecond\nThird"


def test_read_documents_jsonl_bom_stripped(tmp_path):
    path = write(tmp_path / "feed.jsonl", b"\xef\xbb\xbf" + jsonl({"id": "a", "text": "Hello."}).encode())
    assert read_one(path).id == "a"


def test_read_documents_jsonl_unicode_kept(tmp_path):
    text = "Zelensky met Erdoğan in İstanbul \u2028 — “talks” continue."
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "u", "text": text}, ensure_ascii=False) + "\n")
    assert read_one(path).text == text


# --------------------------------------------------------------------------- directories and stdin


def test_read_documents_directory_recursive_sorted_and_skips_other_files(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    write(corpus / "b.txt", "The army moved north.")
    write(corpus / "a.jsonl", jsonl({"id": "a1", "text": "Rebels seized a town."}, {"text": "Aid arrived."}))
    write(corpus / "sub" / "c.txt", "The king abdicated.")
    write(corpus / "sub" / "deeper" / "d.txt", "The navy sailed.")
    write(corpus / "Upper.TXT", "Capitals sort first.")
    write(corpus / "notes.md", "not a document")
    write(corpus / "data.json", "{}")
    write(corpus / "sub" / ".hidden.txt", "hidden")
    write(corpus / ".git" / "x.txt", "hidden dir")
    (corpus / "empty").mkdir()
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        docs = read_all(corpus)
    assert [d.id for d in docs] == ["Upper", "a1", "a:2", "b", "c", "d"]
    assert docs[-1].origin == str(corpus / "sub" / "deeper" / "d.txt")
    assert not caplog.records


def test_read_documents_directory_empty_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        assert read_all(tmp_path) == []
    assert "no .txt or .jsonl files" in caplog.text


def test_read_documents_mixed_inputs_keep_order(tmp_path):
    first = write(tmp_path / "z.txt", "Zambia held elections.")
    second = write(tmp_path / "a.jsonl", jsonl({"id": "j", "text": "Japan raised rates."}))
    stdin = io.StringIO(jsonl({"id": "s", "text": "Sudan talks stalled."}))
    assert [d.id for d in read_all(first, "-", second, stdin=stdin)] == ["z", "s", "j"]


def test_read_documents_stdin_dash(tmp_path):
    stdin = io.StringIO(
        "\ufeff" + jsonl({"id": "s1", "text": "A vote was held."}) + "\n" + jsonl({"text": "x"})
    )
    docs = read_all("-", stdin=stdin, default_date="2024")
    assert [(d.id, d.origin, d.date) for d in docs] == [
        ("s1", "<stdin>:1", "2024"),
        ("stdin:3", "<stdin>:3", "2024"),
    ]


def test_read_documents_stdin_defaults_to_sys_stdin_bytes(monkeypatch):
    data = jsonl({"id": "s1", "text": "Café owners protested in Lyon."}).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="latin-1"))
    assert read_one("-").text == "Café owners protested in Lyon."


def test_read_documents_stdin_not_utf8_names_line_and_byte(monkeypatch):
    good = jsonl({"id": "s1", "text": "ok"}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(good + b'{"text": "\xff"}\n')))
    with pytest.raises(InputError) as info:
        read_all("-")
    assert str(info.value) == f"<stdin>:2: not UTF-8 text (byte {len(good) + 11})"


def test_read_documents_stdin_empty_raises():
    with pytest.raises(InputError, match=r"^<stdin>: empty document"):
        read_all("-", stdin=io.StringIO("\n \n"))


# --------------------------------------------------------------------------- bad input


def test_read_documents_missing_path_raises_at_once_even_with_skip_bad(tmp_path):
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(InputError) as info:
        read_documents([missing], skip_bad=True, on_error=lambda e: None)
    assert str(info.value) == f"{missing}: no such file or directory"


def test_read_documents_missing_path_checked_before_reading(tmp_path):
    good = write(tmp_path / "good.txt", "The summit opened.")
    with pytest.raises(InputError, match="no such file"):
        read_documents([good, tmp_path / "missing"])


@pytest.mark.parametrize("name", ["report.csv", "report.json", "README"])
def test_read_documents_unsupported_file_type_raises(tmp_path, name):
    path = write(tmp_path / name, "The summit opened.")
    with pytest.raises(InputError) as info:
        read_documents([path], skip_bad=True)
    expected = "unsupported file type, expected .txt, .jsonl, .html, .htm, .xml, .rss, .atom, .pdf or .docx"
    if name == "report.csv":
        expected += " (a graph, table or query file (kg query, kg load and kg merge read graphs), not an article)"
    assert str(info.value) == f"{path}: {expected}"


def test_read_documents_invalid_default_date_raises(tmp_path):
    path = write(tmp_path / "a.txt", "The summit opened.")
    with pytest.raises(InputError, match=r"^default date: invalid date '2024-13': month must be 01 to 12"):
        read_documents([path], default_date="2024-13")


@pytest.mark.parametrize("content", ["", "   \n\t\n", "date: 2024-03-03\n\n  \n", "\ufeff"])
def test_read_documents_txt_empty_document_raises(tmp_path, content):
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: empty document"


@pytest.mark.parametrize(
    ("content", "byte"),
    [
        (b"Leaders met\xff in Rome.", 12),
        (b"\x89PNG\r\n\x1a\n", 1),
        (b"\xef\xbb\xbfLeaders met \xc3(", 16),
        (b"Truncated \xe2\x82", 11),
    ],
)
def test_read_documents_txt_not_utf8_raises_with_byte(tmp_path, content, byte):
    path = write(tmp_path / "blob.txt", content)
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: not UTF-8 text (byte {byte})"


def test_read_documents_txt_with_nul_is_called_binary_not_non_utf8(tmp_path):
    path = write(tmp_path / "nul.txt", b"Leaders\x00 met.")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: a NUL character (byte 8): a binary file, not text"


def test_read_documents_jsonl_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": str(n), "text": "Calm returned."}) for n in range(1, 7)]
    write(path, "\n".join(lines) + '\n{"id": "7" "text": "x"}\n')
    docs = read_documents([path])
    assert len([next(docs) for _ in range(6)]) == 6
    with pytest.raises(InputError) as info:
        next(docs)
    assert str(info.value) == f"{path}:7: malformed JSON (Expecting ',' delimiter at column 12)"
    assert info.value.where == f"{path}:7"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[1, 2]", "expected a JSON object, got an array"),
        ('"just a string"', "expected a JSON object, got a string"),
        ("3.5", "expected a JSON object, got a number"),
        ("null", "expected a JSON object, got null"),
        ("true", "expected a JSON object, got a boolean"),
        ('{"id": "a"}', "missing 'text' field"),
        ('{"id": "a", "text": 5}', "missing 'text' field (found a number, not a string)"),
        ('{"id": "a", "text": null}', "missing 'text' field (found null, not a string)"),
        ('{"id": "a", "text": "  \\n "}', "empty document"),
        (
            '{"id": "a", "text": "ok", "date": "2024-02-30"}',
            "invalid date '2024-02-30': day is out of range for month (expected YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (
            '{"id": "a", "text": "ok", "date": 2024}',
            "'date' must be a string like \"2024-11-05\", not a number",
        ),
        ('{"id": ["a"], "text": "ok"}', "'id' must be a string, not an array"),
        ('{"id": true, "text": "ok"}', "'id' must be a string, not a boolean"),
        ('{"id": " ", "text": "ok"}', "'id' is empty"),
        ('{"id": "a", "text": "ok", "title": 3}', "'title' must be a string, not a number"),
        ('{"id": "a", "text": "ok", "url": {}}', "'url' must be a string, not an object"),
        ('{"id": "a", "text": "bad \\ud800 half"}', "'text' contains an unpaired surrogate at character 5"),
        ("{'id': 'a'}", "malformed JSON (Expecting property name enclosed in double quotes at column 2)"),
        ('{"id": "a", "text": "ok"} trailing', "malformed JSON (Extra data at column 27)"),
        ("[" * 100_000, "malformed JSON (nested too deeply)"),
    ],
)
def test_read_documents_jsonl_bad_line_raises(tmp_path, line, problem):
    path = write(tmp_path / "articles.jsonl", jsonl({"id": "ok", "text": "Fine."}) + line + "\n")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}:2: {problem}"


def test_read_documents_jsonl_not_utf8_names_line_and_file_byte(tmp_path):
    first = jsonl({"id": "a", "text": "Fine."}).encode()
    path = write(tmp_path / "articles.jsonl", first + b'{"id": "b", "text": "caf\xe9"}\n')
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}:2: not UTF-8 text (byte {len(first) + 25})"


def test_read_documents_jsonl_nul_byte_is_binary(tmp_path):
    path = write(tmp_path / "articles.jsonl", b'{"id": "a", "text": "x"}\x00\n')
    with pytest.raises(InputError, match=re.escape(f"{path}:1: a NUL character (byte 25): a binary file, not text")):
        read_all(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_read_documents_jsonl_empty_file_raises(tmp_path, content):
    path = write(tmp_path / "articles.jsonl", content)
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: empty document (no JSON lines)"


def test_read_documents_errors_raised_lazily(tmp_path):
    write(tmp_path / "a.txt", "The first story.")
    write(tmp_path / "b.txt", "")
    docs = read_documents([tmp_path])
    assert next(docs).id == "a"
    with pytest.raises(InputError, match="empty document"):
        next(docs)


def test_read_documents_skip_bad_collects_errors_and_continues(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", "Ghana opened a new port.")
    write(corpus / "b.txt", b"\xff\xfe binary")
    write(
        corpus / "c.jsonl",
        jsonl({"id": "c1", "text": "Chad closed its border."})
        + "{broken\n"
        + jsonl({"id": "c3"}, {"id": "c4", "text": "Mali held talks.", "date": "2024-99"})
        + jsonl({"id": "c5", "text": "Niger expelled envoys."}),
    )
    write(corpus / "d.txt", "   ")
    write(corpus / "e.txt", "Egypt mediated.")
    errors: list[InputError] = []
    docs = read_all(corpus, skip_bad=True, on_error=errors.append)
    assert [d.id for d in docs] == ["a", "c1", "c5", "e"]
    assert [e.where for e in errors] == [
        str(corpus / "b.txt"),
        f"{corpus / 'c.jsonl'}:2",
        f"{corpus / 'c.jsonl'}:3",
        f"{corpus / 'c.jsonl'}:4",
        str(corpus / "d.txt"),
    ]
    assert [e.problem.split(" (")[0] for e in errors] == [
        "not UTF-8 text",
        "malformed JSON",
        "missing 'text' field",
        "invalid date '2024-99': month must be 01 to 12",
        "empty document",
    ]


def test_read_documents_skip_bad_without_handler_logs_warning(tmp_path, caplog):
    bad = write(tmp_path / "bad.txt", "")
    good = write(tmp_path / "good.txt", "Peru elected a president.")
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        docs = read_all(bad, good, skip_bad=True)
    assert [d.id for d in docs] == ["good"]
    assert f"{bad}: empty document" in caplog.text


def test_read_documents_on_error_ignored_without_skip_bad(tmp_path):
    path = write(tmp_path / "bad.txt", "")
    errors: list[InputError] = []
    with pytest.raises(InputError):
        read_all(path, on_error=errors.append)
    assert errors == []


def test_read_documents_duplicate_id_raises_naming_both_places(tmp_path):
    first = write(tmp_path / "x" / "same.txt", "First copy.")
    second = write(tmp_path / "y" / "same.txt", "Second copy.")
    with pytest.raises(InputError) as info:
        read_all(tmp_path)
    assert str(info.value) == (
        f"{second}: duplicate document id 'same', first read from {first}; "
        "give each document its own id (--skip-bad keeps the first)"
    )


def test_read_documents_duplicate_json_ids_with_skip_bad_keep_the_first(tmp_path):
    path = write(
        tmp_path / "wire.jsonl",
        jsonl(
            {"id": "a", "text": "Talks began.", "date": "2024-01-02"},
            {"id": "b", "text": "Talks ended."},
            {"id": "a", "text": "Talks began again.", "date": "2024-01-03"},
        ),
    )
    errors: list[InputError] = []
    docs = read_all(path, skip_bad=True, on_error=errors.append)
    assert [(d.id, d.text, d.date) for d in docs] == [("a", "Talks began.", "2024-01-02"), ("b", "Talks ended.", None)]
    assert [str(e) for e in errors] == [
        f"{path}:3: duplicate document id 'a', first read from {path}:1; "
        "give each document its own id (--skip-bad keeps the first)"
    ]


# --------------------------------------------------------------------------- read_texts


def test_read_texts_plain_strings_and_pairs():
    docs = list(read_texts(["Iran and Iraq met.", ("afp-9", "Oman mediated.\r\n"), "Qatar hosted."]))
    assert [(d.id, d.text, d.origin) for d in docs] == [
        ("text-1", "Iran and Iraq met.", "<texts>:1"),
        ("afp-9", "Oman mediated.\n", "<texts>:2"),
        ("text-3", "Qatar hosted.", "<texts>:3"),
    ]


def test_read_texts_date_applies_to_all():
    docs = list(read_texts(["One.", "Two."], date="2024-11-11T09:30:00Z"))
    assert {d.date for d in docs} == {"2024-11-11"}


def test_read_texts_single_string_is_one_document():
    assert [d.text for d in read_texts("Brazil hosted the summit.")] == ["Brazil hosted the summit."]


def test_read_texts_invalid_date_raises():
    with pytest.raises(InputError, match=r"^date: invalid date 'soon'"):
        read_texts(["One."], date="soon")


def test_read_texts_empty_text_raises():
    docs = read_texts(["Fine.", "  \n"])
    assert next(docs).id == "text-1"
    with pytest.raises(InputError, match=r"^<texts>:2: empty document$"):
        next(docs)


def test_read_texts_bad_item_raises_type_error():
    with pytest.raises(TypeError, match="expected a string or an"):
        list(read_texts([("id", "text", "extra")]))  # type: ignore[list-item]


def test_read_module_doctests():
    result = doctest.testmod(read_module)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------- properties

HEADERS = st.sampled_from(
    [
        "date: 2024-11-05\n",
        "Date 2024-02 Talks in Geneva\r\n",
        "  DATE: 2025\n\n\n",
        "date 2024-11-11T09:30:00Z Wire\r",
        "date: 2024-02-30\n",
        "Date palms grow in Iraq.\n",
        "date 2024 Budget\n",
    ]
)
TEXTS = st.text(st.characters(codec="utf-8"), max_size=200)
BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalised(text: str) -> str:
    return newlines(text.removeprefix("\ufeff"))


@PROPERTY
@given(text=st.one_of(TEXTS, st.builds(str.__add__, HEADERS, TEXTS)))
def test_read_documents_txt_property_text_or_input_error(tmp_path_factory, text):
    path = write(tmp_path_factory.mktemp("prop") / "article.txt", text)
    expected = normalised(text)
    first, _, rest = expected.partition("\n")
    looks_like_header = re.match(r"[ \t]*date", first, re.IGNORECASE) is not None
    try:
        docs = read_all(path)
    except InputError as e:
        assert e.where == str(path)
        assert "\0" in text or not expected.strip() or looks_like_header
        return
    assert len(docs) == 1
    doc = docs[0]
    assert doc.id == "article"
    if doc.date is None:
        assert doc.text == expected
    else:
        assert looks_like_header
        assert doc.text == BLANK_LINES.sub("", rest)
    assert doc.text.strip()


@PROPERTY
@given(data=st.binary(max_size=200))
def test_read_documents_txt_property_any_bytes(tmp_path_factory, data):
    path = write(tmp_path_factory.mktemp("prop") / "blob.txt", data)
    try:
        docs = read_all(path)
    except InputError as e:
        assert e.where == str(path)
    else:
        assert len(docs) == 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=10,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(TEXTS, st.integers(), JSON_VALUES),
        "text": st.one_of(TEXTS, TEXTS, JSON_VALUES),
        "date": st.one_of(
            st.sampled_from(["2024", "2024-11", "2024-02-30", "2024-11-11T09:30:00Z"]), JSON_VALUES
        ),
        "title": st.one_of(TEXTS, JSON_VALUES),
        "url": st.one_of(TEXTS, JSON_VALUES),
        "extra": JSON_VALUES,
    },
)


@PROPERTY
@given(
    values=st.lists(st.one_of(JSON_VALUES, RECORDS), max_size=6),
    ascii_only=st.booleans(),
)
def test_read_documents_jsonl_property_documents_or_input_errors(tmp_path_factory, values, ascii_only):
    path = tmp_path_factory.mktemp("prop") / "lines.jsonl"
    write(path, "".join(json.dumps(v, ensure_ascii=ascii_only) + "\n" for v in values))
    errors: list[InputError] = []
    docs = read_all(path, skip_bad=True, on_error=errors.append)
    if not values:
        assert [e.where for e in errors] == [str(path)]
        return
    assert len(docs) + len(errors) == len(values)
    assert all(re.fullmatch(rf"{re.escape(str(path))}:\d+", e.where) for e in errors)
    for doc in docs:
        line = int(doc.origin.rsplit(":", 1)[1])
        value = values[line - 1]
        assert doc.text == newlines(value["text"])
        assert doc.date is None or parse_date(doc.date) == doc.date


@PROPERTY
@given(lines=st.lists(TEXTS.filter(lambda s: "\n" not in s and "\r" not in s), max_size=5))
def test_read_documents_jsonl_property_arbitrary_lines(tmp_path_factory, lines):
    path = write(tmp_path_factory.mktemp("prop") / "lines.jsonl", "\n".join(lines))
    errors: list[InputError] = []
    docs = read_all(path, skip_bad=True, on_error=errors.append)
    assert all(isinstance(d, Document) for d in docs)
    assert all(e.where.startswith(str(path)) for e in errors)
