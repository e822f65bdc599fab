"""``antraege.csv|xlsx``: the optional applications for funds, read and checked like the other files.

Applications are internal working data of the office: they are parsed into one table that the
funding page and the CLI read, and never enter the publication pipeline's cells. The check is
all-or-nothing like the rest of the loader: every problem names file, row, column and value.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.bundle.files import entries, find_file
from dashboard.bundle.numbers import id_texts, is_german, parse_numbers, parse_years
from dashboard.bundle.problems import ProblemList, join_names
from dashboard.bundle.readers import match_columns, read_raw
from dashboard.bundle.texts import check_texts
from dashboard.funding.config import PROGRAMMES, STATUSES, FundingConfig

APPLICATION_FILES = ("antraege.csv", "antraege.xlsx")
REQUIRED = ("antrag_id", "titel", "antragsteller", "programm", "sozialraeume", "felder", "beantragt", "jahr",
            "status")
OPTIONAL = ("verband", "bewilligt")
#: Canonical columns of the parsed table (``areas`` and ``fields`` are tuples of ids).
APPLICATION_COLUMNS = ("application_id", "title", "applicant", "association", "programme", "target", "areas",
                       "municipality_id", "fields", "requested", "year", "status", "awarded", "row")
_LIST_SPLIT = re.compile(r"\s*[;,|]\s*")


def has_applications(folder: Path) -> bool:
    present = entries(folder)
    return any(name in present for name in APPLICATION_FILES)


def split_list(text: str) -> list[str]:
    """"a; b, c" -> ["a", "b", "c"] (empty parts dropped)."""
    return [part for part in _LIST_SPLIT.split(text.strip()) if part]


_GERMAN_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+\s*(?:€|EUR)?$"
_POINT_DECIMALS = r"^[+-]?\d+\.\d{1,2}\s*(?:€|EUR)?$|\d,\d{3}\.\d"


def _amounts_german(columns: list[pd.Series]) -> bool:
    """Euro amounts: a decimal comma, or "24.500" (thousands dot) without any "24.50" makes the file German.

    Unlike indicator values, a euro amount written by a German office never has three decimals,
    so "1.500" is fifteen hundred unless another cell shows the decimal point ("12.50", "1,500.00").
    """
    if is_german(columns):
        return True
    texts = pd.concat([c[c.map(lambda v: isinstance(v, str))].astype(str).str.strip() for c in columns])
    return bool(texts.str.contains(_GERMAN_THOUSANDS).any() and not texts.str.contains(_POINT_DECIMALS).any())


def _key(text: str) -> str:
    return text.strip().casefold()


def load_applications(folder: Path, areas: pd.DataFrame, needs: tuple, funding: FundingConfig,
                      problems: ProblemList) -> pd.DataFrame | None:
    """The checked applications (``APPLICATION_COLUMNS``), or None when absent or with errors."""
    if not has_applications(folder):
        return None
    path = find_file(folder, APPLICATION_FILES, "die Anträge", problems)
    if path is None:
        return None
    raw = read_raw(path, None, [[c] for c in REQUIRED], problems)
    if raw is None:
        return None
    local = ProblemList()
    table = match_columns(raw, REQUIRED, OPTIONAL, {}, "antraege", local)
    result = None
    if table is not None:
        for header in table.extra:
            if header:
                local.warning(table.file, "Spalte wird nicht verwendet", row=table.header_row, column=header)
        result = _check(table, areas, needs, funding, local)
    problems.extend(local)
    return None if table is None or local.has_errors else result


def _check(table, areas: pd.DataFrame, needs: tuple, funding: FundingConfig, problems: ProblemList) -> pd.DataFrame:
    file, rows, frame = table.file, table.rows, table.frame
    text = {c: id_texts(frame[c]) if c in frame else pd.Series([""] * len(frame)) for c in REQUIRED + OPTIONAL}

    def report(column: str, message: str, positions: list[int], values: list[object],
               messages: list[str] | None = None) -> None:
        problems.rows(file, table.header(column), message, rows[positions], values, messages=messages)

    for c in ("antrag_id", "programm", "sozialraeume", "felder", "beantragt", "jahr", "status"):
        empty = list(np.flatnonzero(text[c].to_numpy() == ""))
        report(c, "Pflichtfeld ist leer", empty, [""] * len(empty))
    for c in ("antrag_id", "titel", "antragsteller", "verband"):
        check_texts(problems, file, table.header(c), text[c].to_numpy(), rows, formula_only=c == "antrag_id")

    ids = text["antrag_id"].to_numpy()
    first: dict[str, int] = {}
    dup, msgs = [], []
    for pos, app_id in enumerate(ids):
        if app_id and app_id in first:
            dup.append(pos)
            msgs.append(f"Antrags-ID kommt doppelt vor (auch Zeile {rows[first[app_id]]})")
        elif app_id:
            first[app_id] = pos
    report("antrag_id", "Antrags-ID kommt doppelt vor", dup, list(ids[dup]), msgs)

    programme_by_key = {_key(p): p for p in PROGRAMMES}
    programme = text["programm"].map(lambda v: programme_by_key.get(_key(v), ""))
    bad = [i for i, (v, p) in enumerate(zip(text["programm"], programme, strict=True)) if v and not p]
    report("programm", f"unbekanntes Programm (erlaubt: {join_names(PROGRAMMES)})", bad,
           list(text["programm"].to_numpy()[bad]))

    status_by_key = {_key(s): s for s in STATUSES}
    status = text["status"].map(lambda v: status_by_key.get(_key(v), ""))
    bad = [i for i, (v, s) in enumerate(zip(text["status"], status, strict=True)) if v and not s]
    report("status", f"unbekannter Status (erlaubt: {join_names(STATUSES)})", bad,
           list(text["status"].to_numpy()[bad]))

    years, invalid = parse_years(frame["jahr"])
    bad = list(np.flatnonzero(invalid.to_numpy() & (text["jahr"].to_numpy() != "")))
    report("jahr", "Jahr muss eine vierstellige Zahl sein (z. B. 2024)", bad, list(text["jahr"].to_numpy()[bad]))

    area_ids = set(areas["area_id"])
    muni_ids = dict(zip(areas["municipality_id"], areas["municipality_id"], strict=True))
    muni_ids.update({_key(n): m for n, m in zip(areas["municipality_name"], areas["municipality_id"], strict=True)})
    areas_of = areas.groupby("municipality_id")["area_id"].apply(tuple).to_dict()
    targets: list[tuple[str, ...]] = []
    target_muni: list[str] = []
    for pos, cell in enumerate(text["sozialraeume"]):
        parts = split_list(cell)
        found: list[str] = []
        muni = ""
        unknown = []
        for part in parts:
            if part in area_ids:
                found.append(part)
            elif part in muni_ids or _key(part) in muni_ids:
                muni = muni_ids.get(part) or muni_ids[_key(part)]
                found.extend(areas_of.get(muni, ()))
            else:
                unknown.append(part)
        if unknown:
            report("sozialraeume", "unbekannter Sozialraum bzw. unbekannte Kommune (IDs wie in der Gebietsdatei, "
                   "mehrere mit ; oder , getrennt)", [pos], [", ".join(unknown)])
        targets.append(tuple(dict.fromkeys(found)))
        target_muni.append(muni if muni and len(parts) == 1 else "")

    need_by_key = {_key(r.need_id): r.need_id for r in needs}
    need_by_key.update({_key(r.name): r.need_id for r in needs})
    fields: list[tuple[str, ...]] = []
    allowed = join_names(r.need_id for r in needs)
    for pos, cell in enumerate(text["felder"]):
        parts = split_list(cell)
        unknown = [p for p in parts if _key(p) not in need_by_key]
        if unknown:
            report("felder", f"unbekanntes Feld des Gestaltungsbedarfs (bedarfe.toml: {allowed})", [pos],
                   [", ".join(unknown)])
        fields.append(tuple(dict.fromkeys(need_by_key[_key(p)] for p in parts if _key(p) in need_by_key)))

    german = _amounts_german([frame[c] for c in ("beantragt", "bewilligt") if c in frame])
    amounts = {}
    for c in ("beantragt", "bewilligt"):
        if c not in frame:
            amounts[c] = pd.Series(np.nan, index=frame.index)
            continue
        cells = frame[c].map(lambda v: v.replace("€", "").replace("EUR", "").strip() if isinstance(v, str) else v)
        values, invalid = parse_numbers(cells, german)
        bad = list(np.flatnonzero(invalid.to_numpy()))
        report(c, "Betrag muss eine Zahl in Euro sein (z. B. 850 oder 1.250,50)", bad, list(text[c].to_numpy()[bad]))
        negative = list(np.flatnonzero((values < 0).to_numpy()))
        report(c, "Betrag darf nicht negativ sein", negative, list(text[c].to_numpy()[negative]))
        amounts[c] = values.where(~invalid)
    requested, awarded = amounts["beantragt"], amounts["bewilligt"]

    for name in PROGRAMMES:
        limit = funding.limit(name)
        if limit is None:
            continue
        shown_limit = f"{limit:,.0f}".replace(",", ".")
        for c, values in (("beantragt", requested), ("bewilligt", awarded)):
            over = list(np.flatnonzero(((programme == name) & (values > limit)).to_numpy()))
            report(c, f"Betrag über dem Höchstbetrag des Programms „{name}“ ({shown_limit} €)", over,
                   list(text[c].to_numpy()[over]))

    granted = (status == "bewilligt").to_numpy()
    given = awarded.notna().to_numpy()
    wrong = list(np.flatnonzero(given & ~granted & (awarded.fillna(0) > 0).to_numpy() & (status != "").to_numpy()))
    report("bewilligt", "bewilligter Betrag bei einem Antrag, der nicht bewilligt ist (Status prüfen)", wrong,
           list(text["bewilligt"].to_numpy()[wrong]))
    missing = list(np.flatnonzero(granted & ~given))
    problems.rows(file, table.header("bewilligt") if "bewilligt" in frame else "bewilligt",
                  "Status bewilligt ohne bewilligten Betrag – der beantragte Betrag wird angenommen",
                  rows[missing], [""] * len(missing), severity="warning")
    more = list(np.flatnonzero((awarded > requested).to_numpy()))
    problems.rows(file, table.header("bewilligt") if "bewilligt" in frame else "bewilligt",
                  "bewilligt mehr als beantragt", rows[more], list(text["bewilligt"].to_numpy()[more]),
                  severity="warning")
    awarded = awarded.where(~(granted & ~given), requested).where(granted, 0.0)

    out = pd.DataFrame({
        "application_id": text["antrag_id"].to_numpy(),
        "title": text["titel"].to_numpy(),
        "applicant": text["antragsteller"].to_numpy(),
        "association": text["verband"].to_numpy(),
        "programme": programme.to_numpy(),
        "target": text["sozialraeume"].to_numpy(),
        "areas": targets,
        "municipality_id": target_muni,
        "fields": fields,
        "requested": requested.to_numpy(dtype=float),
        "year": years.fillna(0).astype(int).to_numpy(),
        "status": status.to_numpy(),
        "awarded": awarded.to_numpy(dtype=float),
        "row": rows.astype(int),
    })
    return out[list(APPLICATION_COLUMNS)].reset_index(drop=True)
