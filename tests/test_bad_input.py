"""Bad boundary files and bad grouping CSVs are refused clearly; the database is unchanged."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from boundaries.cod_ab import load_boundaries, scan_directory
from data.build import build
from data.errors import BoundaryFileError
from data.store import connect

from .conftest import TAMBON_ZIP


def _fingerprint(path: Path) -> tuple:
    con = connect(path, read_only=True)
    try:
        return con.execute(
            """SELECT (SELECT count(*) FROM tambon), (SELECT count(*) FROM village),
                      (SELECT sum(area_km2) FROM province),
                      (SELECT max(loaded_at) FROM boundary_source),
                      (SELECT count(*) FROM grouping_province)"""
        ).fetchone()
    finally:
        con.close()


def _with_tambon_file_replaced(tmp_path: Path, make_bad) -> Path:
    directory = tmp_path / "boundaries"
    directory.mkdir()
    make_bad(directory)
    return directory


def _zip_without_adm_columns(directory: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"NAME": ["ก"], "geometry": [Polygon([(100, 13), (101, 13), (101, 14)])]}, crs=4326
    )
    shp = directory / "shape"
    shp.mkdir()
    frame.to_file(shp / "places.shp", encoding="utf-8")
    with zipfile.ZipFile(directory / "places.zip", "w") as z:
        for f in shp.iterdir():
            z.write(f, f.name)
    shutil.rmtree(shp)


def _zip_missing_a_required_column(directory: Path) -> None:
    frame = gpd.read_file(TAMBON_ZIP, encoding="utf-8").drop(columns=["ADM3_TH"])
    frame.to_file(directory / "tambon.gpkg", driver="GPKG")


def _non_utf8_file(directory: Path) -> None:
    frame = gpd.read_file(TAMBON_ZIP, encoding="utf-8", rows=200)
    # a shapefile has no datetime field type: the date columns go as text, as in the wild
    for column in ("date", "validOn", "validTo"):
        if column in frame:
            frame[column] = frame[column].astype(str)
    frame.to_file(directory / "tambon_tis620.shp", encoding="cp874")


def _corrupt_zip(directory: Path) -> None:
    data = TAMBON_ZIP.read_bytes()
    (directory / "tha_admbnda_adm3_corrupt.zip").write_bytes(data[: len(data) // 3])


BAD = {
    "zip without ADM columns": (_zip_without_adm_columns, "ADM1_PCODE"),
    "missing ADM3_TH": (_zip_missing_a_required_column, "missing required column ADM3_TH"),
    "non-UTF-8 names": (_non_utf8_file, "not UTF-8"),
    "corrupt zip": (_corrupt_zip, "cannot be read"),
}


@pytest.mark.parametrize("label", sorted(BAD))
def test_bad_boundary_files_are_refused_naming_file_and_column(tmp_path, label):
    make, expected = BAD[label]
    directory = _with_tambon_file_replaced(tmp_path, make)
    with pytest.raises(BoundaryFileError) as err:
        load_boundaries(directory)
    assert expected in err.value.message
    assert any(p.name in err.value.message for p in directory.iterdir()), err.value.message


@pytest.mark.parametrize("label", sorted(BAD))
def test_a_refused_build_leaves_the_database_as_it_was(db_copy, tmp_path, label):
    before = _fingerprint(db_copy)
    directory = _with_tambon_file_replaced(tmp_path, BAD[label][0])
    con = connect(db_copy)
    try:
        with pytest.raises(BoundaryFileError):
            build(con, directory, None)
    finally:
        con.close()
    assert _fingerprint(db_copy) == before


def test_missing_directory_is_refused(tmp_path):
    with pytest.raises(BoundaryFileError, match="does not exist"):
        scan_directory(tmp_path / "nowhere")


def test_two_files_for_one_level_are_refused(tmp_path):
    shutil.copy(TAMBON_ZIP, tmp_path / "a.zip")
    shutil.copy(TAMBON_ZIP, tmp_path / "b.zip")
    with pytest.raises(BoundaryFileError, match="two files hold level ADM3"):
        scan_directory(tmp_path)


def test_duplicate_pcodes_are_refused(tmp_path):
    frame = gpd.read_file(TAMBON_ZIP, encoding="utf-8", rows=50)
    frame.loc[1, "ADM3_PCODE"] = frame.loc[0, "ADM3_PCODE"]
    frame.to_file(tmp_path / "tambon.gpkg", driver="GPKG")
    with pytest.raises(BoundaryFileError, match="must be unique"):
        load_boundaries(tmp_path)


def test_a_child_outside_its_parent_is_refused(tmp_path):
    frame = gpd.read_file(TAMBON_ZIP, encoding="utf-8", rows=50)
    frame.loc[3, "ADM2_PCODE"] = "TH1099"
    frame.to_file(tmp_path / "tambon.gpkg", driver="GPKG")
    with pytest.raises(BoundaryFileError, match="does not lie in its parent"):
        load_boundaries(tmp_path)


def test_geopackage_and_geojson_are_read_like_the_zip(tmp_path):
    frame = gpd.read_file(TAMBON_ZIP, encoding="utf-8", rows=300)
    frame.to_file(tmp_path / "tambon.geojson", driver="GeoJSON")
    b = load_boundaries(tmp_path)
    assert len(b.tambon) == 300
    assert b.tambon["name_th"].iloc[0] == frame["ADM3_TH"].iloc[0]
