"""Peak memory of importing 10 MB, 50 MB and 200 MB organisation CSVs (issue 12).

Target: flat, under 600 MB at every size. Each import runs through the CLI
(``python -m data import organization FILE --good-rows``) in a child process on a private
copy of the database; the resident memory (RSS) of that process plus its parser worker is
sampled every 20 ms from ``/proc`` and the peak of the sum is kept (the worker's own peak
is also reported by the kernel as ``ru_maxrss`` of the children). Every size runs
``PHANG_BENCH_RUNS`` times (default 3); the script prints the median and the spread (min
to max) and the machine's load average, because wall times on a shared machine vary.

The CSV is shaped like a registry (Thai headers, UTF-8, Buddhist-era dates, tambon,
amphoe and province names of 600 real tambons, half the rows with coordinates at real
village points), written row by row to the target size.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

SIZES_MB = (10, 50, 200)
TARGET_MB = 600
HEADER = [
    "รหัส",
    "ชื่อกลุ่ม",
    "ประเภท",
    "หมู่บ้าน",
    "ประธาน",
    "จำนวนสมาชิก",
    "เงินทุน (บาท)",
    "วันที่จัดตั้ง",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "ละติจูด",
    "ลองจิจูด",
]


def _places(db: Path) -> tuple[list, dict]:
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
    return places, by_tambon


def write_csv(db: Path, path: Path, size_mb: float) -> int:
    """Write an organisation CSV of about ``size_mb`` MB; return its data rows."""
    places, by_tambon = _places(db)
    rnd = random.Random(42)
    chosen = rnd.sample(places, 600)
    types = ["กลุ่มออมทรัพย์", "กองทุนสวัสดิการ", "กลุ่มสตรี", "กลุ่มอาชีพ", "เครือข่าย"]
    target = size_mb * 1e6
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        while fh.tell() < target:
            for _ in range(1000):
                tam, amp, prv, pcode = rnd.choice(chosen)
                village = rnd.choice(by_tambon.get(pcode, [("", None, None)]))
                lat = lon = ""
                if village[1] is not None and rnd.random() < 0.5:
                    lon, lat = f"{village[1]:.6f}", f"{village[2]:.6f}"
                rows += 1
                writer.writerow(
                    [
                        f"ORG{rows:08d}",
                        f"{rnd.choice(types)}{village[0] or tam} {rows}",
                        rnd.choice(types),
                        village[0],
                        "นายทดสอบ ระบบ",
                        rnd.randint(5, 300),
                        f"{rnd.randint(1, 500) * 1000:,}",
                        f"{rnd.randint(1, 28)}/{rnd.randint(1, 12)}/{rnd.randint(2535, 2567)}",
                        tam,
                        amp,
                        prv,
                        lat,
                        lon,
                    ]
                )
    return rows


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                kids = [int(k) for k in fh.read().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def import_peak(db: Path, csv_path: Path) -> tuple[float, float, float, dict]:
    """Import once; return (peak MB of the importing process + worker, the worker's own
    peak MB, wall seconds, the JSON summary)."""
    proc = subprocess.Popen(
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
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            total = _rss_kb(proc.pid) + sum(_rss_kb(k) for k in _descendants(proc.pid))
            peak[0] = max(peak[0], total)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"import failed: {err.strip()[-800:]}")
    import resource

    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return peak[0] / 1024, worker_mb, seconds, json.loads(out)


def main() -> None:
    runs = int(os.environ.get("PHANG_BENCH_RUNS", "3"))
    sizes = [float(s) for s in os.environ.get("PHANG_BENCH_SIZES_MB", "").split(",") if s]
    sizes = sizes or list(SIZES_MB)
    with tempfile.TemporaryDirectory(prefix="bench_import_memory_") as tmp:
        workdir = Path(tmp)
        base = bench_database(workdir, demo=False)
        results = []
        for size in sizes:
            csv_path = workdir / f"organizations_{size:g}mb.csv"
            rows = write_csv(base, csv_path, size)
            real_mb = csv_path.stat().st_size / 1e6
            peaks, seconds = [], []
            summary: dict = {}
            for _ in range(runs):
                db = workdir / "run.duckdb"
                shutil.copy(base, db)
                peak, _worker, secs, summary = import_peak(db, csv_path)
                peaks.append(peak)
                seconds.append(secs)
                db.unlink()
            csv_path.unlink()
            results.append((size, real_mb, rows, peaks, seconds, summary))
            print(
                f"{real_mb:6.1f} MB CSV, {rows:>9,} rows: peak RSS (CLI + parser worker) "
                f"median {statistics.median(peaks):5.0f} MB "
                f"(spread {min(peaks):.0f}–{max(peaks):.0f} MB, {runs} runs); "
                f"wall median {statistics.median(seconds):6.1f} s "
                f"({min(seconds):.1f}–{max(seconds):.1f}); "
                f"stored {summary.get('stored', 0):,}, quarantined "
                f"{summary.get('quarantined', 0):,}",
                flush=True,
            )
        load = os.getloadavg()
        print(
            f"machine load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"on {os.cpu_count()} CPUs"
        )
        worst = max(max(r[3]) for r in results)
        medians = [statistics.median(r[3]) for r in results]
        flat = max(medians) - min(medians)
        print(
            f"target: under {TARGET_MB} MB at every size and flat -> worst peak {worst:.0f} MB, "
            f"medians differ by {flat:.0f} MB: "
            f"{'met' if worst < TARGET_MB else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
