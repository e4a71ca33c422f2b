"""Streaming readers (run inside the parser worker): a file in, Parquet row groups out.

Each reader finds the header row like :mod:`data.importers.readers` does, then writes the
data rows in groups of :data:`CHUNK_ROWS` to ``rows.parquet`` (``row_number``, one text
column per header, ``geom`` as WKB for map files), so memory holds one group at a time
whatever the file's size. XLSX cells keep their type through a one-letter prefix
(:func:`encode_cell`); CSV cells are text already.

The XLSX reader walks the cells the sheet really holds, with openpyxl's cell parser
under defusedxml: the declared dimension (``A1:XFD1048576`` in a "dimension bomb") is
never used to fill empty cells, a row numbered past 1,048,576 or a value beyond the column
limit is refused, and every parsed row is dropped from the XML tree at once.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from data.importers.errors import ImportFileError
from data.importers.limits import SHEET_LAST_ROW, Limits
from data.importers.readers import HEADER_SCAN_ROWS, _find_header, _map_header, _trim

CHUNK_ROWS = 20_000
#: ...or fewer when their text passes this many characters (long cells, wide rows)
CHUNK_CHARS = 8_000_000
csv.field_size_limit(1_000_000)


def encode_cell(value) -> str | None:
    """A cell as text with its type in the first letter (see :func:`decode_cell`)."""
    if value is None:
        return None
    if isinstance(value, str):
        return "s" + value
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, int):
        return "i" + str(value)
    if isinstance(value, float):
        return "f" + repr(value)
    if isinstance(value, dt.datetime):
        return "t" + value.isoformat()
    if isinstance(value, dt.date):
        return "d" + value.isoformat()
    return "s" + str(value)


def decode_cell(text: str | None):
    """The cell :func:`encode_cell` wrote."""
    if text is None:
        return None
    tag, rest = text[:1], text[1:]
    if tag == "s":
        return rest
    if tag == "i":
        return int(rest)
    if tag == "f":
        return float(rest)
    if tag == "t":
        return dt.datetime.fromisoformat(rest)
    if tag == "d":
        return dt.date.fromisoformat(rest)
    if tag == "b":
        return rest == "1"
    return rest


class RowSink:
    """Collects rows after the header and writes them to Parquet in groups."""

    def __init__(self, out: Path, kind: str, name: str, limits: Limits, *, typed: bool) -> None:
        self.out, self.kind, self.name, self.limits, self.typed = out, kind, name, limits, typed
        self.head: list[tuple[int, list]] = []
        self.headers: list[str] | None = None
        self.columns: list[str | None] | None = None
        self.rows = 0
        self._buffer: list[tuple[int, list, bytes | None]] = []
        self._chars = 0
        self._writer = None
        self._geometry = False
        #: called with the rows written so far after each group (the worker's progress file)
        self.on_flush = None

    def add(self, number: int, cells: list, geom: bytes | None = None) -> None:
        if len(cells) > self.limits.max_columns and any(
            c not in (None, "") for c in cells[self.limits.max_columns :]
        ):
            raise _too_many_columns(self.name, len(cells), self.limits)
        if self.headers is None:
            if not _trim(cells):
                return
            self.head.append((number, cells))
            if len(self.head) >= HEADER_SCAN_ROWS:
                self._decide_header()
            return
        self._row(number, cells, geom)

    def set_header(self, headers: list[str], columns: list[str | None]) -> None:
        """For map files: the attribute names are the header."""
        self.headers, self.columns = headers, columns

    def add_feature(self, number: int, cells: list, geom: bytes | None) -> None:
        self._row(number, cells, geom if geom is not None else b"")

    def _decide_header(self) -> None:
        grid = [c for _, c in self.head]
        hdr, self.headers, self.columns = _find_header(grid, self.kind, self.name)
        rest = self.head[hdr + 1 :]
        self.head = []
        for number, cells in rest:
            self._row(number, cells, None)

    def _row(self, number: int, cells: list, geom: bytes | None) -> None:
        if geom is None and not _trim(cells):
            return
        geom = geom or None
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise ImportFileError(
                f"{self.name} holds more than {self.limits.max_rows:,} data rows; split the file",
                message_th=f"ไฟล์ {self.name} มีข้อมูลเกิน {self.limits.max_rows:,} แถว กรุณาแบ่งไฟล์",
            )
        width = len(self.headers)
        cells = cells + [""] * (width - len(cells)) if len(cells) < width else cells[:width]
        if geom is not None:
            self._geometry = True
        self._buffer.append((number, cells, geom))
        self._chars += sum(len(c) if isinstance(c, str) else 8 for c in cells)
        if len(self._buffer) >= CHUNK_ROWS or self._chars >= CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        width = len(self.headers)
        data = {"row_number": pa.array([b[0] for b in self._buffer], pa.int64())}
        for j in range(width):
            if self.typed:
                values = [encode_cell(b[1][j]) for b in self._buffer]
            else:
                values = [b[1][j] for b in self._buffer]
            data[f"c{j}"] = pa.array(values, pa.string())
        data["geom"] = pa.array([b[2] for b in self._buffer], pa.binary())
        table = pa.table(data)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.out, table.schema, compression="zstd")
        self._writer.write_table(table, row_group_size=len(self._buffer))
        self._buffer = []
        self._chars = 0
        if self.on_flush is not None:
            self.on_flush(self.rows)

    def close(self) -> dict:
        """Write what is left; return the meta the parent needs (headers, columns, rows)."""
        if self.headers is None:
            self._decide_header()
        self._flush()
        if self._writer is not None:
            self._writer.close()
        return {
            "headers": self.headers,
            "columns": self.columns,
            "rows": self.rows,
            "typed": self.typed,
            "has_rows_file": self._writer is not None,
        }


def _too_many_columns(name: str, n: int, limits: Limits) -> ImportFileError:
    return ImportFileError(
        f"{name} has data in {n:,} columns, over the limit of {limits.max_columns:,}",
        message_th=f"ไฟล์ {name} มีข้อมูล {n:,} คอลัมน์ เกินขีดจำกัด {limits.max_columns:,} คอลัมน์",
    )


# --- CSV ----------------------------------------------------------------------------------------


def stream_csv(path: Path, sink: RowSink, encoding: str) -> None:
    """Read a CSV whose encoding was decided (:func:`precheck.detect_encoding`) row by row."""
    codec = {"utf-8-bom": "utf-8-sig"}.get(encoding, encoding)
    with open(path, encoding=codec, errors="strict", newline="") as fh:
        sample = fh.read(20000)
        fh.seek(0)
        first = [ln for ln in sample.splitlines()[:HEADER_SCAN_ROWS] if ln.strip()]
        delimiter = max([",", ";", "\t", "|"], key=lambda d: sum(ln.count(d) for ln in first))
        reader = csv.reader(fh, delimiter=delimiter)
        line = 0
        try:
            for record in reader:
                start = line + 1
                line = reader.line_num
                sink.add(start, record)
        except csv.Error as exc:
            raise ImportFileError(
                f"{sink.name}: broken CSV near line {reader.line_num}: {exc}",
                message_th=f"ไฟล์ {sink.name}: รูปแบบ CSV เสียใกล้บรรทัด {reader.line_num}",
            ) from exc


# --- XLSX ---------------------------------------------------------------------------------------


def stream_xlsx(path: Path, sink: RowSink, sheets: dict) -> list[str]:
    """Stream the best sheet of a workbook (see :func:`pick_sheet`); returns notes."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImportFileError(
            "defusedxml is not installed; XLSX import is disabled",
            message_th="ไม่ได้ติดตั้ง defusedxml จึงปิดการนำเข้า XLSX",
        )
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    notes = []
    try:
        sheet = pick_sheet(book, sink.kind, sink.name, sink.limits)
        facts = sheets.get(sheet._worksheet_path.lstrip("/"))
        if facts is not None and _overstated(facts):
            notes.append(f"declared sheet size {facts.declared} (not used; cells read as found)")
        targets = _merge_fills(facts.merges if facts else [])
        last_target = max(targets, default=0)
        anchors: dict[tuple[int, int], object] = {}
        for number, cells in sheet_rows(book, sheet, sink.name, sink.limits):
            if number <= last_target:
                for c0 in {a[1] for t in targets.values() for (_c, a) in t if a[0] == number}:
                    anchors[(number, c0)] = cells[c0 - 1] if c0 <= len(cells) else None
                for c, anchor in targets.get(number, ()):
                    if c > len(cells):
                        cells.extend([None] * (c - len(cells)))
                    if cells[c - 1] in (None, ""):
                        cells[c - 1] = anchors.get(anchor)
            cells = [c.strip() if isinstance(c, str) else ("" if c is None else c) for c in cells]
            sink.add(number, cells)
    finally:
        book.close()
    return notes


def _overstated(facts) -> bool:
    """Whether a sheet declares far more cells than it holds (a dimension bomb or a stray
    formatted cell): worth a note, never worth walking."""
    from openpyxl.utils.cell import range_boundaries

    if not facts.declared:
        return False
    try:
        c0, r0, c1, r1 = range_boundaries(facts.declared)
    except (ValueError, TypeError):
        return True
    return (c1 - c0 + 1) * (r1 - r0 + 1) > 10 * facts.cells + 10_000


def _merge_fills(ranges: list[str]) -> dict[int, list[tuple[int, tuple[int, int]]]]:
    """Cells of merged ranges that take their first cell's value, by row:
    ``{row: [(column, (first row, first column))]}``. Only ranges near the top (headers)
    are filled; a large or far-down merge is left as the sheet holds it."""
    from openpyxl.utils.cell import range_boundaries

    out: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for ref in ranges:
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 1000 or r0 > 1000:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out.setdefault(r, []).append((c, (r0, c0)))
    return out


def pick_sheet(book, kind: str, name: str, limits: Limits):
    """The sheet whose first rows name most fields of ``kind`` (the first sheet on a tie)."""
    from data.importers.fields import alias_index

    index = alias_index(kind)
    best, best_hits = book.worksheets[0], -1
    for sheet in book.worksheets:
        hits = 0
        for k, (_n, cells) in enumerate(sheet_rows(book, sheet, name, limits)):
            hits = max(hits, sum(1 for f in _map_header(cells, index) if f))
            if k + 1 >= HEADER_SCAN_ROWS:
                break
        if hits > best_hits:
            best, best_hits = sheet, hits
    return best


def sheet_rows(book, sheet, name: str, limits: Limits):
    """Yield ``(row number, cells)`` of the rows a sheet really holds, values only.

    Cells are placed by their own references; a row's list is as long as its last cell.
    """
    from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as src:
        parser = WorkSheetParser(
            src,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        parent = None
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start":
                if element.tag.endswith("}sheetData"):
                    parent = element
                continue
            if element.tag != ROW_TAG:
                continue
            declared = element.get("r")
            if declared is not None and declared.isdigit() and int(declared) > SHEET_LAST_ROW:
                raise _out_of_range(name, f"row {int(declared):,}")
            try:
                number, parsed = parser.parse_row(element)
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                raise _out_of_range(name, str(exc)[:80]) from exc
            finally:
                element.clear()
                parser.row_dimensions.clear()
                if parent is not None:
                    parent.remove(element)
            if number > SHEET_LAST_ROW:
                raise _out_of_range(name, f"row {number:,}")
            cells: list = []
            for cell in parsed:
                col, value = cell["column"], cell["value"]
                if value is None or value == "":
                    continue
                if col > limits.max_columns:
                    raise _too_many_columns(name, col, limits)
                if col > len(cells):
                    cells.extend([None] * (col - len(cells)))
                cells[col - 1] = value
            yield number, cells


def _out_of_range(name: str, what: str) -> ImportFileError:
    return ImportFileError(
        f"{name}: a cell lies outside what a spreadsheet can hold ({what}; the last row is "
        f"{SHEET_LAST_ROW:,}); the file is damaged or crafted",
        message_th=f"ไฟล์ {name}: มีเซลล์อยู่นอกขอบเขตที่ตารางคำนวณรองรับ ({what}) ไฟล์เสียหายหรือถูกดัดแปลง",
    )
