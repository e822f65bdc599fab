"""``bundle.toml``: titles, theme order, column mappings, sheet names, privacy rules.

The file is optional so that a folder of plain files still loads; every key is type-checked so a
typo such as ``min_count = "3"`` is reported with the key's name instead of failing later.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dashboard.bundle.files import entries, entry_problem
from dashboard.bundle.problems import ProblemList, unreadable
from dashboard.bundle.texts import check_texts
from dashboard.counts import parse_term
from dashboard.model import AREA_COLUMNS, INDICATOR_COLUMNS, VALUE_COLUMNS, BundleConfig, PrivacyRules
from dashboard.problems import Problem

CONFIG_FILE = "bundle.toml"

#: Canonical column names a ``[columns.<table>]`` section may map.
MAPPABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "areas": AREA_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "values": VALUE_COLUMNS,
}
TOP_KEYS = ("title", "region", "attribution", "synthetic", "default_indicator", "public_url", "themes", "columns",
            "sheets", "privacy", "map")
PRIVACY_KEYS = ("min_count", "min_population", "round_counts_to", "symbol", "population_indicator", "indicators",
                "sums")
SHEET_KEYS = ("areas", "indicators", "values")
MAP_KEYS = ("tile_url",)


class _Reader:
    """Typed access to one TOML table that records a problem for each wrong or unknown key."""

    def __init__(self, table: dict[str, Any], prefix: str, problems: ProblemList) -> None:
        self.table = table
        self.prefix = prefix
        self.problems = problems

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def error(self, name: str, value: Any, message: str) -> None:
        self.problems.error(CONFIG_FILE, message, column=self.key(name), value=_show(value))

    def unknown(self, allowed: tuple[str, ...]) -> None:
        for name in self.table:
            if name not in allowed:
                self.problems.warning(
                    CONFIG_FILE,
                    f"unbekannter Schlüssel wird ignoriert (erlaubt: {', '.join(allowed)})",
                    column=self.key(name),
                )

    def get(self, name: str, check: Callable[[Any], bool], message: str, default: Any) -> Any:
        if name not in self.table:
            return default
        value = self.table[name]
        if not check(value):
            self.error(name, value, message)
            return default
        return value

    def string(self, name: str, default: str | None) -> str | None:
        return self.get(name, lambda v: isinstance(v, str), "muss ein Text in Anführungszeichen sein", default)

    def integer(self, name: str, minimum: int, default: int) -> int:
        return self.get(
            name,
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum,
            f"muss eine ganze Zahl ≥ {minimum} sein",
            default,
        )

    def table_of(self, name: str) -> dict[str, Any]:
        return self.get(name, lambda v: isinstance(v, dict), "muss eine Tabelle sein ([Abschnitt])", {})


def _show(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def read_config(folder: Path, problems: ProblemList) -> BundleConfig:
    """Read ``bundle.toml`` (or fall back to defaults with a warning when it is missing)."""
    default = BundleConfig(title=folder.resolve().name, region="", attribution="")
    found = entries(folder).get(CONFIG_FILE, [])
    if not found:
        problems.warning(CONFIG_FILE, "Datei fehlt – Titel und Einstellungen werden auf Standardwerte gesetzt")
        return default
    if len(found) > 1:
        problems.error(", ".join(p.name for p in found), "mehrdeutig: mehrere Konfigurationsdateien – bitte nur "
                       "eine davon im Ordner lassen")
        return default
    path = found[0]
    reason = entry_problem(path, allow_empty=True)  # an empty bundle.toml is valid TOML: all defaults
    if reason is not None:
        problems.error(path.name, reason)
        return default
    try:
        data = tomllib.loads(_toml_text(path.read_bytes(), path.name, problems))
    except tomllib.TOMLDecodeError as exc:
        problems.add(_syntax_problem(path.name, exc))
        return default
    except Exception as exc:  # permissions, binary garbage, nesting too deep
        problems.add(unreadable(path.name, exc))
        return default
    return parse_config(data, default.title, problems)


def _toml_text(raw: bytes, file: str, problems: ProblemList) -> str:
    """TOML is UTF-8; Notepad adds a BOM or saves UTF-16 or Windows-1252, so accept those with a note."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.warning(file, "Datei ist UTF-16-kodiert – gelesen, TOML sollte aber UTF-8 sein")
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.warning(file, "Datei ist nicht UTF-8-kodiert – als Windows-1252 gelesen (bitte als UTF-8 speichern)")
        return raw.decode("cp1252", errors="replace")


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError) -> Problem:
    """The parser's message with its position as spreadsheet-like "Zeile", plus the character."""
    text = str(exc)
    match = _POSITION.search(text)
    if match is None:
        return Problem(file, f"ungültiges TOML ({text})")
    reason = text[:match.start()]
    return Problem(file, f"ungültiges TOML (Zeile {match.group(1)}, Zeichen {match.group(2)}): {reason}",
                   row=int(match.group(1)))


def parse_config(data: dict[str, Any], default_title: str, problems: ProblemList) -> BundleConfig:
    """Turn the parsed TOML document into a ``BundleConfig``, recording every wrong key."""
    top = _Reader(data, "", problems)
    top.unknown(TOP_KEYS)
    title = top.string("title", default_title) or default_title
    region = top.string("region", "") or ""
    attribution = top.string("attribution", None)
    if attribution is None and "attribution" not in data:
        problems.warning(CONFIG_FILE, "keine Quellenangabe – die App zeigt keinen Quellen- und Lizenzhinweis",
                         column="attribution")
    synthetic = top.get("synthetic", lambda v: isinstance(v, bool), "muss true oder false sein", False)
    themes = top.get(
        "themes",
        lambda v: isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v),
        "muss eine Liste von Texten sein, z. B. [\"Soziodemografie\", \"Wohnen\"]",
        [],
    )
    themes = [t.strip() for t in themes]
    for theme in sorted({t for t in themes if themes.count(t) > 1}):
        top.error("themes", theme, "Thema kommt in der Liste doppelt vor")
    default_indicator = top.string("default_indicator", None)
    public_url = top.string("public_url", None)
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        top.error("public_url", public_url, "muss mit http:// oder https:// beginnen")
        public_url = None
    config = BundleConfig(
        title=title,
        default_indicator=default_indicator.strip() if default_indicator else None,
        public_url=public_url,
        region=region,
        attribution=attribution or "",
        synthetic=synthetic,
        themes=tuple(dict.fromkeys(themes)),
        columns=_columns(top.table_of("columns"), problems),
        sheets=_sheets(top.table_of("sheets"), problems),
        privacy=_privacy(top.table_of("privacy"), problems),
        tile_url=_map(top.table_of("map"), problems),
    )
    _check_texts(config, problems)
    return config


def _check_texts(config: BundleConfig, problems: ProblemList) -> None:
    """Title, region, symbol and themes are names; the attribution is a free text."""
    for key, text in (("title", config.title), ("region", config.region), ("privacy.symbol", config.privacy.symbol)):
        check_texts(problems, CONFIG_FILE, key, [text])
    check_texts(problems, CONFIG_FILE, "themes", list(config.themes))
    check_texts(problems, CONFIG_FILE, "attribution", [config.attribution], long_text=True)


def _columns(table: dict[str, Any], problems: ProblemList) -> MappingProxyType:
    reader = _Reader(table, "columns.", problems)
    reader.unknown(tuple(MAPPABLE_COLUMNS))
    out: dict[str, MappingProxyType] = {}
    for section, allowed in MAPPABLE_COLUMNS.items():
        sub = _Reader(reader.table_of(section), f"columns.{section}.", problems)
        sub.unknown(allowed)
        mapping = {}
        for name in allowed:
            value = sub.string(name, None)
            if value is not None and not value.strip():
                sub.error(name, value, "Spaltenname darf nicht leer sein")
            elif value is not None:
                mapping[name] = value.strip()
        out[section] = MappingProxyType(mapping)
    return MappingProxyType(out)


def _sheets(table: dict[str, Any], problems: ProblemList) -> MappingProxyType:
    reader = _Reader(table, "sheets.", problems)
    reader.unknown(SHEET_KEYS)
    sheets = {k: reader.string(k, None) for k in SHEET_KEYS}
    return MappingProxyType({k: v for k, v in sheets.items() if v})


def _privacy(table: dict[str, Any], problems: ProblemList) -> PrivacyRules:
    reader = _Reader(table, "privacy.", problems)
    reader.unknown(PRIVACY_KEYS)
    defaults = PrivacyRules()
    symbol = reader.string("symbol", defaults.symbol)
    if not (symbol or "").strip():
        reader.error("symbol", symbol, "darf nicht leer sein")
        symbol = defaults.symbol
    population = reader.string("population_indicator", None)
    overrides: dict[str, int] = {}
    for indicator_id, sub_table in reader.table_of("indicators").items():
        prefix = f"privacy.indicators.{indicator_id}."
        if not isinstance(sub_table, dict):
            problems.error(CONFIG_FILE, "muss eine Tabelle mit min_count sein", column=prefix[:-1],
                           value=_show(sub_table))
            continue
        sub = _Reader(sub_table, prefix, problems)
        sub.unknown(("min_count",))
        if "min_count" in sub_table:
            overrides[indicator_id] = sub.integer("min_count", 1, defaults.min_count)
    return PrivacyRules(
        sums=_sums(problems, table.get("sums")),
        min_count=reader.integer("min_count", 1, defaults.min_count),
        min_population=reader.integer("min_population", 0, defaults.min_population),
        round_counts_to=reader.integer("round_counts_to", 1, defaults.round_counts_to),
        symbol=symbol or defaults.symbol,
        population_indicator=population.strip() if population and population.strip() else None,
        indicator_min_count=MappingProxyType(overrides),
    )


def _sums(problems: ProblemList, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[[privacy.sums]]`` tables ``total = "EW"``, ``parts = ["EW_U18", ...]``; each term a count key
    (``numerator_key``/``denominator_key``) or ``ID``, ``ID.numerator``, ``ID.denominator``."""
    if value is None:
        return ()
    column = "privacy.sums"
    if not isinstance(value, list):
        problems.error(CONFIG_FILE, "muss eine Liste von Tabellen [[privacy.sums]] mit total und parts sein",
                       column=column, value=_show(value))
        return ()
    out = []
    for n, entry in enumerate(value, start=1):
        where = f"{column}[{n}]"
        if not isinstance(entry, dict):
            problems.error(CONFIG_FILE, "muss eine Tabelle mit total und parts sein", column=where, value=_show(entry))
            continue
        sub = _Reader(entry, f"{where}.", problems)
        sub.unknown(("total", "parts"))
        total = entry.get("total")
        parts = entry.get("parts")
        if not (isinstance(total, str) and total.strip()):
            sub.error("total", total, "muss der Name einer Zählgröße sein, z. B. \"EW\"")
            continue
        if not (isinstance(parts, list) and len(parts) >= 2 and all(isinstance(p, str) and p.strip() for p in parts)):
            sub.error("parts", parts, "muss eine Liste von mindestens zwei Zählgrößen sein, "
                      "z. B. [\"EW_U18\", \"EW_18_64\", \"EW_65PLUS\"]")
            continue
        out.append((total.strip(), tuple(p.strip() for p in parts)))
    return tuple(out)


def _map(table: dict[str, Any], problems: ProblemList) -> str | None:
    reader = _Reader(table, "map.", problems)
    reader.unknown(MAP_KEYS)
    url = reader.string("tile_url", None)
    if url is not None and not ("{z}" in url and "{x}" in url and "{y}" in url):
        reader.error("tile_url", url, "Kachel-URL muss die Platzhalter {z}, {x} und {y} enthalten")
        return None
    return url


def check_config_ids(config: BundleConfig, indicator_ids: set[str], problems: ProblemList,
                     count_keys: frozenset[str] = frozenset()) -> None:
    """Report settings that name indicators (or count keys) the catalogue does not contain."""
    if config.default_indicator is not None and config.default_indicator not in indicator_ids:
        problems.error(CONFIG_FILE, "unbekannter Indikator (nicht im Indikatorenkatalog)",
                       column="default_indicator", value=config.default_indicator)
    rules = config.privacy
    for n, (total, parts) in enumerate(rules.sums, start=1):
        for term in (total, *parts):
            if parse_term(term, indicator_ids, set(count_keys)) is None:
                problems.error(CONFIG_FILE, "unbekannte Zählgröße (weder Schlüssel aus numerator_key/"
                               "denominator_key noch Indikator-ID, ID.numerator oder ID.denominator)",
                               column=f"privacy.sums[{n}]", value=term)
    if rules.population_indicator is not None and rules.population_indicator not in indicator_ids:
        problems.error(CONFIG_FILE, "unbekannter Indikator (nicht im Indikatorenkatalog)",
                       column="privacy.population_indicator", value=rules.population_indicator)
    for indicator_id in rules.indicator_min_count:
        if indicator_id not in indicator_ids:
            problems.error(CONFIG_FILE, "unbekannter Indikator (nicht im Indikatorenkatalog)",
                           column=f"privacy.indicators.{indicator_id}", value=indicator_id)
