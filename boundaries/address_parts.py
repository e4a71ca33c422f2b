"""Cutting a typed address into parts for the matcher (:mod:`boundaries.matcher`): at
commas and administrative prefixes, with house numbers, postcodes and the country's name
dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from boundaries.names import Level, normalize_th, strip_prefix

_PART_SEPARATORS_RE = re.compile(r"[,;\n|]+")
# Where a new address part starts inside one comma-free piece: before a Thai prefix (a
# one-letter abbreviation needs its dot) or an English prefix word, or after an English
# suffix word. "Khet" is not used to split: it also ends names (Mai Khet).
_SPLIT_BEFORE_RE = re.compile(
    r"(?<=\s)(?=(?:จังหวัด|จว\.|จ\.|กิ่งอำเภอ|กิ่งอ\.|อำเภอ|อ\.|ตำบล|ต\.|แขวง|เขต))"
    r"|(?<=[\u0e01-\u0e4e])(?=[จอต]\.)"
    r"|(?<=\s)(?=(?:changwat|amphoe|amphur|tambon|tambol|khwaeng)\b)",
    re.IGNORECASE,
)
_SPLIT_AFTER_RE = re.compile(r"(?:(?<=province)|(?<=district))(?=\s)", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\d+$")
_COUNTRY_WORDS = frozenset({"thailand", "ประเทศไทย"})


def ignored_note(
    segments: Sequence[tuple[Level | None, str, str]],
    kept: Sequence[tuple[Level | None, str, str]],
) -> str:
    ignored = [whole for segment in segments if segment not in kept for whole in segment[2:]]
    return "ignored: " + ", ".join(repr(text) for text in ignored)


def segments(raw: str) -> list[tuple[Level | None, str, str]]:
    """Cut an address into (level hint, name, name with its prefix) parts at commas and
    prefixes.

    A prefix with nothing after it joins the next piece, or is dropped at the end; pure
    numbers (postcodes, house numbers) and the country's name are dropped. The third item
    keeps the prefix, for names that merely look prefixed (the tambon จ.ป.ร.).
    """
    pieces: list[str] = []
    for chunk in _PART_SEPARATORS_RE.split(raw):
        chunk = _SPLIT_AFTER_RE.sub("\x00", chunk)
        pieces += _SPLIT_BEFORE_RE.sub("\x00", chunk).split("\x00")
    segments: list[tuple[Level | None, str, str]] = []
    carry = ""
    for piece in pieces:
        piece = carry + piece
        carry = ""
        if not piece.strip():
            continue
        hint, name = strip_prefix(piece)
        if hint is not None and not name:
            carry = piece
            continue
        name = _drop_numbers(name)
        if name:
            segments.append((hint, name, _drop_numbers(normalize_th(piece))))
    # a prefix with no name after it ("ต.") is dropped
    return segments


def _drop_numbers(name: str) -> str:
    """The name without pure numbers and the country's name (Thailand, ประเทศไทย)."""
    return " ".join(
        token
        for token in name.split()
        if not _NUMBER_RE.match(token) and token.lower() not in _COUNTRY_WORDS
    )
