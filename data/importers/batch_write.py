"""Writing a staged import: one transaction stores the batch, the quarantine and the
records straight from the stage's Parquet files, with DuckDB single-threaded meanwhile.

Part of :mod:`data.importers.pipeline` (every name is importable from there).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import duckdb

from data.importers.core import upsert_staged
from data.importers.staging import _Stage
from data.importers.writer import finish_batch
from data.store import met_another_writer, next_id, transaction

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


WRITE_ATTEMPTS = 4


def _write(con, kind: str, stage: _Stage, report, *, file_sha256: str, actor: str | None):
    """Store the staged rows per the report's mode, in one transaction; fill in the report.

    Two imports writing the same new keys at once (two coordinators, two app servers on one
    PostgreSQL) meet as a write conflict or a duplicate key: the upsert decided "insert"
    before the other transaction committed. The whole transaction was rolled back, so it is
    tried again (up to ``WRITE_ATTEMPTS`` times), and then sees those rows and updates them.
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return _write_once(con, kind, stage, report, file_sha256=file_sha256, actor=actor)
        except duckdb.Error as exc:
            if attempt == WRITE_ATTEMPTS - 1 or not met_another_writer(exc):
                raise
            time.sleep(0.05 * 2**attempt)


def _write_once(con, kind: str, stage: _Stage, report, *, file_sha256: str, actor: str | None):
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
        finish_batch(con, report, batch_id, actor)
    return report
