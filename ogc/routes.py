"""Starlette routes of the OGC API – Features, mounted under ``/ogc`` by ``serve.py``.

Thin glue: read the request, call :mod:`ogc.catalogue` / :mod:`ogc.items` and
:mod:`data.apikeys`, write JSON, GeoJSON or HTML. Handlers are plain functions, which
Starlette runs in its thread pool, each with its own cursor on the process connection.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from data import apikeys
from data.errors import InputError, PhangError
from data.store import process_connection, with_retry
from ogc import html
from ogc.catalogue import Collection, collections, thailand_bbox
from ogc.items import fetch_page, parse_query
from ogc.openapi import CONFORMANCE, OPENAPI_TYPE, document

log = logging.getLogger(__name__)
GEOJSON = "application/geo+json"
JSON = "application/json"
SCHEMA = "application/schema+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


class _Problem(Exception):
    """An error answer: HTTP status, code and messages in both languages."""

    def __init__(self, status: int, code: str, en: str, th: str, headers: dict | None = None):
        super().__init__(en)
        self.status, self.code, self.en, self.th = status, code, en, th
        self.headers = headers or {}


def _json(data: Any, media: str = JSON, status: int = 200, headers: dict | None = None):
    body = json.dumps(data, ensure_ascii=False, default=str)
    return Response(body, status, headers=headers, media_type=media)


def _lang(request: Request) -> str:
    wanted = request.query_params.get("lang")
    if wanted in ("th", "en"):
        return wanted
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "th"


def _wants_html(request: Request) -> bool:
    f = request.query_params.get("f")
    if f:
        if f not in ("json", "html", "geojson"):
            raise _Problem(
                400, "InvalidParameterValue", "f must be json or html", "f ต้องเป็น json หรือ html"
            )
        return f == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _carry(request: Request) -> dict[str, str]:
    """Query parameters every link keeps: the key given in the URL, the language."""
    return {k: v for k, v in request.query_params.items() if k in ("api_key", "lang")}


def _href(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def _collection(con, cid: str) -> Collection:
    found = collections(con).get(cid)
    if found is None:
        raise _Problem(
            404, "NotFound", f"no collection {cid!r}; see /ogc/collections", f"ไม่มีชุดข้อมูล {cid!r}"
        )
    return found


def _key_for(request: Request, con, c: Collection) -> apikeys.ApiKey | None:
    """None for a public layer; the checked key otherwise (401/403 when it is not good)."""
    if c.public:
        return None
    token = request.headers.get("x-api-key") or request.query_params.get("api_key")
    try:
        return apikeys.check(con, token, c.layer)
    except apikeys.ApiKeyError as exc:
        status = 403 if exc.reason == "layer" else 401
        raise _Problem(
            status,
            f"api_key_{exc.reason}",
            exc.message,
            exc.message_th,
            {"WWW-Authenticate": 'ApiKey header="X-API-Key", query="api_key"'},
        ) from None


def _record_use(key: apikeys.ApiKey, request: Request, returned: int) -> None:
    query = {k: v for k, v in request.query_params.items() if k != "api_key"}
    detail = {"query": query, "returned": returned}
    with_retry(
        process_connection(), lambda cur: apikeys.record_use(cur, key, request.url.path, detail)
    )


def _handler(fn):
    """Run ``fn(request, con)`` with a fresh cursor; errors become JSON problem answers."""

    def run(request: Request):
        cur = process_connection().cursor()
        try:
            return fn(request, cur)
        except _Problem as p:
            body = {"code": p.code, "description": p.en, "description_th": p.th}
            return _json(body, status=p.status, headers=p.headers)
        except InputError as exc:
            body = {"code": "InvalidParameterValue", "description": exc.message}
            return _json({**body, "description_th": exc.message_th}, status=400)
        except PhangError as exc:
            log.exception("OGC API request failed: %s", request.url.path)
            body = {"code": "ServerError", "description": exc.message}
            return _json({**body, "description_th": exc.message_th}, status=500)
        finally:
            cur.close()

    run.__name__ = fn.__name__
    return run


def _page_html(request: Request, title: str, body: str) -> HTMLResponse:
    lang = _lang(request)
    switch = html.switch_lang(request.url.path, dict(request.query_params), lang)
    return HTMLResponse(html.page(lang, title, body, switch))


@_handler
def landing(request: Request, con):
    base, carry = _base(request), _carry(request)
    lang = _lang(request)
    title = html._t(lang, "ผังชุมชน: OGC API – Features", "Phang Chumchon: OGC API – Features")
    links = [
        {"rel": "self", "type": JSON, "title": "this document", "href": _href(f"{base}/", carry)},
        {
            "rel": "alternate",
            "type": "text/html",
            "href": _href(f"{base}/", {**carry, "f": "html"}),
        },
        {"rel": "service-desc", "type": OPENAPI_TYPE, "href": f"{base}/api"},
        {"rel": "conformance", "type": JSON, "href": _href(f"{base}/conformance", carry)},
        {"rel": "data", "type": JSON, "href": _href(f"{base}/collections", carry)},
    ]
    if _wants_html(request):
        nav = {
            html._t(lang, "ชุดข้อมูล", "Collections"): _href(
                f"{base}/collections", {**carry, "f": "html"}
            ),
            html._t(lang, "มาตรฐานที่รองรับ", "Conformance"): f"{base}/conformance",
            "OpenAPI": f"{base}/api",
        }
        return _page_html(request, title, html.landing(lang, base, nav))
    description = (
        "Layers of Phang Chumchon (ผังชุมชน), CODI's community mapping: public layers open, "
        "the others with an API key (X-API-Key header or api_key parameter)."
    )
    return _json({"title": title, "description": description, "links": links})


@_handler
def api(request: Request, con):
    return _json(document(_base(request), list(collections(con))), media=OPENAPI_TYPE)


@_handler
def conformance(request: Request, con):
    return _json({"conformsTo": CONFORMANCE})


def _temporal(con, c: Collection) -> list | None:
    if not c.date_field:
        return None
    from geo.export import ExportOptions, layer_query

    plan = layer_query(con, ExportOptions(c.layer, "geojson", level=c.level))
    sql = f"{plan.count_sql} SELECT min({c.date_field}), max({c.date_field}) FROM kept"
    used = {k: v for k, v in plan.params.items() if f"${k}" in sql}
    lo, hi = con.execute(sql, used).fetchone()
    return [
        [
            f"{lo.isoformat()}T00:00:00Z" if lo else None,
            f"{hi.isoformat()}T23:59:59Z" if hi else None,
        ]
    ]


def _describe(request: Request, con, c: Collection, bbox: list[float]) -> dict:
    base, carry, lang = _base(request), _carry(request), _lang(request)
    url = f"{base}/collections/{c.id}"
    links = [
        {"rel": "self", "type": JSON, "href": _href(url, carry)},
        {"rel": "alternate", "type": "text/html", "href": _href(url, {**carry, "f": "html"})},
        {"rel": "items", "type": GEOJSON, "href": _href(f"{url}/items", carry)},
        {
            "rel": "items",
            "type": "text/html",
            "href": _href(f"{url}/items", {**carry, "f": "html"}),
        },
        # GDAL before 3.8 looks for "describedBy"; the registered relation is "describedby"
        {"rel": "describedby", "type": SCHEMA, "href": f"{url}/schema"},
        {"rel": "describedBy", "type": SCHEMA, "href": f"{url}/schema"},
        {
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "type": SCHEMA,
            "href": f"{url}/queryables",
        },
    ]
    links += [
        {"rel": "license", "type": "text/html", "title": s["licence"], "href": s["url"]}
        for s in c.licences()
        if s["url"]
    ]
    extent: dict[str, Any] = {"spatial": {"bbox": [bbox], "crs": CRS84}}
    temporal = _temporal(con, c)
    if temporal:
        extent["temporal"] = {
            "interval": temporal,
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return {
        "id": c.id,
        "title": c.title(lang),
        "description": c.description(lang),
        "title_th": c.title_th,
        "title_en": c.title_en,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": extent,
        "access": "public" if c.public else "api-key",
        "layer": c.layer,
        "level": c.level,
        "idField": c.id_field,
        "dateField": c.date_field,
        "fields": [f.to_dict() for f in c.fields],
        "licences": c.licences(),
        "notes": list(c.notes),
        "links": links,
    }


@_handler
def collections_(request: Request, con):
    base, carry, lang = _base(request), _carry(request), _lang(request)
    cols = list(collections(con).values())
    if _wants_html(request):
        suffix = urlencode({**carry, "f": "html"})
        title = html._t(lang, "ชุดข้อมูล", "Collections")
        return _page_html(request, title, html.collections_list(lang, base, cols, suffix))
    bbox = thailand_bbox(con)
    return _json(
        {
            "links": [
                {"rel": "self", "type": JSON, "href": _href(f"{base}/collections", carry)},
                {
                    "rel": "alternate",
                    "type": "text/html",
                    "href": _href(f"{base}/collections", {**carry, "f": "html"}),
                },
            ],
            "collections": [_describe(request, con, c, bbox) for c in cols],
        }
    )


@_handler
def collection(request: Request, con):
    c = _collection(con, request.path_params["cid"])
    lang = _lang(request)
    if _wants_html(request):
        suffix = urlencode({**_carry(request), "f": "html"})
        return _page_html(
            request, c.title(lang), html.collection_detail(lang, _base(request), c, suffix)
        )
    return _json(_describe(request, con, c, thailand_bbox(con)))


@_handler
def schema(request: Request, con):
    c = _collection(con, request.path_params["cid"])
    return _json(c.json_schema(_base(request), with_id=False), SCHEMA)


@_handler
def queryables(request: Request, con):
    return _json(_collection(con, request.path_params["cid"]).queryables(_base(request)), SCHEMA)


def _nav_links(request: Request, url: str, query, returned: int, matched: int) -> list[dict]:
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "f")}
    params["limit"] = str(query.limit)

    def at(offset: int, f: str | None = None) -> str:
        return _href(url, {**params, "offset": str(offset), **({"f": f} if f else {})})

    links = [
        {"rel": "self", "type": GEOJSON, "href": at(query.offset)},
        {"rel": "alternate", "type": "text/html", "href": at(query.offset, "html")},
        {"rel": "collection", "type": JSON, "href": url.rsplit("/items", 1)[0]},
    ]
    for rel, offset, show in (
        ("next", query.offset + query.limit, query.offset + returned < matched and returned),
        ("prev", max(0, query.offset - query.limit), query.offset > 0),
    ):
        if show:
            links.append({"rel": rel, "type": GEOJSON, "href": at(offset)})
            links.append({"rel": rel, "type": "text/html", "href": at(offset, "html")})
    return links


@_handler
def items(request: Request, con):
    c = _collection(con, request.path_params["cid"])
    key = _key_for(request, con, c)
    query = parse_query(request.query_params, c)
    as_html = _wants_html(request)
    page = fetch_page(con, c, query, html=as_html)
    if key is not None:
        _record_use(key, request, page.number_returned)
    url = f"{_base(request)}/collections/{c.id}/items"
    links = _nav_links(request, url, query, page.number_returned, page.number_matched)
    if as_html:
        lang = _lang(request)
        names = {"prev": html._t(lang, "ก่อนหน้า", "Previous"), "next": html._t(lang, "ถัดไป", "Next")}
        nav = {
            names[x["rel"]]: x["href"]
            for x in sorted(links, key=lambda x: x["rel"] != "prev")
            if x["rel"] in names and x["type"] == "text/html"
        }
        body = html.items_table(
            lang, c, page.rows, page.number_matched, query.offset, nav, query.properties
        )
        return _page_html(request, c.title(lang), body)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    head = json.dumps(
        {
            "type": "FeatureCollection",
            "numberMatched": page.number_matched,
            "numberReturned": page.number_returned,
            "timeStamp": stamp,
            "links": links,
        },
        ensure_ascii=False,
    )
    body = head[:-1] + ',"features":[\n' + ",\n".join(page.features) + "\n]}"
    return Response(body, media_type=GEOJSON)


@_handler
def item(request: Request, con):
    c = _collection(con, request.path_params["cid"])
    key = _key_for(request, con, c)
    fid = request.path_params["fid"]
    query = parse_query(
        {k: v for k, v in request.query_params.items() if k in ("f", "lang", "api_key")}, c
    )
    as_html = _wants_html(request)
    page = fetch_page(con, c, query, feature_id=fid, html=as_html)
    if not page.ids:
        raise _Problem(
            404, "NotFound", f"no feature {fid!r} in {c.id}", f"ไม่พบรายการ {fid!r} ใน {c.id}"
        )
    if key is not None:
        _record_use(key, request, 1)
    if as_html:
        lang = _lang(request)
        body = html.items_table(lang, c, page.rows, 1, 0, {})
        return _page_html(request, c.title(lang), body)
    url = f"{_base(request)}/collections/{c.id}"
    carry = _carry(request)
    feature = json.loads(page.features[0])
    feature["links"] = [
        {"rel": "self", "type": GEOJSON, "href": _href(f"{url}/items/{fid}", carry)},
        {"rel": "collection", "type": JSON, "href": _href(url, carry)},
    ]
    return _json(feature, GEOJSON)


def routes() -> list[Route]:
    """The OGC API routes, each under ``/ogc`` (listed one by one: Streamlit's own routes
    come after these and must keep answering every other path)."""
    table = [
        ("", landing),
        ("/", landing),
        ("/api", api),
        ("/conformance", conformance),
        ("/collections", collections_),
        ("/collections/{cid}", collection),
        ("/collections/{cid}/schema", schema),
        ("/collections/{cid}/queryables", queryables),
        ("/collections/{cid}/items", items),
        ("/collections/{cid}/items/{fid}", item),
    ]
    return [Route(f"/ogc{path}", fn, methods=["GET", "HEAD"]) for path, fn in table]
