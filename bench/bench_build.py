"""Build time from the shared files, and the village reconciliation (issue 2).

Target: a full build (boundaries, groupings, villages) in under 15 s on the 2-core machine.
Prints the foundation build, then the same with every registered build step and demo data.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data import build as build_module  # noqa: E402
from data.settings import boundaries_dir, villages_file  # noqa: E402
from data.store import connect  # noqa: E402


def _timed_build(path: Path, *, steps: bool, demo: bool) -> dict:
    saved = list(build_module.BUILD_STEPS)
    if not steps:
        build_module.BUILD_STEPS.clear()
    try:
        started = time.perf_counter()
        con = connect(path)
        try:
            summary = build_module.build(
                con, boundaries_dir(), villages_file(), options={"demo": demo}
            )
        finally:
            con.close()
        summary["wall_seconds"] = round(time.perf_counter() - started, 2)
        return summary
    finally:
        build_module.BUILD_STEPS[:] = saved


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        core = _timed_build(Path(tmp) / "core.duckdb", steps=False, demo=False)
        print(
            f"foundation build (boundaries, groupings, villages): {core['wall_seconds']:.2f} s "
            f"(target < 15 s) — {core['provinces']} provinces, {core['amphoe']} amphoe, "
            f"{core['tambons']} tambons, {core['clusters']} clusters, {core['regions']} regions"
        )
        print(
            f"village reconciliation: {core['village_seconds']:.2f} s for {core['villages']} "
            "villages"
        )
        for key in (
            "villages_matched_spatial",
            "villages_matched_name",
            "villages_agree",
            "villages_disagree",
            "villages_space_only",
            "villages_name_only",
            "villages_unmatched",
        ):
            share = 100 * core[key] / core["villages"]
            print(f"  {key:26s} {core[key]:6d}  ({share:.1f}%)")
        again = _timed_build(Path(tmp) / "core.duckdb", steps=False, demo=False)
        print(
            f"rebuild of the same database (idempotent): {again['wall_seconds']:.2f} s, "
            f"same counts: {again['tambons'] == core['tambons']}"
        )
        full = _timed_build(Path(tmp) / "full.duckdb", steps=True, demo=True)
        print(f"full build with every step and demo data: {full['wall_seconds']:.2f} s")
        print("  steps: " + json.dumps(full.get("step_seconds", {}), ensure_ascii=False))


if __name__ == "__main__":
    main()
