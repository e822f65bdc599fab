"""Synthetic indicator values: a latent deprivation score drives consistent, nested counts.

Every count is an integer drawn per area and year, most by binomial draws from a population
that is itself a count, so hierarchies hold by construction (U3 ≤ U15 ≤ U18 ≤ EW, SGB-II
children ≤ U15 and ≤ SGB-II persons, 80+ ≤ 65+, ...). Rates follow a logistic model of the
area's deprivation score, an area effect and a year curve; the binomial draw adds the noise,
which is large exactly where the counts are small.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.demo.catalogue import CATALOGUE

YEARS = tuple(range(2016, 2025))
#: Internal years: five more before the first output year for 5-year changes and pooling.
ALL_YEARS = np.arange(2011, 2025)
SEU_FIRST_YEAR = 2018
GE02_FIRST_YEAR = 2020
GE03_MISSING_YEAR = 2021

#: Logit offsets of the labour market over time (Ukraine refugees join SGB II from mid-2022).
_ECONOMY = dict(zip(range(2011, 2025),
                    (0.10, 0.08, 0.08, 0.07, 0.06, 0.06, 0.03, -0.02, -0.06, -0.02, -0.04, 0.03, 0.08, 0.09),
                    strict=True))
#: Logit offsets of asylum seekers over time (2015/16 and 2022/23 arrivals).
_ASYLUM = dict(zip(range(2011, 2025),
                   (-0.8, -0.6, -0.4, 0.0, 0.6, 0.7, 0.3, 0.1, 0.0, -0.1, -0.1, 0.1, 0.3, 0.3),
                   strict=True))


@dataclass(frozen=True)
class AreaTraits:
    """Per-area inputs of the value model (arrays aligned with the areas table)."""

    municipality_id: np.ndarray
    population_2022: np.ndarray  # int
    deprivation: np.ndarray  # smooth latent score, about -1.5 … 2.5
    urban: np.ndarray  # 0 (village) … 1 (inner city)
    student: np.ndarray  # bool: student quarter
    rural: np.ndarray  # bool: Eifel municipality
    rent_base: np.ndarray  # €/m² in 2022
    growth: np.ndarray  # yearly growth of the municipality


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class _Model:
    """Holds the random generator and the (area, year) grid while the counts are drawn."""

    def __init__(self, traits: AreaTraits, rng: np.random.Generator) -> None:
        self.t = traits
        self.rng = rng
        self.n = len(traits.population_2022)
        self.dt = (ALL_YEARS - 2022)[None, :].astype(float)
        self.d = traits.deprivation[:, None]
        self.u = traits.urban[:, None]
        self.s = traits.student[:, None].astype(float)
        self.r = traits.rural[:, None].astype(float)

    def effect(self, sd: float) -> np.ndarray:
        """Return a fixed area effect (column vector)."""
        return self.rng.normal(0.0, sd, size=(self.n, 1))

    def jitter(self, sd: float) -> np.ndarray:
        """Return independent noise per area and year."""
        return self.rng.normal(0.0, sd, size=(self.n, len(ALL_YEARS)))

    def rate(self, base: float, slope: float = 0.0, area_sd: float = 0.15, **terms: float) -> np.ndarray:
        """Logistic rate: logit(base) + slope·(t−2022) + area effect + Σ coefficient·trait."""
        x = _logit(base) + slope * self.dt + self.effect(area_sd)
        traits = {"d": self.d, "u": self.u, "s": self.s, "r": self.r}
        for name, coef in terms.items():
            if name in traits:
                x = x + coef * traits[name]
            else:  # a named year curve
                curve = {"econ": _ECONOMY, "asyl": _ASYLUM}[name]
                x = x + coef * np.array([curve[y] for y in ALL_YEARS])[None, :]
        return np.broadcast_to(_sigmoid(x), (self.n, len(ALL_YEARS)))

    def binom(self, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        """Binomial draw per cell, as int64."""
        return self.rng.binomial(np.maximum(n, 0), np.clip(p, 0.0, 1.0)).astype(np.int64)


def _population(m: _Model) -> np.ndarray:
    """Residents per area and year, exactly ``population_2022`` in 2022."""
    t = m.t
    slope = m.rng.normal(0.0, 0.004, size=(m.n, 1))
    steps = m.rng.normal(0.0, 0.003, size=(m.n, len(ALL_YEARS)))
    i22 = int(np.where(ALL_YEARS == 2022)[0][0])
    walk = np.cumsum(steps, axis=1)
    walk = walk - walk[:, [i22]]
    bump = np.where(ALL_YEARS < 2016, -0.006, 0.0) + np.where(ALL_YEARS < 2022, -0.008, 0.0)
    factor = np.exp(t.growth[:, None] * m.dt + slope * m.dt + walk + bump[None, :])
    factor[:, i22] = 1.0
    return np.rint(t.population_2022[:, None] * factor).astype(np.int64)


def _clip_share(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.clip(x, lo, hi)


def draw_counts(traits: AreaTraits, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Return every count (and the value-only series) on the (area, ALL_YEARS) grid."""
    m = _Model(traits, rng)
    d, u, s, r, dt = m.d, m.u, m.s, m.r, m.dt
    c: dict[str, np.ndarray] = {}
    ew = _population(m)
    c["ew"] = ew
    # --- age structure (shares drift slowly; counts nest by construction)
    a65 = _clip_share(0.205 + 0.05 * r - 0.07 * s + 0.03 * (u < 0.5) - 0.012 * d + m.effect(0.018)
                      + 0.0015 * dt + m.jitter(0.002), 0.10, 0.36)
    u18 = _clip_share(0.165 - 0.05 * s + 0.012 * (1 - u) + 0.01 * d + m.effect(0.012)
                      + 0.0006 * dt + m.jitter(0.002), 0.09, 0.26)
    r80 = _clip_share(0.31 + m.effect(0.03) + 0.004 * dt, 0.2, 0.45)
    s1824 = _clip_share(0.075 + 0.11 * s + 0.015 * u + m.effect(0.01), 0.04, 0.3)
    n65 = np.rint(ew * a65).astype(np.int64)
    n80 = np.rint(n65 * r80).astype(np.int64)
    n18 = np.rint(ew * u18).astype(np.int64)
    n15 = np.rint(n18 * _clip_share(0.83 + m.jitter(0.006), 0.78, 0.88)).astype(np.int64)
    n5 = np.rint(n15 * _clip_share(0.335 + m.jitter(0.01), 0.28, 0.4)).astype(np.int64)
    n3 = np.rint(n5 * _clip_share(0.6 + m.jitter(0.015), 0.52, 0.68)).astype(np.int64)
    n1824 = np.rint(ew * s1824).astype(np.int64)
    c.update(n65=n65, n80=n80, n18=n18, n15=n15, n5=n5, n3=n3)
    c["n21"] = n18 + np.rint(n1824 * 3 / 7).astype(np.int64)
    c["n1564"] = ew - n65 - n15
    c["n1864"] = ew - n65 - n18
    c["n1524"] = (n18 - n15) + n1824
    c["under65"] = ew - n65
    c["n5plus"] = ew - n5
    # --- households
    size = _clip_share(2.1 + 0.28 * (1 - u) - 0.35 * s - 0.05 * d + m.effect(0.05) - 0.005 * dt,
                       1.55, 2.6)
    hh = np.rint(ew / size).astype(np.int64)
    hh1 = m.binom(hh, m.rate(0.40, 0.004, 0.08, s=0.8, u=0.4, r=-0.4))
    hhk = np.minimum(np.rint(n18 / _clip_share(1.65 + m.effect(0.05), 1.4, 1.9)).astype(np.int64),
                     hh - hh1)
    c.update(hh=hh, hh1=hh1, hhk=hhk)
    # --- migration background and moves
    foreign = m.binom(ew, m.rate(0.08, 0.03, 0.15, d=0.45, s=0.6, u=0.7, r=0.4))
    c["foreign"] = foreign
    c["migr"] = foreign + m.binom(ew - foreign, m.rate(0.12, 0.01, 0.1, d=0.35, u=0.3))
    c["migr18"] = m.binom(n18, np.minimum(0.95, c["migr"] / ew * 1.35))
    p_in = _clip_share(0.06 + 0.09 * s + 0.025 * u + 0.008 * d + m.effect(0.008), 0.03, 0.22)
    c["moves_in"] = m.binom(ew, p_in)
    c["moves_out"] = m.binom(ew, _clip_share(p_in - traits.growth[:, None] + m.jitter(0.003), 0.02, 0.22))
    c["stayers"] = m.binom(c["n5plus"], m.rate(0.62, 0.0, 0.08, s=-0.9, d=-0.15, r=0.35))
    # --- SGB II and other minimum benefits
    elb = m.binom(c["n1564"], m.rate(0.062, 0.0, 0.15, d=0.72, r=-0.3, econ=1.0))
    kid = m.binom(n15, m.rate(0.13, 0.0, 0.15, d=0.8, r=-0.3, econ=1.0))
    u3_kid = np.minimum(m.binom(kid, np.minimum(1.0, n3 / np.maximum(n15, 1) * 1.15)), n3)
    other = m.binom(elb, 0.04)
    c.update(elb=elb, kid_sgb2=kid, u3_sgb2=u3_kid)
    c["sgb2"] = np.minimum(elb + kid + other, c["under65"])
    alo2 = m.binom(elb, m.rate(0.37, 0.0, 0.1, d=0.15))
    alo3 = m.binom(c["n1564"] - elb, m.rate(0.017, 0.0, 0.1, d=0.2, econ=1.5))
    alo = alo2 + alo3
    c.update(alo2=alo2, alo=alo)
    c["lza"] = m.binom(alo, m.rate(0.38, 0.0, 0.12, d=0.2))
    c["alo_u25"] = np.minimum(m.binom(alo, m.rate(0.09, 0.0, 0.15, s=-0.3)), c["n1524"])
    c["svb"] = m.binom(c["n1564"], m.rate(0.60, 0.012, 0.08, d=-0.3, s=-1.0))
    c["grusi65"] = m.binom(n65, m.rate(0.026, 0.04, 0.2, d=0.7, u=0.3))
    c["grusi_em"] = m.binom(c["n1864"], m.rate(0.011, 0.02, 0.15, d=0.5))
    hlu = m.binom(ew, m.rate(0.0015, 0.0, 0.2, d=0.5))
    hotspot = np.zeros((m.n, 1))
    eligible = np.flatnonzero(traits.population_2022 > 1500)
    hotspot[rng.choice(eligible, size=9, replace=False)] = 2.6
    c["asyl"] = m.binom(ew, m.rate(0.0012, 0.0, 0.3, d=0.3, asyl=1.0) * np.exp(hotspot))
    c["transfer"] = (c["sgb2"] - alo2) + c["grusi65"] + c["grusi_em"] + hlu
    c["minsich"] = c["sgb2"] + c["grusi65"] + c["grusi_em"] + hlu + c["asyl"]
    # --- children, youth, families
    sp = m.binom(hhk, m.rate(0.19, 0.005, 0.12, d=0.5, u=0.25))
    c["single_parents"] = sp
    c["sp_sgb2"] = m.binom(sp, m.rate(0.36, 0.0, 0.12, d=0.5, econ=1.0))
    c["sp_kids"] = np.minimum(sp + m.binom(sp, 0.55), n18)
    c["large_fam"] = m.binom(hhk, m.rate(0.11, 0.0, 0.15, d=0.3, r=0.2))
    c["hze"] = m.binom(c["n21"], m.rate(0.014, 0.02, 0.2, d=0.45))
    c["kita_u3"] = m.binom(n3, m.rate(0.30, 0.07, 0.15, d=-0.3, u=0.3))
    c["transitions"] = m.binom(n15, 1 / 14)
    c["gym"] = m.binom(c["transitions"], m.rate(0.45, 0.0, 0.15, d=-0.7, s=0.4))
    c["leavers"] = m.binom(n18, 1 / 17)
    c["no_degree"] = m.binom(c["leavers"], m.rate(0.05, 0.0, 0.15, d=0.5))
    # --- housing
    living = _clip_share(42 + 5 * (1 - u) - 3.5 * d + 2 * r - 5 * s + m.effect(1.5) + 0.15 * dt
                         + m.jitter(0.1), 27, 60)
    c["living_m2"] = np.rint(ew * living).astype(np.int64)
    rooms = _clip_share(1.95 + 0.25 * (1 - u) - 0.14 * d + m.effect(0.05) + 0.004 * dt + m.jitter(0.004),
                        1.4, 2.7)
    c["rooms"] = np.rint(ew * rooms).astype(np.int64)
    c["dwellings"] = np.rint(hh * 1.04).astype(np.int64)
    c["subsidised"] = m.binom(c["dwellings"], m.rate(0.06, -0.03, 0.3, d=0.8, r=-0.7))
    reform = np.where(ALL_YEARS >= 2023, 0.65, 0.0)[None, :]  # Wohngeld-Plus 2023
    c["wohngeld"] = m.binom(hh, m.rate(0.022, -0.02, 0.15, d=0.55) * np.exp(reform))
    c["noisy"] = m.binom(ew, m.rate(0.10, 0.0, 0.3, d=0.8, u=0.9, r=-0.8))
    c["homeless"] = m.binom(ew, m.rate(0.0007, 0.06, 0.3, d=0.6, u=0.9))
    green = _clip_share(18 + 16 * (1 - u) + m.effect(5.0) + m.jitter(0.2), 3, 70)
    c["green_m2"] = np.rint(ew * green).astype(np.int64)
    # --- disability
    c["sb65"] = m.binom(n65, m.rate(0.22, 0.005, 0.1, d=0.25))
    c["sb"] = c["sb65"] + m.binom(ew - n65, m.rate(0.045, 0.005, 0.1, d=0.3))
    c["egh"] = m.binom(ew, m.rate(0.0045, 0.03, 0.2, d=0.45))
    c["pupils"] = m.binom(n18 - n5, 0.93)
    c["les"] = m.binom(c["pupils"], m.rate(0.055, 0.0, 0.15, d=0.45))
    # --- health (school entry: one cohort is about a fifth of the under-5s)
    ex = m.binom(n5, 0.2 * 0.97)
    c["examined"] = ex
    covid = np.where(ALL_YEARS == 2021, 0.18, 0.0)[None, :]
    c["overweight"] = m.binom(ex, m.rate(0.085, 0.0, 0.15, d=0.45) * np.exp(covid))
    c["language"] = m.binom(ex, m.rate(0.22, 0.02, 0.15, d=0.6, u=0.3))
    c["visuomotor"] = m.binom(ex, m.rate(0.16, 0.0, 0.15, d=0.3))
    booklet = m.binom(ex, 0.94)
    c["booklet"] = booklet
    c["u8u9"] = m.binom(booklet, m.rate(0.90, 0.0, 0.15, d=-0.5))
    vacc_card = m.binom(ex, 0.92)
    c["vacc_card"] = vacc_card
    c["measles2"] = m.binom(vacc_card, m.rate(0.93, 0.04, 0.15, d=-0.3))
    c["caries_free"] = m.binom(ex, m.rate(0.62, 0.01, 0.12, d=-0.5))
    c["care65"] = m.binom(n65, m.rate(0.15, 0.05, 0.1, d=0.2))
    c["deaths_u65"] = m.binom(c["under65"], m.rate(0.0022, -0.01, 0.1, d=0.35))
    # --- value-only series
    rent = traits.rent_base[:, None] * 1.035 ** dt + m.jitter(0.06)
    c["rent"] = rent
    return c


def _pooled(x: np.ndarray, years: int) -> np.ndarray:
    """Sum over the current and the previous ``years - 1`` years (NaN-free; first years partial)."""
    out = np.zeros_like(x)
    for k in range(years):
        out[:, k:] += x[:, : x.shape[1] - k]
    return out


def _definitions(c: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray] | np.ndarray]:
    """Map indicator ids to (numerator, denominator) or to a value series."""
    ew = c["ew"]
    prev5 = np.full(ew.shape, np.nan)
    prev5[:, 5:] = ew[:, :-5]
    return {
        "SD01": ew.astype(float),
        "SD02": (ew - prev5) / prev5 * 100,
        "SD03": (c["n18"], ew), "SD04": (c["n65"], ew), "SD05": (c["n80"], ew),
        "SD06": (c["n18"], c["n1864"]), "SD07": (c["n65"], c["n1864"]),
        "SD08": (c["foreign"], ew), "SD09": (c["migr"], ew), "SD10": (c["migr18"], c["n18"]),
        "SD11": (c["moves_in"] + c["moves_out"], ew),
        "SD12": (c["moves_in"] - c["moves_out"]) / ew * 100,
        "SD14": (c["stayers"], c["n5plus"]), "SD15": (c["hh1"], c["hh"]),
        "SO01": (c["sgb2"], c["under65"]), "SO02": (c["elb"], c["n1564"]),
        "SO03": (c["alo"], c["n1564"]), "SO04": (c["alo2"], c["n1564"]),
        "SO05": (c["lza"], c["alo"]), "SO06": (c["alo_u25"], c["n1524"]),
        "SO07": (c["svb"], c["n1564"]), "SO08": (c["transfer"], ew), "SO09": (c["minsich"], ew),
        "SO10": (c["grusi65"], c["n65"]), "SO11": (c["asyl"], ew),
        "KJ01": (c["kid_sgb2"], c["n15"]), "KJ02": (c["u3_sgb2"], c["n3"]),
        "KJ03": (c["single_parents"], c["hhk"]), "KJ04": (c["sp_sgb2"], c["single_parents"]),
        "KJ05": (c["sp_kids"], c["n18"]), "KJ06": (c["large_fam"], c["hhk"]),
        "KJ07": (c["hze"], c["n21"]), "KJ08": (c["kita_u3"], c["n3"]),
        "KJ09": (c["gym"], c["transitions"]), "KJ10": (c["no_degree"], c["leavers"]),
        "WO01": (c["living_m2"], ew), "WO02": (c["rooms"], ew),
        "WO03": (c["subsidised"], c["dwellings"]), "WO04": (c["wohngeld"], c["hh"]),
        "WO05": (c["noisy"], ew), "WO06": (c["homeless"], ew), "WO07": (c["green_m2"], ew),
        "WO09": c["rent"],
        "BH01": (c["sb"], ew), "BH02": (c["sb65"], c["n65"]), "BH03": (c["egh"], ew),
        "BH04": (c["grusi_em"], c["n1864"]), "BH05": (c["les"], c["pupils"]),
        "GE01": (c["overweight"], c["examined"]),
        "GE02": (_pooled(c["language"], 3), _pooled(c["examined"], 3)),
        "GE03": (c["visuomotor"], c["examined"]), "GE04": (c["u8u9"], c["booklet"]),
        "GE05": (c["measles2"], c["vacc_card"]), "GE06": (c["care65"], c["n65"]),
        "GE07": (_pooled(c["deaths_u65"], 5), _pooled(c["under65"], 5)),
        "GE08": (c["caries_free"], c["examined"]),
    }


def _first_year(indicator_id: str) -> int:
    if indicator_id == "GE02":
        return GE02_FIRST_YEAR
    if indicator_id.startswith("GE") and indicator_id not in ("GE06", "GE07"):
        return SEU_FIRST_YEAR
    return YEARS[0]


def _nullable(counts: np.ndarray) -> pd.arrays.IntegerArray:
    """Turn counts with -1 for "absent" into a nullable integer array."""
    counts = counts.astype(np.int64)
    return pd.arrays.IntegerArray(np.maximum(counts, 0), counts < 0)


def build_values(
    area_ids: list[str],
    traits: AreaTraits,
    rng: np.random.Generator,
    only: Collection[str] | None = None,
    years: Collection[int] | None = None,
) -> pd.DataFrame:
    """Return the long values table (area_id, indicator_id, year, value, numerator, denominator).

    Rows are ordered by area, catalogue order and year. Counts are nullable integers; cells whose
    denominator is zero are left out (no value exists). ``only`` and ``years`` restrict the output
    (the synthetic bundles use a subset); every count is still drawn, so the demo stays identical.
    """
    counts = draw_counts(traits, rng)
    defs = _definitions(counts)
    n = len(area_ids)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("area", "ind", "year", "value", "num", "den")}
    for k, ind in enumerate(CATALOGUE):
        if only is not None and ind.indicator_id not in only:
            continue
        series = defs[ind.indicator_id]
        for j, year in enumerate(ALL_YEARS):
            if years is not None and int(year) not in years:
                continue
            if year < _first_year(ind.indicator_id) or (ind.indicator_id == "GE03" and year == GE03_MISSING_YEAR):
                continue
            if isinstance(series, tuple):
                num, den = series[0][:, j], series[1][:, j]
                keep = np.flatnonzero(den > 0)
                value = num[keep] / den[keep] * float(ind.scale or 1.0)
                num, den = num[keep], den[keep]
            else:
                keep = np.arange(n)
                value, num, den = series[:, j], np.full(n, -1), np.full(n, -1)
            cols["area"].append(keep)
            cols["ind"].append(np.full(len(keep), k))
            cols["year"].append(np.full(len(keep), int(year)))
            cols["value"].append(value)
            cols["num"].append(num)
            cols["den"].append(den)
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.lexsort((flat["year"], flat["ind"], flat["area"]))
    flat = {k: v[order] for k, v in flat.items()}
    ids = np.array([ind.indicator_id for ind in CATALOGUE])
    return pd.DataFrame({
        "area_id": np.array(area_ids)[flat["area"]],
        "indicator_id": ids[flat["ind"]],
        "year": flat["year"],
        "value": np.round(flat["value"].astype(float), 4),
        "numerator": _nullable(flat["num"]),
        "denominator": _nullable(flat["den"]),
    })
