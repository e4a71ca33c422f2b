"""Show user-typed text safely in Streamlit markdown (captions, headings, messages).

Streamlit does not render raw HTML in markdown, but markdown itself (links, images,
emphasis) would still let a typed name turn into a link or an image. :func:`md` makes text
literal: HTML special characters escaped, markdown punctuation backslash-escaped.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(value: object) -> str:
    """``value`` as literal text inside Streamlit markdown."""
    text = "" if value is None else str(value)
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", " ")
