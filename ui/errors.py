"""Unexpected errors: details to the server log under a short reference, a plain message
with that reference to the user (ข้อผิดพลาดที่ไม่คาดคิด).

Streamlit would show a traceback (absolute paths, library versions) in the page;
``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` and every uncaught
exception goes through :func:`show_unexpected`: from a page (``app.py`` wraps the page run)
or from anywhere else in a script run or a widget callback (``serve.py`` passes
:func:`on_script_error` to ``st.App``). The message names no file, library or version; the
reference (``E-1A2B3C4D``) is what a user tells the administrator, who finds the
traceback in the server log by it.
"""

from __future__ import annotations

import secrets

import streamlit as st

from data.logs import logger

log = logger("errors")


def new_reference() -> str:
    """A short reference for one error: ``E-`` and 8 hexadecimal digits."""
    return "E-" + secrets.token_hex(4).upper()


def log_unexpected(exc: BaseException) -> str:
    """Write ``exc`` with its traceback to the server log; return its reference."""
    ref = new_reference()
    log.error("unexpected error %s: %s", ref, type(exc).__name__, exc_info=exc)
    return ref


def message(ref: str, lang: str | None) -> str:
    """What the user reads: Thai or English (both when the language is unknown)."""
    th = (
        f"ขออภัย เกิดข้อผิดพลาดที่ไม่คาดคิด ข้อมูลของคุณไม่ได้สูญหาย กรุณาลองใหม่อีกครั้ง "
        f"หากยังเกิดขึ้นอีก แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิง {ref}"
    )
    en = (
        f"Sorry, something unexpected went wrong. Nothing you saved was lost; please try "
        f"again. If it happens again, tell the administrator the reference {ref}."
    )
    if lang == "th":
        return th
    if lang == "en":
        return en
    return f"{th}\n\n{en}"


def show_unexpected(exc: BaseException) -> str:
    """Log ``exc`` and show the user the plain message with its reference."""
    ref = log_unexpected(exc)
    try:
        lang = st.session_state.get("lang")
    except Exception:  # no session (outside a script run): both languages
        lang = None
    st.error(message(ref, lang), icon=":material/error:")
    return ref


def on_script_error(exc: Exception) -> bool:
    """``st.App(on_script_error=...)``: show the plain message instead of the traceback."""
    show_unexpected(exc)
    return True  # the default display (a traceback) is suppressed
