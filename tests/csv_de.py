"""Reading a German CSV download as a person's script would: metadata lines, an empty line, the table."""

from __future__ import annotations

import csv
import io


def split_csv_de(data: bytes | str) -> tuple[dict[str, str], list[list[str]]]:
    """(metadata, table rows with the header first): the table starts after the first empty row."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    blank = rows.index([])
    head = rows[:blank]
    assert all(len(r) == 2 for r in head), head  # "Angabe;Inhalt", one pair per line
    return dict(head), rows[blank + 1:]
