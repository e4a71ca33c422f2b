"""The 2012 village points (หมู่บ้าน ปี 2555), clustered: 65,000 points nationally."""

from __future__ import annotations

from geo.layers import MapLayer, PopupField, Scope, register_layer


def village_rows(con, scope: Scope, user) -> object:
    """Villages inside ``scope`` with their names and the tambon the product assigns."""
    return con.execute(
        f"""SELECT ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat, v.name,
                   coalesce(t.name_th, v.tambon_name) AS tambon, v.tambon_pcode AS pcode,
                   v.amphoe_name AS amphoe, v.province_name AS province
            FROM village v LEFT JOIN tambon t ON t.pcode = v.tambon_pcode
            WHERE {scope.matches_sql("v.tambon_pcode")}
            ORDER BY v.id"""
    ).df()


register_layer(
    MapLayer(
        key="villages",
        name_th="หมู่บ้าน (ปี 2555)",
        name_en="Villages (2012)",
        kind="point",
        query=village_rows,
        popup=(
            PopupField("name", "หมู่บ้าน", "Village"),
            PopupField("tambon", "ตำบล", "Tambon"),
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
