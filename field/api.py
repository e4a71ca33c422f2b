"""The field app's JSON endpoints: thin glue over the library code the pages use.

* ``GET /field/api/overview`` — provinces for a first visit (geo.field_area.overview).
* ``GET /field/api/area/{amphoe}`` — the offline pack of the member's area.
* ``GET /field/api/locate?lon=&lat=`` — tambon, amphoe, province at a location.
* ``GET /field/api/villages?lon=&lat=&n=`` — the nearest village names.
* ``GET /field/api/search?q=`` — place names through ``boundaries.matcher.Gazetteer``.
* ``POST /field/api/submit`` — one report (data.need_reports.submit, idempotent by form id);
  every field's problem at once (data.need_fields), 64 KB at most, CSRF token required.
* ``GET /field/api/status?r=NR-…&r=…`` — the public status of up to 50 receipts.
* ``GET /field/api/mine`` — the signed-in member's own reports.
"""

from __future__ import annotations

import threading

from starlette.requests import Request

from data import need_reports as nr
from data import sessions
from data.errors import InputError, PhangError
from data.need_fields import check_all, form_from_json
from geo import field_area
from session_routes.web import (
    HTTPProblem,
    answer,
    check_csrf,
    error,
    guarded,
    in_thread,
    read_json,
)

MAX_SUBMIT_BYTES = 64 * 1024
STATUS_MAX = 50
_gazetteers: dict[str, object] = {}
_gaz_lock = threading.Lock()


def _input_problem(exc: InputError, field: str | None = None) -> HTTPProblem:
    return HTTPProblem(400, [error(field, exc.message_th, exc.message)])


def _cached(data: dict, request: Request, build: str) -> object:
    """Long-lived when the URL names the build (the data changes only with a new build)."""
    immutable = request.query_params.get("v") == build
    control = "public, max-age=31536000, immutable" if immutable else "public, max-age=300"
    return answer(data, headers={"Cache-Control": control})


@guarded
async def overview(request: Request):
    def work(cur):
        return field_area.build_id(cur), field_area.overview(cur)

    build, data = await in_thread(work)
    return _cached(data, request, build)


@guarded
async def area(request: Request):
    code = request.path_params["amphoe"]

    def work(cur):
        try:
            return field_area.build_id(cur), field_area.area(cur, code)
        except InputError as exc:
            raise HTTPProblem(404, [error(None, exc.message_th, exc.message)]) from None

    build, data = await in_thread(work)
    return _cached(data, request, build)


@guarded
async def locate(request: Request):
    q = request.query_params

    def work(cur):
        try:
            return field_area.locate(cur, q.get("lon"), q.get("lat"))
        except InputError as exc:
            raise _input_problem(exc, "geometry") from None

    return answer({"ok": True, "place": await in_thread(work)})


@guarded
async def villages(request: Request):
    q = request.query_params
    n = q.get("n", "20")

    def work(cur):
        try:
            return field_area.villages_near(
                cur, q.get("lon"), q.get("lat"), int(n) if n.isdigit() else 20
            )
        except InputError as exc:
            raise _input_problem(exc) from None

    return answer({"ok": True, "villages": await in_thread(work)})


def _gazetteer(cur):
    from boundaries.gazetteer_store import load_gazetteer

    key = field_area.build_id(cur)
    with _gaz_lock:
        found = _gazetteers.get(key)
        if found is None:
            _gazetteers.clear()
            # the copy the build stored in the database (the pages load the same one)
            found = _gazetteers[key] = load_gazetteer(cur)
    return found


def _place(gaz, cur, pcode: str) -> dict:
    from geo.need_maps import focus_bounds

    place = gaz.place(pcode)
    out = {
        "pcode": place.pcode,
        "level": place.level,
        "th": gaz.path_th(place.pcode),
        "en": place.name_en,
        "bounds": focus_bounds(cur, place.pcode),
        "amphoe": place.pcode[:6] if place.level != "province" else None,
    }
    if place.level == "province":
        out["children"] = [
            {"pcode": c.pcode, "th": c.name_th, "en": c.name_en} for c in gaz.children(place.pcode)
        ]
    return out


@guarded
async def search(request: Request):
    text = (request.query_params.get("q") or "").strip()[:100]
    if not text:
        raise HTTPProblem(400, [error("q", "กรุณาพิมพ์ชื่อสถานที่", "Type a place name.")])

    def work(cur):
        gaz = _gazetteer(cur)
        result = gaz.match(text)
        codes = [result.pcode] if result.pcode else [c.pcode for c in result.candidates[:8]]
        return [_place(gaz, cur, c) for c in codes if gaz.place(c)]

    return answer({"ok": True, "places": await in_thread(work)})


@guarded
async def submit(request: Request):
    body = await read_json(request, MAX_SUBMIT_BYTES)

    def work(cur):
        check_csrf(request, cur)
        form, problems = form_from_json(body)
        problems += check_all(form)
        if problems:
            # one answer per field, the first problem of each
            seen, unique = set(), []
            for p in problems:
                if p["field"] not in seen:
                    seen.add(p["field"])
                    unique.append(p)
            raise HTTPProblem(422, unique)
        account = sessions.account_for(cur, request.cookies.get(sessions.SESSION_COOKIE))
        try:
            saved = nr.submit(cur, form, actor=account.username if account else None)
        except nr.FormConflictError as exc:
            raise HTTPProblem(409, [error("form_id", exc.message_th, exc.message)]) from None
        except nr.NeedFormError as exc:
            raise HTTPProblem(422, [error(exc.field, exc.message_th, exc.message)]) from None
        except InputError as exc:  # the drawing (GeometryError), e.g. not in any tambon
            raise HTTPProblem(422, [error("geometry", exc.message_th, exc.message)]) from None
        except PhangError as exc:  # busy: the phone keeps it in the outbox and sends again
            raise HTTPProblem(503, [error(None, exc.message_th, exc.message)]) from None
        out = saved.to_dict()
        out["repairs"] = [
            {"th": r.message_th, "en": r.message_en}
            for r in saved.repairs
            if r.code != "feature_unwrapped"
        ]
        return out

    return answer({"ok": True, "receipt": await in_thread(work)})


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


@guarded
async def mine(request: Request):
    """The signed-in member's own reports (any phone), newest first."""

    def work(cur):
        account = sessions.account_for(cur, request.cookies.get(sessions.SESSION_COOKIE))
        if account is None:
            raise HTTPProblem(401, [error(None, "กรุณาเข้าสู่ระบบก่อน", "Sign in first.")])
        frame = nr.own_reports(cur, account.username)
        rows = []
        for row in frame.head(200).to_dict("records"):
            th, en = nr.STATUSES[row["status"]]
            rows.append(
                {
                    "receipt": row["receipt"],
                    "community_name": row["community_name"],
                    "households": int(row["households"]),
                    "status": row["status"],
                    "th": th,
                    "en": en,
                }
            )
        return rows

    return answer({"ok": True, "reports": await in_thread(work)})


@guarded
async def status(request: Request):
    codes = request.query_params.getlist("r")[:STATUS_MAX]

    def work(cur):
        found = []
        for code in codes:
            row = nr.by_receipt(cur, code)
            if row is None:
                found.append({"receipt": code, "status": None})
                continue
            th, en = nr.STATUSES[row["status"]]
            found.append(
                {
                    "receipt": row["receipt"],
                    "status": row["status"],
                    "th": th,
                    "en": en,
                    "reason": _text(row.get("reason")),
                    "merged_into": _text(row.get("merged_into")),
                }
            )
        return found

    return answer({"ok": True, "reports": await in_thread(work)})
