"""Command line: ``python -m dashboard check DIR``, ``table DIR ...``, ``index DIR ...`` and ``export DIR ...``.

Exit codes: 0 success, 1 the bundle has errors (the German problem list goes to stderr),
2 usage errors (argparse's convention). Output is German for people, plain CSV for scripts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from dashboard.bundle import load_bundle
from dashboard.formatting import format_count
from dashboard.model import Bundle
from dashboard.problems import BundleError
from dashboard.publish import HIDDEN_STATUSES, Published, publish
from dashboard.tables import EXPORT_FORMATS, export_table, ranking_table

INDEX_HELP = "Indizes und Gestaltungsbedarfe je Sozialraum ausgeben (indices.toml, bedarfe.toml)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Sozialraum-Monitor: Datenpakete prüfen und Tabellen ausgeben.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="Datenpaket prüfen und zusammenfassen")
    check.add_argument("data_dir", metavar="DIR", type=Path)
    table = sub.add_parser("table", help="Rangtabelle eines Indikators ausgeben")
    table.add_argument("data_dir", metavar="DIR", type=Path)
    table.add_argument("--indicator", required=True, help="Indikator-ID, z. B. SO01")
    table.add_argument("--year", required=True, type=int, help="Jahr, z. B. 2024")
    table.add_argument("--level", choices=("area", "municipality", "region"), default="area")
    table.add_argument("--municipality", action="append", default=None,
                       help="nur diese Kommune (ID); mehrfach möglich")
    table.add_argument("--format", choices=EXPORT_FORMATS, default="csv", dest="fmt")
    table.add_argument("--out", type=Path, default=None, help="Datei statt Standardausgabe")
    index = sub.add_parser("index", help=INDEX_HELP)
    index.add_argument("data_dir", metavar="DIR", type=Path)
    index.add_argument("--year", required=True, type=int, help="Jahr, z. B. 2024")
    index.add_argument("--municipality", action="append", default=None,
                       help="nur diese Kommune (ID); mehrfach möglich")
    index.add_argument("--format", choices=EXPORT_FORMATS, default="csv", dest="fmt")
    index.add_argument("--out", type=Path, default=None, help="Datei statt Standardausgabe")
    export = sub.add_parser("export", help="Karten, Diagramme, Foliensätze oder Tabellen je Indikator schreiben")
    export.add_argument("data_dir", metavar="DIR", type=Path)
    export.add_argument("--indicator", required=True, help="Indikator-ID oder „all“ (alle Indikatoren)")
    export.add_argument("--year", required=True, type=int, help="Jahr, z. B. 2024")
    export.add_argument("--format", choices=("png", "svg", "pdf", "pptx", "xlsx"), default="png", dest="fmt")
    export.add_argument("--view", default="", help="Ansicht als Link-Abfrage, z. B. \"?municipality=05334002\"")
    export.add_argument("--chart", choices=("map", "compare", "series", "ranking"), default="map",
                        help="welches Bild (PNG/SVG/PDF): Karte, Vergleichskarte, Zeitreihe, Rangfolge")
    export.add_argument("--ranking", choices=("top", "table"), default="top",
                        help="Foliensatz: nur höchster/niedrigster Bedarf oder die ganze Rangtabelle")
    export.add_argument("--out", required=True, type=Path, help="Zielordner (oder Datei bei einem Indikator)")
    return parser


def _summary(bundle: Bundle, seconds: float) -> str:
    values = bundle.values
    years = bundle.years
    lines = [
        f"Datenpaket: {bundle.config.title}" + (" (Demodaten)" if bundle.config.synthetic else ""),
        f"Region: {bundle.config.region}",
        f"Kommunen: {bundle.areas['municipality_id'].nunique()}",
        f"Sozialräume: {len(bundle.areas)}",
        f"Indikatoren: {len(bundle.indicators)}",
        f"Themen: {len(bundle.themes)} ({', '.join(bundle.themes)})",
        f"Jahre: {years[0]}–{years[-1]} ({len(years)})" if years else "Jahre: keine",
        f"Werte: {format_count(len(values))}",
        f"Warnungen: {len(bundle.warnings)}",
    ]
    lines += [f"  {w}" for w in bundle.warnings]
    lines.append(f"Ladezeit: {seconds:.2f} s".replace(".", ","))
    return "\n".join(lines)


STATUS_LABELS = {
    "primary": "primär (kleine Fallzahl)",
    "secondary": "sekundär (Schutz vor Rückrechnung)",
    "population": "zu wenige Einwohner",
    "total": "Summen von Kommune/Region",
}


def _privacy_summary(published: Published) -> str:
    """How many cells data protection hides, by rule (the reasons never leave the CLI's summary)."""
    counts = published.cells["status"].value_counts()
    total = int(sum(counts.get(s, 0) for s in HIDDEN_STATUSES))
    parts = [f"{STATUS_LABELS[s]} {format_count(int(counts.get(s, 0)))}" for s in HIDDEN_STATUSES]
    return f"Aus Datenschutzgründen nicht ausgewiesen: {format_count(total)} Zellen ({'; '.join(parts)})"


def _load(data_dir: Path, err: TextIO) -> Bundle | None:
    try:
        return load_bundle(data_dir)
    except BundleError as exc:
        errors = exc.errors
        err.write(f"Das Datenpaket {data_dir} kann nicht geladen werden ({len(errors)} Fehler):\n")
        err.write(exc.report() + "\n")
        return None


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (streams are injectable for tests)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    bundle = _load(args.data_dir, err)
    if bundle is None:
        return 1
    if args.command == "check":
        published = publish(bundle)
        out.write(_summary(bundle, time.perf_counter() - started) + "\n")
        out.write(_privacy_summary(published) + "\n")
        return 0
    published = publish(bundle)
    del bundle  # from here on only published data exists
    if args.command == "index":
        return _index(published, args, out, err)
    if args.command == "export":
        return _export(published, args, err)
    if args.indicator not in set(published.indicators["indicator_id"]):
        err.write(f"Fehler: unbekannter Indikator „{args.indicator}“. Vorhanden: "
                  + ", ".join(published.indicators["indicator_id"]) + "\n")
        return 2
    if args.year not in published.years:
        err.write(f"Fehler: kein Jahr {args.year} im Datenpaket. Vorhanden: "
                  + ", ".join(str(y) for y in published.years) + "\n")
        return 2
    table = ranking_table(published, args.indicator, args.year, args.level, args.municipality)
    data = export_table(table, published, args.indicator, args.fmt)
    if args.out is not None:
        args.out.write_bytes(data)
        err.write(f"{len(table)} Zeilen geschrieben: {args.out}\n")
    elif args.fmt == "xlsx":
        err.write("Fehler: XLSX braucht --out DATEI.\n")
        return 2
    else:
        out.write(data.decode("utf-8"))
    return 0


def _write(data: bytes, rows: int, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.out is not None:
        args.out.write_bytes(data)
        err.write(f"{rows} Zeilen geschrieben: {args.out}\n")
    elif args.fmt == "xlsx":
        err.write("Fehler: XLSX braucht --out DATEI.\n")
        return 2
    else:
        out.write(data.decode("utf-8"))
    return 0


def _index(published: Published, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``index``: one row per area with every index (value, class) and every Gestaltungsbedarf."""
    from dashboard.indices import compute_indices, evaluate_needs, index_years
    from dashboard.indices.table import export_index_table, index_table, need_summary

    if not published.indices and not published.needs:
        err.write(f"Fehler: das Datenpaket {args.data_dir} enthält weder indices.toml noch bedarfe.toml.\n")
        return 2
    if args.year not in published.years:
        err.write(f"Fehler: kein Jahr {args.year} im Datenpaket. Vorhanden: "
                  + ", ".join(str(y) for y in published.years) + "\n")
        return 2
    for spec in published.indices:
        if args.year not in index_years(published, spec):
            err.write(f"Hinweis: {spec.name} ist für {args.year} nicht berechenbar (Veränderung über "
                      f"{spec.change} Jahre braucht das Jahr {args.year - (spec.change or 0)}).\n")
    indices = compute_indices(published, args.year)
    needs = evaluate_needs(published, args.year, indices)
    table = index_table(published, args.year, args.municipality, indices, needs)
    code = _write(export_index_table(table, published, args.year, args.fmt), len(table), args, out, err)
    if code == 0 and published.needs:
        err.write(need_summary(published, needs, args.year) + "\n")
    return code


def _export(published: Published, args: argparse.Namespace, err: TextIO) -> int:
    """``export``: one file per indicator with a progress bar; 0 ok, 1 problems, 2 usage."""
    from tqdm import tqdm

    from dashboard.exports.batch import run_batch
    from dashboard.exports.deck import DeckOptions
    from dashboard.prepared import prepare

    known = list(published.catalogue.ids)
    if args.indicator != "all" and args.indicator not in known:
        err.write(f"Fehler: unbekannter Indikator „{args.indicator}“. Vorhanden: all, " + ", ".join(known) + "\n")
        return 2
    if args.year not in published.years:
        err.write(f"Fehler: kein Jahr {args.year} im Datenpaket. Vorhanden: "
                  + ", ".join(str(y) for y in published.years) + "\n")
        return 2
    indicators = known if args.indicator == "all" else [args.indicator]
    prepared = prepare(published)
    with tqdm(total=len(indicators), desc=f"Export {args.fmt.upper()}", unit="Datei", file=err,
              ncols=80, disable=None) as bar:
        result = run_batch(prepared, indicators, args.year, args.fmt, args.out, args.view, args.chart,
                           DeckOptions(ranking=args.ranking), step=lambda _i: bar.update(1))
    for note in result.skipped + result.failed:
        err.write(f"Hinweis: {note}\n")
    err.write(f"{len(result.written)} Datei(en) geschrieben: {args.out}\n")
    return 1 if result.failed or not result.written else 0
