"""Exports keep private data private (issue 7 and 12): contact details, accounts and what
members typed never leave; need reports are verified only and suppressible per area; small
counts are hidden; the layer registry refuses private declarations; CSV cells never run as
spreadsheet formulas.

The database is ``export_db`` (``tests/export_data.py``), on both stores.
"""

from __future__ import annotations

import csv
import json

import pytest

from geo.export import ExportOptions, export_layer, metadata_path_for
from geo.export_layers import Field, LayerSpec, LayerSpecError, register_layer
from tests.export_data import (
    ACCOUNT_HASH,
    ACCOUNT_USER,
    CHAIR,
    CONTACT_NAME,
    CONTACT_NOTE,
    CONTACT_PHONE,
    DESCRIPTION_MARK,
    FORMULA,
    TAMBONS,
    TYPED_EMAIL,
    TYPED_PHONE,
)

SECRETS = [
    CONTACT_NAME,
    CONTACT_PHONE,
    CONTACT_NOTE,
    ACCOUNT_USER,
    ACCOUNT_HASH,
    CHAIR,
    "ZQX Display",
    "NR-0001-AAAA",
    "formid0001xx",
]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_contact_and_account_data_never_exported(econ, tmp_path, fmt):
    from geo.export import list_layers

    for layer in [entry["layer"] for entry in list_layers(econ)]:
        if layer in ("boundaries", "indicators", "villages"):
            continue
        for free_text in (False, True):
            out = tmp_path / f"{layer}_{free_text}.{fmt}"
            export_layer(econ, ExportOptions(layer, fmt, include_free_text=free_text), out)
            blob = out.read_bytes() + metadata_path_for(out).read_bytes()
            for secret in [*SECRETS, TYPED_PHONE, TYPED_EMAIL]:
                assert secret.encode() not in blob, (layer, fmt, free_text, secret)
            if layer == "need_reports":
                assert (DESCRIPTION_MARK.encode() in blob) is free_text, (fmt, free_text)


def test_need_reports_are_verified_only_and_suppressible_per_area(econ, tmp_path):
    out = tmp_path / "n.geojson"
    result = export_layer(econ, ExportOptions("need_reports"), out)
    features = json.loads(out.read_bytes())["features"]
    # what members typed (community name, description) is left out unless asked for
    assert "description" not in features[0]["properties"]
    assert "community_name" not in features[0]["properties"]
    assert result.metadata["privacy"]["free_text_fields_left_out"] == [
        "community_name",
        "description",
    ]
    result = export_layer(econ, ExportOptions("need_reports", include_free_text=True), out)
    features = json.loads(out.read_bytes())["features"]
    verified = econ.execute("SELECT count(*) FROM need_report WHERE status = 'verified'")
    assert result.records == len(features) == verified.fetchone()[0]
    ours = [f for f in features if f["properties"]["community_name"].startswith("ชุมชนทดสอบ")]
    assert len(ours) == 4  # the pending one is not exported
    result = export_layer(
        econ, ExportOptions("need_reports", suppress_below=3, include_free_text=True), out
    )
    features = json.loads(out.read_bytes())["features"]
    ours = [f for f in features if f["properties"]["community_name"].startswith("ชุมชนทดสอบ")]
    assert len(ours) == 3  # the tambon with one report is dropped
    assert {f["properties"]["tambon_pcode"] for f in ours} == {TAMBONS[1]}
    assert {f["properties"]["households"] for f in ours} == {3, 4, 5}  # 3 and up shown
    per_tambon = {}
    for f in features:
        per_tambon[f["properties"]["tambon_pcode"]] = (
            per_tambon.get(f["properties"]["tambon_pcode"], 0) + 1
        )
    assert min(per_tambon.values()) >= 3


def test_small_counts_are_suppressed(econ, tmp_path):
    out = tmp_path / "o.csv"
    export_layer(econ, ExportOptions("organizations", "csv", suppress_below=5), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    members = {r["name"]: r["members"] for r in rows}
    assert all(r["members"] == "" or int(r["members"]) >= 5 for r in rows)
    assert members["กลุ่มออมทรัพย์ทดสอบโนนทัน"] == ""  # 2 members: hidden
    assert members["กลุ่มสตรีทดสอบหนองใหญ่"] == "40"


def test_registry_refuses_private_declarations():
    with pytest.raises(LayerSpecError, match="contact or account"):
        Field("phone_number", "โทรศัพท์", "Phone")
    with pytest.raises(LayerSpecError, match="private table"):
        register_layer(
            LayerSpec(
                key="leaky",
                title_th="x",
                title_en="x",
                description_th="x",
                description_en="x",
                sources=("members",),
                fields=(Field("id", "รหัส", "ID", "integer"),),
                sql="SELECT r.id, c.name AS who, r.geom FROM need_report r "
                "JOIN need_contact c ON c.report_id = r.id",
            )
        )


def test_csv_cells_never_run_as_spreadsheet_formulas(econ, tmp_path):
    out = tmp_path / "bkk.csv"
    result = export_layer(econ, ExportOptions("organizations", "csv", area="TH100101"), out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert "'" + FORMULA in names and FORMULA not in names
    assert "csv_text_guard" in result.metadata
    doc = tmp_path / "bkk.geojson"  # other formats keep the text as it is
    export_layer(econ, ExportOptions("organizations", area="TH100101"), doc)
    assert FORMULA in {f["properties"]["name"] for f in json.loads(doc.read_bytes())["features"]}
