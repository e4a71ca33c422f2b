"""The 2012 village points (หมู่บ้าน ปี 2555), clustered: 65,000 points nationally."""

from __future__ import annotations

from geo.layer_defs.fields import TAMBON
from geo.layers import MapLayer, PopupField, register_layer

VILLAGES = """
    SELECT v.id, v.geom, v.tambon_pcode AS pcode, v.name,
           coalesce(t.name_th, v.tambon_name) AS tambon,
           v.amphoe_name AS amphoe, v.province_name AS province
    FROM village v LEFT JOIN tambon t ON t.pcode = v.tambon_pcode"""


register_layer(
    MapLayer(
        key="villages",
        name_th="หมู่บ้าน (ปี 2555)",
        name_en="Villages (2012)",
        kind="point",
        source=VILLAGES,
        # villages change only with a build (which also writes a new shapes build)
        version_sql="SELECT count(*), max(id), (SELECT max(built_at) FROM map_shape_build) "
        "FROM village",
        popup=(
            PopupField("name", "หมู่บ้าน", "Village"),
            TAMBON,
            PopupField("pcode", "รหัสตำบล", "Tambon P-code"),
            PopupField("amphoe", "อำเภอ", "Amphoe"),
            PopupField("province", "จังหวัด", "Province"),
        ),
        title_field="name",
        color="#8c510a",
        cluster=True,
        min_level="province",
        order=10,
    )
)
