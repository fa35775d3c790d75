"""Other event datasets in the same graph: GDELT 2.0 event exports and PLOVER/POLECAT records.

An imported record becomes what the extractor makes of a text, a
:class:`~kg.model.DocumentExtraction`: one pol:Document per record (a GDELT row, a PLOVER
record) with the record's URL as ``dcterms:source``, one pol:Sentence (the record's own
text, or a one-line description generated from a GDELT row), one event and the entities
of its actors. The graph stage then writes them exactly as it writes extracted events, so
queries, exports and the explorer work on them unchanged, and :func:`kg.validation.validate`
holds. On top of that, each imported event carries ``pol:source`` (``"gdelt"`` or
``"plover"``), GDELT events ``pol:goldstein`` (the row's Goldstein scale) and both
``pol:mode`` when the record gives one.

Actors become the entity nodes the extractor makes: a CAMEO country code is checked
against pycountry and becomes ``country/ISO3``; with an actor type, ``government/ISO3``
(GOV, LEG, JUD), ``military/ISO3`` (MIL, COP) or ``group/ISO3/noun`` (REB, CVL, ...);
known international organisations become the gazetteer's ``org/`` nodes. So "USA" in a
GDELT row and "the United States" in an article are one node. CAMEO event codes map to
the sixteen PLOVER types through ``kg/data/cameo_plover.json``; codes of CAMEO root 01
(public statements) have no PLOVER type and are counted as unmapped, never guessed.

What cannot be resolved is reported, not guessed: a row whose actor has an unknown or
regional country code is left out and counted in :class:`ImportReport`. What is wrong
with the input (a GDELT row with the wrong number of columns, an unknown CAMEO code, a
record without an event type) is an :class:`~kg.errors.InputError` naming the file and
line or record.

One module per job: :mod:`~kg.importers.records` (records, reports, the CAMEO table,
actors), :mod:`~kg.importers.gdelt`, :mod:`~kg.importers.plover`, and
:mod:`~kg.importers.build` (records into a graph).

>>> cameo_to_plover("042"), cameo_to_plover("1823"), cameo_to_plover("010")
('CONSULT', 'ASSAULT', None)
"""

from __future__ import annotations

from .build import IMPORTERS, add_record, import_events, import_gdelt, import_plover, read_records
from .gdelt import GDELT_COLUMNS
from .records import CameoTable, ImportedRecord, ImportReport, cameo_to_plover, load_cameo_table

__all__ = [
    "ImportedRecord",
    "ImportReport",
    "CameoTable",
    "IMPORTERS",
    "GDELT_COLUMNS",
    "load_cameo_table",
    "cameo_to_plover",
    "read_records",
    "add_record",
    "import_events",
    "import_gdelt",
    "import_plover",
]
