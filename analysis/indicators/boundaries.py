"""Indicators the boundaries and the 2012 villages give."""

from analysis.catalogue import Indicator, register

register(
    Indicator(
        key="area_km2",
        name_th="พื้นที่",
        name_en="Area",
        unit_th="ตร.กม.",
        unit_en="km²",
        definition_th="พื้นที่บนทรงรี WGS84 ของเขตการปกครอง",
        definition_en="Geodesic area on the WGS84 ellipsoid",
        tambon_sql="SELECT pcode, area_km2 AS num FROM tambon",
        decimals=1,
    )
)

register(
    Indicator(
        key="villages",
        name_th="จำนวนหมู่บ้าน",
        name_en="Villages",
        unit_th="หมู่บ้าน",
        unit_en="villages",
        definition_th="จำนวนหมู่บ้านปี 2555 (2012) ที่ตั้งอยู่ในพื้นที่",
        definition_en="Number of 2012 village points lying in the area",
        tambon_sql="SELECT tambon_pcode AS pcode, count(*) AS num FROM village "
        "WHERE tambon_pcode IS NOT NULL GROUP BY 1",
        decimals=0,
    )
)

register(
    Indicator(
        key="villages_per_km2",
        name_th="ความหนาแน่นหมู่บ้าน",
        name_en="Village density",
        unit_th="หมู่บ้าน/ตร.กม.",
        unit_en="villages/km²",
        definition_th="จำนวนหมู่บ้านปี 2555 หารด้วยพื้นที่ (ตร.กม.)",
        definition_en="2012 villages divided by area in km²",
        tambon_sql="SELECT t.pcode, coalesce(v.n, 0) AS num, t.area_km2 AS den FROM tambon t "
        "LEFT JOIN (SELECT tambon_pcode, count(*) AS n FROM village GROUP BY 1) v "
        "ON v.tambon_pcode = t.pcode",
        has_denominator=True,
        decimals=2,
    )
)

register(
    Indicator(
        key="tambons_per_amphoe",
        name_th="จำนวนตำบลต่ออำเภอ",
        name_en="Tambons per amphoe",
        unit_th="ตำบล/อำเภอ",
        unit_en="tambons/amphoe",
        definition_th="จำนวนตำบลหารด้วยจำนวนอำเภอในพื้นที่",
        definition_en="Number of tambons divided by number of amphoe in the area",
        # every tambon counts 1; the first tambon (lowest P-code) of each amphoe counts its amphoe
        tambon_sql="SELECT pcode, 1 AS num, CASE WHEN pcode = min(pcode) OVER "
        "(PARTITION BY amphoe_pcode) THEN 1 ELSE 0 END AS den FROM tambon",
        has_denominator=True,
        levels=("region", "cluster", "province", "amphoe"),
        decimals=1,
    )
)

register(
    Indicator(
        key="tambons",
        name_th="จำนวนตำบล",
        name_en="Tambons",
        unit_th="ตำบล",
        unit_en="tambons",
        definition_th="จำนวนตำบล/แขวงในพื้นที่",
        definition_en="Number of tambons (khwaeng in Bangkok) in the area",
        tambon_sql="SELECT pcode, 1 AS num FROM tambon",
        levels=("region", "cluster", "province", "amphoe"),
        decimals=0,
    )
)
