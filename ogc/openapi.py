"""The conformance classes and the OpenAPI 3.0 description (``/ogc/api``) of the service."""

from __future__ import annotations

from typing import Any

from ogc.items import DEFAULT_LIMIT, MAX_LIMIT

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _param(name: str, schema: dict, description: str, where: str = "query") -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
        **({"style": "form", "explode": False} if where == "query" else {}),
    }


def document(base: str, collection_ids: list[str]) -> dict[str, Any]:
    """The OpenAPI document: every path, its parameters, and the API-key scheme."""
    cid = _param("collectionId", {"type": "string", "enum": collection_ids}, "collection", "path")
    fid = _param("featureId", {"type": "string"}, "feature id (id or P-code)", "path")
    items_params = [
        cid,
        _param(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            "features per page",
        ),
        _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "features to skip"),
        _param(
            "bbox",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "west,south,east,north (WGS84 degrees)",
        ),
        _param("datetime", {"type": "string"}, "RFC 3339 date or interval, on the layer's date"),
        _param("f", {"type": "string", "enum": ["json", "html"]}, "response format"),
        _param("lang", {"type": "string", "enum": ["th", "en"]}, "language of the HTML view"),
    ]
    json_ok = {"200": {"description": "OK", "content": {"application/json": {}}}}
    geojson_ok = {
        "200": {"description": "OK", "content": {"application/geo+json": {}, "text/html": {}}},
        "400": {"description": "bad parameter"},
        "401": {"description": "API key missing, unknown or revoked"},
        "403": {"description": "the key does not open this layer"},
        "404": {"description": "no such collection or feature"},
    }
    secured = [{"apiKeyHeader": []}, {"apiKeyQuery": []}, {}]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ผังชุมชน OGC API – Features",
            "version": "1.0.0",
            "description": "Community mapping layers (CODI). Public layers are open; the "
            "others need an API key (header X-API-Key, or query parameter api_key).",
        },
        "servers": [{"url": base}],
        "components": {
            "securitySchemes": {
                "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
            }
        },
        "paths": {
            "/": {"get": {"summary": "landing page", "responses": json_ok}},
            "/conformance": {"get": {"summary": "conformance classes", "responses": json_ok}},
            "/collections": {"get": {"summary": "the collections", "responses": json_ok}},
            "/collections/{collectionId}": {
                "get": {"summary": "one collection", "parameters": [cid], "responses": json_ok}
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": "features of a collection, paged by limit/offset, ordered by id",
                    "parameters": items_params,
                    "responses": geojson_ok,
                    "security": secured,
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": "one feature",
                    "parameters": [cid, fid],
                    "responses": geojson_ok,
                    "security": secured,
                }
            },
        },
    }
