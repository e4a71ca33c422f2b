"""The same work on both stores in one run: a DuckDB file and PostgreSQL + PostGIS (issue 15).

A throwaway PostgreSQL 15 + PostGIS cluster is started in a temporary folder (``data.pg_cluster``)
and stopped at the end. For each store, measured the way the single-store benchmarks measure:

1. the full build with demo data (``python -m data build --demo``; bench_build.py),
2. a first import of the generated 100,000-row organization CSV, through the command line in
   a child process, into a fresh copy of the build (bench_import.py),
3. every catalogue indicator at every level (``compute_all``; bench_indicators.py),
4. the national tambon map as the page makes it (bench_map.py): the first view (shapes read
   from the store and written to a file) and a rerun,
5. the GeoJSON export of all tambons with every indicator (bench_export.py).

Prints each pair's median and spread (min-max), the ratio PostgreSQL / DuckDB, whether
PostgreSQL stays within 3x, and the load average at the start and the end (2-core machine:
wall times suffer when others run). ``PHANG_BENCH_RUNS`` (default 3) repeats each
measurement; ``PHANG_BENCH_BUILDS`` (default 3) the build.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import ROWS, _run_import, write_csv  # noqa: E402
from bench.bench_indicators import GROUPING  # noqa: E402
from bench.bench_map import _page_render  # noqa: E402

RUNS = int(os.environ.get("PHANG_BENCH_RUNS", "3"))
BUILDS = int(os.environ.get("PHANG_BENCH_BUILDS", "3"))
LIMIT = 3.0
STORES = ("duckdb", "postgres")
STORED: dict[str, list[int]] = {}  # rows each import stored: the same on both stores


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _times(fn, runs: int = RUNS, setup: Callable[[int], object] | None = None):
    """Wall seconds of ``runs`` calls (``setup(i)``, untimed, gives ``fn`` its argument)."""
    out = []
    for i in range(runs):
        arg = setup(i) if setup else None
        started = time.perf_counter()
        fn(arg) if setup else fn()
        out.append(time.perf_counter() - started)
    return out


class Stores:
    """Fresh databases of either store: DuckDB files in ``work``, PostgreSQL databases on
    the throwaway cluster listening on ``port``."""

    def __init__(self, work: Path, port: int) -> None:
        self.work, self.port = work, port

    def fresh(self, kind: str, name: str, template: str | None = None) -> str:
        from data import pg_cluster

        if kind == "duckdb":
            path = self.work / f"{name}.duckdb"
            path.unlink(missing_ok=True)
            if template:
                shutil.copy(template, path)
            return str(path)
        pg_cluster.drop_database(self.port, name)
        if template:
            template = template.rsplit("/", 1)[1]
        return pg_cluster.create_database(self.port, name, template=template)


def _build(target: str) -> None:
    from data.build import build
    from data.settings import boundaries_dir, villages_file
    from data.store import connect

    con = connect(target)
    try:
        build(con, boundaries_dir(), villages_file(), options={"demo": True})
    finally:
        con.close()


def _measure_reads(target: str, work: Path) -> dict[str, list[float]]:
    """Indicators, the national map and the GeoJSON export on a read-only connection."""
    from analysis.rollup import compute_all
    from data.store import connect
    from geo import mapping
    from geo.export import ExportOptions, export_layer

    con = connect(target, read_only=True)
    try:
        con.execute("SET enable_progress_bar = false")
        compute_all(con, GROUPING)  # warm-up, as bench_indicators.py does
        out = {"indicators": _times(lambda: compute_all(con, GROUPING))}
        grouping = con.execute("SELECT name FROM grouping WHERE is_default").fetchone()[0]
        view = mapping.View("country", None, "tambon", grouping)

        def first_view() -> None:
            mapping.clear_shape_cache()
            _page_render(con, view, "area_km2")

        out["map first view"] = _times(first_view)
        out["map rerun"] = _times(lambda: _page_render(con, view, "area_km2"))
        options = ExportOptions("indicators", "geojson", level="tambon")
        path = work / "export.geojson"
        export_layer(con, options, path)  # warm-up, as bench_export.py does
        out["geojson export"] = _times(lambda: export_layer(con, options, path))
    finally:
        con.close()
    return out


def run_store(kind: str, stores: Stores, csv_path: Path | None) -> tuple[dict, str]:
    """Every measurement on one store; returns the times and the built database."""
    out: dict[str, list[float]] = {}
    built = ""

    def build_once(i: int) -> None:
        nonlocal built
        built = stores.fresh(kind, f"build_{kind}_{i}")
        _build(built)

    print(f"[{kind}] build x{BUILDS} ...", file=sys.stderr, flush=True)
    out["build (demo)"] = _times(build_once, BUILDS, setup=lambda i: i)
    print(f"[{kind}] indicators, map, export ...", file=sys.stderr, flush=True)
    out.update(_measure_reads(built, stores.work))
    if csv_path is None:
        csv_path = stores.work / "organizations_100k.csv"
        write_csv(built, csv_path)
    print(f"[{kind}] import {ROWS:,} rows x{RUNS} ...", file=sys.stderr, flush=True)
    copies = lambda i: stores.fresh(kind, f"import_{kind}_{i}", template=built)  # noqa: E731
    stored = []
    out["import 100k rows"] = _times(
        lambda db: stored.append(_run_import(db, csv_path)[2]["stored"]), setup=copies
    )
    STORED[kind] = stored
    return out, str(csv_path)


def _fmt(times: list[float]) -> str:
    return f"{statistics.median(times):8.2f} ({min(times):.2f}-{max(times):.2f})"


def report(results: dict[str, dict[str, list[float]]], loads: list[tuple]) -> list[tuple]:
    duck, pg = results["duckdb"], results["postgres"]
    rows = []
    print(
        f"\n{'target':20} {'n':>2} {'DuckDB s (min-max)':>24} {'PostgreSQL s (min-max)':>26}"
        f" {'PG/DuckDB':>9}"
    )
    for name in duck:
        ratio = statistics.median(pg[name]) / statistics.median(duck[name])
        rows.append((name, duck[name], pg[name], ratio))
        print(
            f"{name:20} {len(duck[name]):2d} {_fmt(duck[name]):>24} {_fmt(pg[name]):>26}"
            f" {ratio:8.2f}x"
        )
    print(f"rows stored by each import: DuckDB {STORED['duckdb']}, PostgreSQL {STORED['postgres']}")
    (s1, s5, _), (e1, e5, _) = loads[0], loads[-1]
    print(
        f"load average (1 / 5 min) at start {s1:.2f} / {s5:.2f}, at end {e1:.2f} / {e5:.2f}"
        f" on {os.cpu_count()} CPUs"
    )
    for name, _, _, ratio in rows:
        verdict = "within" if ratio <= LIMIT else "NOT within"
        print(f"{name}: PostgreSQL {verdict} {LIMIT:.0f}x of DuckDB ({ratio:.2f}x)")
    return rows


def main() -> list[tuple]:
    from data import pg_cluster

    if not pg_cluster.available():
        print("skipped: PostgreSQL 15 + PostGIS are not installed (make postgres-deps)")
        return []
    logging.disable(logging.WARNING)  # st_folium without a server warns on every call
    loads = [os.getloadavg()]
    # outside /tmp/pytest-of-root: as root the server runs as ``postgres``
    folder = Path(tempfile.mkdtemp(prefix="phang-bench-pg-"))
    work = Path(tempfile.mkdtemp(prefix="phang-bench-stores-"))
    port = _free_port()
    try:
        pg_cluster.start(folder, port)
        pg_cluster.wait_ready(port)
        stores = Stores(work, port)
        results, csv_path = {}, None
        for kind in STORES:
            results[kind], csv_path = run_store(kind, stores, csv_path and Path(csv_path))
        loads.append(os.getloadavg())
        return report(results, loads)
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
