"""The reading stage: files, JSON lines and strings in, :class:`~kg.model.Document` out.

One module per kind of input (:mod:`~kg.read.jsonl`, :mod:`~kg.read.web`,
:mod:`~kg.read.office`), dates in :mod:`~kg.read.dates`, and :mod:`~kg.read.files`, which
sends each path to its reader.

These kinds of input are read:

* ``.txt`` files, one document each. The id is the file stem. An optional first-line
  header gives the date and title (``date: 2025-03-03`` or ``date 2024-11 Title``).
* ``.jsonl`` files (and ``-`` for standard input), one JSON object a line with the fields
  ``id``, ``text`` and optionally ``date``, ``title`` and ``url``.
* saved web pages (``.html``, ``.htm``), one document each: trafilatura finds the
  article's main text, title, publication date, author and canonical URL, and leaves out
  menus, comments, adverts and other boilerplate.
* news feeds (``.xml``, ``.rss``, ``.atom``: RSS 0.9x, 1.0 and 2.0, Atom), read with
  feedparser: one document per entry, from its content or summary, with its link, title
  and date.
* ``http://`` and ``https://`` addresses of a page or a feed, only with ``fetch=True``
  (``kg build --fetch``), with a timeout and a size limit (:data:`FETCH_TIMEOUT`,
  :data:`FETCH_MAX_BYTES`). Nothing else touches the network.
* PDF files (``.pdf``, read with pypdf: the text of each page in turn) and Word files
  (``.docx``, read with python-docx: one paragraph after another, a blank line between),
  one document each; the title and creation date come from the file's metadata, unless a
  ``date:`` first line gives them as in a ``.txt`` file.
* directories, searched recursively in sorted order for ``.txt``, ``.jsonl``, ``.html``,
  ``.htm``, ``.rss``, ``.atom``, ``.pdf`` and ``.docx`` files (``.xml`` files in a
  directory are left alone: they are as often something else as a feed). Every file a
  directory walk leaves out is reported with its reason (``on_skip``), among them the
  files kg itself wrote (an explorer page, a figure, a store).

Dates may be written as people write them (``3 March 2025``, ``March 2025``): see
:func:`read_date`; the date keeps the precision given (day, month or year).

Document text is kept exactly as written, except that ``\\r\\n`` and ``\\r`` become
``\\n`` (and a ``.txt`` header line is removed): later stages store character offsets
into it. The text of a page or feed entry is the text extracted from its HTML, one
paragraph a line. Every problem with the input is an :class:`~kg.errors.InputError` that
names the file (and line, or feed entry), so a user can find and fix it.

>>> docs = read_texts(["Kenya recalled its ambassador."], date="2024-05")
>>> [(d.id, d.date) for d in docs]
[('text-1', '2024-05')]
"""

from __future__ import annotations

from .dates import parse_date, read_date
from .files import Skipped, count_documents, document_kind, read_documents, read_texts
from .web import FETCH_MAX_BYTES, FETCH_TIMEOUT

__all__ = [
    "read_documents", "read_texts", "parse_date", "read_date", "document_kind", "count_documents", "Skipped",
    "FETCH_TIMEOUT", "FETCH_MAX_BYTES",
]  # fmt: skip
