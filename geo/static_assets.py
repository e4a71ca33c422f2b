"""Leaflet and its plugins served by the app itself, so maps render with no internet.

CODI field offices often block CDNs, and out of the box folium loads Leaflet, jQuery,
Bootstrap, Font Awesome and every plugin from one. Here:

1. ``geo/vendor/package.json`` (+ ``package-lock.json``) pins the npm packages; at set-up
   ``python -m geo.static_assets`` runs ``npm ci`` once and copies the files the maps need
   into ``static/vendor/`` (ignored by git), which Streamlit serves at ``/app/static/``
   (``server.enableStaticServing``). Nothing is fetched at run time.
2. :func:`use_local_assets` rewrites the ``default_js``/``default_css`` of folium's classes
   (the map, MarkerCluster, Draw, Fullscreen, ...) to those local URLs. Assets this module
   does not vendor are dropped from the map and listed by :func:`missing_assets`, so a
   map never silently reaches for a CDN.

Branca colormaps pull d3 from a CDN: ``geo.mapping`` draws its own HTML legend instead.
Leaflet.VectorGrid 1.3.0 (point layers from vector tiles, ``geo.tile_layers``) is vendored
the same way; it declares ``leaflet ^1.0.2`` and draws fine with Leaflet 1.9.3, but its own
click handling calls ``L.DomEvent.fakeStop`` (gone since Leaflet 1.8), so the map does its
own hit-testing and never lets VectorGrid handle the pointer.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR_SRC = Path(__file__).resolve().parent / "vendor"
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
URL_PREFIX = "/app/static/vendor"

# npm package -> files or folders (relative to the package) copied to static/vendor/<package>/
COPIED: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css", "dist/images"),
    "leaflet.markercluster": (
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
    "leaflet-draw": ("dist/leaflet.draw.js", "dist/leaflet.draw.css", "dist/images"),
    "leaflet.awesome-markers": (
        "dist/leaflet.awesome-markers.js",
        "dist/leaflet.awesome-markers.css",
        "dist/images",
    ),
    "leaflet.fullscreen": (
        "Control.FullScreen.js",
        "Control.FullScreen.css",
        "icon-fullscreen.svg",
    ),
    "leaflet.vectorgrid": ("dist/Leaflet.VectorGrid.bundled.min.js",),
    "jquery": ("dist/jquery.min.js",),
    "bootstrap": ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css"),
    "@fortawesome/fontawesome-free": ("css/all.min.css", "webfonts"),
}

# CDN file name (last part of folium's URL) -> local file under static/vendor
LOCAL_FILES: dict[str, str] = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet.draw.js": "leaflet-draw/dist/leaflet.draw.js",
    "leaflet.draw.css": "leaflet-draw/dist/leaflet.draw.css",
    "leaflet.awesome-markers.js": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "leaflet.awesome-markers.css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "Control.FullScreen.min.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "Leaflet.VectorGrid.bundled.min.js": (
        "leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"
    ),
    "jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
}

_missing: dict[str, str] = {}


def install(*, force: bool = False, log=print) -> Path:
    """Install the npm packages (once) and copy their files into ``static/vendor``.

    Safe to run from several processes at once (test workers, two app servers): one holds
    a lock while it installs, and every file is replaced atomically, so a server reading
    ``static/vendor`` never sees half a file.
    """
    STATIC_DIR.mkdir(parents=True, exist_ok=True)
    with open(STATIC_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _install_locked(force=force, log=log)


def _install_locked(*, force: bool, log) -> Path:
    modules = VENDOR_SRC / "node_modules"
    if force or not all((modules / pkg / "package.json").exists() for pkg in COPIED):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "npm is needed once at set-up to install the map's JavaScript "
                "(Leaflet and plugins); install Node.js 18+ and run again"
            )
        command = "ci" if (VENDOR_SRC / "package-lock.json").exists() else "install"
        log(f"npm {command} in {VENDOR_SRC}")
        subprocess.run(  # noqa: S603 - fixed command, npm found on PATH
            [npm, command, "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=VENDOR_SRC,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for pkg, parts in COPIED.items():
        for part in parts:
            src = modules / pkg / part
            if not src.exists():
                raise RuntimeError(f"{src} is missing after npm install; check package.json")
            files = sorted(f for f in src.rglob("*") if f.is_file()) if src.is_dir() else [src]
            for file in files:
                _copy_if_changed(file, VENDOR_DIR / pkg / part / file.relative_to(src), force)
    versions = {
        pkg: json.loads((modules / pkg / "package.json").read_text())["version"] for pkg in COPIED
    }
    _write_atomic(VENDOR_DIR / "versions.json", json.dumps(versions, indent=1).encode())
    return VENDOR_DIR


def _copy_if_changed(src: Path, dst: Path, force: bool) -> None:
    if force or not dst.exists() or dst.stat().st_size != src.stat().st_size:
        _write_atomic(dst, src.read_bytes())


def _write_atomic(dst: Path, data: bytes) -> None:
    """Write ``dst`` through a temporary file renamed over it (readers see old or new)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(dst)


def installed() -> bool:
    """Are all vendored files in ``static/vendor``?"""
    return all((VENDOR_DIR / path).exists() for path in LOCAL_FILES.values())


def local_url(cdn_url: str) -> str | None:
    """The local ``/app/static/vendor/...`` URL serving the file ``cdn_url`` names, if any."""
    local = LOCAL_FILES.get(cdn_url.rsplit("/", 1)[-1])
    return f"{URL_PREFIX}/{local}" if local else None


def _classes() -> list[type]:
    """Every folium and branca class carrying ``default_js``/``default_css``."""
    import folium
    import folium.plugins

    seen: list[type] = []
    stack: list[type] = [folium.elements.JSCSSMixin]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return [c for c in seen if c.__module__.startswith(("folium", "branca"))]


def _rewrite(entries: list[tuple[str, str]], owner: str) -> list[tuple[str, str]]:
    out = []
    for name, url in entries:
        if url.startswith("/"):
            out.append((name, url))
            continue
        local = local_url(url)
        if local is None:
            _missing[url] = owner
        else:
            out.append((name, local))
    return out


def use_local_assets() -> None:
    """Point every folium class's ``default_js``/``default_css`` at the local copies.

    Idempotent. CDN files without a local copy are removed (see :func:`missing_assets`).
    """
    for cls in _classes():
        for attr in ("default_js", "default_css"):
            entries = cls.__dict__.get(attr)
            if entries:
                setattr(cls, attr, _rewrite(list(entries), cls.__name__))


def missing_assets() -> dict[str, str]:
    """CDN URLs folium classes wanted that are not vendored: url -> class name."""
    return dict(_missing)


def prune_shape_files(max_age_days: float = 30.0) -> int:
    """Remove map shape files (``static/shapes``) not written for ``max_age_days``.

    They are content-addressed and rewritten on demand, so removing an old one is safe.
    Returns how many were removed.
    """
    import time

    shapes = STATIC_DIR / "shapes"
    if not shapes.is_dir():
        return 0
    cutoff = time.time() - max_age_days * 86400
    removed = 0
    for path in shapes.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def main() -> int:
    try:
        target = install(log=lambda m: print(m, file=sys.stderr))
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"static assets: {exc}", file=sys.stderr)
        return 1
    pruned = prune_shape_files()
    print(
        json.dumps(
            {
                "static_vendor": str(target),
                "files": len(LOCAL_FILES),
                "old_shape_files_removed": pruned,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
