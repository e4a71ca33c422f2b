"""The export layer registry: every layer an analyst can send to an agency is one declaration.

This module holds the declaration types and the registry; the project's layers are declared
in ``geo/export_layers_*.py`` and registered, in order, by :mod:`geo.export_layers` (the
module to import).

A :class:`LayerSpec` says what a layer is (Thai and English title and description), where
its rows come from (one DuckDB ``SELECT`` with a ``geom`` column), which columns leave the
system (:class:`Field`, with Thai and English names and units), where the data came from
(:data:`SOURCES`), which columns the filters apply to, and its privacy rules. Declaring a
new layer is a :class:`LayerSpec` in the ``LAYERS`` of a layer module (or a call to
:func:`register_layer`)::

    register_layer(LayerSpec(
        key="wells",
        title_th="บ่อน้ำชุมชน", title_en="Community wells",
        description_th="...", description_en="...",
        sql="SELECT w.id, w.tambon_pcode, w.depth_m, w.is_demo, w.geom FROM well w",
        fields=(Field("id", "รหัส", "ID", "integer"),
                Field("tambon_pcode", "รหัสตำบล", "Tambon P-code"),
                Field("depth_m", "ความลึก", "Depth", "real", "เมตร", "m")),
        sources=("codi", "demo"),
        geometry_type="Point",
        area_column="tambon_pcode",       # --area filters on this P-code column
        demo_column="is_demo",            # the sidecar says when demo rows are included
        requires=("well",),               # listed only once the table exists
    ))

Privacy is enforced here, not left to each declaration:

* only declared fields are written; the SQL may select helper columns (for filters) but
  they never reach the file;
* a layer's SQL may not read the private tables (:data:`PRIVATE_TABLES`: the need
  reports' contact table, accounts, the names of people developed) and no field may carry
  a contact- or account-like name (:data:`PRIVATE_NAME`); :func:`register_layer` refuses
  such a declaration;
* ``free_text=True`` fields (what a member typed) are left out unless the analyst asks,
  and phone numbers, e-mail addresses and national ID numbers inside them are masked
  even then (:func:`data.privacy.mask_contacts`, Thai digits normalised first);
* ``count=True`` fields can be suppressed below a threshold, and a layer with
  ``suppress_area_column`` drops every record of an area holding fewer records than the
  threshold (so single households cannot be singled out).

Layers that take a level (boundaries, indicators) have a ``resolver`` that builds the SQL
and fields for the chosen level and grouping at export time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from data import vocab

FIELD_TYPES = ("string", "integer", "real", "date", "datetime", "boolean")
GEOMETRY_TYPES = ("Point", "MultiPolygon", "Geometry")
AREA_LEVELS = ("tambon", "amphoe", "province", "cluster", "region")
AREA_KINDS = ("admin", "cluster", "region")

#: Tables whose contents never leave the system, whatever a declaration says.
PRIVATE_TABLES = ("need_contact", "account", "api_key", "person_private")
#: Field names that look like contact details or account data are refused.
PRIVATE_NAME = re.compile(
    r"(phone|mobile|tel|e_?mail|contact|line_id|facebook|password|passwd|hash|username|"
    r"account|submitted_by|actor|receipt|form_id|address|national_id|id_card|chair)",
    re.IGNORECASE,
)
_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

_SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "real": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


class LayerSpecError(ValueError):
    """A layer declaration breaks the registry's rules (a programming error, not user input)."""


@dataclass(frozen=True)
class Field:
    """One exported column: ``name`` (ASCII, the column name in every format), Thai and
    English names, type (one of :data:`FIELD_TYPES`), unit, and privacy flags.

    ``free_text``: what a person typed; exported only on request, with contact details
    masked (:mod:`data.privacy`). ``count``: a count that small-count suppression may hide.
    ``mask_contacts``: text that is always exported but may hold contact details (masked).
    """

    name: str
    name_th: str
    name_en: str
    type: str = "string"
    unit_th: str = ""
    unit_en: str = ""
    description_en: str = ""
    description_th: str = ""
    free_text: bool = False
    count: bool = False
    mask_contacts: bool = False
    #: code -> (Thai, English) when the column holds codes of a vocabulary: CSV then gives
    #: the label, and the code in a column of its own; the sidecar lists the codes
    labels: Mapping[str, tuple[str, str]] | None = field(default=None, hash=False, compare=False)
    #: the value is several codes separated by ';'
    multi: bool = False

    def __post_init__(self) -> None:
        if not _IDENT.match(self.name):
            raise LayerSpecError(f"field name {self.name!r} must be lowercase ASCII snake_case")
        if self.type not in FIELD_TYPES:
            raise LayerSpecError(
                f"field {self.name!r}: type must be one of {', '.join(FIELD_TYPES)}, "
                f"not {self.type!r}"
            )
        if PRIVATE_NAME.search(self.name):
            raise LayerSpecError(
                f"field {self.name!r} looks like contact or account data, which is never exported"
            )

    @property
    def sql_type(self) -> str:
        return _SQL_TYPES[self.type]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description for the metadata sidecar."""
        out = {
            "name": self.name,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "type": self.type,
            "unit_th": self.unit_th,
            "unit_en": self.unit_en,
        }
        if self.description_th:
            out["description_th"] = self.description_th
        if self.description_en:
            out["description_en"] = self.description_en
        if self.free_text:
            out["free_text"] = True
        if self.labels:
            out["codes"] = {code: {"th": th, "en": en} for code, (th, en) in self.labels.items()}
            if self.multi:
                out["separator"] = ";"
        return out

    def label_of(self, value: Any, lang: str) -> str:
        """The label of a coded value (several when :attr:`multi`) in ``lang``."""
        if value is None or not self.labels:
            return "" if value is None else str(value)
        codes = str(value).split(";") if self.multi else [str(value)]
        return "; ".join(vocab.label(self.labels, code.strip(), lang) for code in codes)


@dataclass(frozen=True)
class Source:
    """Where data came from and under which terms."""

    key: str
    title: str
    licence: str
    url: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "licence": self.licence, "url": self.url, "note": self.note}


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "cod_ab",
            "OCHA Common Operational Dataset - Administrative Boundaries (COD-AB) Thailand, "
            "Royal Thai Survey Department, valid from 2022-01-22 (simplified copy from "
            "github.com/prasertcbs/thailand_gis)",
            "CC BY-IGO 3.0",
            "https://data.humdata.org/dataset/cod-ab-tha",
            "Amphoe, province, cluster and region shapes are dissolved from the tambons.",
        ),
        Source(
            "villages",
            "Thailand village points 2012 (TH_VILLAGE2012), public repository "
            "github.com/prasertcbs/thailand_gis",
            "as published in the source repository",
            "https://github.com/prasertcbs/thailand_gis",
            "Reconciled to today's tambons by location and by name by ผังชุมชน.",
        ),
        Source(
            "groupings",
            "Province clusters and regions: CODI seed documents and planners' "
            "groupings stored in ผังชุมชน",
            "CODI internal",
            note="Groupings are versioned; the grouping used is named in the filters.",
        ),
        Source(
            "codi",
            "CODI registries imported by coordinators (community organizations, "
            "councils, Baan Mankong projects, land cases)",
            "CODI; ask CODI before re-publishing",
        ),
        Source(
            "members",
            "Housing need marked by community members and verified by CODI coordinators",
            "CODI; ask CODI before re-publishing",
            note="Contact details are never exported.",
        ),
        Source(
            "demo",
            "Demo data: synthetic records generated by ผังชุมชน on the real tambons",
            "synthetic, no real persons or projects",
            note="Not real data; for trying the product only.",
        ),
    )
}


@dataclass(frozen=True)
class LayerSpec:
    """A declared export layer; see the module docstring for an example.

    ``sql`` returns the declared fields, a ``geom`` column (EPSG:4326) and any helper
    columns the filters use (``area_column``, ``status_column``, ``date_column``,
    ``demo_column``). It may use the parameter ``$grouping``. ``statuses`` maps each
    status value to its Thai and English labels (``--status`` is checked against it).
    ``area_kind`` says what ``area_column`` holds: an admin P-code, a cluster code or a
    region code of the grouping. ``public``: the OGC API (``/ogc``) serves the layer
    without an API key (open boundaries, reference points, area aggregates); every other
    layer needs a key issued to an agency (:mod:`data.apikeys`).
    """

    key: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    sources: tuple[str, ...]
    sql: str = ""
    fields: tuple[Field, ...] = ()
    geometry_type: str = "Point"
    area_column: str | None = "tambon_pcode"
    area_kind: str = "admin"
    status_column: str | None = None
    statuses: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    date_column: str | None = None
    demo_column: str | None = None
    demo_always: bool = False
    suppress_area_column: str | None = None
    order_by: str = ""
    requires: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    default_level: str | None = None
    resolver: Callable[[LayerSpec, Any, str | None, str], Resolved] | None = None
    notes: tuple[str, ...] = ()
    public: bool = False

    def title(self, lang: str = "th") -> str:
        return self.title_th if lang == "th" else self.title_en

    def description(self, lang: str = "th") -> str:
        return self.description_th if lang == "th" else self.description_en


@dataclass(frozen=True)
class Resolved:
    """A layer made concrete for one export: its level and grouping are fixed.

    ``count_sql`` (optional) gives the same rows and filter columns as ``sql`` without
    the costly columns, for counting before the export streams.
    ``demo_possible``: the layer has no per-record demo flag but may be fed by demo data
    (indicators); the export then says so when the database holds any demo rows.
    """

    spec: LayerSpec
    sql: str
    fields: tuple[Field, ...]
    level: str | None
    grouping: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    geometry_type: str
    area_column: str | None
    area_kind: str
    sources: tuple[str, ...]
    demo_possible: bool = False
    notes: tuple[str, ...] = ()
    count_sql: str | None = None

    @property
    def rows_sql(self) -> str:
        """SQL giving the same rows (and filter columns) as ``sql``, cheaper to count."""
        return self.count_sql or self.sql


_REGISTRY: dict[str, LayerSpec] = {}


def check_sql_privacy(sql: str, where: str) -> None:
    """Refuse SQL that reads a private table (contact details, accounts)."""
    for table in PRIVATE_TABLES:
        if re.search(rf"\b{table}\b", sql, re.IGNORECASE):
            raise LayerSpecError(f"{where} reads the private table {table!r}, never exported")


def register_layer(spec: LayerSpec) -> LayerSpec:
    """Add a layer to the registry after checking its declaration; returns it."""
    if not _IDENT.match(spec.key.replace("-", "_")):
        raise LayerSpecError(f"layer key {spec.key!r} must be lowercase ASCII")
    if spec.geometry_type not in GEOMETRY_TYPES:
        raise LayerSpecError(
            f"layer {spec.key!r}: geometry_type must be one of {', '.join(GEOMETRY_TYPES)}"
        )
    if spec.area_kind not in AREA_KINDS:
        raise LayerSpecError(f"layer {spec.key!r}: area_kind must be one of {AREA_KINDS}")
    unknown = [s for s in spec.sources if s not in SOURCES]
    if unknown:
        raise LayerSpecError(f"layer {spec.key!r}: unknown sources {unknown}")
    if spec.resolver is None:
        if not spec.sql or not spec.fields:
            raise LayerSpecError(f"layer {spec.key!r} needs sql and fields (or a resolver)")
        check_sql_privacy(spec.sql, f"layer {spec.key!r}")
    names = [f.name for f in spec.fields]
    if len(set(names)) != len(names):
        raise LayerSpecError(f"layer {spec.key!r} declares a field twice")
    if spec.levels and spec.default_level not in spec.levels:
        raise LayerSpecError(f"layer {spec.key!r}: default_level must be one of its levels")
    if spec.key in _REGISTRY and _REGISTRY[spec.key] != spec:
        raise LayerSpecError(f"layer {spec.key!r} registered twice with different definitions")
    _REGISTRY[spec.key] = spec
    return spec


def _declared() -> dict[str, LayerSpec]:
    """The registry, once the project's layers are in it (:mod:`geo.export_layers` registers
    them when first imported; importing it here, at call time, makes that so whichever
    module was imported first)."""
    import geo.export_layers  # noqa: F401

    return _REGISTRY


def registered() -> dict[str, LayerSpec]:
    """Every declared layer, available or not, in declaration order."""
    return dict(_declared())


def _existing_tables(con) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def available_layers(con) -> dict[str, LayerSpec]:
    """The declared layers whose tables exist in this database."""
    have = _existing_tables(con)
    return {k: s for k, s in _declared().items() if all(t in have for t in s.requires)}


def resolve(spec: LayerSpec, con, level: str | None, grouping: str) -> Resolved:
    """Fix a layer's level and grouping: the SQL and fields one export will use."""
    if spec.levels:
        level = level or spec.default_level
        if level not in spec.levels:
            from data.errors import InputError

            raise InputError(
                f"layer {spec.key!r} has no level {level!r}; choose one of "
                f"{', '.join(spec.levels)}",
                message_th=f"ชั้นข้อมูล {spec.key} ไม่มีระดับ {level} (เลือกได้: {', '.join(spec.levels)})",
            )
    else:
        level = None
    if spec.resolver is not None:
        out = spec.resolver(spec, con, level, grouping)
        check_sql_privacy(out.sql, f"layer {spec.key!r} ({level})")
        return out
    return Resolved(
        spec=spec,
        sql=spec.sql,
        fields=spec.fields,
        level=level,
        grouping=grouping,
        title_th=spec.title_th,
        title_en=spec.title_en,
        description_th=spec.description_th,
        description_en=spec.description_en,
        geometry_type=spec.geometry_type,
        area_column=spec.area_column,
        area_kind=spec.area_kind,
        sources=spec.sources,
        demo_possible=spec.demo_always or spec.demo_column is not None,
        notes=spec.notes,
    )


def label_sql(column: str, labels: Mapping[str, tuple[str, str]], lang: int) -> str:
    """A SQL CASE giving the Thai (``lang=0``) or English (1) label of a coded column."""
    whens = " ".join(f"WHEN '{code}' THEN '{names[lang]}'" for code, names in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


def with_fields(resolved: Resolved, fields: tuple[Field, ...]) -> Resolved:
    """The same resolved layer with another field list (used by the privacy options)."""
    return replace(resolved, fields=fields)
