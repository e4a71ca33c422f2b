"""Map assets served locally: folium points at them, old shape files are pruned."""

from __future__ import annotations

import pytest

from geo import static_assets


def test_old_shape_files_are_pruned(tmp_path, monkeypatch):
    import os
    import time

    shapes = tmp_path / "shapes"
    shapes.mkdir()
    old, new = shapes / "old.json", shapes / "new.json"
    old.write_text("{}")
    new.write_text("{}")
    past = time.time() - 40 * 86400
    os.utime(old, (past, past))
    monkeypatch.setattr(static_assets, "STATIC_DIR", tmp_path)
    assert static_assets.prune_shape_files(30) == 1
    assert not old.exists() and new.exists()


def test_folium_classes_point_at_local_files_only():
    import folium
    import folium.plugins

    static_assets.use_local_assets()
    for cls in (
        folium.Map,
        folium.plugins.MarkerCluster,
        folium.plugins.Draw,
        folium.plugins.Fullscreen,
    ):
        for _, url in [*cls.default_js, *cls.default_css]:
            assert url.startswith("/app/static/vendor/"), (cls.__name__, url)
            assert (
                static_assets.VENDOR_DIR / url.removeprefix("/app/static/vendor/")
            ).exists() or not static_assets.installed(), url
    assert static_assets.local_url("https://cdn.example/leaflet.js").endswith(
        "leaflet/dist/leaflet.js"
    )
    assert static_assets.local_url("https://cdn.example/unknown.js") is None


@pytest.mark.parametrize("name", sorted(static_assets.LOCAL_FILES))
def test_every_local_file_belongs_to_a_copied_package(name):
    package = next(
        p for p in static_assets.COPIED if static_assets.LOCAL_FILES[name].startswith(p + "/")
    )
    parts = static_assets.COPIED[package]
    rest = static_assets.LOCAL_FILES[name].removeprefix(package + "/")
    assert any(rest == part or rest.startswith(part + "/") for part in parts), name
