"""OGC API – Features (``/ogc``): the export layers served to GIS programs, with API keys.

``routes()`` gives the Starlette routes that ``serve.py`` mounts beside the pages.
"""

from __future__ import annotations


def routes():
    from ogc.routes import routes as _routes

    return _routes()
