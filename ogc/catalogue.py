"""The collections the OGC API serves: the export layers, one collection per layer and level.

Every collection is an export layer of :mod:`geo.export_layers` (what ``python -m data
export --list`` names) made concrete: a layer with levels (boundaries, indicators) gives
one collection per level, named like the GeoPackage layer of its export
(``boundaries_tambon``, ``indicators_province``); the others keep their key
(``organizations``). Fields, titles, sources, licences and privacy rules are the layer's own;
nothing about a layer is declared twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo.export_layers import SOURCES, Field, LayerSpec, available_layers, resolve

_JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "real": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "boolean": {"type": "boolean"},
}
_GEOMETRY_SCHEMA = {
    "Point": "https://geojson.org/schema/Point.json",
    "MultiPolygon": "https://geojson.org/schema/MultiPolygon.json",
    "Geometry": "https://geojson.org/schema/Geometry.json",
}


@dataclass(frozen=True)
class Collection:
    """One served collection: an export layer at one level."""

    id: str
    spec: LayerSpec
    level: str | None
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    fields: tuple[Field, ...]
    geometry_type: str
    sources: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def public(self) -> bool:
        return self.spec.public

    @property
    def layer(self) -> str:
        """The export layer key (what an API key names)."""
        return self.spec.key

    @property
    def id_field(self) -> str:
        """The field whose value is the feature id (unique in the layer; the paging order)."""
        names = [f.name for f in self.fields]
        return "id" if "id" in names else "pcode"

    @property
    def date_field(self) -> str | None:
        return self.spec.date_column

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def title(self, lang: str) -> str:
        return self.title_th if lang == "th" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_th if lang == "th" else self.description_en

    def licences(self) -> list[dict[str, str]]:
        return [{"source": s, **SOURCES[s].to_dict()} for s in self.sources]

    def json_schema(self, base: str, *, with_id: bool = True) -> dict[str, Any]:
        """A JSON schema of this collection's features (``describedby``; also queryables).

        ``with_id=False`` leaves the ``id`` property out: GDAL (before 3.8) takes it from the
        features themselves and would otherwise declare the field twice."""
        props = {}
        for f in self.fields:
            if not with_id and f.name == "id":
                continue
            entry = dict(_JSON_TYPES[f.type])
            entry["title"] = f"{f.name_th} / {f.name_en}"
            unit = " / ".join(u for u in (f.unit_th, f.unit_en) if u)
            description = " ".join(x for x in (f.description_en, unit and f"unit: {unit}") if x)
            if description:
                entry["description"] = description
            props[f.name] = entry
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{base}/collections/{self.id}/schema",
            "title": f"{self.title_th} / {self.title_en}",
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                **({"id": {"type": "integer"}} if self.id_field == "id" else {}),
                "geometry": {"$ref": _GEOMETRY_SCHEMA[self.geometry_type]},
                "properties": {"type": "object", "properties": props},
            },
        }

    def queryables(self, base: str) -> dict[str, Any]:
        """The properties a request may filter on by equality (``?status=active``)."""
        schema = self.json_schema(base)
        return {
            "$schema": schema["$schema"],
            "$id": f"{base}/collections/{self.id}/queryables",
            "title": schema["title"],
            "type": "object",
            "properties": schema["properties"]["properties"]["properties"],
        }


def _collection(spec: LayerSpec, con, level: str | None, grouping: str) -> Collection:
    resolved = resolve(spec, con, level, grouping)
    cid = f"{spec.key}_{resolved.level}" if resolved.level else spec.key
    # free text stays out, as in an export without --include-free-text
    fields = tuple(f for f in resolved.fields if not f.free_text)
    return Collection(
        id=cid,
        spec=spec,
        level=resolved.level,
        title_th=resolved.title_th,
        title_en=resolved.title_en,
        description_th=resolved.description_th,
        description_en=resolved.description_en,
        fields=fields,
        geometry_type=resolved.geometry_type,
        sources=tuple(dict.fromkeys(resolved.sources)),
        notes=resolved.notes,
    )


def collections(con, grouping: str | None = None) -> dict[str, Collection]:
    """Every collection this database can serve, in the registry's order."""
    from boundaries.groupings import default_grouping_name

    grouping = grouping or default_grouping_name(con)
    out: dict[str, Collection] = {}
    for spec in available_layers(con).values():
        for level in spec.levels or (None,):
            c = _collection(spec, con, level, grouping)
            out[c.id] = c
    return out


def thailand_bbox(con) -> list[float]:
    """The extent of the tambons (every collection lies inside it)."""
    row = con.execute(
        "SELECT min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), "
        "max(ST_YMax(geom)) FROM tambon"
    ).fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else [97.3, 5.6, 105.7, 20.5]
