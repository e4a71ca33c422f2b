"""Import a generated 100,000-row organization CSV; print rows per second and peak memory.

Target (issue 4): under 20 s and under 1 GB for the first import. The CSV is shaped like a
real registry: Thai headers, cp874 (TIS-620) encoding, Buddhist-era dates, Thai digits,
places as tambon/amphoe/province names of real tambons (a few misspelt), half the rows
with coordinates at real village points. The import runs through the CLI in a child
process, so the peak memory is that of the import alone; a second run re-imports the same
file (every row unchanged) to time the update path.

The database is a copy of ``PHANG_BENCH_DB`` (default: ``var/phangchumchon.duckdb``), or,
when that does not exist, a fresh build of the shared files in a temporary directory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

ROWS = 100_000
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def write_csv(db: Path, path: Path, rows: int = ROWS) -> None:
    """Write the benchmark CSV (cp874) from the tambons and villages in ``db``."""
    from data.store import connect

    con = connect(db, read_only=True)
    try:
        places = con.execute("""SELECT t.name_th, a.name_th, p.name_th, t.pcode
                                FROM tambon t JOIN amphoe a ON a.pcode = t.amphoe_pcode
                                JOIN province p ON p.pcode = t.province_pcode
                                ORDER BY t.pcode""").fetchall()
        villages = con.execute(
            "SELECT tambon_pcode, name, ST_X(geom), ST_Y(geom) FROM village"
            " WHERE tambon_pcode IS NOT NULL ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    by_tambon: dict[str, list] = {}
    for pcode, name, x, y in villages:
        by_tambon.setdefault(pcode, []).append((name, x, y))
    rnd = random.Random(42)
    types = ["กลุ่มออมทรัพย์", "กองทุนสวัสดิการ", "กลุ่มสตรี", "กลุ่มอาชีพ", "เครือข่าย"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "ลำดับ",
            "รหัส",
            "ชื่อกลุ่ม",
            "ประเภท",
            "หมู่บ้าน",
            "ประธาน",
            "จำนวนสมาชิก",
            "เงินทุน (บาท)",
            "ผลิตภัณฑ์",
            "วันที่จัดตั้ง",
            "ตำบล",
            "อำเภอ",
            "จังหวัด",
            "ละติจูด",
            "ลองจิจูด",
        ]
    )
    # a registry covers a few hundred tambons, not all of them
    chosen = rnd.sample(places, 600)
    for i in range(rows):
        tam, amp, prv, pcode = rnd.choice(chosen)
        village = rnd.choice(by_tambon.get(pcode, [("", None, None)]))
        if rnd.random() < 0.02 and len(tam) > 3:
            tam = tam[:-1]  # a typo: the last letter missing
        lat = lon = ""
        if village[1] is not None and rnd.random() < 0.5:
            lon, lat = f"{village[1]:.6f}", f"{village[2]:.6f}"
        members = str(rnd.randint(5, 300))
        if rnd.random() < 0.1:
            members = members.translate(THAI_DIGITS)
        day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(2535, 2567)
        writer.writerow(
            [
                i + 1,
                f"ORG{i + 1:06d}",
                f"{rnd.choice(types)}{village[0] or tam} {i}",
                rnd.choice(types),
                village[0],
                "นายทดสอบ ระบบ",
                members,
                f"{rnd.randint(1, 500) * 1000:,}",
                "",
                f"{day}/{month}/{year}",
                tam,
                amp,
                prv,
                lat,
                lon,
            ]
        )
    path.write_bytes(out.getvalue().encode("cp874"))


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_import(db: Path, csv_path: Path) -> tuple[float, float, dict]:
    cpu = _cpu_children()
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "data",
            "import",
            "organization",
            str(csv_path),
            "--db",
            str(db),
            "--good-rows",
            "--source",
            "bench",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stderr.strip()[-500:]}")
    return seconds, _cpu_children() - cpu, json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        workdir = Path(tmp)
        db = bench_database(workdir, demo=False)
        csv_path = workdir / "organizations_100k.csv"
        write_csv(db, csv_path)
        size_mb = csv_path.stat().st_size / 1e6
        seconds, cpu, summary = _run_import(db, csv_path)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        again, cpu2, summary2 = _run_import(db, csv_path)
        load = os.getloadavg()[0]
        print(
            f"file: {ROWS:,} rows, {size_mb:.1f} MB, cp874; machine load {load:.1f} "
            f"on {os.cpu_count()} CPUs (wall times suffer when others run)"
        )
        print(
            f"first import: {seconds:.1f} s wall, {cpu:.1f} s CPU, {ROWS / seconds:,.0f} rows/s "
            f"(stored {summary['stored']:,}, quarantined {summary['quarantined']:,}, "
            f"fuzzy places {len(summary['fuzzy_places']):,})"
        )
        print(f"peak memory of the import process: {peak_mb:,.0f} MB")
        print(
            f"re-import (unchanged {summary2['unchanged']:,}, updated {summary2['updated']:,}):"
            f" {again:.1f} s wall, {cpu2:.1f} s CPU, {ROWS / again:,.0f} rows/s"
        )
        print(
            f"target: under 20 s and under 1,024 MB -> "
            f"{'met' if seconds < 20 and peak_mb < 1024 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
