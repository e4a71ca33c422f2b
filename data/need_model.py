"""The vocabulary of housing-need reports: code lists (problems, landowners, urgencies,
statuses, decisions), the errors the form and decisions raise, and the records passed
around (:class:`NeedForm`, :class:`Receipt`, :class:`Actor`).

Split from :mod:`data.need_reports`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from data.errors import InputError, PhangError
from geo.validate import Repair

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
