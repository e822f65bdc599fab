"""Fixed inputs of the demo region: municipalities, area names, settlement cores, district traits.

Everything here is hand-made configuration. Populations of Aachen's districts and all
deprivation scores are synthetic; they only have to look plausible, not be true.
"""

from __future__ import annotations

from dataclasses import dataclass

AACHEN_AGS = "05334002"


@dataclass(frozen=True)
class MunicipalitySpec:
    """How one municipality outside Aachen is split into synthetic Sozialräume."""

    ags: str
    names: tuple[str, ...]  # first name is the core area; the rest in order of distance
    cores: tuple[tuple[float, float, float], ...]  # (lon, lat, weight) of settlement cores
    core_share: float  # share of sample points concentrated around the cores
    deprivation: float  # municipality level of the latent deprivation score
    rural: bool = False
    tiny: tuple[tuple[str, int], ...] = ()  # areas with a fixed 2022 population (< 300)


#: 59 synthetic areas in the nine municipalities outside Aachen.
MUNICIPALITIES: tuple[MunicipalitySpec, ...] = (
    MunicipalitySpec(
        "05334004",
        ("Alsdorf-Mitte", "Ofden", "Busch", "Kellersberg", "Mariadorf", "Schaufenberg",
         "Begau", "Hoengen/Warden"),
        ((6.164, 50.875, 1.0), (6.195, 50.870, 0.5)),
        0.7, 0.7,
    ),
    MunicipalitySpec(
        "05334008",
        ("Baesweiler-Mitte", "Setterich", "Oidtweiler", "Loverich/Floverich",
         "Puffendorf/Beggendorf"),
        ((6.187, 50.907, 1.0), (6.200, 50.885, 0.7)),
        0.6, 0.4,
    ),
    MunicipalitySpec(
        "05334012",
        ("Eschweiler-Mitte", "Bergrath", "Röhe", "Dürwiß", "Nothberg", "Hastenrath",
         "Kinzweiler", "Weisweiler", "Hehlrath"),
        ((6.263, 50.817, 1.0), (6.320, 50.828, 0.4)),
        0.7, 0.7,
    ),
    MunicipalitySpec(
        "05334016",
        ("Herzogenrath-Mitte", "Straß", "Kohlscheid", "Bierstraß", "Pannesheide",
         "Merkstein", "Noppenberg"),
        ((6.096, 50.869, 1.0), (6.083, 50.834, 0.8), (6.125, 50.893, 0.8)),
        0.7, 0.5,
    ),
    MunicipalitySpec(
        "05334020",
        ("Monschau-Altstadt", "Imgenbroich", "Mützenich", "Konzen", "Höfen", "Kalterherberg"),
        ((6.242, 50.556, 1.0), (6.265, 50.577, 0.8)),
        0.35, -0.6, rural=True,
    ),
    MunicipalitySpec(
        "05334024",
        ("Roetgen-Mitte", "Rott", "Mulartshütte"),
        ((6.200, 50.648, 1.0),),
        0.45, -1.0, rural=True, tiny=(("Mulartshütte", 245),),
    ),
    MunicipalitySpec(
        "05334028",
        ("Simmerath", "Lammersdorf", "Kesternich", "Eicherscheid", "Steckenborn",
         "Rurberg/Einruhr"),
        ((6.300, 50.606, 1.0), (6.276, 50.632, 0.6)),
        0.35, -0.7, rural=True,
    ),
    MunicipalitySpec(
        "05334032",
        ("Stolberg-Altstadt", "Atsch", "Donnerberg", "Büsbach", "Münsterbusch", "Mausbach",
         "Breinig", "Vicht/Zweifall", "Schevenhütte"),
        ((6.231, 50.771, 1.0), (6.215, 50.785, 0.6), (6.270, 50.760, 0.4)),
        0.7, 0.7, tiny=(("Schevenhütte", 272),),
    ),
    MunicipalitySpec(
        "05334036",
        ("Würselen-Mitte", "Morsbach", "Scherberg", "Broichweiden", "Bardenberg", "Euchen"),
        ((6.128, 50.820, 1.0), (6.160, 50.830, 0.6)),
        0.6, 0.4,
    ),
)

#: Display names of the municipalities (DVG2 names, as people say them).
MUNICIPALITY_NAMES: dict[str, str] = {
    "05334002": "Aachen",
    "05334004": "Alsdorf",
    "05334008": "Baesweiler",
    "05334012": "Eschweiler",
    "05334016": "Herzogenrath",
    "05334020": "Monschau",
    "05334024": "Roetgen",
    "05334028": "Simmerath",
    "05334032": "Stolberg (Rhld.)",
    "05334036": "Würselen",
}

#: Aachen statistical districts: synthetic (population weight, deprivation, student share flag).
#: Population weights are scaled to the census total; they are not official figures.
AACHEN_DISTRICTS: dict[str, tuple[int, float, bool]] = {
    "10": (3500, 0.6, True), "13": (4500, 0.5, True), "14": (6500, 0.5, True),
    "15": (8000, 0.9, True), "16": (8000, 0.4, True), "17": (6500, -0.3, False),
    "18": (6000, -0.6, True), "21": (8500, 0.5, True), "22": (7000, 1.2, False),
    "23": (1200, -0.2, False), "24": (9000, 1.8, False), "25": (3500, 1.5, False),
    "31": (6500, 1.4, False), "32": (9500, 2.0, False), "33": (8500, 1.6, False),
    "34": (6500, 2.2, False), "35": (10500, 1.0, False), "36": (8000, 0.8, True),
    "37": (17000, 1.1, False), "41": (9500, 0.2, False), "42": (5500, -0.2, False),
    "43": (6500, 0.0, False), "46": (3500, -1.0, False), "47": (6500, 0.3, True),
    "48": (5500, -0.9, False), "51": (17500, 0.0, False), "52": (16500, 0.3, False),
    "53": (12500, 0.9, False), "61": (6000, -0.6, False), "62": (6500, -1.0, False),
    "63": (7500, -0.5, False), "64": (8500, -0.4, True), "65": (15500, -0.8, False),
    "66": (9000, -0.7, False),
}

#: Aachen districts forming the dense city centre (Aachen-Mitte inside the Alleenring and around).
AACHEN_CENTRAL = frozenset(
    {"10", "13", "14", "15", "16", "21", "22", "24", "31", "32", "33", "35", "36", "42", "43", "47"}
)

#: Yearly population growth per municipality (synthetic trend around the 2022 level).
GROWTH: dict[str, float] = {
    "05334002": 0.003, "05334004": 0.002, "05334008": 0.0, "05334012": 0.002,
    "05334016": 0.0, "05334020": -0.003, "05334024": 0.003, "05334028": -0.002,
    "05334032": 0.0, "05334036": 0.004,
}
