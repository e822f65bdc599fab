"""``indices.toml`` and ``bedarfe.toml``: composite indices and Gestaltungsbedarfe of a bundle.

Both files are optional. Every entry is checked against the indicator catalogue and the years of
the values, and every defect becomes a German ``Problem`` naming file, index or field id, key and
value, so a wrong threshold list is reported when the bundle loads, not when a page is drawn.
Rules are data, never code: a condition is one of a few fixed tests (see docs/data-format.md).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.bundle.config import _syntax_problem, _toml_text
from dashboard.bundle.files import entries, entry_problem
from dashboard.bundle.problems import ProblemList, join_names, unreadable
from dashboard.formatting import format_number
from dashboard.indices.spec import (
    BOUNDARIES,
    METHODS,
    Condition,
    Group,
    IndexSpec,
    NeedRule,
    Rule,
)
from dashboard.model import BundleConfig

INDEX_FILE = "indices.toml"
NEEDS_FILE = "bedarfe.toml"

INDEX_KEYS = ("id", "name", "indicators", "weights", "signs", "method", "classes", "labels", "boundary",
              "change", "weighting", "min_indicators", "sd", "description", "theme")
NEED_KEYS = ("id", "name", "text", "all", "any", "at_least", "of")
CONDITION_KEYS = ("index", "indicator", "classes", "above", "below", "worst")
COMPARISONS = ("classes", "above", "below", "worst")
REFERENCES = {"region": "dem Wert der Region", "municipality": "dem Wert der Kommune"}
MAX_DEPTH = 4
_ID = re.compile(r"[A-Za-z0-9_-]+")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _read_toml(folder: Path, name: str, key: str, problems: ProblemList) -> list[Any] | None:
    """The list under ``key`` ([[key]] tables) of an optional file; None when absent or broken."""
    found = entries(folder).get(name, [])
    if not found:
        return None
    if len(found) > 1:
        problems.error(", ".join(p.name for p in found), "mehrdeutig: mehrere Dateien mit diesem Namen – bitte "
                       "nur eine davon im Ordner lassen")
        return None
    path = found[0]
    reason = entry_problem(path, allow_empty=True)
    if reason is not None:
        problems.error(path.name, reason)
        return None
    try:
        data = tomllib.loads(_toml_text(path.read_bytes(), path.name, problems))
    except tomllib.TOMLDecodeError as exc:
        problems.add(_syntax_problem(path.name, exc))
        return None
    except Exception as exc:  # permissions, binary garbage, nesting too deep
        problems.add(unreadable(path.name, exc))
        return None
    for other in data:
        if other != key:
            problems.error(name, f"unbekannter Schlüssel (erlaubt ist nur [[{key}]])", column=other)
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.error(name, f"muss eine Liste von Abschnitten [[{key}]] sein", column=key, value=_show(items))
        return None
    return items


class _Entry:
    """Typed access to one [[index]] / [[bedarf]] table; every problem names file, entry and key."""

    def __init__(self, file: str, label: str, table: dict[str, Any], problems: ProblemList) -> None:
        self.file, self.label, self.table, self.problems = file, label, table, problems
        self.ok = True

    def error(self, key: str | None, value: Any, message: str) -> None:
        self.ok = False
        self.problems.error(self.file, message, feature=self.label, column=key,
                            value=None if value is None else _show(value))

    def warn(self, key: str | None, value: Any, message: str) -> None:
        self.problems.warning(self.file, message, feature=self.label, column=key,
                              value=None if value is None else _show(value))

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for key in self.table:
            if key not in allowed:
                self.error(key, None, f"unbekannter Schlüssel (erlaubt: {', '.join(allowed)})")

    def text(self, key: str, default: str) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or (key in self.table and not value.strip()):
            self.error(key, value, "muss ein nicht leerer Text in Anführungszeichen sein")
            return default
        return value.strip()

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.table.get(key, default)
        if value not in allowed:
            self.error(key, value, f"unbekannter Wert (erlaubt: {', '.join(allowed)})")
            return default
        return value


def _entry_id(file: str, kind: str, position: int, table: dict[str, Any], seen: set[str],
              problems: ProblemList) -> str | None:
    value = table.get("id")
    label = f"{kind} Nr. {position}"
    if not isinstance(value, str) or not _ID.fullmatch(value):
        problems.error(file, "Pflichtschlüssel „id“ fehlt oder ist ungültig (erlaubt: Buchstaben, Ziffern, _ und -)",
                       feature=label, column="id", value=None if value is None else _show(value))
        return None
    if value in seen:
        problems.error(file, "ID kommt doppelt vor", feature=f"{kind} „{value}“", column="id", value=value)
        return None
    seen.add(value)
    return value


# --------------------------------------------------------------------------- indices.toml

def parse_indices(
    items: list[dict[str, Any]], indicators: pd.DataFrame, years: tuple[int, ...], config: BundleConfig,
    problems: ProblemList,
) -> tuple[IndexSpec, ...]:
    """Check every [[index]] entry; only entries without errors are returned."""
    polarity = dict(zip(indicators["indicator_id"], indicators["polarity"].astype(int), strict=True))
    seen: set[str] = set()
    specs = []
    for position, table in enumerate(items, start=1):
        index_id = _entry_id(INDEX_FILE, "Index", position, table, seen, problems)
        if index_id is None:
            continue
        spec = _parse_index(_Entry(INDEX_FILE, f"Index „{index_id}“", table, problems), index_id, polarity,
                            years, config)
        if spec is not None:
            specs.append(spec)
    return tuple(specs)


def _number_list(entry: _Entry, key: str, count: int | None, check: Any, message: str) -> tuple | None:
    if key not in entry.table:
        return None
    value = entry.table[key]
    if not isinstance(value, list) or not all(check(v) for v in value):
        entry.error(key, value, message)
        return None
    if count is not None and len(value) != count:
        entry.error(key, value, f"braucht genau {count} Einträge (einen je Indikator), hat {len(value)}")
        return None
    return tuple(value)


def _parse_index(entry: _Entry, index_id: str, polarity: Mapping[str, int], years: tuple[int, ...],
                 config: BundleConfig) -> IndexSpec | None:
    entry.unknown(INDEX_KEYS)
    name = entry.text("name", index_id)
    ids = entry.table.get("indicators")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        entry.error("indicators", ids, "Pflichtschlüssel: Liste von Indikator-IDs, z. B. [\"SO01\", \"KJ01\"]")
        return None
    for i in ids:
        if i not in polarity:
            entry.error("indicators", i, "unbekannter Indikator (nicht im Indikatorenkatalog)")
    for i in sorted({i for i in ids if ids.count(i) > 1}):
        entry.error("indicators", i, "Indikator kommt im Index doppelt vor")
    n = len(ids)  # the other keys are still checked, so one run lists every defect
    weights = _number_list(entry, "weights", n, lambda v: _is_number(v) and v > 0,
                           "muss eine Liste positiver Zahlen sein, z. B. [1, 1, 2]") or (1.0,) * n
    signs = _number_list(entry, "signs", n, lambda v: _is_int(v) and v in (1, -1),
                         "muss eine Liste aus 1 und -1 sein (Richtung je Indikator)")
    if signs is None:
        for i in ids:
            if polarity.get(i, 1) == 0:  # as the ranking rule: polarity 0 counts like 1
                entry.warn("indicators", i, "Indikator ohne Polarität (0 im Indikatorenkatalog): geht mit "
                           "positivem Vorzeichen ein (höherer Wert = mehr Bedarf) – Polarität setzen oder „signs“ angeben")
        signs = tuple(polarity.get(i, 1) or 1 for i in ids)
    method = entry.choice("method", METHODS, "zsum")
    thresholds, labels = _classes(entry)
    boundary = entry.choice("boundary", BOUNDARIES, "inner")
    change = _change(entry, years)
    weighting = entry.choice("weighting", ("none", "population"), "none")
    if weighting == "population" and method != "zsum":
        entry.error("weighting", weighting, "Gewichtung mit der Bevölkerung gibt es nur für method = \"zsum\"")
    if weighting == "population" and config.privacy.population_indicator is None:
        entry.error("weighting", weighting, "braucht privacy.population_indicator in bundle.toml (die Einwohnerzahl)")
    min_indicators = entry.table.get("min_indicators", n)
    if not _is_int(min_indicators) or not 1 <= min_indicators <= n:
        entry.error("min_indicators", min_indicators, f"muss eine ganze Zahl von 1 bis {n} sein (Zahl der Indikatoren)")
    sd = entry.choice("sd", ("sample", "population"), "sample")
    description = entry.text("description", "")
    theme = entry.text("theme", "")
    if not entry.ok:
        return None
    return IndexSpec(
        index_id=index_id, name=name, indicators=tuple(ids), weights=tuple(float(w) for w in weights),
        signs=tuple(int(s) for s in signs), method=method, thresholds=thresholds, labels=labels,  # type: ignore[arg-type]
        boundary=boundary, change=change, weighting=weighting, min_indicators=int(min_indicators),  # type: ignore[arg-type]
        sd=sd, description=description, theme=theme,  # type: ignore[arg-type]
    )


def _classes(entry: _Entry) -> tuple[tuple[float, ...], tuple[str, ...]]:
    table = entry.table
    if "classes" not in table and "labels" not in table:
        return (), ()
    thresholds = table.get("classes")
    labels = table.get("labels")
    if thresholds is None or labels is None:
        missing = "labels" if labels is None else "classes"
        entry.error(missing, None, "„classes“ (Schwellen) und „labels“ (Klassennamen) gehören zusammen – "
                    f"„{missing}“ fehlt")
        return (), ()
    if not isinstance(thresholds, list) or not thresholds or not all(_is_number(t) for t in thresholds):
        entry.error("classes", thresholds, "muss eine Liste von Zahlen sein (Schwellen), z. B. [-1.0, 1.0, 1.5]")
        return (), ()
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        entry.error("classes", thresholds, "Schwellen müssen streng aufsteigend sein")
    if not isinstance(labels, list) or not all(isinstance(lbl, str) and lbl.strip() for lbl in labels):
        entry.error("labels", labels, "muss eine Liste nicht leerer Texte sein")
        return (), ()
    if len(labels) != len(thresholds) + 1:
        entry.error("labels", labels, f"{len(thresholds)} Schwellen ergeben {len(thresholds) + 1} Klassen, "
                    f"aber es sind {len(labels)} Klassennamen angegeben")
    for lbl in sorted({lbl for lbl in labels if labels.count(lbl) > 1}):
        entry.error("labels", lbl, "Klassenname kommt doppelt vor")
    return tuple(float(t) for t in thresholds), tuple(lbl.strip() for lbl in labels)


def _change(entry: _Entry, years: tuple[int, ...]) -> int | None:
    if "change" not in entry.table:
        return None
    change = entry.table["change"]
    if not _is_int(change) or change < 1:
        entry.error("change", change, "muss eine ganze Zahl ≥ 1 sein (Veränderung über so viele Jahre)")
        return None
    span = (max(years) - min(years)) if years else 0
    if change > span:
        have = f"die Daten umfassen nur {min(years)}–{max(years)} ({span} Jahre Abstand)" if years else \
            "die Daten enthalten keine Jahre"
        entry.error("change", change, f"Veränderung über {change} Jahre nicht berechenbar: {have}")
        return None
    return int(change)


# --------------------------------------------------------------------------- bedarfe.toml

def parse_needs(
    items: list[dict[str, Any]], indicators: pd.DataFrame, indices: tuple[IndexSpec, ...],
    index_ids: set[str], problems: ProblemList,
) -> tuple[NeedRule, ...]:
    """Check every [[bedarf]] entry; ``index_ids`` includes indices that failed (no second message)."""
    meta = indicators.set_index("indicator_id")
    by_id = {s.index_id: s for s in indices}
    seen: set[str] = set()
    rules = []
    for position, table in enumerate(items, start=1):
        need_id = _entry_id(NEEDS_FILE, "Bedarf", position, table, seen, problems)
        if need_id is None:
            continue
        entry = _Entry(NEEDS_FILE, f"Bedarf „{need_id}“", table, problems)
        entry.unknown(NEED_KEYS)
        name = entry.text("name", need_id)
        if "name" not in table:
            entry.error("name", None, "Pflichtschlüssel „name“ fehlt (der angezeigte Name des Handlungsfelds)")
        parser = _RuleParser(entry, meta, by_id, index_ids)
        group = parser.group({k: v for k, v in table.items() if k in ("all", "any", "at_least", "of")}, "", 1)
        custom = entry.text("text", "")
        if group is not None and entry.ok:
            rules.append(NeedRule(need_id=need_id, name=name, rule=group, text=custom or group.text))
    return tuple(rules)


class _RuleParser:
    def __init__(self, entry: _Entry, meta: pd.DataFrame, indices: Mapping[str, IndexSpec],
                 index_ids: set[str]) -> None:
        self.entry, self.meta, self.indices, self.index_ids = entry, meta, indices, index_ids

    def item(self, value: Any, where: str, depth: int) -> Rule | None:
        if not isinstance(value, dict):
            self.entry.error(where, value, "Bedingung muss eine Tabelle sein, z. B. { indicator = \"SO01\", "
                             "above = \"region\" }")
            return None
        if any(k in value for k in ("all", "any", "at_least", "of")):
            return self.group(value, where, depth + 1)
        return self.condition(value, where)

    def group(self, table: dict[str, Any], where: str, depth: int) -> Group | None:
        prefix = f"{where}." if where else ""
        modes = [k for k in ("all", "any", "at_least") if k in table]
        if depth > MAX_DEPTH:
            self.entry.error(where or None, None, f"zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen)")
            return None
        extra = [k for k in table if k not in ("all", "any", "at_least", "of")]
        if extra:
            self.entry.error(f"{prefix}{extra[0]}", None, "unbekannter Schlüssel in einer Gruppe (erlaubt: all, any, "
                             "at_least mit of)")
            return None
        if len(modes) != 1:
            self.entry.error(where or None, None, "Regel braucht genau eines von „all = [...]“, „any = [...]“ oder "
                             "„at_least = N“ mit „of = [...]“")
            return None
        mode = modes[0]
        key = "of" if mode == "at_least" else mode
        items = table.get(key)
        if mode != "at_least" and "of" in table:
            self.entry.error(f"{prefix}of", None, "„of“ gehört nur zu „at_least“")
            return None
        if not isinstance(items, list) or not items:
            self.entry.error(f"{prefix}{key}", items, "muss eine nicht leere Liste von Bedingungen sein")
            return None
        parsed = [self.item(v, f"{prefix}{key}[{i + 1}]", depth) for i, v in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        k = len(parsed) if mode == "all" else 1
        if mode == "at_least":
            k = table["at_least"]
            if not _is_int(k) or not 1 <= k <= len(parsed):
                self.entry.error(f"{prefix}at_least", k, f"muss eine ganze Zahl von 1 bis {len(parsed)} sein "
                                 "(Zahl der Bedingungen in „of“)")
                return None
        return Group(mode=mode, items=tuple(parsed), k=int(k), text=_group_text(mode, int(k), parsed))  # type: ignore[arg-type]

    def condition(self, table: dict[str, Any], where: str) -> Condition | None:
        prefix = f"{where}." if where else ""
        for key in table:
            if key not in CONDITION_KEYS:
                self.entry.error(f"{prefix}{key}", None, f"unbekannter Schlüssel (erlaubt: {', '.join(CONDITION_KEYS)})")
                return None
        subjects = [k for k in ("index", "indicator") if k in table]
        if len(subjects) != 1:
            self.entry.error(where, table, "Bedingung braucht genau eines von „index“ oder „indicator“")
            return None
        subject = subjects[0]
        ref = table[subject]
        comparisons = [k for k in COMPARISONS if k in table]
        if len(comparisons) != 1:
            self.entry.error(where, table, "Bedingung braucht genau einen Vergleich: classes, above, below oder worst")
            return None
        comparison = comparisons[0]
        value = table[comparison]
        key = f"{prefix}{comparison}"
        if subject == "index":
            if ref not in self.index_ids:
                self.entry.error(f"{prefix}index", ref, "unbekannter Index (nicht in indices.toml)")
                return None
            spec = self.indices.get(ref)
            if spec is None:  # the index itself has errors, reported in indices.toml
                self.entry.ok = False
                return None
            name, unit, decimals = spec.name, "", 2
        else:
            if not isinstance(ref, str) or ref not in self.meta.index:
                self.entry.error(f"{prefix}indicator", ref, "unbekannter Indikator (nicht im Indikatorenkatalog)")
                return None
            row = self.meta.loc[ref]
            name, unit, decimals = str(row["name"]), str(row["unit"] or ""), int(row["decimals"])
            if comparison == "worst" and int(row["polarity"]) == 0:  # ranked like polarity 1, as in the tables
                self.entry.warn(f"{prefix}indicator", ref, "Indikator ohne Polarität (0): als ungünstigste Werte "
                                "gelten die höchsten – Polarität setzen oder above/below verwenden")
            if comparison == "classes":
                self.entry.error(key, value, "„classes“ gilt nur für einen Index (Indikatoren haben hier keine Klassen)")
                return None
        if comparison == "classes":
            labels = spec.labels
            if not labels:
                self.entry.error(key, value, f"Index „{ref}“ hat keine Klassen (classes/labels in indices.toml)")
                return None
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                self.entry.error(key, value, "muss eine Liste von Klassennamen sein, z. B. [\"niedrig\", \"sehr niedrig\"]")
                return None
            unknown = [v for v in value if v not in labels]
            if unknown:
                self.entry.error(key, unknown[0], f"unbekannte Klasse von Index „{ref}“ (vorhanden: {join_names(labels)})")
                return None
            chosen = tuple(lbl for lbl in labels if lbl in value)
            text = f"{name} in Klasse " + "/".join(f"„{c}“" for c in chosen)
            return Condition(subject, ref, "classes", text, classes=chosen)
        if comparison == "worst":
            if not _is_number(value) or not 0 < value < 1:
                self.entry.error(key, value, "muss ein Anteil zwischen 0 und 1 sein, z. B. 0.2 für das ungünstigste Fünftel")
                return None
            share = format_number(value * 100, 0 if float(value * 100).is_integer() else 1)
            text = f"{name} unter den ungünstigsten {share} % der Sozialräume"
            return Condition(subject, ref, "worst", text, fraction=float(value))
        word = "über" if comparison == "above" else "unter"
        if isinstance(value, str):
            if subject == "index" or value not in REFERENCES:
                allowed = "eine Zahl" if subject == "index" else "eine Zahl, \"region\" oder \"municipality\""
                self.entry.error(key, value, f"muss {allowed} sein")
                return None
            return Condition(subject, ref, comparison, f"{name} {word} {REFERENCES[value]}",  # type: ignore[arg-type]
                             reference=value)  # type: ignore[arg-type]
        if not _is_number(value):
            self.entry.error(key, value, "muss eine Zahl sein" + ("" if subject == "index" else
                             " oder \"region\" bzw. \"municipality\""))
            return None
        text = f"{name} {word} {_number_text(float(value), decimals)}" + (f" {unit}" if unit else "")
        return Condition(subject, ref, comparison, text, threshold=float(value))  # type: ignore[arg-type]


def _number_text(value: float, decimals: int) -> str:
    """The threshold as the rule states it: the indicator's decimals, more only if needed."""
    for places in range(max(decimals, 0), 5):
        if round(value, places) == value:
            return format_number(value, places)
    return format_number(value, 4)


def _group_text(mode: str, k: int, items: list[Rule | None]) -> str:
    parts = [f"({i.text})" if isinstance(i, Group) and len(i.items) > 1 else i.text for i in items if i is not None]
    if len(parts) == 1:
        return parts[0]
    if mode == "all":
        return " und ".join(parts)
    if mode == "any":
        return " oder ".join(parts)
    return f"mindestens {k} von {len(parts)}: " + "; ".join(parts)


# --------------------------------------------------------------------------- both files

def load_index_files(
    folder: Path, indicators: pd.DataFrame, years: tuple[int, ...], config: BundleConfig, problems: ProblemList,
) -> tuple[tuple[IndexSpec, ...], tuple[NeedRule, ...]]:
    """Read the optional ``indices.toml`` and ``bedarfe.toml`` (empty tuples when absent)."""
    index_items = _read_toml(folder, INDEX_FILE, "index", problems) or []
    indices = parse_indices(index_items, indicators, years, config, problems)
    index_ids = {t["id"] for t in index_items if isinstance(t.get("id"), str)}
    need_items = _read_toml(folder, NEEDS_FILE, "bedarf", problems) or []
    needs = parse_needs(need_items, indicators, indices, index_ids, problems)
    return indices, needs
