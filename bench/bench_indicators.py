"""Every catalogue indicator for all 7,425 tambons, rolled up to every level (issue 6).

Target: under 1 s after the database is open (``analysis.rollup.compute_all``: one DuckDB
query). Baseline, in the same run: the same computation in pandas — the tables read into
DataFrames, each indicator's tambon numerator/denominator computed with pandas, and the
roll-up to amphoe, province, cluster and region done with ``groupby``. The two results
are compared value by value before any figure is printed.

Database: ``PHANG_DB`` when it exists, else a fresh build with demo data in a temporary
directory (about a minute; not timed).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.catalogue import _FAMILY, LEVELS, catalogue  # noqa: E402
from analysis.indicators.planning import SETTLED_STAGES  # noqa: E402
from analysis.rollup import compute_all  # noqa: E402
from data.store import connect  # noqa: E402

GROUPING = "codi-18"
REPEATS = 5
STAGES = ("survey", "savings", "land_negotiation", "loan_approved", "construction", "completed")


def _load(con) -> dict[str, pd.DataFrame]:
    """The columns the indicators read, as pandas DataFrames."""
    q = lambda sql: con.execute(sql).df()  # noqa: E731
    return {
        "tambon": q("SELECT pcode, amphoe_pcode, province_pcode, area_km2 FROM tambon"),
        "village": q("SELECT tambon_pcode FROM village"),
        "org": q("SELECT tambon_pcode, org_type, status, chair FROM community_org"),
        "council": q("SELECT tambon_pcode, status FROM tambon_council"),
        "project": q("SELECT tambon_pcode, households, stage FROM baan_mankong_project"),
        "land": q("SELECT tambon_pcode, households, tenure_status FROM land_case"),
        "need": q("SELECT tambon_pcode, households, status, urgency, problems FROM need_report"),
        "areas": q(
            f"""SELECT gp.province_pcode, gp.cluster_code, gc.region_code
                FROM grouping_province gp JOIN grouping_cluster gc
                  ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code
                WHERE gp.grouping = '{GROUPING}'"""
        ),
    }


Pair = tuple[pd.Series, pd.Series | None]


def _count(frame: pd.DataFrame, mask=None) -> pd.Series:
    rows = frame if mask is None else frame[mask]
    return rows.groupby("tambon_pcode").size().astype(float)


def _sum(frame: pd.DataFrame, mask=None) -> pd.Series:
    rows = frame if mask is None else frame[mask]
    return rows.groupby("tambon_pcode")["households"].sum().astype(float)


def _pandas_indicators(f: dict[str, pd.DataFrame]) -> dict[str, Callable[[], Pair]]:
    t, org, council, proj, land, need = (
        f["tambon"],
        f["org"],
        f["council"],
        f["project"],
        f["land"],
        f["need"],
    )
    idx = pd.Index(t["pcode"])
    ones = pd.Series(1.0, index=idx)
    full = lambda s: s.reindex(idx, fill_value=0.0)  # noqa: E731
    alive = org["status"] != "dissolved"

    def ledger():
        insecure = _sum(land, land["tenure_status"] != "secure")
        secure = _sum(land, land["tenure_status"] == "secure")
        demand = full(_sum(need, need["status"] == "verified")) + full(insecure)
        supply = full(_sum(proj, proj["stage"].isin(SETTLED_STAGES))) + full(secure)
        return demand, supply

    def first_in_province(mask) -> pd.Series:
        codes = org[mask].groupby(org["tambon_pcode"].str[:4])["tambon_pcode"].min()
        return pd.Series(1.0, index=pd.Index(codes.values))

    def council_any():
        has = council[council["status"] != "dissolved"]["tambon_pcode"].unique()
        return pd.Series(1.0, index=pd.Index(has))

    amphoe_first = t.groupby("amphoe_pcode")["pcode"].transform("min") == t["pcode"]
    province_first = t.groupby("province_pcode")["pcode"].min()
    out: dict[str, Callable[[], Pair]] = {
        "area_km2": lambda: (t.set_index("pcode")["area_km2"], None),
        "villages": lambda: (_count(f["village"]), None),
        "villages_per_km2": lambda: (full(_count(f["village"])), t.set_index("pcode")["area_km2"]),
        "tambons_per_amphoe": lambda: (
            ones,
            pd.Series(amphoe_first.astype(float).values, index=idx),
        ),
        "tambons": lambda: (ones, None),
        "provinces": lambda: (pd.Series(1.0, index=pd.Index(province_first.values)), None),
        "community_orgs": lambda: (_count(org, alive), None),
        "community_orgs_per_village": lambda: (
            full(_count(org, alive)),
            full(_count(f["village"])),
        ),
        "community_orgs_per_tambon": lambda: (full(_count(org, alive)), ones),
        "council_present": lambda: (full(council_any()), ones),
        "tambons_with_council": lambda: (council_any(), None),
        "savings_groups_active": lambda: (
            _count(org, (org["org_type"] == "savings_group") & (org["status"] == "active")),
            None,
        ),
        "community_leaders": lambda: (
            _count(
                org,
                (org["status"] == "active") & org["chair"].fillna("").str.strip().ne(""),
            ),
            None,
        ),
        "provinces_with_network": lambda: (
            first_in_province((org["org_type"] == "network") & (org["status"] == "active")),
            None,
        ),
        "quality_org_tambons": lambda: (
            pd.Series(
                1.0,
                index=pd.Index(
                    np.intersect1d(
                        council[council["status"] == "active"]["tambon_pcode"].unique(),
                        org[
                            (org["status"] == "active")
                            & org["org_type"].isin(["savings_group", "welfare_fund"])
                        ]["tambon_pcode"].unique(),
                    )
                ),
            ),
            None,
        ),
        "baan_mankong_households": lambda: (_sum(proj), None),
        "baan_mankong_completed_share": lambda: (
            _sum(proj, proj["stage"] == "completed").reindex(_sum(proj).index, fill_value=0),
            _sum(proj),
        ),
        "insecure_land_households": lambda: (_sum(land, land["tenure_status"] != "secure"), None),
        "eviction_threat_households": lambda: (
            _sum(land, land["tenure_status"] == "eviction_threat"),
            None,
        ),
        "need_verified_households": lambda: (_sum(need, need["status"] == "verified"), None),
        "need_verified_reports": lambda: (_count(need, need["status"] == "verified"), None),
        "need_eviction_households": lambda: (
            _sum(
                need,
                (need["status"] == "verified")
                & need["problems"].map(lambda p: "eviction" in list(p)),
            ),
            None,
        ),
        "need_urgent_households": lambda: (
            _sum(need, (need["status"] == "verified") & (need["urgency"] == "high")),
            None,
        ),
        "housing_demand_households": lambda: (ledger()[0], None),
        "unmet_need_households": lambda: ((ledger()[0] - ledger()[1]).clip(lower=0), None),
        "need_coverage": lambda: (np.minimum(*ledger()), ledger()[0]),
    }
    for stage in STAGES:
        out[f"baan_mankong_households_{stage}"] = lambda s=stage: (
            _sum(proj, proj["stage"] == s),
            None,
        )
    return out


def pandas_compute_all(frames: dict[str, pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """The pandas twin of ``compute_all`` for ``keys`` (all must have a pandas definition)."""
    indicators = catalogue()
    defs = _pandas_indicators(frames)
    t = frames["tambon"].merge(frames["areas"], on="province_pcode")
    t = t.rename(
        columns={
            "pcode": "tambon",
            "amphoe_pcode": "amphoe",
            "province_pcode": "province",
            "cluster_code": "cluster",
            "region_code": "region",
        }
    ).set_index("tambon")
    parts = []
    for key in keys:
        ind = indicators[key]
        num, den = defs[key]()
        base = pd.DataFrame({"num": num.reindex(t.index, fill_value=0.0)})
        base["den"] = den.reindex(t.index, fill_value=0.0) if den is not None else 0.0
        for level in ind.levels:
            if level == "tambon":
                rolled = base.copy()
            else:
                rolled = base.groupby(t[level]).sum()
            rolled.index.name = "pcode"
            rolled = rolled.reset_index()
            if ind.has_denominator:
                rolled["value"] = (
                    ind.scale * rolled["num"] / rolled["den"].where(rolled["den"] != 0)
                )
            else:
                rolled["den"] = np.nan
                rolled["value"] = ind.scale * rolled["num"]
            rolled["level"], rolled["key"] = level, key
            parts.append(rolled)
    return pd.concat(parts, ignore_index=True)


def _check_same(a: pd.DataFrame, b: pd.DataFrame) -> int:
    left = a.set_index(["level", "key", "pcode"])["value"].astype(float)
    right = b.set_index(["level", "key", "pcode"])["value"].astype(float)
    assert sorted(left.index) == sorted(right.index), "the two results cover different areas"
    right = right.reindex(left.index)
    same = np.isclose(left.values, right.values, equal_nan=True, rtol=1e-9, atol=1e-9)
    bad = left.index[~same]
    assert same.all(), f"DuckDB and pandas differ on {list(bad[:5])}"
    return len(left)


CPU: dict[str, float] = {}
SPREAD: dict[str, tuple[float, float]] = {}


def _timed(fn, repeats: int = REPEATS, label: str = "") -> tuple[float, object]:
    """Median wall time of ``fn`` (and, under ``label`` in ``CPU``, its median CPU time:
    on a shared, loaded machine the CPU seconds show the work when the wall clock waits)."""
    times, cpu, result = [], [], None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    if label:
        CPU[label] = statistics.median(cpu)
        SPREAD[label] = (min(times), max(times))
    return statistics.median(times), result


def _database(tmp: str) -> Path:
    env = os.environ.get("PHANG_DB")
    if env and Path(env).exists():
        return Path(env)
    from data.build import build
    from data.settings import boundaries_dir, villages_file

    path = Path(tmp) / "bench.duckdb"
    print("building a database with demo data (not timed)...", flush=True)
    con = connect(path)
    try:
        build(con, boundaries_dir(), villages_file(), options={"demo": True})
    finally:
        con.close()
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _database(tmp)
        con = connect(path, read_only=True)
        try:
            con.execute("SET enable_progress_bar = false")
            everything = list(catalogue())
            frames = _load(con)
            twins = [k for k in everything if k in _pandas_indicators(frames)]
            missing = sorted(set(everything) - set(twins))
            compute_all(con, GROUPING)  # warm-up: the first query plans and loads columns
            t_all, result = _timed(lambda: compute_all(con, GROUPING), label="all")
            plan_keys = [k for k in everything if _FAMILY.get(k) == "analysis.indicators.plans"]
            t_plans, _ = _timed(lambda: compute_all(con, GROUPING, plan_keys), label="plans")
            spread = SPREAD["all"]
            t_duck, duck = _timed(lambda: compute_all(con, GROUPING, twins), label="duck")
            t_load, frames = _timed(lambda: _load(con), repeats=3)
            t_pandas, pand = _timed(lambda: pandas_compute_all(frames, twins), label="pandas")
            compared = _check_same(duck, pand)
        finally:
            con.close()
    tambons = int(frames["tambon"].shape[0])
    print(
        f"every catalogue indicator ({len(everything)}) for {tambons:,} tambons at every level "
        f"({', '.join(LEVELS)}), grouping {GROUPING}: {t_all:.3f} s "
        f"(median of {REPEATS}; target < 1 s; {CPU['all']:.3f} CPU-s) — {len(result):,} values"
    )
    print(
        f"  spread over {REPEATS} runs: {spread[0]:.3f}-{spread[1]:.3f} s; of which the "
        f"{len(plan_keys)} plan indicators (migration 0011: {', '.join(plan_keys)}) alone: "
        f"{t_plans:.3f} s ({CPU['plans']:.3f} CPU-s)"
    )
    print(
        f"DuckDB, the {len(twins)} indicators with a pandas twin: {t_duck:.3f} s "
        f"({CPU['duck']:.3f} CPU-s)"
    )
    print(
        f"pandas, the same {len(twins)} indicators: {t_pandas:.3f} s "
        f"({CPU['pandas']:.3f} CPU-s; + {t_load:.3f} s to read the tables into DataFrames)"
    )
    print(
        f"ratio pandas / DuckDB: {t_pandas / t_duck:.1f}x wall "
        f"({(t_pandas + t_load) / t_duck:.1f}x counting the read; "
        f"{CPU['pandas'] / CPU['duck']:.1f}x in CPU seconds)"
    )
    print(f"values compared and equal: {compared:,}")
    if missing:
        print(f"indicators without a pandas twin (DuckDB only): {', '.join(missing)}")
    print(f"target met: {'yes' if t_all < 1.0 else 'NO'} ({os.getloadavg()[0]:.1f} load average)")


if __name__ == "__main__":
    main()
