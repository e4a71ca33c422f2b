"""The demo dataset (ข้อมูลสาธิต): community data generated on the real tambons and villages.

No public registry of community organizations, councils, Baan Mankong projects or land
cases exists, so ``python -m data build --demo`` generates one, deterministically
(``random.Random(42)`` seeds everything; inputs are read in P-code order). Every row has
``is_demo = true`` and ``source = 'demo'``, and every view and export says so.

Calibration (public figures in BRIEF.md, not seeds):

- organizations: a few per tambon on average, very unevenly (a province factor and a
  tambon factor, both log-normal), placed at real 2012 village points;
- councils: 7,800+ tambon community councils exist for ~7,400 tambons of today's map
  (councils also form in municipalities), so most tambons get one (about 88%, less in
  Bangkok's khwaeng);
- Baan Mankong: about 91,758 families in 1,554 communities in 274 cities by 2010, so ~60
  households per community; ~1,100 projects of one to a few communities, clustered in
  Bangkok and the Mueang (city) districts;
- railway land: 27,084 households in 300 communities in 35 provinces: 300 land cases on
  State Railway land in 35 provinces along the lines, some with Baan Mankong projects;
- land cases: ~2,000 communities with insecure tenure, eviction threats or disputes.

The vocabulary is in :mod:`data.demo_vocab`, the drawing on the map in
:mod:`data.demo_sampling`; this module generates and stores the tables and registers the
build step; every name stays importable from here.
"""

from __future__ import annotations

import random
import time

import numpy as np
import pandas as pd

from data.build import register_step
from data.demo_sampling import (
    _city_weight,
    _dates,
    _inside,
    _keep_in_tambon,
    _names,
    _pick_points,
    _place_word,
    _tambons,
    _villages,
)
from data.demo_vocab import (
    CASE_OWNER_P,
    CASE_TENURE_P,
    COMMUNITY_WORDS,
    FAMILY,
    GIVEN,
    LANDOWNERS,
    ORG_PREFIX,
    ORG_TYPE_LABEL,
    ORG_TYPE_P,
    ORG_TYPES,
    PRODUCTS,
    PROJECT_OWNER_P,
    PROJECT_TYPE_P,
    PROJECT_TYPES,
    RAILWAY_PROVINCES,
    STAGE_P,
    STAGES,
    TENURE,
)
from data.store import next_id, transaction

DEMO_SOURCE = "demo"
SEED = 42


def generate(con) -> dict[str, pd.DataFrame]:
    """Generate the four demo tables as frames (columns as stored, plus lon/lat)."""
    seeder = random.Random(SEED)  # noqa: S311 (demo data, not security)
    rng = np.random.default_rng(seeder.randrange(2**32))
    t = _tambons(con)
    v = _villages(con)
    n_t = len(t)
    provinces = sorted(t["province_pcode"].unique())
    province_factor = dict(zip(provinces, rng.lognormal(0.0, 0.5, len(provinces)), strict=True))
    pf = t["province_pcode"].map(province_factor).to_numpy()
    city = _city_weight(t)

    # organizations: Poisson around an uneven mean, more where there are more villages
    lam = pf * rng.lognormal(0.0, 0.6, n_t) * (0.8 + 0.25 * np.sqrt(t["villages"].to_numpy()))
    lam *= np.where(t["province_pcode"].eq("TH10"), 1.5, 1.0)
    per_tambon = rng.poisson(lam)
    org_t = np.repeat(np.arange(n_t), per_tambon)
    n_org = len(org_t)
    lon, lat, vid, vname = _pick_points(rng, org_t, t, v)
    otype = rng.choice(ORG_TYPES, size=n_org, p=ORG_TYPE_P)
    bkk = t["province_pcode"].to_numpy()[org_t] == "TH10"
    place = [
        vn if vn else f"{'แขวง' if b else 'ตำบล'}{tn}"
        for vn, tn, b in zip(vname, t["name_th"].to_numpy()[org_t], bkk, strict=True)
    ]
    org_name = [f"{ORG_PREFIX[k]}{p}" for k, p in zip(otype, place, strict=True)]
    occupational = np.isin(otype, ["occupational_group", "womens_group"])
    products = np.where(occupational, rng.choice(PRODUCTS, size=n_org), None)
    capital = np.round(rng.lognormal(11.0, 1.2, n_org), -2)
    capital = np.where(otype == "network", np.round(capital * 0.2, -2), capital)
    members = np.maximum(5, rng.lognormal(3.7, 0.7, n_org).astype(int))
    status = rng.choice(["active", "inactive", "dissolved"], size=n_org, p=[0.86, 0.11, 0.03])
    orgs = pd.DataFrame(
        {
            "source_id": [f"demo-org-{i + 1:06d}" for i in range(n_org)],
            "tambon_pcode": t["pcode"].to_numpy()[org_t],
            "village_id": pd.array(np.where(vid >= 0, vid, 0), dtype="Int64"),
            "village_name": vname,
            "name": org_name,
            "org_type": otype,
            "org_type_label": [ORG_TYPE_LABEL[k] for k in otype],
            "chair": _names(rng, n_org),
            "members": members,
            "capital_baht": capital,
            "products": products,
            "registered_date": _dates(rng, n_org, "1995-01-01", "2024-12-31"),
            "status": status,
            "lon": lon,
            "lat": lat,
        }
    )
    orgs.loc[vid < 0, "village_id"] = pd.NA
    inner_lon, inner_lat = t["lon"].to_numpy(), t["lat"].to_numpy()
    orgs["lon"], orgs["lat"] = _keep_in_tambon(
        con, orgs["tambon_pcode"].to_numpy(), lon, lat, (inner_lon[org_t], inner_lat[org_t])
    )
    # a village point outside the tambon it is filed under: the org keeps the village's name
    # but not its point (so "located at a village" stays true wherever village_id is set)
    orgs.loc[(orgs["lon"].to_numpy() != lon) | (orgs["lat"].to_numpy() != lat), "village_id"] = (
        pd.NA
    )

    # councils: most tambons, fewer in Bangkok's khwaeng
    p_council = np.where(t["province_pcode"].eq("TH10"), 0.45, 0.89)
    has_council = rng.random(n_t) < p_council
    ct = np.flatnonzero(has_council)
    councils = pd.DataFrame(
        {
            "source_id": [f"demo-council-{p}" for p in t["pcode"].to_numpy()[ct]],
            "tambon_pcode": t["pcode"].to_numpy()[ct],
            "name": [f"สภาองค์กรชุมชนตำบล{n}" for n in t["name_th"].to_numpy()[ct]],
            # the Community Organization Council Act came into force in 2008 (พ.ศ. 2551)
            "established_date": _dates(rng, len(ct), "2008-03-01", "2023-12-31"),
            "member_orgs": np.maximum(3, rng.poisson(np.maximum(per_tambon[ct], 1) * 1.4 + 4)),
            "status": rng.choice(["active", "inactive"], size=len(ct), p=[0.93, 0.07]),
            "lon": t["lon"].to_numpy()[ct],
            "lat": t["lat"].to_numpy()[ct],
        }
    )

    # land cases on railway land: 300 communities in 35 provinces, ~27,084 households
    on_line = t["province_pcode"].isin(RAILWAY_PROVINCES).to_numpy()
    rail_w = on_line * (0.2 + city)
    # one community in each of the 35 provinces first, the rest where the lines run in towns
    prov = t["province_pcode"].to_numpy()
    first = [
        rng.choice(np.flatnonzero(prov == p), p=rail_w[prov == p] / rail_w[prov == p].sum())
        for p in RAILWAY_PROVINCES
    ]
    rest = rng.choice(n_t, size=300 - len(first), p=rail_w / rail_w.sum())
    rail_t = np.concatenate([np.array(first, dtype=int), rest])
    rail_hh = rng.lognormal(np.log(70), 0.6, 300)
    rail_hh = np.maximum(8, np.round(rail_hh * 27084 / rail_hh.sum())).astype(int)
    # other land cases, spread like need: city-heavy but everywhere
    other_w = (0.3 + city) * pf
    n_other = 1700
    other_t = rng.choice(n_t, size=n_other, p=other_w / other_w.sum())
    case_t = np.concatenate([rail_t, other_t])
    n_case = len(case_t)
    owner = np.concatenate(
        [np.full(300, "state_railway"), rng.choice(LANDOWNERS, size=n_other, p=CASE_OWNER_P)]
    )
    tenure = np.concatenate(
        [
            rng.choice(TENURE, size=300, p=(0.05, 0.45, 0.40, 0.10)),
            rng.choice(TENURE, size=n_other, p=CASE_TENURE_P),
        ]
    )
    hh = np.concatenate(
        [rail_hh, np.maximum(5, rng.lognormal(np.log(45), 0.8, n_other).astype(int))]
    )
    clon, clat, _, cvname = _pick_points(rng, case_t, t, v)
    jitter = rng.normal(0, 0.004, size=(n_case, 2))
    word = rng.choice(COMMUNITY_WORDS, size=n_case)
    community = [
        f"ชุมชน{'ริมทางรถไฟ' if o == 'state_railway' else w}{_place_word(vn, t['name_th'].iat[i])}"
        for o, w, vn, i in zip(owner, word, cvname, case_t, strict=True)
    ]
    area_rai = np.round(hh * rng.uniform(0.05, 0.25, n_case), 1)
    cases = pd.DataFrame(
        {
            "source_id": [f"demo-land-{i + 1:05d}" for i in range(n_case)],
            "tambon_pcode": t["pcode"].to_numpy()[case_t],
            "community": community,
            "households": hh,
            "area_rai": area_rai,
            "landowner_type": owner,
            "tenure_status": tenure,
            # a third of the cases have a surveyed boundary: a disc of their area
            "_radius": np.where(
                rng.random(n_case) < 0.33, np.sqrt(area_rai * 1600 / np.pi) / 111_000, np.nan
            ),
            "lon": clon + jitter[:, 0],
            "lat": clat + jitter[:, 1],
        }
    )
    cases["lon"], cases["lat"] = _keep_in_tambon(
        con,
        cases["tambon_pcode"].to_numpy(),
        cases["lon"],
        cases["lat"],
        (clon, clat),
        (inner_lon[case_t], inner_lat[case_t]),
    )

    # Baan Mankong projects: ~1,100, in cities, a share on railway land (from those cases)
    n_proj_rail = 160
    rail_pick = rng.choice(300, size=n_proj_rail, replace=False)
    n_proj_other = 960
    proj_w = (0.02 + city**2) * pf
    proj_t = np.concatenate(
        [rail_t[rail_pick], rng.choice(n_t, size=n_proj_other, p=proj_w / proj_w.sum())]
    )
    n_proj = len(proj_t)
    plon, plat, _, pvname = _pick_points(rng, proj_t, t, v)
    plon[:n_proj_rail] = cases["lon"].to_numpy()[rail_pick]
    plat[:n_proj_rail] = cases["lat"].to_numpy()[rail_pick]
    stage = rng.choice(STAGES, size=n_proj, p=STAGE_P)
    communities = 1 + rng.poisson(0.5, n_proj)
    households = np.maximum(10, rng.lognormal(np.log(60), 0.6, n_proj) * communities).astype(int)
    households[:n_proj_rail] = np.minimum(households[:n_proj_rail], rail_hh[rail_pick])
    powner = np.concatenate(
        [
            np.full(n_proj_rail, "state_railway"),
            rng.choice(
                LANDOWNERS,
                size=n_proj_other,
                p=np.array((*PROJECT_OWNER_P[:1], 0.0, *PROJECT_OWNER_P[2:]))
                / (1 - PROJECT_OWNER_P[1]),
            ),
        ]
    )
    arrangement = np.where(
        powner == "private",
        rng.choice(["purchase", "cooperative_ownership"], size=n_proj, p=[0.6, 0.4]),
        rng.choice(["long_lease", "other"], size=n_proj, p=[0.9, 0.1]),
    )
    start = _dates(rng, n_proj, "2003-06-01", "2024-06-30")
    duration = rng.integers(365, 365 * 5, n_proj).astype("timedelta64[D]")
    completion = np.where(stage == "completed", start + duration, np.datetime64("NaT"))
    completion = np.where(
        completion > np.datetime64("2025-06-30"), np.datetime64("2025-06-30"), completion
    ).astype("datetime64[D]")
    subsidy = np.where(
        np.isin(stage, ["survey", "savings"]),
        np.nan,
        np.round(households * rng.uniform(25000, 80000, n_proj), -3),
    )
    loan = np.where(
        np.isin(stage, ["survey", "savings", "land_negotiation"]),
        np.nan,
        np.round(households * rng.uniform(150000, 360000, n_proj), -3),
    )
    pname = [
        f"บ้านมั่นคงชุมชน{'ริมทางรถไฟ' if o == 'state_railway' else ''}"
        f"{_place_word(vn, t['name_th'].iat[i])}"
        for o, vn, i in zip(powner, pvname, proj_t, strict=True)
    ]
    projects = pd.DataFrame(
        {
            "source_id": [f"demo-bmk-{i + 1:05d}" for i in range(n_proj)],
            "tambon_pcode": t["pcode"].to_numpy()[proj_t],
            "name": pname,
            "communities": communities,
            "households": households,
            "project_type": rng.choice(PROJECT_TYPES, size=n_proj, p=PROJECT_TYPE_P),
            "landowner_type": powner,
            "land_arrangement": arrangement,
            "stage": stage,
            "subsidy_baht": subsidy,
            "loan_baht": loan,
            "start_date": np.where(stage == "survey", np.datetime64("NaT"), start).astype(
                "datetime64[D]"
            ),
            "completion_date": completion,
            "lon": plon + rng.normal(0, 0.002, n_proj),
            "lat": plat + rng.normal(0, 0.002, n_proj),
        }
    )
    projects["lon"], projects["lat"] = _keep_in_tambon(
        con,
        projects["tambon_pcode"].to_numpy(),
        projects["lon"],
        projects["lat"],
        (plon, plat),
        (inner_lon[proj_t], inner_lat[proj_t]),
    )
    return {"organization": orgs, "council": councils, "project": projects, "land_case": cases}


_TABLES = {
    "organization": "community_org",
    "council": "tambon_council",
    "project": "baan_mankong_project",
    "land_case": "land_case",
}


def store(con, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace the demo rows with ``frames`` (one batch per kind); returns counts per table."""
    counts = {}
    with transaction(con):
        for kind, frame in frames.items():
            table = _TABLES[kind]
            con.execute(f"DELETE FROM {table} WHERE source = ?", [DEMO_SOURCE])
            batch = next_id(con, "import_batch_id_seq")
            con.execute(
                "INSERT INTO import_batch (id, kind, file_name, source, mode, status, rows_total,"
                " inserted, finished_at, actor) VALUES (?, ?, 'demo', ?, 'demo', 'committed', ?, ?,"
                " current_timestamp, 'build')",
                [batch, kind, DEMO_SOURCE, len(frame), len(frame)],
            )
            cols = [c for c in frame.columns if c not in ("lon", "lat", "_radius")]
            geom = "ST_Point(lon, lat)"
            if "_radius" in frame.columns:
                geom = (
                    f"CASE WHEN _radius IS NULL OR isnan(_radius) THEN {geom}"
                    f" ELSE ST_Buffer({geom}, _radius, 4) END"
                )
            con.register("_demo_frame", frame)
            try:
                con.execute(f"""INSERT INTO {table} (source, source_id, is_demo, import_batch_id,
                                {", ".join(cols[1:])}, geom)
                    SELECT '{DEMO_SOURCE}', source_id, true, {int(batch)},
                           {", ".join(cols[1:])}, {geom}
                    FROM _demo_frame""")
            finally:
                con.unregister("_demo_frame")
            counts[table] = len(frame)
    return counts


@register_step("demo data")
def demo_step(con, summary: dict, options: dict) -> None:
    """Build step: generate and store the demo community data when ``options["demo"]``."""
    if not options.get("demo"):
        return
    started = time.perf_counter()
    counts = store(con, generate(con))
    summary["demo"] = counts | {
        "baan_mankong_households": int(
            con.execute(
                "SELECT sum(households) FROM baan_mankong_project WHERE is_demo"
            ).fetchone()[0]
        ),
        "railway_land_households": int(
            con.execute(
                "SELECT sum(households) FROM land_case WHERE is_demo"
                " AND landowner_type = 'state_railway'"
            ).fetchone()[0]
        ),
        "seconds": round(time.perf_counter() - started, 2),
    }


__all__ = [
    "CASE_OWNER_P",
    "CASE_TENURE_P",
    "COMMUNITY_WORDS",
    "DEMO_SOURCE",
    "FAMILY",
    "GIVEN",
    "LANDOWNERS",
    "ORG_PREFIX",
    "ORG_TYPES",
    "ORG_TYPE_LABEL",
    "ORG_TYPE_P",
    "PRODUCTS",
    "PROJECT_OWNER_P",
    "PROJECT_TYPES",
    "PROJECT_TYPE_P",
    "RAILWAY_PROVINCES",
    "SEED",
    "STAGES",
    "STAGE_P",
    "TENURE",
    "_TABLES",
    "_city_weight",
    "_dates",
    "_inside",
    "_keep_in_tambon",
    "_names",
    "_pick_points",
    "_place_word",
    "_tambons",
    "_villages",
    "demo_step",
    "generate",
    "store",
]
