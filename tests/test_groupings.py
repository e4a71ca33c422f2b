"""Province groupings: the default 18 clusters and 5 regions, and planner CSVs."""

from __future__ import annotations

import pytest

from boundaries.groupings import (
    DEFAULT_GROUPING,
    grouping_from_csv,
    groupings_fingerprint,
    show_grouping,
    store_grouping,
)
from boundaries.matcher import Gazetteer
from data.errors import GroupingError


@pytest.fixture(scope="module")
def gazetteer(ro_con):
    return Gazetteer.from_connection(ro_con)


@pytest.fixture(scope="module")
def default(ro_con):
    return show_grouping(ro_con, DEFAULT_GROUPING)["provinces"]


def test_each_of_77_provinces_is_in_exactly_one_of_18_clusters(default):
    pcodes = [p["pcode"] for p in default]
    assert len(pcodes) == 77 and len(set(pcodes)) == 77
    assert len({p["cluster"] for p in default}) == 18
    assert len({p["region"] for p in default}) == 5


@pytest.mark.parametrize(
    "province,cluster_no,region",
    [
        ("TH50", 1, "north"),  # เชียงใหม่
        ("TH77", 7, "central_east"),  # ประจวบคีรีขันธ์ (seed: ประจวบคีรีขันธุ์)
        ("TH46", 16, "northeast"),  # กาฬสินธุ์ (seed: กาฬสินธ์)
        ("TH10", 10, "bangkok"),  # กรุงเทพมหานคร (seed: กทม.)
        ("TH38", 14, "northeast"),  # บึงกาฬ
        ("TH94", 13, "south"),  # ปัตตานี
        ("TH24", 8, "central_east"),  # ฉะเชิงเทรา
    ],
)
def test_seed_names_resolve_to_the_right_provinces(default, province, cluster_no, region):
    row = next(p for p in default if p["pcode"] == province)
    assert row["cluster"] == f"c{cluster_no:02d}"
    assert row["region"] == region


def test_cluster_names_have_the_seed_slip_corrected(default):
    names = {p["cluster_name"] for p in default}
    assert "กลุ่มภาคตะวันออกเฉียงเหนือตอนบน 2" in names
    assert not any("เฉียงเหนือน" in n for n in names)


def test_region_sizes_follow_the_brief(ro_con):
    rows = dict(
        ro_con.execute(
            """SELECT c.region_code, count(*) FROM grouping_province gp JOIN grouping_cluster c
           ON c.grouping = gp.grouping AND c.code = gp.cluster_code
           WHERE gp.grouping = ? GROUP BY 1""",
            [DEFAULT_GROUPING],
        ).fetchall()
    )
    assert rows == {"north": 17, "central_east": 21, "bangkok": 5, "south": 14, "northeast": 20}


def test_cluster_shapes_are_dissolved_from_provinces(ro_con):
    diff = ro_con.execute(
        """SELECT max(abs(c.area_km2 - s.area)) FROM grouping_cluster c JOIN
             (SELECT gp.cluster_code, sum(p.area_km2) AS area FROM grouping_province gp
              JOIN province p ON p.pcode = gp.province_pcode WHERE gp.grouping = ? GROUP BY 1) s
           ON s.cluster_code = c.code WHERE c.grouping = ?""",
        [DEFAULT_GROUPING, DEFAULT_GROUPING],
    ).fetchone()[0]
    assert diff < 1e-6
    covered = ro_con.execute(
        """SELECT count(*) FROM province p JOIN grouping_province gp ON gp.province_pcode = p.pcode
           JOIN grouping_cluster c ON c.grouping = gp.grouping AND c.code = gp.cluster_code
           WHERE gp.grouping = ? AND ST_Covers(c.geom, ST_PointOnSurface(p.geom))""",
        [DEFAULT_GROUPING],
    ).fetchone()[0]
    assert covered == 77


def _csv_from_default(default, path, *, drop=None, duplicate_into=None, rename=None):
    lines = ["จังหวัด,กลุ่มจังหวัด,ภาค"]
    for p in default:
        if p["pcode"] == drop:
            continue
        name = rename.get(p["pcode"], p["name_th"]) if rename else p["name_th"]
        # a two-region grouping: north+northeast vs the rest
        region = "เหนือและอีสาน" if p["region"] in ("north", "northeast") else "กลางและใต้"
        lines.append(f"{name},{p['cluster_name']},{region}")
    if duplicate_into:
        pcode, cluster = duplicate_into
        name = next(p["name_th"] for p in default if p["pcode"] == pcode)
        lines.append(f"{name},{cluster},กลางและใต้")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_good_csv_is_stored_and_totals_move_with_it(con, default, gazetteer, tmp_path):
    path = _csv_from_default(default, tmp_path / "two-regions.csv")
    g = grouping_from_csv(path, gazetteer, "two-regions", {p["pcode"] for p in default})
    before = groupings_fingerprint(con)
    summary = store_grouping(con, g)
    # the pages' cache of groupings is keyed by this: another server sees the new one
    assert groupings_fingerprint(con) != before
    assert summary == {"grouping": "two-regions", "provinces": 77, "clusters": 18, "regions": 2}
    areas = con.execute(
        "SELECT name_th, area_km2 FROM grouping_region WHERE grouping = ?", ["two-regions"]
    ).fetchall()
    total = con.execute("SELECT sum(area_km2) FROM province").fetchone()[0]
    assert len(areas) == 2 and abs(sum(a for _, a in areas) - total) < 1e-6


def test_a_csv_leaving_a_province_out_is_refused(con, default, gazetteer, tmp_path):
    path = _csv_from_default(default, tmp_path / "missing.csv", drop="TH57")
    with pytest.raises(GroupingError) as err:
        grouping_from_csv(path, gazetteer, "missing", {p["pcode"] for p in default})
    reasons = [d["reason"] for d in err.value.details]
    assert any("TH57" in r and "no cluster" in r for r in reasons)
    # the planner sees which province: its name beside the code
    assert "เชียงราย (TH57)" in [d["value"] for d in err.value.details]
    assert con.execute("SELECT count(*) FROM grouping WHERE name = 'missing'").fetchone()[0] == 0


def test_a_csv_with_a_province_in_two_clusters_is_refused(default, gazetteer, tmp_path):
    path = _csv_from_default(
        default, tmp_path / "twice.csv", duplicate_into=("TH24", "กลุ่มภาคตะวันออก 2")
    )
    with pytest.raises(GroupingError) as err:
        grouping_from_csv(path, gazetteer, "twice", {p["pcode"] for p in default})
    [problem] = err.value.details
    assert problem["row"] == 79 and "already in cluster" in problem["reason"]


def test_unknown_names_are_refused_with_the_nearest_names(default, gazetteer, tmp_path):
    path = _csv_from_default(default, tmp_path / "typo.csv", rename={"TH50": "เชียงแสน"})
    with pytest.raises(GroupingError) as err:
        grouping_from_csv(path, gazetteer, "typo", {p["pcode"] for p in default})
    first = err.value.details[0]
    assert first["value"] == "เชียงแสน" and first["row"] is not None
    assert any("เชียงใหม่" in n for n in first["nearest"])


def test_a_csv_without_a_cluster_column_is_refused(gazetteer, tmp_path):
    path = tmp_path / "nocluster.csv"
    path.write_text("province,region\nเชียงใหม่,north\n", encoding="utf-8")
    with pytest.raises(GroupingError, match="missing column 'cluster'"):
        grouping_from_csv(path, gazetteer, "nocluster")


@pytest.mark.parametrize(
    "uploaded, stored",
    [
        ("กลุ่มจังหวัด 2568.csv", "กลุ่มจังหวัด 2568.csv"),  # Thai vowels and tone marks stay
        ("../../etc/passwd", "passwd.csv"),
        ("a/b/x.CSV", "x.csv"),
        ("", "grouping.csv"),
        (".csv", "grouping.csv"),
        ("a\x00b;rm -rf.csv", "a_b_rm -rf.csv"),
    ],
)
def test_an_uploaded_grouping_keeps_its_own_safe_name(uploaded, stored):
    from ui.grouping_upload import upload_file_name

    assert upload_file_name(uploaded) == stored
