"""The first-administrator set-up link (``/setup?token=...``): one HTTP route, thin glue over
:mod:`data.first_admin`.

``on_start()`` runs when the server starts (``serve.py``'s lifespan): with no active
administrator it writes a one-time link to the server log. ``GET /setup?token=...`` shows a
small form (Thai; ``&lang=en`` for English); ``POST /setup`` creates the administrator with
the password rule applied, once. Pages are plain HTML with no script; the token never
reaches another site (``Referrer-Policy: no-referrer``) nor a cache (``no-store``).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from data import first_admin
from data.errors import PhangError
from data.logs import logger

MAX_BODY = 8192
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
log = logger("setup")

TEXT = {
    "title": ("ตั้งค่าผู้ดูแลระบบคนแรก", "Create the first administrator"),
    "intro": (
        "ยังไม่มีผู้ดูแลระบบ ลิงก์นี้ใช้ได้ครั้งเดียว",
        "There is no administrator yet. This link works once.",
    ),
    "username": ("ชื่อผู้ใช้ (อักษรอังกฤษตัวเล็ก ตัวเลข . _ -)", "Username (a-z, 0-9, . _ -)"),
    "display": ("ชื่อที่แสดง", "Display name"),
    "password": (
        "รหัสผ่าน (อย่างน้อย 10 ตัวอักษร ไม่ใช่รหัสที่ใช้กันทั่วไป)",
        "Password (at least 10 characters, not a common one)",
    ),
    "again": ("รหัสผ่านอีกครั้ง", "Password again"),
    "submit": ("สร้างผู้ดูแลระบบ", "Create the administrator"),
    "invalid": (
        "ลิงก์ตั้งค่านี้ใช้ไม่ได้ (ใช้ไปแล้ว หมดอายุ แอปเริ่มใหม่ หรือมีผู้ดูแลระบบแล้ว)",
        "This set-up link is not valid (used, expired, the app restarted, or an "
        "administrator exists).",
    ),
    "done": ("สร้างผู้ดูแลระบบแล้ว", "The administrator was created"),
    "sign_in": ("ไปที่หน้าแรกเพื่อเข้าสู่ระบบ", "Go to the start page to sign in"),
    "other": ("English", "ภาษาไทย"),
}


def _t(key: str, lang: str) -> str:
    th, en = TEXT[key]
    return th if lang == "th" else en


def _page(lang: str, body: str, status: int = 200) -> HTMLResponse:
    doc = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ผังชุมชน · {html.escape(_t("title", lang))}</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}
label{{display:block;margin-top:1rem}}
input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}}
button{{margin-top:1.5rem;padding:.6rem 1rem;font-size:1rem}}
.error{{color:#a40000;border:1px solid #a40000;padding:.5rem}}</style></head>
<body><h1>ผังชุมชน</h1>{body}</body></html>"""
    return HTMLResponse(doc, status_code=status, headers=HEADERS)


def _form(lang: str, token: str, error: str = "", username: str = "", display: str = ""):
    other = "en" if lang == "th" else "th"
    err = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    e = html.escape
    body = f"""<h2>{e(_t("title", lang))}</h2><p>{e(_t("intro", lang))}</p>{err}
<form method="post" action="setup?lang={lang}">
<input type="hidden" name="token" value="{e(token)}">
<label>{e(_t("username", lang))}<input name="username" required autocomplete="username"
 value="{e(username)}"></label>
<label>{e(_t("display", lang))}<input name="display_name" value="{e(display)}"></label>
<label>{e(_t("password", lang))}<input name="password" type="password" required minlength="10"
 autocomplete="new-password"></label>
<label>{e(_t("again", lang))}<input name="password_again" type="password" required
 autocomplete="new-password"></label>
<button type="submit">{e(_t("submit", lang))}</button></form>
<p><a href="setup?token={quote(token)}&amp;lang={other}">{e(_t("other", lang))}</a></p>"""
    return _page(lang, body, 400 if error else 200)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "th"


def _create(token: str, username: str, display: str, password: str, again: str):
    from data.store import process_connection

    cur = process_connection().cursor()
    try:
        return first_admin.create_first_admin(cur, token, username, display, password, again)
    finally:
        cur.close()


async def setup_page(request: Request):
    lang = _lang(request)
    if request.method == "GET":
        token = request.query_params.get("token", "")
        if not first_admin.token_valid(token):
            return _page(lang, f"<p>{html.escape(_t('invalid', lang))}</p>", 404)
        return _form(lang, token)
    body = await request.body()
    if len(body) > MAX_BODY:
        return _page(lang, f"<p>{html.escape(_t('invalid', lang))}</p>", 413)
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    token = fields.get("token", "")
    if not first_admin.token_valid(token):
        return _page(lang, f"<p>{html.escape(_t('invalid', lang))}</p>", 404)
    username, display = fields.get("username", ""), fields.get("display_name", "")
    try:
        account = await run_in_threadpool(
            _create,
            token,
            username,
            display,
            fields.get("password", ""),
            fields.get("password_again", ""),
        )
    except PhangError as exc:
        return _form(lang, token, exc.localized(lang), username, display)
    done = (
        f"<h2>{html.escape(_t('done', lang))}: {html.escape(account.username)}</h2>"
        f'<p><a href="./">{html.escape(_t("sign_in", lang))}</a></p>'
    )
    return _page(lang, done)


def base_url() -> str:
    """The address the server listens on, for the link in the log."""
    try:
        from streamlit import config

        host = config.get_option("server.address") or "localhost"
        port = config.get_option("server.port")
        root = (config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # config not loaded: the path alone still works
        return ""
    return f"http://{host}:{port}" + (f"/{root}" if root else "")


def on_start() -> None:
    """At server start: log a one-time set-up link when no active administrator exists."""
    from data.store import process_connection

    try:
        cur = process_connection().cursor()
    except PhangError as exc:
        log.warning("could not check for an administrator: %s", exc.message)
        return
    try:
        first_admin.announce(cur, base_url())
    finally:
        cur.close()


def routes() -> list[Route]:
    return [Route("/setup", setup_page, methods=["GET", "POST"])]
