"""Checked rows on disk: the import pipeline's stage.

Good records and quarantined rows of each checked group are written to Parquet files in
the import's work directory as they are checked, so the importing process holds one group
at a time; ids repeated across groups are found in SQL afterwards. Part of
:mod:`data.importers.pipeline` (every name is importable from there).
"""

from __future__ import annotations

import json
from pathlib import Path

from data.importers.core import RowOutcome, _raw_dict, _refusal, column_types
from data.importers.isolation import ParsedFile
from data.importers.values import Problem

#: rows listed one by one in a report (all of them stay in the quarantine table)
REPORT_ROWS = 1000


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
