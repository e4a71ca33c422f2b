"""Map views: which area is on screen and which level of areas inside it is coloured.

:class:`View` and its levels, the breadcrumb of an area, its bounds, the area under a
click and the view's area as a layer scope. Part of :mod:`geo.mapping` (every name is
importable from there).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from geo.layers import VIEW_LEVELS, Scope
from geo.simplify import VIEW_DETAIL

AREA_LEVELS = ("region", "cluster", "province", "amphoe", "tambon")
LEVEL_NAMES = {
    "country": ("ประเทศไทย", "Thailand"),
    "region": ("ภาค", "Region"),
    "cluster": ("กลุ่มจังหวัด", "Province cluster"),
    "province": ("จังหวัด", "Province"),
    "amphoe": ("อำเภอ", "Amphoe"),
    "tambon": ("ตำบล", "Tambon"),
}
THAILAND_BOUNDS = (97.34, 5.61, 105.64, 20.47)  # lon/lat box of the whole country


def level_name(level: str, lang: str = "th") -> str:
    th, en = LEVEL_NAMES[level]
    return th if lang == "th" else en


@dataclass(frozen=True)
class View:
    """An area on screen and the level of the areas drawn inside it.

    ``level`` is the level of the area viewed (``"country"`` for all of Thailand) and
    ``code`` its code (a P-code, or a cluster/region code of ``grouping``); ``show`` is the
    level of the areas coloured inside it (finer than ``level``; a tambon view shows the
    tambon itself).
    """

    level: str = "country"
    code: str | None = None
    show: str = "province"
    grouping: str = "codi-18"

    def __post_init__(self) -> None:
        if self.level not in VIEW_LEVELS:
            raise ValueError(
                f"view level must be one of {', '.join(VIEW_LEVELS)}, not {self.level!r}"
            )
        if (self.level == "country") != (self.code is None):
            raise ValueError("the country view has no code; every other view needs one")
        if self.show not in showable_levels(self.level):
            raise ValueError(
                f"a {self.level} view can show "
                f"{', '.join(showable_levels(self.level))}, not {self.show!r}"
            )
        if self.code is not None and self.level in ("province", "amphoe", "tambon"):
            digits = {"province": 2, "amphoe": 4, "tambon": 6}[self.level]
            if not (
                self.code.startswith("TH")
                and self.code[2:].isdigit()
                and len(self.code) == 2 + digits
            ):
                raise ValueError(f"{self.code!r} is not a {self.level} P-code")

    @property
    def detail(self) -> int:
        return VIEW_DETAIL[self.level]


def showable_levels(view_level: str) -> tuple[str, ...]:
    """The levels a view of ``view_level`` can colour (finer levels; a tambon: itself)."""
    if view_level == "tambon":
        return ("tambon",)
    start = 0 if view_level == "country" else AREA_LEVELS.index(view_level) + 1
    return AREA_LEVELS[start:]


def child_level(level: str) -> str:
    """The level one step down from ``level`` (a tambon's is itself)."""
    return showable_levels(level)[0]


def view_of(level: str, code: str | None, grouping: str, show: str | None = None) -> View:
    """The view of an area showing its children (or ``show`` if it is valid there)."""
    options = showable_levels(level)
    return View(level, code, show if show in options else options[0], grouping)


@dataclass(frozen=True)
class Crumb:
    level: str
    code: str | None
    name_th: str
    name_en: str

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en


# Every area's code, shown names and parent code, one SELECT per level. Clusters are
# numbered as CODI names them ("10. ..."), so a cluster is never read as its region of the
# same name (cluster 10 and the Bangkok region).
_AREA_NAMES = {
    "region": "SELECT code, name_th, name_en, NULL AS parent FROM grouping_region "
    "WHERE grouping = $g",
    "cluster": "SELECT code, no || '. ' || name_th AS name_th, no || '. ' || name_en AS name_en, "
    "region_code AS parent FROM grouping_cluster WHERE grouping = $g",
    "province": "SELECT p.pcode AS code, p.name_th, p.name_en, gp.cluster_code AS parent "
    "FROM province p LEFT JOIN grouping_province gp ON gp.province_pcode = p.pcode "
    "AND gp.grouping = $g",
    "amphoe": "SELECT pcode AS code, name_th, name_en, province_pcode AS parent FROM amphoe",
    "tambon": "SELECT pcode AS code, name_th, name_en, amphoe_pcode AS parent FROM tambon",
}


def _name_of(con, level: str, code: str, grouping: str) -> tuple[str, str, str | None]:
    row = _run(
        con,
        f"SELECT name_th, name_en, parent FROM ({_AREA_NAMES[level]}) WHERE code = $code",
        {"g": grouping, "code": code},
    ).fetchone()
    if row is None:
        raise KeyError(
            f"no {level} {code!r}"
            + (f" in grouping {grouping!r}" if level in ("region", "cluster") else "")
        )
    return row[0], row[1], row[2]


def breadcrumb(con, view: View) -> list[Crumb]:
    """The chain of areas from the whole country down to the viewed area."""
    chain: list[Crumb] = []
    level, code = view.level, view.code
    parents = {"tambon": "amphoe", "amphoe": "province", "province": "cluster", "cluster": "region"}
    while level != "country" and code is not None:
        th, en, parent = _name_of(con, level, code, view.grouping)
        chain.append(Crumb(level, code, th, en))
        level = parents.get(level, "country")
        code = parent
    chain.append(Crumb("country", None, *LEVEL_NAMES["country"]))
    return chain[::-1]


def scope_of(con, view: View) -> Scope:
    """The view's area as a layer scope (P-code prefix, or provinces of a cluster/region)."""
    if view.level == "country":
        return Scope("")
    if view.level in ("province", "amphoe", "tambon"):
        return Scope(view.code or "")
    column = "cluster_code" if view.level == "cluster" else "gc.region_code"
    rows = con.execute(
        f"""SELECT gp.province_pcode FROM grouping_province gp
            JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code
            WHERE gp.grouping = ? AND {column} = ? ORDER BY 1""",
        [view.grouping, view.code],
    ).fetchall()
    return Scope("", tuple(r[0] for r in rows))


def _member_sql(con, view: View) -> tuple[str, dict]:
    """SQL condition on ``s.code`` (an area of ``view.show``) for areas inside the view."""
    if view.level == "country":
        return "TRUE", {}
    if view.show == "cluster":  # only inside a region
        return (
            "s.code IN (SELECT code FROM grouping_cluster WHERE grouping = $g "
            "AND region_code = $area)",
            {"area": view.code},
        )
    return scope_of(con, view).matches_sql("s.code"), {}


def bounds_of(con, view: View) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the viewed area."""
    if view.level == "country":
        return THAILAND_BOUNDS
    if view.level in ("region", "cluster"):
        table = "grouping_region" if view.level == "region" else "grouping_cluster"
        row = con.execute(
            f"SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
            f"FROM {table} WHERE grouping = ? AND code = ?",
            [view.grouping, view.code],
        ).fetchone()
    else:
        row = con.execute(
            f"SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) "
            f"FROM {view.level} WHERE pcode = ?",
            [view.code],
        ).fetchone()
    if row is None:
        raise KeyError(f"no {view.level} {view.code!r}")
    return tuple(float(v) for v in row)


def area_at(con, view: View, lon: float, lat: float) -> str | None:
    """The code of the area of ``view.show`` inside the view that contains (lon, lat)."""
    member, params = _member_sql(con, view)
    point = "ST_Point($lon, $lat)"
    if view.show in ("region", "cluster"):
        table = "grouping_region" if view.show == "region" else "grouping_cluster"
        sql = (
            f"SELECT s.code FROM {table} s WHERE s.grouping = $g AND {member} "
            f"AND ST_Contains(s.geom, {point}) LIMIT 1"
        )
    else:
        sql = (
            f"SELECT s.code FROM (SELECT pcode AS code, geom FROM {view.show}) s "
            f"WHERE {member} AND ST_XMin(s.geom) <= $lon AND ST_XMax(s.geom) >= $lon "
            f"AND ST_YMin(s.geom) <= $lat AND ST_YMax(s.geom) >= $lat "
            f"AND ST_Contains(s.geom, {point}) LIMIT 1"
        )
    row = _run(
        con, sql, {"lon": float(lon), "lat": float(lat), "g": view.grouping, **params}
    ).fetchone()
    return row[0] if row else None


def with_show(view: View, show: str) -> View:
    return replace(view, show=show)


def _run(con, sql: str, params: dict):
    """Execute ``sql`` with only the named parameters it uses (DuckDB refuses extras)."""
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return con.execute(sql, used)
