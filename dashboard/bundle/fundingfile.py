"""``foerderung.toml``: the optional settings of the funding assessment, type-checked key by key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from dashboard.bundle.config import _syntax_problem, _toml_text
from dashboard.bundle.files import entries, entry_problem
from dashboard.bundle.problems import ProblemList, unreadable
from dashboard.funding.config import (
    DEFAULT_CLASS_POINTS,
    DEFAULT_WEIGHTS,
    PARTS,
    PROGRAMMES,
    REQUIRABLE,
    FundingConfig,
    Programme,
    _frozen,
    default_programmes,
)

FUNDING_FILE = "foerderung.toml"
TOP_KEYS = ("weights", "need", "programmes", "rules", "budget")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _show(value: Any) -> str:
    return str(value)[:80]


def read_funding_config(folder: Path, index_ids: set[str], problems: ProblemList) -> FundingConfig:
    """The settings of ``foerderung.toml`` (defaults when the file is absent); problems name the key."""
    found = entries(folder).get(FUNDING_FILE, [])
    if not found:
        return FundingConfig()
    path = found[0]
    reason = entry_problem(path, allow_empty=True)
    if reason is not None:
        problems.error(path.name, reason)
        return FundingConfig()
    try:
        data = tomllib.loads(_toml_text(path.read_bytes(), path.name, problems))
    except tomllib.TOMLDecodeError as exc:
        problems.add(_syntax_problem(path.name, exc))
        return FundingConfig()
    except Exception as exc:  # permissions, binary content
        problems.add(unreadable(path.name, exc))
        return FundingConfig()
    file = path.name

    def error(key: str, value: Any, message: str) -> None:
        problems.error(file, message, column=key, value=None if value is None else _show(value))

    def table(key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            error(key, value, f"muss ein Abschnitt [{key}] sein")
            return {}
        return value

    for key in data:
        if key not in TOP_KEYS:
            error(key, None, f"unbekannter Schlüssel (erlaubt: {', '.join(TOP_KEYS)})")

    weights = dict(DEFAULT_WEIGHTS)
    for key, value in table("weights").items():
        if key not in PARTS:
            error(f"weights.{key}", None, f"unbekannter Teil der Bewertung (erlaubt: {', '.join(PARTS)})")
        elif not _number(value):
            error(f"weights.{key}", value, "Gewicht muss eine Zahl ab 0 sein")
        else:
            weights[key] = float(value)

    need = table("need")
    strength_index: str | None = "sozialindex" if "sozialindex" in index_ids else None
    class_points = dict(DEFAULT_CLASS_POINTS)
    full_reach = 5000.0
    for key, value in need.items():
        if key == "index":
            if not isinstance(value, str) or value not in index_ids:
                error("need.index", value, f"unbekannter Index (indices.toml: {', '.join(sorted(index_ids)) or 'keine'})")
            else:
                strength_index = value
        elif key == "class_points":
            if not isinstance(value, dict) or not all(_number(v) and v <= 1 for v in value.values()):
                error("need.class_points", value, "muss eine Tabelle Klasse = Punkte (0 bis 1) sein")
            else:
                class_points = {str(k): float(v) for k, v in value.items()}
        elif key == "full_reach":
            if not _number(value) or value <= 0:
                error("need.full_reach", value, "muss eine Zahl größer 0 sein (Einwohner)")
            else:
                full_reach = float(value)
        else:
            error(f"need.{key}", None, "unbekannter Schlüssel (erlaubt: index, class_points, full_reach)")

    programmes = dict(default_programmes())
    for name, spec in table("programmes").items():
        key = f"programmes.{name}"
        if name not in PROGRAMMES:
            error(key, None, f"unbekanntes Programm (erlaubt: {', '.join(PROGRAMMES)})")
            continue
        if not isinstance(spec, dict):
            error(key, spec, f"muss ein Abschnitt [programmes.\"{name}\"] sein")
            continue
        limit, required = programmes[name].limit, programmes[name].required
        for sub, value in spec.items():
            if sub == "limit":
                if not _number(value) or value <= 0:
                    error(f"{key}.limit", value, "Höchstbetrag muss eine Zahl größer 0 sein (Euro)")
                else:
                    limit = float(value)
            elif sub == "required":
                if not isinstance(value, list) or not all(v in REQUIRABLE for v in value):
                    error(f"{key}.required", value, f"Liste von Spalten (erlaubt: {', '.join(REQUIRABLE)})")
                else:
                    required = tuple(value)
            else:
                error(f"{key}.{sub}", None, "unbekannter Schlüssel (erlaubt: limit, required)")
        programmes[name] = Programme(name, limit, required)

    rules = table("rules")
    one = rules.get("one_per_applicant", True)
    if not isinstance(one, bool):
        error("rules.one_per_applicant", one, "muss true oder false sein")
        one = True
    period = rules.get("period_years", 1)
    if not isinstance(period, int) or isinstance(period, bool) or not 1 <= period <= 10:
        error("rules.period_years", period, "muss eine ganze Zahl von 1 bis 10 sein")
        period = 1
    for key in rules:
        if key not in ("one_per_applicant", "period_years"):
            error(f"rules.{key}", None, "unbekannter Schlüssel (erlaubt: one_per_applicant, period_years)")
    budget: dict[int, float] = {}
    for key, value in table("budget").items():
        if not (len(key) == 4 and key.isdigit()):
            error(f"budget.{key}", None, "Schlüssel muss ein Förderjahr sein, z. B. \"2024\" = 50000")
        elif not _number(value):
            error(f"budget.{key}", value, "verfügbare Mittel müssen eine Zahl ab 0 sein (Euro)")
        else:
            budget[int(key)] = float(value)
    return FundingConfig(weights=_frozen(weights), strength_index=strength_index, class_points=_frozen(class_points),
                         full_reach=full_reach, programmes=_frozen(programmes), one_per_applicant=one,
                         period_years=period, budget=_frozen(budget))
