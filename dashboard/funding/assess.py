"""The transparent score of each application, every part with its German reason.

Parts (each 0..1, multiplied by its weight from ``foerderung.toml``; see docs/data-format.md):

- ``fit``: share of the target areas that carry a Gestaltungsbedarf in a field the application
  addresses;
- ``strength``: mean class points of the strength index (e.g. Sozialindex "sehr niedrig" = 1) over
  the target areas;
- ``reach``: residents of the target areas with such a need, against ``full_reach``;
- ``spread_municipality`` / ``spread_association``: ``spread.spread_part`` of the funds the
  municipality (association) already received in the period – without this application – against
  its share of need.

Programme rules (limit, required fields, one application per applicant and period) do not add
points: an application that breaks one is marked "nicht förderfähig" and ranked after the others.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from dashboard.formatting import format_count
from dashboard.funding.basis import NeedBasis, area_shares
from dashboard.funding.config import PART_LABELS, PARTS, FundingConfig
from dashboard.funding.spread import Spread, association_of, funded_amount, period_applications, spread

REQUIRED_LABELS = {"titel": "Titel", "antragsteller": "Antragsteller", "verband": "Wohlfahrtsverband",
                   "sozialraeume": "Sozialräume", "felder": "Felder"}
_COLUMN_OF = {"titel": "title", "antragsteller": "applicant", "verband": "association", "sozialraeume": "target",
              "felder": "fields"}


def euro(value: float) -> str:
    """1234.5 -> "1.235 €"."""
    return f"{format_count(round(value))} €"


def percent(value: float) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value * 100:.1f} %".replace(".", ",")


def points(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _names(ids: list[str] | tuple[str, ...], names: dict[str, str]) -> str:
    return ", ".join(f"„{names.get(i, i)}“" for i in ids)


def need_parts(row: pd.Series, basis: NeedBasis, config: FundingConfig) -> dict[str, tuple[float, str]]:
    """fit, strength and reach of one application, each (0..1, German reason)."""
    areas = tuple(row["areas"])
    fields = tuple(row["fields"])
    field_text = (f"im Feld {_names(fields, basis.need_names)}" if len(fields) == 1
                  else f"in einem der Felder {_names(fields, basis.need_names)}")
    if not areas:
        return {p: (0.0, "keine Zielräume") for p in ("fit", "strength", "reach")}
    matched = [a for a in areas if any(a in basis.flags.get(f, frozenset()) for f in fields)]
    undecided = [a for a in areas if a not in matched and any(a in basis.unknown.get(f, frozenset()) for f in fields)]
    fit = len(matched) / len(areas)
    fit_text = (f"{len(matched)} von {len(areas)} Zielräumen mit Gestaltungsbedarf {field_text}"
                f" ({basis.year})")
    if undecided:
        fit_text += f"; {len(undecided)} ohne Entscheidung (keine Daten oder Datenschutz), zählen nicht"
    if basis.strength_index is None:
        strength, strength_text = 0.0, "kein Index für die Bedarfsstärke festgelegt"
    else:
        strength = sum(basis.strength[a] for a in areas) / len(areas)
        labels = Counter(basis.strength_label[a] or "ohne Klasse" for a in areas)
        counted = ", ".join(f"{n}× {label}" for label, n in sorted(labels.items(), key=lambda i: (-i[1], i[0])))
        strength_text = f"{basis.strength_name} in den Zielräumen: {counted} → {points(strength)}"
    residents = basis.residents_in_need(matched)
    reach = min(1.0, residents / config.full_reach) if config.full_reach > 0 else 0.0
    reach_text = (f"{format_count(round(residents))} Einwohner in Zielräumen mit Bedarf "
                  f"(volle Punkte ab {format_count(round(config.full_reach))})")
    return {"fit": (fit, fit_text), "strength": (strength, strength_text), "reach": (reach, reach_text)}


def rule_checks(row: pd.Series, others: pd.DataFrame, config: FundingConfig) -> list[tuple[bool, str]]:
    """Programme rules of one application: (passed, German reason) each."""
    checks: list[tuple[bool, str]] = []
    programme = config.programmes.get(row["programme"])
    limit = None if programme is None else programme.limit
    if limit is not None:
        ok = row["requested"] <= limit
        checks.append((ok, f"Höchstbetrag {euro(limit)} {'eingehalten' if ok else 'überschritten'} "
                           f"(beantragt {euro(row['requested'])})"))
    missing = [REQUIRED_LABELS[c] for c in (programme.required if programme else ())
               if not row[_COLUMN_OF[c]]]
    if missing:
        checks.append((False, f"Pflichtangabe fehlt: {', '.join(missing)}"))
    elif programme is not None and programme.required:
        checks.append((True, "Pflichtangaben vollständig"))
    if config.one_per_applicant and row["applicant"]:
        name = row["applicant"].casefold()
        earlier = [o["application_id"] for o in others.to_dict("records")
                   if o["applicant"].casefold() == name and o["status"] != "abgelehnt" and o["year"] == row["year"]
                   and o["row"] < row["row"]]
        if row["status"] != "abgelehnt" and earlier:
            checks.append((False, f"weiterer Antrag desselben Antragstellers im Förderjahr {row['year']} (zuerst "
                                  f"{', '.join(earlier)})"))
    return checks


def _spread_parts(row: pd.Series, basis: NeedBasis, base: Spread, munis: pd.DataFrame,
                  table: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """Spread parts of one application; ``munis``/``table``: the base spread tables indexed by name."""
    from dashboard.funding.spread import spread_part

    own = funded_amount(row) if row["application_id"] in base.approved else 0.0
    total = base.total - own
    shares = area_shares(tuple(row["areas"]), basis.municipality)
    score, texts = 0.0, []
    for muni, weight in shares.items():
        received = float(munis.at[muni, "amount"]) - own * weight
        need = float(munis.at[muni, "share_need"])
        part = spread_part(received, total, need if need == need else 0.0)
        score += weight * part
        texts.append(f"{munis.at[muni, 'name']}: bisher {euro(received)} = {percent(received / total if total > 0 else 0)}"
                     f" der Mittel, Anteil am Bedarf {percent(need)} → {points(part)}")
    assoc = association_of(row["association"])
    received = float(table.at[assoc, "amount"]) - own if assoc in table.index else 0.0
    need = float(table.at[assoc, "share_need"]) if assoc in table.index else float("nan")
    part_a = spread_part(received, total, need if need == need else 0.0)
    text_a = (f"{assoc}: bisher {euro(received)} = {percent(received / total if total > 0 else 0)} der Mittel, "
              f"Anteil am Bedarf {percent(need)} → {points(part_a)}")
    if total <= 0:
        texts = ["im Zeitraum noch keine Mittel vergeben → 1,00"]
        text_a = texts[0]
    return {"spread_municipality": (score if shares else 1.0, "; ".join(texts) or "keine Zielräume"),
            "spread_association": (part_a, text_a)}


def assess(applications: pd.DataFrame, basis: NeedBasis, year: int, config: FundingConfig) -> pd.DataFrame:
    """The ranked applications of ``year``: score (points), parts, reasons, rule results.

    Columns: rank, application_id, title, applicant, association, programme, municipalities, target,
    fields (names), requested, status, awarded, score, eligible, one column per part (points) and
    ``<part>_reason``, rules (German text), plus ``areas`` and ``field_ids`` for filters and the map.
    """
    period = period_applications(applications, year, config)
    base = spread(applications, basis, year, config)
    muni_table = base.municipalities.set_index("municipality_id")
    assoc_table = base.associations.set_index("association")
    rows = []
    for _, row in period[period["year"] == year].iterrows():
        parts = {**need_parts(row, basis, config), **_spread_parts(row, basis, base, muni_table, assoc_table)}
        checks = rule_checks(row, period, config)
        eligible = all(ok for ok, _ in checks)
        munis = [basis.municipality_names[m] for m in area_shares(tuple(row["areas"]), basis.municipality)]
        out = {
            "application_id": row["application_id"], "title": row["title"], "applicant": row["applicant"],
            "association": association_of(row["association"]), "programme": row["programme"],
            "municipalities": ", ".join(sorted(munis)),
            "target": f"ganz {basis.municipality_names[row['municipality_id']]}" if row["municipality_id"] else ", ".join(
                basis.area_names.get(a, a) for a in row["areas"]),
            "fields": ", ".join(basis.need_names.get(f, f) for f in row["fields"]),
            "requested": float(row["requested"]), "status": row["status"], "awarded": float(row["awarded"]),
            "eligible": eligible,
            "rules": "; ".join(("✓ " if ok else "✗ ") + text for ok, text in checks) or "keine Regeln",
            "areas": tuple(row["areas"]), "field_ids": tuple(row["fields"]),
        }
        for part in PARTS:
            value, reason = parts[part]
            out[part] = round(value * config.weight(part), 2)
            out[f"{part}_reason"] = reason
        out["score"] = round(sum(out[p] for p in PARTS), 1)
        rows.append(out)
    columns = ["application_id", "title", "applicant", "association", "programme", "municipalities", "target",
               "fields", "requested", "status", "awarded", "eligible", "rules", "areas", "field_ids",
               *[c for p in PARTS for c in (p, f"{p}_reason")], "score"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.sort_values(["eligible", "score", "application_id"], ascending=[False, False, True], kind="stable")
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def reason_text(row: pd.Series) -> str:
    """All reasons of one ranked application in one German text (exports, tooltips)."""
    parts = [f"{PART_LABELS[p]} {points(row[p])}: {row[f'{p}_reason']}" for p in PARTS]
    return " | ".join(parts + [f"Regeln: {row['rules']}"])
