"""HTTP routes for cookie sessions (เข้าสู่ระบบ / ออกจากระบบ), served beside the pages (serve.py).

* ``GET /session/me`` — who the cookie belongs to, and the CSRF token (set as a cookie
  when missing).
* ``POST /session/sign-in`` — ``{"username", "password"}``; checked by
  :func:`data.accounts.authenticate` (the same check as the sidebar); sets the session
  cookie (signed, expiring, HttpOnly, SameSite=Lax).
* ``POST /session/claim`` — ``{"ticket"}``: the Streamlit sidebar's one-time ticket, for
  the cookie.
* ``POST /session/sign-out`` — revokes the session on the server and deletes the cookie.
* ``GET /download/{token}`` — an export made in the browser, only for the session that
  made it and only until its link expires (:mod:`data.downloads`).

Every POST needs the CSRF token in ``X-CSRF-Token`` (``/session/claim``: the one-time
ticket is the proof) and is refused from another site.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from data import accounts, sessions
from data.client_address import client_address
from data.errors import PhangError
from session_routes.web import (
    HTTPProblem,
    answer,
    check_csrf,
    clear_session_cookie,
    csrf_token,
    error,
    guarded,
    in_thread,
    read_json,
    same_origin,
    set_csrf_cookie,
    set_session_cookie,
    user_json,
)

MAX_SIGN_IN_BYTES = 2048


def current_account(request: Request, cur):
    """The account of the request's session cookie, or None."""
    return sessions.account_for(cur, request.cookies.get(sessions.SESSION_COOKIE))


@guarded
async def me(request: Request):
    def work(cur):
        token, is_new = csrf_token(request, cur)
        return token, is_new, user_json(current_account(request, cur))

    token, is_new, user = await in_thread(work)
    response = answer({"ok": True, "user": user, "csrf": token})
    if is_new:
        set_csrf_cookie(request, response, token)
    return response


def sign_in_with_password(request: Request, cur, body: dict, via: str):
    """Check the password (data.accounts.authenticate) and start a session; raises
    HTTPProblem with every missing field at once, or a wrong-password answer."""
    username = body.get("username")
    password = body.get("password")
    missing = []
    if not isinstance(username, str) or not username.strip():
        missing.append(error("username", "กรุณากรอกชื่อผู้ใช้", "Enter your username."))
    if not isinstance(password, str) or not password:
        missing.append(error("password", "กรุณากรอกรหัสผ่าน", "Enter your password."))
    if missing:
        raise HTTPProblem(400, missing)
    try:
        # throttled per account and per client address, as the sidebar's sign-in is
        client = client_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
        )
        account = accounts.authenticate(cur, username, password, client=client)
    except PhangError as exc:  # e.g. too many attempts
        raise HTTPProblem(429, [error(None, exc.localized("th"), exc.localized("en"))]) from None
    if account is None:
        raise HTTPProblem(
            401,
            [
                error(
                    "password",
                    "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง",
                    "Wrong username or password.",
                )
            ],
        )
    session = sessions.create(
        cur, account.username, via=via, user_agent=request.headers.get("user-agent")
    )
    sessions.purge(cur)  # sessions and tickets that ended more than a day ago
    return account, session


@guarded
async def sign_in(request: Request):
    body = await read_json(request, MAX_SIGN_IN_BYTES)

    def work(cur):
        check_csrf(request, cur)
        return sign_in_with_password(request, cur, body, "route")

    account, session = await in_thread(work)
    response = answer({"ok": True, "user": user_json(account)})
    set_session_cookie(request, response, session)
    return response


@guarded
async def claim(request: Request):
    body = await read_json(request, MAX_SIGN_IN_BYTES)
    if not same_origin(request):
        raise HTTPProblem(
            403, [error(None, "คำขอมาจากเว็บไซต์อื่น", "The request came from another site.")]
        )

    def work(cur):
        session = sessions.claim_ticket(
            cur, body.get("ticket"), user_agent=request.headers.get("user-agent")
        )
        return session, (accounts.get(cur, session.username) if session else None)

    session, account = await in_thread(work)
    if session is None:
        raise HTTPProblem(
            400,
            [
                error(
                    None,
                    "ลิงก์เข้าสู่ระบบหมดอายุ กรุณาเข้าสู่ระบบอีกครั้ง",
                    "The sign-in ticket expired; sign in again.",
                )
            ],
        )
    response = answer({"ok": True, "user": user_json(account)})
    set_session_cookie(request, response, session)
    return response


@guarded
async def sign_out(request: Request):
    def work(cur):
        check_csrf(request, cur)
        return sessions.revoke(cur, request.cookies.get(sessions.SESSION_COOKIE))

    ended = await in_thread(work)
    response = answer({"ok": True, "ended": ended})
    clear_session_cookie(request, response)
    return response


async def download(request: Request):
    from urllib.parse import quote

    from starlette.responses import PlainTextResponse, Response

    from data import downloads

    def work(cur):
        return sessions.session_hash(cur, request.cookies.get(sessions.SESSION_COOKIE))

    found = downloads.fetch(request.path_params["token"], await in_thread(work))
    if found is None:
        return PlainTextResponse(
            "ลิงก์ดาวน์โหลดนี้หมดอายุหรือไม่ใช่ของบัญชีที่เข้าสู่ระบบอยู่ กรุณาสร้างไฟล์ใหม่ที่หน้าส่งออกข้อมูล\n"
            "This download link has expired or belongs to another session; make the file again "
            "on the export page.\n",
            status_code=403,
            headers={"Cache-Control": "no-store"},
        )
    ascii_name = found.filename.encode("ascii", "replace").decode().replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.data,
        media_type=found.media_type,
        headers={
            "Content-Disposition": disposition,
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def routes() -> list[Route]:
    return [
        Route("/session/me", me, methods=["GET"]),
        Route("/session/sign-in", sign_in, methods=["POST"]),
        Route("/session/claim", claim, methods=["POST"]),
        Route("/session/sign-out", sign_out, methods=["POST"]),
        Route("/download/{token}", download, methods=["GET"]),
    ]
