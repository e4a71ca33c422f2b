"""Where a row is: a tambon P-code, names through the matcher, or a location.

One :class:`PlaceResolver` per import (or per app process): it caches every distinct
place text it resolves, so a file with 100,000 rows in 500 tambons asks the matcher 500
times. Tambon shapes and village names are loaded only when a file needs them.
"""

from __future__ import annotations

import re
from functools import cached_property

import shapely

from data.importers.values import Problem, arabic_digits, clean_text

_PCODE = re.compile(r"(TH)?(\d{6})")
# How far (degrees, ~2 km) a point may lie outside the tambon its names give: the three
# boundary levels were simplified separately, and a village point may sit on an edge.
NEAR_DEGREES = 0.02
_LEVEL_TH = {"amphoe": "อำเภอ", "province": "จังหวัด"}


class PlaceResolver:
    """Resolve tambons for rows: by P-code, by names (the gazetteer), or by location."""

    def __init__(self, con, gazetteer=None) -> None:
        self._con = con
        self._gazetteer = gazetteer
        self._cache: dict[tuple, tuple[str | None, Problem | None, dict | None]] = {}
        self._village_cache: dict[tuple[str, str], int | None] = {}
        self._villages: dict[tuple[str, str], int] = {}
        self._village_tambons: set[str] = set()
        #: the importer's memo of resolved place-column combinations
        self.memo: dict[tuple, tuple] = {}

    @cached_property
    def gazetteer(self):
        if self._gazetteer is None:
            from boundaries.gazetteer_store import load_gazetteer

            self._gazetteer = load_gazetteer(self._con)
        return self._gazetteer

    @cached_property
    def tambons(self) -> set[str]:
        return {r[0] for r in self._con.execute("SELECT pcode FROM tambon").fetchall()}

    @cached_property
    def _shapes(self) -> tuple[list[str], list, shapely.STRtree]:
        rows = self._con.execute(
            "SELECT pcode, ST_AsWKB(geom) FROM tambon ORDER BY pcode"
        ).fetchall()
        codes = [r[0] for r in rows]
        geoms = shapely.from_wkb([bytes(r[1]) for r in rows])
        return codes, list(geoms), shapely.STRtree(geoms)

    def preload_villages(self, pcodes: set[str]) -> None:
        """Load the 2012 village names of these tambons (one query), for :meth:`village_id`."""
        from boundaries.names import normalize_th

        missing = sorted(set(pcodes) - self._village_tambons)
        if not missing:
            return
        rows = self._con.execute(
            "SELECT id, name, tambon_pcode FROM village"
            " WHERE tambon_pcode IN (SELECT unnest(?::VARCHAR[])) ORDER BY id",
            [missing],
        ).fetchall()
        for vid, name, pcode in rows:
            key = normalize_th(name).removeprefix("บ้าน").strip()
            self._villages.setdefault((pcode, key), vid)
        self._village_tambons.update(missing)

    def village_id(self, pcode: str, name: str | None) -> int | None:
        """The 2012 village of this name in the tambon, when there is exactly such a name."""
        if not name:
            return None
        cached = self._village_cache.get((pcode, name), -1)
        if cached != -1:
            return cached
        from boundaries.names import normalize_th

        self.preload_villages({pcode})
        key = normalize_th(name).removeprefix("บ้าน").strip()
        found = self._villages.get((pcode, key))
        self._village_cache[(pcode, name)] = found
        return found

    def by_pcode(self, text: str) -> tuple[str | None, Problem | None]:
        t = arabic_digits(text).strip().upper().replace(" ", "")
        m = _PCODE.fullmatch(t)
        if not m:
            return None, Problem(
                "bad_pcode",
                f"not a tambon P-code: {text!r} (TH + 6 digits)",
                f"รหัสตำบลไม่ถูกต้อง: {text!r} (TH และตัวเลข 6 หลัก)",
            )
        pcode = "TH" + m.group(2)
        if pcode not in self.tambons:
            return None, Problem(
                "unknown_pcode", f"no tambon has the P-code {pcode}", f"ไม่มีตำบลรหัส {pcode}"
            )
        return pcode, None

    def by_names(
        self, tambon: str | None, amphoe: str | None, province: str | None, address: str | None
    ) -> tuple[str | None, Problem | None, dict | None]:
        """Resolve names; returns (pcode, problem, match info for fuzzy notes)."""
        key = (tambon, amphoe, province, address)
        if key in self._cache:
            return self._cache[key]
        if tambon or amphoe or province:
            result = self.gazetteer.match_parts(tambon=tambon, amphoe=amphoe, province=province)
            if result.pcode is None and address:
                result = self.gazetteer.match(address, level="tambon")
        else:
            result = self.gazetteer.match(address or "", level="tambon")
        answer = self._judge(result)
        self._cache[key] = answer
        return answer

    def _judge(self, result) -> tuple[str | None, Problem | None, dict | None]:
        candidates = tuple(c.to_dict() for c in result.candidates)
        label = result.input
        if result.pcode and result.level == "tambon":
            info = None
            if result.status == "fuzzy":
                info = {
                    "input": label,
                    "pcode": result.pcode,
                    "matched": self.gazetteer.path_th(result.pcode),
                    "score": round(result.score, 3),
                }
            return result.pcode, None, info
        if result.pcode:  # an amphoe or a province only: not precise enough
            tambon_candidates = tuple(c for c in candidates if c["level"] == "tambon")
            return (
                None,
                Problem(
                    "place_not_tambon",
                    f"{label}: names a {result.level}, not a tambon",
                    f"{label}: ระบุได้ถึงระดับ{_LEVEL_TH.get(result.level, '')} เท่านั้น ไม่ถึงตำบล",
                    tambon_candidates,
                ),
                None,
            )
        if result.status == "ambiguous":
            tambons = [c for c in candidates if c.get("level") == "tambon"]
            if len(tambons) == 1:  # one near name: ask to confirm it, never "several tambons"
                only = tambons[0]
                return (
                    None,
                    Problem(
                        "ambiguous_place",
                        f"{label}: not sure; may be {only.get('name_en') or only['pcode']} "
                        f"({only['pcode']}), confirm the tambon",
                        f"{label}: ไม่แน่ใจ อาจเป็น {only.get('path_th') or only.get('name_th')}"
                        f" ({only['pcode']}) กรุณายืนยันตำบล",
                        candidates,
                    ),
                    None,
                )
            return (
                None,
                Problem(
                    "ambiguous_place",
                    f"{label}: {len(tambons) or 'several'} tambons fit; choose the right one",
                    f"{label}: ตรงกับ {len(tambons) or 'หลาย'} ตำบล เลือกตำบลที่ถูกต้อง"
                    if tambons
                    else f"{label}: ตรงกับหลายพื้นที่ เลือกตำบลที่ถูกต้อง",
                    candidates,
                ),
                None,
            )
        return (
            None,
            Problem(
                "unknown_place",
                f"{label}: no such tambon ({result.reason or ''})",
                f"{label}: ไม่พบตำบลนี้",
                candidates,
            ),
            None,
        )

    def candidate(self, pcode: str) -> dict:
        place = self.gazetteer.place(pcode)
        return {
            "pcode": pcode,
            "level": "tambon",
            "name_th": place.name_th if place else "",
            "name_en": place.name_en if place else "",
            "score": 1.0,
            "path_th": self.gazetteer.path_th(pcode) if place else pcode,
        }

    def containing(self, geom) -> str | None:
        """The tambon containing the geometry's representative point, if any."""
        return self.containing_many([geom])[0]

    def containing_many(self, geoms: list) -> list[str | None]:
        """:meth:`containing` for many geometries at once (None stays None)."""
        out: list[str | None] = [None] * len(geoms)
        present = [i for i, g in enumerate(geoms) if g is not None]
        if not present:
            return out
        codes, _geoms, tree = self._shapes
        points = [
            geoms[i] if geoms[i].geom_type == "Point" else geoms[i].representative_point()
            for i in present
        ]
        hits = tree.query(points, predicate="intersects")
        best: dict[int, int] = {}
        for k, t in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
            if k not in best or t < best[k]:
                best[k] = t
        for k, t in best.items():
            out[present[k]] = codes[t]
        return out

    def near(self, pcode: str, geom) -> bool:
        """Whether the geometry lies within ~2 km of the tambon ``pcode``."""
        _codes, geoms, _ = self._shapes
        index = self._shape_index.get(pcode)
        if index is None:
            return False
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        return geoms[index].distance(point) <= NEAR_DEGREES

    @cached_property
    def _shape_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self._shapes[0])}


def text_or_none(value) -> str | None:
    return clean_text(value)
