"""Place names (issue 13): every tambon written as people type it, and the matcher's start-up.

For each of the 7,425 tambons: with prefixes (ต. อ. จ.), separated by commas, separated by
spaces only; each exactly and with one random edit in the tambon name (seeded; see
``tests/matcher_variants.py``). Prints, per form, the share resolved to the right tambon,
the answers that name another place (target: none), and the time per name. Then the
start-up of one ``python -m data match`` call (target: well under a second), over several
runs: median and spread, with CPU seconds beside wall time and the load average (the shared
2-core machine is often busy).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402

TARGET_RIGHT = 0.97
STARTUP_RUNS = 5


def _variants_figures(db: Path) -> None:
    from boundaries.gazetteer_store import load_gazetteer
    from data.store import connect
    from tests.matcher_variants import FORMS, tambon_rows, variants, verdict

    con = connect(db, read_only=True)
    try:
        gazetteer = load_gazetteer(con)
        items = variants(tambon_rows(con), sample=None, seed=13)
    finally:
        con.close()
    for typo in (False, True):
        for form in FORMS:
            chosen = [i for i in items if i.form == form and i.typo == typo]
            counts = {"right": 0, "ancestor": 0, "wrong": 0, "none": 0}
            started, cpu = time.perf_counter(), time.process_time()
            for item in chosen:
                counts[verdict(gazetteer.match(item.text).pcode, item.pcode)] += 1
            wall = (time.perf_counter() - started) / len(chosen)
            cpu = (time.process_time() - cpu) / len(chosen)
            share = counts["right"] / len(chosen)
            print(
                f"{form:9s} {'one edit' if typo else 'exact   '}: {counts['right']}/{len(chosen)} "
                f"right ({share:.1%}; target >= {TARGET_RIGHT:.0%}: "
                f"{'met' if share >= TARGET_RIGHT else 'NOT met'}), wrong {counts['wrong']} "
                f"(target 0), less specific {counts['ancestor']}, unresolved {counts['none']}; "
                f"{wall * 1000:.2f} ms per name ({cpu * 1000:.2f} ms CPU)",
                flush=True,
            )


def _startup_figures(db: Path) -> None:
    walls, cpus = [], []
    for _ in range(STARTUP_RUNS):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "data", "match", "--db", str(db), "ท่าถ่าน พนมสารคาม ฉะเชิงเทรา"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(
            (after.children_user - before.children_user)
            + (after.children_system - before.children_system)
        )
    print(
        f"python -m data match, one address, whole call: median {statistics.median(walls):.2f} s "
        f"wall (range {min(walls):.2f}-{max(walls):.2f}), median {statistics.median(cpus):.2f} s "
        f"CPU over {STARTUP_RUNS} runs; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = bench_database(Path(tmp))
        _startup_figures(db)
        _variants_figures(db)


if __name__ == "__main__":
    main()
