"""The 2012 village points (หมู่บ้าน) as a reference layer, reconciled to today's tambons.

Each village is matched twice: by where its point lies (spatial join on the tambon shapes)
and by the tambon, amphoe and province names it carries (the name matcher). Both results
are kept with a status:

- ``agree``: both found the same tambon;
- ``disagree``: both found a tambon, but not the same one;
- ``space_only``: the point lies in a tambon but the names did not resolve;
- ``name_only``: the names resolved but the point lies in no tambon (offshore, border);
- ``unmatched``: neither.

The tambon the product uses is the spatial one, else the name one.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from data.errors import BoundaryFileError

REQUIRED = ["NAME", "TAM_NAME", "AMP_NAME", "PRV_NAME"]


def read_villages(path: Path) -> gpd.GeoDataFrame:
    """Read the village point file (shapefile, zipped or not, or any GDAL point layer)."""
    path = Path(path)
    try:
        layers = pyogrio.list_layers(path)
        layer = next((str(name) for name, kind in layers if "Point" in str(kind)), None)
        if layer is None:
            raise BoundaryFileError(
                f"{path.name}: no point layer found", message_th=f"{path.name}: ไม่พบชั้นข้อมูลจุด"
            )
        info = pyogrio.read_info(path, layer=layer, encoding="utf-8")
        missing = [c for c in REQUIRED if c not in list(info["fields"])]
        if missing:
            raise BoundaryFileError(
                f"{path.name}: missing required column {missing[0]}",
                message_th=f"{path.name}: ไม่มีคอลัมน์ {missing[0]}",
            )
        id_col = "VILL_ID" if "VILL_ID" in list(info["fields"]) else None
        frame = pyogrio.read_dataframe(
            path, layer=layer, encoding="utf-8", columns=REQUIRED + ([id_col] if id_col else [])
        )
    except BoundaryFileError:
        raise
    except Exception as exc:
        raise BoundaryFileError(
            f"{path.name}: cannot be read ({str(exc).splitlines()[0]})",
            message_th=f"{path.name}: อ่านไฟล์ไม่ได้",
        ) from exc
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    frame["id"] = frame[id_col].astype("int64") if id_col else np.arange(1, len(frame) + 1)
    if frame["id"].duplicated().any():
        frame["id"] = np.arange(1, len(frame) + 1)
    for col in REQUIRED:
        frame[col] = frame[col].fillna("").astype(str).str.strip()
    return frame


def reconcile(villages: gpd.GeoDataFrame, tambon: pd.DataFrame, gazetteer) -> pd.DataFrame:
    """Match each village to a tambon by location and by name; return one row per village."""
    geoms = villages.geometry.values
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    usable = (shapely.get_type_id(geoms) == 0) & (x >= 97) & (x <= 106) & (y >= 5) & (y <= 21)
    villages = villages[usable].reset_index(drop=True)

    tree = shapely.STRtree(tambon["geom"].values)
    point_idx, poly_idx = tree.query(villages.geometry.values, predicate="intersects")
    first = pd.Series(poly_idx, index=point_idx).groupby(level=0).first()
    spatial = pd.Series(None, index=villages.index, dtype=object)
    spatial.loc[first.index] = tambon["pcode"].values[first.values]

    triples = villages[["TAM_NAME", "AMP_NAME", "PRV_NAME"]].drop_duplicates()
    by_triple = {}
    for tam, amp, prv in triples.itertuples(index=False):
        result = gazetteer.match_parts(tambon=tam or None, amphoe=amp or None, province=prv or None)
        ok = result.pcode is not None and result.level == "tambon"
        by_triple[(tam, amp, prv)] = (result.pcode if ok else None, result.score if ok else None)
    keys = list(zip(villages["TAM_NAME"], villages["AMP_NAME"], villages["PRV_NAME"], strict=True))
    name_pcode = [by_triple[k][0] for k in keys]
    name_score = [by_triple[k][1] for k in keys]

    out = pd.DataFrame(
        {
            "id": villages["id"].values,
            "name": villages["NAME"].values,
            "tambon_name": villages["TAM_NAME"].values,
            "amphoe_name": villages["AMP_NAME"].values,
            "province_name": villages["PRV_NAME"].values,
            "wkb": shapely.to_wkb(villages.geometry.values),
            "pcode_spatial": spatial.values,
            "pcode_name": name_pcode,
            "name_score": name_score,
        }
    )
    has_s, has_n = out["pcode_spatial"].notna(), out["pcode_name"].notna()
    out["match_status"] = np.select(
        [has_s & has_n & (out["pcode_spatial"] == out["pcode_name"]), has_s & has_n, has_s, has_n],
        ["agree", "disagree", "space_only", "name_only"],
        default="unmatched",
    )
    out["tambon_pcode"] = out["pcode_spatial"].where(has_s, out["pcode_name"])
    return out


def summarize(reconciled: pd.DataFrame) -> dict:
    counts = reconciled["match_status"].value_counts().to_dict()
    return {
        "villages": len(reconciled),
        "villages_matched_spatial": int(reconciled["pcode_spatial"].notna().sum()),
        "villages_matched_name": int(reconciled["pcode_name"].notna().sum()),
        "villages_agree": int(counts.get("agree", 0)),
        "villages_disagree": int(counts.get("disagree", 0)),
        "villages_space_only": int(counts.get("space_only", 0)),
        "villages_name_only": int(counts.get("name_only", 0)),
        "villages_unmatched": int(counts.get("unmatched", 0)),
    }
