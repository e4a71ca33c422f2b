"""Housing need marked by community members (แจ้งความเดือดร้อนด้านที่อยู่อาศัย), and coordinators'
decisions on it.

* :func:`submit` stores one report from the mark form, idempotently: every form carries a
  ``form_id`` made when it opens (:func:`new_form_id`). The same id with the same content
  answers "already saved" with the same receipt; the same id with different content is
  refused. The drawing is validated again on the server (:mod:`geo.validate`), the tambon
  is assigned from the location and returned, the private contact goes to its own table.
* :func:`decide` verifies, rejects (a reason is required), merges a duplicate into another
  report, or reopens. The caller says which status it saw; when another coordinator got
  there first the change is refused with :class:`DecisionConflictError` and nothing is
  written.
* :func:`queue`, :func:`nearby`, :func:`by_receipt`, :func:`own_reports` read them back.

Every create and decision writes an audit row (:mod:`data.audit`) in the same transaction.
Coordinators act within their scope: a province P-code (``TH10``), a cluster or region of
a grouping (``cluster:codi-18:c10``, ``region:codi-18:north``), or the whole country.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import shapely

from data import audit
from data.errors import InputError, PhangError
from data.store import is_conflict, is_constraint, next_id, transaction
from geo.validate import CleanGeometry, GeometryError, Repair, validate_drawing

#: problem codes -> (Thai, English)
PROBLEMS: dict[str, tuple[str, str]] = {
    "eviction": ("ถูกไล่รื้อ / เสี่ยงถูกไล่ที่", "Eviction threat"),
    "insecure_tenure": ("ไม่มีความมั่นคงในการถือครองที่ดิน", "No secure tenure"),
    "dilapidated": ("บ้านทรุดโทรม", "Dilapidated housing"),
    "disaster_risk": ("เสี่ยงภัยพิบัติ", "Disaster risk"),
    "rent": ("ค่าเช่าเกินกำลัง", "Rent beyond means"),
    "other": ("อื่น ๆ", "Other"),
}
#: landowner codes (the same as land_case.landowner_type) -> (Thai, English)
LANDOWNERS: dict[str, tuple[str, str]] = {
    "unknown": ("ไม่ทราบ", "Unknown"),
    "treasury": ("ที่ราชพัสดุ (กรมธนารักษ์)", "Treasury land"),
    "state_railway": ("การรถไฟแห่งประเทศไทย", "State Railway"),
    "crown_property": ("ทรัพย์สินพระมหากษัตริย์", "Crown Property"),
    "local_authority": ("ที่ดินท้องถิ่น / ที่สาธารณะ", "Local authority / public land"),
    "temple": ("ที่วัด", "Temple land"),
    "private": ("เอกชน", "Private owner"),
    "other": ("อื่น ๆ", "Other"),
}
URGENCIES: dict[str, tuple[str, str]] = {
    "high": ("เร่งด่วนมาก", "Very urgent"),
    "medium": ("เร่งด่วน", "Urgent"),
    "low": ("ไม่เร่งด่วน", "Not urgent"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("รอตรวจสอบ", "Pending"),
    "on_hold": ("รอข้อมูลเพิ่มเติม", "On hold: needs information"),
    "verified": ("ยืนยันแล้ว", "Verified"),
    "rejected": ("ไม่ผ่านการตรวจสอบ", "Rejected"),
    "merged": ("รวมกับคำร้องอื่น", "Merged"),
}
ACTIONS = {
    "verify": "verified",
    "reject": "rejected",
    "merge": "merged",
    "hold": "on_hold",
    "reopen": "pending",
}
#: decision codes -> (Thai, English), as a coordinator or member reads them in a history
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "verify": ("ยืนยัน", "Verified"),
    "reject": ("ไม่ผ่าน", "Rejected"),
    "merge": ("รวมกับคำร้องที่ซ้ำ", "Merged into a duplicate"),
    "hold": ("พักไว้ รอข้อมูลเพิ่มเติม", "Put on hold: needs information"),
    "reopen": ("เปิดใหม่", "Reopened"),
}
#: statuses still waiting for a decision (a coordinator may verify, reject or merge them)
OPEN_STATUSES = ("pending", "on_hold")


def allowed_actions(status: str) -> list[str]:
    """The decisions a coordinator may take on a report with this status."""
    if status == "pending":
        return ["verify", "reject", "merge", "hold"]
    if status == "on_hold":
        return ["verify", "reject", "merge", "reopen"]
    return ["reopen"]


HOUSEHOLDS_MAX = 10_000
NAME_MAX, DESCRIPTION_MAX = 200, 2000
#: points within this distance (degrees, about 110 m) of another report count as overlapping
OVERLAP_DEGREES = 0.001
#: a point just off a simplified coastline is given the nearest tambon within this distance
NEAREST_TAMBON_DEGREES = 0.01
_RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_FORM_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PHONE = re.compile(r"^[0-9+() -]{6,20}$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NeedFormError(InputError):
    """A field of the mark form is not acceptable; ``field`` names it."""

    def __init__(self, field: str, message: str, message_th: str) -> None:
        super().__init__(message, message_th=message_th)
        self.field = field


class FormConflictError(InputError):
    """The same form id was already saved with different content."""


class DecisionConflictError(PhangError):
    """Someone else changed the report first; nothing was written."""


class ScopeError(PhangError):
    """The report lies outside the coordinator's area, or the role may not decide."""


class NotFoundError(InputError):
    """No report with that id or receipt."""


@dataclass(frozen=True)
class NeedForm:
    """What the member typed and drew. ``geometry`` is GeoJSON (any form geo.validate takes)."""

    form_id: str
    geometry: Any
    community_name: str
    households: Any
    problems: Sequence[str]
    urgency: str
    landowner: str = "unknown"
    description: str = ""
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_note: str | None = None


@dataclass(frozen=True)
class Receipt:
    """The answer to a submission: the receipt code and where the report was placed."""

    receipt: str
    report_id: int
    tambon_pcode: str
    tambon_th: str
    tambon_en: str
    amphoe_th: str
    amphoe_en: str
    province_th: str
    province_en: str
    area_m2: float
    already_saved: bool = False
    repairs: tuple[Repair, ...] = field(default_factory=tuple)
    overlaps: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["repairs"] = [r.code for r in self.repairs]
        out["overlaps"] = list(self.overlaps)
        return out


@dataclass(frozen=True)
class Actor:
    """Who is acting: a username, a role and (for coordinators) a scope."""

    username: str
    role: str = "member"
    scope: str | None = None


def new_form_id() -> str:
    """A fresh id for a form being opened (URL-safe, 22 characters)."""
    return secrets.token_urlsafe(16)


def new_receipt() -> str:
    """A receipt code such as ``NR-7K2M-Q9XD`` (no I, L, O, U: easy to read out)."""
    chars = [secrets.choice(_RECEIPT_ALPHABET) for _ in range(8)]
    return "NR-" + "".join(chars[:4]) + "-" + "".join(chars[4:])


def clean_text(value: Any, limit: int) -> str:
    """NFC-normalised text without zero-width or control characters, trimmed."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text).strip()
    return text[: limit + 1]


def _households(value: Any) -> int:
    text = str(value).strip().replace(",", "") if value is not None else ""
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number == number or number != int(number):
        raise NeedFormError(
            "households",
            f"Households affected must be a whole number, not {text!r}.",
            f"จำนวนครัวเรือนต้องเป็นจำนวนเต็ม ไม่ใช่ {text!r}",
        )
    n = int(number)
    if not 1 <= n <= HOUSEHOLDS_MAX:
        raise NeedFormError(
            "households",
            f"Households affected must be between 1 and {HOUSEHOLDS_MAX:,}, not {n:,}.",
            f"จำนวนครัวเรือนต้องอยู่ระหว่าง 1 ถึง {HOUSEHOLDS_MAX:,} (ได้รับ {n:,})",
        )
    return n


def clean_form(form: NeedForm) -> dict:
    """The form's fields checked and normalised; raises NeedFormError naming the field."""
    if not isinstance(form.form_id, str) or not _FORM_ID.match(form.form_id):
        raise NeedFormError(
            "form_id",
            "The form id is missing or malformed; reload the page.",
            "รหัสแบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่",
        )
    name = clean_text(form.community_name, NAME_MAX)
    if not name:
        raise NeedFormError("community_name", "Give the community's name.", "กรุณากรอกชื่อชุมชน")
    if len(name) > NAME_MAX:
        raise NeedFormError(
            "community_name",
            f"The community name is longer than {NAME_MAX} characters.",
            f"ชื่อชุมชนยาวเกิน {NAME_MAX} ตัวอักษร",
        )
    problems = sorted({str(p) for p in (form.problems or [])})
    unknown = [p for p in problems if p not in PROBLEMS]
    if unknown or not problems:
        raise NeedFormError(
            "problems",
            "Choose at least one problem from the list"
            + (f" (unknown: {', '.join(unknown)})." if unknown else "."),
            "กรุณาเลือกปัญหาอย่างน้อยหนึ่งข้อจากรายการ",
        )
    if form.urgency not in URGENCIES:
        raise NeedFormError(
            "urgency", f"Urgency must be one of {', '.join(URGENCIES)}.", "กรุณาเลือกระดับความเร่งด่วน"
        )
    landowner = form.landowner or "unknown"
    if landowner not in LANDOWNERS:
        raise NeedFormError(
            "landowner",
            f"Landowner must be one of {', '.join(LANDOWNERS)}.",
            "ประเภทเจ้าของที่ดินไม่อยู่ในรายการ",
        )
    description = clean_text(form.description, DESCRIPTION_MAX)
    if len(description) > DESCRIPTION_MAX:
        raise NeedFormError(
            "description",
            f"The description is longer than {DESCRIPTION_MAX} characters.",
            f"รายละเอียดยาวเกิน {DESCRIPTION_MAX} ตัวอักษร",
        )
    contact = {
        "name": clean_text(form.contact_name, 200) or None,
        "phone": clean_text(form.contact_phone, 20) or None,
        "note": clean_text(form.contact_note, 500) or None,
    }
    if contact["phone"] and not _PHONE.match(contact["phone"]):
        raise NeedFormError(
            "contact_phone",
            "The phone number may hold only digits, spaces, +, - and brackets.",
            "เบอร์โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค + - และวงเล็บ",
        )
    if (contact["name"] and len(contact["name"]) > 200) or (
        contact["note"] and len(contact["note"]) > 500
    ):
        raise NeedFormError("contact", "The contact details are too long.", "ข้อมูลติดต่อยาวเกินไป")
    return {
        "community_name": name,
        "households": _households(form.households),
        "problems": problems,
        "urgency": form.urgency,
        "landowner": landowner,
        "description": description,
        "contact": contact,
    }


def content_hash(fields: dict, geometry: CleanGeometry) -> str:
    """SHA-256 of the cleaned content: the same form sent twice hashes the same."""
    geom = shapely.set_precision(geometry.geom, 1e-9)
    doc = dict(fields, geometry=shapely.to_wkt(geom, rounding_precision=9))
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TambonIndex:
    """The tambon polygons and names in memory, with an STR-tree, to place reports fast.

    Loaded once per database (and again when its tambons change); placing a report is then
    a tree query instead of a scan of 7,425 polygons.
    """

    def __init__(self, con) -> None:
        rows = con.execute(
            """SELECT t.pcode, t.name_th, t.name_en, a.name_th, a.name_en, p.name_th,
                      p.name_en, ST_AsWKB(t.geom)
               FROM tambon t JOIN amphoe a ON a.pcode = t.amphoe_pcode
               JOIN province p ON p.pcode = t.province_pcode ORDER BY t.pcode"""
        ).fetchall()
        self.pcodes = [r[0] for r in rows]
        keys = ("tambon_th", "tambon_en", "amphoe_th", "amphoe_en", "province_th", "province_en")
        self.names = {r[0]: dict(zip(keys, r[1:7], strict=True)) for r in rows}
        self.geoms = shapely.from_wkb([bytes(r[7]) for r in rows])
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def locate(self, geom) -> str | None:
        """The P-code holding the point or most of the area (nearest within a margin)."""
        hits = self.tree.query(geom, predicate="intersects")
        if len(hits) == 1:
            return self.pcodes[hits[0]]
        if len(hits) > 1:
            if geom.geom_type == "Point":
                return min(self.pcodes[i] for i in hits)
            shares = [(shapely.intersection(self.geoms[i], geom).area, -i) for i in hits]
            return self.pcodes[-max(shares)[1]]
        near = self.tree.query_nearest(geom, max_distance=NEAREST_TAMBON_DEGREES)
        return min(self.pcodes[i] for i in near) if len(near) else None


_INDEXES: dict[tuple, TambonIndex] = {}
_INDEX_LOCK = threading.Lock()


_INDEX_KEY_SQL = (
    "(SELECT path FROM duckdb_databases() WHERE database_name = current_database()), "
    "(SELECT count(*) FROM tambon), (SELECT max(pcode) FROM tambon), "
    "(SELECT min(pcode) FROM tambon)"
)


def tambon_index(con, key: tuple | None = None) -> TambonIndex:
    """The cached :class:`TambonIndex` of the database ``con`` belongs to (rebuilt when
    its tambons change). ``key`` is the result of :data:`_INDEX_KEY_SQL` if already read."""
    if key is None:
        key = con.execute(f"SELECT {_INDEX_KEY_SQL}").fetchone()
    index = _INDEXES.get(key)
    if index is None:
        with _INDEX_LOCK:
            index = _INDEXES.get(key)
            if index is None:
                index = TambonIndex(con)
                if len(_INDEXES) > 4:  # one database per process in practice; do not grow
                    _INDEXES.clear()
                _INDEXES[key] = index
    return index


def assign_tambon(con, geom, index: TambonIndex | None = None) -> str:
    """The tambon P-code of a location: the one holding the point, or most of the area.

    A point just outside every tambon (a simplified coastline) gets the nearest tambon
    within :data:`NEAREST_TAMBON_DEGREES`; further away it is refused.
    """
    pcode = (index or tambon_index(con)).locate(geom)
    if pcode is None:
        raise GeometryError(
            "no_tambon",
            "The location is not inside any tambon of Thailand (sea or a neighbouring "
            "country?); move it onto the community.",
            "ตำแหน่งที่วาดไม่อยู่ในตำบลใดของประเทศไทย (อยู่ในทะเลหรือประเทศเพื่อนบ้าน?) กรุณาวาดที่ชุมชน",
        )
    return pcode


def _place_names(con, pcode: str, index: TambonIndex | None = None) -> dict:
    names = (index or tambon_index(con)).names.get(pcode)
    if names is None:
        keys = ("tambon_th", "tambon_en", "amphoe_th", "amphoe_en", "province_th", "province_en")
        return dict.fromkeys(keys, "")
    return dict(names)


def overlapping(con, report_id: int) -> tuple[str, ...]:
    """Receipts of open reports within about 110 m of (or overlapping) report ``report_id``."""
    rows = con.execute(
        """WITH me AS (SELECT geom, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1,
                              ST_YMin(geom) AS y0, ST_YMax(geom) AS y1
                       FROM need_report WHERE id = $id)
           SELECT o.receipt FROM need_report o, me
           WHERE o.id <> $id AND o.status IN ('pending', 'on_hold', 'verified')
             AND ST_XMin(o.geom) <= me.x1 + $d AND ST_XMax(o.geom) >= me.x0 - $d
             AND ST_YMin(o.geom) <= me.y1 + $d AND ST_YMax(o.geom) >= me.y0 - $d
             AND ST_DWithin(o.geom, me.geom, $d) ORDER BY o.id LIMIT 20""",
        {"id": int(report_id), "d": OVERLAP_DEGREES},
    ).fetchall()
    return tuple(r[0] for r in rows)


def _is_duplicate_key(exc: Exception) -> bool:
    text = str(exc).lower()
    return "duplicate key" in text or "unique constraint" in text or "primary key" in text


def submit(
    con,
    form: NeedForm,
    *,
    actor: str | None = None,
    is_demo: bool = False,
    attempts: int = 8,
    own_transaction: bool = True,
) -> Receipt:
    """Validate and store one housing-need report; return its receipt.

    ``con`` is the shared connection (or any cursor of it): the work runs on a fresh
    cursor in its own transaction, retried on write conflicts. ``actor`` is the signed-in
    username, or None for an anonymous member (audited as ``"public"``). With
    ``own_transaction=False`` the work joins the caller's transaction on ``con`` (the
    build does this) and is not retried.

    Raises NeedFormError / GeometryError (bad input, nothing stored) or
    FormConflictError (this form id was saved before with different content).
    """
    fields = clean_form(form)
    geometry = validate_drawing(form.geometry)
    digest = content_hash(fields, geometry)
    if not own_transaction:
        with transaction(con):
            return _store(con, form.form_id, fields, geometry, digest, actor, is_demo)
    last: Exception | None = None
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                return _store(cur, form.form_id, fields, geometry, digest, actor, is_demo)
        except duckdb.Error as exc:
            if not (is_conflict(exc) or (is_constraint(exc) and _is_duplicate_key(exc))):
                raise
            last = exc
            time.sleep(0.01 * (2 ** min(attempt, 5)) * (0.5 + secrets.randbelow(100) / 100))
        finally:
            cur.close()
    raise PhangError(
        f"the report could not be saved after {attempts} attempts ({last}); please send again",
        message_th="บันทึกคำร้องไม่สำเร็จเพราะระบบมีผู้ใช้มาก กรุณากดส่งอีกครั้ง",
    )


def check_vertices(geometry: CleanGeometry) -> None:
    """Refuse a shape over the vertex cap (``PHANG_NEED_MAX_VERTICES``), whichever way it
    came: :func:`geo.validate.validate_drawing` refuses it first for drawings, this check
    holds for any other path that reaches the store."""
    from geo.validate import max_vertices

    n = int(shapely.get_num_coordinates(geometry.geom))
    cap = max_vertices()
    if n > cap:
        raise GeometryError(
            "too_many_vertices",
            f"The area has {n:,} corners, more than the {cap:,} one report may have; "
            "draw it with fewer corners.",
            f"พื้นที่มี {n:,} จุด มากกว่า {cap:,} จุดที่รายงานหนึ่งมีได้ กรุณาวาดด้วยจุดที่น้อยลง",
        )


def _store(
    cur,
    form_id: str,
    fields: dict,
    geometry: CleanGeometry,
    digest: str,
    actor: str | None,
    is_demo: bool,
) -> Receipt:
    check_vertices(geometry)
    # one round trip: the row of this form id if any, and the tambon index's key
    found = cur.execute(
        f"SELECT {_INDEX_KEY_SQL}, r.id, r.receipt, r.content_hash, r.tambon_pcode, r.area_m2 "
        "FROM (SELECT 1) LEFT JOIN need_report r ON r.form_id = ?",
        [form_id],
    ).fetchone()
    wkb = shapely.to_wkb(geometry.geom)
    index = tambon_index(cur, tuple(found[:4]))
    if found[4] is not None:
        report_id, receipt, old_hash, pcode, area = found[4:]
        if old_hash != digest:
            raise FormConflictError(
                f"this form was already sent (receipt {receipt}) with different content; "
                "open a new form to send another report",
                message_th=f"แบบฟอร์มนี้ส่งไปแล้ว (เลขรับ {receipt}) ด้วยข้อมูลที่ต่างกัน "
                "หากต้องการแจ้งเรื่องใหม่ กรุณาเปิดแบบฟอร์มใหม่",
            )
        return Receipt(
            receipt,
            report_id,
            pcode,
            **_place_names(cur, pcode, index),
            area_m2=area,
            already_saved=True,
            repairs=geometry.repairs,
        )
    pcode = assign_tambon(cur, geometry.geom, index)
    receipt = new_receipt()
    report_id = next_id(cur, "need_report_id_seq")
    cur.execute(
        """INSERT INTO need_report (id, receipt, form_id, content_hash, tambon_pcode, geom,
               area_m2, community_name, households, problems, landowner, urgency, description,
               submitted_by, repairs, is_demo)
           VALUES (?, ?, ?, ?, ?, ST_GeomFromWKB(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            report_id,
            receipt,
            form_id,
            digest,
            pcode,
            wkb,
            geometry.area_m2,
            fields["community_name"],
            fields["households"],
            fields["problems"],
            fields["landowner"],
            fields["urgency"],
            fields["description"],
            actor,
            geometry.repair_codes,
            is_demo,
        ],
    )
    who = actor or "public"
    after = {k: v for k, v in fields.items() if k != "contact"}
    after.update(
        id=report_id,
        receipt=receipt,
        form_id=form_id,
        tambon_pcode=pcode,
        geometry=shapely.to_wkt(geometry.geom, rounding_precision=7),
        area_m2=round(geometry.area_m2, 1),
        status="pending",
        submitted_by=actor,
        repairs=geometry.repair_codes,
        is_demo=is_demo,
    )
    audit.record(cur, who, "create", "need_report", report_id, None, after)
    contact = fields["contact"]
    if any(contact.values()):
        cur.execute(
            "INSERT INTO need_contact (report_id, name, phone, note) VALUES (?, ?, ?, ?)",
            [report_id, contact["name"], contact["phone"], contact["note"]],
        )
        audit.record(
            cur, who, "create", "need_contact", report_id, None, dict(contact, report_id=report_id)
        )
    return Receipt(
        receipt,
        report_id,
        pcode,
        **_place_names(cur, pcode, index),
        area_m2=geometry.area_m2,
        repairs=geometry.repairs,
    )


# --- scope -------------------------------------------------------------------------------

_SCOPE = re.compile(r"^(cluster|region):([a-z0-9][a-z0-9_-]{0,62}):([A-Za-z0-9_.-]{1,32})$")


def check_scope(scope: str | None) -> str | None:
    """Return ``scope`` if well formed (None, ``THnn``, ``cluster:g:code``, ``region:g:code``)."""
    if scope in (None, ""):
        return None
    if re.fullmatch(r"TH[0-9]{2}", scope) or _SCOPE.match(scope):
        return scope
    raise InputError(
        f"scope {scope!r} must be a province P-code (TH10), cluster:<grouping>:<code> or "
        "region:<grouping>:<code>",
        message_th=f"ขอบเขต {scope!r} ต้องเป็นรหัสจังหวัด (TH10) หรือ cluster:<ชุด>:<รหัส> "
        "หรือ region:<ชุด>:<รหัส>",
    )


def scope_sql(scope: str | None, column: str = "r.tambon_pcode") -> tuple[str, list]:
    """A SQL condition (and its parameters) true when the tambon in ``column`` is in scope."""
    scope = check_scope(scope)
    if scope is None:
        return "TRUE", []
    if scope.startswith("TH"):
        return f"substr({column}, 1, 4) = ?", [scope]
    kind, grouping, code = _SCOPE.match(scope).groups()
    if kind == "cluster":
        return (
            f"substr({column}, 1, 4) IN (SELECT province_pcode FROM grouping_province "
            "WHERE grouping = ? AND cluster_code = ?)",
            [grouping, code],
        )
    return (
        f"substr({column}, 1, 4) IN (SELECT gp.province_pcode FROM grouping_province gp "
        "JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code "
        "WHERE gp.grouping = ? AND gc.region_code = ?)",
        [grouping, code],
    )


def in_scope(con, scope: str | None, tambon_pcode: str) -> bool:
    cond, params = scope_sql(scope, "?")
    if cond == "TRUE":
        return True
    return bool(con.execute(f"SELECT {cond}", [tambon_pcode, *params]).fetchone()[0])


def scope_provinces(con, scope: str | None) -> dict[str, tuple[str, str]]:
    """The provinces inside ``scope``: P-code -> (Thai, English) name, in Thai order."""
    cond, params = scope_sql(scope, "p.pcode || '0000'")
    rows = con.execute(
        f"SELECT p.pcode, p.name_th, p.name_en FROM province p WHERE {cond} ORDER BY p.name_th",
        params,
    ).fetchall()
    return {pcode: (th, en) for pcode, th, en in rows}


def scope_options(con) -> dict[str | None, tuple[str, str]]:
    """Every scope a coordinator may be given: the whole country (``None``), each region
    and cluster of every grouping, each province; scope -> (Thai, English) label."""
    out: dict[str | None, tuple[str, str]] = {None: ("ทั้งประเทศ", "Whole country")}
    rows = con.execute(
        """SELECT 'region', r.grouping, r.code, r.name_th, r.name_en, g.title_th, g.title_en,
                  r.no
           FROM grouping_region r JOIN grouping g ON g.name = r.grouping
           UNION ALL
           SELECT 'cluster', c.grouping, c.code, c.no || '. ' || c.name_th,
                  c.no || '. ' || c.name_en, g.title_th, g.title_en, 100 + c.no
           FROM grouping_cluster c JOIN grouping g ON g.name = c.grouping
           ORDER BY 2, 8"""
    ).fetchall()
    for kind, grouping, code, th, en, g_th, g_en, _ in rows:
        word_th = "ภาค" if kind == "region" else "กลุ่มจังหวัด"
        word_en = "Region" if kind == "region" else "Cluster"
        out[f"{kind}:{grouping}:{code}"] = (f"{word_th} {th} ({g_th})", f"{word_en} {en} ({g_en})")
    for pcode, th, en in con.execute(
        "SELECT pcode, name_th, name_en FROM province ORDER BY name_th"
    ).fetchall():
        out[pcode] = (f"จังหวัด{th}", f"{en} province")
    return out


def scope_label(con, scope: str | None) -> tuple[str, str]:
    """A (Thai, English) name of a scope for headings."""
    scope = check_scope(scope)
    if scope is None:
        return "ทั้งประเทศ", "Whole country"
    if scope.startswith("TH"):
        row = con.execute(
            "SELECT name_th, name_en FROM province WHERE pcode = ?", [scope]
        ).fetchone()
        return (f"จังหวัด{row[0]}", row[1]) if row else (scope, scope)
    kind, grouping, code = _SCOPE.match(scope).groups()
    table = "grouping_cluster" if kind == "cluster" else "grouping_region"
    row = con.execute(
        f"SELECT name_th, name_en FROM {table} WHERE grouping = ? AND code = ?", [grouping, code]
    ).fetchone()
    return (row[0], row[1]) if row else (scope, scope)


# --- decisions ---------------------------------------------------------------------------

_REPORT_COLUMNS = (
    "id, receipt, tambon_pcode, community_name, households, problems, landowner, "
    "urgency, description, status, merged_into, submitted_by, created_at, "
    "updated_at, is_demo"
)


def _report(cur, report_id: int) -> dict | None:
    row = cur.execute(
        f"SELECT {_REPORT_COLUMNS} FROM need_report WHERE id = ?", [report_id]
    ).fetchone()
    if row is None:
        return None
    return dict(zip([c.strip() for c in _REPORT_COLUMNS.split(",")], row, strict=True))


def _last_decision(cur, report_id: int) -> tuple[str, Any] | None:
    return cur.execute(
        "SELECT actor, decided_at FROM decision WHERE report_id = ? ORDER BY id DESC LIMIT 1",
        [report_id],
    ).fetchone()


def decide(
    con,
    report_id: int,
    action: str,
    actor: Actor,
    *,
    expected_status: str,
    reason: str = "",
    merge_into: int | None = None,
    attempts: int = 5,
    own_transaction: bool = True,
) -> dict:
    """Record a coordinator's decision on one report; return the decision row.

    ``action`` is ``verify``, ``reject`` (``reason`` required), ``merge`` (``merge_into``:
    the report this one duplicates) or ``reopen``. ``expected_status`` is the status the
    coordinator saw; if the report has changed since, DecisionConflictError says who
    changed it and nothing is written. The report, the decision and the audit rows are
    written in one transaction.
    """
    if action not in ACTIONS:
        raise InputError(
            f"action must be one of {', '.join(ACTIONS)}, not {action!r}",
            message_th="การตัดสินใจไม่ถูกต้อง",
        )
    if actor.role not in ("coordinator", "admin"):
        raise ScopeError(
            "only coordinators may decide on reports", message_th="เฉพาะผู้ประสานงานเท่านั้นที่ตัดสินคำร้องได้"
        )
    reason = clean_text(reason, 1000)
    if action == "reject" and not reason:
        raise NeedFormError(
            "reason", "Give a reason for rejecting the report.", "กรุณาระบุเหตุผลที่ไม่ผ่านการตรวจสอบ"
        )
    if action == "hold" and not reason:
        raise NeedFormError(
            "reason",
            "Say what information is missing before putting the report on hold.",
            "กรุณาระบุว่าต้องการข้อมูลอะไรเพิ่มเติม",
        )
    if len(reason) > 1000:
        raise NeedFormError(
            "reason", "The reason is longer than 1000 characters.", "เหตุผลยาวเกิน 1000 ตัวอักษร"
        )
    if action == "merge" and merge_into is None:
        raise NeedFormError(
            "merge_into", "Choose the report this one duplicates.", "กรุณาเลือกคำร้องที่ซ้ำกัน"
        )
    if action != "merge":
        merge_into = None
    if not own_transaction:
        with transaction(con):
            return _decide(
                con,
                int(report_id),
                action,
                actor,
                expected_status,
                reason,
                None if merge_into is None else int(merge_into),
            )
    last: Exception | None = None
    for attempt in range(attempts):
        cur = con.cursor()
        try:
            with transaction(cur):
                return _decide(
                    cur,
                    int(report_id),
                    action,
                    actor,
                    expected_status,
                    reason,
                    None if merge_into is None else int(merge_into),
                )
        except duckdb.Error as exc:
            if not is_conflict(exc):
                raise
            last = exc  # a concurrent writer: look again, the status check will tell
            time.sleep(0.01 * (2**attempt))
        finally:
            cur.close()
    raise DecisionConflictError(
        f"the report is being changed by someone else ({last}); reload and try again",
        message_th="มีผู้อื่นกำลังแก้ไขคำร้องนี้ กรุณาโหลดใหม่แล้วลองอีกครั้ง",
    )


def _decide(
    cur,
    report_id: int,
    action: str,
    actor: Actor,
    expected: str,
    reason: str,
    merge_into: int | None,
) -> dict:
    before = _report(cur, report_id)
    if before is None:
        raise NotFoundError(f"no report with id {report_id}", message_th="ไม่พบคำร้องนี้")
    if actor.role != "admin" and not in_scope(cur, actor.scope, before["tambon_pcode"]):
        raise ScopeError(
            f"report {before['receipt']} is outside your area",
            message_th=f"คำร้อง {before['receipt']} อยู่นอกพื้นที่รับผิดชอบของคุณ",
        )
    if before["status"] != expected:
        _conflict(cur, before)
    target_status = ACTIONS[action]
    if action == "hold" and expected != "pending":
        raise DecisionConflictError(
            f"report {before['receipt']} is {before['status']}; only a pending report can "
            "be put on hold",
            message_th=f"คำร้อง {before['receipt']} พักไว้ได้เฉพาะเมื่อรอตรวจสอบอยู่",
        )
    if action not in ("reopen", "hold") and expected not in OPEN_STATUSES:
        raise DecisionConflictError(
            f"report {before['receipt']} is {before['status']}; reopen it before deciding again",
            message_th=f"คำร้อง {before['receipt']} ตัดสินไปแล้ว ต้องเปิดใหม่ก่อนตัดสินอีกครั้ง",
        )
    if action == "reopen" and expected == "pending":
        raise DecisionConflictError(
            f"report {before['receipt']} is already pending", message_th="คำร้องนี้รอตรวจสอบอยู่แล้ว"
        )
    if merge_into is not None:
        target = _report(cur, merge_into)
        if target is None or merge_into == report_id:
            raise NeedFormError(
                "merge_into",
                "Choose another existing report to merge into.",
                "กรุณาเลือกคำร้องอื่นที่มีอยู่เพื่อรวม",
            )
        if target["status"] not in ("pending", "on_hold", "verified"):
            raise NeedFormError(
                "merge_into",
                f"Report {target['receipt']} is {target['status']}; merge into "
                "a pending or verified report.",
                f"คำร้อง {target['receipt']} ถูกปิดแล้ว กรุณารวมกับคำร้องที่ยังเปิดอยู่",
            )
        if actor.role != "admin" and not in_scope(cur, actor.scope, target["tambon_pcode"]):
            raise ScopeError(
                f"report {target['receipt']} is outside your area",
                message_th=f"คำร้อง {target['receipt']} อยู่นอกพื้นที่ของคุณ",
            )
    updated = cur.execute(
        "UPDATE need_report SET status = ?, merged_into = ?, updated_at = current_timestamp "
        "WHERE id = ? AND status = ?",
        [target_status, merge_into, report_id, expected],
    ).fetchone()
    if not updated or not updated[0]:
        _conflict(cur, _report(cur, report_id))
    decision_id = next_id(cur, "decision_id_seq")
    cur.execute(
        "INSERT INTO decision (id, report_id, actor, action, from_status, to_status, reason, "
        "merged_into) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            decision_id,
            report_id,
            actor.username,
            action,
            expected,
            target_status,
            reason,
            merge_into,
        ],
    )
    decision = cur.execute(
        "SELECT id, decided_at FROM decision WHERE id = ?", [decision_id]
    ).fetchone()
    row = {
        "id": decision[0],
        "report_id": report_id,
        "actor": actor.username,
        "decided_at": decision[1],
        "action": action,
        "from_status": expected,
        "to_status": target_status,
        "reason": reason,
        "merged_into": merge_into,
    }
    audit.record(cur, actor.username, "create", "decision", decision[0], None, row)
    audit.record(
        cur,
        actor.username,
        action,
        "need_report",
        report_id,
        {"status": expected, "merged_into": before["merged_into"]},
        {"status": target_status, "merged_into": merge_into, "reason": reason},
    )
    return row


def _conflict(cur, current: dict | None) -> None:
    status = current["status"] if current else "missing"
    who = _last_decision(cur, current["id"]) if current else None
    th_status = STATUSES.get(status, (status, status))[0]
    by_en = f" by {who[0]} at {who[1]:%Y-%m-%d %H:%M}" if who else ""
    by_th = f" โดย {who[0]}" if who else ""
    raise DecisionConflictError(
        f"someone else decided first: the report is now {status}{by_en}; nothing was changed",
        message_th=f'มีผู้ตัดสินคำร้องนี้ไปก่อนแล้ว: สถานะตอนนี้คือ "{th_status}"{by_th} การตัดสินของคุณไม่ได้ถูกบันทึก',
    )


# --- reading: data/need_reading.py, which builds on the names above; its functions are
# also reachable from here (``from data.need_reports import queue``), loaded on first use
_READING = {
    "by_receipt", "contact", "decisions", "get_report", "nearby", "own_reports", "queue",
}  # fmt: skip


def __getattr__(name: str):
    if name in _READING:
        from data import need_reading

        return getattr(need_reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
