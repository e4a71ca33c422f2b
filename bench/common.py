"""What the benchmarks share: a database to measure on, copied so nothing is changed.

The source is ``PHANG_BENCH_DB``, else the ``PHANG_DB`` setting (``var/phangchumchon.duckdb``
by default, what ``make run`` builds); when it does not exist (or holds no boundaries) a
database is built from the shared files into the work directory first (not timed).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _has_boundaries(path: Path) -> bool:
    from data.errors import PhangError
    from data.store import connect

    try:
        con = connect(path, read_only=True)
    except PhangError:
        return False
    try:
        return bool(con.execute("SELECT count(*) FROM tambon").fetchone()[0])
    except Exception:  # an old or foreign file: build a fresh one
        return False
    finally:
        con.close()


def bench_database(workdir: Path, *, demo: bool = True) -> Path:
    """A private copy of the product database in ``workdir`` (built there if need be)."""
    from data.settings import boundaries_dir, db_path, villages_file

    target = Path(workdir) / "bench.duckdb"
    source = Path(os.environ.get("PHANG_BENCH_DB") or db_path())
    if source.exists() and _has_boundaries(source):
        shutil.copy(source, target)
        return target
    from data.build import build
    from data.store import connect

    print(f"building a database in {workdir} (not timed) ...", file=sys.stderr, flush=True)
    con = connect(target)
    try:
        build(con, boundaries_dir(), villages_file(), options={"demo": demo})
    finally:
        con.close()
    return target
