"""``make bench``: run every ``bench/bench_*.py`` in turn, each printing its own figures."""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        try:
            module = runpy.run_path(str(script))
            module["main"]()
        except Exception as exc:  # a broken benchmark must not hide the others' figures
            failed.append(script.name)
            print(f"FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"({script.name} took {time.perf_counter() - started:.1f} s)", flush=True)
    if failed:
        print(f"\nfailed benchmarks: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
