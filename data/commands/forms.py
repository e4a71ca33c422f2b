"""``forms xlsform FORM [--out FILE]``: write a form for survey teams' own tools.

The XLSForm of the housing-need form (``need_report``) uploads as it is to KoboToolbox or
ODK Central; their exports of the collected submissions come back with
``import need_report FILE``. Prints ``form``, ``form_id``, ``version``, ``path``, ``bytes``,
``questions`` and ``choices``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub):
    from data.forms.xlsform import FORMS

    p = sub.add_parser("forms", help="write forms for KoboToolbox / ODK (XLSForm)")
    p.add_argument("format", choices=("xlsform",), help="the form's file format")
    p.add_argument("form", choices=FORMS, help="which form")
    p.add_argument("--out", type=Path, help="where to write it (default: <form_id>_<version>.xlsx)")
    return p


def run(args) -> dict:
    from data.forms import need_form
    from data.forms.xlsform import file_name, form_version, write_xlsform

    path = write_xlsform(args.out or Path(file_name(args.form)), args.form)
    print(
        f"wrote {path}: upload it to KoboToolbox or ODK Central as a new form",
        file=sys.stderr,
    )
    return {
        "form": args.form,
        "form_id": need_form.FORM_ID,
        "version": form_version(),
        "path": str(path),
        "bytes": path.stat().st_size,
        "questions": len(need_form.ANSWERS),
        "choices": {name: list(codes) for name, codes in need_form.CHOICES.items()},
    }
