"""Typed address variants generated from the tambon table itself, for the matcher's test and
benchmark (issue 13): each tambon written with prefixes, separated by commas, or separated by
spaces only, each exactly and with one random edit in the tambon name (seeded).

An edit is kept only when it leaves a name that is no other tambon's in the same amphoe and
that differs from the original after normalisation: the variant must still mean that tambon
and only it. Tambons whose name is shared inside their amphoe are left out (no text can tell
them apart).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from boundaries.names import BANGKOK_PCODE, key_th

FORMS = ("prefixed", "comma", "space")
# Thai consonants and vowels a typing slip produces (no tone marks: those are dropped by
# nobody and would make near-duplicates of real names less often).
_THAI_LETTERS = [chr(c) for c in range(0x0E01, 0x0E2F)] + list("ะาิีึืุูเแโใไั")


@dataclass(frozen=True)
class Variant:
    form: str  # prefixed | comma | space
    typo: bool
    text: str
    pcode: str  # the tambon the text means


def one_edit(name: str, rng: random.Random) -> str:
    """``name`` with one substitution, deletion, insertion or transposition of a letter."""
    letters = list(name)
    i = rng.randrange(len(letters))
    kind = rng.choice(("substitute", "delete", "insert", "transpose"))
    if kind == "substitute":
        letters[i] = rng.choice([c for c in _THAI_LETTERS if c != letters[i]])
    elif kind == "delete" and len(letters) > 2:
        del letters[i]
    elif kind == "transpose" and i + 1 < len(letters) and letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters.insert(i, rng.choice(_THAI_LETTERS))
    return "".join(letters)


def write(form: str, tambon: str, amphoe: str, province: str, pcode: str) -> str:
    bangkok = pcode.startswith(BANGKOK_PCODE)
    if form == "prefixed":
        if bangkok:
            return f"แขวง{tambon} เขต{amphoe} {province}"
        return f"ต.{tambon} อ.{amphoe} จ.{province}"
    if form == "comma":
        return f"{tambon}, {amphoe}, {province}"
    return f"{tambon} {amphoe} {province}"


def variants(rows, sample: int | None = None, seed: int = 42) -> list[Variant]:
    """Variants for ``rows`` of (tambon pcode, tambon, amphoe pcode, amphoe, province) in
    every form, exact and with one edit; ``sample`` tambons drawn with ``seed`` (all when
    None)."""
    rng = random.Random(seed)
    rows = sorted(rows)
    names_in_amphoe = Counter((a_code, key_th(t)) for _, t, a_code, _, _ in rows)
    usable = [row for row in rows if names_in_amphoe[(row[2], key_th(row[1]))] == 1]
    if sample is not None and sample < len(usable):
        usable = rng.sample(usable, sample)
    out: list[Variant] = []
    for t_code, tambon, a_code, amphoe, province in usable:
        typo = None
        for _ in range(20):
            candidate = one_edit(tambon, rng)
            key = key_th(candidate)
            if key and key != key_th(tambon) and names_in_amphoe[(a_code, key)] == 0:
                typo = candidate
                break
        for form in FORMS:
            out.append(Variant(form, False, write(form, tambon, amphoe, province, t_code), t_code))
            if typo is not None:
                out.append(Variant(form, True, write(form, typo, amphoe, province, t_code), t_code))
    return out


def tambon_rows(con) -> list[tuple[str, str, str, str, str]]:
    """(tambon pcode, tambon, amphoe pcode, amphoe, province) from a built database."""
    return con.execute(
        "SELECT t.pcode, t.name_th, a.pcode, a.name_th, p.name_th FROM tambon t"
        " JOIN amphoe a ON a.pcode = t.amphoe_pcode JOIN province p ON p.pcode = a.province_pcode"
    ).fetchall()


def verdict(pcode: str | None, expected: str) -> str:
    """right (the tambon), ancestor (its amphoe or province: less specific, not wrong),
    wrong (any other place) or none (ambiguous or unknown)."""
    if pcode is None:
        return "none"
    if pcode == expected:
        return "right"
    return "ancestor" if expected.startswith(pcode) else "wrong"


def score(gazetteer, items: list[Variant]) -> dict[tuple[str, bool], dict[str, int]]:
    """Per (form, typo): how many answers are right, ancestor, wrong or none."""
    tally: dict[tuple[str, bool], Counter] = {}
    for item in items:
        answer = verdict(gazetteer.match(item.text).pcode, item.pcode)
        tally.setdefault((item.form, item.typo), Counter())[answer] += 1
    return {key: dict(counter) for key, counter in tally.items()}
