"""The map layer registry: discovery, checks, roles, scopes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo.layers import (
    MapLayer,
    PopupField,
    Scope,
    get_layer,
    layers,
    register_layer,
    rows_of,
    unregister_layer,
)


@dataclass(frozen=True)
class FakeUser:
    role: str


def _rows(con, scope, user):
    return [{"lon": 100.5, "lat": 13.7, "name": "x"}]


def test_villages_layer_is_discovered_from_layer_defs():
    villages = get_layer("villages")
    assert villages.kind == "point" and villages.cluster
    assert not villages.shown_at("country") and villages.shown_at("province")


def test_roles_decide_who_sees_a_layer():
    register_layer(
        MapLayer("coord_only", "ผู้ประสานงาน", "Coordinators", "point", _rows, roles=("coordinator",))
    )
    try:
        assert "coord_only" in layers(None)  # no user: every layer (for tools and tests)
        assert "coord_only" not in layers(FakeUser("viewer"))
        assert "coord_only" in layers(FakeUser("coordinator"))
        assert "coord_only" in layers(FakeUser("admin"))
        assert "coord_only" not in layers(FakeUser("member"))
    finally:
        unregister_layer("coord_only")
    with pytest.raises(KeyError, match="villages"):
        get_layer("coord_only")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "bad key"}, "layer key"),
        ({"kind": "line"}, "point, polygon"),
        ({"query": "SELECT 1"}, "callable"),
        ({"min_level": "village"}, "min_level"),
    ],
)
def test_bad_layers_are_refused_naming_the_problem(kwargs, message):
    args = {"key": "ok", "name_th": "ก", "name_en": "a", "kind": "point", "query": _rows}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        MapLayer(**args)


def test_rows_must_carry_coordinates():
    layer = MapLayer("no_coords", "ก", "a", "point", lambda c, s, u: [{"name": "x"}])
    with pytest.raises(ValueError, match="lon"):
        rows_of(layer, None, Scope(""), None)
    assert rows_of(MapLayer("ok", "ก", "a", "point", _rows), None, Scope(""), None)[0]["lat"]


def test_scope_sql_and_validation():
    assert Scope("").matches_sql("t.pcode") == "TRUE"
    assert Scope("TH10").matches_sql("t.pcode") == "starts_with(t.pcode, 'TH10')"
    assert Scope("", ("TH10", "TH11")).matches_sql("p") == "substr(p, 1, 4) IN ('TH10', 'TH11')"
    with pytest.raises(ValueError):
        Scope("TH10'; DROP TABLE tambon; --")


def test_village_rows_follow_the_scope(ro_con):
    villages = get_layer("villages")
    rows = rows_of(villages, ro_con, Scope("TH5001"), None)
    assert rows and all(r["pcode"].startswith("TH5001") for r in rows)
    assert {f.column for f in villages.popup} <= set(rows[0])
    assert isinstance(PopupField("a", "ก", "A").label("en"), str)
