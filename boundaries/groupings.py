"""Province groupings: every province in one cluster (กลุ่มจังหวัด), every cluster in one region (ภาค).

Groupings are data, versioned by name, never constants in code. The default one is the
18 clusters of seed 001 (``reference/clusters_2561.csv``) with the 5 regions of the brief;
planners add others from a CSV. The invariant, checked before anything is stored: each of
the provinces belongs to exactly one cluster, and each cluster to exactly one region.
Cluster and region shapes are dissolved from their provinces.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from data.errors import GroupingError

REFERENCE = Path(__file__).resolve().parent / "reference"
DEFAULT_GROUPING = "codi-18"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")

HEADER_ALIASES = {
    "province": {
        "province",
        "จังหวัด",
        "changwat",
        "province_pcode",
        "pcode",
        "adm1_pcode",
        "province_name",
        "ชื่อจังหวัด",
    },
    "cluster": {"cluster", "กลุ่มจังหวัด", "กลุ่ม", "province_cluster", "cluster_name"},
    "region": {"region", "ภาค", "ภูมิภาค", "region_name"},
    "cluster_en": {"cluster_en", "cluster_name_en"},
    "region_en": {"region_en", "region_name_en"},
}


@dataclass(frozen=True)
class Region:
    code: str
    no: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Cluster:
    code: str
    no: int
    name_th: str
    name_en: str
    region_code: str


@dataclass
class Grouping:
    """A complete grouping, ready to validate and store."""

    name: str
    title_th: str
    title_en: str
    source: str
    regions: list[Region]
    clusters: list[Cluster]
    province_cluster: dict[str, str] = field(default_factory=dict)  # province P-code -> cluster


@dataclass(frozen=True)
class RefusedRow:
    row: int
    value: str
    reason: str
    nearest: list[str]

    def to_dict(self) -> dict:
        return {
            "row": self.row,
            "value": self.value,
            "reason": self.reason,
            "nearest": self.nearest,
        }


def check_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise GroupingError(
            f"grouping name {name!r} must be lowercase letters, digits, '-' or '_'",
            message_th=f"ชื่อชุดการจัดกลุ่ม {name!r} ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข - หรือ _",
        )
    return name


def _nearest(result) -> list[str]:
    return [f"{c.name_th} ({c.pcode})" for c in result.candidates[:3]]


def default_grouping(gazetteer) -> Grouping:
    """The 18 clusters of seed 001 and the brief's 5 regions, names resolved by the matcher."""
    regions, cluster_region = [], {}
    with open(REFERENCE / "regions_2561.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            regions.append(
                Region(
                    row["region_code"],
                    int(row["region_no"]),
                    row["region_name_th"],
                    row["region_name_en"],
                )
            )
            lo, _, hi = row["clusters"].partition("-")
            for n in range(int(lo), int(hi or lo) + 1):
                cluster_region[n] = row["region_code"]
    clusters, province_cluster, refused = [], {}, []
    with open(REFERENCE / "clusters_2561.csv", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            no = int(row["cluster_no"])
            code = f"c{no:02d}"
            # the seed's heading slip "เฉียงเหนือน" is corrected in the stored name
            name_th = row["cluster_name_th"].replace("เฉียงเหนือน", "เฉียงเหนือ")
            clusters.append(Cluster(code, no, name_th, row["cluster_name_en"], cluster_region[no]))
            for written in row["provinces_as_written_in_seed_001"].split():
                result = gazetteer.match(written, level="province")
                if result.pcode is None:
                    refused.append(
                        RefusedRow(i, written, "province not recognised", _nearest(result))
                    )
                elif result.pcode in province_cluster:
                    refused.append(RefusedRow(i, written, "province listed twice", []))
                else:
                    province_cluster[result.pcode] = code
    if refused:
        raise GroupingError(
            "the default grouping's reference table does not resolve",
            details=[r.to_dict() for r in refused],
        )
    return Grouping(
        DEFAULT_GROUPING,
        "18 กลุ่มจังหวัด พอช. (2561)",
        "CODI 18 province clusters (2018)",
        "seed 001; regions per BRIEF.md",
        regions,
        clusters,
        province_cluster,
    )


def read_text(path: Path) -> str:
    """Decode a small CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or TIS-620/cp874."""
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GroupingError(
            f"{Path(path).name} is a binary file, not a CSV",
            message_th=f"{Path(path).name} ไม่ใช่ไฟล์ CSV",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp874")


def grouping_from_csv(
    path: Path, gazetteer, name: str | None = None, province_pcodes: set[str] | None = None
) -> Grouping:
    """Read a grouping CSV (province name or P-code, cluster, region; Thai or English headers).

    Raises GroupingError whose ``details`` lists each refused row with its reason and the
    nearest province names; nothing is returned unless every row is good.
    """
    path = Path(path)
    name = check_name(name or re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-"))
    reader = csv.DictReader(io.StringIO(read_text(path)))
    columns = _map_headers(reader.fieldnames or [], path)
    regions: dict[str, Region] = {}
    clusters: dict[str, Cluster] = {}
    cluster_names: dict[str, str] = {}
    province_cluster: dict[str, str] = {}
    province_row: dict[str, int] = {}
    refused: list[RefusedRow] = []
    for i, row in enumerate(reader, start=2):
        value = (row.get(columns["province"]) or "").strip()
        cluster_name = (row.get(columns["cluster"]) or "").strip()
        region_name = (row.get(columns["region"]) or "").strip()
        if not value and not cluster_name and not region_name:
            continue
        if not value or not cluster_name or not region_name:
            refused.append(
                RefusedRow(i, value, "province, cluster and region are all required", [])
            )
            continue
        result = gazetteer.match(value, level="province")
        if result.pcode is None:
            reason = (
                "ambiguous province name"
                if result.status == "ambiguous"
                else "province not recognised"
            )
            refused.append(RefusedRow(i, value, reason, _nearest(result)))
            continue
        if result.pcode in province_cluster:
            first = province_row[result.pcode]
            other = cluster_names[province_cluster[result.pcode]]
            refused.append(
                RefusedRow(
                    i,
                    value,
                    f"{result.name_th} is already in cluster {other!r} (row {first}); "
                    "a province belongs to exactly one cluster",
                    [],
                )
            )
            continue
        region = regions.get(region_name)
        if region is None:
            region = Region(
                f"r{len(regions) + 1:02d}",
                len(regions) + 1,
                region_name,
                (row.get(columns.get("region_en", ""), "") or region_name).strip(),
            )
            regions[region_name] = region
        cluster = clusters.get(cluster_name)
        if cluster is None:
            cluster = Cluster(
                f"c{len(clusters) + 1:02d}",
                len(clusters) + 1,
                cluster_name,
                (row.get(columns.get("cluster_en", ""), "") or cluster_name).strip(),
                region.code,
            )
            clusters[cluster_name] = cluster
            cluster_names[cluster.code] = cluster_name
        elif cluster.region_code != region.code:
            refused.append(
                RefusedRow(
                    i,
                    value,
                    f"cluster {cluster_name!r} is already in another region; "
                    "a cluster belongs to exactly one region",
                    [],
                )
            )
            continue
        province_cluster[result.pcode] = cluster.code
        province_row[result.pcode] = i
    grouping = Grouping(
        name,
        name,
        name,
        f"file {path.name}",
        list(regions.values()),
        list(clusters.values()),
        province_cluster,
    )
    problems = [r.to_dict() for r in refused]
    if province_pcodes is not None:
        problems += [
            {
                "row": None,
                "value": _province_label(p, gazetteer),
                "reason": _missing_reason(p, gazetteer),
                "nearest": [],
            }
            for p in sorted(province_pcodes - set(province_cluster))
        ]
    if problems:
        raise GroupingError(
            f"{path.name}: {len(problems)} problems; nothing was stored. First: "
            + _describe(problems[0]),
            message_th=f"{path.name}: พบปัญหา {len(problems)} รายการ ยังไม่ได้บันทึก",
            details=problems,
        )
    return grouping


def _province_label(pcode: str, gazetteer) -> str:
    place = gazetteer.place(pcode)
    return f"{place.name_th} ({pcode})" if place else pcode


def _missing_reason(pcode: str, gazetteer) -> str:
    label = _province_label(pcode, gazetteer)
    return f"province {label} is in no cluster; every province must be in exactly one"


def _describe(problem: dict) -> str:
    where = f"row {problem['row']}: " if problem["row"] else ""
    near = f" (nearest: {', '.join(problem['nearest'])})" if problem["nearest"] else ""
    return f"{where}{problem['value']!r}: {problem['reason']}{near}"


def _map_headers(fieldnames: list[str], path: Path) -> dict[str, str]:
    found = {}
    for raw in fieldnames:
        key = (raw or "").strip().lower()
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in found:
                found[column] = raw
    for column in ("province", "cluster", "region"):
        if column not in found:
            raise GroupingError(
                f"{path.name}: missing column {column!r} (accepted headers: "
                f"{', '.join(sorted(HEADER_ALIASES[column]))})",
                message_th=f"{path.name}: ไม่มีคอลัมน์ {column}",
            )
    return found


def validate_grouping(grouping: Grouping, province_pcodes: set[str]) -> None:
    """Enforce the invariant: each province in exactly one cluster, clusters in known regions."""
    assigned = set(grouping.province_cluster)
    missing = sorted(province_pcodes - assigned)
    unknown = sorted(assigned - province_pcodes)
    cluster_codes = {c.code for c in grouping.clusters}
    region_codes = {r.code for r in grouping.regions}
    problems = []
    if missing:
        problems.append(f"provinces in no cluster: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown provinces: {', '.join(unknown)}")
    if bad := sorted(set(grouping.province_cluster.values()) - cluster_codes):
        problems.append(f"unknown clusters: {', '.join(bad)}")
    if bad := sorted({c.region_code for c in grouping.clusters} - region_codes):
        problems.append(f"clusters in unknown regions: {', '.join(bad)}")
    if empty := sorted(cluster_codes - set(grouping.province_cluster.values())):
        problems.append(f"clusters with no province: {', '.join(empty)}")
    if problems:
        raise GroupingError(
            f"grouping {grouping.name!r} is inconsistent: " + "; ".join(problems),
            message_th=f"ชุดการจัดกลุ่ม {grouping.name} ไม่ถูกต้อง",
            details=problems,
        )


def store_grouping(
    con, grouping: Grouping, *, replace: bool = False, is_default: bool = False
) -> dict:
    """Validate and store ``grouping`` in one transaction, dissolving cluster and region shapes."""
    from data.store import transaction

    check_name(grouping.name)
    provinces = {r[0] for r in con.execute("SELECT pcode FROM province").fetchall()}
    validate_grouping(grouping, provinces)
    exists = con.execute(
        "SELECT count(*) FROM grouping WHERE name = ?", [grouping.name]
    ).fetchone()[0]
    if exists and not replace:
        raise GroupingError(
            f"a grouping named {grouping.name!r} already exists; choose another name or replace it",
            message_th=f"มีชุดการจัดกลุ่มชื่อ {grouping.name} แล้ว",
        )
    with transaction(con):
        for table in ("grouping_province", "grouping_cluster", "grouping_region"):
            con.execute(f"DELETE FROM {table} WHERE grouping = ?", [grouping.name])
        con.execute("DELETE FROM grouping WHERE name = ?", [grouping.name])
        if is_default:
            con.execute("UPDATE grouping SET is_default = false")
        con.execute(
            "INSERT INTO grouping (name, title_th, title_en, source, is_default) "
            "VALUES (?, ?, ?, ?, ?)",
            [grouping.name, grouping.title_th, grouping.title_en, grouping.source, is_default],
        )
        con.executemany(
            "INSERT INTO grouping_province VALUES (?, ?, ?)",
            [[grouping.name, p, c] for p, c in sorted(grouping.province_cluster.items())],
        )
        con.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _cl (code VARCHAR, no INTEGER, name_th VARCHAR,"
            " name_en VARCHAR, region_code VARCHAR)"
        )
        con.execute("DELETE FROM _cl")
        con.executemany(
            "INSERT INTO _cl VALUES (?, ?, ?, ?, ?)",
            [[c.code, c.no, c.name_th, c.name_en, c.region_code] for c in grouping.clusters],
        )
        con.execute(
            """INSERT INTO grouping_cluster
               SELECT ?, c.code, c.no, c.name_th, c.name_en, c.region_code,
                      sum(p.area_km2), ST_MakeValid(ST_CoverageUnion_Agg(p.geom))
               FROM _cl c JOIN grouping_province gp ON gp.cluster_code = c.code AND gp.grouping = ?
               JOIN province p ON p.pcode = gp.province_pcode
               GROUP BY ALL""",
            [grouping.name, grouping.name],
        )
        con.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _rg (code VARCHAR, no INTEGER, name_th VARCHAR,"
            " name_en VARCHAR)"
        )
        con.execute("DELETE FROM _rg")
        con.executemany(
            "INSERT INTO _rg VALUES (?, ?, ?, ?)",
            [[r.code, r.no, r.name_th, r.name_en] for r in grouping.regions],
        )
        con.execute(
            """INSERT INTO grouping_region
               SELECT ?, r.code, r.no, r.name_th, r.name_en, sum(c.area_km2),
                      ST_MakeValid(ST_CoverageUnion_Agg(c.geom))
               FROM _rg r JOIN grouping_cluster c ON c.region_code = r.code AND c.grouping = ?
               GROUP BY ALL""",
            [grouping.name, grouping.name],
        )
    return {
        "grouping": grouping.name,
        "provinces": len(grouping.province_cluster),
        "clusters": len(grouping.clusters),
        "regions": len(grouping.regions),
    }


def list_groupings(con) -> list[dict]:
    rows = con.execute(
        """SELECT g.name, g.title_th, g.title_en, g.source, g.is_default,
                  (SELECT count(*) FROM grouping_cluster c WHERE c.grouping = g.name),
                  (SELECT count(*) FROM grouping_region r WHERE r.grouping = g.name),
                  (SELECT count(*) FROM grouping_province p WHERE p.grouping = g.name)
           FROM grouping g ORDER BY NOT g.is_default, g.name"""
    ).fetchall()
    keys = [
        "name",
        "title_th",
        "title_en",
        "source",
        "is_default",
        "clusters",
        "regions",
        "provinces",
    ]
    return [dict(zip(keys, r, strict=True)) for r in rows]


def groupings_fingerprint(con) -> tuple:
    """Changes whenever a grouping is added, replaced or removed (row counts and the
    newest creation time of the grouping tables)."""
    row = con.execute(
        """SELECT (SELECT count(*) FROM grouping), (SELECT CAST(max(created_at) AS VARCHAR)
                   FROM grouping), (SELECT count(*) FROM grouping_province),
                  (SELECT count(*) FROM grouping_cluster)"""
    ).fetchone()
    return tuple(row)


def default_grouping_name(con) -> str:
    row = con.execute(
        "SELECT name FROM grouping ORDER BY NOT is_default, created_at LIMIT 1"
    ).fetchone()
    if row is None:
        raise GroupingError("no grouping in the database; run `python -m data build`")
    return row[0]


def show_grouping(con, name: str) -> dict:
    if not con.execute("SELECT count(*) FROM grouping WHERE name = ?", [name]).fetchone()[0]:
        known = ", ".join(g["name"] for g in list_groupings(con))
        raise GroupingError(
            f"no grouping named {name!r} (known: {known})", message_th=f"ไม่พบชุดการจัดกลุ่ม {name}"
        )
    rows = con.execute(
        """SELECT p.pcode, p.name_th, p.name_en, c.code, c.name_th, c.name_en, r.code, r.name_th
           FROM grouping_province gp
           JOIN province p ON p.pcode = gp.province_pcode
           JOIN grouping_cluster c ON c.grouping = gp.grouping AND c.code = gp.cluster_code
           JOIN grouping_region r ON r.grouping = gp.grouping AND r.code = c.region_code
           WHERE gp.grouping = ? ORDER BY c.no, p.pcode""",
        [name],
    ).fetchall()
    return {
        "grouping": name,
        "provinces": [
            {
                "pcode": r[0],
                "name_th": r[1],
                "name_en": r[2],
                "cluster": r[3],
                "cluster_name": r[4],
                "cluster_name_en": r[5],
                "region": r[6],
                "region_name": r[7],
            }
            for r in rows
        ],
    }
