"""HTTP routes of the vector tiles: ``GET /tiles/{layer}/{z}/{x}/{y}.mvt`` (and a TileJSON
index at ``GET /tiles/``), thin glue over :mod:`geo.tiles`.

- ``200`` with the tile, ``Content-Type: application/vnd.mapbox-vector-tile``,
  ``Content-Encoding: gzip`` (when the client accepts it), a strong ``ETag``; an empty tile
  (the sea, say) is ``200`` with no body. ``If-None-Match`` with the current ETag: ``304``.
- ``Cache-Control``: a URL carrying the layer's current data version (``?v=``, as the map
  page writes it) is immutable for a day; any other URL may be reused for a minute.
- ``?in=TH50`` (a P-code prefix) or ``?in=TH10,TH11`` (provinces of a cluster or region)
  keeps only the features of that area, as the map page shows them.
- ``400`` for z/x/y that are not whole numbers on the tile grid (or a bad ``in``), ``404``
  for an unknown layer and for layers a public viewer may not see (tiles are not signed
  in). Messages are Thai unless the request prefers English (``Accept-Language``).

Handlers are synchronous: Starlette runs them in its thread pool; ``geo.tiles.get_tile``
takes a cursor per tile on the process's DuckDB connection (``data.store.process_connection``).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

MVT_TYPE = "application/vnd.mapbox-vector-tile"
IMMUTABLE = "public, max-age=86400, immutable"
SHORT = "public, max-age=60"


def _english(request: Request) -> bool:
    """Does the client prefer English to Thai? (first language named in Accept-Language)"""
    first = request.headers.get("accept-language", "th").split(",")[0].strip().lower()
    return first.startswith("en")


def _error(request: Request, exc) -> Response:
    text = str(exc) if _english(request) else exc.message_th
    return Response(
        text + "\n",
        status_code=exc.status,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


def routes(connection: Callable | None = None) -> list[Route]:
    """The tile routes; ``connection()`` gives the DuckDB connection (default: the process's)."""
    if connection is None:
        from data.store import process_connection

        connection = process_connection

    def tile(request: Request) -> Response:
        from geo.tiles import TileError, get_tile, parse_scope, parse_tile

        p = request.path_params
        try:
            z, x, y = parse_tile(p["z"], p["x"], p["y"])
            scope = parse_scope(request.query_params.get("in"))
            found = get_tile(connection(), p["layer"], z, x, y, scope)
        except TileError as exc:
            return _error(request, exc)
        current = request.query_params.get("v") == found.version
        headers = {
            "ETag": found.etag,
            "Cache-Control": IMMUTABLE if current else SHORT,
            "Vary": "Accept-Encoding",
            "Access-Control-Allow-Origin": "*",  # public data: other web maps may use it
        }
        if found.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = found.data
        if body and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
        elif body:
            body = gzip.decompress(body)
        return Response(body, media_type=MVT_TYPE, headers=headers)

    def index(request: Request) -> Response:
        """TileJSON 3.0 of every tiled layer (what a QGIS or MapLibre user needs)."""
        from geo.tiles import MAX_ZOOM, tiled_layers

        base = str(request.base_url).rstrip("/")
        english = _english(request)
        layers = [
            {
                "tilejson": "3.0.0",
                "name": layer.name("en" if english else "th"),
                "tiles": [f"{base}/tiles/{key}/{{z}}/{{x}}/{{y}}.mvt"],
                "minzoom": 0,
                "maxzoom": MAX_ZOOM,
                "bounds": [97.34, 5.61, 105.64, 20.47],
                "vector_layers": [
                    {
                        "id": key,
                        "fields": {
                            f.column: f.label("en" if english else "th") for f in layer.popup
                        }
                        | {
                            "_n": "number of points merged (below zoom 14)"
                            if english
                            else "จำนวนจุดที่รวมกัน (ซูมต่ำกว่า 14)"
                        },
                    }
                ],
            }
            for key, layer in tiled_layers().items()
        ]
        return Response(
            json.dumps(layers, ensure_ascii=False),
            media_type="application/json",
            headers={"Cache-Control": SHORT},
        )

    return [
        Route("/tiles/", index, methods=["GET"]),
        Route("/tiles/{layer}/{z}/{x}/{y}.mvt", tile, methods=["GET"]),
    ]
