"""The field app's files: the page, its script and style, the service worker, the manifest,
the icons and the vendored Leaflet, each with a content version so a phone caches them for
good and fetches again only what changed.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import cache
from pathlib import Path

from data.need_reports import LANDOWNERS, PROBLEMS, URGENCIES
from data.settings import setting
from geo.static_assets import VENDOR_DIR

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
LEAFLET = {"leaflet.js": "leaflet/dist/leaflet.js", "leaflet.css": "leaflet/dist/leaflet.css"}
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@cache
def file_bytes(name: str) -> bytes:
    """A file of ``field/static`` or a vendored Leaflet file (read once per process)."""
    if name in LEAFLET:
        path = VENDOR_DIR / LEAFLET[name]
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing: run `python -m geo.static_assets` (make run does)"
            )
        return path.read_bytes()
    if name.startswith("icon-") and name.endswith(".png"):
        return _icon(int(name[5:-4]))
    return (STATIC / name).read_bytes()


@cache
def version(name: str) -> str:
    return hashlib.sha256(file_bytes(name)).hexdigest()[:12]


@cache
def app_version() -> str:
    names = ("app.js", "app.css", "index.html", "sw.js", "leaflet.js", "leaflet.css")
    joined = "".join(version(n) for n in names)
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def basemap_url() -> str | None:
    """The tile URL template when an online basemap is configured (``PHANG_BASEMAP``)."""
    value = setting("PHANG_BASEMAP").strip()
    if value.lower() == "osm":
        return OSM
    if value.startswith("https://") and "{z}" in value:
        return value
    return None


def config(build: str) -> dict:
    """What the page needs at once, written into it (no extra round trip on 3G)."""
    pairs = lambda d: [[k, th, en] for k, (th, en) in d.items()]  # noqa: E731
    return {
        "version": app_version(),
        "build": build,
        "problems": pairs(PROBLEMS),
        "landowners": pairs(LANDOWNERS),
        "urgencies": pairs(URGENCIES),
        "basemap": basemap_url(),
        "assets": {n: f"/field/{_path(n)}?v={version(n)}" for n in _ASSET_NAMES},
    }


_ASSET_NAMES = ("app.js", "app.css", "leaflet.js", "leaflet.css")


def _path(name: str) -> str:
    return f"vendor/{name}" if name in LEAFLET else name


def index_html(build: str) -> bytes:
    """The page, with the asset versions and the config filled in."""
    text = file_bytes("index.html").decode("utf-8")
    cfg = config(build)
    for name, url in cfg["assets"].items():
        text = text.replace("{{" + name + "}}", url)
    blob = json.dumps(cfg, ensure_ascii=False).replace("<", "\\u003c")
    return text.replace("{{config}}", blob).encode("utf-8")


def service_worker(build: str) -> bytes:
    text = file_bytes("sw.js").decode("utf-8")
    shell = [
        "/field/",
        *config(build)["assets"].values(),
        f"/field/api/overview?v={build}",
        "/field/manifest.webmanifest",
        "/field/icon-192.png",
    ]
    text = text.replace("__VERSION__", f"{app_version()}-{build}")
    return text.replace("__SHELL__", json.dumps(shell)).encode("utf-8")


def manifest() -> bytes:
    doc = {
        "name": "ผังชุมชน · แจ้งความเดือดร้อนที่อยู่อาศัย",
        "short_name": "ผังชุมชน",
        "description": "แจ้งความเดือดร้อนด้านที่อยู่อาศัยบนแผนที่ ใช้ได้แม้ไม่มีสัญญาณ",
        "lang": "th",
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#14532d",
        "icons": [
            {"src": "/field/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/field/icon-512.png", "sizes": "512x512", "type": "image/png"},
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _icon(size: int) -> bytes:
    """A plain map-pin icon drawn with Pillow (no image file to keep in the repository)."""
    if size not in (192, 512):
        raise FileNotFoundError(size)
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), "#14532d")
    d = ImageDraw.Draw(img)
    r = size * 0.22
    cx, cy = size / 2, size * 0.42
    d.polygon(
        [(cx - r * 0.9, cy + r * 0.4), (cx + r * 0.9, cy + r * 0.4), (cx, size * 0.82)],
        fill="white",
    )
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill="white")
    d.ellipse([cx - r * 0.4, cy - r * 0.4, cx + r * 0.4, cy + r * 0.4], fill="#14532d")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def media_type(name: str) -> str:
    return TYPES.get(Path(name).suffix, "application/octet-stream")
