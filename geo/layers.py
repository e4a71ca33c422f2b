"""The map layer registry: point and polygon layers the map explorer can switch on.

Any issue adds a layer to the map **without touching the page**: write a module in
``geo/layer_defs/`` (found automatically, like ``analysis/indicators``) that calls
``register_layer``::

    # geo/layer_defs/organizations.py
    from geo.layers import MapLayer, PopupField, register_layer

    def _rows(con, scope, user):
        # scope: the area on screen (geo.layers.Scope); user: ui.auth.User
        return con.execute(
            "SELECT ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat, o.name, o.kind "
            f"FROM organization o WHERE {scope.matches_sql('o.tambon_pcode')}").df()

    register_layer(MapLayer(
        key="organizations",
        name_th="องค์กรชุมชน", name_en="Community organizations",
        kind="point",
        query=_rows,
        popup=(PopupField("name", "ชื่อ", "Name"),
               PopupField("kind", "ประเภท", "Kind")),
        title_field="name",
        color="#7b3294",
        cluster=True,
        roles=("viewer",),
        demo_note_th="ข้อมูลสาธิต", demo_note_en="Demo data",
    ))

Layers from SQL, and vector tiles
---------------------------------
Instead of ``query`` a layer may declare ``source``: a SELECT of every feature with an
``id``, a ``geom`` (EPSG:4326; points for point layers), a ``pcode`` (the tambon P-code, for
the scope) and the popup columns. ``query`` is then derived from it, and a **public** layer
(``"viewer"`` in ``roles``) with a source is also served as vector tiles
(``/tiles/<key>/<z>/<x>/<y>.mvt``, ``geo.tiles``), which the map uses instead of putting
its points in the page. Tiles carry only the popup and title columns. ``version_sql`` is a
cheap query whose result changes whenever the source's rows do (say count, highest id and
latest import time of its tables); without it a hash of every source row is used. A layer whose rows
depend on the signed-in user (pending need reports) keeps a ``query`` and no source: tiles
are not signed in, so it stays in the page, filtered per user.

The query contract
------------------
``query(con, scope, user)`` gets a DuckDB cursor, the area being viewed as a
:class:`Scope` (``scope.prefix`` is a P-code prefix, ``""`` for the whole country;
``scope.provinces`` lists the province P-codes for a cluster or region view, else is
``None``; ``scope.matches_sql(column)`` gives a ready SQL condition) and the signed-in
user (``ui.auth.User``: ``.role``, ``.scope``; filter rows the user may not see here).
It returns a pandas DataFrame (or a list of dicts) with:

- points (``kind="point"``): ``lon`` and ``lat`` columns (EPSG:4326);
- polygons (``kind="polygon"``): a ``geojson`` column holding each shape as GeoJSON
  text (``ST_AsGeoJSON(geom)`` in DuckDB);
- the popup columns named in ``popup`` (and ``title_field`` for the tooltip).

Every value shown on the map is HTML-escaped by ``geo.mapping`` — a query returns raw
text, never HTML. At most ``max_features`` rows are drawn (the map says when it cut).
``roles`` lists who may switch the layer on (``admin`` always may); ``demo_fed=True``
makes the layer toggle and legend say the data are demo data.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

KINDS = ("point", "polygon")


@dataclass(frozen=True)
class Scope:
    """The area a map shows, as layer queries need it.

    ``prefix`` is a P-code prefix ("" = whole country, "TH10" a province, "TH1001" an
    amphoe, "TH100101" a tambon). ``provinces`` is set for cluster and region views:
    the P-codes of their provinces (prefix is then "").
    """

    prefix: str = ""
    provinces: tuple[str, ...] | None = None

    def matches_sql(self, column: str) -> str:
        """A SQL condition true when the P-code in ``column`` lies in this scope.

        Values are P-codes checked against ``TH[0-9]*`` before they get here, so they are
        safe to inline.
        """
        if self.provinces is not None:
            codes = ", ".join(f"'{p}'" for p in self.provinces)
            return f"substr({column}, 1, 4) IN ({codes or 'NULL'})"
        if not self.prefix:
            return "TRUE"
        return f"starts_with({column}, '{self.prefix}')"

    def __post_init__(self) -> None:
        for code in (self.prefix, *(self.provinces or ())):
            if code and not (code.startswith("TH") and code[2:].isdigit()):
                raise ValueError(f"scope codes must be P-codes like 'TH10', not {code!r}")


@dataclass(frozen=True)
class PopupField:
    """One line of a layer's popup: the row column and its Thai and English labels."""

    column: str
    label_th: str
    label_en: str
    decimals: int | None = None

    def label(self, lang: str = "th") -> str:
        return self.label_th if lang == "th" else self.label_en


LayerQuery = Callable[[Any, Scope, Any], Any]


@dataclass(frozen=True)
class MapLayer:
    """A layer the map can draw over the choropleth.

    ``kind`` is ``"point"`` or ``"polygon"``; ``query(con, scope, user)`` returns its rows
    (see the module docstring); ``cluster`` groups dense points into clusters
    (Leaflet.markercluster); ``min_level`` hides the layer above a view level (e.g. 65,000
    villages only from the province view down: ``min_level="province"``).
    """

    key: str
    name_th: str
    name_en: str
    kind: str
    query: LayerQuery | None = None
    popup: tuple[PopupField, ...] = ()
    title_field: str | None = None
    color: str = "#3182bd"
    cluster: bool = True
    roles: tuple[str, ...] = ("viewer",)
    demo_fed: bool = False
    demo_note_th: str = "ข้อมูลสาธิต ไม่ใช่ข้อมูลจริง"
    demo_note_en: str = "Demo data, not real records"
    min_level: str = "country"
    max_features: int = 20000
    order: int = 100
    source: str | None = None
    version_sql: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.key or not self.key.replace("_", "").isalnum():
            raise ValueError(f"layer key must be letters, digits or '_', not {self.key!r}")
        if self.kind not in KINDS:
            raise ValueError(f"layer kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.query is None and self.source:
            object.__setattr__(self, "query", _source_query(self.source, self.kind))
        if not callable(self.query):
            raise ValueError(f"layer {self.key!r}: query must be callable")
        if self.min_level not in VIEW_LEVELS:
            raise ValueError(
                f"layer {self.key!r}: min_level must be one of "
                f"{', '.join(VIEW_LEVELS)}, not {self.min_level!r}"
            )

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en

    def demo_note(self, lang: str = "th") -> str:
        return self.demo_note_th if lang == "th" else self.demo_note_en

    def allowed(self, user: Any) -> bool:
        """May ``user`` (anything with ``.role``; None = public viewer) see this layer?"""
        role = getattr(user, "role", "viewer") if user is not None else "viewer"
        return role == "admin" or role in self.roles or "viewer" in self.roles

    @property
    def public(self) -> bool:
        """May a viewer who is not signed in see this layer?"""
        return "viewer" in self.roles

    @property
    def tiled(self) -> bool:
        """Is the layer served as vector tiles (``geo.tiles``)? Public layers with a source."""
        return bool(self.source) and self.public

    def shown_at(self, view_level: str) -> bool:
        """Is the layer drawn when the map shows an area of ``view_level``?"""
        return VIEW_LEVELS.index(view_level) >= VIEW_LEVELS.index(self.min_level)


def _source_query(source: str, kind: str) -> LayerQuery:
    """The ``query`` of a layer declared by its ``source`` SQL (see the module docstring)."""
    shape = (
        "ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat"
        if kind == "point"
        else "ST_AsGeoJSON(s.geom) AS geojson"
    )

    def query(con, scope: Scope, user):
        return con.execute(
            f"SELECT {shape}, s.* EXCLUDE (geom) FROM ({source}) s "
            f"WHERE {scope.matches_sql('s.pcode')} ORDER BY s.id"
        ).df()

    return query


# Levels of the area being viewed, from the whole country down.
VIEW_LEVELS: tuple[str, ...] = ("country", "region", "cluster", "province", "amphoe", "tambon")

_REGISTRY: dict[str, MapLayer] = {}


def register_layer(layer: MapLayer) -> MapLayer:
    """Add ``layer`` to the registry (idempotent for the same definition)."""
    # a module imported again (Streamlit reloads pages) brings new function objects:
    # the newest definition wins
    _REGISTRY[layer.key] = layer
    return layer


def unregister_layer(key: str) -> None:
    """Remove a layer (tests use it to add a temporary layer)."""
    _REGISTRY.pop(key, None)


@cache
def _discover() -> None:
    import geo.layer_defs

    for info in sorted(pkgutil.iter_modules(geo.layer_defs.__path__), key=lambda m: m.name):
        importlib.import_module(f"geo.layer_defs.{info.name}")


def layers(user: Any = None) -> dict[str, MapLayer]:
    """Every registered layer ``user`` may see (all when ``user`` is None), by ``order``."""
    _discover()
    found = [la for la in _REGISTRY.values() if user is None or la.allowed(user)]
    return {la.key: la for la in sorted(found, key=lambda la: (la.order, la.key))}


def get_layer(key: str) -> MapLayer:
    """The layer named ``key``; KeyError naming the known ones otherwise."""
    known = layers()
    if key not in known:
        raise KeyError(f"unknown map layer {key!r}; known: {', '.join(known) or 'none'}")
    return known[key]


def rows_of(layer: MapLayer, con: Any, scope: Scope, user: Any) -> list[dict]:
    """Run the layer's query and return plain dict rows, checking the required columns."""
    result = layer.query(con, scope, user)
    if hasattr(result, "to_dict"):
        rows = result.to_dict("records")
    else:
        rows = [dict(r) for r in (result or [])]
    needed: Sequence[str] = ("lon", "lat") if layer.kind == "point" else ("geojson",)
    if rows:
        missing = [c for c in needed if c not in rows[0]]
        if missing:
            raise ValueError(f"layer {layer.key!r} query lacks columns {missing}")
    return rows
