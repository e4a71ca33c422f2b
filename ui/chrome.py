"""Streamlit's own widget text in the user's language, and the phone sidebar.

Streamlit 1.67 has no translations for the text its widgets draw themselves: the file
uploader's "Upload" button and "200MB per file • CSV" line, "No results" in a dropdown,
"Press Enter to submit form" under a form's field. Pages pass ``placeholder=`` and
``select_all=False`` where Streamlit takes them; for the rest, :func:`inject` adds one small
script to the page (``st.html`` with JavaScript) that rewrites exactly those strings in
text nodes, both ways, so switching language never leaves the other language behind. It
matches whole strings only (a user's data that happens to contain "Upload" is left alone).

The same script closes the sidebar after a page is chosen from it on a narrow screen
(Streamlit leaves it open over the page on a phone).
"""

from __future__ import annotations

import json

import streamlit as st

from ui.i18n import lang

#: English text drawn by Streamlit -> Thai. Keys are whole, trimmed text nodes.
EXACT_TH = {
    "Upload": "เลือกไฟล์",
    "Upload directories": "เลือกโฟลเดอร์",
    "Drag and drop a file here": "ลากไฟล์มาวางที่นี่",
    "Drag and drop files here": "ลากไฟล์มาวางที่นี่",
    "No results": "ไม่พบรายการ",
    "Choose options": "เลือกได้หลายรายการ",
    "Choose an option": "เลือกหนึ่งรายการ",
    "Select all": "เลือกทั้งหมด",
    "Press Enter to submit form": "กด Enter เพื่อส่ง",
    "Press Enter to apply": "กด Enter เพื่อใช้ค่านี้",
    "Press ⌘+Enter to apply": "กด ⌘+Enter เพื่อใช้ค่านี้",
    "Press Ctrl+Enter to apply": "กด Ctrl+Enter เพื่อใช้ค่านี้",
    "Running...": "กำลังทำงาน…",
    "Stop": "หยุด",
}
#: (pattern on English text, Thai replacement, pattern on Thai text, English replacement)
PATTERNS = [
    (
        r"^([0-9.]+\s?[KMGT]?B) per file( • (.*))?$",
        "ไม่เกิน $1 ต่อไฟล์$2",
        r"^ไม่เกิน ([0-9.]+\s?[KMGT]?B) ต่อไฟล์ ?( • (.*))?$",
        "$1 per file$2",
    ),
]

_SCRIPT = """
<span id="phang-chrome" hidden></span>
<script>
(function () {
  const cfg = %(config)s;
  window.__phangChrome = cfg;
  const fix = (node) => {
    const c = window.__phangChrome, text = node.nodeValue, key = text.trim();
    if (!key || key.length > 80) return;
    let out = c.exact[key];
    if (out === undefined) {
      for (const [re, rep] of c.patterns) {
        const rx = new RegExp(re);
        if (rx.test(key)) { out = key.replace(rx, rep).trim(); break; }
      }
    }
    if (out !== undefined && out !== key) node.nodeValue = text.replace(key, out);
  };
  const walk = (root) => {
    if (root.nodeType === 3) { fix(root); return; }
    if (root.nodeType !== 1) return;
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) fix(n);
  };
  window.__phangChromeWalk = walk;
  walk(document.body);
  if (window.__phangChromeObserver) return;
  window.__phangChromeObserver = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") fix(r.target);
      else r.addedNodes.forEach(walk);
    }
  });
  window.__phangChromeObserver.observe(document.body,
    {childList: true, subtree: true, characterData: true});
  // a phone: close the sidebar once a page has been chosen from it
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest('[data-testid="stSidebar"] a');
    if (!link || window.innerWidth > %(narrow)d) return;
    setTimeout(() => {
      const b = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
        || document.querySelector('[data-testid="stSidebarCollapseButton"]');
      if (b) b.click();
    }, 80);
  }, true);
})();
</script>
"""
#: widths at or below this (CSS px) are phones: the sidebar overlays the page there
NARROW_PX = 768
_CSS = """
<style>
/* the chrome script's own element takes no room */
div[data-testid="stElementContainer"]:has(#phang-chrome) { display: none; }
</style>
"""


def config(language: str) -> dict:
    """What the page script replaces for ``language``: a map of whole strings and patterns."""
    if language == "th":
        return {
            "exact": EXACT_TH,
            "patterns": [[en, th] for en, th, _, _ in PATTERNS],
        }
    back: dict[str, str] = {}
    for en, th in EXACT_TH.items():
        back.setdefault(th, en)
    return {"exact": back, "patterns": [[th_re, en] for _, _, th_re, en in PATTERNS]}


def inject() -> None:
    """Add the chrome script for the session's language (call once per run, from app.py)."""
    script = _SCRIPT % {
        "config": json.dumps(config(lang()), ensure_ascii=False),
        "narrow": NARROW_PX,
    }
    st.html(_CSS + script, unsafe_allow_javascript=True)
