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

The stage of checked rows on disk is :mod:`data.importers.staging`; the one-transaction
write is :mod:`data.importers.batch_write`; every name stays importable from here.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from data.importers.batch_write import _THREADS_LOCK, _THREADS_USERS, _one_thread, _write
from data.importers.core import (
    Progress,
    _refusal,
    _source_name,
    check_rows,
    scope_provinces,
)
from data.importers.errors import ImportFileError
from data.importers.fields import KINDS
from data.importers.isolation import ParsedFile, parse_isolated
from data.importers.limits import current_limits
from data.importers.places import PlaceResolver
from data.importers.queue import import_queue
from data.importers.readers import FORMATS, RawTable, cell_text
from data.importers.safety import check_size
from data.importers.staging import REPORT_ROWS, _int_array, _Stage
from data.importers.tempfiles import work_dir

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


__all__ = [
    "REPORT_ROWS",
    "_THREADS_LOCK",
    "_THREADS_USERS",
    "Waiting",
    "_Stage",
    "_check_kind_and_type",
    "_checked_groups",
    "_give_back_memory",
    "_int_array",
    "_one_thread",
    "_own_errors",
    "_parse",
    "_sha256",
    "_write",
    "import_file",
    "log",
    "preview_file",
]
