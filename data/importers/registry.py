"""Kinds of record defined outside ``fields.py``: what the import pipeline needs to import them.

A module such as :mod:`data.importers.plan_kinds` describes its kinds with
:class:`KindSpec` and calls :func:`register_kind`; ``fields`` imports those modules at the
end of its own import, so ``KINDS``, ``KIND_FIELDS`` and ``columns.DATA_COLUMNS`` list them
before anything else reads them. Their rows go through the same reading, place matching,
geometry rules, quarantine, history and audit as the first four kinds.

Hooks:

- ``check_row(record, ctx) -> list[Problem]``: after the common checks passed, check (and
  complete) one row's record; ``ctx`` is a dict per import holding ``con`` and caches;
- ``after_write(con, records)``: inside the import's transaction, after the rows were
  stored (e.g. private names into their own table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from data.importers.values import Problem

RowCheck = Callable[[dict, dict], list[Problem]]
AfterWrite = Callable[[object, list[dict]], None]


@dataclass(frozen=True)
class KindSpec:
    """One kind of record: its names, table, header fields and stored columns."""

    kind: str
    name_th: str
    name_en: str
    table: str
    fields: tuple  # of fields.Field
    columns: tuple[str, ...]  # stored data columns, ending with "geom"
    column_types: dict[str, str] = field(default_factory=dict)  # columns that are no Field
    keep: tuple[str, ...] = ()  # parsed values kept in the record for the hooks only
    natural_key: tuple[str, ...] = ()  # fields making an id when the file gives none
    check_row: RowCheck | None = None
    after_write: AfterWrite | None = None


SPECS: dict[str, KindSpec] = {}


def register_kind(spec: KindSpec) -> KindSpec:
    """Add ``spec`` to the kinds the importers know (idempotent)."""
    if spec.columns[-1:] != ("geom",):
        raise ValueError(f"kind {spec.kind!r}: stored columns must end with 'geom'")
    SPECS[spec.kind] = spec
    from data.importers import fields

    if spec.kind not in fields.KINDS:
        fields.KINDS.append(spec.kind)
    fields.KIND_NAMES[spec.kind] = (spec.name_th, spec.name_en)
    fields.TABLES[spec.kind] = spec.table
    fields.KIND_FIELDS[spec.kind] = spec.fields
    return spec
