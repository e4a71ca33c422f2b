"""The password rule (กติการหัสผ่าน), applied wherever a password is set: the CLI (``users add``,
``users set-password``), the admin page and the first-admin set-up link all go through
:func:`data.accounts.create` and :func:`data.accounts.set_password`, which call
:func:`check_strength`.

A password is refused when it is

* shorter than :data:`MIN_LENGTH` (10) characters or longer than 72 bytes (bcrypt's limit);
* one of the common passwords in ``common_passwords.txt`` (6,000 from public leak statistics,
  plus the development passwords of ``--demo``), also when only digits or symbols were put
  around one (``password2024!``);
* the username or the display name, or contains one of them;
* one character repeated, or a run such as ``1234567890``/``abcdefghij`` or a keyboard row.

Every refusal says why, in Thai and English.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from data.errors import AccountError

MIN_LENGTH = 10
MAX_BYTES = 72
COMMON_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


class WeakPasswordError(AccountError):
    """A password breaks the password rule."""


@cache
def common_passwords() -> frozenset[str]:
    """The refused common passwords (lowercase)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _is_run(text: str) -> bool:
    """One character repeated, or a stretch of a keyboard row or the alphabet (either way)."""
    if len(set(text)) <= 2:
        return True
    for row in _KEYBOARD_ROWS:
        for seq in (row, row[::-1]):
            if text in seq * 2:
                return True
    return False


def check_strength(password: str, *, username: str | None = None, display_name: str | None = None):
    """Raise :class:`WeakPasswordError` (Thai and English) unless ``password`` follows the
    rule above; return None."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPasswordError(
            f"a password needs at least {MIN_LENGTH} characters",
            message_th=f"รหัสผ่านต้องมีอย่างน้อย {MIN_LENGTH} ตัวอักษร",
        )
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise WeakPasswordError(
            f"a password may be at most {MAX_BYTES} bytes long",
            message_th=f"รหัสผ่านยาวเกิน {MAX_BYTES} ไบต์",
        )
    lowered = password.lower()
    core = _EDGES.sub("", lowered)
    common = common_passwords()
    if lowered in common or lowered.strip() in common or (len(core) >= 4 and core in common):
        raise WeakPasswordError(
            "this password is one of the most common ones; choose another",
            message_th="รหัสผ่านนี้เป็นรหัสผ่านที่ใช้กันทั่วไป กรุณาเลือกรหัสอื่น",
        )
    for own in (username, display_name):
        own = (own or "").strip().lower()
        if len(own) >= 3 and (own in lowered or lowered in own):
            raise WeakPasswordError(
                "a password may not contain the username or the name",
                message_th="รหัสผ่านต้องไม่มีชื่อผู้ใช้หรือชื่อที่แสดงอยู่ในนั้น",
            )
    if _is_run(lowered) or (len(core) >= 6 and _is_run(core)):
        raise WeakPasswordError(
            "a password may not be one repeated character or a run such as 1234567890",
            message_th="รหัสผ่านต้องไม่ใช่ตัวอักษรซ้ำกันหรือเรียงกัน เช่น 1234567890",
        )
