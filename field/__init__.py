"""The field app (แอปภาคสนาม) at ``/field``: plain HTML, CSS and a little JavaScript with the
vendored Leaflet, for community members on cheap phones and weak connections. No Streamlit
frontend on this path; offline after the first visit (service worker + IndexedDB outbox).

``routes()`` lists the Starlette routes that ``serve.py`` adds beside the pages; the JSON
endpoints are in :mod:`field.api`, the files in :mod:`field.assets`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from field import api, assets
from session_routes.web import in_thread


def _file_response(body: bytes, name: str, request: Request, *, immutable: bool) -> Response:
    control = "public, max-age=31536000, immutable" if immutable else "no-cache"
    etag = '"' + assets.version(name) + '"' if name not in ("index.html", "sw.js") else None
    headers = {"Cache-Control": control, "X-Content-Type-Options": "nosniff"}
    if etag:
        headers["ETag"] = etag
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
    return Response(body, media_type=assets.media_type(name), headers=headers)


async def page(request: Request) -> Response:
    from geo.field_area import build_id

    build = await in_thread(build_id)
    headers = {
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        # the page loads only its own files; tiles only from a configured basemap
        "Content-Security-Policy": (
            "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
        ),
    }
    return Response(
        assets.index_html(build), media_type="text/html; charset=utf-8", headers=headers
    )


async def worker(request: Request) -> Response:
    from geo.field_area import build_id

    build = await in_thread(build_id)
    return Response(
        assets.service_worker(build),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


async def manifest(request: Request) -> Response:
    return Response(
        assets.manifest(),
        media_type="application/manifest+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def static_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("app.js", "app.css", "icon-192.png", "icon-512.png"):
        return Response("not found", status_code=404)
    immutable = request.query_params.get("v") == assets.version(name)
    return _file_response(assets.file_bytes(name), name, request, immutable=immutable)


async def vendor_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in assets.LEAFLET:
        return Response("not found", status_code=404)
    immutable = request.query_params.get("v") == assets.version(name)
    return _file_response(assets.file_bytes(name), name, request, immutable=immutable)


async def to_slash(request: Request) -> Response:
    return RedirectResponse("/field/", status_code=308)


def routes() -> list[Route]:
    return [
        Route("/field", to_slash, methods=["GET"]),
        Route("/field/", page, methods=["GET"]),
        Route("/field/sw.js", worker, methods=["GET"]),
        Route("/field/manifest.webmanifest", manifest, methods=["GET"]),
        Route("/field/vendor/{name}", vendor_file, methods=["GET"]),
        Route("/field/api/overview", api.overview, methods=["GET"]),
        Route("/field/api/area/{amphoe}", api.area, methods=["GET"]),
        Route("/field/api/locate", api.locate, methods=["GET"]),
        Route("/field/api/villages", api.villages, methods=["GET"]),
        Route("/field/api/search", api.search, methods=["GET"]),
        Route("/field/api/status", api.status, methods=["GET"]),
        Route("/field/api/mine", api.mine, methods=["GET"]),
        Route("/field/api/submit", api.submit, methods=["POST"]),
        Route("/field/{name}", static_file, methods=["GET"]),
    ]
