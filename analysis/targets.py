"""Planning targets (เป้าหมาย) and progress against them, nationally, by region and by cluster.

A target is a national figure (``plan_target``, migration 0005) measured by a catalogue
indicator. Progress is that indicator's current value. For regions and clusters the
national figure is apportioned (by the area's share of tambons or provinces) — an
assumption the page states; CODI has no published regional split of the 2017-2021 targets.

Targets whose measure has no register here are measured by the closest indicator and
carry ``is_proxy`` with a note; callers show the note beside every figure.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis.catalogue import catalogue
from analysis.rollup import compute_all
from data.store import transaction

APPORTION = ("tambons", "provinces", "none")
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


class TargetError(ValueError):
    """A target that cannot be stored; ``message_th`` is the Thai message for the page."""

    def __init__(self, message: str, message_th: str = "") -> None:
        super().__init__(message)
        self.message_th = message_th or message


@dataclass(frozen=True)
class Target:
    """A national target: reach ``target_value`` of indicator ``indicator_key`` by ``end_year``."""

    key: str
    name_th: str
    name_en: str
    target_value: float
    unit_th: str
    unit_en: str
    start_year: int
    end_year: int
    indicator_key: str
    is_proxy: bool = False
    proxy_note_th: str = ""
    proxy_note_en: str = ""
    apportion_by: str = "tambons"
    source: str = "planner"
    definition_th: str = ""
    definition_en: str = ""
    proxy_indicator_key: str | None = None  # the proxy it replaced, kept for comparison

    def __post_init__(self) -> None:
        if not _KEY.match(self.key or ""):
            raise TargetError(
                f"target key {self.key!r} must be lowercase letters, digits or '_' "
                "(2-63 characters, starting with a letter)",
                f"รหัสเป้าหมาย {self.key!r} ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ _",
            )
        if not self.name_th.strip() or not self.name_en.strip():
            raise TargetError("a target needs a Thai and an English name", "ต้องมีชื่อเป้าหมาย")
        if not self.target_value > 0:
            raise TargetError(
                f"target_value must be above zero, not {self.target_value!r}",
                "ค่าเป้าหมายต้องมากกว่าศูนย์",
            )
        if not 1990 <= self.start_year <= self.end_year <= 2199:
            raise TargetError(
                f"years must be CE with start <= end, not {self.start_year}-{self.end_year} "
                "(a Buddhist-era year? subtract 543)",
                "ปีต้องเป็น ค.ศ. และปีเริ่มไม่เกินปีสิ้นสุด (ถ้าเป็น พ.ศ. ให้ลบ 543)",
            )
        if self.indicator_key not in catalogue():
            raise TargetError(
                f"indicator_key {self.indicator_key!r} is not in the catalogue; known: "
                f"{', '.join(catalogue())}",
                f"ไม่พบตัวชี้วัด {self.indicator_key!r} ในรายการตัวชี้วัด",
            )
        if self.proxy_indicator_key and self.proxy_indicator_key not in catalogue():
            raise TargetError(
                f"proxy_indicator_key {self.proxy_indicator_key!r} is not in the catalogue",
                f"ไม่พบตัวชี้วัดตัวแทน {self.proxy_indicator_key!r} ในรายการตัวชี้วัด",
            )
        if self.apportion_by not in APPORTION:
            raise TargetError(
                f"apportion_by must be one of {', '.join(APPORTION)}, not {self.apportion_by!r}",
                "วิธีแบ่งเป้าหมายไม่ถูกต้อง",
            )
        if self.is_proxy and not self.proxy_note_en.strip():
            raise TargetError(
                "a proxy target must say what is counted instead (proxy_note_en)",
                "เป้าหมายที่ใช้ตัวชี้วัดแทนต้องระบุว่านับอะไรแทน",
            )

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en

    def unit(self, lang: str = "th") -> str:
        return self.unit_th if lang == "th" else self.unit_en

    def proxy_note(self, lang: str = "th") -> str:
        return (self.proxy_note_th or self.proxy_note_en) if lang == "th" else self.proxy_note_en

    def definition(self, lang: str = "th") -> str:
        """What the target counts (falls back to the indicator's definition)."""
        text = self.definition_th if lang == "th" else self.definition_en
        return text or catalogue()[self.indicator_key].definition(lang)


_COLUMNS = [f for f in Target.__dataclass_fields__]


def list_targets(con) -> list[Target]:
    """Every stored target, the seeded ones first (by creation time, then key)."""
    rows = con.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM plan_target ORDER BY created_at, key"
    ).fetchall()
    return [Target(*row) for row in rows]


def add_target(con, target: Target, actor: str, *, replace: bool = False) -> None:
    """Store ``target`` (and an audit entry) in one transaction.

    Refuses a key that exists unless ``replace``.
    """
    with transaction(con):
        before = con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM plan_target WHERE key = ?", [target.key]
        ).fetchone()
        if before and not replace:
            raise TargetError(
                f"a target with key {target.key!r} already exists",
                f"มีเป้าหมายรหัส {target.key!r} อยู่แล้ว",
            )
        con.execute("DELETE FROM plan_target WHERE key = ?", [target.key])
        values = asdict(target)
        con.execute(
            f"INSERT INTO plan_target ({', '.join(_COLUMNS)}, created_by) "
            f"VALUES ({', '.join('?' for _ in _COLUMNS)}, ?)",
            [values[c] for c in _COLUMNS] + [actor],
        )
        con.execute(
            "INSERT INTO audit_log (actor, action, table_name, record_id, before, after) "
            "VALUES (?, ?, 'plan_target', ?, ?, ?)",
            [
                actor,
                "update" if before else "create",
                target.key,
                json.dumps(dict(zip(_COLUMNS, before, strict=True)), default=str)
                if before
                else None,
                json.dumps(values),
            ],
        )


_CSV_ALIASES = {
    "key": {"key", "รหัส"},
    "name_th": {"name_th", "ชื่อ", "ชื่อเป้าหมาย"},
    "name_en": {"name_en", "name"},
    "target_value": {"target_value", "target", "เป้าหมาย", "ค่าเป้าหมาย"},
    "unit_th": {"unit_th", "หน่วย"},
    "unit_en": {"unit_en", "unit"},
    "start_year": {"start_year", "ปีเริ่ม"},
    "end_year": {"end_year", "ปีสิ้นสุด"},
    "indicator_key": {"indicator_key", "indicator", "ตัวชี้วัด"},
    "proxy_note_th": {"proxy_note_th"},
    "proxy_note_en": {"proxy_note_en"},
    "apportion_by": {"apportion_by"},
    "source": {"source", "ที่มา"},
}


def targets_from_csv(text_or_path: str | Path) -> list[Target]:
    """Read targets from a UTF-8 CSV (Thai or English headers). All rows good, or TargetError.

    Years above 2400 are taken as Buddhist Era and converted (พ.ศ. - 543).
    """
    text = (
        Path(text_or_path).read_text(encoding="utf-8-sig")
        if isinstance(text_or_path, Path)
        else str(text_or_path).lstrip("\ufeff")
    )
    reader = csv.DictReader(io.StringIO(text))
    header = {}
    for name in reader.fieldnames or []:
        for field, aliases in _CSV_ALIASES.items():
            if name.strip().lower() in aliases:
                header[field] = name
    missing = [f for f in ("key", "name_th", "target_value", "indicator_key") if f not in header]
    if missing:
        raise TargetError(
            f"the CSV lacks the columns {missing}", f"ไฟล์ CSV ขาดคอลัมน์ {', '.join(missing)}"
        )
    out, problems = [], []
    for i, row in enumerate(reader, start=2):
        values = {f: (row.get(col) or "").strip() for f, col in header.items()}
        if not any(values.values()):
            continue
        try:
            start = _year(values.get("start_year") or "2017")
            end = _year(values.get("end_year") or str(start))
            note_en = values.get("proxy_note_en", "")
            out.append(
                Target(
                    key=values["key"],
                    name_th=values["name_th"],
                    name_en=values.get("name_en") or values["name_th"],
                    target_value=float(values["target_value"].replace(",", "")),
                    unit_th=values.get("unit_th", ""),
                    unit_en=values.get("unit_en") or values.get("unit_th", ""),
                    start_year=start,
                    end_year=end,
                    indicator_key=values["indicator_key"],
                    is_proxy=bool(note_en),
                    proxy_note_th=values.get("proxy_note_th", ""),
                    proxy_note_en=note_en,
                    apportion_by=values.get("apportion_by") or "tambons",
                    source=values.get("source") or "CSV",
                )
            )
        except (TargetError, ValueError) as exc:
            problems.append(f"row {i}: {exc}")
    if problems:
        raise TargetError("; ".join(problems), "; ".join(problems))
    return out


def _year(text: str) -> int:
    year = int(text)
    return year - 543 if year > 2400 else year


def progress(con, grouping: str, targets: list[Target] | None = None) -> pd.DataFrame:
    """Progress of every target nationally and per region and cluster of ``grouping``.

    Columns: ``target, level ('nation'|'region'|'cluster'), code, current, target_share,
    percent, proxy``. ``current`` is the indicator's value for the area (for additive
    counts, the sum of its tambons); ``target_share`` is the national target apportioned to
    the area; ``proxy`` is the value of the proxy the target replaced (NaN when none).
    On a cursor from ``analysis.monitoring.as_of_year`` it is the progress at that year.
    """
    targets = list_targets(con) if targets is None else targets
    columns = ["target", "level", "code", "current", "target_share", "percent", "proxy"]
    if not targets:
        return pd.DataFrame(columns=columns)
    keys = sorted(
        {t.indicator_key for t in targets}
        | {t.proxy_indicator_key for t in targets if t.proxy_indicator_key}
        | {"tambons", "provinces"}
    )
    values = compute_all(con, grouping, keys, levels=("region", "cluster"))
    out = []
    for target in targets:
        proxy_key = target.proxy_indicator_key
        proxy_nation = _national(values, proxy_key) if proxy_key else float("nan")
        out.append(
            (
                target.key,
                "nation",
                "TH",
                _national(values, target.indicator_key),
                target.target_value,
                proxy_nation,
            )
        )
        for level in ("region", "cluster"):
            src = values[values["level"] == level]
            mine = src[src["key"] == target.indicator_key].set_index("pcode")["value"]
            proxies = src[src["key"] == proxy_key].set_index("pcode")["value"]
            basis = _basis(src, target.apportion_by)
            for code, value in mine.items():
                share = (
                    target.target_value * basis[code] / basis.sum()
                    if basis is not None
                    else target.target_value
                )
                out.append((target.key, level, code, value, share, proxies.get(code, float("nan"))))
    frame = pd.DataFrame(out, columns=[*columns[:5], "proxy"])
    frame["percent"] = 100.0 * frame["current"] / frame["target_share"]
    return frame[columns]


def _national(values: pd.DataFrame, key: str) -> float:
    """An indicator's national value from ``compute_all``'s region rows."""
    ind = catalogue()[key]
    nation = values[(values["level"] == "region") & (values["key"] == key)]
    num, den = nation["num"].sum(), nation["den"].sum()
    return ind.scale * num / den if ind.has_denominator and den else ind.scale * num


def _basis(values: pd.DataFrame, apportion_by: str) -> pd.Series | None:
    if apportion_by == "none":
        return None
    key = "tambons" if apportion_by == "tambons" else "provinces"
    return values[values["key"] == key].set_index("pcode")["num"]
