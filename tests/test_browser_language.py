"""Every page, in Thai and in English, at 1440 px and 390 px: no word of the other language.

The pages are read from ``PAGES`` in ``app.py`` when the test runs, so a page added later is
walked too. Each page is opened by the role it is for (built-in development accounts; the
public pages without signing in). On every page the visible text (the page, its sidebar
when on screen, and the map's frame) is read from the DOM:

* Thai pages: any Latin-letter word fails unless it is a P-code or receipt code, a unit, a
  number, a proper name or format on the short list below, or a data value (an account's
  username). Streamlit's own widget text is covered (``ui/chrome.py`` translates it).
* English pages: any Thai text fails unless it is a data value, that is a name someone
  typed or imported (community, organization, project, account names from the database),
  or the language switch itself.

Tables drawn on a canvas (``st.dataframe``) are not in the DOM; their headers and values
are covered by page tests.
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest

from tests.conftest import offline_page
from tests.sidebar_sign_in import sign_in_sidebar

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent

#: the development accounts (README) that open each role's pages
ACCOUNTS = {
    "member": ("member", "member-phang-dev"),
    "coordinator": ("coordinator", "coordinator-phang-dev"),
    "analyst": ("analyst", "analyst-phang-dev"),
    "admin": ("admin", "admin-phang-dev"),
}

#: Latin words a Thai page may show: proper names (data sources, licences, software,
#: standards), file formats, units and key names. Reviewed; keep it short.
THAI_PAGE_LATIN = set(
    # sources, licences, standards, software
    "OCHA COD AB CC BY IGO WGS WGS84 UTM EPSG RFC OpenStreetMap Leaflet OpenID Connect "
    "Kobo ODK KoboToolbox XLSForm OGC API Jenks Excel "
    # file formats
    "CSV XLSX GeoJSON GeoPackage Shapefile WKT HTML PDF JSON TIS UTF TSV TXT GEOJSON GPKG ZIP "
    "zip gpkg csv xlsx geojson json tsv txt "
    # units; keys named on screen; math and map symbols (log, N for north)
    "km m MB KB GB B kB Enter Ctrl log N".split()
)
#: patterns of whole tokens that are codes or numbers, not words
THAI_PAGE_CODES = re.compile(
    r"^(TH\d{2,6}|NR|[0-9A-HJKMNP-TV-Z]{4}|c\d{2}|\d+[a-z]*|[A-Z]\d+|x|y|X|Y)$"
)
#: Thai a English page may show: the language switch, the product's name
ENGLISH_PAGE_THAI = {"ภาษา", "ไทย", "ผังชุมชน"}

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: receipt codes and P-codes, taken out before the words are read
CODES = re.compile(r"NR-[0-9A-Z]{4}-[0-9A-Z]{4}|TH\d{2,6}")
THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+(?:[\s.\-/()]*[\u0e00-\u0e7f]+)*")

_TEXTS_JS = """
() => {
  const out = [];
  const vw = window.innerWidth;
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    const t = n.nodeValue.trim();
    if (!t) continue;
    const el = n.parentElement;
    if (!el || el.closest(
      "script,style,noscript,template,[data-testid=stIconMaterial],.material-symbols-rounded," +
      ".st-key-lang_radio"  // the language switch names both languages on purpose
    )) continue;
    if (el.checkVisibility && !el.checkVisibility({checkOpacity: true,
                                                  checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;       // visually hidden (skip links)
    if (r.right <= 0 || r.left >= vw) continue;         // off screen (a closed sidebar)
    out.push(t);
  }
  // what a select shows is an input's value; an empty field shows its placeholder
  document.querySelectorAll("input").forEach((el) => {
    if (!el.checkVisibility || !el.checkVisibility()) return;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.right <= 0 || r.left >= vw) return;
    if (el.closest(".st-key-lang_radio")) return;
    const combo = el.getAttribute("role") === "combobox";
    if (combo && el.value) out.push(el.value.trim());
    else if (!el.value && el.placeholder) out.push(el.placeholder.trim());
  });
  return out;
}
"""


def pages_in_app() -> list[tuple[str, str, str, tuple[str, ...] | None, str]]:
    """``PAGES`` of app.py, read without running it: (file, th, en, roles, url path)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            rows = ast.literal_eval(node.value)
            return [(f, th, en, roles, path) for f, th, en, _icon, roles, path in rows]
    raise AssertionError("app.py defines no PAGES")


def role_for(roles: tuple[str, ...] | None) -> str | None:
    """Who opens a page: nobody for public pages, else the first role with an account."""
    if not roles or "viewer" in roles:
        return None
    for role in roles:
        if role in ACCOUNTS:
            return role
    return "admin"  # admins may open every page


def data_values(con) -> tuple[set[str], str, set[str]]:
    """Names people typed or imported (Thai data a page may show in English), as a set and
    as one newline-joined text, and the usernames (Latin data a Thai page may show)."""
    names: set[str] = set()
    for sql in (
        "SELECT community_name FROM need_report",
        "SELECT name FROM community_org",
        "SELECT name FROM tambon_council",
        "SELECT name FROM baan_mankong_project",
        "SELECT community FROM land_case",
        "SELECT display_name FROM account",
        # recorded plans and training (free text people type: a course, a plan item)
        "SELECT course FROM person_developed",
        "SELECT title FROM plan_item",
        "SELECT agency_name FROM plan_item",
        "SELECT council FROM community_plan",
    ):
        try:
            names |= {str(r[0]).strip() for r in con.execute(sql).fetchall() if r[0]}
        except Exception:  # a table another version of the schema lacks
            continue
    # Latin data: usernames, the words of account names, grouping identifiers
    users = {r[0] for r in con.execute("SELECT username FROM account").fetchall()}
    for (display,) in con.execute("SELECT display_name FROM account").fetchall():
        users |= set(LATIN.findall(display or ""))
    for (name,) in con.execute("SELECT DISTINCT grouping FROM grouping_province").fetchall():
        users |= set(LATIN.findall(name))
    return names, "\n" + "\n".join(sorted(names)) + "\n", users


def latin_problems(text: str, users: set[str]) -> list[str]:
    bad = []
    for word in LATIN.findall(CODES.sub(" ", text)):
        if word in THAI_PAGE_LATIN or word in users or THAI_PAGE_CODES.match(word):
            continue
        bad.append(word)
    return bad


def thai_problems(text: str, names: set[str], joined: str) -> list[str]:
    if text in names:
        return []
    bad = []
    for run in THAI_RUN.findall(text):
        if run in ENGLISH_PAGE_THAI or f"\n{run}\n" in joined:
            continue
        if any(name in text and run in name for name in names if len(name) >= len(run)):
            continue  # part of a data value shown inside a sentence
        bad.append(run)
    return bad


def settle(page, timeout: float = 120.0) -> None:
    """Wait until the script run has finished and the visible text stopped changing."""
    deadline = time.time() + timeout
    page.locator("h1, [data-testid=stAlert]").first.wait_for(timeout=timeout * 1000)
    last = None
    while time.time() < deadline:
        # the script still running, or widgets whose code is still loading (skeletons)
        running = page.locator(
            '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], '
            '[data-testid="stSkeletonElement"]'
        ).count()
        now = page.inner_text("body")
        if not running and now == last:
            return
        last = now
        page.wait_for_timeout(900)


def visible_texts(page) -> list[str]:
    texts = []
    for frame in page.frames:
        try:
            texts += frame.evaluate(_TEXTS_JS)
        except Exception:  # a frame navigating away
            continue
    return texts


def close_sidebar_on_phone(page) -> None:
    """Streamlit remembers an opened sidebar across page loads; on a phone it covers the page."""
    if page.viewport_size["width"] >= 700:
        return
    close = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if close.count() and close.first.is_visible():
        close.first.click()
        page.wait_for_timeout(600)


def sign_in(page, base: str, role: str) -> None:
    username, password = ACCOUNTS[role]
    page.goto(f"{base}/", wait_until="domcontentloaded")
    settle(page)
    sign_in_sidebar(page, username, password)
    page.wait_for_timeout(1500)  # the session cookie is claimed on the next run


def walk(browser, base: str, lang: str, width: int, con, shots=None) -> list[str]:
    """Open every page in ``lang`` at ``width``; return what is in the wrong language."""
    names, joined, users = data_values(con)
    by_role: dict[str | None, list] = {}
    for file, th, en, roles, path in pages_in_app():
        if (ROOT / file).exists():
            by_role.setdefault(role_for(roles), []).append((path, th, en))
    found: list[str] = []
    for role, pages in by_role.items():
        page, outside, _errors = offline_page(browser, width=width, height=900)
        try:
            if role:
                sign_in(page, base, role)
            for path, th, en in pages:
                page.goto(f"{base}/{path}?lang={lang}", wait_until="domcontentloaded")
                settle(page)
                close_sidebar_on_phone(page)
                title = th if lang == "th" else en
                if role:  # the role's page, not a sign-in message, was walked
                    body = page.inner_text("body")
                    assert ("เข้าสู่ระบบเป็น" in body or "Signed in as" in body) or (title in body), (
                        f"{path}: not signed in as {role}"
                    )
                if shots is not None:
                    page.screenshot(path=str(shots / f"lang_{path}_{lang}_{width}.png"))
                for text in visible_texts(page):
                    bad = (
                        latin_problems(text, users)
                        if lang == "th"
                        else thai_problems(text, names, joined)
                    )
                    if bad:
                        found.append(
                            f"{lang} {width}px /{path} ({role or 'public'}): "
                            f"{', '.join(sorted(set(bad)))} in {text[:90]!r}"
                        )
            assert not outside, outside
        finally:
            page.context.close()
    return found


# each language at one width: the words do not depend on the width (the phone's collapsed
# sidebar is walked in Thai, the member's language); every page at both widths and in both
# languages is drawn by the page modules' own browser tests
@pytest.mark.parametrize(("lang", "width"), [("th", 390), ("en", 1440)])
def test_no_word_of_the_other_language(app_server, browser, ro_con, output_dir, lang, width):
    base, _ = app_server
    found = walk(browser, base, lang, width, ro_con, shots=output_dir)
    assert not found, "\n".join(found[:60])


def test_the_walker_can_fail():
    """The checks themselves: English left on a Thai page, Thai on an English one."""
    users = {"coord_bkk"}
    assert latin_problems("เลือก Upload ไฟล์", users) == ["Upload"]
    assert latin_problems("Select all", users) == ["Select", "all"]
    assert latin_problems("ไม่เกิน 200MB ต่อไฟล์ • CSV, XLSX", users) == []
    assert latin_problems("รหัส TH100101 · NR-7K2M-Q9XD · 12 km", users) == []
    assert latin_problems("เข้าสู่ระบบเป็น coord_bkk", users) == []
    names = {"ชุมชนริมคลอง"}
    joined = "\nชุมชนริมคลอง\n"
    assert thai_problems("Community: ชุมชนริมคลอง", names, joined) == []
    assert thai_problems("ชุมชนริมคลอง", names, joined) == []
    assert thai_problems("Open a อำเภอ", names, joined) == ["อำเภอ"]
    assert thai_problems("ภาษา / Language", names, joined) == []
    assert pages_in_app() and all(p[4] for p in pages_in_app())
