"""Problems found in a data bundle, reported as values and collected before anything is loaded.

Loading is all-or-nothing: readers and validators append ``Problem`` objects to a list and the
loader raises one ``BundleError`` carrying all of them, so a user sees every defect at once.
Messages are German because they are shown to users; identifiers stay English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One defect in one place: file, spreadsheet row (1-based, header = row 1) or feature, column, value."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"
    feature: str | None = None  # e.g. "Objekt 7" or an area id, for geometry problems

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"Zeile {self.row}")
        if self.feature is not None:
            where.append(self.feature)
        if self.column is not None:
            where.append(f"Spalte „{self.column}“")
        text = ", ".join(where)
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += f": Wert „{shown}“"
        label = "Warnung" if self.severity == "warning" else "Fehler"
        return f"{label}: {text} – {self.message}"


class BundleError(Exception):
    """Raised when a bundle cannot be loaded; carries every error (and warning) found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} Fehler im Datenpaket")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    def report(self) -> str:
        """Return the German multi-line report a user reads (errors first, then warnings)."""
        ordered = sorted(self.problems, key=lambda p: p.severity != "error")
        return "\n".join(str(p) for p in ordered)
