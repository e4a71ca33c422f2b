"""Build steps of issue 5: the built-in accounts, and demo housing-need reports.

* ``accounts`` (only with ``--demo``): creates the development accounts of
  :mod:`data.accounts` that are missing; existing accounts (and changed passwords) are left
  alone. A plain build creates no account.
* ``need demo`` (only with ``--demo``): about 80 housing-need reports on real 2012 village
  locations, chosen with ``random.Random(42)``, marked ``is_demo`` and shown as demo data.
  Their form ids are fixed (``demo-need-0001``...), so a rebuild answers "already saved"
  instead of adding copies; decisions are taken only on newly created ones.
"""

from __future__ import annotations

import random

from data import accounts
from data.build import register_step
from data.need_reports import PROBLEMS, Actor, NeedForm, decide, submit

DEMO_REPORTS = 80
_DESCRIPTIONS = (
    "ชาวบ้านอยู่อาศัยมานานกว่า 30 ปี ได้รับหนังสือแจ้งให้ออกจากพื้นที่",
    "บ้านเรือนทรุดโทรม น้ำท่วมขังทุกปีในฤดูฝน",
    "เช่าที่ดินเอกชน ค่าเช่าขึ้นทุกปี ครอบครัวรายได้น้อยจ่ายไม่ไหว",
    "ชุมชนริมคลอง ไม่มีเอกสารสิทธิ์ในที่ดิน ต้องการเข้าร่วมโครงการบ้านมั่นคง",
    "ชุมชนริมทางรถไฟ ต้องการเจรจาเช่าที่ดินระยะยาว",
    "",
)
_LANDOWNERS = (
    "unknown",
    "treasury",
    "state_railway",
    "crown_property",
    "local_authority",
    "temple",
    "private",
    "other",
)


@register_step("accounts")
def build_accounts(con, summary: dict, options: dict) -> None:
    """Demo builds only: create the missing development accounts (their passwords are in
    the README, so a plain build creates none; see data.first_admin)."""
    if not options.get("demo"):
        summary["accounts_created"] = []
        return
    summary["accounts_created"] = accounts.ensure_builtin(con, actor="system")


def _square(lon: float, lat: float, rng: random.Random) -> dict:
    half_w = rng.uniform(0.0008, 0.003)
    half_h = rng.uniform(0.0008, 0.003)
    ring = [
        [lon - half_w, lat - half_h],
        [lon + half_w, lat - half_h],
        [lon + half_w, lat + half_h],
        [lon - half_w, lat + half_h],
        [lon - half_w, lat - half_h],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


@register_step("need demo")
def build_need_demo(con, summary: dict, options: dict) -> None:
    """Demo housing-need reports (is_demo), only when the build runs with --demo."""
    if not options.get("demo"):
        return
    rng = random.Random(42)  # noqa: S311 - demo data must be reproducible, not secret
    villages = con.execute(
        "SELECT id, name, ST_X(geom), ST_Y(geom) FROM village "
        "WHERE match_status = 'agree' ORDER BY id"
    ).fetchall()
    if not villages:
        summary["need_demo_reports"] = 0
        return
    picks = rng.sample(villages, min(DEMO_REPORTS, len(villages)))
    system = Actor("system", "admin")
    created, statuses = 0, {"pending": 0, "verified": 0, "rejected": 0}
    problem_codes = list(PROBLEMS)
    for n, (_vid, name, lon, lat) in enumerate(picks, start=1):
        geometry = (
            _square(lon, lat, rng)
            if rng.random() < 0.7
            else {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
        )
        form = NeedForm(
            form_id=f"demo-need-{n:04d}",
            geometry=geometry,
            community_name=f"ชุมชน{name}",
            households=rng.choice([8, 12, 20, 35, 48, 60, 85, 120, 150, 240]),
            problems=rng.sample(problem_codes[:5], rng.randint(1, 3)),
            urgency=rng.choice(["high", "medium", "medium", "low"]),
            landowner=rng.choice(_LANDOWNERS),
            description=rng.choice(_DESCRIPTIONS),
        )
        roll = rng.random()
        receipt = submit(con, form, actor="system", is_demo=True, own_transaction=False)
        if receipt.already_saved:
            continue
        created += 1
        if roll < 0.55:
            decide(
                con,
                receipt.report_id,
                "verify",
                system,
                expected_status="pending",
                own_transaction=False,
            )
            statuses["verified"] += 1
        elif roll < 0.65:
            decide(
                con,
                receipt.report_id,
                "reject",
                system,
                expected_status="pending",
                reason="ข้อมูลสาธิต: พื้นที่นี้ได้รับการแก้ไขปัญหาแล้ว",
                own_transaction=False,
            )
            statuses["rejected"] += 1
        else:
            statuses["pending"] += 1
    summary["need_demo_reports"] = created
    summary["need_demo_statuses"] = statuses
