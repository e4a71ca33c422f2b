"""Importers for community data files (CSV, XLSX, GeoJSON, Shapefile, GeoPackage).

Public API::

    from data.importers import import_file, resubmit, discard, list_quarantine
    report = import_file(con, "organization", "orgs.csv", good_rows=False)
    report.to_dict()   # rows, stored, inserted, updated, unchanged, quarantined, refused...

See ``data.importers.core`` for the modes and ``data.importers.fields`` (and
``docs/import-headers.md``) for the columns each kind accepts.
"""

from data.importers.core import ImportReport, refuse_if_needed
from data.importers.errors import ImportFileError, ImportRefused
from data.importers.fields import KIND_NAMES, KINDS, TABLES
from data.importers.pipeline import import_file, preview_file
from data.importers.quarantine import discard, list_quarantine, quarantine_counts, resubmit

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "TABLES",
    "ImportFileError",
    "ImportRefused",
    "ImportReport",
    "discard",
    "import_file",
    "list_quarantine",
    "preview_file",
    "quarantine_counts",
    "refuse_if_needed",
    "resubmit",
]
