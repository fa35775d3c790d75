"""Reading saved web pages, news feeds and (with ``fetch=True``) addresses: ``kg.read``.

The pages and feeds are small files written for these tests (``tests/data/``); nothing
here touches the internet: fetching is tested against a server on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import logging
import shutil
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg import read, vocab
from kg.errors import InputError
from kg.graph import build_graph, document_iri
from kg.model import Document
from kg.pipeline import extract_document
from kg.read import document_kind, read_documents, read_texts
from kg.validation import validate
from kg.vocab import DCTERMS, POL, RDF

DATA = Path(__file__).resolve().parents[1] / "data"
PAGE_URL = "https://news.example.org/world/2024/11/13/kenya-uganda-talks"
PAGE_TEXT = (
    "Kenya met Uganda in Nairobi on Monday to discuss the disputed border, officials said.\n"
    "Kenya accused Uganda of smuggling weapons across the frontier, a charge Kampala denied.\n"
    "France urged both sides to withdraw troops from the area and to resume joint patrols."
)


def read_all(*paths, **options) -> list[Document]:
    return list(read_documents([str(p) for p in paths], **options))


def copy(name: str, to: Path, as_name: str | None = None) -> Path:
    target = to / (as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / name, target)
    return target


# --------------------------------------------------------------------------- web pages


def test_read_documents_html_page_gives_article_and_metadata():
    path = DATA / "page.html"
    assert read_all(path) == [
        Document(
            id="page",
            text=PAGE_TEXT,
            date="2024-11-13",
            title="Kenya and Uganda hold border talks",
            url=PAGE_URL,
            origin=str(path),
            author="Jane Doe",
        )
    ]


def test_read_documents_html_leaves_out_menus_comments_adverts_and_footer():
    text = read_all(DATA / "page.html")[0].text
    for boilerplate in (
        "Subscribe",
        "Home",
        "Advertisement",
        "Mombasa",
        "Great article",
        "Finland",
        "Markets rally",
        "Copyright",
        "Privacy",
        "By Jane Doe",
    ):
        assert boilerplate not in text


def test_read_documents_htm_extension_and_undated_page_takes_default_date(tmp_path):
    path = tmp_path / "note.htm"
    path.write_text(
        "<html><head><title>Note</title></head><body><article>"
        "<p>Chile and Peru agreed to share fishing rights off their coasts, the two ministries said.</p>"
        '<p><a href="/more">More</a></p></article></body></html>',
        encoding="utf-8",
    )
    [doc] = read_all(path, default_date="2024-11")
    assert (doc.id, doc.date, doc.url, doc.author) == ("note", "2024-11", None, None)
    assert doc.text.startswith("Chile and Peru agreed to share fishing rights")


def test_read_documents_html_in_latin_1_is_decoded_by_its_charset(tmp_path):
    path = tmp_path / "latin.html"
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Brasília</title></head><body><article>'
        "<p>The minister in Brasília said that Brazil and Peru signed a trade agreement on Monday.</p>"
        "</article></body></html>"
    )
    path.write_bytes(html.encode("latin-1"))
    [doc] = read_all(path)
    assert doc.text == "The minister in Brasília said that Brazil and Peru signed a trade agreement on Monday."
    assert doc.title == "Brasília"


def test_read_documents_html_without_article_text_raises():
    path = DATA / "page-no-article.html"
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: no article text found (only menus, links or other boilerplate)"


def test_read_documents_html_without_article_text_skip_bad_carries_on():
    bad: list[InputError] = []
    docs = read_all(DATA / "page-no-article.html", DATA / "page.html", skip_bad=True, on_error=bad.append)
    assert [d.id for d in docs] == ["page"]
    assert [e.where for e in bad] == [str(DATA / "page-no-article.html")]


def test_read_documents_html_binary_garbage_is_no_article(tmp_path):
    path = tmp_path / "garbage.html"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"garbage\.html: no article text found"):
        read_all(path)


# --------------------------------------------------------------------------- feeds


def test_read_documents_rss2_one_document_per_entry():
    path = DATA / "feed-rss2.xml"
    assert read_all(path) == [
        Document(
            id="wire-2024-1113-001",
            text="Kenya met Uganda in Nairobi on Monday.\nKenya accused Uganda of smuggling weapons.",
            date="2024-11-13",  # as written (23:30 -05:00), not moved to UTC
            title="Kenya and Uganda hold border talks",
            url="https://wire.example.org/2024/11/13/kenya-uganda",
            origin=f"{path} entry 1",
            author="Jane Doe",
        ),
        Document(
            id="https://wire.example.org/2024/11/12/france-russia",  # no guid: the link
            text="France urged Russia to withdraw its troops.",  # the summary, its HTML removed
            date="2024-11-12",
            title="France urges Russia to withdraw",
            url="https://wire.example.org/2024/11/12/france-russia",
            origin=f"{path} entry 2",
        ),
    ]


def test_read_documents_atom_content_then_summary_and_published_date():
    path = DATA / "feed-atom.atom"
    docs = read_all(path)
    assert [(d.id, d.text, d.date, d.title, d.url, d.author, d.origin) for d in docs] == [
        (
            "urn:uuid:8f0c1c52-0a4f-4d0b-9d55-9c1b7a1d0002",
            "Germany and Poland signed a defence pact in Warsaw.\nIt covers joint exercises.",
            "2024-11-14",
            "Germany and Poland sign a defence pact",
            "https://ministry.example.org/press/2024-11-14-pact",
            "Press Office",
            f"{path} entry 1",
        ),
        (
            "urn:uuid:8f0c1c52-0a4f-4d0b-9d55-9c1b7a1d0003",
            "The United Nations called on Sudan to allow aid convoys.",
            "2024-11-10",  # no published date: the updated one
            "Statement on Sudan",
            "https://ministry.example.org/press/2024-11-10-sudan",
            None,
            f"{path} entry 2",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "feed-rss1.xml",
            (
                "https://old.example.org/2024/11/chile-peru",
                "2024-11-09",
                "Chile and Peru agreed to share fishing rights off their coasts.",
            ),
        ),
        (
            "feed-rss091.rss",
            (
                "https://vintage.example.org/brazil-coup",
                None,
                "Brazil condemned the coup in Bolivia and recalled its ambassador from La Paz.",
            ),
        ),
    ],
)
def test_read_documents_rss1_and_rss091(name, expected):
    [doc] = read_all(DATA / name)
    assert (doc.id, doc.date, doc.text) == expected
    assert doc.url == doc.id


def test_read_documents_feed_not_xml_raises():
    path = DATA / "feed-not-xml.xml"
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: not a news feed: not well-formed XML (syntax error at line 2)"


def test_read_documents_xml_that_is_not_a_feed_raises(tmp_path):
    path = tmp_path / "graph.xml"
    path.write_text('<?xml version="1.0"?><html><body><p>Hello.</p></body></html>', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: not a news feed (no RSS or Atom root element)"


def test_read_documents_feed_without_entries_raises(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: empty feed (no entries)"


def test_read_documents_feed_entry_without_text_names_the_entry(tmp_path):
    path = tmp_path / "wire.xml"
    path.write_text(
        '<rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Headline only</title><link>https://wire.example.org/x</link></item>"
        "<item><title>Talks</title><description>Kenya met Uganda.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_all(path)
    assert str(info.value) == f"{path} entry 1: no text (the entry has neither content nor a summary)"
    bad: list[InputError] = []
    docs = read_all(path, skip_bad=True, on_error=bad.append)
    assert [(d.id, d.text, d.origin) for d in docs] == [("wire:2", "Kenya met Uganda.", f"{path} entry 2")]
    assert [e.where for e in bad] == [f"{path} entry 1"]


def test_read_documents_feed_entry_html_blocks_become_lines(tmp_path):
    path = tmp_path / "blocks.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>e1</id><title>x</title>'
        '<content type="html">&lt;h2&gt;Talks&lt;/h2&gt;&lt;p&gt;Kenya   met&lt;br/&gt;Uganda.&lt;/p&gt;'
        "&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Then  they  parted.&lt;/p&gt;</content></entry></feed>",
        encoding="utf-8",
    )
    [doc] = read_all(path)
    assert doc.text == "Talks\nKenya met\nUganda.\nThen they parted."


# --------------------------------------------------------------------------- directories and mixed inputs


def test_read_documents_directory_reads_pages_and_feeds_but_not_xml(tmp_path):
    corpus = tmp_path / "corpus"
    copy("page.html", corpus)
    copy("feed-atom.atom", corpus / "feeds")
    copy("feed-rss091.rss", corpus / "feeds")
    copy("feed-rss2.xml", corpus / "feeds")  # .xml in a directory: left alone
    (corpus / "a.txt").write_text("Kenya met Uganda.", encoding="utf-8")
    docs = read_all(corpus)
    assert [(document_kind(d), d.origin) for d in docs] == [
        ("txt", str(corpus / "a.txt")),
        ("feed", f"{corpus / 'feeds' / 'feed-atom.atom'} entry 1"),
        ("feed", f"{corpus / 'feeds' / 'feed-atom.atom'} entry 2"),
        ("feed", f"{corpus / 'feeds' / 'feed-rss091.rss'} entry 1"),
        ("html", str(corpus / "page.html")),
    ]


def test_read_documents_mixed_inputs_counted_by_kind(tmp_path):
    txt = tmp_path / "a.txt"
    txt.write_text("date 2024-11 Talks\nKenya met Uganda.", encoding="utf-8")
    jsonl = tmp_path / "b.jsonl"
    jsonl.write_text('{"id": "j1", "text": "France met Germany."}\n{"id": "j2", "text": "Chad met Niger."}\n')
    docs = read_all(txt, jsonl, DATA / "page.html", DATA / "feed-rss2.xml", DATA / "feed-atom.atom")
    assert Counter(document_kind(d) for d in docs) == {"txt": 1, "jsonl": 2, "html": 1, "feed": 4}


@pytest.mark.parametrize(
    ("origin", "kind"),
    [
        ("a.txt", "txt"),
        ("dir/a.TXT", "txt"),
        ("b.jsonl:12", "jsonl"),
        ("<stdin>:3", "jsonl"),
        ("<texts>:1", "text"),
        ("", "text"),
        ("saved/page.HTM", "html"),
        ("https://news.example.org/a", "html"),
        ("feeds/wire.xml entry 12", "feed"),
        ("https://wire.example.org/rss entry 1", "feed"),
    ],
)
def test_document_kind(origin, kind):
    assert document_kind(Document("d", "Talks.", origin=origin)) == kind


def test_document_kind_of_read_texts():
    [doc] = read_texts(["Kenya met Uganda."])
    assert document_kind(doc) == "text"


def test_read_documents_unsupported_suffix_still_raises(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="unsupported file type"):
        read_all(path)


# --------------------------------------------------------------------------- the graph


def test_page_and_feed_documents_carry_url_and_date_into_the_graph(nlp):
    docs = read_all(DATA / "page.html", DATA / "feed-rss2.xml")
    g = build_graph(extract_document(d, nlp(d.text)) for d in docs)
    page = document_iri("page")
    assert (page, RDF.type, POL.Document) in g
    assert g.value(page, DCTERMS.source) == URIRef(PAGE_URL)
    assert g.value(page, DCTERMS.date) == Literal("2024-11-13", datatype=vocab.XSD.date)
    assert g.value(page, DCTERMS.title) == Literal("Kenya and Uganda hold border talks")
    entry = document_iri("wire-2024-1113-001")
    assert g.value(entry, DCTERMS.source) == URIRef("https://wire.example.org/2024/11/13/kenya-uganda")
    events = {g.value(e, POL.eventType) for e in g.subjects(RDF.type, POL.Event)}
    assert {POL.CONSULT, POL.ACCUSE} <= events
    assert validate(g).conforms


# --------------------------------------------------------------------------- addresses


def test_read_documents_url_without_fetch_raises_before_reading(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Kenya met Uganda.", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_documents([good, "https://wire.example.org/rss"], skip_bad=True)
    assert str(info.value) == (
        "https://wire.example.org/rss: not fetched: kg reads from the network only when asked (kg build --fetch)"
    )


class _Handler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/page": ("text/html; charset=utf-8", (DATA / "page.html").read_bytes()),
        "/feed": ("application/rss+xml", (DATA / "feed-rss2.xml").read_bytes()),
        "/big": ("text/html", b"<html><body>" + b"<p>Kenya met Uganda again and again.</p>" * 200 + b"</body></html>"),
    }

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":
            time.sleep(1.0)
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        kind, body = route
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout, size limit) breaks the pipe: expected here


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_read_documents_fetch_page_and_feed(server):
    page, *entries = read_all(f"{server}/page", f"{server}/feed", fetch=True)
    assert (page.id, page.text, page.url, page.date, page.origin) == (
        f"{server}/page",
        PAGE_TEXT,
        PAGE_URL,
        "2024-11-13",
        f"{server}/page",
    )
    assert [(e.id, e.origin) for e in entries] == [
        ("wire-2024-1113-001", f"{server}/feed entry 1"),
        ("https://wire.example.org/2024/11/12/france-russia", f"{server}/feed entry 2"),
    ]
    assert [document_kind(d) for d in (page, *entries)] == ["html", "feed", "feed"]


def test_read_documents_fetch_http_error(server):
    with pytest.raises(InputError) as info:
        read_all(f"{server}/missing", fetch=True)
    assert str(info.value) == f"{server}/missing: cannot fetch (HTTP 404 Not Found)"


def test_read_documents_fetch_offline_says_so():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError) as info:
        read_all(f"http://127.0.0.1:{port}/feed", fetch=True)
    assert str(info.value).startswith(f"http://127.0.0.1:{port}/feed: cannot fetch (")
    assert str(info.value).endswith("); check the address, or whether this machine is offline")


def test_read_documents_fetch_size_limit(server, monkeypatch):
    monkeypatch.setattr(read.web, "FETCH_MAX_BYTES", 1000)
    with pytest.raises(InputError) as info:
        read_all(f"{server}/big", fetch=True)
    assert str(info.value) == f"{server}/big: larger than 1,000 bytes; not read (see kg.read.FETCH_MAX_BYTES)"


def test_read_documents_fetch_timeout(server, monkeypatch):
    monkeypatch.setattr(read.web, "FETCH_TIMEOUT", 0.2)
    with pytest.raises(InputError) as info:
        read_all(f"{server}/slow", fetch=True)
    assert str(info.value) == f"{server}/slow: cannot fetch (no answer within 0.2 s)"


def test_read_documents_fetch_errors_skip_bad(server, caplog):
    with caplog.at_level(logging.WARNING, logger="kg.read"):
        docs = read_all(f"{server}/missing", f"{server}/page", fetch=True, skip_bad=True)
    assert [d.id for d in docs] == [f"{server}/page"]
    assert "cannot fetch (HTTP 404 Not Found)" in caplog.text
