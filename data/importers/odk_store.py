"""Store Kobo/ODK submissions of the housing-need form as need reports, once each.

Every submission goes the way a report from the mark page goes: the same field checks
(:func:`data.need_reports.clean_form`), the same geometry rules
(:func:`geo.validate.validate_drawing`), the tambon from the location
(:func:`data.need_reports.assign_tambon`), stored by :func:`data.need_reports`'s own writer
with its receipt, private contact and audit row, and it enters the verify queue as
``pending``. What fails is kept in the ``quarantine`` table with its reasons (kind
``need_report``), to fix on the import page.

Submissions are independent reports from different people, so the good ones are stored and
the bad ones quarantined (the ``good_rows`` mode of the other importers). A submission is
identified by its instance id (see :class:`data.importers.odk.Submission`): importing the
same export again changes nothing, an edited submission updates its report while it is
still pending (or on hold), and an edit of a report a coordinator already decided is quarantined
(``already_decided``) instead of silently changing what was verified.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import shapely
import shapely.geometry

from data import audit
from data import need_reports as nr
from data.errors import InputError
from data.importers.core import ImportReport, RowOutcome, _insert_quarantine, _refusal
from data.importers.errors import ImportFileError
from data.importers.odk import (
    GEOMETRY_KEY,
    NEED_KIND,
    ExportTable,
    Submission,
    read_export,
    submissions_from,
)
from data.importers.odk_answers import to_need_form
from data.importers.values import Problem
from data.importers.writer import finish_batch
from data.store import is_constraint, met_another_writer, next_id, transaction
from geo.validate import CleanGeometry, GeometryError, validate_drawing


@dataclass
class _Ready:
    sub: Submission
    form: nr.NeedForm
    fields: dict
    geometry: CleanGeometry
    digest: str


def import_submissions(
    con,
    path: str | Path,
    *,
    actor: str | None = None,
    source: str | None = None,
    display_name: str | None = None,
    scope: str | None = None,
) -> ImportReport:
    """Import a KoboToolbox / ODK Central export (CSV, XLSX, GeoJSON) of the need_report form.

    ``scope`` is the importing coordinator's area: submissions located outside it are
    quarantined (``outside_scope``). Raises :class:`ImportFileError` when the file cannot be
    read at all; row problems never raise. Returns the report (``inserted``, ``updated``,
    ``unchanged``, ``quarantined``, ``refused`` with reasons).
    """
    started = time.perf_counter()
    path = Path(path)
    table = read_export(path, display_name=display_name)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    report = import_table(con, table, actor=actor, source=source, scope=scope, file_sha256=sha)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def import_table(
    con,
    table: ExportTable,
    *,
    actor: str | None = None,
    source: str | None = None,
    scope: str | None = None,
    file_sha256: str | None = None,
    batch_mode: str = "good_rows",
    attempts: int = 5,
    finish: Callable | None = None,
) -> ImportReport:
    """Check and store the submissions of ``table`` (see :func:`import_submissions`).

    ``finish(cursor, report)`` runs last inside the same transaction (a quarantine fix
    marks its row there, or raises to undo everything)."""
    report = ImportReport(
        kind=NEED_KIND,
        file=table.file_name,
        source=(source or table.tool)[:120],
        mode="good_rows",
        encoding=table.encoding,
        rows=len(table.submissions),
        ignored_columns=table.ignored_columns,
        notes=[f"export of {table.tool} ({table.format})"],
    )
    ready, bad = _check(con, table.submissions, scope)
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                _write(cur, ready, list(bad), report, actor, file_sha256, batch_mode)
                if finish is not None:
                    finish(cur, report)
            return report
        except duckdb.Error as exc:
            if met_another_writer(exc) and attempt < attempts - 1:
                time.sleep(0.02 * 2**attempt)  # another writer: all of it again
                continue
            if not is_constraint(exc):
                raise
            raise ImportFileError(
                f"{table.file_name}: a submission broke a rule of the database ({exc}); "
                "nothing was imported",
                message_th=f"ไฟล์ {table.file_name}: มีแบบสอบถามที่ขัดกับกฎของฐานข้อมูล จึงยังไม่นำเข้า",
            ) from exc
        finally:
            cur.close()
    raise AssertionError("unreachable")


def _problem(exc: InputError) -> Problem:
    code = getattr(exc, "code", None) or f"bad_{getattr(exc, 'field', 'value')}"
    return Problem(code, exc.message, exc.message_th)


def _check(con, subs: list[Submission], scope: str | None) -> tuple[list[_Ready], list]:
    index = nr.tambon_index(con)
    ready, bad = [], []
    for sub in subs:
        form, problems = to_need_form(sub)
        if form is not None:
            try:
                fields = nr.clean_form(form)
                geometry = validate_drawing(form.geometry)
                pcode = nr.assign_tambon(con, geometry.geom, index)
                if scope and not nr.in_scope(con, scope, pcode):
                    problems.append(
                        Problem(
                            "outside_scope",
                            f"The location is in tambon {pcode}, outside your area ({scope}).",
                            f"ตำแหน่งอยู่ในตำบล {pcode} นอกพื้นที่รับผิดชอบของคุณ",
                        )
                    )
            except (nr.NeedFormError, GeometryError) as exc:
                problems.append(_problem(exc))
        if problems:
            bad.append(RowOutcome(sub.row_number, sub.raw, None, problems, source_id=sub.key))
        else:
            ready.append(_Ready(sub, form, fields, geometry, nr.content_hash(fields, geometry)))
    return ready, bad


class _Known:
    """The reports this file's submissions may already have, read in one query, by form id,
    stable id and instance id (an edit names the instance it replaced)."""

    def __init__(self, cur, ready: list[_Ready]) -> None:
        ids = sorted({i for r in ready for i in (r.sub.key, r.sub.deprecated_id) if i})
        rows = cur.execute(
            """SELECT r.id, r.receipt, r.status, r.content_hash, r.form_id, s.submission_key,
                      s.instance_id
               FROM need_report r LEFT JOIN need_report_submission s ON s.report_id = r.id
               WHERE list_contains($forms, r.form_id) OR list_contains($ids, s.submission_key)
                  OR list_contains($ids, s.instance_id)""",
            {"forms": sorted({r.form.form_id for r in ready}), "ids": ids},
        ).fetchall()
        self.by_form: dict[str, dict] = {}
        self.by_id: dict[str, dict] = {}
        for row in rows:
            self.remember(dict(zip(_KNOWN, row, strict=True)))

    def remember(self, found: dict) -> None:
        self.by_form[found["form_id"]] = found
        for key in ("submission_key", "instance_id"):
            if found.get(key):
                self.by_id.setdefault(found[key], found)

    def find(self, item: _Ready) -> dict | None:
        found = self.by_form.get(item.form.form_id) or self.by_id.get(item.sub.key or "")
        if found is None and item.sub.deprecated_id:
            found = self.by_id.get(item.sub.deprecated_id)
        return found


_PROVENANCE = (
    "report_id", "submission_key", "instance_id", "source", "collected_at", "import_batch_id",
)  # fmt: skip
_KNOWN = ("id", "receipt", "status", "content_hash", "form_id", "submission_key", "instance_id")


def _write(cur, ready, bad, report, actor, file_sha256, batch_mode) -> None:
    batch_id = next_id(cur, "import_batch_id_seq")
    cur.execute(
        "INSERT INTO import_batch (id, kind, file_name, file_sha256, source, mode, status, "
        "encoding, rows_total, actor) VALUES (?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?)",
        [
            batch_id,
            NEED_KIND,
            report.file,
            file_sha256,
            report.source,
            batch_mode,
            report.encoding,
            report.rows,
            actor,
        ],
    )
    report.batch_id = batch_id
    keys = [s for s in {o.source_id for o in bad} | {r.sub.key for r in ready} if s]
    if keys and batch_mode != "fix":  # this file's version of a submission replaces the last one
        cur.execute(
            f"""UPDATE quarantine SET status = 'superseded', resolved_at = current_timestamp,
                note = ? WHERE status = 'open' AND kind = ? AND source_id IN
                ({", ".join("?" for _ in keys)})""",
            [f"superseded by import batch {batch_id}", NEED_KIND, *keys],
        )
    report.inserted = report.updated = report.unchanged = 0
    report.repairs, report.notes = [], report.notes[:1]  # a retried write starts again
    seen: dict[str, int] = {}
    known = _Known(cur, ready)
    new_rows: list[tuple] = []
    for item in ready:
        found = known.find(item)
        if item.form.form_id in seen:
            report.notes.append(
                f"row {item.sub.row_number} repeats the submission of row "
                f"{seen[item.form.form_id]} ({item.sub.key})"
            )
        seen.setdefault(item.form.form_id, item.sub.row_number)
        if found is None:
            # the mark page's own writer: receipt, tambon, private contact, audit row
            receipt = nr._store(
                cur, item.form.form_id, item.fields, item.geometry, item.digest, actor, False
            )
            new_rows.append(
                (receipt.report_id, item.sub.key, item.sub.instance_id, report.source,
                 item.sub.submitted_at, batch_id)
            )  # fmt: skip
            report.inserted += 1
            known.remember(
                dict(id=receipt.report_id, receipt=receipt.receipt, status="pending",
                     content_hash=item.digest, form_id=item.form.form_id,
                     submission_key=item.sub.key, instance_id=item.sub.instance_id)
            )  # fmt: skip
        elif found["content_hash"] == item.digest:
            report.unchanged += 1
        elif found["status"] not in ("pending", "on_hold"):
            bad.append(_decided(item, found))
        else:
            _update(cur, found, item, actor, report.source, batch_id)
            found["content_hash"] = item.digest
            report.updated += 1
        if item.geometry.repairs:
            report.repairs.append(
                {"row": item.sub.row_number, "repairs": item.geometry.repair_codes}
            )
    if new_rows:  # where the new reports came from, in one statement
        frame = pd.DataFrame(new_rows, columns=_PROVENANCE)
        frame["collected_at"] = pd.to_datetime(frame["collected_at"])
        cur.register("_submission_rows", frame)
        try:
            cur.execute(
                f"INSERT INTO need_report_submission ({', '.join(_PROVENANCE)}) "
                f"SELECT {', '.join(_PROVENANCE)} FROM _submission_rows"
            )
        finally:
            cur.unregister("_submission_rows")
    report.stored = report.inserted + report.updated + report.unchanged
    report.quarantined = len(bad)
    report.refused = [_refusal(o) for o in bad]
    report.status = "partial" if bad else "committed"
    if bad:
        _insert_quarantine(cur, NEED_KIND, batch_id, report, bad)
    finish_batch(cur, report, batch_id, actor, leave_out=("refused", "repairs"))


def _provenance(cur, report_id: int, item: _Ready, source: str, batch_id: int) -> None:
    """Update where report ``report_id`` came from (an edited submission)."""
    cur.execute(
        "UPDATE need_report_submission SET instance_id = ?, source = ?, collected_at = ?, "
        "import_batch_id = ?, updated_at = current_timestamp WHERE report_id = ?",
        [item.sub.instance_id, source, item.sub.submitted_at, batch_id, report_id],
    )


def _decided(item: _Ready, found: dict) -> RowOutcome:
    status = found["status"]
    th = nr.STATUSES.get(status, (status, status))[0]
    problem = Problem(
        "already_decided",
        f"This submission was edited after report {found['receipt']} was {status}; reopen "
        "the report on the verify page, then fix this row to take the edit.",
        f"แบบสอบถามนี้ถูกแก้ไขหลังจากคำร้อง {found['receipt']} {th}แล้ว "
        "เปิดคำร้องใหม่ในหน้าตรวจสอบ แล้วแก้แถวนี้เพื่อรับข้อมูลที่แก้ไข",
    )
    return RowOutcome(item.sub.row_number, item.sub.raw, None, [problem], source_id=item.sub.key)


#: statuses in which an edited submission still updates its report (on hold = waiting for
#: more information, which an edit in the field may be)
_OPEN = "('pending', 'on_hold')"
_COLUMNS = ("community_name", "households", "problems", "landowner", "urgency", "description")


def _update(cur, found: dict, item: _Ready, actor, source: str, batch_id: int) -> None:
    before = cur.execute(
        f"SELECT {', '.join(_COLUMNS)}, tambon_pcode, ST_AsText(geom) FROM need_report "
        "WHERE id = ?",
        [found["id"]],
    ).fetchone()
    pcode = nr.assign_tambon(cur, item.geometry.geom)
    fields = item.fields
    changed = cur.execute(
        f"""UPDATE need_report SET content_hash = ?, tambon_pcode = ?, geom = ST_GeomFromWKB(?),
                area_m2 = ?, {", ".join(f"{c} = ?" for c in _COLUMNS)}, repairs = ?,
                updated_at = current_timestamp
            WHERE id = ? AND status IN {_OPEN}""",
        [
            item.digest,
            pcode,
            shapely.to_wkb(item.geometry.geom),
            item.geometry.area_m2,
            *(fields[c] for c in _COLUMNS),
            item.geometry.repair_codes,
            found["id"],
        ],
    ).fetchone()
    # decided between the check and now: the transaction is retried
    if not changed or not changed[0]:
        raise duckdb.TransactionException("need_report changed during the import")
    _provenance(cur, found["id"], item, source, batch_id)
    after = {c: fields[c] for c in _COLUMNS}
    after.update(
        tambon_pcode=pcode, geometry=shapely.to_wkt(item.geometry.geom, rounding_precision=7)
    )
    audit.record(
        cur,
        actor or "system",
        "update",
        "need_report",
        found["id"],
        dict(zip((*_COLUMNS, "tambon_pcode", "geometry"), before, strict=True)),
        after,
    )
    contact = fields["contact"]
    cur.execute("DELETE FROM need_contact WHERE report_id = ?", [found["id"]])
    if any(contact.values()):
        cur.execute(
            "INSERT INTO need_contact (report_id, name, phone, note) VALUES (?, ?, ?, ?)",
            [found["id"], contact["name"], contact["phone"], contact["note"]],
        )


class _NotFixed(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("still refused")
        self.report = report


def resubmit_submission(
    con, q: dict, *, edits: dict | None = None, actor: str | None = None, scope: str | None = None
) -> ImportReport:
    """Re-check quarantined submission ``q`` (a row of :func:`quarantine._load`) with edited
    cells. Stored and marked ``fixed`` when it now passes (``status == "committed"``);
    otherwise nothing changes and the report says why (``status == "refused"``)."""
    raw = dict(q["raw"]) | dict(edits or {})
    wkt = raw.pop(GEOMETRY_KEY, None)
    geometries = [shapely.geometry.mapping(shapely.from_wkt(wkt))] if wkt else None
    headers = list(raw)
    subs, _ = submissions_from(headers, [(q["row_number"], list(raw.values()))], geometries)
    table = ExportTable(q["file_name"], "quarantine", q["source"], None, headers, subs)

    def finish(cur, report: ImportReport) -> None:
        if report.quarantined or not report.stored:
            raise _NotFixed(report)
        found = cur.execute(
            "SELECT id FROM need_report WHERE form_id = ?", [to_need_form(subs[0])[0].form_id]
        ).fetchone()
        cur.execute(
            "UPDATE quarantine SET status = 'fixed', resolved_at = current_timestamp,"
            " resolved_by = ?, resolved_table = 'need_report', resolved_record_id = ?,"
            " note = ? WHERE id = ?",
            [actor, found[0], json.dumps({"edits": edits or {}}, ensure_ascii=False), q["id"]],
        )
        audit.record(
            cur,
            actor or "system",
            "quarantine_fix",
            "need_report",
            found[0],
            {"quarantine_id": q["id"]},
            {"edits": edits or {}},
        )

    try:
        return import_table(
            con,
            table,
            actor=actor,
            source=q["source"],
            scope=scope,
            batch_mode="fix",
            finish=finish,
        )
    except _NotFixed as exc:
        exc.report.status = "refused"
        exc.report.stored = exc.report.inserted = exc.report.updated = exc.report.unchanged = 0
        return exc.report
