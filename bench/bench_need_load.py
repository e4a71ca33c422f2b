"""Housing-need reports under load (issue 5): 20 sessions submit 50 reports each at once.

Prints the time to save (median, p95, max; target p95 under 1 s), the CPU time per save
and the machine's load average: on a shared 2-core box the p95 is mostly queueing behind
other processes, so the CPU figure says what one save costs. Runs on a private copy of the
database (``bench.common``); the load is the same as the load test's (``tests/need_load``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_database  # noqa: E402
from data.store import connect  # noqa: E402
from tests.need_load import REPORTS, SESSIONS, run_load  # noqa: E402

TARGET_P95_S = 1.0
RUNS = 3


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(bench_database(Path(tmp)))
        try:
            p95s = []
            for run in range(RUNS):
                result = run_load(con, seed=1000 + 100 * run)
                if result.errors:
                    raise RuntimeError(f"{len(result.errors)} errors: {result.errors[:3]}")
                p95 = result.percentile(0.95)
                p95s.append(p95)
                print(
                    f"run {run + 1}: {len(result.times)} reports by {SESSIONS} sessions x "
                    f"{REPORTS} in {result.wall:.1f} s; save median "
                    f"{statistics.median(result.times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                    f"max {max(result.times) * 1000:.0f} ms; CPU per save "
                    f"{result.cpu_per_save * 1000:.1f} ms; load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
                    flush=True,
                )
        finally:
            con.close()
    median = statistics.median(p95s)
    verdict = "met" if median < TARGET_P95_S else "NOT met"
    print(
        f"p95 time to save: median {median * 1000:.0f} ms of {RUNS} runs (range "
        f"{min(p95s) * 1000:.0f}-{max(p95s) * 1000:.0f} ms; target < "
        f"{TARGET_P95_S * 1000:.0f} ms on the median run: {verdict})"
    )


if __name__ == "__main__":
    main()
