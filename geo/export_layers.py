"""The export layer registry: every layer an analyst can send to an agency is one declaration.

A :class:`LayerSpec` says what a layer is (Thai and English title and description), where
its rows come from (one DuckDB ``SELECT`` with a ``geom`` column), which columns leave the
system (:class:`Field`, with Thai and English names and units), where the data came from
(:data:`SOURCES`), which columns the filters apply to, and its privacy rules. Declaring a
new layer is a call to :func:`register_layer`::

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
from data.need_reports import LANDOWNERS as NEED_LANDOWNERS
from data.need_reports import PROBLEMS as NEED_PROBLEMS
from data.need_reports import URGENCIES as NEED_URGENCIES

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


def registered() -> dict[str, LayerSpec]:
    """Every declared layer, available or not, in declaration order."""
    return dict(_REGISTRY)


def _existing_tables(con) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def available_layers(con) -> dict[str, LayerSpec]:
    """The declared layers whose tables exist in this database."""
    have = _existing_tables(con)
    return {k: s for k, s in _REGISTRY.items() if all(t in have for t in s.requires)}


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


# --- areas: boundaries and indicators ------------------------------------------------------

LEVEL_NAMES = {
    "tambon": ("ตำบล", "Tambon"),
    "amphoe": ("อำเภอ", "Amphoe"),
    "province": ("จังหวัด", "Province"),
    "cluster": ("กลุ่มจังหวัด", "Province cluster"),
    "region": ("ภาค", "Region"),
}

_AREA_SQL = {
    "tambon": """SELECT t.pcode, t.name_th, t.name_en, t.amphoe_pcode, a.name_th AS amphoe_th,
                        t.province_pcode, p.name_th AS province_th, t.area_km2, t.geom
                 FROM tambon t JOIN amphoe a ON a.pcode = t.amphoe_pcode
                 JOIN province p ON p.pcode = t.province_pcode""",
    "amphoe": """SELECT a.pcode, a.name_th, a.name_en, a.province_pcode,
                        p.name_th AS province_th, a.area_km2, a.geom
                 FROM amphoe a JOIN province p ON p.pcode = a.province_pcode""",
    "province": """SELECT p.pcode, p.name_th, p.name_en, gp.cluster_code,
                          c.name_th AS cluster_th, c.region_code, p.area_km2, p.geom
                   FROM province p
                   LEFT JOIN grouping_province gp ON gp.province_pcode = p.pcode
                        AND gp.grouping = $grouping
                   LEFT JOIN grouping_cluster c ON c.grouping = gp.grouping
                        AND c.code = gp.cluster_code""",
    "cluster": """SELECT c.code AS pcode, c.no, c.name_th, c.name_en, c.region_code,
                         r.name_th AS region_th,
                         (SELECT count(*) FROM grouping_province gp WHERE gp.grouping = c.grouping
                          AND gp.cluster_code = c.code) AS provinces,
                         c.area_km2, c.geom
                  FROM grouping_cluster c JOIN grouping_region r ON r.grouping = c.grouping
                       AND r.code = c.region_code
                  WHERE c.grouping = $grouping""",
    "region": """SELECT r.code AS pcode, r.no, r.name_th, r.name_en,
                        (SELECT count(*) FROM grouping_cluster c WHERE c.grouping = r.grouping
                         AND c.region_code = r.code) AS clusters,
                        r.area_km2, r.geom
                 FROM grouping_region r WHERE r.grouping = $grouping""",
}

_AREA_KIND = {
    "tambon": "admin",
    "amphoe": "admin",
    "province": "admin",
    "cluster": "cluster",
    "region": "region",
}

_KM2 = ("ตร.กม.", "km²")


def _area_fields(level: str) -> tuple[Field, ...]:
    th, en = LEVEL_NAMES[level]
    code = "รหัส" if level in ("cluster", "region") else "รหัส P-code "
    fields = [
        Field(
            "pcode",
            f"{code}{th}",
            f"{en} code" if level in ("cluster", "region") else f"{en} P-code",
        )
    ]
    if level in ("cluster", "region"):
        fields.append(Field("no", f"ลำดับ{th}", f"{en} number", "integer"))
    fields += [
        Field("name_th", f"ชื่อ{th} (ไทย)", f"{en} name (Thai)"),
        Field("name_en", f"ชื่อ{th} (อังกฤษ)", f"{en} name (English)"),
    ]
    extra = {
        "tambon": [
            Field("amphoe_pcode", "รหัสอำเภอ", "Amphoe P-code"),
            Field("amphoe_th", "ชื่ออำเภอ", "Amphoe name (Thai)"),
            Field("province_pcode", "รหัสจังหวัด", "Province P-code"),
            Field("province_th", "ชื่อจังหวัด", "Province name (Thai)"),
        ],
        "amphoe": [
            Field("province_pcode", "รหัสจังหวัด", "Province P-code"),
            Field("province_th", "ชื่อจังหวัด", "Province name (Thai)"),
        ],
        "province": [
            Field("cluster_code", "รหัสกลุ่มจังหวัด", "Cluster code"),
            Field("cluster_th", "ชื่อกลุ่มจังหวัด", "Cluster name (Thai)"),
            Field("region_code", "รหัสภาค", "Region code"),
        ],
        "cluster": [
            Field("region_code", "รหัสภาค", "Region code"),
            Field("region_th", "ชื่อภาค", "Region name (Thai)"),
            Field("provinces", "จำนวนจังหวัด", "Provinces", "integer", "จังหวัด", "provinces"),
        ],
        "region": [Field("clusters", "จำนวนกลุ่มจังหวัด", "Clusters", "integer", "กลุ่ม", "clusters")],
    }[level]
    fields += extra
    fields.append(
        Field("area_km2", "พื้นที่", "Area", "real", *_KM2, "geodesic area on the WGS84 ellipsoid")
    )
    return tuple(fields)


def _sources_for(level: str) -> tuple[str, ...]:
    return ("cod_ab", "groupings") if level in ("province", "cluster", "region") else ("cod_ab",)


def _boundary_resolver(spec: LayerSpec, con, level: str | None, grouping: str) -> Resolved:
    assert level is not None
    th, en = LEVEL_NAMES[level]
    grouped = level in ("cluster", "region")
    return Resolved(
        spec=spec,
        sql=_AREA_SQL[level],
        fields=_area_fields(level),
        level=level,
        grouping=grouping,
        title_th=f"ขอบเขต{th}" + (f" ({grouping})" if grouped else ""),
        title_en=f"{en} boundaries" + (f" ({grouping})" if grouped else ""),
        description_th=spec.description_th,
        description_en=spec.description_en,
        geometry_type="MultiPolygon",
        area_column="pcode",
        area_kind=_AREA_KIND[level],
        sources=_sources_for(level),
    )


#: decimals an exported indicator value keeps (see :func:`indicator_values_sql`)
VALUE_DECIMALS = 6


def indicator_values_sql(level: str, indicators: Mapping[str, Any]) -> str:
    """One query giving every indicator's value for every area at ``level`` (``$grouping``).

    The same definition as :func:`analysis.catalogue.compute` (``scale * sum(num) /
    sum(den)`` over the tambons inside each area, null when the denominator is zero), but
    all indicators in one pass instead of one query each; ``tests/test_export.py`` checks
    the two agree for every indicator.
    """
    from analysis.catalogue import tambon_areas_sql

    # stack every indicator's tambon rows, roll the stack up to (area, indicator) in one
    # aggregation, then spread it into one column per indicator: several times faster
    # than joining each indicator to the areas on its own
    stack = " UNION ALL ".join(
        f"SELECT {i} AS k, pcode, num::DOUBLE AS num, "
        f"{'den::DOUBLE' if ind.has_denominator else 'NULL::DOUBLE'} AS den "
        f"FROM ({ind.tambon_sql})"
        for i, ind in enumerate(indicators.values())
    )
    values = []
    for i, (key, ind) in enumerate(indicators.items()):
        num = f"coalesce(max(t.num) FILTER (WHERE t.k = {i}), 0)"
        if ind.has_denominator:
            den = f"nullif(coalesce(max(t.den) FILTER (WHERE t.k = {i}), 0), 0)"
            value = f"{float(ind.scale)!r} * {num} / {den}"
        else:
            value = f"{float(ind.scale)!r} * {num}"
        # sums of fractional values (areas, money) come out of a parallel aggregation in
        # whatever order its threads finished, so their last bits differ between runs and
        # servers; six decimals are far finer than any indicator means and the same every time
        values.append(f"round({value}, {VALUE_DECIMALS}) AS {key}")
    return f"""WITH a AS {tambon_areas_sql(level)}, s AS ({stack}),
               t AS (SELECT a.area, s.k, sum(s.num) AS num, sum(s.den) AS den
                     FROM s JOIN a ON a.tambon_pcode = s.pcode GROUP BY ALL)
               SELECT areas.area AS pcode, {", ".join(values)}
               FROM (SELECT DISTINCT area FROM a) areas LEFT JOIN t ON t.area = areas.area
               GROUP BY areas.area"""


def _indicator_resolver(spec: LayerSpec, con, level: str | None, grouping: str) -> Resolved:
    """Every catalogue indicator defined at ``level`` as a column on that level's areas."""
    from analysis.catalogue import catalogue

    assert level is not None
    indicators = {k: i for k, i in catalogue().items() if level in i.levels}
    left_out = [k for k in catalogue() if k not in indicators]
    # an indicator named like an area column (area_km2) replaces it: same value, one column
    area_fields = [f for f in _area_fields(level) if f.name not in indicators]
    fields = list(area_fields)
    for key, ind in indicators.items():
        counts = not ind.has_denominator and ind.decimals == 0
        kind = "integer" if counts else "real"
        fields.append(
            Field(
                key,
                ind.name_th,
                ind.name_en,
                kind,
                ind.unit_th,
                ind.unit_en,
                ind.definition_en,
                description_th=ind.definition_th,
                count=counts,
            )
        )
    demo_fed = any(ind.demo_fed for ind in indicators.values())
    keep = ", ".join(f"a.{f.name}" for f in area_fields)
    select_ind = "".join(f", v.{k}" for k in indicators)
    joined = ""
    if indicators:
        joined = f"LEFT JOIN ({indicator_values_sql(level, indicators)}) v ON v.pcode = a.pcode"
    sql = f"SELECT {keep}, a.geom{select_ind} FROM ({_AREA_SQL[level]}) a {joined}"
    th, en = LEVEL_NAMES[level]
    notes = list(spec.notes)
    if left_out:
        notes.append(f"Indicators not defined at {level} level are left out: {', '.join(left_out)}")
    return Resolved(
        spec=spec,
        sql=sql,
        fields=tuple(fields),
        level=level,
        grouping=grouping,
        title_th=f"ตัวชี้วัดระดับ{th}",
        title_en=f"Indicators by {en.lower()}",
        description_th=spec.description_th,
        description_en=spec.description_en,
        geometry_type="MultiPolygon",
        area_column="pcode",
        area_kind=_AREA_KIND[level],
        sources=_sources_for(level) + ("villages",) + (("demo",) if demo_fed else ()),
        demo_possible=demo_fed,
        # the indicator join keeps one row per area: count the areas alone
        count_sql=_AREA_SQL[level],
        notes=tuple(notes),
    )


register_layer(
    LayerSpec(
        key="boundaries",
        title_th="ขอบเขตการปกครอง",
        title_en="Administrative boundaries",
        description_th="ขอบเขตตำบล อำเภอ จังหวัด และกลุ่มจังหวัด/ภาคตามชุดการจัดกลุ่มที่เลือก "
        "จากข้อมูล COD-AB ของ OCHA",
        description_en="Tambon, amphoe and province boundaries (OCHA COD-AB), and province "
        "clusters and regions of the chosen grouping dissolved from them",
        sources=("cod_ab",),
        levels=AREA_LEVELS,
        default_level="tambon",
        resolver=_boundary_resolver,
        geometry_type="MultiPolygon",
        area_column="pcode",
        public=True,
    )
)

register_layer(
    LayerSpec(
        key="indicators",
        title_th="ตัวชี้วัดรายพื้นที่",
        title_en="Indicators by area",
        description_th="ตัวชี้วัดทุกตัวในแคตตาล็อกเป็นคอลัมน์บนขอบเขตของระดับที่เลือก (ค่าระดับบนรวมจากตำบลภายใน)",
        description_en="Every catalogue indicator as a column on the areas of the chosen level "
        "(higher levels aggregate the tambons inside them)",
        sources=("cod_ab",),
        levels=AREA_LEVELS,
        default_level="tambon",
        resolver=_indicator_resolver,
        geometry_type="MultiPolygon",
        area_column="pcode",
        public=True,
    )
)


# --- reference points -------------------------------------------------------------------

register_layer(
    LayerSpec(
        key="villages",
        title_th="หมู่บ้าน (2555)",
        title_en="Villages (2012)",
        description_th="จุดที่ตั้งหมู่บ้านปี 2555 พร้อมรหัสตำบลปัจจุบันที่จับคู่ได้",
        description_en="2012 village points with the current tambon they were reconciled to",
        sources=("villages", "cod_ab"),
        sql="""SELECT v.id, v.name, v.tambon_pcode, t.name_th AS tambon_th,
                  t.province_pcode, v.match_status, v.geom
           FROM village v LEFT JOIN tambon t ON t.pcode = v.tambon_pcode""",
        fields=(
            Field("id", "รหัสหมู่บ้าน (2555)", "Village id (2012)", "integer"),
            Field("name", "ชื่อหมู่บ้าน", "Village name"),
            Field("tambon_pcode", "รหัสตำบล", "Tambon P-code"),
            Field("tambon_th", "ชื่อตำบล", "Tambon name (Thai)"),
            Field("province_pcode", "รหัสจังหวัด", "Province P-code"),
            Field(
                "match_status",
                "ผลการจับคู่ตำบล",
                "Tambon match status",
                description_en="agree | name_only | space_only | disagree | unmatched",
            ),
        ),
        geometry_type="Point",
        area_column="tambon_pcode",
        order_by="id",
        requires=("village",),
        public=True,
    )
)


# --- community layers (schema 0003) ----------------------------------------------------------

ORG_STATUS = vocab.ORG_STATUS
ORG_TYPES = vocab.ORG_TYPES
PROJECT_STAGES = vocab.PROJECT_STAGES
TENURE_STATUS = vocab.TENURE
LANDOWNER = vocab.LANDOWNERS

_TAMBON_FIELDS = (
    Field("tambon_pcode", "รหัสตำบล", "Tambon P-code"),
    Field("tambon_th", "ชื่อตำบล", "Tambon name (Thai)"),
    Field("province_th", "ชื่อจังหวัด", "Province name (Thai)"),
)
_LOCATION = Field(
    "location_source",
    "ที่มาของตำแหน่ง",
    "Location source",
    description_en="recorded = the record's own location; tambon = a point inside "
    "its tambon (the record has no location)",
)
_DEMO = Field("is_demo", "ข้อมูลสาธิต", "Demo record", "boolean")


def _community_sql(table: str, columns: str, point_only: bool = True) -> str:
    """Rows of a community table with tambon names; a row without a location gets a point
    inside its tambon, and says so in ``location_source``."""
    fallback = "ST_PointOnSurface(t.geom)"
    return f"""SELECT {columns}, x.tambon_pcode, t.name_th AS tambon_th,
                      p.name_th AS province_th,
                      CASE WHEN x.geom IS NULL THEN 'tambon' ELSE 'recorded' END
                          AS location_source,
                      x.is_demo, coalesce(x.geom, {fallback}) AS geom
               FROM {table} x LEFT JOIN tambon t ON t.pcode = x.tambon_pcode
               LEFT JOIN province p ON p.pcode = t.province_pcode"""


register_layer(
    LayerSpec(
        key="organizations",
        title_th="องค์กรชุมชน",
        title_en="Community organizations",
        description_th="กลุ่มและองค์กรชุมชนที่ผู้ประสานงานนำเข้า (ไม่รวมชื่อประธานและข้อมูลติดต่อ)",
        description_en="Community groups and organizations imported by coordinators (without the "
        "chair's name or any contact details)",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "community_org",
            f"""x.id, x.name, x.org_type,
        {label_sql("x.org_type", ORG_TYPES, 0)} AS org_type_th, x.members, x.capital_baht,
        x.products, x.registered_date, x.status, x.village_name""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อองค์กร", "Name"),
            Field("org_type", "ประเภท (รหัส)", "Type code"),
            Field("org_type_th", "ประเภท", "Type (Thai)"),
            Field("members", "จำนวนสมาชิก", "Members", "integer", "คน", "persons", count=True),
            Field("capital_baht", "ทุน", "Capital", "real", "บาท", "THB"),
            Field("products", "ผลิตภัณฑ์", "Products"),
            Field("registered_date", "วันที่จดทะเบียน", "Registered on", "date"),
            Field("status", "สถานะ", "Status", labels=ORG_STATUS),
            Field("village_name", "หมู่บ้าน", "Village"),
            *_TAMBON_FIELDS,
            _LOCATION,
            _DEMO,
        ),
        status_column="status",
        statuses=ORG_STATUS,
        date_column="registered_date",
        demo_column="is_demo",
        order_by="id",
        requires=("community_org",),
        notes=("The chair's name is personal data and is not exported.",),
    )
)

register_layer(
    LayerSpec(
        key="councils",
        title_th="สภาองค์กรชุมชนตำบล",
        title_en="Tambon community councils",
        description_th="สภาองค์กรชุมชนตำบล วันที่จัดตั้ง และจำนวนองค์กรสมาชิก",
        description_en="Tambon community councils, when they were established and their member "
        "organizations",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "tambon_council", "x.id, x.name, x.established_date, x.member_orgs, x.status"
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อสภา", "Name"),
            Field("established_date", "วันที่จัดตั้ง", "Established on", "date"),
            Field(
                "member_orgs",
                "องค์กรสมาชิก",
                "Member organizations",
                "integer",
                "องค์กร",
                "organizations",
            ),
            Field("status", "สถานะ", "Status", labels=ORG_STATUS),
            *_TAMBON_FIELDS,
            _LOCATION,
            _DEMO,
        ),
        status_column="status",
        statuses=ORG_STATUS,
        date_column="established_date",
        demo_column="is_demo",
        order_by="id",
        requires=("tambon_council",),
    )
)

register_layer(
    LayerSpec(
        key="projects",
        title_th="โครงการบ้านมั่นคง",
        title_en="Baan Mankong projects",
        description_th="โครงการบ้านมั่นคง ขั้นตอน จำนวนชุมชนและครัวเรือน งบอุดหนุนและสินเชื่อ",
        description_en="Baan Mankong (secure housing) projects: stage, communities, households, "
        "subsidy and loan",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "baan_mankong_project",
            f"""x.id, x.name, x.stage,
        {label_sql("x.stage", PROJECT_STAGES, 0)} AS stage_th, x.communities, x.households,
        x.project_type, x.landowner_type, x.land_arrangement, x.subsidy_baht, x.loan_baht,
        x.start_date, x.completion_date""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("name", "ชื่อโครงการ", "Name"),
            Field("stage", "ขั้นตอน (รหัส)", "Stage code"),
            Field("stage_th", "ขั้นตอน", "Stage (Thai)"),
            Field("communities", "จำนวนชุมชน", "Communities", "integer", "ชุมชน", "communities"),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field("project_type", "ลักษณะโครงการ", "Project type", labels=vocab.PROJECT_TYPES),
            Field("landowner_type", "เจ้าของที่ดิน", "Landowner type", labels=LANDOWNER),
            Field(
                "land_arrangement",
                "รูปแบบการถือครองที่ดิน",
                "Land arrangement",
                labels=vocab.LAND_ARRANGEMENTS,
            ),
            Field("subsidy_baht", "งบอุดหนุน", "Subsidy", "real", "บาท", "THB"),
            Field("loan_baht", "สินเชื่อ", "Loan", "real", "บาท", "THB"),
            Field("start_date", "วันที่เริ่ม", "Started on", "date"),
            Field("completion_date", "วันที่แล้วเสร็จ", "Completed on", "date"),
            *_TAMBON_FIELDS,
            _LOCATION,
            _DEMO,
        ),
        geometry_type="Geometry",
        status_column="stage",
        statuses=PROJECT_STAGES,
        date_column="start_date",
        demo_column="is_demo",
        order_by="id",
        requires=("baan_mankong_project",),
    )
)

register_layer(
    LayerSpec(
        key="land_cases",
        title_th="กรณีปัญหาที่ดิน",
        title_en="Land cases",
        description_th="ชุมชนที่มีปัญหาความมั่นคงในที่ดิน เจ้าของที่ดิน และสถานะการถือครอง",
        description_en="Communities with land tenure problems: landowner and tenure status",
        sources=("codi", "cod_ab"),
        sql=_community_sql(
            "land_case",
            f"""x.id, x.community, x.households, x.area_rai,
        x.landowner_type, {label_sql("x.landowner_type", LANDOWNER, 0)} AS landowner_th,
        x.tenure_status, {label_sql("x.tenure_status", TENURE_STATUS, 0)} AS tenure_status_th,
        CAST(x.imported_at AS DATE) AS imported_on""",
        ),
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            Field("community", "ชุมชน", "Community"),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field("area_rai", "เนื้อที่", "Area", "real", "ไร่", "rai"),
            Field("landowner_type", "เจ้าของที่ดิน (รหัส)", "Landowner code"),
            Field("landowner_th", "เจ้าของที่ดิน", "Landowner (Thai)"),
            Field("tenure_status", "สถานะการถือครอง (รหัส)", "Tenure status code"),
            Field("tenure_status_th", "สถานะการถือครอง", "Tenure status (Thai)"),
            Field("imported_on", "วันที่นำเข้า", "Imported on", "date"),
            *_TAMBON_FIELDS,
            _LOCATION,
            _DEMO,
        ),
        geometry_type="Geometry",
        status_column="tenure_status",
        statuses=TENURE_STATUS,
        date_column="imported_on",
        demo_column="is_demo",
        order_by="id",
        requires=("land_case",),
    )
)


# --- need reports (schema 0004): verified only, never contacts -------------------------------

URGENCY = {"low": ("น้อย", "Low"), "medium": ("ปานกลาง", "Medium"), "high": ("สูง", "High")}

register_layer(
    LayerSpec(
        key="need_reports",
        title_th="ความเดือดร้อนด้านที่อยู่อาศัย (ตรวจสอบแล้ว)",
        title_en="Housing need reports (verified)",
        description_th="พื้นที่ความเดือดร้อนด้านที่อยู่อาศัยที่สมาชิกแจ้งและผู้ประสานงานตรวจสอบแล้ว "
        "ไม่มีข้อมูลติดต่อ ไม่มีชื่อชุมชนและข้อความบรรยายที่สมาชิกพิมพ์เว้นแต่ขอ",
        description_en="Housing need marked by community members and verified by coordinators; "
        "never contact details; what members typed (community name, description) only on "
        "request",
        sources=("members", "cod_ab"),
        sql="""SELECT r.id, r.community_name, r.households, array_to_string(r.problems, ';')
                  AS problems, r.landowner, r.urgency, r.area_m2,
                  CAST(r.created_at AS DATE) AS reported_on, r.description,
                  r.tambon_pcode, t.name_th AS tambon_th, p.name_th AS province_th,
                  r.is_demo, r.status, r.geom
           FROM need_report r LEFT JOIN tambon t ON t.pcode = r.tambon_pcode
           LEFT JOIN province p ON p.pcode = t.province_pcode
           WHERE r.status = 'verified'""",
        fields=(
            Field("id", "รหัส", "ID", "integer"),
            # typed by the member: free text (left out unless asked for, masked even then)
            Field("community_name", "ชุมชน", "Community", free_text=True),
            Field(
                "households",
                "จำนวนครัวเรือน",
                "Households",
                "integer",
                "ครัวเรือน",
                "households",
                count=True,
            ),
            Field(
                "problems",
                "ปัญหา",
                "Problems",
                description_en="';'-separated: eviction, insecure_tenure, dilapidated, "
                "disaster_risk, rent, other",
                labels=NEED_PROBLEMS,
                multi=True,
            ),
            Field("landowner", "เจ้าของที่ดิน", "Landowner", labels=NEED_LANDOWNERS),
            Field("urgency", "ความเร่งด่วน", "Urgency", labels=NEED_URGENCIES),
            Field("area_m2", "พื้นที่", "Area", "real", "ตร.ม.", "m²"),
            Field("reported_on", "วันที่แจ้ง", "Reported on", "date"),
            Field("description", "รายละเอียด", "Description", free_text=True),
            *_TAMBON_FIELDS,
            _DEMO,
        ),
        geometry_type="Geometry",
        date_column="reported_on",
        demo_column="is_demo",
        suppress_area_column="tambon_pcode",
        order_by="id",
        requires=("need_report",),
        notes=(
            "Only verified reports; contact details, receipts and accounts are never exported.",
        ),
    )
)


def with_fields(resolved: Resolved, fields: tuple[Field, ...]) -> Resolved:
    """The same resolved layer with another field list (used by the privacy options)."""
    return replace(resolved, fields=fields)
