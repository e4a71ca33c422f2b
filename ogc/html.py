"""The plain HTML view of the OGC API (``?f=html`` or a browser's ``Accept: text/html``).

Thai by default, English with ``?lang=en``; each page shows one language only (names,
codes and units aside). Every value from the database is escaped with :func:`html.escape`:
imported names are user-supplied text.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any
from urllib.parse import urlencode

from ogc.catalogue import Collection

_CSS = """
body{font-family:Sarabun,'Noto Sans Thai',Loma,Garuda,'DejaVu Sans',Arial,sans-serif;
margin:1.5rem;color:#1f2933;max-width:80rem}
h1{font-size:1.5rem}table{border-collapse:collapse;font-size:.9rem;display:block;
overflow-x:auto}th,td{border:1px solid #cbd2d9;padding:.3rem .5rem;text-align:left;
vertical-align:top}th{background:#f0f4f8}nav a{margin-right:1rem}.muted{color:#616e7c}
.badge{font-size:.8rem;padding:.1rem .4rem;border-radius:.3rem;background:#e3f8ff}
.locked{background:#fff3c4}@media (max-width:600px){td,th{white-space:nowrap}}
"""


def _t(lang: str, th: str, en: str) -> str:
    return th if lang == "th" else en


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href, quote=True)}">{escape(text)}</a>'


def page(lang: str, title: str, body: str, switch_href: str) -> str:
    """A whole HTML document."""
    other = _t(lang, "English", "ภาษาไทย")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<nav><a href="{escape(switch_href, quote=True)}">{other}</a></nav>'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def _access(lang: str, c: Collection) -> str:
    if c.public:
        return f'<span class="badge">{_t(lang, "เปิดสาธารณะ", "Public")}</span>'
    return f'<span class="badge locked">{_t(lang, "ต้องใช้กุญแจ API", "API key needed")}</span>'


def landing(lang: str, base: str, links: dict[str, str]) -> str:
    items = "".join(f"<li>{_link(href, text)}</li>" for text, href in links.items())
    intro = _t(
        lang,
        "ชั้นข้อมูลของผังชุมชนตามมาตรฐาน OGC API – Features ให้โปรแกรม GIS (QGIS, ArcGIS, GDAL) "
        "อ่านได้โดยตรง ชั้นข้อมูลสาธารณะเปิดให้ทุกคน ชั้นอื่นต้องใช้กุญแจ API ที่ผู้ดูแลระบบออกให้หน่วยงาน",
        "The layers of Phang Chumchon as OGC API – Features, read directly by GIS programs "
        "(QGIS, ArcGIS, GDAL). Public layers are open; the others need an API key that an "
        "administrator issues to an agency.",
    )
    how = _t(
        lang,
        "QGIS: ชั้นข้อมูล → เพิ่มชั้นข้อมูล → WFS / OGC API – Features แล้วใส่ URL นี้ "
        "GDAL: ogrinfo OAPIF:URL กุญแจ API ส่งในส่วนหัว X-API-Key หรือ ?api_key=",
        "QGIS: Layer → Add Layer → WFS / OGC API – Features, with this URL. "
        "GDAL: ogrinfo OAPIF:URL. Send an API key as the X-API-Key header or ?api_key=.",
    )
    return (
        f"<p>{escape(intro)}</p><p><code>{escape(base)}</code></p>"
        f"<p class='muted'>{escape(how)}</p><ul>{items}</ul>"
    )


def collections_list(lang: str, base: str, cols: list[Collection], suffix: str) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{_link(f'{base}/collections/{c.id}?{suffix}', c.title(lang))}</td>"
        f"<td><code>{escape(c.id)}</code></td><td>{_access(lang, c)}</td>"
        f"<td>{escape(c.description(lang))}</td></tr>"
        for c in cols
    )
    head = _t(
        lang,
        "<th>ชื่อ</th><th>รหัส</th><th>การเข้าถึง</th><th>คำอธิบาย</th>",
        "<th>Title</th><th>Id</th><th>Access</th><th>Description</th>",
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def collection_detail(lang: str, base: str, c: Collection, suffix: str) -> str:
    fields = "".join(
        f"<tr><td><code>{escape(f.name)}</code></td>"
        f"<td>{escape(f.name_th if lang == 'th' else f.name_en)}</td>"
        f"<td>{escape(f.type)}</td>"
        f"<td>{escape(f.unit_th if lang == 'th' else f.unit_en)}</td></tr>"
        for f in c.fields
    )
    head = _t(
        lang,
        "<th>ฟิลด์</th><th>ชื่อ</th><th>ชนิด</th><th>หน่วย</th>",
        "<th>Field</th><th>Name</th><th>Type</th><th>Unit</th>",
    )
    sources = "".join(
        f"<li>{escape(s['title'])} — {escape(_t(lang, 'สัญญาอนุญาต', 'licence'))}: "
        f"{escape(s['licence'])}</li>"
        for s in c.licences()
    )
    items = _link(f"{base}/collections/{c.id}/items?{suffix}", _t(lang, "ดูข้อมูล", "Browse items"))
    return (
        f"<p>{escape(c.description(lang))}</p><p>{_access(lang, c)} {items}</p>"
        f"<h2>{_t(lang, 'ฟิลด์', 'Fields')}</h2><table><tr>{head}</tr>{fields}</table>"
        f"<h2>{_t(lang, 'แหล่งข้อมูลและสัญญาอนุญาต', 'Sources and licences')}</h2>"
        f"<ul>{sources}</ul>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


def items_table(
    lang: str,
    c: Collection,
    rows: list[dict[str, Any]],
    matched: int,
    offset: int,
    nav: dict[str, str],
    filters: tuple[tuple[str, str], ...] = (),
) -> str:
    head = "".join(f"<th>{escape(f.name_th if lang == 'th' else f.name_en)}</th>" for f in c.fields)
    geometry = _t(lang, "รูปเรขาคณิต", "Geometry")
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_cell(r[f.name])}</td>" for f in c.fields)
        + f"<td>{escape(r['__geometry'])}</td></tr>"
        for r in rows
    )
    shown = _t(
        lang,
        f"รายการที่ {offset + 1:,}–{offset + len(rows):,} จาก {matched:,}",
        f"Items {offset + 1:,}–{offset + len(rows):,} of {matched:,}",
    )
    if not rows:
        shown = _t(
            lang, f"ไม่มีรายการในหน้านี้ (ทั้งหมด {matched:,})", f"No items here ({matched:,} in all)"
        )
    links = " ".join(_link(href, text) for text, href in nav.items())
    if filters:
        names = {f.name: (f.name_th if lang == "th" else f.name_en) for f in c.fields}
        said = "; ".join(f"{escape(names.get(k, k))} = {escape(v)}" for k, v in filters)
        shown += f" · {_t(lang, 'ตัวกรอง', 'Filters')}: {said}"
    return (
        f"<p>{escape(c.description(lang))}</p><p class='muted'>{shown}</p><p>{links}</p>"
        f"<table><tr>{head}<th>{geometry}</th></tr>{body}</table><p>{links}</p>"
    )


def switch_lang(path: str, params: dict[str, str], lang: str) -> str:
    other = {k: v for k, v in params.items() if k != "lang"}
    other["lang"] = "en" if lang == "th" else "th"
    other["f"] = "html"
    return f"{path}?{urlencode(other)}"
