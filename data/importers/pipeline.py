"""The import pipeline with bounded memory: parse apart, check in groups, write in SQL.

1. The file is parsed by a separate worker process with memory, CPU and time limits
   (:mod:`data.importers.isolation`), after the checks of :mod:`data.importers.precheck`;
   its rows come back as a Parquet file in a private work directory
   (:mod:`data.importers.tempfiles`), removed whatever happens.
2. The rows are checked :data:`CHECK_ROWS` at a time with the same rules as always
   (:func:`data.importers.row_checks.check_rows`); good rows and quarantined rows are written to
   Parquet files in the work directory as they are checked, so the importing process holds
   one group at a time whatever the file's size.
3. Duplicated ids across groups are found in SQL; then one transaction stores the batch,
   the quarantine and the records straight from those Parquet files.

At most ``PHANG_MAX_IMPORTS`` imports run at once in a process (:mod:`data.importers.queue`);
the others wait in line and are told their place.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from data.importers.core import (
    Progress,
    RowOutcome,
    _audit,
    _raw_dict,
    _refusal,
    _source_name,
    check_rows,
    column_types,
    scope_provinces,
    upsert_staged,
)
from data.importers.errors import ImportFileError
from data.importers.fields import KINDS
from data.importers.isolation import ParsedFile, parse_isolated
from data.importers.limits import current_limits
from data.importers.places import PlaceResolver
from data.importers.queue import import_queue
from data.importers.readers import FORMATS, RawTable, cell_text
from data.importers.safety import check_size
from data.importers.tempfiles import work_dir
from data.importers.values import Problem
from data.store import next_id, transaction

#: rows listed one by one in a report (all of them stay in the quarantine table)
REPORT_ROWS = 1000
Waiting = Callable[[int], None]


log = logging.getLogger("phang.import")


@contextmanager
def _own_errors(name: str):
    """Anything but the product's own errors becomes an :class:`ImportFileError`: the
    details go to the server log, the user reads a sentence (nothing was stored: the
    write is one transaction)."""
    from data.errors import PhangError

    try:
        yield
    except PhangError:
        raise
    except Exception as exc:
        log.exception("import of %s failed", name)
        raise ImportFileError(
            f"{name}: the import stopped on an unexpected problem and "
            "nothing was stored; the details are in the server log",
            message_th=f"ไฟล์ {name}: การนำเข้าหยุดเพราะปัญหาที่ไม่คาดคิด ยังไม่ได้บันทึกข้อมูลใด ๆ "
            "(รายละเอียดอยู่ในบันทึกของเซิร์ฟเวอร์)",
        ) from exc


def _give_back_memory() -> None:
    """Collect, then hand freed heap pages back to the system (glibc keeps them otherwise,
    and the write that follows would stack its own memory on top)."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _check_kind_and_type(kind: str, name: str) -> None:
    if kind not in KINDS:
        raise ImportFileError(
            f"unknown kind {kind!r}; one of {', '.join(KINDS)}",
            message_th=f"ไม่รู้จักประเภทข้อมูล {kind!r}",
        )
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(
            f"{name}: unsupported file type {suffix or '(none)'}; use CSV, XLSX, GeoJSON, "
            "Shapefile (.shp or .zip) or GeoPackage",
            message_th=f"ไฟล์ {name}: ไม่รองรับชนิดไฟล์ {suffix or '(ไม่มี)'} "
            "ใช้ CSV, XLSX, GeoJSON, Shapefile หรือ GeoPackage",
        )


def _parse(path: Path, kind: str, name: str, job: Path, progress: Progress) -> ParsedFile:
    limits = current_limits()
    check_size(path, limits.max_file_bytes, name=name)
    return parse_isolated(
        path,
        kind,
        name,
        job,
        limits,
        on_rows=lambda n: progress(0.05, f"reading: {n:,} rows") if n else None,
    )


def _checked_groups(parsed: ParsedFile, kind: str, resolver, provinces, progress: Progress):
    """Yield (group, outcomes); an empty file still gets its columns checked."""
    total = max(parsed.rows, 1)
    done = 0
    any_group = False
    for group in parsed.chunks():
        any_group = True
        outcomes = check_rows(group, kind, resolver, provinces=provinces)
        done += len(outcomes)
        progress(0.3 + 0.55 * done / total, f"checked {done:,} of {parsed.rows:,} rows")
        yield group, outcomes
    if not any_group:
        meta = parsed.meta
        empty = RawTable(parsed.name, meta["format"], meta["headers"], meta["columns"], [], [])
        check_rows(empty, kind, resolver, provinces=provinces)


def import_file(
    con,
    kind: str,
    path: str | Path,
    *,
    source: str | None = None,
    good_rows: bool = False,
    actor: str | None = None,
    gazetteer=None,
    display_name: str | None = None,
    progress: Progress | None = None,
    scope: str | None = None,
    waiting: Waiting | None = None,
):
    """Import ``path`` as records of ``kind`` (organization, council, project, land_case).

    ``scope`` is the importing coordinator's area (``THnn``, ``cluster:g:code`` or
    ``region:g:code``; None = whole country): rows whose tambon lies outside it are
    quarantined with reason ``outside_scope``. ``waiting(position)`` is called while the
    import waits in line for a free slot (1 = next).

    Raises :class:`ImportFileError` when the file as a whole cannot be read (nothing is
    stored then). Row problems never raise: see :mod:`data.importers.core` for the modes.
    ``display_name`` is the file's name as the user knows it (an upload's original name).
    """
    from data.importers.core import ImportReport

    started = time.perf_counter()
    progress = progress or (lambda _f, _m: None)
    path = Path(path)
    name = display_name or path.name
    _check_kind_and_type(kind, name)
    check_size(path, current_limits().max_file_bytes, name=name)
    with _own_errors(name), import_queue().slot(waiting), work_dir() as job:
        progress(0.02, "reading")
        parsed = _parse(path, kind, name, job, progress)
        meta = parsed.meta
        report = ImportReport(
            kind=kind,
            file=name,
            source=_source_name(source or Path(name).stem),
            mode="good_rows" if good_rows else "all_or_nothing",
            encoding=meta.get("encoding"),
            rows=parsed.rows,
            notes=list(meta.get("notes") or []),
        )
        report.ignored_columns = RawTable(
            name, meta["format"], meta["headers"], meta["columns"], [], []
        ).ignored_columns
        resolver = PlaceResolver(con, gazetteer)
        stage = _Stage(job, kind)
        for _group, outcomes in _checked_groups(
            parsed, kind, resolver, scope_provinces(con, scope), progress
        ):
            stage.add(outcomes, report)
        stage.duplicates_across_groups(con, parsed, report)
        del resolver  # its place caches are not needed to write: free them first
        _give_back_memory()
        progress(0.85, "writing")
        _write(con, kind, stage, report, file_sha256=_sha256(path), actor=actor)
    report.seconds = round(time.perf_counter() - started, 3)
    progress(1.0, "done")
    return report


def preview_file(
    con,
    kind: str,
    path: str | Path,
    *,
    gazetteer=None,
    display_name: str | None = None,
    sample: int = 20,
    waiting: Waiting | None = None,
) -> dict:
    """Read and check a file without storing anything: what an import would do.

    Returns ``{"file", "encoding", "rows", "good", "bad", "columns": [{header, field}],
    "ignored_columns", "sample": [cells...], "reasons": {code: count}, "refused": [...]}``.
    """
    path = Path(path)
    name = display_name or path.name
    _check_kind_and_type(kind, name)
    check_size(path, current_limits().max_file_bytes, name=name)
    with _own_errors(name), import_queue().slot(waiting), work_dir("preview") as job:
        parsed = _parse(path, kind, name, job, lambda _f, _m: None)
        meta = parsed.meta
        resolver = PlaceResolver(con, gazetteer)
        rows = good = 0
        reasons: dict[str, int] = {}
        refused: list[dict] = []
        repairs: list[dict] = []
        first: RawTable | None = None
        for group, outcomes in _checked_groups(parsed, kind, resolver, None, lambda *_: None):
            first = first or group
            rows += len(outcomes)
            for o in outcomes:
                if o.values is not None:
                    good += 1
                    continue
                reasons[o.problems[0].code] = reasons.get(o.problems[0].code, 0) + 1
                if len(refused) < 200:
                    refused.append(_refusal(o))
                if o.repairs and len(repairs) < REPORT_ROWS:
                    repairs.append({"row": o.row_number, "repairs": o.repairs})
    headers = meta["headers"]
    table = RawTable(name, meta["format"], headers, meta["columns"], [], [])
    return {
        "file": name,
        "encoding": meta.get("encoding"),
        "rows": rows,
        "good": good,
        "bad": rows - good,
        "columns": [
            {"header": h, "field": f} for h, f in zip(headers, meta["columns"], strict=True)
        ],
        "ignored_columns": table.ignored_columns,
        "headers": headers,
        "sample": [[cell_text(c) for c in r] for r in (first.rows[:sample] if first else [])],
        "sample_rows": first.row_numbers[:sample] if first else [],
        "reasons": reasons,
        "refused": refused,
        "repairs": repairs,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Stage:
    """Checked rows on disk: good records and quarantined rows as Parquet files."""

    def __init__(self, job: Path, kind: str) -> None:
        self.job, self.kind = job, kind
        self.good_files: list[Path] = []
        self.bad_files: list[Path] = []
        self.groups = 0
        self.quarantined = 0
        self.refused: list[dict] = []
        # kinds with an after_write hook (data.importers.registry) get their records back
        # after the write; only those kinds keep them (they are small registries)
        from data.importers.registry import SPECS

        spec = SPECS.get(kind)
        self.after_write = spec.after_write if spec is not None else None
        self.kept: list[dict] = []
        self.dropped: set[int] = set()

    def add(self, outcomes: list[RowOutcome], report) -> None:
        self.groups += 1
        good = [o for o in outcomes if o.values is not None]
        bad = [o for o in outcomes if o.values is None]
        for o in bad:
            if len(self.refused) < REPORT_ROWS:
                self.refused.append(_refusal(o))
        for o in outcomes:
            if o.repairs and len(report.repairs) < REPORT_ROWS:
                report.repairs.append({"row": o.row_number, "repairs": o.repairs})
            if o.note and len(report.fuzzy_places) < REPORT_ROWS:
                report.fuzzy_places.append(dict(o.note, row=o.row_number))
        if good:
            self._write_good(good)
            if self.after_write is not None:
                self.kept += [
                    o.values | {"source_id": o.source_id, "_row": o.row_number} for o in good
                ]
        if bad:
            self._write_bad(bad)

    def _write_good(self, good: list[RowOutcome]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from data.importers.core import records_frame

        frame = records_frame(self.kind, [o.values | {"source_id": o.source_id} for o in good])
        frame.insert(0, "row_number", [o.row_number for o in good])
        arrow = {"INTEGER": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}
        fields = [pa.field("row_number", pa.int64()), pa.field("source_id", pa.string())]
        types = column_types(self.kind)
        fields += [pa.field(c, arrow.get(t, pa.string())) for c, t in types.items()]
        fields.append(pa.field("geom_wkb", pa.binary()))
        table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
        path = self.job / f"good_{len(self.good_files):05d}.parquet"
        pq.write_table(table, path)
        self.good_files.append(path)

    def _write_bad(self, bad: list[RowOutcome]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.quarantined += len(bad)
        table = pa.table(
            {
                "row_number": pa.array([o.row_number for o in bad], pa.int64()),
                "source_id": pa.array([o.source_id for o in bad], pa.string()),
                "raw": [json.dumps(o.raw, ensure_ascii=False) for o in bad],
                "reason_code": [o.problems[0].code for o in bad],
                "reason": ["; ".join(p.message for p in o.problems) for o in bad],
                "reason_th": ["; ".join(p.message_th for p in o.problems) for o in bad],
                "candidates": [
                    json.dumps(
                        [c for p in o.problems for c in p.candidates][:10], ensure_ascii=False
                    )
                    for o in bad
                ],
            }
        )
        path = self.job / f"bad_{len(self.bad_files):05d}.parquet"
        pq.write_table(table, path)
        self.bad_files.append(path)

    def good_sql(self) -> str:
        files = ", ".join(f"'{p.as_posix()}'" for p in self.good_files)
        return f"read_parquet([{files}])"

    def bad_sql(self) -> str:
        files = ", ".join(f"'{p.as_posix()}'" for p in self.bad_files)
        return f"read_parquet([{files}])"

    def duplicates_across_groups(self, con, parsed: ParsedFile, report) -> None:
        """Rows repeating an id first seen in an earlier group become quarantined rows."""
        if self.groups < 2 or len(self.good_files) < 2:
            return
        dups = con.execute(
            f"""SELECT row_number, source_id, first FROM (
                    SELECT row_number, source_id,
                           min(row_number) OVER (PARTITION BY source_id) AS first
                    FROM {self.good_sql()})
                WHERE row_number <> first ORDER BY row_number"""
        ).fetchall()
        if not dups:
            return
        which = {r: (sid, first) for r, sid, first in dups}
        outcomes = []
        for group in parsed.chunks(only=set(which)):
            for i, number in enumerate(group.row_numbers):
                sid, first = which[number]
                geom = group.geometries[i] if group.geometries is not None else None
                o = RowOutcome(number, _raw_dict(group.headers, group.rows[i], geom), None)
                o.source_id = sid
                o.problems.append(
                    Problem(
                        "duplicate_in_file",
                        f"same record as row {first} (id {sid}); give rows their own ids",
                        f"ซ้ำกับแถวที่ {first} (รหัส {sid}) กรุณาให้รหัสไม่ซ้ำกัน",
                    )
                )
                outcomes.append(o)
        self.refused = sorted(
            self.refused + [_refusal(o) for o in outcomes[:REPORT_ROWS]], key=lambda r: r["row"]
        )[:REPORT_ROWS]
        self._write_bad(outcomes)
        # the good files are rewritten without the repeated rows
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        drop = sorted(which)
        self.dropped = set(drop)
        for path in self.good_files:
            table = pq.read_table(path)
            keep = pc.invert(pc.is_in(table.column("row_number"), value_set=_int_array(drop)))
            pq.write_table(table.filter(keep), path)


def _int_array(values: list[int]):
    import pyarrow as pa

    return pa.array(values, pa.int64())


_THREADS_LOCK = threading.Lock()
_THREADS_USERS = [0, None]  # imports writing now, the threads setting to restore


@contextmanager
def _one_thread(con):
    """DuckDB runs single-threaded while imports write: each thread of a parallel insert
    keeps its own buffers (a 50 MB CSV's write peaked 80 MB higher with two threads).
    The previous setting comes back when the last writing import ends."""
    with _THREADS_LOCK:
        if _THREADS_USERS[0] == 0:
            _THREADS_USERS[1] = con.execute("SELECT current_setting('threads')").fetchone()[0]
            con.execute("SET threads = 1")
        _THREADS_USERS[0] += 1
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _THREADS_USERS[0] -= 1
            if _THREADS_USERS[0] == 0:
                con.execute(f"SET threads = {int(_THREADS_USERS[1])}")


def _write(con, kind: str, stage: _Stage, report, *, file_sha256: str, actor: str | None):
    """Store the staged rows per the report's mode, in one transaction; fill in the report."""
    bad = stage.quarantined
    report.status = (
        "committed" if not bad else ("refused" if report.mode == "all_or_nothing" else "partial")
    )
    report.quarantined = bad
    report.refused = stage.refused
    store = stage.good_files and not (report.mode == "all_or_nothing" and bad)
    with _one_thread(con), transaction(con):
        batch_id = next_id(con, "import_batch_id_seq")
        con.execute(
            "INSERT INTO import_batch (id, kind, file_name, file_sha256, source, mode, status, "
            "encoding, rows_total, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                kind,
                report.file,
                file_sha256,
                report.source,
                report.mode,
                report.status,
                report.encoding,
                report.rows,
                actor,
            ],
        )
        report.batch_id = batch_id
        con.execute(
            "UPDATE quarantine SET status = 'superseded', resolved_at = current_timestamp,"
            " note = ? WHERE status = 'open' AND kind = ? AND source = ?",
            [f"superseded by import batch {batch_id}", kind, report.source],
        )
        if stage.bad_files:
            con.execute(
                f"""INSERT INTO quarantine (batch_id, kind, file_name, row_number, source,
                       source_id, raw, reason_code, reason, reason_th, candidates)
                    SELECT $batch, $kind, $file, row_number, $source, source_id, raw::JSON,
                           reason_code, reason, reason_th, candidates::JSON
                    FROM {stage.bad_sql()} ORDER BY row_number""",
                {"batch": batch_id, "kind": kind, "file": report.file, "source": report.source},
            )
        if store:
            counts = upsert_staged(
                con, kind, stage.good_sql(), source=report.source, batch_id=batch_id, actor=actor
            )
            report.inserted, report.updated, report.unchanged = counts
            if stage.after_write is not None:
                stage.after_write(
                    con, [r for r in stage.kept if r.get("_row") not in stage.dropped]
                )
        report.stored = report.inserted + report.updated + report.unchanged
        summary = {
            k: v
            for k, v in report.to_dict().items()
            if k not in ("refused", "repairs", "fuzzy_places")
        }
        con.execute(
            "UPDATE import_batch SET inserted = ?, updated = ?, unchanged = ?, quarantined = ?,"
            " finished_at = current_timestamp, summary = ? WHERE id = ?",
            [
                report.inserted,
                report.updated,
                report.unchanged,
                report.quarantined,
                json.dumps(summary, ensure_ascii=False, default=str),
                batch_id,
            ],
        )
        _audit(
            con,
            actor,
            "import",
            "import_batch",
            batch_id,
            None,
            {
                "file": report.file,
                "source": report.source,
                "status": report.status,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "quarantined": report.quarantined,
            },
        )
    return report
