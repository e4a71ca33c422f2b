"""Coordinators' scopes: a province P-code (``TH10``), a cluster or region of a grouping
(``cluster:codi-18:c10``, ``region:codi-18:north``) or the whole country (``None``); the
check of one, its SQL condition, whether a tambon is inside it, its provinces, the
choice of scopes and a scope's name.

Split from :mod:`data.need_reports`, which re-exports every name here.
"""

from __future__ import annotations

import re

from data.errors import InputError

_SCOPE = re.compile(r"^(cluster|region):([a-z0-9][a-z0-9_-]{0,62}):([A-Za-z0-9_.-]{1,32})$")


def check_scope(scope: str | None) -> str | None:
    """Return ``scope`` if well formed (None, ``THnn``, ``cluster:g:code``, ``region:g:code``)."""
    if scope in (None, ""):
        return None
    if re.fullmatch(r"TH[0-9]{2}", scope) or _SCOPE.match(scope):
        return scope
    raise InputError(
        f"scope {scope!r} must be a province P-code (TH10), cluster:<grouping>:<code> or "
        "region:<grouping>:<code>",
        message_th=f"ขอบเขต {scope!r} ต้องเป็นรหัสจังหวัด (TH10) หรือ cluster:<ชุด>:<รหัส> "
        "หรือ region:<ชุด>:<รหัส>",
    )


def scope_sql(scope: str | None, column: str = "r.tambon_pcode") -> tuple[str, list]:
    """A SQL condition (and its parameters) true when the tambon in ``column`` is in scope."""
    scope = check_scope(scope)
    if scope is None:
        return "TRUE", []
    if scope.startswith("TH"):
        return f"substr({column}, 1, 4) = ?", [scope]
    kind, grouping, code = _SCOPE.match(scope).groups()
    if kind == "cluster":
        return (
            f"substr({column}, 1, 4) IN (SELECT province_pcode FROM grouping_province "
            "WHERE grouping = ? AND cluster_code = ?)",
            [grouping, code],
        )
    return (
        f"substr({column}, 1, 4) IN (SELECT gp.province_pcode FROM grouping_province gp "
        "JOIN grouping_cluster gc ON gc.grouping = gp.grouping AND gc.code = gp.cluster_code "
        "WHERE gp.grouping = ? AND gc.region_code = ?)",
        [grouping, code],
    )


def in_scope(con, scope: str | None, tambon_pcode: str) -> bool:
    cond, params = scope_sql(scope, "?")
    if cond == "TRUE":
        return True
    return bool(con.execute(f"SELECT {cond}", [tambon_pcode, *params]).fetchone()[0])


def scope_provinces(con, scope: str | None) -> dict[str, tuple[str, str]]:
    """The provinces inside ``scope``: P-code -> (Thai, English) name, in Thai order."""
    cond, params = scope_sql(scope, "p.pcode || '0000'")
    rows = con.execute(
        f"SELECT p.pcode, p.name_th, p.name_en FROM province p WHERE {cond} ORDER BY p.name_th",
        params,
    ).fetchall()
    return {pcode: (th, en) for pcode, th, en in rows}


def scope_options(con) -> dict[str | None, tuple[str, str]]:
    """Every scope a coordinator may be given: the whole country (``None``), each region
    and cluster of every grouping, each province; scope -> (Thai, English) label."""
    out: dict[str | None, tuple[str, str]] = {None: ("ทั้งประเทศ", "Whole country")}
    rows = con.execute(
        """SELECT 'region', r.grouping, r.code, r.name_th, r.name_en, g.title_th, g.title_en,
                  r.no
           FROM grouping_region r JOIN grouping g ON g.name = r.grouping
           UNION ALL
           SELECT 'cluster', c.grouping, c.code, c.no || '. ' || c.name_th,
                  c.no || '. ' || c.name_en, g.title_th, g.title_en, 100 + c.no
           FROM grouping_cluster c JOIN grouping g ON g.name = c.grouping
           ORDER BY 2, 8"""
    ).fetchall()
    for kind, grouping, code, th, en, g_th, g_en, _ in rows:
        word_th = "ภาค" if kind == "region" else "กลุ่มจังหวัด"
        word_en = "Region" if kind == "region" else "Cluster"
        out[f"{kind}:{grouping}:{code}"] = (f"{word_th} {th} ({g_th})", f"{word_en} {en} ({g_en})")
    for pcode, th, en in con.execute(
        "SELECT pcode, name_th, name_en FROM province ORDER BY name_th"
    ).fetchall():
        out[pcode] = (f"จังหวัด{th}", f"{en} province")
    return out


def scope_label(con, scope: str | None) -> tuple[str, str]:
    """A (Thai, English) name of a scope for headings."""
    scope = check_scope(scope)
    if scope is None:
        return "ทั้งประเทศ", "Whole country"
    if scope.startswith("TH"):
        row = con.execute(
            "SELECT name_th, name_en FROM province WHERE pcode = ?", [scope]
        ).fetchone()
        return (f"จังหวัด{row[0]}", row[1]) if row else (scope, scope)
    kind, grouping, code = _SCOPE.match(scope).groups()
    table = "grouping_cluster" if kind == "cluster" else "grouping_region"
    row = con.execute(
        f"SELECT name_th, name_en FROM {table} WHERE grouping = ? AND code = ?", [grouping, code]
    ).fetchone()
    return (row[0], row[1]) if row else (scope, scope)
