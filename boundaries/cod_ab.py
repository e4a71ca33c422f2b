"""Read OCHA COD-AB administrative boundary files for Thailand.

Any format GDAL reads works (zipped or plain shapefile, GeoPackage, GeoJSON). The level of
a file is told by its columns: the deepest ``ADM{n}_PCODE`` present (1 province, 2 amphoe,
3 tambon). Text is read as UTF-8, because the published shapefiles carry no ``.cpg`` and
GDAL would otherwise decode Thai names as Latin-1.

The tambon file is required. Amphoe and province shapes are dissolved from tambons so the
levels nest exactly; the amphoe and province files, when present, are kept as
``source_geom`` and their P-codes and names are checked against the tambon file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod

from data.errors import BoundaryFileError

LEVELS = {1: "province", 2: "amphoe", 3: "tambon"}
PCODE_PATTERN = {1: r"TH\d{2}", 2: r"TH\d{4}", 3: r"TH\d{6}"}
READABLE_SUFFIXES = (".zip", ".shp", ".gpkg", ".geojson", ".json", ".fgb")
_ADM_PCODE = re.compile(r"^ADM([0-3])_PCODE$", re.IGNORECASE)
_GEOD = Geod(ellps="WGS84")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def required_columns(level: int) -> list[str]:
    """Columns a file of ``level`` must have: its own and its parents' P-codes and names."""
    cols = []
    for n in range(level, 0, -1):
        cols += [f"ADM{n}_PCODE", f"ADM{n}_TH", f"ADM{n}_EN"]
    return cols


@dataclass
class BoundaryLayer:
    """One level read from one file, checked and repaired."""

    level: int
    path: Path
    frame: gpd.GeoDataFrame
    repaired: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return LEVELS[self.level]


def detect_level(columns: list[str], path: Path) -> int:
    levels = [int(m.group(1)) for c in columns if (m := _ADM_PCODE.match(c))]
    levels = [n for n in levels if n >= 1]
    if not levels:
        raise BoundaryFileError(
            f"{path.name}: no ADM1_PCODE, ADM2_PCODE or ADM3_PCODE column; "
            "is this an OCHA COD-AB boundary file?",
            message_th=f"{path.name}: ไม่มีคอลัมน์ ADM1_PCODE/ADM2_PCODE/ADM3_PCODE",
        )
    return max(levels)


def _columns(path: Path) -> list[str]:
    try:
        info = pyogrio.read_info(path, encoding="utf-8")
    except Exception as exc:  # GDAL raises several types; all mean "cannot read"
        raise BoundaryFileError(
            f"{path.name}: cannot be read as a GIS file ({_short(exc)})",
            message_th=f"{path.name}: อ่านไฟล์ไม่ได้ ({_short(exc)})",
        ) from exc
    return [str(c) for c in info["fields"]]


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def scan_directory(directory: Path) -> dict[int, Path]:
    """Map each level to the one file holding it. Refuses unreadable or foreign files."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BoundaryFileError(
            f"boundary directory {directory} does not exist",
            message_th=f"ไม่พบโฟลเดอร์ขอบเขตการปกครอง {directory}",
        )
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in READABLE_SUFFIXES)
    found: dict[int, Path] = {}
    for path in files:
        level = detect_level(_columns(path), path)
        if level in found:
            raise BoundaryFileError(
                f"two files hold level ADM{level}: {found[level].name} and {path.name}; "
                "keep one per level in the directory"
            )
        found[level] = path
    if 3 not in found:
        raise BoundaryFileError(
            f"{directory}: no tambon file (a file with an ADM3_PCODE column)",
            message_th=f"{directory}: ไม่พบไฟล์ตำบล (คอลัมน์ ADM3_PCODE)",
        )
    return found


def read_layer(path: Path, level: int | None = None) -> BoundaryLayer:
    """Read one boundary file, check columns, text, P-codes and geometry."""
    path = Path(path)
    columns = _columns(path)
    level = level or detect_level(columns, path)
    upper = {c.upper(): c for c in columns}
    missing = [c for c in required_columns(level) if c not in upper]
    if missing:
        raise BoundaryFileError(
            f"{path.name}: missing required column {missing[0]}"
            + (f" (and {', '.join(missing[1:])})" if len(missing) > 1 else ""),
            message_th=f"{path.name}: ไม่มีคอลัมน์ที่จำเป็น {', '.join(missing)}",
        )
    try:
        frame = pyogrio.read_dataframe(
            path, encoding="utf-8", columns=[upper[c] for c in required_columns(level)]
        )
    except UnicodeDecodeError as exc:
        column = _first_non_utf8_column(path, [upper[c] for c in required_columns(level)])
        raise BoundaryFileError(
            f"{path.name}: column {column} is not UTF-8 text (TIS-620/cp874 perhaps); "
            "convert the file to UTF-8 (ogr2ogr -lco ENCODING=UTF-8) and try again",
            message_th=f"{path.name}: คอลัมน์ {column} ไม่ใช่ข้อความ UTF-8 กรุณาแปลงไฟล์เป็น UTF-8",
        ) from exc
    except Exception as exc:
        raise BoundaryFileError(
            f"{path.name}: cannot be read ({_short(exc)})",
            message_th=f"{path.name}: อ่านไฟล์ไม่ได้ ({_short(exc)})",
        ) from exc
    frame = frame.rename(columns={upper[c]: c for c in required_columns(level)})
    layer = BoundaryLayer(level=level, path=path, frame=frame)
    _check_crs(layer)
    _check_text(layer)
    _check_pcodes(layer)
    _repair_geometry(layer)
    return layer


def _first_non_utf8_column(path: Path, columns: list[str]) -> str:
    """Name the first text column whose bytes are not UTF-8 (read raw as Latin-1 to see them)."""
    raw = pyogrio.read_dataframe(path, encoding="latin1", columns=columns, read_geometry=False)
    for column in columns:
        for value in raw[column].dropna().astype(str):
            try:
                value.encode("latin1").decode("utf-8")
            except UnicodeError:
                return column
    return "?"


def _check_crs(layer: BoundaryLayer) -> None:
    crs = layer.frame.crs
    if crs is None:
        layer.notes.append("no CRS given; assumed EPSG:4326")
        layer.frame = layer.frame.set_crs(4326)
    elif not crs.equals("EPSG:4326"):
        layer.notes.append(f"reprojected from {crs.to_string()} to EPSG:4326")
        layer.frame = layer.frame.to_crs(4326)


def _clean_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _check_text(layer: BoundaryLayer) -> None:
    df, n = layer.frame, layer.level
    for col in required_columns(n):
        if not col.endswith("_PCODE"):
            df[col] = df[col].map(_clean_text)
    th = df[f"ADM{n}_TH"]
    garbled = th.str.contains("\ufffd", regex=False) | ~th.map(lambda s: bool(_THAI.search(s)))
    if garbled.mean() > 0.05:
        sample = th[garbled].iloc[0] if garbled.any() else ""
        raise BoundaryFileError(
            f"{layer.path.name}: column ADM{n}_TH is not UTF-8 Thai text "
            f"({int(garbled.sum())} of {len(df)} names, e.g. {sample!r}); "
            "convert the file to UTF-8 (ogr2ogr -lco ENCODING=UTF-8) and try again",
            message_th=f"{layer.path.name}: คอลัมน์ ADM{n}_TH ไม่ใช่ข้อความภาษาไทยแบบ UTF-8",
        )


def _check_pcodes(layer: BoundaryLayer) -> None:
    df, n, name = layer.frame, layer.level, layer.path.name
    for k in range(n, 0, -1):
        col = f"ADM{k}_PCODE"
        df[col] = df[col].map(_clean_text).str.upper()
        bad = ~df[col].str.fullmatch(PCODE_PATTERN[k])
        if bad.any():
            raise BoundaryFileError(
                f"{name}: column {col} has {int(bad.sum())} malformed P-codes, "
                f"e.g. {df.loc[bad, col].iloc[0]!r} (expected {PCODE_PATTERN[k]})",
                message_th=f"{name}: รหัส P-code ในคอลัมน์ {col} ไม่ถูกรูปแบบ",
            )
        if k < n:
            wrong = df[f"ADM{n}_PCODE"].str[: 2 + 2 * k] != df[col]
            if wrong.any():
                row = df[wrong].iloc[0]
                raise BoundaryFileError(
                    f"{name}: {row[f'ADM{n}_PCODE']} does not lie in its parent {col}={row[col]}",
                    message_th=f"{name}: รหัส {row[f'ADM{n}_PCODE']} ไม่อยู่ใต้ {row[col]}",
                )
    dup = df[f"ADM{n}_PCODE"].duplicated(keep=False)
    if dup.any():
        raise BoundaryFileError(
            f"{name}: P-code {df.loc[dup, f'ADM{n}_PCODE'].iloc[0]} appears "
            f"{int(dup.sum())} times; P-codes must be unique",
            message_th=f"{name}: รหัส P-code ซ้ำกัน",
        )


def _repair_geometry(layer: BoundaryLayer) -> None:
    geoms = layer.frame.geometry.values
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    if empty.any():
        raise BoundaryFileError(
            f"{layer.path.name}: {int(empty.sum())} features have no geometry, e.g. "
            f"{layer.frame.loc[empty, f'ADM{layer.level}_PCODE'].iloc[0]}"
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        polygonal = [polygonal_part(g) for g in fixed]
        geoms = geoms.copy()
        geoms[invalid] = polygonal
        layer.frame = layer.frame.set_geometry(geoms)
        layer.repaired = int(invalid.sum())
        layer.notes.append(f"{layer.repaired} invalid shapes repaired (make_valid)")


def polygonal_part(geom):
    """Keep only the polygons of a geometry (make_valid can add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def geodesic_area_km2(geoms) -> np.ndarray:
    """Area on the WGS84 ellipsoid, in km²."""
    return np.array([abs(_GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in geoms])


@dataclass
class Boundaries:
    """The three levels, nested: amphoe and provinces dissolved from tambons."""

    tambon: pd.DataFrame
    amphoe: pd.DataFrame
    province: pd.DataFrame
    sources: dict[str, BoundaryLayer]
    notes: list[str]


def _names_per_parent(df: pd.DataFrame, k: int, source: str) -> pd.DataFrame:
    names = df[[f"ADM{k}_PCODE", f"ADM{k}_TH", f"ADM{k}_EN"]].drop_duplicates()
    clash = names[f"ADM{k}_PCODE"].duplicated(keep=False)
    if clash.any():
        pcode = names.loc[clash, f"ADM{k}_PCODE"].iloc[0]
        raise BoundaryFileError(
            f"{source}: {pcode} is named differently on different rows "
            f"({', '.join(names.loc[names[f'ADM{k}_PCODE'] == pcode, f'ADM{k}_TH'])})"
        )
    return names.rename(
        columns={f"ADM{k}_PCODE": "pcode", f"ADM{k}_TH": "name_th", f"ADM{k}_EN": "name_en"}
    )


def load_boundaries(directory: Path) -> Boundaries:
    """Read and check every level in ``directory``; dissolve parents from tambons."""
    files = scan_directory(directory)
    layers = {LEVELS[n]: read_layer(p, n) for n, p in files.items()}
    t = layers["tambon"].frame
    notes = [f"{layer.path.name}: {note}" for layer in layers.values() for note in layer.notes]

    tambon = pd.DataFrame(
        {
            "pcode": t["ADM3_PCODE"],
            "amphoe_pcode": t["ADM2_PCODE"],
            "province_pcode": t["ADM1_PCODE"],
            "name_th": t["ADM3_TH"],
            "name_en": t["ADM3_EN"],
            "geom": t.geometry.values,
        }
    )
    amphoe = _names_per_parent(t, 2, layers["tambon"].path.name)
    amphoe["province_pcode"] = amphoe["pcode"].str[:4]
    province = _names_per_parent(t, 1, layers["tambon"].path.name)

    # Dissolve: the tambon file is a valid coverage, so coverage_union is exact and fast;
    # fall back to a full union for a file that is not.
    tambon_geoms = tambon["geom"].values
    use_coverage = bool(shapely.coverage_is_valid(tambon_geoms))
    if not use_coverage:
        notes.append("tambon shapes overlap or leave slivers: dissolved with a full union")
    amphoe["geom"] = _dissolve(
        tambon_geoms, tambon["amphoe_pcode"].values, amphoe["pcode"], use_coverage
    )
    province["geom"] = _dissolve(
        amphoe["geom"].values, amphoe["province_pcode"].values, province["pcode"], use_coverage
    )
    for frame in (tambon, amphoe, province):
        frame["area_km2"] = geodesic_area_km2(frame["geom"].values)

    for level, frame in (("amphoe", amphoe), ("province", province)):
        frame["source_geom"] = None
        if level in layers:
            notes += _attach_source(frame, layers[level])
    return Boundaries(
        tambon=tambon.reset_index(drop=True),
        amphoe=amphoe.reset_index(drop=True),
        province=province.reset_index(drop=True),
        sources=layers,
        notes=notes,
    )


def _dissolve(geoms, keys, order, use_coverage: bool) -> list:
    groups = pd.Series(range(len(keys))).groupby(np.asarray(keys)).indices
    union = shapely.coverage_union_all if use_coverage else shapely.union_all
    out = []
    for key in order:
        merged = union(geoms[groups[key]])
        if not merged.is_valid:
            merged = polygonal_part(shapely.make_valid(merged))
        out.append(merged)
    return out


def _attach_source(frame: pd.DataFrame, layer: BoundaryLayer) -> list[str]:
    n = layer.level
    src = layer.frame.set_index(f"ADM{n}_PCODE")
    notes = []
    extra = sorted(set(src.index) - set(frame["pcode"]))
    missing = sorted(set(frame["pcode"]) - set(src.index))
    if extra:
        raise BoundaryFileError(
            f"{layer.path.name}: {len(extra)} P-codes have no tambon in the tambon file, "
            f"e.g. {extra[0]}; the files are from different editions"
        )
    if missing:
        notes.append(
            f"{layer.path.name}: {len(missing)} {layer.name} P-codes absent, e.g. "
            f"{missing[0]}; their dissolved shapes are used alone"
        )
    frame["source_geom"] = [src.geometry.get(p) for p in frame["pcode"]]
    differ = src[f"ADM{n}_TH"].reindex(frame["pcode"]).values != frame["name_th"].values
    differ &= frame["pcode"].isin(src.index).values
    if differ.any():
        notes.append(
            f"{layer.path.name}: {int(differ.sum())} Thai names differ from the "
            "tambon file's; the tambon file's are kept"
        )
    return notes
