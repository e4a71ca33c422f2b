"""What an import produces: one :class:`RowOutcome` per checked row and the
:class:`ImportReport` of the whole file (its refused rows summarised by :func:`_refusal`),
and :func:`refuse_if_needed`, which turns a refused all-or-nothing import into an error.

Split from :mod:`data.importers.core`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from data.importers.errors import ImportRefused
from data.importers.fields import KIND_NAMES
from data.importers.values import Problem, clean_text

Progress = Callable[[float, str], None]


@dataclass
class RowOutcome:
    """One checked row: its values when good, else its problems."""

    row_number: int
    raw: dict
    values: dict | None
    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    note: dict | None = None
    source_id: str | None = None


@dataclass
class ImportReport:
    """What an import did. ``refused`` lists every quarantined row with its reasons."""

    kind: str
    file: str
    source: str
    mode: str
    status: str = "committed"
    batch_id: int | None = None
    encoding: str | None = None
    rows: int = 0
    stored: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    refused: list[dict] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)
    fuzzy_places: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def taken(self) -> int:
        return self.stored

    def to_dict(self) -> dict:
        out = asdict(self)
        out["taken"] = self.stored
        return out


def _source_name(text: str) -> str:
    text = clean_text(text) or "import"
    return text[:120]


def _refusal(o: RowOutcome) -> dict:
    first = o.problems[0]
    candidates = [c for p in o.problems for c in p.candidates]
    return {
        "row": o.row_number,
        "reason_code": first.code,
        "reasons": [p.code for p in o.problems],
        "reason": "; ".join(p.message for p in o.problems),
        "reason_th": "; ".join(p.message_th for p in o.problems),
        "candidates": candidates[:10],
    }


def kind_title(kind: str, lang: str = "th") -> str:
    th, en = KIND_NAMES[kind]
    return th if lang == "th" else en


def refuse_if_needed(report: ImportReport) -> ImportReport:
    """Raise :class:`ImportRefused` for a refused all-or-nothing import (for the CLI)."""
    if report.status == "refused":
        n = report.quarantined
        raise ImportRefused(
            f"{report.file}: {n} of {report.rows} rows have problems, so nothing was imported "
            "(they are kept in the quarantine); fix the file, or use --good-rows to import the "
            "rest",
            message_th=f"ไฟล์ {report.file}: มีปัญหา {n} จาก {report.rows} แถว จึงยังไม่นำเข้า "
            "(เก็บแถวที่มีปัญหาไว้ในพื้นที่กักกัน) แก้ไฟล์ หรือเลือกนำเข้าเฉพาะแถวที่ถูกต้อง",
            details=report.refused,
            summary=report.to_dict(),
        )
    return report
