"""Demo community plans, plan items, people developed and organisation assessments.

A build step after ``data.demo`` (it reads the demo councils and organisations), as
deterministic as the rest of the demo data (``random.Random(42)``, inputs in P-code
order). Every row has ``is_demo = true`` and ``source = 'demo'``.

Calibration, stated so nobody mistakes it for a finding: seed 003 aims at plans linked to
agencies in 3,000 of about 7,400 tambons and 15,000 leaders by 2021. Here about half the
tambons with an active council made a five-year plan starting 2017-2021, most made the next
one when it ended; a plan has 3-8 items across the six dimensions, a little under half of
them taken into an agency's plan within three years (most often the อปท.), about half of
those supported. About one person in three tambons with a council takes a course each year
(some twice), and
about a quarter of active organisations were assessed once or twice on checklist v1.
"""

from __future__ import annotations

import json
import random
import time

import numpy as np
import pandas as pd

from data.build import register_step
from data.importers.plan_kinds import person_key
from data.store import next_id, transaction

DEMO_SOURCE = "demo"
SEED = 42
LAST_YEAR = 2025  # the newest year the demo records reach (stable whatever today is)

DIMENSIONS = ("social", "economic", "resources_environment", "housing_land", "welfare", "other")
DIMENSION_P = (0.22, 0.28, 0.16, 0.14, 0.14, 0.06)
AGENCIES = ("local_government", "amphoe", "province", "ministry", "partner")
AGENCY_P = (0.45, 0.15, 0.15, 0.15, 0.10)
TITLES = {
    "social": ("ลานกีฬาชุมชน", "ศูนย์พัฒนาเด็กเล็ก", "สภาเด็กและเยาวชน", "ลานวัฒนธรรม"),
    "economic": ("กลุ่มอาชีพแปรรูปผลผลิต", "ตลาดชุมชน", "ท่องเที่ยวชุมชน", "ธนาคารข้าว"),
    "resources_environment": ("ป่าชุมชน", "ฝายชะลอน้ำ", "ธนาคารขยะ", "อนุรักษ์แหล่งน้ำ"),
    "housing_land": ("ซ่อมสร้างบ้านผู้ยากไร้", "บ้านมั่นคงชนบท", "จัดการที่ดินชุมชน", "สำรวจข้อมูลที่อยู่อาศัย"),
    "welfare": ("กองทุนสวัสดิการชุมชน", "ดูแลผู้สูงอายุ", "ศูนย์ดูแลผู้ป่วยติดเตียง"),
    "other": ("ระบบข้อมูลตำบล", "แผนรับมือภัยพิบัติ", "วิทยุชุมชน"),
}
COURSES = (
    "ผู้นำการเปลี่ยนแปลง",
    "การจัดทำแผนพัฒนาชุมชน",
    "การจัดการข้อมูลและแผนที่ชุมชน",
    "การเงินและบัญชีองค์กรชุมชน",
    "สวัสดิการชุมชน",
    "การจัดการที่ดินและที่อยู่อาศัย",
)


def _tambons(con) -> pd.DataFrame:
    return con.execute("""
        SELECT t.pcode, ST_X(ST_PointOnSurface(t.geom)) AS lon,
               ST_Y(ST_PointOnSurface(t.geom)) AS lat,
               c.name AS council, c.established_date
        FROM tambon t
        LEFT JOIN (SELECT tambon_pcode, min(name) AS name, min(established_date)
                          AS established_date
                   FROM tambon_council WHERE status = 'active' GROUP BY 1) c
               ON c.tambon_pcode = t.pcode
        ORDER BY t.pcode""").df()


def generate(con) -> dict[str, pd.DataFrame]:
    """The four demo tables as frames (columns as stored; items have lon, lat, radius)."""
    seeder = random.Random(SEED)  # noqa: S311 (demo data, not security)
    rng = np.random.default_rng(seeder.randrange(2**32))
    t = _tambons(con)
    has_council = t["council"].notna().to_numpy()
    plans, items = _plans(rng, t, has_council)
    people = _people(rng, t, has_council)
    assessments = _assessments(con, rng)
    return {"plan": plans, "plan_item": items, "person": people, "assessment": assessments}


def _plans(rng, t: pd.DataFrame, has_council: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    planning = has_council & (rng.random(len(t)) < 0.55)
    rows = []
    for i in np.flatnonzero(planning):
        start = int(rng.integers(2017, 2022))
        n = 1 + int(start + 5 <= LAST_YEAR and rng.random() < 0.75)
        for k in range(n):
            s = start + 5 * k
            last = k == n - 1
            status = "ended" if s + 4 < LAST_YEAR and not last else "adopted"
            if last and rng.random() < 0.08:
                status = "draft"
            elif last and rng.random() < 0.08:
                status = "under_review"
            adopted = None
            if status != "draft":
                adopted = np.datetime64(f"{s}-01-01") + np.timedelta64(
                    int(rng.integers(0, 200)), "D"
                )
            rows.append((i, f"P-{t['pcode'].iat[i]}-{s}", s, s + 4, adopted, status))
    plans = pd.DataFrame(
        rows, columns=["i", "source_id", "start_year", "end_year", "adopted_date", "status"]
    )
    plans["tambon_pcode"] = t["pcode"].to_numpy()[plans["i"]]
    plans["council"] = t["council"].to_numpy()[plans["i"]]
    items = _items(rng, t, plans)
    return plans.drop(columns="i"), items


def _items(rng, t: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    counts = rng.integers(3, 9, size=len(plans))
    idx = np.repeat(np.arange(len(plans)), counts)
    n = len(idx)
    dims = rng.choice(DIMENSIONS, size=n, p=DIMENSION_P)
    agency = rng.choice(AGENCIES, size=n, p=AGENCY_P)
    start = plans["start_year"].to_numpy()[idx]
    status = plans["status"].to_numpy()[idx]
    included = (rng.random(n) < 0.45) & (status != "draft")
    plan_year = np.where(included, start + rng.integers(0, 4, size=n), -1)
    included &= plan_year <= LAST_YEAR
    supported = included & (rng.random(n) < 0.55)
    budget = np.round(np.exp(rng.normal(12.0, 1.0, size=n)), -3)
    money = supported & (rng.random(n) < 0.7)
    support_type = np.where(~supported, "none", np.where(money, "money", "in_kind"))
    support_baht = np.where(money, np.round(budget * rng.uniform(0.3, 1.0, size=n), -3), np.nan)
    done = supported & (plan_year + 1 <= LAST_YEAR) & (rng.random(n) < 0.4)
    item_status = np.where(
        done,
        "completed",
        np.where(supported, "supported", np.where(included, "in_agency_plan", "proposed")),
    )
    ti = plans["i"].to_numpy()[idx]
    located = rng.random(n) < 0.35
    lon = np.where(located, t["lon"].to_numpy()[ti] + rng.normal(0, 0.004, size=n), np.nan)
    lat = np.where(located, t["lat"].to_numpy()[ti] + rng.normal(0, 0.004, size=n), np.nan)
    radius = np.where(
        located & (dims == "resources_environment") & (rng.random(n) < 0.5), 0.002, np.nan
    )
    titles = [TITLES[d][int(r * len(TITLES[d]))] for d, r in zip(dims, rng.random(n), strict=True)]
    agency_names = {
        "local_government": "อบต.", "amphoe": "อำเภอ", "province": "จังหวัด",
        "ministry": "กรม", "partner": "มูลนิธิ",
    }  # fmt: skip
    return pd.DataFrame(
        {
            "source_id": [
                f"{p}-{k}"
                for p, k in zip(plans["source_id"].to_numpy()[idx], _ranks(idx), strict=True)
            ],
            "tambon_pcode": plans["tambon_pcode"].to_numpy()[idx],
            "plan_ref": plans["source_id"].to_numpy()[idx],
            "title": titles,
            "dimension": dims,
            "budget_baht": budget,
            "agency_type": agency,
            "agency_name": [agency_names[a] for a in agency],
            "in_agency_plan": included,
            "agency_plan_name": np.where(
                included, "แผนพัฒนา" + pd.Series(agency).map(agency_names).to_numpy(), None
            ),
            "agency_plan_year": pd.Series(np.where(included, plan_year, 0), dtype="Int64").where(
                included
            ),
            "support_type": support_type,
            "support_baht": support_baht,
            "status": item_status,
            "lon": lon,
            "lat": lat,
            "_radius": radius,
        }
    )


def _ranks(idx: np.ndarray) -> np.ndarray:
    """1, 2, ... within each run of equal values."""
    starts = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
    out = np.arange(len(idx)) - np.repeat(starts, np.diff(np.r_[starts, len(idx)]))
    return out + 1


def _people(rng, t: pd.DataFrame, has_council: np.ndarray) -> pd.DataFrame:
    from data.demo import FAMILY, GIVEN  # data.demo imports data.build, which imports us

    where = np.flatnonzero(has_council)
    years = LAST_YEAR - 2017 + 1
    n = int(rng.poisson(0.35 * years * len(where)))
    ti = rng.choice(where, size=n)
    names = [
        f"{a}{b} {c}"
        for a, b, c in zip(
            rng.choice(["นาย", "นาง", "นางสาว"], size=n, p=[0.4, 0.45, 0.15]),
            rng.choice(GIVEN, size=n),
            rng.choice(FAMILY, size=n),
            strict=True,
        )
    ]
    days = rng.integers(
        0, (np.datetime64(f"{LAST_YEAR}-12-31") - np.datetime64("2017-01-01")).astype(int), size=n
    )
    pcodes = t["pcode"].to_numpy()[ti]
    return pd.DataFrame(
        {
            "source_id": [f"H{k:06d}" for k in range(1, n + 1)],
            "tambon_pcode": pcodes,
            "person_key": [person_key(nm, p) for nm, p in zip(names, pcodes, strict=True)],
            "course": rng.choice(COURSES, size=n),
            "activity_date": np.datetime64("2017-01-01") + days.astype("timedelta64[D]"),
            "person_name": names,
        }
    )


def _assessments(con, rng) -> pd.DataFrame:
    orgs = con.execute(
        "SELECT source_id, tambon_pcode, name FROM community_org WHERE is_demo "
        "AND status = 'active' ORDER BY tambon_pcode, source_id"
    ).df()
    pick = orgs[rng.random(len(orgs)) < 0.25].reset_index(drop=True)
    twice = rng.random(len(pick)) < 0.4
    rows = []
    codes = ("governance", "members", "finance", "plan", "network")
    for k, org in enumerate(pick.itertuples()):
        first = 2017 + int(rng.integers(0, 6))
        skill = rng.uniform(1.5, 4.8)
        for j, year in enumerate(
            [first] + ([first + 3] if twice[k] and first + 3 <= LAST_YEAR else [])
        ):
            scores = {c: int(np.clip(round(rng.normal(skill + 0.5 * j, 0.8)), 0, 5)) for c in codes}
            total = float(sum(scores.values()))
            date = np.datetime64(f"{year}-01-01") + np.timedelta64(int(rng.integers(0, 330)), "D")
            rows.append(
                (f"A-{org.source_id}-{year}", org.tambon_pcode, org.name, org.source_id, date,
                 json.dumps(scores, sort_keys=True), total, total >= 15)
            )  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[
            "source_id",
            "tambon_pcode",
            "organization",
            "org_ref",
            "assessed_date",
            "scores",
            "total_score",
            "passed",
        ],
    )
    return frame.assign(form_key="org_quality", form_version=1)


_TABLES = {
    "plan": "community_plan",
    "plan_item": "plan_item",
    "person": "person_developed",
    "assessment": "org_assessment",
}
_KIND = {"person": "person_developed", "assessment": "org_assessment"}


def store(con, frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace the demo plan rows with ``frames``; returns counts per table."""
    counts = {}
    with transaction(con):
        con.execute(
            "DELETE FROM person_private WHERE person_key IN "
            "(SELECT person_key FROM person_developed WHERE source = ?)",
            [DEMO_SOURCE],
        )
        for name, frame in frames.items():
            table = _TABLES[name]
            con.execute(f"DELETE FROM {table} WHERE source = ?", [DEMO_SOURCE])
            batch = next_id(con, "import_batch_id_seq")
            con.execute(
                "INSERT INTO import_batch (id, kind, file_name, source, mode, status, rows_total,"
                " inserted, finished_at, actor) VALUES (?, ?, 'demo', ?, 'demo', 'committed', ?, ?,"
                " current_timestamp, 'build')",
                [batch, _KIND.get(name, name), DEMO_SOURCE, len(frame), len(frame)],
            )
            cols = [c for c in frame.columns if c not in ("lon", "lat", "_radius", "person_name")]
            geom = "NULL"
            if "lon" in frame.columns:
                point = "ST_Point(lon, lat)"
                geom = (
                    f"CASE WHEN lon IS NULL OR isnan(lon) THEN NULL "
                    f"WHEN _radius IS NULL OR isnan(_radius) THEN {point} "
                    f"ELSE ST_Buffer({point}, _radius, 4) END"
                )
            con.register("_demo_frame", frame)
            try:
                con.execute(f"""INSERT INTO {table} (source, is_demo, import_batch_id,
                                {", ".join(cols)}, geom)
                    SELECT '{DEMO_SOURCE}', true, {int(batch)}, {", ".join(cols)}, {geom}
                    FROM _demo_frame""")
                if name == "person":
                    # defaults written out: PostgreSQL's ON CONFLICT path (data.pg_store)
                    # does not fill them
                    con.execute("""INSERT INTO person_private (person_key, name, updated_at)
                        SELECT person_key, min(person_name), current_timestamp
                        FROM _demo_frame GROUP BY 1
                        ON CONFLICT DO NOTHING""")
            finally:
                con.unregister("_demo_frame")
            counts[table] = len(frame)
        _keep_items_in_tambon(con)
    return counts


def _keep_items_in_tambon(con) -> None:
    """A jittered item that crossed its tambon's edge goes back to the tambon's inner point."""
    con.execute("""UPDATE plan_item i SET geom = ST_PointOnSurface(t.geom)
                   FROM tambon t
                   WHERE t.pcode = i.tambon_pcode AND i.is_demo AND i.geom IS NOT NULL
                     AND NOT ST_Within(i.geom, t.geom)""")


@register_step("demo plans")
def plans_demo_step(con, summary: dict, options: dict) -> None:
    """Build step: generate and store the demo plan records when ``options["demo"]``."""
    if not options.get("demo"):
        return
    started = time.perf_counter()
    counts = store(con, generate(con))
    summary["demo_plans"] = counts | {"seconds": round(time.perf_counter() - started, 2)}
