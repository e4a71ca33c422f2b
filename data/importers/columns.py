"""The stored columns of each kind of record and their SQL types.

Split from :mod:`data.importers.core`, which re-exports every name here.
"""

from __future__ import annotations

from data.importers.fields import fields_for
from data.importers.registry import SPECS

# Stored columns per table, besides id, source, source_id, is_demo, imported_at, batch.
DATA_COLUMNS = {
    "organization": (
        "tambon_pcode",
        "village_id",
        "village_name",
        "name",
        "org_type",
        "org_type_label",
        "chair",
        "members",
        "capital_baht",
        "products",
        "registered_date",
        "status",
        "geom",
    ),
    "council": ("tambon_pcode", "name", "established_date", "member_orgs", "status", "geom"),
    "project": (
        "tambon_pcode",
        "name",
        "communities",
        "households",
        "project_type",
        "landowner_type",
        "land_arrangement",
        "stage",
        "subsidy_baht",
        "loan_baht",
        "start_date",
        "completion_date",
        "geom",
    ),
    "land_case": (
        "tambon_pcode",
        "community",
        "households",
        "area_rai",
        "landowner_type",
        "tenure_status",
        "geom",
    ),
}
DATA_COLUMNS.update({kind: spec.columns for kind, spec in SPECS.items()})
SQL_TYPES = {
    "year": "INTEGER",
    "bool": "BOOLEAN",
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "INTEGER",
    "money": "DOUBLE",
    "float": "DOUBLE",
    "date": "DATE",
}


def column_types(kind: str) -> dict[str, str]:
    """SQL type of each stored data column of ``kind`` (geometry excluded)."""
    specs = {f.name: f for f in fields_for(kind)}
    out = {}
    for c in DATA_COLUMNS[kind]:
        if c == "geom":
            continue
        if c in ("village_id",):
            out[c] = "INTEGER"
        elif c in ("org_type_label", "tambon_pcode"):
            out[c] = "VARCHAR"
        elif kind in SPECS and c in SPECS[kind].column_types:
            out[c] = SPECS[kind].column_types[c]
        else:
            out[c] = SQL_TYPES[specs[c].type]
    return out
