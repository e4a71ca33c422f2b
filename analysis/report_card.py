"""Report cards (รายงานพื้นที่) for a tambon or a province: the data, and a printable file.

``report_card`` gathers what a planner takes to a meeting: where the area is (a small map),
its indicators, how dated records changed between two dates, its organizations and
council, Baan Mankong projects and their stages, land cases and verified housing need.
``render_html`` turns it into one self-contained HTML file (inline CSS, the map as inline
SVG, a Thai-capable font stack, no request to anywhere) that prints on A4.

Change between two dates uses the dates on the records: organizations' registration
dates, councils' establishment dates, projects' start and completion dates, and the time a
coordinator verified a need report. Land cases carry no date and are shown as they stand.
Records with no date are counted only in today's column and the card says how many.
Contact details of need reports are never read here.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field

import pandas as pd
import shapely

from analysis.catalogue import catalogue
from analysis.rollup import compute_all
from data import vocab
from data.privacy import mask_columns

LEVELS = ("tambon", "province")

#: Indicators shown on a card, in order (those the catalogue lacks are skipped).
CARD_INDICATORS = (
    "community_orgs",
    "savings_groups_active",
    "council_present",
    "community_leaders",
    "baan_mankong_households",
    "baan_mankong_households_completed",
    "insecure_land_households",
    "eviction_threat_households",
    "need_verified_households",
    "housing_demand_households",
    "unmet_need_households",
    "need_coverage",
)

STAGE_NAMES = vocab.PROJECT_STAGES
TENURE_NAMES = vocab.TENURE
STATUS_NAMES = vocab.ORG_STATUS
ORG_TYPE_NAMES = vocab.ORG_TYPES
LANDOWNER_NAMES = vocab.LANDOWNERS


@dataclass(frozen=True)
class DatedMeasure:
    """A count read from dated records at two dates."""

    key: str
    name_th: str
    name_en: str
    unit_th: str
    unit_en: str
    at_a: float
    at_b: float
    undated: int  # records without a date (counted in neither column)
    demo_fed: bool = True

    @property
    def change(self) -> float:
        return self.at_b - self.at_a


@dataclass
class ReportCard:
    """Everything a report card shows, as plain data (no HTML)."""

    level: str
    pcode: str
    name_th: str
    name_en: str
    parents: list[tuple[str, str, str]]  # (level, Thai name, English name), largest first
    grouping: str
    date_a: dt.date
    date_b: dt.date
    indicators: pd.DataFrame  # key, name_th, name_en, unit_th, unit_en, value, decimals,
    # demo_fed, province_value (tambon cards: the province around it), national_value
    measures: list[DatedMeasure]
    organizations: pd.DataFrame
    org_types: pd.DataFrame  # org_type, active, inactive, dissolved
    councils: pd.DataFrame
    projects: pd.DataFrame
    land_cases: pd.DataFrame
    needs: pd.DataFrame
    tambons: pd.DataFrame  # province cards: one row per tambon with its key figures
    area_wkb: bytes
    child_wkb: list[bytes] = field(default_factory=list)
    has_demo: bool = False
    generated_at: dt.datetime = field(default_factory=dt.datetime.now)

    def name(self, lang: str = "th") -> str:
        return self.name_th if lang == "th" else self.name_en


def _check(level: str, pcode: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be 'tambon' or 'province', not {level!r}")
    digits = 6 if level == "tambon" else 2
    if not (
        isinstance(pcode, str)
        and pcode.startswith("TH")
        and pcode[2:].isdigit()
        and len(pcode) == 2 + digits
    ):
        raise ValueError(f"{pcode!r} is not a {level} P-code")


def report_card(
    con,
    level: str,
    pcode: str,
    grouping: str,
    date_a: dt.date,
    date_b: dt.date | None = None,
) -> ReportCard:
    """The report card of tambon or province ``pcode`` comparing ``date_a`` with ``date_b``.

    ``date_b`` defaults to today. Raises ValueError for a bad level/P-code/dates and
    KeyError when the area does not exist.
    """
    _check(level, pcode)
    date_b = date_b or dt.date.today()
    if date_a > date_b:
        raise ValueError(f"date_a ({date_a}) must not be after date_b ({date_b})")
    table = "tambon" if level == "tambon" else "province"
    row = con.execute(
        f"SELECT name_th, name_en, ST_AsWKB(geom) FROM {table} WHERE pcode = ?", [pcode]
    ).fetchone()
    if row is None:
        raise KeyError(f"no {level} with P-code {pcode}")
    name_th, name_en, wkb = row
    parents = _parents(con, level, pcode, grouping)
    prefix = pcode
    children = []
    if level == "province":
        children = [
            bytes(r[0])
            for r in con.execute(
                "SELECT ST_AsWKB(geom) FROM tambon WHERE province_pcode = ?", [pcode]
            ).fetchall()
        ]
    card = ReportCard(
        level=level,
        pcode=pcode,
        name_th=name_th,
        name_en=name_en,
        parents=parents,
        grouping=grouping,
        date_a=date_a,
        date_b=date_b,
        indicators=_indicators(con, level, pcode, grouping),
        measures=dated_measures(con, prefix, date_a, date_b),
        organizations=_organizations(con, prefix),
        org_types=_org_types(con, prefix),
        councils=_councils(con, prefix),
        projects=_projects(con, prefix),
        land_cases=_land_cases(con, prefix),
        needs=_needs(con, prefix),
        tambons=_tambon_rows(con, pcode, grouping) if level == "province" else pd.DataFrame(),
        area_wkb=bytes(wkb),
        child_wkb=children,
    )
    card.has_demo = bool(
        any(
            "is_demo" in f.columns and f["is_demo"].any()
            for f in (card.organizations, card.councils, card.projects, card.land_cases, card.needs)
        )
    )
    return card


def _parents(con, level: str, pcode: str, grouping: str) -> list[tuple[str, str, str]]:
    province = pcode[:4]
    row = con.execute(
        """SELECT r.name_th, r.name_en, c.name_th, c.name_en, p.name_th, p.name_en
           FROM grouping_province gp
           JOIN grouping_cluster c ON c.grouping = gp.grouping AND c.code = gp.cluster_code
           JOIN grouping_region r ON r.grouping = c.grouping AND r.code = c.region_code
           JOIN province p ON p.pcode = gp.province_pcode
           WHERE gp.grouping = ? AND gp.province_pcode = ?""",
        [grouping, province],
    ).fetchone()
    out = []
    if row:
        out += [("region", row[0], row[1]), ("cluster", row[2], row[3])]
        if level == "tambon":
            out.append(("province", row[4], row[5]))
    if level == "tambon":
        amphoe = con.execute(
            "SELECT name_th, name_en FROM amphoe WHERE pcode = ?", [pcode[:6]]
        ).fetchone()
        if amphoe:
            out.append(("amphoe", amphoe[0], amphoe[1]))
    return out


def _indicators(con, level: str, pcode: str, grouping: str) -> pd.DataFrame:
    indicators = catalogue()
    keys = [k for k in CARD_INDICATORS if k in indicators and level in indicators[k].levels]
    values = compute_all(con, grouping, keys, levels=("region", "province", level))
    # the values of this area, of its province (for tambons) and of the whole country
    mine = values[(values["level"] == level) & (values["pcode"] == pcode)].set_index("key")
    prov = values[(values["level"] == "province") & (values["pcode"] == pcode[:4])]
    prov = prov.set_index("key")
    regions = values[values["level"] == "region"]
    rows = []
    for key in keys:
        ind = indicators[key]
        nat = regions[regions["key"] == key]
        num, den = nat["num"].sum(), nat["den"].sum()
        national = ind.scale * num / den if ind.has_denominator and den else ind.scale * num
        if ind.has_denominator and not den:
            national = math.nan
        rows.append(
            {
                "key": key,
                "name_th": ind.name_th,
                "name_en": ind.name_en,
                "unit_th": ind.unit_th,
                "unit_en": ind.unit_en,
                "decimals": ind.decimals,
                "demo_fed": ind.demo_fed,
                "value": mine["value"].get(key, math.nan),
                "province_value": prov["value"].get(key, math.nan),
                "national_value": national,
            }
        )
    return pd.DataFrame(rows)


def dated_measures(con, prefix: str, date_a: dt.date, date_b: dt.date) -> list[DatedMeasure]:
    """Counts from dated records at ``date_a`` and ``date_b`` for tambons under ``prefix``.

    Dissolved organizations and councils are left out at both dates (the records keep no
    dissolution date, so their past cannot be told apart).
    """
    args = {"p": prefix, "a": date_a, "b": date_b}

    def count(sql: str) -> tuple[float, float, int]:
        a, b, undated = con.execute(sql, args).fetchone()
        return float(a or 0), float(b or 0), int(undated or 0)

    specs = [
        (
            "orgs",
            "องค์กรชุมชนที่จดทะเบียนแล้ว",
            "Organizations registered",
            "กลุ่ม",
            "organizations",
            """SELECT count(*) FILTER (registered_date <= $a),
                      count(*) FILTER (registered_date <= $b),
                      count(*) FILTER (registered_date IS NULL)
               FROM community_org WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved'""",
        ),
        (
            "savings",
            "กลุ่มออมทรัพย์ที่จดทะเบียนแล้ว",
            "Savings groups registered",
            "กลุ่ม",
            "groups",
            """SELECT count(*) FILTER (registered_date <= $a),
                      count(*) FILTER (registered_date <= $b),
                      count(*) FILTER (registered_date IS NULL)
               FROM community_org WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved' AND org_type = 'savings_group'""",
        ),
        (
            "councils",
            "สภาองค์กรชุมชนตำบลที่จัดตั้งแล้ว",
            "Community councils established",
            "สภา",
            "councils",
            """SELECT count(*) FILTER (established_date <= $a),
                      count(*) FILTER (established_date <= $b),
                      count(*) FILTER (established_date IS NULL)
               FROM tambon_council WHERE starts_with(tambon_pcode, $p)
                 AND status <> 'dissolved'""",
        ),
        (
            "bm_started",
            "ครัวเรือนในโครงการบ้านมั่นคงที่เริ่มแล้ว",
            "Baan Mankong households, projects started",
            "ครัวเรือน",
            "households",
            """SELECT sum(households) FILTER (start_date <= $a),
                      sum(households) FILTER (start_date <= $b),
                      count(*) FILTER (start_date IS NULL)
               FROM baan_mankong_project WHERE starts_with(tambon_pcode, $p)""",
        ),
        (
            "bm_completed",
            "ครัวเรือนในโครงการบ้านมั่นคงที่เสร็จสิ้นแล้ว",
            "Baan Mankong households, projects completed",
            "ครัวเรือน",
            "households",
            """SELECT sum(households) FILTER (completion_date <= $a),
                      sum(households) FILTER (completion_date <= $b),
                      count(*) FILTER (stage = 'completed' AND completion_date IS NULL)
               FROM baan_mankong_project WHERE starts_with(tambon_pcode, $p)""",
        ),
        (
            "need_verified",
            "ครัวเรือนเดือดร้อนที่ตรวจสอบแล้ว",
            "Verified housing-need households",
            "ครัวเรือน",
            "households",
            """WITH v AS (SELECT r.households,
                                 coalesce((SELECT max(d.decided_at) FROM decision d
                                           WHERE d.report_id = r.id AND d.action = 'verify'),
                                          r.updated_at) AS decided
                          FROM need_report r
                          WHERE starts_with(r.tambon_pcode, $p) AND r.status = 'verified')
               SELECT sum(households) FILTER (CAST(decided AS DATE) <= $a),
                      sum(households) FILTER (CAST(decided AS DATE) <= $b), 0 FROM v""",
        ),
    ]
    out = []
    for key, th, en, unit_th, unit_en, sql in specs:
        a, b, undated = count(sql)
        out.append(DatedMeasure(key, th, en, unit_th, unit_en, a, b, undated))
    return out


def _organizations(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT o.name, o.org_type, o.chair, o.members, o.capital_baht, o.products,
                  o.registered_date, o.status, o.is_demo, t.name_th AS tambon_th,
                  t.name_en AS tambon_en
           FROM community_org o JOIN tambon t ON t.pcode = o.tambon_pcode
           WHERE starts_with(o.tambon_pcode, $p)
           ORDER BY o.status = 'dissolved', t.name_th, o.name""",
        {"p": prefix},
    ).df()


def _org_types(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT org_type, count(*) FILTER (status = 'active') AS active,
                  count(*) FILTER (status IN ('inactive', 'unknown')) AS inactive,
                  count(*) FILTER (status = 'dissolved') AS dissolved,
                  sum(members) FILTER (status <> 'dissolved') AS members,
                  sum(capital_baht) FILTER (status <> 'dissolved') AS capital_baht
           FROM community_org WHERE starts_with(tambon_pcode, $p)
           GROUP BY 1 ORDER BY 2 DESC""",
        {"p": prefix},
    ).df()


def _councils(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT c.name, c.established_date, c.member_orgs, c.status, c.is_demo,
                  t.name_th AS tambon_th, t.name_en AS tambon_en
           FROM tambon_council c JOIN tambon t ON t.pcode = c.tambon_pcode
           WHERE starts_with(c.tambon_pcode, $p) ORDER BY t.name_th""",
        {"p": prefix},
    ).df()


def _projects(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT b.name, b.stage, b.households, b.communities, b.project_type,
                  b.landowner_type, b.start_date, b.completion_date, b.is_demo,
                  t.name_th AS tambon_th, t.name_en AS tambon_en,
                  ST_X(ST_Centroid(b.geom)) AS lon, ST_Y(ST_Centroid(b.geom)) AS lat
           FROM baan_mankong_project b JOIN tambon t ON t.pcode = b.tambon_pcode
           WHERE starts_with(b.tambon_pcode, $p)
           ORDER BY b.start_date NULLS LAST, b.name""",
        {"p": prefix},
    ).df()


def _land_cases(con, prefix: str) -> pd.DataFrame:
    return con.execute(
        """SELECT l.community, l.households, l.area_rai, l.landowner_type, l.tenure_status,
                  l.is_demo, t.name_th AS tambon_th, t.name_en AS tambon_en,
                  ST_X(ST_Centroid(l.geom)) AS lon, ST_Y(ST_Centroid(l.geom)) AS lat
           FROM land_case l JOIN tambon t ON t.pcode = l.tambon_pcode
           WHERE starts_with(l.tambon_pcode, $p)
           ORDER BY l.tenure_status = 'secure', l.households DESC""",
        {"p": prefix},
    ).df()


def _needs(con, prefix: str) -> pd.DataFrame:
    # verified reports only; never the contact table, nor the receipt (a member's key to
    # follow their own report); contact details typed into a name are masked
    frame = con.execute(
        """SELECT r.community_name, r.households, r.problems, r.landowner,
                  r.urgency, r.created_at, r.is_demo, t.name_th AS tambon_th,
                  t.name_en AS tambon_en,
                  ST_X(ST_Centroid(r.geom)) AS lon, ST_Y(ST_Centroid(r.geom)) AS lat
           FROM need_report r JOIN tambon t ON t.pcode = r.tambon_pcode
           WHERE starts_with(r.tambon_pcode, $p) AND r.status = 'verified'
           ORDER BY r.created_at""",
        {"p": prefix},
    ).df()
    return mask_columns(frame, "community_name")


def _tambon_rows(con, province: str, grouping: str) -> pd.DataFrame:
    keys = [
        k
        for k in (
            "community_orgs",
            "council_present",
            "baan_mankong_households",
            "insecure_land_households",
            "need_verified_households",
            "unmet_need_households",
        )
        if k in catalogue()
    ]
    values = compute_all(con, grouping, keys, levels=("tambon",))
    values = values[values["pcode"].str.startswith(province)]
    wide = values.pivot(index="pcode", columns="key", values="value").reindex(columns=keys)
    names = con.execute(
        """SELECT t.pcode, t.name_th, t.name_en, a.name_th AS amphoe_th, a.name_en AS amphoe_en
           FROM tambon t JOIN amphoe a ON a.pcode = t.amphoe_pcode
           WHERE t.province_pcode = ? ORDER BY a.name_th, t.name_th""",
        [province],
    ).df()
    return names.merge(wide, left_on="pcode", right_index=True, how="left")


# --------------------------------------------------------------------------------------
# The map as inline SVG


@dataclass(frozen=True)
class SvgMarker:
    lon: float
    lat: float
    kind: str  # "project" | "land" | "need"


MARKER_STYLE = {
    "project": ("#1a9850", "▲"),
    "land": ("#d73027", "■"),
    "need": ("#fc8d59", "●"),
}


def svg_map(
    area_wkb: bytes,
    child_wkb: list[bytes] | None = None,
    markers: list[SvgMarker] | None = None,
    width: int = 480,
    height: int = 360,
    title: str = "",
) -> str:
    """An SVG map of the area outline, its children's outlines and markers.

    Longitudes are scaled by cos(latitude) so shapes keep their proportions; the drawing
    fits the box with a margin. Everything is computed here; no tile or font is fetched.
    """
    area = shapely.from_wkb(area_wkb)
    minx, miny, maxx, maxy = area.bounds
    # records filed to the area but lying just outside it stay in the picture (within half
    # the area's size); farther ones are left out rather than shrinking the area to a dot
    pad_x, pad_y = (maxx - minx) / 2, (maxy - miny) / 2
    near = [
        m
        for m in markers or []
        if m.lon is not None
        and m.lat is not None
        and not (math.isnan(m.lon) or math.isnan(m.lat))
        and minx - pad_x <= m.lon <= maxx + pad_x
        and miny - pad_y <= m.lat <= maxy + pad_y
    ]
    if near:
        minx = min(minx, *(m.lon for m in near))
        maxx = max(maxx, *(m.lon for m in near))
        miny = min(miny, *(m.lat for m in near))
        maxy = max(maxy, *(m.lat for m in near))
    lat0 = math.radians((miny + maxy) / 2)
    kx = math.cos(lat0)
    w_deg = max((maxx - minx) * kx, 1e-6)
    h_deg = max(maxy - miny, 1e-6)
    margin = 12
    scale = min((width - 2 * margin) / w_deg, (height - 2 * margin) / h_deg)
    ox = (width - w_deg * scale) / 2
    oy = (height - h_deg * scale) / 2
    tolerance = max(w_deg, h_deg) / 800

    def path(geom) -> str:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
        parts = []
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            if poly.geom_type != "Polygon":
                continue
            for ring in (poly.exterior, *poly.interiors):
                pts = [
                    f"{ox + (x - minx) * kx * scale:.1f},{oy + (maxy - y) * scale:.1f}"
                    for x, y in ring.coords
                ]
                parts.append("M" + " L".join(pts) + " Z")
        return " ".join(parts)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f'<rect width="{width}" height="{height}" fill="#f4f8fb"/>',
    ]
    for wkb in child_wkb or []:
        out.append(
            f'<path d="{path(shapely.from_wkb(wkb))}" fill="#ffffff" stroke="#b0b8c0" '
            'stroke-width="0.5" fill-rule="evenodd"/>'
        )
    fill = "none" if child_wkb else "#ffffff"
    out.append(
        f'<path d="{path(area)}" fill="{fill}" stroke="#2b5d8a" stroke-width="1.6" '
        'fill-rule="evenodd"/>'
    )
    for m in near:
        x = ox + (m.lon - minx) * kx * scale
        y = oy + (maxy - m.lat) * scale
        color, _ = MARKER_STYLE.get(m.kind, ("#555555", "●"))
        if m.kind == "project":
            out.append(
                f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} '
                f'L{x - 5:.1f},{y + 4:.1f} Z" fill="{color}" stroke="#fff" stroke-width="0.8"/>'
            )
        elif m.kind == "land":
            out.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}" '
                'stroke="#fff" stroke-width="0.8"/>'
            )
        else:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{color}" stroke="#fff" '
                'stroke-width="0.8"/>'
            )
    # a north arrow and a scale bar (km at the centre latitude)
    km_per_px = 111.32 / scale
    bar_km = _nice(km_per_px * width / 5)
    bar_px = bar_km / km_per_px
    out.append(
        f'<g font-family="sans-serif" font-size="10" fill="#333">'
        f'<line x1="10" y1="{height - 12}" x2="{10 + bar_px:.1f}" y2="{height - 12}" '
        'stroke="#333" stroke-width="2"/>'
        f'<text x="{12 + bar_px:.1f}" y="{height - 8}">{_fmt_km(bar_km)} km</text>'
        f'<text x="{width - 16}" y="18" text-anchor="middle" font-weight="bold">N</text>'
        f'<path d="M{width - 16},22 L{width - 12},32 L{width - 20},32 Z" fill="#333"/></g>'
    )
    out.append("</svg>")
    return "".join(out)


def _nice(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    base = value / 10**exp
    step = 1 if base < 2 else 2 if base < 5 else 5
    return step * 10**exp


def _fmt_km(km: float) -> str:
    return f"{km:g}"


def card_markers(card: ReportCard) -> list[SvgMarker]:
    out = [SvgMarker(r.lon, r.lat, "project") for r in card.projects.itertuples()]
    out += [SvgMarker(r.lon, r.lat, "land") for r in card.land_cases.itertuples()]
    out += [SvgMarker(r.lon, r.lat, "need") for r in card.needs.itertuples()]
    return out
