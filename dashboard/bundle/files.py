"""Finding a bundle's files by name, and refusing entries a reader must not open.

Offices on Windows write ``Values.CSV`` or ``AREAS.GEOJSON``; names are therefore matched
case-insensitively. On Linux ``values.csv`` and ``Values.CSV`` can both exist: that is ambiguous
and an error, never a silent choice. Directories, broken or looping symlinks and special files
(a FIFO would block the loader forever) are reported instead of being read or ignored.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from dashboard.bundle.problems import ProblemList, describe, join_names

#: First bytes of binary formats, for a precise message when a file has the wrong extension.
MAGIC = (
    (b"PK\x03\x04", "eine Excel-Datei (.xlsx) oder ein ZIP-Archiv"),
    (b"\xd0\xcf\x11\xe0", "eine alte Excel-Datei (.xls) oder eine kennwortgeschützte Excel-Datei"),
    (b"PAR1", "eine Parquet-Datei"),
    (b"SQLite format 3", "eine GeoPackage-/SQLite-Datei"),
    (b"%PDF", "eine PDF-Datei"),
)


def entries(folder: Path) -> dict[str, list[Path]]:
    """The folder's entries grouped by lower-case name (several when only the case differs)."""
    grouped: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        grouped.setdefault(path.name.lower(), []).append(path)
    return grouped


def entry_problem(path: Path, allow_empty: bool = False) -> str | None:
    """Why ``path`` cannot be read as a regular file (German), or None when it can."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "Verknüpfung (Symlink) verweist im Kreis auf sich selbst"
        if path.is_symlink():
            return "Verknüpfung (Symlink) zeigt auf eine Datei, die es nicht gibt"
        return f"Datei kann nicht geöffnet werden: {describe(exc)}"
    if stat.S_ISDIR(info.st_mode):
        return "ist ein Ordner, keine Datei"
    if not stat.S_ISREG(info.st_mode):
        return "keine normale Datei (z. B. Pipe oder Gerätedatei) – wird nicht gelesen"
    if info.st_size == 0 and not allow_empty:
        return "Datei ist leer (0 Byte)"
    return None


def find_file(folder: Path, names: tuple[str, ...], what: str, problems: ProblemList) -> Path | None:
    """The one readable file among ``names`` (case-insensitive); a problem when none or several exist."""
    present = entries(folder)
    found = [p for n in names for p in present.get(n, [])]
    label = " | ".join(names)
    if len(found) > 1:
        problems.error(", ".join(p.name for p in found),
                       f"mehrdeutig: mehrere Dateien für {what} – bitte nur eine davon im Ordner lassen")
        return None
    if not found:
        stem = names[0].split(".")[0]
        others = sorted(p.name for key, paths in present.items() for p in paths if key.split(".")[0] == stem)
        hint = f"; gefunden: {join_names(others)} – Format nicht unterstützt" if others else ""
        problems.error(label, f"Datei für {what} fehlt{hint}")
        return None
    reason = entry_problem(found[0])
    if reason is not None:
        problems.error(found[0].name, reason)
        return None
    return found[0]


def sibling(path: Path, suffix: str) -> Path | None:
    """The file next to ``path`` with the same stem and ``suffix``, in any letter case."""
    wanted = f"{path.stem}{suffix}".lower()
    matches = [p for p in path.parent.iterdir() if p.name.lower() == wanted]
    return matches[0] if matches else None


def content_kind(head: bytes) -> str | None:
    """What binary format the first bytes announce (German), or None for unknown/text."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None
