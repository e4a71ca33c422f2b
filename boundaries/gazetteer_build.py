"""The build step that stores the gazetteer (kept apart from :mod:`boundaries.gazetteer_store`
so that loading the gazetteer never imports the whole build)."""

from __future__ import annotations

from boundaries.gazetteer_store import save_gazetteer
from boundaries.matcher import Gazetteer
from data.build import register_step


@register_step("gazetteer")
def _build_step(con, summary: dict, options: dict) -> None:
    gazetteer = Gazetteer.from_connection(con)
    save_gazetteer(con, gazetteer)
    summary["gazetteer_places"] = len(gazetteer)
