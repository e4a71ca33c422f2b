"""Open export layers of places: boundaries and indicators at every level, village points.

``boundaries`` and ``indicators`` take a level (tambon, amphoe, province, and the cluster
and region of a province grouping): their resolvers build the SQL and fields for the chosen
level at export time. ``villages`` are the 2012 village points reconciled to today's
tambons. All three are public (served by the OGC API without a key).

Declared here, registered by :mod:`geo.export_layers` (in the order of :data:`LAYERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.export_registry import AREA_LEVELS, Field, LayerSpec, Resolved

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


LAYERS: tuple[LayerSpec, ...] = (
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
    ),
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
    ),
    # --- reference points -------------------------------------------------------------------
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
    ),
)
