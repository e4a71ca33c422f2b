"""Glue shared by the HTTP routes: a cursor per request, JSON bodies with a size limit,
Thai/English error answers, the CSRF check and the session cookie.

Errors are answered as ``{"ok": false, "errors": [{"field": ..., "th": ..., "en": ...}]}``
so the page shows every problem beside its field, in the member's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from data import sessions
from data.settings import db_path

MAX_JSON_BYTES = 64 * 1024


class HTTPProblem(Exception):
    """An answer other than success: a status and one or more (field, th, en) errors."""

    def __init__(self, status: int, errors: list[dict]) -> None:
        super().__init__(errors[0]["en"] if errors else str(status))
        self.status = status
        self.errors = errors


def error(field: str | None, th: str, en: str) -> dict:
    return {"field": field, "th": th, "en": en}


def answer(data: dict, status: int = 200, headers: dict | None = None) -> JSONResponse:
    base = {"Cache-Control": "no-store"}
    return JSONResponse(data, status_code=status, headers=base | (headers or {}))


def problem(status: int, errors: list[dict]) -> JSONResponse:
    return answer({"ok": False, "errors": errors}, status)


@contextmanager
def cursor():
    """A cursor of the process's one connection (shared with the pages), for one request."""
    from data.store import process_connection

    cur = process_connection(db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def in_thread(work: Callable[[Any], Any]):
    """Run ``work(cursor)`` in the thread pool (DuckDB calls block)."""

    def run():
        with cursor() as cur:
            return work(cur)

    return run_in_threadpool(run)


async def read_json(request: Request, limit: int = MAX_JSON_BYTES) -> dict:
    """The request's JSON object, refused above ``limit`` bytes (before reading it all)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HTTPProblem(
            400, [error(None, "ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง", "The request body is not valid JSON.")]
        ) from None
    if not isinstance(data, dict):
        raise HTTPProblem(
            400,
            [error(None, "ข้อมูลที่ส่งมาต้องเป็นออบเจ็กต์ JSON", "The request body must be a JSON object.")],
        )
    return data


def _too_large(limit: int) -> HTTPProblem:
    kb = limit // 1024
    return HTTPProblem(
        413,
        [error(None, f"ข้อมูลที่ส่งมาใหญ่เกิน {kb} KB", f"The request is larger than {kb} KB.")],
    )


def is_https(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return request.url.scheme == "https" or proto == "https"


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
        return origin.split("://", 1)[-1] == host
    return True


def check_csrf(request: Request, cur) -> None:
    """Refuse a POST without a matching, server-signed CSRF token, or from another site."""
    header = request.headers.get(sessions.CSRF_HEADER)
    cookie = request.cookies.get(sessions.CSRF_COOKIE)
    if not same_origin(request) or not sessions.csrf_ok(cur, cookie, header):
        raise HTTPProblem(
            403,
            [
                error(
                    None,
                    "คำขอนี้ไม่มีรหัสยืนยันที่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                    "This request lacks a valid security token; reload the page and try again.",
                )
            ],
        )


def csrf_token(request: Request, cur) -> tuple[str, bool]:
    """The request's CSRF token if this server signed it, else a new one: (token, is_new)."""
    token = request.cookies.get(sessions.CSRF_COOKIE)
    if token and sessions.csrf_ok(cur, token, token):
        return token, False
    return sessions.new_csrf(cur), True


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        sessions.CSRF_COOKIE,
        token,
        max_age=int(sessions.LIFETIME.total_seconds()),
        path="/",
        secure=is_https(request),
        httponly=False,  # the page's script echoes it in the X-CSRF-Token header
        samesite="strict",
    )


def set_session_cookie(request: Request, response: Response, session: sessions.Session) -> None:
    response.set_cookie(
        sessions.SESSION_COOKIE,
        session.cookie,
        max_age=int(sessions.LIFETIME.total_seconds()),
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        sessions.SESSION_COOKIE, path="/", secure=is_https(request), httponly=True, samesite="lax"
    )


def user_json(account) -> dict | None:
    if account is None:
        return None
    return {
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
    }


def guarded(handler):
    """Turn :class:`HTTPProblem` raised by ``handler`` into its JSON answer."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except HTTPProblem as exc:
            return problem(exc.status, exc.errors)

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run
