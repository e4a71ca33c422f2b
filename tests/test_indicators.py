"""The indicator catalogue: values on a hand-computed fixture, consistency between levels on
the real built database, and totals that move when the grouping changes."""

from __future__ import annotations

import math

import pytest

from analysis.catalogue import catalogue, compute
from analysis.rollup import compute_all
from tests.planning_fixture import EXPECTED, make_fixture


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    con = make_fixture(tmp_path_factory.mktemp("fx") / "fx.duckdb")
    yield con
    con.close()


@pytest.mark.parametrize(("key", "level", "area", "grouping", "expected"), EXPECTED)
def test_indicator_values_on_the_fixture(fx, key, level, area, grouping, expected):
    frame = compute(fx, key, level, grouping).set_index("pcode")
    assert frame.loc[area, "value"] == pytest.approx(expected)


def test_compute_all_agrees_with_compute_for_every_indicator(fx):
    together = compute_all(fx, "fx")
    for key, ind in catalogue().items():
        for level in ind.levels:
            one = compute(fx, key, level, "fx").set_index("pcode")["value"]
            both = together[(together["key"] == key) & (together["level"] == level)]
            both = both.set_index("pcode")["value"]
            assert sorted(one.index) == sorted(both.index), (key, level)
            for code, value in one.items():
                other = both[code]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    assert other is None or math.isnan(other), (key, level, code)
                else:
                    assert other == pytest.approx(value), (key, level, code)


def test_indicators_outside_their_levels_are_not_reported(fx):
    frame = compute_all(fx, "fx", ["provinces_with_network"])
    assert set(frame["level"]) == {"region", "cluster", "province"}


def test_areas_without_records_show_zero_not_missing(fx):
    frame = compute(fx, "unmet_need_households", "tambon", "fx").set_index("pcode")
    assert frame.loc["TH100201", "value"] == 0


def test_ratio_without_denominator_is_no_data(fx):
    # TH100201 has no need at all: its coverage is undefined, not 0 % or 100 %
    frame = compute(fx, "need_coverage", "tambon", "fx").set_index("pcode")
    assert math.isnan(frame.loc["TH100201", "value"])


def test_every_catalogue_entry_is_documented():
    for key, ind in catalogue().items():
        assert ind.name_th and ind.name_en and ind.definition_th and ind.definition_en, key
        assert ind.unit_th and ind.unit_en, key


def test_changing_the_grouping_moves_province_totals(fx):
    a = compute(fx, "unmet_need_households", "cluster", "fx").set_index("pcode")["value"]
    b = compute(fx, "unmet_need_households", "cluster", "fx2").set_index("pcode")["value"]
    # TH20 (60 households of unmet need) moves from c1 to c2; the country total stays
    assert a["c1"] - b["c1"] == 60
    assert b["c2"] - a["c2"] == 60
    assert a.sum() == b.sum() == 135


def test_real_database_levels_add_up(ro_con):
    """Every additive numerator sums from tambons to amphoe, province, cluster and region."""
    frame = compute_all(ro_con, "codi-18")
    sums = frame.groupby(["key", "level"])[["num", "den"]].sum()
    for key, ind in catalogue().items():
        lowest = "tambon" if "tambon" in ind.levels else ind.levels[-1]
        base = sums.loc[(key, lowest)]
        for level in ind.levels:
            assert sums.loc[(key, level), "num"] == pytest.approx(base["num"]), (key, level)
            if ind.has_denominator:
                assert sums.loc[(key, level), "den"] == pytest.approx(base["den"]), (key, level)


def test_real_database_tambons_add_up_to_their_province_cluster_and_region(ro_con):
    key = "unmet_need_households"
    tambon = compute(ro_con, key, "tambon", "codi-18")
    tambon["province"] = tambon["pcode"].str[:4]
    by_province = tambon.groupby("province")["num"].sum()
    province = compute(ro_con, key, "province", "codi-18").set_index("pcode")["num"]
    assert (by_province.sort_index() == province.sort_index()).all()
    members = (
        ro_con.execute(
            "SELECT gp.province_pcode, gp.cluster_code, gc.region_code FROM grouping_province gp "
            "JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code "
            "WHERE gp.grouping = 'codi-18'"
        )
        .df()
        .set_index("province_pcode")
    )
    cluster = compute(ro_con, key, "cluster", "codi-18").set_index("pcode")["num"]
    region = compute(ro_con, key, "region", "codi-18").set_index("pcode")["num"]
    expected_cluster = province.groupby(members["cluster_code"]).sum()
    expected_region = province.groupby(members["region_code"]).sum()
    assert expected_cluster.sort_index().tolist() == cluster.sort_index().tolist()
    assert expected_region.sort_index().tolist() == region.sort_index().tolist()
    assert len(cluster) == 18 and len(region) == 5
    assert tambon["num"].sum() > 0  # the demo data feeds it


def test_need_ledger_never_negative_and_coverage_bounded(ro_con):
    frame = compute_all(ro_con, "codi-18", ["unmet_need_households", "need_coverage"])
    assert (frame[frame["key"] == "unmet_need_households"]["value"] >= 0).all()
    coverage = frame[frame["key"] == "need_coverage"]["value"].dropna()
    assert ((coverage >= 0) & (coverage <= 100)).all()
