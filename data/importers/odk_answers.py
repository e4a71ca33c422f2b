"""Answers of a Kobo/ODK submission (:class:`data.importers.odk.Submission`) as the mark
form's fields: choices by name or by Thai/English label, geopoints and geoshapes from the
tools' ``lat lon alt acc`` text (latitude first) to GeoJSON (longitude first), and the
submission's form id. Problems come back with Thai and English messages, for the quarantine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

from data import vocab
from data.forms import need_form
from data.importers.readers import cell_text
from data.importers.values import Problem, label_key
from data.need_reports import NeedForm

if TYPE_CHECKING:
    from data.importers.odk import Submission

_SELECTS = {q.name: q for q in need_form.QUESTIONS if q.list_name}


def form_id_for(key: str) -> str | None:
    """The need_report ``form_id`` of a submission: ``odk-`` and its id's safe characters."""
    safe = re.sub(r"[^a-z0-9_-]", "", key.lower())[:60]
    return f"odk-{safe}" if len(safe) >= 4 else None


def _choice_index(list_name: str) -> dict[str, str]:
    index = {}
    extra = vocab.LANDOWNERS if list_name == "landowner" else {}
    for labels in (extra, need_form.CHOICES[list_name]):
        for code, (th, en) in labels.items():
            index[label_key(th)] = code
            index[label_key(en)] = code
    for code in need_form.CHOICES[list_name]:
        index[code.lower()] = code
    return index


_CHOICE_INDEX = {name: _choice_index(name) for name in need_form.CHOICES}


def _bad_choice(question: str, text: str) -> Problem:
    q = need_form.question(question)
    codes = need_form.CHOICES[q.list_name]
    return Problem(
        "bad_choice",
        f"{q.label[1]}: {text!r} is not one of the choices ({', '.join(codes)}).",
        f"{q.label[0]}: {text!r} ไม่อยู่ในตัวเลือก ({', '.join(th for th, _ in codes.values())})",
    )


def parse_select_one(question: str, value: object) -> tuple[str | None, Problem | None]:
    text = cell_text(value).strip()
    if not text:
        return None, None
    index = _CHOICE_INDEX[_SELECTS[question].list_name]
    code = index.get(text.lower()) or index.get(label_key(text))
    return (code, None) if code else (None, _bad_choice(question, text))


def parse_select_multiple(question: str, value: object) -> tuple[list[str], Problem | None]:
    """Choice names separated by spaces, or labels separated by spaces, commas or ``;``."""
    text = unicodedata.normalize("NFC", cell_text(value)).strip()
    if not text:
        return [], None
    index = _CHOICE_INDEX[_SELECTS[question].list_name]
    names = text.lower().split()
    if all(n in index and index[n] == n for n in names):
        return sorted(set(names)), None
    parts = [p for p in re.split(r"[;,|\n]+", text) if p.strip()]
    codes = [index.get(label_key(p)) or index.get(p.strip().lower()) for p in parts]
    if all(codes):
        return sorted(set(codes)), None
    # labels joined by spaces: take the longest known label off the front, again and again
    rest, found = label_key(text), []
    labels = sorted((k for k in index if k), key=len, reverse=True)
    while rest:
        hit = next((k for k in labels if rest.startswith(k)), None)
        if hit is None:
            return [], _bad_choice(question, text)
        found.append(index[hit])
        rest = rest[len(hit) :]
    return sorted(set(found)), None


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _bad_point(question: str, text: str) -> Problem:
    q = need_form.question(question)
    return Problem(
        f"bad_{q.type}",
        f"{q.label[1]}: {text[:80]!r} is not a {q.type} "
        "(latitude longitude [altitude accuracy], points separated by ';').",
        f"{q.label[0]}: {text[:80]!r} ไม่ใช่พิกัดที่อ่านได้ (ละติจูด ลองจิจูด [ความสูง ความแม่นยำ])",
    )


def parse_geopoint(text: str) -> tuple[float, float]:
    """``lat lon [alt [acc]]`` to ``(lon, lat)``; ValueError when unreadable."""
    parts = text.replace(",", " ").split()
    if not 2 <= len(parts) <= 4:
        raise ValueError(text)
    lat, lon = _number(parts[0]), _number(parts[1])
    return lon, lat


def parse_geoshape(text: str) -> list[tuple[float, float]]:
    """``lat lon alt acc;...`` to a closed ring of ``(lon, lat)``; ValueError when unreadable."""
    ring = [parse_geopoint(p) for p in text.split(";") if p.strip()]
    if len(ring) < 3:
        raise ValueError(text)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _geometry(sub: Submission, kind: str | None) -> tuple[dict | None, Problem | None]:
    area, point = cell_text(sub.answers.get("area")), cell_text(sub.answers.get("point"))
    kind = kind or ("area" if area and not point else "point")
    try:
        if kind == "area" and area:
            return {"type": "Polygon", "coordinates": [parse_geoshape(area)]}, None
        if point:
            return {"type": "Point", "coordinates": list(parse_geopoint(point))}, None
        parts = sub.split_points.get("point", {})
        if parts.get("lat") and parts.get("lon"):
            return {
                "type": "Point",
                "coordinates": [_number(parts["lon"]), _number(parts["lat"])],
            }, None
    except ValueError:
        if kind == "area" and area:
            return None, _bad_point("area", area)
        return None, _bad_point(
            "point", point or " ".join(sub.split_points.get("point", {}).values())
        )
    if sub.feature_geometry is not None:
        return sub.feature_geometry, None
    return None, Problem(
        "no_location",
        "The submission has no location (neither a point nor an area).",
        "ไม่มีตำแหน่งในแบบสอบถามนี้ (ไม่มีทั้งหมุดและขอบเขตพื้นที่)",
    )


def to_need_form(sub: Submission) -> tuple[NeedForm | None, list[Problem]]:
    """The submission as the mark form's fields, or the problems that stop it."""
    problems: list[Problem] = []
    key = sub.key
    form_id = form_id_for(key) if key else None
    if form_id is None:
        problems.append(
            Problem(
                "no_instance_id",
                "The row has no submission id (_uuid, KEY or meta/instanceID); export the "
                "submissions with their meta columns so re-imports update instead of duplicating.",
                "แถวนี้ไม่มีรหัสแบบสอบถาม (_uuid, KEY หรือ meta/instanceID) "
                "กรุณาส่งออกพร้อมคอลัมน์ meta เพื่อให้นำเข้าซ้ำแล้วปรับปรุงแทนการเพิ่มซ้ำ",
            )
        )
    kind, bad = parse_select_one("location_kind", sub.answers.get("location_kind"))
    geometry, geo_problem = _geometry(sub, kind)
    problems += [p for p in (bad, geo_problem) if p]
    values: dict[str, object] = {}
    for name in ("landowner", "urgency"):
        values[name], problem = parse_select_one(name, sub.answers.get(name))
        problems += [problem] if problem else []
    chosen, problem = parse_select_multiple("problems", sub.answers.get("problems"))
    problems += [problem] if problem else []
    chosen = chosen or sorted(set(sub.split_choices.get("problems", [])))
    if problems:
        return None, problems
    text = {n: cell_text(sub.answers.get(n)) for n in ("community_name", "description")}
    contact = {
        n: cell_text(sub.answers.get(n)) or None
        for n in ("contact_name", "contact_phone", "contact_note")
    }
    return (
        NeedForm(
            form_id=form_id,
            geometry=geometry,
            community_name=text["community_name"],
            households=cell_text(sub.answers.get("households")),
            problems=chosen,
            urgency=values["urgency"] or "",
            landowner=values["landowner"] or "unknown",
            description=text["description"],
            **contact,
        ),
        [],
    )
