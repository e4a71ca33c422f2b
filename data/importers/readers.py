"""Read CSV, XLSX, GeoJSON, Shapefile and GeoPackage files into one shape: :class:`RawTable`.

A reader only reads: it finds the header row (below any title rows; over two merged rows
in a spreadsheet), keeps each data row's number as the user sees it in the file, and hands
geometry over untouched. Checking values is the importer's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data.importers.errors import ImportFileError
from data.importers.fields import IGNORED, alias_index, header_key
from data.importers.safety import check_size, check_zip, decode_text, sniff_binary

FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".geojson": "vector",
    ".json": "vector",
    ".shp": "vector",
    ".gpkg": "vector",
    ".zip": "vector",
}
HEADER_SCAN_ROWS = 15


@dataclass
class RawTable:
    """Rows as read: ``columns`` (field name or None per column), ``headers`` (as written),
    ``rows`` (cell values), ``row_numbers`` (1-based, as in the file) and, for vector files,
    ``geometries`` (shapely or None per row)."""

    file_name: str
    format: str
    headers: list[str]
    columns: list[str | None]
    rows: list[list]
    row_numbers: list[int]
    geometries: list | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ignored_columns(self) -> list[str]:
        ignored = {header_key(c) for c in IGNORED}
        return [
            h
            for h, c in zip(self.headers, self.columns, strict=True)
            if c is None and h and header_key(h) not in ignored
        ]


def read_table(path: Path, kind: str, *, display_name: str | None = None) -> RawTable:
    """Read ``path`` (format from its extension, checked against its content) for ``kind``."""
    path = Path(path)
    name = display_name or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ImportFileError(
            f"{name}: unsupported file type {suffix or '(none)'}; use CSV, XLSX, GeoJSON, "
            "Shapefile (.shp or .zip) or GeoPackage",
            message_th=f"ไฟล์ {name}: ไม่รองรับชนิดไฟล์ {suffix or '(ไม่มี)'} "
            "ใช้ CSV, XLSX, GeoJSON, Shapefile หรือ GeoPackage",
        )
    check_size(path)
    with open(path, "rb") as fh:
        head = fh.read(64)
    binary = sniff_binary(head)
    if fmt == "csv":
        if binary:
            raise ImportFileError(
                f"{name} is named like a CSV file but is {binary}",
                message_th=f"ไฟล์ {name} ไม่ใช่ไฟล์ CSV แต่เป็นไฟล์ชนิดอื่น",
            )
        return _read_csv(path, kind, name)
    if fmt == "xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                f"{name} is not an XLSX workbook" + (f" but {binary}" if binary else ""),
                message_th=f"ไฟล์ {name} ไม่ใช่ไฟล์ XLSX",
            )
        check_zip(path)
        return _read_xlsx(path, kind, name)
    if suffix == ".zip":
        check_zip(path)
    elif suffix in (".geojson", ".json") and binary:
        raise ImportFileError(
            f"{name} is not GeoJSON but {binary}", message_th=f"ไฟล์ {name} ไม่ใช่ GeoJSON"
        )
    return _read_vector(path, kind, name)


# --- header detection -------------------------------------------------------------------------


def _map_header(cells: list, index: dict[str, str]) -> list[str | None]:
    return [index.get(header_key(c)) if c not in (None, "") else None for c in cells]


def _find_header(grid: list[list], kind: str, name: str) -> tuple[int, list[str], list]:
    """Pick the header row among the first rows: the one naming most known fields.

    A spreadsheet header split over two rows (a merged group cell above its sub-columns)
    is read column by column: the lower cell when it names a field, else the upper one.
    Returns (index of the last header row, headers as written, field per column).
    """
    index = alias_index(kind)
    best, best_hits = -1, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        hits = sum(1 for f in _map_header(row, index) if f)
        if hits > best_hits:
            best, best_hits = i, hits
    if best < 0 or best_hits == 0:
        raise ImportFileError(
            f"{name}: no header row with known column names in the first {HEADER_SCAN_ROWS} "
            "rows; see docs/import-headers.md",
            message_th=f"ไฟล์ {name}: ไม่พบแถวหัวคอลัมน์ที่รู้จักใน {HEADER_SCAN_ROWS} แถวแรก "
            "ดูรายชื่อหัวคอลัมน์ใน docs/import-headers.md",
        )
    row = [("" if c is None else str(c)) for c in grid[best]]
    columns = _map_header(row, index)
    headers = list(row)
    if best > 0:
        upper = [("" if c is None else str(c)) for c in grid[best - 1]]
        upper += [""] * (len(row) - len(upper))
        upper_fields = _map_header(upper, index)
        for j in range(len(row)):
            if (
                columns[j] is None
                and upper_fields[j] is not None
                and upper_fields[j] not in columns
            ):
                columns[j], headers[j] = upper_fields[j], upper[j]
    seen: set[str] = set()
    for j, f in enumerate(columns):
        if f is not None and f in seen:
            columns[j] = None  # a second column with the same meaning is reported, not used
        elif f is not None:
            seen.add(f)
    return best, headers, columns


def _trim(row: list) -> bool:
    return any(c not in (None, "") for c in row)


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(path: Path, kind: str, name: str) -> RawTable:
    text, encoding = decode_text(path.read_bytes(), name)
    sample = text[:20000]
    first_lines = [ln for ln in sample.splitlines()[:HEADER_SCAN_ROWS] if ln.strip()]
    delimiter = max([",", ";", "\t", "|"], key=lambda d: sum(ln.count(d) for ln in first_lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid, numbers = [], []
    line = 0
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if _trim(record):
                grid.append(record)
                numbers.append(start)
    except csv.Error as exc:
        raise ImportFileError(
            f"{name}: broken CSV near line {reader.line_num}: {exc}",
            message_th=f"ไฟล์ {name}: รูปแบบ CSV เสียใกล้บรรทัด {reader.line_num}",
        ) from exc
    hdr, headers, columns = _find_header(grid, kind, name)
    rows = [
        r + [""] * (len(headers) - len(r)) if len(r) < len(headers) else r[: len(headers)]
        for r in grid[hdr + 1 :]
    ]
    return RawTable(name, "csv", headers, columns, rows, numbers[hdr + 1 :], encoding=encoding)


# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(path: Path, kind: str, name: str) -> RawTable:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImportFileError(
            "defusedxml is not installed; XLSX import is disabled",
            message_th="ไม่ได้ติดตั้ง defusedxml จึงปิดการนำเข้า XLSX",
        )
    big = path.stat().st_size > 5 * 1024 * 1024  # the full reader needs ~50x the file in memory
    try:
        # Merged header cells need the full reader; very large sheets use the streaming one.
        book = openpyxl.load_workbook(path, read_only=big, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if _defused(exc):
            raise ImportFileError(
                f"{name}: refused, its XML declares entities (an XML bomb or worse)",
                message_th=f"ไฟล์ {name}: ถูกปฏิเสธ XML ภายในไม่ปลอดภัย (อาจเป็น XML bomb)",
            ) from exc
        raise ImportFileError(
            f"{name}: not a readable XLSX workbook ({exc})",
            message_th=f"ไฟล์ {name}: อ่านไฟล์ XLSX ไม่ได้",
        ) from exc
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        raise ImportFileError(
            f"{name}: refused, its XML is unsafe or broken ({type(exc).__name__})",
            message_th=f"ไฟล์ {name}: ถูกปฏิเสธ XML ภายในไม่ปลอดภัยหรือเสียหาย",
        ) from exc
    try:
        sheet = _pick_sheet(book, kind)
        grid, numbers = [], []
        fills: dict[tuple[int, int], object] = {}
        if not big:
            for merged in sheet.merged_cells.ranges:
                value = sheet.cell(merged.min_row, merged.min_col).value
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        fills[(r, c)] = value
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(row)
            if fills:
                for c in range(len(cells)):
                    if cells[c] is None and (r, c + 1) in fills:
                        cells[c] = fills[(r, c + 1)]
            cells = ["" if c is None else c for c in cells]
            if _trim(cells):
                grid.append(cells)
                numbers.append(r)
    finally:
        book.close()
    hdr, headers, columns = _find_header(grid, kind, name)
    rows = []
    for r in grid[hdr + 1 :]:
        r = [c.strip() if isinstance(c, str) else c for c in r]
        rows.append(
            r + [""] * (len(headers) - len(r)) if len(r) < len(headers) else r[: len(headers)]
        )
    return RawTable(name, "xlsx", headers, columns, rows, numbers[hdr + 1 :], encoding="xlsx")


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused something along the exception's chain."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _pick_sheet(book, kind: str):
    """The sheet whose first rows name most fields of ``kind`` (the first sheet on a tie)."""
    index = alias_index(kind)
    best, best_hits = book.worksheets[0], -1
    for sheet in book.worksheets:
        hits = 0
        for row in sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True):
            hits = max(hits, sum(1 for f in _map_header(list(row), index) if f))
        if hits > best_hits:
            best, best_hits = sheet, hits
    return best


# --- GeoJSON, Shapefile, GeoPackage -------------------------------------------------------------


def _read_vector(path: Path, kind: str, name: str, *, max_features: int | None = None) -> RawTable:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
        if len(layers) == 0:
            raise ImportFileError(f"{name}: no layer found", message_th=f"ไฟล์ {name}: ไม่พบชั้นข้อมูล")
        layer = str(layers[0][0])
        info = pyogrio.read_info(path, layer=layer)
        count = int(info.get("features") or -1)
        if max_features is not None and count > max_features:
            raise _too_many_features(name, count, max_features)
        needs_guess = info.get("encoding") in (None, "", "ISO-8859-1") and _is_shapefile(path)
        frame = pyogrio.read_dataframe(
            path,
            layer=layer,
            encoding="latin1" if needs_guess else None,
            max_features=None if max_features is None else max_features + 1,
        )
        if max_features is not None and len(frame) > max_features:
            raise _too_many_features(name, len(frame), max_features)
    except ImportFileError:
        raise
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFileError(
            f"{name}: cannot be read as a map file ({first})",
            message_th=f"ไฟล์ {name}: อ่านเป็นไฟล์แผนที่ไม่ได้",
        ) from exc
    notes = []
    encoding = "utf-8"
    if needs_guess:
        encoding = _redecode_columns(frame, name)
        notes.append(f"shapefile without .cpg: text read as {encoding}")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        original = frame.crs.to_string()
        try:
            frame = frame.to_crs(4326)
            notes.append(f"reprojected from {original} to WGS84 (EPSG:4326)")
        except Exception as exc:
            raise ImportFileError(
                f"{name}: cannot reproject from its CRS to WGS84",
                message_th=f"ไฟล์ {name}: แปลงพิกัดเป็น WGS84 ไม่ได้",
            ) from exc
    cols = [c for c in frame.columns if c != "geometry"]
    index = alias_index(kind)
    columns = [index.get(header_key(c)) for c in cols]
    if not any(columns):
        raise ImportFileError(
            f"{name}: no attribute has a known column name; see docs/import-headers.md",
            message_th=f"ไฟล์ {name}: ไม่มีคอลัมน์ที่รู้จัก ดู docs/import-headers.md",
        )
    values = frame[cols].astype(object).where(frame[cols].notna(), None).values.tolist()
    geoms = list(frame.geometry.values) if "geometry" in frame else [None] * len(frame)
    return RawTable(
        name,
        "vector",
        [str(c) for c in cols],
        columns,
        values,
        list(range(1, len(frame) + 1)),
        geometries=geoms,
        encoding=encoding,
        notes=notes,
    )


def _too_many_features(name: str, count: int, limit: int) -> ImportFileError:
    return ImportFileError(
        f"{name} holds {count:,} features or more, over the limit of {limit:,}; split the file",
        message_th=f"ไฟล์ {name} มี {count:,} รายการขึ้นไป เกินขีดจำกัด {limit:,} รายการ กรุณาแบ่งไฟล์",
    )


def _is_shapefile(path: Path) -> bool:
    if path.suffix.lower() == ".shp":
        return not path.with_suffix(".cpg").exists() and not path.with_suffix(".CPG").exists()
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n.lower() for n in archive.namelist()]
        return any(n.endswith(".shp") for n in names) and not any(n.endswith(".cpg") for n in names)
    return False


def _redecode_columns(frame, name: str) -> str:
    """Text of a shapefile read byte-for-byte (latin-1), decoded with the strict detector."""
    text_cols = [c for c in frame.columns if c != "geometry" and frame[c].dtype == object]
    blob = "\n".join(str(v) for c in text_cols for v in frame[c].dropna().tolist())
    _, encoding = decode_text(blob.encode("latin1"), name)
    codec = {"utf-8-bom": "utf-8-sig"}.get(encoding, encoding)
    for c in text_cols:
        frame[c] = frame[c].map(
            lambda v: v.encode("latin1").decode(codec) if isinstance(v, str) else v
        )
    return encoding


def cell_text(value) -> str:
    """A cell as the user would read it (for previews and the quarantine's raw row)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
