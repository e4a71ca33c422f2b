"""Checks a file passes before any parser sees it (run inside the parser worker).

For a zip (an XLSX workbook or a zipped shapefile): the number of members, each member's
uncompressed size and compression ratio, the total against the limit (read as the bytes
actually come out, not as the archive declares them). For an XLSX workbook, every XML
member is scanned as a byte stream: an XML document type or entity declaration is refused
(the "billion laughs"; defusedxml would refuse it again while parsing), each sheet's
declared dimension is read (and never trusted), and its rows and cells are counted against
the limits. Merged-cell ranges are collected so the streaming reader can fill them.

For a text file: the encoding is decided strictly over the whole file in pieces
(:func:`detect_encoding`), never by loading it whole.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data.importers.errors import ImportFileError
from data.importers.limits import Limits
from data.importers.safety import _MOJIBAKE, _looks_utf16, _thai_plausible

CHUNK = 4 * 1024 * 1024
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="([A-Za-z0-9:$]+)"')
_MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref="([A-Za-z]{1,3}\d+:[A-Za-z]{1,3}\d+)"'
)
#: merged cells filled at most (a header is a few rows; more is not worth the memory)
MAX_MERGED_CELLS = 200_000


@dataclass
class SheetFacts:
    """What the byte scan of one worksheet found."""

    member: str
    declared: str | None = None
    rows: int = 0
    cells: int = 0
    merges: list[str] = field(default_factory=list)


def _refuse(en: str, th: str) -> ImportFileError:
    return ImportFileError(en, message_th=th)


def check_archive(path: Path, name: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse a zip that is broken, holds too many members, or would expand like a bomb
    (by what its directory declares; :func:`read_member` checks what really comes out)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(
            f"{name} is not a readable zip/xlsx file ({type(exc).__name__})",
            f"ไฟล์ {name} เสียหายหรือไม่ใช่ไฟล์ xlsx/zip",
        ) from exc
    if len(members) > limits.max_members:
        raise _refuse(
            f"{name} holds {len(members):,} files, over the limit of {limits.max_members:,}; "
            "refused as unsafe",
            f"ไฟล์ {name} มีไฟล์ย่อย {len(members):,} ไฟล์ เกินขีดจำกัด {limits.max_members:,} จึงปฏิเสธ",
        )
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > limits.max_ratio:
            raise _bomb(name, info.filename, ratio)
    if total > limits.max_unzipped_bytes:
        raise _too_big_unzipped(name, total, limits)
    return members


def _bomb(name: str, member: str, ratio: float) -> ImportFileError:
    return _refuse(
        f"{name}: member {member} expands {ratio:,.0f} times; refused as a possible zip bomb",
        f"ไฟล์ {name} ขยายตัวผิดปกติ ({ratio:,.0f} เท่า) อาจเป็นไฟล์อันตราย (zip bomb) จึงปฏิเสธ",
    )


def _too_big_unzipped(name: str, total: int, limits: Limits) -> ImportFileError:
    return _refuse(
        f"{name} expands to {total / 1e6:,.0f} MB, over the "
        f"{limits.max_unzipped_bytes / 1e6:,.0f} MB limit",
        f"ไฟล์ {name} เมื่อแตกออกใหญ่ {total / 1e6:,.0f} MB เกินขีดจำกัด "
        f"{limits.max_unzipped_bytes / 1e6:,.0f} MB",
    )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: list[int]):
    """Yield a member's bytes in pieces, refusing it as soon as it outgrows what its
    directory entry declared or the archive's remaining budget (``budget[0]`` bytes)."""
    produced = 0
    try:
        with archive.open(info) as member:
            while True:
                piece = member.read(CHUNK)
                if not piece:
                    break
                produced += len(piece)
                budget[0] -= len(piece)
                if produced > info.file_size + 1024 or budget[0] < 0:
                    raise _bomb(name, info.filename, produced / max(info.compress_size, 1))
                yield piece
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise _refuse(
            f"{name}: member {info.filename} cannot be read ({type(exc).__name__})",
            f"ไฟล์ {name}: อ่านไฟล์ย่อย {info.filename} ไม่ได้ ไฟล์อาจเสียหาย",
        ) from exc


def check_workbook(path: Path, name: str, limits: Limits) -> dict[str, SheetFacts]:
    """Scan every XML member of an XLSX workbook; return the facts of each worksheet
    (by member path). Refuses entity declarations and sheets over the row/cell limits."""
    members = check_archive(path, name, limits)
    budget = [limits.max_unzipped_bytes]
    sheets: dict[str, SheetFacts] = {}
    cells_total = 0
    with zipfile.ZipFile(path) as archive:
        for info in members:
            lower = info.filename.lower()
            if not lower.endswith((".xml", ".rels", ".vml")):
                continue
            is_sheet = lower.startswith("xl/worksheets/") and lower.endswith(".xml")
            facts = SheetFacts(info.filename)
            tail = b""
            first = True
            for piece in read_member(archive, info, name, budget):
                data = tail + piece
                if _DOCTYPE.search(data):
                    raise _refuse(
                        f"{name}: refused, its XML ({info.filename}) declares a document type "
                        "or entities (an XML bomb or worse)",
                        f"ไฟล์ {name}: ถูกปฏิเสธ XML ภายในประกาศ entity ซึ่งไม่ปลอดภัย (อาจเป็น XML bomb)",
                    )
                if is_sheet:
                    if first:
                        found = _DIMENSION.search(data[:65536])
                        facts.declared = found.group(1).decode() if found else None
                    # count in the new bytes only (the tail was counted with the last piece)
                    facts.cells += len(_CELL.findall(piece))
                    facts.rows += len(_ROW.findall(piece))
                    if len(facts.merges) * 4 < MAX_MERGED_CELLS:
                        facts.merges += [m.decode() for m in _MERGE.findall(data)]
                first = False
                tail = piece[-64:]
            if is_sheet:
                facts.merges = sorted(set(facts.merges))
                cells_total += facts.cells
                if facts.rows > limits.max_rows:
                    raise _refuse(
                        f"{name}: a sheet holds {facts.rows:,} rows, over the limit of "
                        f"{limits.max_rows:,}; split the file",
                        f"ไฟล์ {name}: แผ่นงานมี {facts.rows:,} แถว เกินขีดจำกัด {limits.max_rows:,} แถว "
                        "กรุณาแบ่งไฟล์",
                    )
                if cells_total > limits.max_cells:
                    raise _refuse(
                        f"{name}: the workbook holds over {cells_total:,} cells, over the limit of "
                        f"{limits.max_cells:,}; save the data as CSV or split the file",
                        f"ไฟล์ {name}: มีเซลล์มากกว่า {cells_total:,} เซลล์ เกินขีดจำกัด "
                        f"{limits.max_cells:,} เซลล์ กรุณาบันทึกเป็น CSV หรือแบ่งไฟล์",
                    )
                sheets[info.filename] = facts
    return sheets


# --- text encodings ---------------------------------------------------------------------------


def detect_encoding(path: Path, name: str) -> str:
    """Decide a text file's encoding strictly, reading it in pieces (memory stays small).

    The same rules as :func:`data.importers.safety.decode_text`: a byte-order mark, UTF-16
    without one, strict UTF-8, strict cp874; Thai text must look like Thai (checked on
    samples from the start, the middle and the end), UTF-8 read as Latin-1 is refused.
    Returns the encoding's name as the import report shows it (``utf-8-bom`` for a BOM).
    """
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif _looks_utf16(head):
        odd = head[1:4000:2]
        le = sum(b in (0, 0x0E) for b in odd) > 0.9 * len(odd)
        candidates = ["utf-16-le" if le else "utf-16-be"]
    else:
        if b"\x00" in head:
            raise _binary(name)
        candidates = ["utf-8", "cp874"]
    tried = []
    for encoding in candidates:
        sample = _decode_whole(path, name, encoding, size)
        if sample is None:
            tried.append(encoding)
            continue
        start, middle, end = sample
        if _MOJIBAKE.search(start):
            raise _refuse(
                f"{name}: the Thai text was already garbled before saving (UTF-8 read as "
                "Latin-1); re-export it from the original",
                f"ไฟล์ {name}: ข้อความภาษาไทยเพี้ยนมาตั้งแต่ก่อนบันทึก กรุณาส่งออกใหม่จากต้นฉบับ",
            )
        if not _thai_plausible(start + middle + end):
            tried.append(encoding)
            continue
        return {"utf-8-sig": "utf-8-bom"}.get(encoding, encoding)
    raise _refuse(
        f"{name}: cannot tell the text encoding for sure (tried {', '.join(tried)}); "
        "save it as UTF-8 CSV",
        f"ไฟล์ {name}: ไม่สามารถระบุการเข้ารหัสอักขระได้แน่ชัด กรุณาบันทึกเป็น CSV แบบ UTF-8",
    )


def _binary(name: str) -> ImportFileError:
    return _refuse(
        f"{name} is a binary file, not text/CSV", f"ไฟล์ {name} เป็นไฟล์ไบนารี ไม่ใช่ข้อความ/CSV"
    )


def _decode_whole(path: Path, name: str, encoding: str, size: int):
    """Decode the whole file strictly in pieces; None when it is not in ``encoding``.
    Returns three samples of about 200,000 characters (start, middle, end)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    start = middle = ""
    end = ""
    offset = 0
    with open(path, "rb") as fh:
        while True:
            piece = fh.read(CHUNK)
            final = not piece
            try:
                text = decoder.decode(piece, final=final)
            except UnicodeDecodeError:
                return None
            if "\x00" in text:
                raise _binary(name)
            if len(start) < 200_000:
                start += text[: 200_000 - len(start)]
            elif not middle and offset >= size // 2:
                middle = text[:200_000]
            end = (end + text)[-200_000:]
            offset += len(piece)
            if final:
                break
    return start, middle, end if size > 3 * CHUNK else ""
