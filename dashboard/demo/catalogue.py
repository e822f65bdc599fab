"""Indicator catalogue of the demo bundle (ids, definitions and polarity from indikatoren.md)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.model import DEFAULT_THEMES

#: The six themes of the StädteRegion's reports, in report order.
THEMES = DEFAULT_THEMES
SD, SO, KJ, WO, BH, GE = THEMES

#: Indicators whose cells need at least five cases (stricter than the default of three).
SENSITIVE = ("KJ07", "WO06", "BH03")


@dataclass(frozen=True)
class IndicatorDef:
    """One row of indicators.csv; ``scale`` links counts and value (value = num / den * scale)."""

    indicator_id: str
    name: str
    theme: str
    unit: str
    polarity: int
    description: str
    source: str
    numerator_label: str = ""
    denominator_label: str = ""
    decimals: int = 1
    aggregation: str = "sum"
    scale: float | None = 100.0  # None: value only, no counts

    @property
    def numerator_key(self) -> str:
        """Count key of the numerator (of the value, for a pure count such as Einwohner)."""
        if self.indicator_id in PURE_COUNT_KEYS:
            return PURE_COUNT_KEYS[self.indicator_id]
        return COUNT_KEYS.get(self.numerator_label, "")

    @property
    def denominator_key(self) -> str:
        return COUNT_KEYS.get(self.denominator_label, "")


_EW = "Einwohner (Hauptwohnsitz)"
_DEMO = " (Demodaten)"

#: Counts published by more than one indicator (by their label): numerator_key/denominator_key
#: in indicators.csv, so that data protection treats them as one count (docs/privacy.md).
COUNT_KEYS = {
    _EW: "EW",
    "Einwohner unter 3 Jahren": "EW_U3",
    "Einwohner unter 15 Jahren": "EW_U15",
    "Einwohner unter 18 Jahren": "EW_U18",
    "Einwohner 15 bis 64 Jahre": "EW_15_64",
    "Einwohner 18 bis 64 Jahre": "EW_18_64",
    "Einwohner ab 65 Jahren": "EW_65PLUS",
    "Arbeitslose": "ALO",
    "Haushalte": "HH",
    "Haushalte mit Kindern": "HH_KINDER",
    "Alleinerziehenden-Haushalte": "HH_ALLEINERZ",
    "Untersuchte Kinder": "SEU_UNTERSUCHT",
}
PURE_COUNT_KEYS = {"SD01": "EW"}
#: Declared additive relations between counts ([privacy.sums] in bundle.toml): the age groups
#: add up to the population, so each age group follows from the other two.
SUMS = (
    ("EW", ("EW_U18", "EW_18_64", "EW_65PLUS")),
    ("EW", ("EW_U15", "EW_15_64", "EW_65PLUS")),
)


CATALOGUE: tuple[IndicatorDef, ...] = (
    # Soziodemografie
    IndicatorDef("SD01", "Einwohner", SD, "Personen", 0, "Einwohnerinnen und Einwohner mit Hauptwohnsitz am 31.12.",
       "Einwohnermelderegister" + _DEMO, decimals=0, scale=None),
    IndicatorDef("SD02", "Bevölkerungsentwicklung 5 Jahre", SD, "%", 0,
       "Veränderung der Einwohnerzahl gegenüber dem Stand fünf Jahre zuvor",
       "Einwohnermelderegister" + _DEMO, aggregation="none", scale=None),
    IndicatorDef("SD03", "Anteil unter 18-Jährige", SD, "%", 0, "Einwohner unter 18 Jahren je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Einwohner unter 18 Jahren", _EW),
    IndicatorDef("SD04", "Anteil ab 65-Jährige", SD, "%", 0, "Einwohner ab 65 Jahren je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Einwohner ab 65 Jahren", _EW),
    IndicatorDef("SD05", "Anteil ab 80-Jährige", SD, "%", 1, "Hochaltrige ab 80 Jahren je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Einwohner ab 80 Jahren", _EW),
    IndicatorDef("SD06", "Jugendquotient", SD, "je 100 EW 18–64", 0,
       "Unter 18-Jährige je 100 Einwohner im Alter von 18 bis 64 Jahren",
       "Einwohnermelderegister" + _DEMO, "Einwohner unter 18 Jahren", "Einwohner 18 bis 64 Jahre"),
    IndicatorDef("SD07", "Altenquotient", SD, "je 100 EW 18–64", 0,
       "Ab 65-Jährige je 100 Einwohner im Alter von 18 bis 64 Jahren",
       "Einwohnermelderegister" + _DEMO, "Einwohner ab 65 Jahren", "Einwohner 18 bis 64 Jahre"),
    IndicatorDef("SD08", "Ausländeranteil", SD, "%", 0, "Einwohner ohne deutsche Staatsangehörigkeit je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Ausländische Einwohner", _EW),
    IndicatorDef("SD09", "Einwohner mit Einwanderungsgeschichte", SD, "%", 0,
       "Ausländer, Eingebürgerte und Aussiedler sowie deren Kinder je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Einwohner mit Einwanderungsgeschichte", _EW),
    IndicatorDef("SD10", "Minderjährige mit Einwanderungsgeschichte", SD, "%", 0,
       "Unter 18-Jährige mit Einwanderungsgeschichte je 100 unter 18-Jährige",
       "Einwohnermelderegister" + _DEMO, "Unter 18-Jährige mit Einwanderungsgeschichte",
       "Einwohner unter 18 Jahren"),
    IndicatorDef("SD11", "Wanderungsvolumen", SD, "je 100 EW", 1,
       "Zu- und Fortzüge über die Grenze des Sozialraums im Jahr je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, "Zuzüge und Fortzüge", _EW),
    IndicatorDef("SD12", "Wanderungssaldo", SD, "je 100 EW", 0,
       "Zuzüge abzüglich Fortzüge im Jahr je 100 Einwohner",
       "Einwohnermelderegister" + _DEMO, decimals=2, aggregation="mean_weighted", scale=None),
    IndicatorDef("SD14", "Wohndauer mindestens 5 Jahre", SD, "%", -1,
       "Einwohner, die seit mindestens fünf Jahren an ihrer Adresse wohnen, je 100 Einwohner ab 5 Jahren",
       "Einwohnermelderegister" + _DEMO, "Einwohner mit Wohndauer ≥ 5 Jahre", "Einwohner ab 5 Jahren"),
    IndicatorDef("SD15", "Einpersonenhaushalte", SD, "%", 0, "Einpersonenhaushalte je 100 Haushalte",
       "Haushaltegenerierung aus dem Melderegister" + _DEMO, "Einpersonenhaushalte", "Haushalte"),
    # Sozioökonomie
    IndicatorDef("SO01", "SGB-II-Quote", SO, "%", 1,
       "Personen in Bedarfsgemeinschaften nach SGB II je 100 Einwohner unter 65 Jahren "
       "(vereinfacht für: unter der Regelaltersgrenze)",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Personen in Bedarfsgemeinschaften",
       "Einwohner unter 65 Jahren"),
    IndicatorDef("SO02", "eLb-Quote 15–64", SO, "%", 1,
       "Erwerbsfähige Leistungsberechtigte nach SGB II (15–64) je 100 Einwohner von 15 bis 64 Jahren",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Erwerbsfähige Leistungsberechtigte",
       "Einwohner 15 bis 64 Jahre"),
    IndicatorDef("SO03", "Arbeitslosenanteil", SO, "%", 1,
       "Arbeitslose (SGB II und SGB III) je 100 Einwohner von 15 bis 64 Jahren (keine Arbeitslosenquote)",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Arbeitslose", "Einwohner 15 bis 64 Jahre"),
    IndicatorDef("SO04", "Arbeitslose im SGB II", SO, "%", 1,
       "Arbeitslose im Rechtskreis SGB II je 100 Einwohner von 15 bis 64 Jahren",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Arbeitslose SGB II", "Einwohner 15 bis 64 Jahre"),
    IndicatorDef("SO05", "Langzeitarbeitslose", SO, "%", 1,
       "Arbeitslose, die seit mindestens zwölf Monaten arbeitslos sind, je 100 Arbeitslose",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Langzeitarbeitslose", "Arbeitslose"),
    IndicatorDef("SO06", "Jugendarbeitslosigkeit", SO, "%", 1,
       "Arbeitslose unter 25 Jahren je 100 Einwohner von 15 bis 24 Jahren",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Arbeitslose unter 25 Jahren",
       "Einwohner 15 bis 24 Jahre"),
    IndicatorDef("SO07", "Beschäftigtenquote", SO, "%", -1,
       "Sozialversicherungspflichtig Beschäftigte am Wohnort je 100 Einwohner von 15 bis 64 Jahren",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Sozialversicherungspflichtig Beschäftigte",
       "Einwohner 15 bis 64 Jahre"),
    IndicatorDef("SO08", "Transferbezug", SO, "%", 1,
       "Nicht arbeitslose Leistungsbeziehende nach SGB II sowie Leistungsbeziehende nach SGB XII "
       "je 100 Einwohner",
       "Bundesagentur für Arbeit, Sozialamt" + _DEMO, "Leistungsbeziehende ohne Arbeitslose", _EW),
    IndicatorDef("SO09", "Mindestsicherungsquote", SO, "%", 1,
       "Leistungsbeziehende nach SGB II, SGB XII (3. und 4. Kapitel) und AsylbLG je 100 Einwohner",
       "Bundesagentur für Arbeit, Sozialamt" + _DEMO, "Empfänger von Mindestsicherungsleistungen", _EW),
    IndicatorDef("SO10", "Altersarmut (Grundsicherung 65+)", SO, "%", 1,
       "Empfänger von Grundsicherung im Alter (SGB XII, 4. Kapitel) ab 65 Jahren je 100 Einwohner ab 65",
       "Sozialamt" + _DEMO, "Empfänger Grundsicherung im Alter", "Einwohner ab 65 Jahren"),
    IndicatorDef("SO11", "AsylbLG-Quote", SO, "%", 1,
       "Empfänger von Regelleistungen nach dem Asylbewerberleistungsgesetz je 100 Einwohner",
       "Sozialamt" + _DEMO, "Empfänger AsylbLG", _EW, decimals=2),
    # Kinder, Jugend und Familie
    IndicatorDef("KJ01", "Kinderarmut unter 15", KJ, "%", 1,
       "Unter 15-Jährige in SGB-II-Bedarfsgemeinschaften je 100 unter 15-Jährige",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Unter 15-Jährige im SGB II",
       "Einwohner unter 15 Jahren"),
    IndicatorDef("KJ02", "Armut unter 3", KJ, "%", 1,
       "Unter 3-Jährige in SGB-II-Bedarfsgemeinschaften je 100 unter 3-Jährige",
       "Statistik der Bundesagentur für Arbeit" + _DEMO, "Unter 3-Jährige im SGB II",
       "Einwohner unter 3 Jahren"),
    IndicatorDef("KJ03", "Alleinerziehende", KJ, "%", 1,
       "Haushalte von Alleinerziehenden je 100 Haushalte mit minderjährigen Kindern",
       "Haushaltegenerierung aus dem Melderegister" + _DEMO, "Alleinerziehenden-Haushalte",
       "Haushalte mit Kindern"),
    IndicatorDef("KJ04", "Alleinerziehende im SGB II", KJ, "%", 1,
       "Alleinerziehenden-Bedarfsgemeinschaften je 100 Alleinerziehenden-Haushalte",
       "Bundesagentur für Arbeit, Melderegister" + _DEMO, "Alleinerziehende im SGB II",
       "Alleinerziehenden-Haushalte"),
    IndicatorDef("KJ05", "Kinder von Alleinerziehenden", KJ, "%", 1,
       "Unter 18-Jährige in Alleinerziehenden-Haushalten je 100 unter 18-Jährige",
       "Haushaltegenerierung aus dem Melderegister" + _DEMO, "Kinder in Alleinerziehenden-Haushalten",
       "Einwohner unter 18 Jahren"),
    IndicatorDef("KJ06", "Kinderreiche Familien", KJ, "%", 0,
       "Haushalte mit drei und mehr minderjährigen Kindern je 100 Haushalte mit Kindern",
       "Haushaltegenerierung aus dem Melderegister" + _DEMO, "Haushalte mit ≥ 3 Kindern",
       "Haushalte mit Kindern"),
    IndicatorDef("KJ07", "Hilfen zur Erziehung", KJ, "je 100 U21", 1,
       "Laufende Hilfen zur Erziehung nach §§ 27–35 SGB VIII (ohne § 28) je 100 Einwohner unter 21 "
       "Jahren; sensibel, Mindestfallzahl 5",
       "Jugendamt" + _DEMO, "Hilfen zur Erziehung (Fälle)", "Einwohner unter 21 Jahren"),
    IndicatorDef("KJ08", "Betreuungsquote unter 3", KJ, "%", -1,
       "Unter 3-Jährige in Kindertageseinrichtungen und Kindertagespflege je 100 unter 3-Jährige",
       "Jugendamt" + _DEMO, "Betreute unter 3-Jährige", "Einwohner unter 3 Jahren"),
    IndicatorDef("KJ09", "Übergangsquote Gymnasium", KJ, "%", -1,
       "Übergänge von Klasse 4 auf ein Gymnasium je 100 Übergänge auf weiterführende Schulen",
       "Schulstatistik" + _DEMO, "Übergänge auf ein Gymnasium", "Übergänge insgesamt"),
    IndicatorDef("KJ10", "Schulabgänger ohne Abschluss", KJ, "%", 1,
       "Schulabgängerinnen und -abgänger ohne Hauptschulabschluss je 100 Abgänger (nach Wohnort)",
       "Schulstatistik" + _DEMO, "Abgänger ohne Abschluss", "Schulabgänger"),
    # Wohnen
    IndicatorDef("WO01", "Wohnfläche je Einwohner", WO, "m²", -1,
       "Wohnfläche in Wohngebäuden je Einwohner (Zähler: Wohnfläche in m²)",
       "Gebäude- und Wohnungsfortschreibung" + _DEMO, "Wohnfläche (m²)", _EW, scale=1.0),
    IndicatorDef("WO02", "Wohnräume je Einwohner", WO, "Räume", -1,
       "Wohnräume einschließlich Küche je Einwohner (Zähler: Zahl der Räume)",
       "Gebäude- und Wohnungsfortschreibung" + _DEMO, "Wohnräume", _EW, decimals=2, scale=1.0),
    IndicatorDef("WO03", "Geförderter Wohnraum", WO, "%", 0,
       "Öffentlich geförderte Mietwohnungen je 100 Wohnungen",
       "Wohnungsbauförderung" + _DEMO, "Geförderte Wohnungen", "Wohnungen"),
    IndicatorDef("WO04", "Wohngeldquote", WO, "%", 1, "Haushalte mit Wohngeld je 100 Haushalte",
       "Wohngeldstelle" + _DEMO, "Wohngeldhaushalte", "Haushalte"),
    IndicatorDef("WO05", "Einfache Wohnlage mit Lärmbelastung", WO, "%", 1,
       "Einwohner in einfacher Wohnlage mit Verkehrslärm je 100 Einwohner",
       "Mietspiegel, Lärmkartierung" + _DEMO, "Einwohner in einfacher, lauter Lage", _EW),
    IndicatorDef("WO06", "Untergebrachte Wohnungslose", WO, "je 1.000 EW", 1,
       "Ordnungsrechtlich untergebrachte wohnungslose Personen je 1.000 Einwohner; sensibel, "
       "Mindestfallzahl 5",
       "Ordnungsamt, Sozialamt" + _DEMO, "Untergebrachte Wohnungslose", _EW, decimals=2, scale=1000.0),
    IndicatorDef("WO07", "Grünfläche je Einwohner", WO, "m²", -1,
       "Öffentliche Grün- und Parkanlagen je Einwohner (Zähler: Fläche in m²)",
       "Grünflächenamt" + _DEMO, "Öffentliche Grünfläche (m²)", _EW, decimals=1, scale=1.0),
    IndicatorDef("WO09", "Angebotsmiete", WO, "€/m²", 1,
       "Mittlere Angebotsmiete (netto kalt) je m² Wohnfläche aus Inseraten",
       "Marktdaten" + _DEMO, decimals=2, aggregation="mean_weighted", scale=None),
    # Menschen mit Behinderungen
    IndicatorDef("BH01", "Schwerbehindertenquote", BH, "%", 1,
       "Schwerbehinderte Menschen (GdB ≥ 50) je 100 Einwohner",
       "Schwerbehindertenstatistik" + _DEMO, "Schwerbehinderte Menschen", _EW),
    IndicatorDef("BH02", "Schwerbehinderte ab 65", BH, "%", 1,
       "Schwerbehinderte Menschen ab 65 Jahren je 100 Einwohner ab 65 Jahren",
       "Schwerbehindertenstatistik" + _DEMO, "Schwerbehinderte ab 65 Jahren", "Einwohner ab 65 Jahren"),
    IndicatorDef("BH03", "Eingliederungshilfe", BH, "je 1.000 EW", 1,
       "Leistungsberechtigte der Eingliederungshilfe (SGB IX Teil 2) je 1.000 Einwohner; sensibel, "
       "Mindestfallzahl 5",
       "Träger der Eingliederungshilfe (LVR)" + _DEMO, "Leistungsberechtigte Eingliederungshilfe", _EW,
       scale=1000.0),
    IndicatorDef("BH04", "Grundsicherung bei Erwerbsminderung", BH, "%", 1,
       "Empfänger von Grundsicherung bei Erwerbsminderung (SGB XII, 4. Kapitel) von 18 bis 64 Jahren "
       "je 100 Einwohner dieses Alters",
       "Sozialamt" + _DEMO, "Empfänger Grundsicherung bei Erwerbsminderung", "Einwohner 18 bis 64 Jahre",
       decimals=2),
    IndicatorDef("BH05", "Förderbedarf Lernen, Sprache, Emotionale Entwicklung", BH, "%", 1,
       "Schülerinnen und Schüler mit sonderpädagogischem Förderbedarf in den Schwerpunkten Lernen, "
       "Sprache oder Emotionale und soziale Entwicklung je 100 Schüler (nach Wohnort)",
       "Schulstatistik" + _DEMO, "Schüler mit Förderbedarf LES", "Schülerinnen und Schüler"),
    # Gesundheit
    IndicatorDef("GE01", "Übergewicht bei Einschulung", GE, "%", 1,
       "Kinder mit Übergewicht (BMI über dem 90. Perzentil) je 100 untersuchte Kinder; ab 2018",
       "Schuleingangsuntersuchung" + _DEMO, "Kinder mit Übergewicht", "Untersuchte Kinder"),
    IndicatorDef("GE02", "Sprachförderbedarf bei Einschulung", GE, "%", 1,
       "Kinder mit Sprachförderbedarf je 100 untersuchte Kinder, drei Einschulungsjahrgänge gepoolt; "
       "ab 2020",
       "Schuleingangsuntersuchung" + _DEMO, "Kinder mit Sprachförderbedarf (3 Jahrgänge)",
       "Untersuchte Kinder (3 Jahrgänge)"),
    IndicatorDef("GE03", "Visuomotorische Auffälligkeiten", GE, "%", 1,
       "Kinder mit auffälligem Befund in der Visuomotorik je 100 untersuchte Kinder; ab 2018, "
       "2021 pandemiebedingt nicht erhoben",
       "Schuleingangsuntersuchung" + _DEMO, "Kinder mit auffälligem Befund", "Untersuchte Kinder"),
    IndicatorDef("GE04", "Teilnahme U8/U9", GE, "%", -1,
       "Kinder mit vollständiger Früherkennungsuntersuchung U8 und U9 je 100 Kinder mit vorgelegtem "
       "Vorsorgeheft; ab 2018",
       "Schuleingangsuntersuchung" + _DEMO, "Kinder mit U8 und U9", "Kinder mit Vorsorgeheft"),
    IndicatorDef("GE05", "Masern-Impfquote (2 Dosen)", GE, "%", -1,
       "Kinder mit zweiter Masernimpfung je 100 Kinder mit vorgelegtem Impfausweis; ab 2018",
       "Schuleingangsuntersuchung" + _DEMO, "Kinder mit 2 Masernimpfungen", "Kinder mit Impfausweis"),
    IndicatorDef("GE06", "Pflegebedürftige ab 65", GE, "%", 1,
       "Pflegebedürftige ab 65 Jahren (Pflegegrad 1–5) je 100 Einwohner ab 65 Jahren",
       "Pflegestatistik, Pflegekassen" + _DEMO, "Pflegebedürftige ab 65 Jahren", "Einwohner ab 65 Jahren"),
    IndicatorDef("GE07", "Vorzeitige Sterblichkeit", GE, "je 100.000 EW", 1,
       "Sterbefälle unter 65 Jahren je 100.000 Einwohner unter 65 Jahren, fünf Jahre gepoolt",
       "Todesursachenstatistik, Gesundheitsamt" + _DEMO, "Sterbefälle unter 65 (5 Jahre)",
       "Personenjahre unter 65 (5 Jahre)", decimals=0, scale=100_000.0),
    IndicatorDef("GE08", "Kariesfreie Gebisse bei Einschulung", GE, "%", -1,
       "Kinder mit naturgesundem Gebiss je 100 untersuchte Kinder; ab 2018",
       "Zahnärztlicher Dienst des Gesundheitsamts" + _DEMO, "Kinder mit kariesfreiem Gebiss",
       "Untersuchte Kinder"),
)
