"""What the funding page shows, computed without Dash: grid rows, filter options, the need map's
``MapView``, the funds circles and the spread tables as German text.

The page is internal (applicant data): nothing here is used by a public page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.funding.assess import euro, percent, points, reason_text
from dashboard.funding.basis import NeedBasis
from dashboard.funding.config import PART_LABELS, PARTS, PROGRAMMES, STATUSES
from dashboard.funding.spread import Spread, default_approved, period_applications
from dashboard.funding.text import per_resident
from dashboard.geometry import PreparedGeometry
from dashboard.mapview import LegendEntry, MapView
from dashboard.palettes import class_colours

FILTER_KEYS = ("programme", "status", "municipality", "association", "field")
#: Largest circle radius on the map (px), for the largest amount per area.
MAX_RADIUS = 14.0
MIN_RADIUS = 3.0
NEED_PALETTE = "ylorbr"


def filter_options(ranked: pd.DataFrame, basis: NeedBasis) -> dict[str, list[dict[str, str]]]:
    """Dropdown options per filter key (values are what ``filter_rows`` compares)."""
    munis = sorted({m for text in ranked["municipalities"] for m in text.split(", ") if m}, key=str.casefold)
    assocs = sorted(set(ranked["association"]), key=str.casefold)
    return {
        "programme": [{"label": p, "value": p} for p in PROGRAMMES],
        "status": [{"label": s, "value": s} for s in STATUSES],
        "municipality": [{"label": m, "value": m} for m in munis],
        "association": [{"label": a, "value": a} for a in assocs],
        "field": [{"label": name, "value": nid} for nid, name in basis.need_names.items()],
    }


def filter_rows(ranked: pd.DataFrame, chosen: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """The ranked rows matching every non-empty filter (values of ``filter_options``)."""
    mask = pd.Series(True, index=ranked.index)
    for key in FILTER_KEYS:
        wanted = {str(v) for v in chosen.get(key, ()) or ()}
        if not wanted:
            continue
        if key == "programme":
            mask &= ranked["programme"].isin(wanted)
        elif key == "status":
            mask &= ranked["status"].isin(wanted)
        elif key == "association":
            mask &= ranked["association"].isin(wanted)
        elif key == "municipality":
            mask &= ranked["municipalities"].map(lambda t, w=wanted: bool(set(t.split(", ")) & w))
        else:
            mask &= ranked["field_ids"].map(lambda f, w=wanted: bool(set(f) & w))
    return ranked[mask]


def grid_rows(ranked: pd.DataFrame) -> list[dict]:
    """Rows of the ranked grid: numbers as numbers, German texts beside them, reasons as tooltip."""
    rows = []
    for _, r in ranked.iterrows():
        row = {
            "id": r["application_id"], "rank": int(r["rank"]), "score": float(r["score"]),
            "title": r["title"], "applicant": r["applicant"], "association": r["association"],
            "programme": r["programme"], "municipality": r["municipalities"], "target": r["target"],
            "fields": r["fields"], "requested": float(r["requested"]), "requested_text": euro(r["requested"]),
            "status": r["status"], "awarded_text": euro(r["awarded"]) if r["status"] == "bewilligt" else "",
            "eligible": "ja" if r["eligible"] else "nein", "rules": r["rules"],
            "score_text": f"{r['score']:.1f}".replace(".", ","), "reasons": reason_text(r),
        }
        for part in PARTS:
            row[part] = float(r[part])
            row[f"{part}_text"] = points(r[part])
            row[f"{part}_reason"] = r[f"{part}_reason"]
        rows.append(row)
    return rows


def year_default(applications: pd.DataFrame, year: int) -> list[str]:
    """The ids ticked when the page opens: the applications of ``year`` with status bewilligt."""
    in_year = applications[applications["year"] == year]
    return sorted(default_approved(in_year))


def whatif_ids(applications: pd.DataFrame, year: int, config, ticked: Iterable[str]) -> set[str]:
    """Approved set for the what-if: earlier years of the period as decided, the year as ticked."""
    period = period_applications(applications, year, config)
    earlier = period[period["year"] != year]
    in_year = set(applications.loc[applications["year"] == year, "application_id"])
    return default_approved(earlier) | ({str(t) for t in ticked} & in_year)


def need_view(basis: NeedBasis, geometry: PreparedGeometry, field: str | None = None) -> MapView:
    """The need map under the funds: one field (flagged or not), else the number of flagged fields."""
    order = list(geometry.area_ids)
    if field in basis.flags:
        name = basis.need_names.get(field, field)
        flagged, unknown = basis.flags[field], basis.unknown[field]
        colours = ["#f7f7f7", "#ec7014"]
        codes = [1 if a in flagged else (2 if a in unknown else 0) for a in order]
        labels = ["kein Gestaltungsbedarf", "Gestaltungsbedarf"]
        title = f"Gestaltungsbedarf „{name}“ ({basis.year})"
        values: list[float | None] = [1.0 if c == 1 else 0.0 if c == 0 else None for c in codes]
    else:
        counts = [sum(a in f for f in basis.flags.values()) for a in order]
        undecided = [any(a in u for u in basis.unknown.values()) for a in order]
        top = max(1, min(3, len(basis.flags)))
        colours = ["#f7f7f7", *class_colours(top, NEED_PALETTE)]
        codes = [min(n, top) if (n or not u) else top + 1 for n, u in zip(counts, undecided, strict=True)]
        labels = ["kein Gestaltungsbedarf"] + [f"{i} Feld" if i == 1 else (f"{i} Felder" if i < top else
                                                                             f"{i} und mehr Felder")
                                               for i in range(1, top + 1)]
        title = f"Gestaltungsbedarfe je Sozialraum ({basis.year})"
        values = [float(n) if c <= top else None for n, c in zip(counts, codes, strict=True)]
    k = len(colours)
    legend = [LegendEntry(lbl, col, sum(c == i for c in codes)) for i, (lbl, col) in enumerate(zip(labels, colours,
                                                                                                    strict=True))]
    missing = sum(c == k for c in codes)
    if missing:
        legend.append(LegendEntry("nicht entscheidbar (keine Daten oder Datenschutz)", "#f2f2f2", missing, "hatch"))
    return MapView(
        indicator_id=field or "", year=basis.year, codes=codes, colours=[*colours, "#f2f2f2", "#a6a6a6", "#ffffff"],
        values=values, ranks=[None] * len(order), legend=legend, legend_title=title, selected=[],
        hidden_count=0, missing_count=missing, title=title, subtitle="", caption="", short_caption="",
        unit="Felder" if field not in basis.flags else "", decimals=0, k=k,
    )


def need_texts(basis: NeedBasis, geometry: PreparedGeometry, field: str | None = None) -> list[str]:
    """The map tooltip's line per area: which fields carry a Gestaltungsbedarf there."""
    out = []
    for area in geometry.area_ids:
        if field in basis.flags:
            name = basis.need_names.get(field, field)
            state = ("ja" if area in basis.flags[field] else "nicht entscheidbar" if area in basis.unknown[field]
                     else "nein")
            out.append(f"Gestaltungsbedarf „{name}“: {state}")
            continue
        names = [basis.need_names.get(f, f) for f, flagged in basis.flags.items() if area in flagged]
        out.append("Gestaltungsbedarf: " + (", ".join(names) if names else "keiner"))
    return out


def circles(result: Spread, basis: NeedBasis, geometry: PreparedGeometry) -> list[dict]:
    """One marker per area with funds: centre, radius ∝ √amount (area true to the sum), tooltip text."""
    amounts = result.areas.set_index("area_id")
    biggest = max(float(amounts["awarded"].max()), float(amounts["requested"].max()), 1.0)
    out = []
    for area in geometry.area_ids:
        if area not in amounts.index or area not in geometry.marker_lat:
            continue
        awarded, asked = float(amounts.at[area, "awarded"]), float(amounts.at[area, "requested"])
        if awarded <= 0 and asked <= 0:
            continue
        out.append({
            "area_id": area, "lat": geometry.marker_lat[area], "lon": geometry.marker_lon[area],
            "awarded_radius": radius(awarded, biggest), "requested_radius": radius(asked, biggest),
            "text": f"{basis.area_names.get(area, area)}: bewilligt {euro(awarded)}, beantragt {euro(asked)}",
        })
    return out


def radius(amount: float, biggest: float) -> float:
    if amount <= 0:
        return 0.0
    return max(MIN_RADIUS, MAX_RADIUS * math.sqrt(amount / biggest))


def spread_rows(frame: pd.DataFrame, name_column: str) -> list[dict[str, str]]:
    """A spread table as German text cells (for the page)."""
    return [{
        "name": str(r[name_column]), "amount": euro(r["amount"]), "share_funds": percent(r["share_funds"]),
        "share_need": percent(r["share_need"]), "residents": f"{round(r['residents_in_need']):,}".replace(",", "."),
        "per_resident": per_resident(r["per_resident"]),
        "over": bool(r["share_funds"] == r["share_funds"] and r["share_need"] == r["share_need"]
                     and r["share_funds"] > r["share_need"]),
    } for _, r in frame.iterrows()]


def summary_text(result: Spread, year: int, period_years: int) -> str:
    first = year - period_years + 1
    period = f"{first}–{year}" if first != year else str(year)
    return (f"Bewilligt {period}: {euro(result.total)} für {len(result.approved)} Anträge · Bedarfsdeckung "
            f"{percent(result.coverage)} der Einwohner in Sozialräumen mit Gestaltungsbedarf")


PART_HEADERS = {p: PART_LABELS[p] for p in PARTS}
