"""Checks of the bundle's texts that reach the page, the charts and the downloads.

Names and labels must be short and printable: a 12,000-character name stalls the page, an
invisible control character corrupts exports, and a bidirectional override (U+202E …) makes a
name display as something else. A text that a spreadsheet would run as a formula (``=…``,
``+…``, ``-…``, ``@…``) is allowed – the downloads write it as text – but ``check`` warns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dashboard.bundle.problems import ROW_LIMIT, ProblemList
from dashboard.cells import formula_like

#: Longest name or label (area, municipality, indicator, theme, unit, title …).
MAX_NAME = 200
#: Longest free text (description, source, attribution).
MAX_LONG_TEXT = 2000

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LONG_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # line breaks and tabs allowed


def text_problem(text: str, long_text: bool = False) -> str | None:
    """The German reason why ``text`` cannot be shown, or None when it is fine."""
    limit = MAX_LONG_TEXT if long_text else MAX_NAME
    if len(text) > limit:
        return f"Text ist {len(text):,} Zeichen lang (höchstens {limit:,}) – bitte kürzen".replace(",", ".")
    bidi = _BIDI.search(text)
    if bidi:
        return (f"Text enthält eine Steuerung der Schreibrichtung (U+{ord(bidi.group()):04X}), die ihn anders "
                "anzeigen kann, als er ist – bitte entfernen")
    control = (_CONTROL_IN_LONG_TEXT if long_text else _CONTROL).search(text)
    if control:
        return f"Text enthält ein unsichtbares Steuerzeichen (U+{ord(control.group()):04X}) – bitte entfernen"
    return None


FORMULA_WARNING = ("Text beginnt mit „=“, „+“, „-“, „@“ oder einem Tabulator: Tabellenprogramme könnten ihn als "
                   "Formel ausführen – in CSV- und Excel-Downloads wird er als Text geschrieben")


def shown(text: str) -> str:
    """The text for a message: control and direction characters as ``<U+XXXX>``, cut to 80."""
    cut = text[:80]
    return re.sub(f"{_BIDI.pattern}|{_CONTROL.pattern}", lambda m: f"<U+{ord(m.group()):04X}>", cut)


def check_texts(
    problems: ProblemList,
    file: str,
    column: str,
    texts: Sequence[object],
    rows: Sequence[int | None] | None = None,
    features: Sequence[str] | None = None,
    long_text: bool = False,
    formula_only: bool = False,
) -> None:
    """Report unusable texts (errors) and formula-like texts (warnings) of one column.

    ``rows`` are spreadsheet rows, ``features`` the names of GIS features (one of them, or
    neither for a single setting); at most ``ROW_LIMIT`` problems of each kind are listed.
    """
    reported = {"error": 0, "warning": 0}
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text:
            continue
        message = None if formula_only else text_problem(text, long_text)
        severity = "error" if message else "warning"
        if message is None and formula_like(text):
            message = FORMULA_WARNING
        if message is None:
            continue
        reported[severity] += 1
        if reported[severity] > ROW_LIMIT:
            continue
        where: dict[str, object] = {"column": column, "value": shown(text)}
        if rows is not None and rows[i] is not None:
            where["row"] = int(rows[i])  # type: ignore[arg-type]
        if features is not None:
            where["feature"] = features[i]
        add = problems.error if severity == "error" else problems.warning
        add(file, message, **where)
    for severity, count in reported.items():
        if count > ROW_LIMIT:
            add = problems.error if severity == "error" else problems.warning
            add(file, f"{'Unbrauchbare' if severity == 'error' else 'Formelartige'} Texte – und "
                f"{count - ROW_LIMIT} weitere Zeile(n) mit demselben Problem", column=column)
