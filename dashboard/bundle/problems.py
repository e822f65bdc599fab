"""Collecting problems while a bundle is read, and turning reader exceptions into problems."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence

from dashboard.problems import Problem, Severity

#: Per (file, column, message) at most this many rows are reported one by one; the rest are
#: summarised, so a systematically wrong column gives a readable list rather than 40,000 lines.
ROW_LIMIT = 10


class ProblemList(list[Problem]):
    """A list of problems with shorthands for the common cases."""

    def add(self, problem: Problem) -> None:
        self.append(problem)

    def error(self, file: str, message: str, **where: object) -> None:
        self.append(Problem(file, message, **where))  # type: ignore[arg-type]

    def warning(self, file: str, message: str, **where: object) -> None:
        self.append(Problem(file, message, severity="warning", **where))  # type: ignore[arg-type]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self)

    def rows(
        self,
        file: str,
        column: str,
        message: str,
        rows: Sequence[int | None],
        values: Sequence[object],
        severity: Severity = "error",
        messages: Sequence[str] | None = None,
    ) -> None:
        """Report one problem per row (capped at ``ROW_LIMIT``, then one summary problem)."""
        for i, (row, value) in enumerate(zip(rows, values, strict=True)):
            if i == ROW_LIMIT:
                rest = len(rows) - ROW_LIMIT
                self.append(Problem(
                    file, f"{message} – und {rest} weitere Zeile(n) mit demselben Fehler",
                    column=column, severity=severity,
                ))
                break
            text = messages[i] if messages is not None else message
            self.append(Problem(file, text, row=None if row is None else int(row), column=column, value=_text(value),
                                severity=severity))


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ReadError(Exception):
    """A file cannot be read; the message is German and shown to the user as it is."""


def unreadable(file: str, exc: BaseException) -> Problem:
    """A reader crashed: say so in German with the cause, never as a traceback."""
    return Problem(file, f"Datei kann nicht gelesen werden: {describe(exc)}")


def describe(exc: BaseException) -> str:
    """Short German description of a reader exception."""
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return "keine Leseberechtigung"
    if isinstance(exc, IsADirectoryError):
        return "ist ein Ordner, keine Datei"
    if isinstance(exc, zipfile.BadZipFile):
        return "keine gültige Excel-Datei (beschädigt oder falsches Format)"
    if isinstance(exc, RecursionError):
        return "zu tief verschachtelt"
    if type(exc).__name__ == "DataSourceError":  # pyogrio/GDAL: the driver did not recognise the content
        return "Format nicht erkannt – Datei beschädigt, leer oder keine Geodatei dieses Typs"
    if isinstance(exc, UnicodeDecodeError):
        return f"unbekannte Zeichenkodierung ({exc.reason} bei Byte {exc.start})"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def join_names(names: Iterable[object], limit: int = 30) -> str:
    """Names for a message: „a“, „b“, … (capped so a 200-column file stays readable)."""
    items = [f"„{n}“" for n in names]
    if len(items) > limit:
        items = items[:limit] + [f"… ({len(items) - limit} weitere)"]
    return ", ".join(items) if items else "(keine)"
