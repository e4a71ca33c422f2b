"""Read KoboToolbox and ODK Central exports of the housing-need XLSForm (:mod:`data.forms`).

What the tools write, and what is read here:

* column names with group prefixes: ``community/households`` (KoboToolbox, "/" between
  groups), ``community-households`` (ODK Central CSV, "-"), or the bare name; KoboToolbox's
  "labels" headers (Thai or English question labels) too;
* the submission's id: ``meta/rootUuid`` (Kobo, stable across edits), ``KEY`` (ODK Central),
  ``_uuid`` (Kobo), ``meta/instanceID`` / ``instanceID``, or a GeoJSON feature's ``id``;
  ``meta/deprecatedID`` names the version an edit replaced;
* ``_submission_time`` (Kobo) / ``SubmissionDate`` (ODK Central);
* a geopoint as text ``lat lon alt acc`` (latitude first!) or split into
  ``_point_latitude``/``_point_longitude`` (Kobo) or ``point-Latitude``/``point-Longitude``
  (Central); a geoshape as ``lat lon alt acc;lat lon alt acc;...`` (ring closed here when
  the tool did not);
* choices as names (``eviction insecure_tenure``) or as Thai/English labels, and Kobo's
  per-choice 0/1 columns (``community/problems/eviction``);
* CSV (``,`` or ``;`` separated, UTF-8 with or without BOM), XLSX (the first sheet naming the
  form's questions) and GeoJSON (properties, with the feature's geometry as a fallback).

:func:`read_export` gives an :class:`ExportTable` of :class:`Submission` rows;
:func:`data.importers.odk_answers.to_need_form` turns one into a
:class:`data.need_reports.NeedForm` or says why not; storing is
:mod:`data.importers.odk_store`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data.forms import need_form
from data.importers.errors import ImportFileError
from data.importers.readers import cell_text
from data.importers.safety import check_size, decode_text, sniff_binary
from data.importers.values import label_key

NEED_KIND = "need_report"
GEOMETRY_KEY = "_geometry_wkt"  # the same key data.importers.quarantine uses

_SELECTS = {q.name: q for q in need_form.QUESTIONS if q.list_name}
_GEOPOINTS = {q.name for q in need_form.QUESTIONS if q.type == "geopoint"}
_ANSWERS = {name.lower(): name for name in need_form.ANSWERS}
_GROUPS = {g.lower() for g in need_form.GROUPS}
# meta columns: normalised header -> role
_META = {
    "meta/rootuuid": "root",
    "_rootuuid": "root",
    "key": "key",
    "__id": "key",
    "_uuid": "uuid",
    "meta/instanceid": "instance",
    "instanceid": "instance",
    "_instanceid": "instance",
    "meta/deprecatedid": "deprecated",
    "_submission_time": "submitted",
    "submissiondate": "submitted",
    "__system/submissiondate": "submitted",
}
# columns the tools add to every export (not questions): not worth reporting as unused
_TOOL_COLUMNS = {
    "submitterid", "submittername", "attachmentspresent", "attachmentsexpected", "status",
    "reviewstate", "deviceid", "edits", "formversion", "meta/instancename",
    "meta-instancename", "location-point-altitude", "location-point-accuracy",
}  # fmt: skip
_GEO_PART = re.compile(r"^_?(.+?)[_-](latitude|longitude|altitude|precision|accuracy)$", re.I)
_UUID_PREFIX = re.compile(r"^uuid:", re.I)


@dataclass
class Submission:
    """One exported submission: its answers by question name and where it came from."""

    row_number: int
    raw: dict[str, str]
    answers: dict[str, object] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    split_choices: dict[str, list[str]] = field(default_factory=dict)
    split_points: dict[str, dict[str, str]] = field(default_factory=dict)
    feature_geometry: dict | None = None

    @property
    def key(self) -> str | None:
        """The submission's stable id, normalised (no ``uuid:``, lower case)."""
        for role in ("root", "key", "uuid", "instance"):
            if self.meta.get(role):
                return normalise_id(self.meta[role])
        return None

    @property
    def instance_id(self) -> str | None:
        """This version's instance id, normalised."""
        for role in ("instance", "uuid", "key", "root"):
            if self.meta.get(role):
                return normalise_id(self.meta[role])
        return None

    @property
    def deprecated_id(self) -> str | None:
        value = self.meta.get("deprecated")
        return normalise_id(value) if value else None

    @property
    def submitted_at(self) -> dt.datetime | None:
        return parse_time(self.meta.get("submitted") or self.answers.get("end"))


@dataclass
class ExportTable:
    """A whole export: the tool that wrote it, its submissions and what was not used."""

    file_name: str
    format: str
    tool: str
    encoding: str | None
    headers: list[str]
    submissions: list[Submission]
    ignored_columns: list[str] = field(default_factory=list)


def normalise_id(value: object) -> str:
    """An instance id as stored: no ``uuid:`` prefix, lower case, only ``[a-z0-9_.:-]``."""
    text = _UUID_PREFIX.sub("", str(value).strip()).lower()
    return re.sub(r"[^a-z0-9_.:-]", "", text)[:200]


def parse_time(value: object) -> dt.datetime | None:
    """An ISO time as the tools write it (``2024-05-01T03:04:05.123Z``, offsets) in UTC."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    text = cell_text(value).strip()
    if not text:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


# --- column names -------------------------------------------------------------------------------


def _label_index() -> dict[str, str]:
    index = {}
    for q in need_form.QUESTIONS:
        if q.type in ("begin_group", "end_group") or not any(q.label):
            continue
        for text in q.label:
            index[label_key(text)] = q.name
    return index


_LABELS = _label_index()


def map_header(header: str) -> tuple | None:
    """What a column holds: ``("answer", name)``, ``("meta", role)``, ``("choice", name,
    code)``, ``("point", name, part)`` or None (not used)."""
    text = unicodedata.normalize("NFC", str(header)).strip()
    low = text.lower()
    if low.replace("-", "/") in _META or low in _META:
        return ("meta", _META.get(low) or _META[low.replace("-", "/")])
    segments = [s for s in re.split(r"[/-]", low) if s]
    if not segments:
        return None
    last = segments[-1]
    if last in _ANSWERS and all(s in _GROUPS or s.startswith("_") for s in segments[:-1]):
        return ("answer", _ANSWERS[last])
    if len(segments) >= 2 and segments[-2] in _SELECTS:
        codes = need_form.CHOICES[_SELECTS[segments[-2]].list_name]
        if last in codes and _SELECTS[segments[-2]].type == "select_multiple":
            return ("choice", segments[-2], last)
    part = _GEO_PART.match(last)
    if part and part.group(1) in _GEOPOINTS:
        return ("point", part.group(1), part.group(2).lower()[:3])
    if len(segments) >= 2 and segments[-2] in _GEOPOINTS and last in ("latitude", "longitude"):
        return ("point", segments[-2], last[:3])
    for candidate in (text, text.rsplit("/", 1)[-1]):
        name = _LABELS.get(label_key(candidate))
        if name:
            return ("answer", name)
    return None


def _guess_tool(headers: list[str]) -> str:
    low = {str(h).strip().lower() for h in headers}
    if low & {"key", "submissiondate"} or any("-" in h and h.split("-")[0] in _GROUPS for h in low):
        return "odk_central"
    if low & {"_uuid", "_submission_time", "_id"}:
        return "kobo"
    return "odk"


def submissions_from(
    headers: list[str], rows: list[tuple[int, list]], geometries: list | None = None
) -> tuple[list[Submission], list[str]]:
    mapped = [map_header(h) for h in headers]
    if not any(m and m[0] == "answer" for m in mapped):
        raise ImportFileError(
            "no column names a question of the housing-need form; export the submissions of "
            f"the {need_form.FORM_ID} form with its XML names (or labels) as headers",
            message_th="ไม่พบคอลัมน์ที่ตรงกับคำถามของแบบฟอร์มแจ้งความเดือดร้อน "
            f"กรุณาส่งออกข้อมูลของแบบฟอร์ม {need_form.FORM_ID} โดยใช้ชื่อคำถามเป็นหัวคอลัมน์",
        )
    ignored = [
        h
        for h, m in zip(headers, mapped, strict=True)
        if m is None and h and not h.startswith("_") and h.lower() not in _TOOL_COLUMNS
    ]
    out = []
    for i, (number, cells) in enumerate(rows):
        sub = Submission(number, {})
        for header, target, value in zip(headers, mapped, cells, strict=False):
            text = cell_text(value).strip()
            if header:
                sub.raw[header] = text
            if target is None or text == "":
                continue
            if target[0] == "answer":
                sub.answers.setdefault(target[1], value if not isinstance(value, str) else text)
            elif target[0] == "meta":
                sub.meta.setdefault(target[1], text)
            elif target[0] == "choice" and text not in ("0", "False", "false"):
                sub.split_choices.setdefault(target[1], []).append(target[2])
            elif target[0] == "point":
                sub.split_points.setdefault(target[1], {})[target[2]] = text
        if geometries is not None and geometries[i] is not None:
            sub.feature_geometry = geometries[i]
            import shapely.geometry

            sub.raw[GEOMETRY_KEY] = shapely.geometry.shape(geometries[i]).wkt
        if any(sub.raw.values()):
            out.append(sub)
    return out, ignored


# --- files --------------------------------------------------------------------------------------


def read_export(path: str | Path, *, display_name: str | None = None) -> ExportTable:
    """Read a Kobo/ODK export of the need_report form (CSV, XLSX or GeoJSON), within the
    importers' limits (:func:`data.importers.limits.current_limits`: file size, workbook
    members and cells, rows)."""
    from data.importers.limits import current_limits
    from data.importers.precheck import check_workbook

    path = Path(path)
    name = display_name or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    limits = current_limits()
    check_size(path, limits.max_file_bytes, name=name)
    with open(path, "rb") as fh:
        head = fh.read(64)
    if suffix in (".csv", ".txt"):
        if sniff_binary(head):
            raise ImportFileError(
                f"{name} is named like a CSV file but is {sniff_binary(head)}",
                message_th=f"ไฟล์ {name} ไม่ใช่ไฟล์ CSV",
            )
        table = _read_csv(path, name)
    elif suffix in (".xlsx", ".xlsm"):
        if not head.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                f"{name} is not an XLSX workbook", message_th=f"ไฟล์ {name} ไม่ใช่ XLSX"
            )
        check_workbook(path, name, limits)  # entity tricks, zip bombs, oversized sheets
        table = _read_xlsx(path, name)
    elif suffix in (".geojson", ".json"):
        table = _read_geojson(path, name)
    else:
        raise ImportFileError(
            f"{name}: unsupported file type {suffix or '(none)'}; use the CSV, XLSX or GeoJSON "
            "export of KoboToolbox or ODK Central",
            message_th=f"ไฟล์ {name}: ไม่รองรับชนิดไฟล์ {suffix or '(ไม่มี)'} "
            "ใช้ไฟล์ CSV, XLSX หรือ GeoJSON ที่ส่งออกจาก KoboToolbox หรือ ODK Central",
        )
    if len(table.submissions) > limits.max_rows:
        raise ImportFileError(
            f"{name} holds {len(table.submissions):,} submissions, over the "
            f"{limits.max_rows:,} limit; export them in parts (by date)",
            message_th=f"ไฟล์ {name} มี {len(table.submissions):,} แบบสอบถาม เกินขีดจำกัด "
            f"{limits.max_rows:,} กรุณาส่งออกเป็นหลายไฟล์ (แบ่งตามวันที่)",
        )
    return table


def _read_csv(path: Path, name: str) -> ExportTable:
    text, encoding = decode_text(path.read_bytes(), name)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, headers, line = [], None, 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in record):
                continue
            if headers is None:
                headers = [c.strip() for c in record]
            else:
                rows.append((start, record))
    except csv.Error as exc:
        raise ImportFileError(
            f"{name}: broken CSV near line {reader.line_num}: {exc}",
            message_th=f"ไฟล์ {name}: รูปแบบ CSV เสียใกล้บรรทัด {reader.line_num}",
        ) from exc
    if headers is None:
        raise ImportFileError(f"{name} has no rows", message_th=f"ไฟล์ {name} ไม่มีข้อมูล")
    submissions, ignored = _named(name, lambda: submissions_from(headers, rows))
    return ExportTable(name, "csv", _guess_tool(headers), encoding, headers, submissions, ignored)


def _read_xlsx(path: Path, name: str) -> ExportTable:
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ImportFileError(
            "defusedxml is not installed; XLSX import is disabled",
            message_th="ไม่ได้ติดตั้ง defusedxml จึงปิดการนำเข้า XLSX",
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            f"{name}: not a readable XLSX workbook ({exc})", message_th=f"ไฟล์ {name}: อ่าน XLSX ไม่ได้"
        ) from exc
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        raise ImportFileError(
            f"{name}: refused, its XML is unsafe or broken ({type(exc).__name__})",
            message_th=f"ไฟล์ {name}: ถูกปฏิเสธ XML ภายในไม่ปลอดภัยหรือเสียหาย",
        ) from exc
    try:
        best, best_hits = None, 0
        for sheet in book.worksheets:  # Kobo puts repeat groups on later sheets
            grid = [list(r) for r in sheet.iter_rows(values_only=True)]
            grid = [
                (i, r) for i, r in enumerate(grid, start=1) if any(c not in (None, "") for c in r)
            ]
            if not grid:
                continue
            headers = ["" if c is None else str(c).strip() for c in grid[0][1]]
            hits = sum(1 for h in headers if (m := map_header(h)) and m[0] == "answer")
            if hits > best_hits:
                best, best_hits = (headers, grid[1:]), hits
    finally:
        book.close()
    if best is None:
        best = ([], [])
    headers, rows = best
    submissions, ignored = _named(name, lambda: submissions_from(headers, rows))
    return ExportTable(name, "xlsx", _guess_tool(headers), "xlsx", headers, submissions, ignored)


def _flatten(props: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in props.items():
        name = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(_flatten(value, name))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[name] = " ".join(value)
        else:
            out[name] = value
    return out


def _read_geojson(path: Path, name: str) -> ExportTable:
    text, encoding = decode_text(path.read_bytes(), name)
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ImportFileError(
            f"{name} is not JSON ({exc})", message_th=f"ไฟล์ {name} ไม่ใช่ JSON"
        ) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFileError(
            f"{name} is not a GeoJSON FeatureCollection", message_th=f"ไฟล์ {name} ไม่ใช่ GeoJSON"
        )
    flat, geometries = [], []
    for feature in features:
        feature = feature if isinstance(feature, dict) else {}
        props = _flatten(feature.get("properties") or {})
        if feature.get("id") is not None and not any(
            map_header(k) == ("meta", "key") for k in props
        ):
            props["__id"] = str(feature["id"])
        flat.append(props)
        geometries.append(
            feature.get("geometry") if isinstance(feature.get("geometry"), dict) else None
        )
    headers = list(dict.fromkeys(k for props in flat for k in props))
    rows = [(i, [props.get(h) for h in headers]) for i, props in enumerate(flat, start=1)]
    submissions, ignored = _named(name, lambda: submissions_from(headers, rows, geometries))
    return ExportTable(
        name, "geojson", _guess_tool(headers), encoding, headers, submissions, ignored
    )


def _named(name: str, read):
    try:
        return read()
    except ImportFileError as exc:
        raise ImportFileError(
            f"{name}: {exc.message}", message_th=f"ไฟล์ {name}: {exc.message_th}"
        ) from exc
