"""The import pipeline: read a file, check every row, store the good ones, keep the rest.

``import_file(con, kind, path)`` (:mod:`data.importers.pipeline`) is the one entry point
(the CLI and the import page both call it); the rules it applies live beside this module,
and every name is importable from here:

* :mod:`data.importers.report`: :class:`RowOutcome`, :class:`ImportReport`,
  :func:`refuse_if_needed`;
* :mod:`data.importers.columns`: the stored columns of each kind and their SQL types;
* :mod:`data.importers.row_checks`: :func:`check_rows`, the row rules;
* :mod:`data.importers.writer`: :func:`write_outcomes` and the upserts.

Every row ends either in its table or in ``quarantine`` with a reason; the counts
in the returned :class:`ImportReport` add up (``rows == stored + quarantined``).

Modes:

- all-or-nothing (default): if any row is refused, no row is stored; the batch is logged as
  ``refused`` and the refused rows are kept in the quarantine so nothing is lost;
- good rows (``good_rows=True``): the good rows are stored, the rest quarantined and listed.

Re-importing updates by ``(source, source_id)``: an unchanged row changes nothing but its
``imported_at``; a changed row is updated and its previous values are kept in
``record_history``. ``source`` defaults to the file's name without its extension.
"""

from __future__ import annotations

from data.importers.columns import DATA_COLUMNS, SQL_TYPES, column_types
from data.importers.report import (
    ImportReport,
    Progress,
    RowOutcome,
    _refusal,
    _source_name,
    kind_title,
    refuse_if_needed,
)
from data.importers.row_checks import (
    _PLACE_CODES,
    _PLACE_KEYS,
    GEOMETRY_KEY,
    PLACE_FIELDS,
    _check_row,
    _geometries,
    _parse,
    _parse_column,
    _raw_dict,
    _required,
    _resolve_place,
    _resolve_place_uncached,
    _source_id,
    check_rows,
    scope_provinces,
)
from data.importers.writer import (
    _audit,
    _insert_quarantine,
    _upsert_from_stage,
    records_frame,
    upsert,
    upsert_frame,
    upsert_staged,
    write_outcomes,
)

__all__ = [
    "DATA_COLUMNS",
    "GEOMETRY_KEY",
    "PLACE_FIELDS",
    "SQL_TYPES",
    "_PLACE_CODES",
    "_PLACE_KEYS",
    "ImportReport",
    "Progress",
    "RowOutcome",
    "_audit",
    "_check_row",
    "_geometries",
    "_insert_quarantine",
    "_parse",
    "_parse_column",
    "_raw_dict",
    "_refusal",
    "_required",
    "_resolve_place",
    "_resolve_place_uncached",
    "_source_id",
    "_source_name",
    "_upsert_from_stage",
    "check_rows",
    "column_types",
    "kind_title",
    "records_frame",
    "refuse_if_needed",
    "scope_provinces",
    "upsert",
    "upsert_frame",
    "upsert_staged",
    "write_outcomes",
]
