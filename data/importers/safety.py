"""Checks a file passes before any parser sees it: size, true type, zip bombs, encodings.

Hostile or broken files are refused with a reason the coordinator can act on:

- a file over the size limit (``MAX_FILE_BYTES``);
- a binary file (an executable, an image, a PDF, an old ``.xls``) named ``.csv``;
- an ``.xlsx`` (a zip of XML) whose members would expand past ``MAX_UNZIPPED_BYTES`` or
  compress suspiciously well (``MAX_RATIO``), or that holds too many members; the XML is
  then parsed by openpyxl through defusedxml, which refuses entity expansion;
- text whose encoding cannot be told for sure (see :func:`decode_text`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from data.importers.errors import ImportFileError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200

_MAGIC = {
    b"PK\x03\x04": "a zip archive (xlsx, docx or zip)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office file (.xls or .doc); save it as .xlsx or .csv",
    b"\x7fELF": "a program",
    b"MZ": "a Windows program",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"SQLite format 3": "a SQLite database (a GeoPackage is named .gpkg)",
}


def check_size(path: Path, limit: int | None = None, *, name: str | None = None) -> int:
    """The file's size; refuse an empty file or one over ``limit`` (``MAX_FILE_BYTES``)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{name} is empty", message_th=f"ไฟล์ {name} ว่างเปล่า")
    if size > limit:
        raise ImportFileError(
            f"{name} is {size / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit; "
            "split it into smaller files",
            message_th=f"ไฟล์ {name} ใหญ่ {size / 1e6:.0f} MB เกินขีดจำกัด "
            f"{limit / 1e6:.0f} MB กรุณาแบ่งเป็นไฟล์ย่อย",
        )
    return size


def sniff_binary(head: bytes) -> str | None:
    """What a binary file is, from its first bytes, or None when it may be text."""
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    return None


def check_zip(path: Path) -> None:
    """Refuse a zip (xlsx, zipped shapefile) that is broken or would expand like a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            f"{path.name} is not a readable zip/xlsx file ({exc})",
            message_th=f"ไฟล์ {path.name} เสียหายหรือไม่ใช่ไฟล์ xlsx/zip",
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(
            f"{path.name} holds {len(members)} files; refused as unsafe",
            message_th=f"ไฟล์ {path.name} มีไฟล์ย่อยมากผิดปกติ จึงปฏิเสธ",
        )
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > MAX_RATIO:
            raise ImportFileError(
                f"{path.name}: member {info.filename} expands {ratio:.0f} times; "
                "refused as a possible zip bomb",
                message_th=f"ไฟล์ {path.name} ขยายตัวผิดปกติ ({ratio:.0f} เท่า) อาจเป็นไฟล์อันตราย",
            )
    if total > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            f"{path.name} expands to {total / 1e6:.0f} MB, over the "
            f"{MAX_UNZIPPED_BYTES / 1e6:.0f} MB limit",
            message_th=f"ไฟล์ {path.name} เมื่อแตกออกใหญ่เกินขีดจำกัด",
        )


# --- text encodings ---------------------------------------------------------------------------

_THAI = re.compile("[\u0e01-\u0e5b]")
_THAI_CONSONANT = "\u0e01-\u0e2e"
# Marks that sit above or below a consonant: they cannot start a word or follow a non-Thai
# character. Text decoded with the wrong code page breaks this rule all the time.
_ORPHAN_MARK = re.compile(
    f"(?<![{_THAI_CONSONANT}\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
)
# UTF-8 Thai decoded as cp1252/latin-1 and saved again: "à¸" / "à¹" everywhere.
_MOJIBAKE = re.compile("à[¸¹º]")


def _thai_plausible(text: str) -> bool:
    if len(text) > 600_000:  # a wrong code page shows everywhere: three samples suffice
        mid = len(text) // 2
        text = text[:200_000] + text[mid : mid + 200_000] + text[-200_000:]
    thai = len(_THAI.findall(text))
    if thai == 0:
        return True
    orphans = len(_ORPHAN_MARK.findall(text))
    return orphans <= max(2, thai // 100)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes strictly; return ``(text, encoding)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without a mark (NULs
    in every other byte), strict UTF-8, strict cp874 (TIS-620 with Windows additions). Thai
    text must look like Thai (no vowel or tone mark without a consonant) or the file is
    refused instead of being read wrongly.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data)]
    elif _looks_utf16(data):
        odd = data[1:4000:2]
        le = sum(b in (0, 0x0E) for b in odd) > 0.9 * len(odd)
        candidates = [("utf-16-le" if le else "utf-16-be", data)]
    else:
        if b"\x00" in data[:65536]:
            raise ImportFileError(
                f"{name} is a binary file, not text/CSV",
                message_th=f"ไฟล์ {name} เป็นไฟล์ไบนารี ไม่ใช่ข้อความ/CSV",
            )
        candidates = [("utf-8", data), ("cp874", data)]
    tried = []
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            tried.append(encoding)
            continue
        if _MOJIBAKE.search(text[:200000]):
            raise ImportFileError(
                f"{name}: the Thai text was already garbled before saving (UTF-8 read as "
                "Latin-1); re-export it from the original",
                message_th=f"ไฟล์ {name}: ข้อความภาษาไทยเพี้ยนมาตั้งแต่ก่อนบันทึก กรุณาส่งออกใหม่จากต้นฉบับ",
            )
        if "\x00" in text:
            raise ImportFileError(
                f"{name} is a binary file, not text/CSV",
                message_th=f"ไฟล์ {name} เป็นไฟล์ไบนารี ไม่ใช่ข้อความ/CSV",
            )
        if not _thai_plausible(text):
            tried.append(encoding)
            continue
        return text, {"utf-8-sig": "utf-8-bom"}.get(encoding, encoding)
    raise ImportFileError(
        f"{name}: cannot tell the text encoding for sure (tried {', '.join(tried)}); "
        "save it as UTF-8 CSV",
        message_th=f"ไฟล์ {name}: ไม่สามารถระบุการเข้ารหัสอักขระได้แน่ชัด กรุณาบันทึกเป็น CSV แบบ UTF-8",
    )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: in Thai or ASCII text every other byte is 0x00 or
    0x0E (the high byte of U+0000-U+00FF and of the Thai block U+0E00-U+0E7F)."""
    head = data[:4000]
    if len(head) < 4 or head.count(0) == 0:
        return False
    high = {0x00, 0x0E}
    for parity in (0, 1):
        part = head[parity::2]
        if sum(b in high for b in part) > 0.9 * len(part) and part.count(0) > 0:
            return True
    return False
