"""Placing housing-need reports: the in-memory tambon index (:class:`TambonIndex`, cached
per database by :func:`tambon_index`), the tambon a location falls in
(:func:`assign_tambon`) and the open reports near another (:func:`overlapping`).

Split from :mod:`data.need_reports`, which re-exports every name here.
"""

from __future__ import annotations

import threading

import shapely

from geo.validate import GeometryError

#: points within this distance (degrees, about 110 m) of another report count as overlapping
OVERLAP_DEGREES = 0.001
#: a point just off a simplified coastline is given the nearest tambon within this distance
NEAREST_TAMBON_DEGREES = 0.01


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
