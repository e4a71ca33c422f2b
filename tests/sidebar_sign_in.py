"""Signing in through the sidebar form in Chromium, the way every browser test does it.

On a loaded machine a script run still in flight when the form is filled can rerun the
page and empty the form, or swallow the press of the button; the user would simply press
again. So does :func:`sign_in_sidebar`: it waits for the page to be idle, fills the form,
checks that the fields hold what was typed, presses, and tries again (up to four times) if
nothing happened. A throttled account fails at once with the page's own message; a
"wrong username or password" is tried again (the form may have sent fields a rerun had
emptied) and, if it stays, the failure quotes it.
"""

from __future__ import annotations

import time

SIGNED_IN = "เข้าสู่ระบบเป็น"
#: what the sign-in form says when it refuses (data.accounts / data.signin)
THROTTLED = ("ลองผิดหลายครั้งเกินไป", "Too many failed attempts")
REFUSALS = ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password", *THROTTLED)
_RUNNING = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'


def wait_idle(page, timeout: float = 60.0) -> None:
    """Until no script run is in flight (Streamlit's status widget gone twice in a row)."""
    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline and quiet < 2:
        quiet = quiet + 1 if page.locator(_RUNNING).count() == 0 else 0
        page.wait_for_timeout(300)


def open_sidebar(page) -> None:
    """Open the sidebar if it is collapsed (a phone, or closed by the user)."""
    expand = page.locator(
        '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
    )
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.wait_for_timeout(600)


def _refusal(sidebar) -> str | None:
    alerts = sidebar.locator('[data-testid="stAlert"]')
    for i in range(alerts.count()):
        text = alerts.nth(i).inner_text()
        if any(word in text for word in REFUSALS):
            return text
    return None


def sign_in_sidebar(page, username: str, password: str, attempts: int = 4) -> None:
    """Sign ``username`` in with the sidebar form of the page that is open."""
    open_sidebar(page)
    sidebar = page.get_by_test_id("stSidebar")
    signed_in = sidebar.get_by_text(SIGNED_IN).first
    user_field = sidebar.get_by_label("ชื่อผู้ใช้")
    pass_field = sidebar.get_by_label("รหัสผ่าน")
    refused = None
    for _ in range(attempts):
        wait_idle(page)
        if signed_in.count():
            return
        if not user_field.is_visible():
            sidebar.get_by_text("เข้าสู่ระบบ", exact=True).first.click()
            user_field.wait_for(timeout=30_000)
        user_field.fill(username)
        pass_field.fill(password)
        if user_field.input_value() != username or pass_field.input_value() != password:
            continue  # a rerun replaced the fields while they were filled
        sidebar.locator('[data-testid="stFormSubmitButton"] button').click()
        page.wait_for_timeout(1000)  # an earlier refusal stays on screen until the rerun
        deadline = time.time() + 30
        while time.time() < deadline:
            if signed_in.count():
                return
            refused = _refusal(sidebar)
            if refused and any(word in refused for word in THROTTLED):
                raise AssertionError(f"sign-in of {username} throttled: {refused}")
            if refused:
                break  # perhaps the form sent fields a rerun had emptied: once more
            page.wait_for_timeout(300)
    try:  # what the sidebar showed, so that a failure in CI can be read from its log
        lines = sidebar.inner_text(timeout=5_000).splitlines()
        shown = " | ".join(line.strip() for line in lines if line.strip())[:600]
    except Exception as exc:  # the page itself is gone
        shown = f"(sidebar unreadable: {exc})"
    raise AssertionError(
        f"sign-in of {username}: not signed in after {attempts} tries"
        + (f"; the page said: {refused}" if refused else "")
        + f"; the sidebar shows: {shown}"
    )
