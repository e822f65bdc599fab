"""Builds a bundle folder from a Berlin MSS reference table (placeholder squares keyed by PLR_ID).

The engine is configured only through the ``indices.toml`` written here; the CSV may be replaced
by another MSS table of the same layout via the environment variable ``MSS_REFERENCE_CSV``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

MSS_CSV = Path(os.environ.get("MSS_REFERENCE_CSV")
               or Path(__file__).resolve().parents[1] / "data" / "mss-berlin-2021" / "mss_2021.csv")
YEAR = 2020  # residents and indicators refer to 31.12.2020

STATUS_LABELS = ("hoch", "mittel", "niedrig", "sehr niedrig")
DYNAMICS_LABELS = ("positiv", "stabil", "negativ")


def read_mss(path: Path = MSS_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def index_columns(table: pd.DataFrame, letter: str) -> list[str]:
    """The index indicator columns of one index (S1, S3, S4 or D1, D3, D4), as the table has them."""
    return [c for c in table.columns if re.fullmatch(rf"{letter}\d+", c)]


def _square(i: int) -> dict:
    x, y = 13.0 + (i % 30) * 0.01, 52.3 + (i // 30) * 0.01
    ring = [[x, y], [x + 0.009, y], [x + 0.009, y + 0.009], [x, y + 0.009], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


INDICES_TOML = """\
# Berlin MSS 2021, configured as the README states the method.
[[index]]
id = "status"
name = "Statusindex"
indicators = [{status}]
method = "zsum"
classes = [-1.0, 1.0, 1.5]
labels = ["hoch", "mittel", "niedrig", "sehr niedrig"]
boundary = "inner"   # -1 and 1 are "mittel", 1.5 is "niedrig"

[[index]]
id = "dynamik"
name = "Dynamikindex"
indicators = [{dynamics}]   # already changes over two years: plain inputs, no `change`
method = "zsum"
classes = [-1.0, 1.0]
labels = ["positiv", "stabil", "negativ"]
boundary = "inner"
"""


def write_mss_bundle(folder: Path, table: pd.DataFrame | None = None, indices_toml: str | None = None) -> Path:
    """Write areas.geojson, indicators.csv, values.csv, bundle.toml and indices.toml."""
    table = read_mss() if table is None else table
    folder.mkdir(parents=True, exist_ok=True)
    features = [{
        "type": "Feature",
        "properties": {"area_id": r.PLR_ID, "area_name": r.PLR_NAME, "municipality_id": r.PLR_ID[:2],
                       "municipality_name": f"Bezirk {r.PLR_ID[:2]}"},
        "geometry": _square(i),
    } for i, r in enumerate(table.itertuples(index=False))]
    (folder / "areas.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                                          encoding="utf-8")
    status, dynamics = index_columns(table, "S"), index_columns(table, "D")
    rows = ["indicator_id,name,theme,unit,polarity,description,source,decimals,aggregation",
            "EW,Einwohner,Soziodemografie,Personen,0,Einwohner 31.12.,MSS,0,sum"]
    rows += [f"{c},MSS-Indikator {c},Sozioökonomie,%,1,MSS-Indexindikator {c},MSS,5,none" for c in status + dynamics]
    (folder / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    values = ["area_id,indicator_id,year,value,numerator,denominator"]
    for r in table.itertuples(index=False):
        for c in ["EW", *status, *dynamics]:
            v = getattr(r, c)
            if v != "":
                values.append(f"{r.PLR_ID},{c},{YEAR},{v},,")
    (folder / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
    (folder / "bundle.toml").write_text(
        'title = "MSS Berlin 2021"\nregion = "Berlin"\n'
        'attribution = "Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin, MSS 2021 (dl-de/by-2-0)"\n'
        # The MSS rates have no counts (no primary suppression); the population rule stays at the
        # project's default 300, which the MSS applies too: every assessed PLR has more residents.
        '[privacy]\nmin_population = 300\npopulation_indicator = "EW"\n', encoding="utf-8")
    quoted = lambda cols: ", ".join(f'"{c}"' for c in cols)  # noqa: E731
    text = indices_toml if indices_toml is not None else INDICES_TOML.format(
        status=quoted(status), dynamics=quoted(dynamics))
    (folder / "indices.toml").write_text(text, encoding="utf-8")
    return folder
