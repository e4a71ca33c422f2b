"""Parse a file in a separate, limited process and read its rows back in groups.

:func:`parse_isolated` starts ``python -m data.importers.worker`` on a private job
directory, waits for it with a wall-clock limit (killing its process group when the limit
passes or the caller stops) and turns every way it can end into either a
:class:`ParsedFile` or an :class:`ImportFileError` in Thai and English: a refusal by the
checks, a worker out of memory, out of CPU time, killed, or crashed in a third-party
parser (the traceback goes to the server log, never to the user).
:meth:`ParsedFile.chunks` then yields :class:`RawTable` groups of rows for checking.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from data.importers.errors import ImportFileError
from data.importers.limits import Limits
from data.importers.readers import RawTable
from data.importers.worker import EXIT_MEMORY

log = logging.getLogger("phang.import")
ROOT = Path(__file__).resolve().parent.parent.parent
#: rows checked and staged at a time by the importing process
CHECK_ROWS = 5_000


@dataclass
class ParsedFile:
    """What the worker read: meta (headers, columns, rows, encoding, notes) and the rows."""

    name: str
    meta: dict
    rows_path: Path

    @property
    def rows(self) -> int:
        return int(self.meta["rows"])

    def chunks(self, size: int = CHECK_ROWS, *, only: set[int] | None = None) -> Iterator[RawTable]:
        """The rows as :class:`RawTable` groups of at most ``size`` rows (``only``: just
        these row numbers)."""
        import pyarrow.parquet as pq
        import shapely

        from data.importers.stream import decode_cell

        if not self.meta.get("has_rows_file"):
            return
        headers, columns = self.meta["headers"], self.meta["columns"]
        typed = self.meta["typed"]
        width = len(headers)
        source = pq.ParquetFile(self.rows_path)
        try:
            for batch in source.iter_batches(batch_size=size):
                numbers = batch.column("row_number").to_pylist()
                keep = None
                if only is not None:
                    keep = [i for i, n in enumerate(numbers) if n in only]
                    if not keep:
                        continue
                    numbers = [numbers[i] for i in keep]
                cols = []
                for j in range(width):
                    values = batch.column(f"c{j}").to_pylist()
                    if keep is not None:
                        values = [values[i] for i in keep]
                    cols.append([decode_cell(v) for v in values] if typed else values)
                rows = [list(r) for r in zip(*cols, strict=True)] if cols else [[] for _ in numbers]
                wkb = batch.column("geom").to_pylist()
                if keep is not None:
                    wkb = [wkb[i] for i in keep]
                geoms = None
                if self.meta.get("format") == "vector":
                    geoms = [shapely.from_wkb(g) if g else None for g in wkb]
                yield RawTable(
                    self.name,
                    self.meta["format"],
                    list(headers),
                    list(columns),
                    rows,
                    numbers,
                    geometries=geoms,
                    encoding=self.meta.get("encoding"),
                    notes=list(self.meta.get("notes") or []),
                )
        finally:
            source.close()


def _worker_env() -> dict:
    env = dict(os.environ)
    # one thread each and few malloc arenas: the address-space limit measures real need
    for key in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[key] = "1"
    env["MALLOC_ARENA_MAX"] = "2"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def parse_isolated(
    path: Path,
    kind: str,
    name: str,
    job_dir: Path,
    limits: Limits,
    *,
    on_rows: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Parse ``path`` in a worker process writing into ``job_dir`` (the caller removes it)."""
    job = {"file": str(path), "kind": kind, "name": name, "limits": limits.to_json()}
    (job_dir / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    errors = open(job_dir / "worker.log", "wb")
    try:
        proc = subprocess.Popen(  # noqa: S603 (our own module, no user text in argv)
            [sys.executable, "-m", "data.importers.worker", str(job_dir)],
            cwd=ROOT,
            env=_worker_env(),
            stdin=subprocess.DEVNULL,
            stdout=errors,
            stderr=errors,
            start_new_session=True,  # its own process group: killed whole on timeout
        )
    finally:
        errors.close()
    started = time.monotonic()
    seen = -1
    try:
        while True:
            try:
                code = proc.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() - started > limits.timeout_seconds:
                _kill(proc)
                raise ImportFileError(
                    f"{name}: reading took longer than {limits.timeout_seconds:,.0f} seconds "
                    "and was stopped; split the file or save it as CSV",
                    message_th=f"ไฟล์ {name}: ใช้เวลาอ่านนานเกิน {limits.timeout_seconds:,.0f} วินาที "
                    "จึงหยุด กรุณาแบ่งไฟล์หรือบันทึกเป็น CSV",
                )
            if on_rows is not None:
                rows = _read_progress(job_dir)
                if rows != seen:
                    seen = rows
                    on_rows(rows)
    except BaseException:
        _kill(proc)  # the caller stopped (a rerun, a closed tab): the worker goes too
        raise
    return _result(proc, code, job_dir, name, limits)


def _read_progress(job_dir: Path) -> int:
    try:
        return int((job_dir / "progress").read_text() or 0)
    except (OSError, ValueError):
        return 0


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _result(proc, code: int, job_dir: Path, name: str, limits: Limits) -> ParsedFile:
    try:
        result = json.loads((job_dir / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = {"ok": False, "reason": "killed"}
    if result.get("ok") and code == 0:
        log.info(
            "parsed %s: %s rows, worker peak %s MB, %s s CPU",
            name,
            result.get("rows"),
            result.get("peak_rss_mb"),
            result.get("cpu_seconds"),
        )
        return ParsedFile(name, result, job_dir / "rows.parquet")
    if "message" in result:
        raise ImportFileError(result["message"], message_th=result["message_th"])
    detail = _tail(job_dir / "worker.log")
    log.warning("import worker for %s ended with %s (%s): %s", name, code, result, detail)
    mb = limits.worker_bytes / 1024 / 1024
    if result.get("reason") == "memory":
        raise ImportFileError(
            f"{name}: reading it needs more than the {mb:,.0f} MB an import may use, so it "
            "was stopped; split the file or save it as CSV",
            message_th=f"ไฟล์ {name}: ต้องใช้หน่วยความจำเกิน {mb:,.0f} MB ที่การนำเข้าใช้ได้ จึงหยุด "
            "กรุณาแบ่งไฟล์หรือบันทึกเป็น CSV",
        )
    if code < 0 or result.get("reason") == "killed" or code == EXIT_MEMORY:
        raise ImportFileError(
            f"{name}: reading it was stopped (over {limits.worker_cpu_seconds:,} s of CPU or "
            f"{mb:,.0f} MB of memory); split the file or save it as CSV",
            message_th=f"ไฟล์ {name}: การอ่านถูกหยุด (ใช้เวลาประมวลผลหรือหน่วยความจำเกินขีดจำกัด) "
            "กรุณาแบ่งไฟล์หรือบันทึกเป็น CSV",
        )
    raise ImportFileError(
        f"{name}: cannot be read; the file is damaged or not in the format its name says",
        message_th=f"ไฟล์ {name}: อ่านไม่ได้ ไฟล์เสียหายหรือไม่ใช่รูปแบบตามนามสกุล",
    )


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return data[-limit:].decode("utf-8", "replace")
