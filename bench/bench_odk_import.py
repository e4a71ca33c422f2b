"""Import a KoboToolbox export of 1,000 housing-need submissions; print the time per run.

The CSV is shaped like a real Kobo export of the need_report XLSForm (";"-separated, "/"
group prefixes, Thai labels as answers, ``_uuid``): points at real village locations, one in
ten an area (a small square geoshape around the village), one in fifty a broken geopoint
(quarantined). Each run imports into a fresh copy of the database (copy not timed), then
imports the same file again (every submission unchanged: the re-import path). Prints the
median and spread over the runs and the machine's load average.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

SUBMISSIONS = 1_000
RUNS = 3
HEADERS = [
    "start", "end", "community/community_name", "community/households", "community/problems",
    "community/landowner", "community/urgency", "community/description",
    "location/location_kind", "location/point", "location/area", "contact/contact_name",
    "contact/contact_phone", "meta/instanceID", "_id", "_uuid", "_submission_time",
]  # fmt: skip


def write_export(db: Path, path: Path, n: int = SUBMISSIONS) -> None:
    import csv

    from data.store import connect

    con = connect(db, read_only=True)
    try:
        villages = con.execute(
            "SELECT ST_X(geom), ST_Y(geom) FROM village WHERE tambon_pcode IS NOT NULL ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    rng = random.Random(42)
    problems = ["ถูกไล่รื้อ / เสี่ยงถูกไล่ที่", "บ้านทรุดโทรม", "ค่าเช่าเกินกำลัง", "เสี่ยงภัยพิบัติ"]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(HEADERS)
        for i in range(n):
            lon, lat = rng.choice(villages)
            uid = f"{rng.getrandbits(32):08x}-0000-4000-8000-{i:012d}"
            area = ""
            point = f"{lat:.6f} {lon:.6f} 12.0 4.5"
            if i % 10 == 5:
                d = 0.001
                ring = [(lat, lon), (lat, lon + d), (lat + d, lon + d), (lat + d, lon), (lat, lon)]
                area, point = ";".join(f"{y:.6f} {x:.6f} 0 5" for y, x in ring), ""
            if i % 50 == 7:
                point = f"{lat:.3f} x{lon:.3f}"
            out.writerow(
                [
                    "2026-11-30T09:00:00.000+07:00",
                    "2026-11-30T09:15:00.000+07:00",
                    f"ชุมชนทดสอบ {i}",
                    rng.randint(1, 300),
                    " ".join(rng.sample(problems, rng.randint(1, 2))),
                    rng.choice(["ไม่ทราบ", "การรถไฟแห่งประเทศไทย", "เอกชน", "ที่วัด"]),
                    rng.choice(["เร่งด่วนมาก", "เร่งด่วน", "ไม่เร่งด่วน"]),
                    "",
                    "วาดขอบเขตพื้นที่ชุมชน" if area else "ปักหมุดตำแหน่งชุมชน",
                    point,
                    area,
                    "",
                    "",
                    f"uuid:{uid}",
                    i + 1,
                    uid,
                    "2026-11-30T02:15:00",
                ]
            )


def main() -> None:
    from data.importers.odk_store import import_submissions
    from data.store import connect

    with tempfile.TemporaryDirectory(prefix="phang_bench_odk_") as tmp:
        work = Path(tmp)
        source = bench_database(work)
        export = work / "kobo_export.csv"
        write_export(source, export)
        first, again = [], []
        for run in range(RUNS):
            db = work / f"run{run}.duckdb"
            shutil.copy(source, db)
            con = connect(db)
            try:
                started = time.perf_counter()
                report = import_submissions(con, export, actor="bench")
                first.append(time.perf_counter() - started)
                started = time.perf_counter()
                repeat = import_submissions(con, export, actor="bench")
                again.append(time.perf_counter() - started)
            finally:
                con.close()
                db.unlink()
        load = os.getloadavg()
        print(
            f"odk import: {SUBMISSIONS:,} Kobo submissions ({report.inserted} stored, "
            f"{report.quarantined} quarantined; re-import {repeat.unchanged} unchanged)"
        )
        for label, times in (("first import", first), ("re-import", again)):
            print(
                f"  {label}: median {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f}, {RUNS} runs), "
                f"{SUBMISSIONS / statistics.median(times):,.0f} submissions/s"
            )
        print(
            f"  load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
            f"on {os.cpu_count()} cores"
        )


if __name__ == "__main__":
    main()
