"""Housing-need layers: verified reports for everyone, pending ones for coordinators only.

Never shows contact details, submitters or receipt codes; phone numbers, e-mails and ID
numbers typed into a community name are masked (``phang_mask``, :mod:`data.privacy`). A
coordinator's pending layer is limited to their scope (``data.need_reports.scope_sql``).
Values are raw text: ``geo.mapping`` escapes every value it shows.
"""

from __future__ import annotations

from data.need_reports import PROBLEMS, URGENCIES, scope_sql
from geo.layer_defs.fields import DATA_NOTE, HOUSEHOLDS, TAMBON
from geo.layers import MapLayer, PopupField, Scope, register_layer


def _label(column: str, labels: dict[str, tuple[str, str]]) -> str:
    """A SQL CASE turning a code into 'Thai · English' (fixed texts, safely quoted)."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{(th + ' · ' + en).replace(chr(39), chr(39) * 2)}'"
        for code, (th, en) in labels.items()
    )
    return f"CASE {column} {whens} ELSE {column} END"


_PROBLEM_LIST = f"array_to_string(list_transform(r.problems, p -> {_label('p', PROBLEMS)}), ', ')"


def _sql(status: str, cond: str = "TRUE", shape: str = "") -> str:
    shape = shape or "ST_PointOnSurface(r.geom) AS geom"
    return f"""SELECT r.id, {shape}, phang_mask(r.community_name) AS community_name,
                   r.households, {_PROBLEM_LIST} AS problems,
                   {_label("r.urgency", URGENCIES)} AS urgency,
                   t.name_th AS tambon, r.tambon_pcode AS pcode,
                   CAST(CAST(r.created_at AS DATE) AS VARCHAR) AS reported_on,
                   CASE WHEN r.is_demo THEN 'ข้อมูลสาธิต · Demo data'
                        ELSE 'สมาชิกชุมชนแจ้ง · Reported by members' END AS data_note
            FROM need_report r LEFT JOIN tambon t ON t.pcode = r.tambon_pcode
            WHERE r.status = '{status}' AND {cond}"""


# every verified report: public, so also served as vector tiles
VERIFIED = _sql("verified")


def _rows(con, scope: Scope, status: str, coordinator_scope: str | None = None, *, all_=True):
    cond, params = ("TRUE", []) if all_ else scope_sql(coordinator_scope)
    shape = "ST_X(ST_PointOnSurface(r.geom)) AS lon, ST_Y(ST_PointOnSurface(r.geom)) AS lat"
    sql = _sql(status, cond, shape)
    return con.execute(
        f"SELECT * FROM ({sql}) s WHERE {scope.matches_sql('s.pcode')} ORDER BY s.id", params
    ).df()


def pending_rows(con, scope: Scope, user) -> object:
    """Pending reports in ``scope`` and in the coordinator's own area (admins: all)."""
    role = getattr(user, "role", "viewer")
    if role not in ("coordinator", "admin"):
        return _rows(con, scope, "pending", all_=False, coordinator_scope="TH00")
    own = None if role == "admin" else getattr(user, "scope", None)
    return _rows(con, scope, "pending", own, all_=False)


_POPUP = (
    PopupField("community_name", "ชุมชน", "Community"),
    HOUSEHOLDS,
    PopupField("problems", "ปัญหา", "Problems"),
    PopupField("urgency", "ความเร่งด่วน", "Urgency"),
    TAMBON,
    PopupField("reported_on", "วันที่แจ้ง", "Reported on"),
    DATA_NOTE,
)

register_layer(
    MapLayer(
        key="need_verified",
        name_th="ความเดือดร้อนด้านที่อยู่อาศัย (ตรวจสอบแล้ว)",
        name_en="Housing need (verified)",
        kind="point",
        source=VERIFIED,
        # status changes and merges stamp updated_at
        version_sql="SELECT count(*), max(id), max(updated_at) FROM need_report",
        popup=_POPUP,
        title_field="community_name",
        color="#b30000",
        cluster=True,
        roles=("viewer",),
        demo_fed=True,
        order=40,
    )
)

register_layer(
    MapLayer(
        key="need_pending",
        name_th="คำร้องรอตรวจสอบ (ผู้ประสานงาน)",
        name_en="Pending need reports (coordinators)",
        kind="point",
        query=pending_rows,
        popup=_POPUP,
        title_field="community_name",
        color="#fc8d59",
        cluster=True,
        roles=("coordinator",),
        demo_fed=True,
        order=41,
    )
)
