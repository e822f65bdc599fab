"""Command line: ``python -m dashboard check DIR``, ``table``, ``index``, ``profile``, ``foerderung``, ``export``.

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
from dashboard.counts import describe_links, link_counts
from dashboard.formatting import format_count
from dashboard.model import Bundle
from dashboard.problems import BundleError
from dashboard.publish import HIDDEN_STATUSES, Published, publish
from dashboard.sheets import Metadata, metadata_text, side_file_name
from dashboard.tables import EXPORT_FORMATS, export_table, ranking_table, table_metadata

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
    funding = sub.add_parser("foerderung", help="Anträge eines Förderjahres nach Bedarf bewerten (antraege.csv)")
    funding.add_argument("data_dir", metavar="DIR", type=Path)
    funding.add_argument("--year", required=True, type=int, help="Förderjahr, z. B. 2024")
    funding.add_argument("--format", choices=(*EXPORT_FORMATS, "pptx", "pdf"), default="csv", dest="fmt",
                         help="Rangliste (csv, csv-de, xlsx) oder Kurzbericht für den Ausschuss (pptx, pdf)")
    funding.add_argument("--out", type=Path, default=None, help="Datei statt Standardausgabe")
    profile = sub.add_parser("profile", help="Sozialraumprofil als PDF oder XLSX schreiben")
    profile.add_argument("data_dir", metavar="DIR", type=Path)
    profile.add_argument("--area", required=True, help="Sozialraum-ID, z. B. 05334002-10")
    profile.add_argument("--year", type=int, default=None, help="Jahr (Standard: das neueste)")
    profile.add_argument("--format", choices=("pdf", "xlsx"), default="pdf", dest="fmt")
    profile.add_argument("--out", type=Path, required=True, help="Zieldatei")
    export = sub.add_parser("export", help="Karten, Diagramme, Foliensätze oder Tabellen je Indikator schreiben")
    export.add_argument("data_dir", metavar="DIR", type=Path)
    export.add_argument("--indicator", required=True, help="Indikator-ID oder „all“ (alle Indikatoren)")
    export.add_argument("--year", required=True, type=int, help="Jahr, z. B. 2024")
    export.add_argument("--format", choices=("png", "svg", "pdf", "pptx", "xlsx"), default="png", dest="fmt")
    export.add_argument("--view", default="", help="Ansicht als Link-Abfrage, z. B. \"?municipality=05334002\"")
    export.add_argument("--chart", choices=("map", "compare", "series", "ranking", "profile"), default="map",
                        help="welches Bild (PNG/SVG/PDF): Karte, Vergleichskarte, Zeitreihe, Rangfolge oder "
                             "Sozialraumprofil (je ausgewähltem Sozialraum der --view und Thema des Indikators)")
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
    if bundle.applications is not None:  # internal working data: counted, never listed here
        apps = bundle.applications
        lines.insert(-1, f"Anträge (intern): {len(apps)} in {apps['year'].min()}–{apps['year'].max()}")
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
        links = link_counts(bundle.indicators, bundle.values, bundle.config.privacy.sums)
        out.write("\n".join(describe_links(links)) + "\n")
        return 0
    published = publish(bundle)
    del bundle  # from here on only published data exists
    if args.command == "index":
        return _index(published, args, out, err)
    if args.command == "foerderung":
        return _funding(published, args, out, err)
    if args.command == "profile":
        return _profile(published, args, err)
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
    data = export_table(table, published, args.indicator, args.fmt, year=args.year, level=args.level)
    meta = table_metadata(table, published, args.indicator, args.year, args.level)
    return _write(data, len(table), meta, args, out, err)


def _write(data: bytes, rows: int, meta: Metadata, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write to ``--out`` (a plain CSV gets its metadata as a side file) or to stdout."""
    if args.out is not None:
        args.out.write_bytes(data)
        err.write(f"{rows} Zeilen geschrieben: {args.out}\n")
        if args.fmt == "csv":
            side = args.out.with_name(side_file_name(args.out.name))
            side.write_text(metadata_text(meta), encoding="utf-8")
            err.write(f"Metadaten (Quelle, Datenschutz): {side}\n")
    elif args.fmt == "xlsx":
        err.write("Fehler: XLSX braucht --out DATEI.\n")
        return 2
    else:
        out.write(data.decode("utf-8"))
    return 0


def _index(published: Published, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``index``: one row per area with every index (value, class) and every Gestaltungsbedarf."""
    from dashboard.indices import compute_indices, evaluate_needs, index_years
    from dashboard.indices.table import export_index_table, index_metadata, index_table, need_summary

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
    data = export_index_table(table, published, args.year, args.fmt)
    code = _write(data, len(table), index_metadata(table, published, args.year), args, out, err)
    if code == 0 and published.needs:
        err.write(need_summary(published, needs, args.year) + "\n")
    return code


def _funding(published: Published, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``foerderung``: the ranked applications of one year (scores, parts, reasons); spread on stderr."""
    from dashboard.funding import evaluate, funding_years
    from dashboard.funding.export import export_ranking
    from dashboard.funding.text import spread_summary

    if published.applications is None:
        err.write(f"Fehler: das Datenpaket {args.data_dir} enthält keine Anträge (antraege.csv oder antraege.xlsx).\n")
        return 2
    years = funding_years(published)
    if args.year not in years:
        err.write(f"Fehler: keine Anträge für {args.year}. Vorhanden: " + ", ".join(str(y) for y in years) + "\n")
        return 2
    if args.fmt in ("pptx", "pdf"):
        return _funding_report(published, args, err)
    result = evaluate(published, args.year)
    meta = [("Tabelle", f"Förderanträge {args.year}, nach Punkten"), ("Datenpaket", published.config.title),
            ("Hinweis", "Interne Arbeitsdaten – nicht veröffentlichen.")]
    code = _write(export_ranking(result.ranked, args.fmt), len(result.ranked), meta, args, out, err)
    if code == 0:
        err.write(spread_summary(result) + "\n")
    return code


def _funding_report(published: Published, args: argparse.Namespace, err: TextIO) -> int:
    """``foerderung --format pptx|pdf``: the committee's short report of the year (decided statuses)."""
    from dashboard.exports.funding_deck import build_funding_deck
    from dashboard.exports.funding_pdf import build_funding_pdf
    from dashboard.funding.summary import summary_for
    from dashboard.prepared import prepare
    from dashboard.profile_files import ProfileFileError

    if args.out is None:
        err.write(f"Fehler: {args.fmt.upper()} braucht --out DATEI (z. B. --out Foerderung_{args.year}_Kurzbericht."
                  f"{args.fmt}).\n")
        return 2
    if not args.out.parent.is_dir():
        err.write(f"Fehler: der Ordner {args.out.parent} existiert nicht.\n")
        return 1
    prepared = prepare(published)
    summary = summary_for(published, args.year)
    build = build_funding_deck if args.fmt == "pptx" else build_funding_pdf
    try:
        data, _name = build(summary, prepared.geometry, symbol=published.symbol)
    except ProfileFileError as error:
        err.write(f"Fehler: {error}\n")
        return 1
    except Exception as error:  # noqa: BLE001 - the map renderer (a browser) can fail
        err.write(f"Fehler: der Kurzbericht kann nicht erstellt werden (Kartenbild: {type(error).__name__}).\n")
        return 1
    if not _write_file(args.out, data, err):
        return 1
    err.write(f"Kurzbericht {summary.title} ({len(summary.ranked.rows)} Anträge) geschrieben: {args.out}\n")
    return 0


def _write_file(path: Path, data: bytes, err: TextIO) -> bool:
    """Write ``data`` to ``path``; on failure say why in German and return False (exit 1)."""
    try:
        path.write_bytes(data)
    except OSError as error:
        err.write(f"Fehler: {path} kann nicht geschrieben werden ({error.strerror}).\n")
        return False
    return True


def _profile(published: Published, args: argparse.Namespace, err: TextIO) -> int:
    """``profile``: the Sozialraumprofil of one area as the app's PDF or XLSX download."""
    from dashboard.prepared import prepare
    from dashboard.profile import area_profile
    from dashboard.profile_files import ProfileFileError, area_pdf, area_xlsx

    area_ids = [str(a) for a in published.areas["area_id"]]
    if args.area not in area_ids:
        err.write(f"Fehler: unbekannter Sozialraum „{args.area}“ im Datenpaket {args.data_dir}. "
                  f"Beispiele: {', '.join(area_ids[:5])}\n")
        return 2
    if args.year is not None and args.year not in published.years:
        err.write(f"Fehler: kein Jahr {args.year} im Datenpaket. Vorhanden: "
                  + ", ".join(str(y) for y in published.years) + "\n")
        return 2
    prepared = prepare(published)
    profile = area_profile(prepared, args.area, args.year)
    try:
        data = area_pdf(profile, prepared.geometry) if args.fmt == "pdf" else area_xlsx(profile)
    except ProfileFileError as error:
        err.write(f"Fehler: {error}\n")
        return 1
    if not _write_file(args.out, data, err):
        return 1
    hidden = f", {profile.hidden_cells} Werte mit {profile.symbol} (Datenschutz)" if profile.hidden_cells else ""
    err.write(f"Sozialraumprofil {profile.name} {profile.year} geschrieben: {args.out}{hidden}\n")
    return 0


def _export(published: Published, args: argparse.Namespace, err: TextIO) -> int:
    """``export``: one file per indicator with a progress bar; 0 ok, 1 problems, 2 usage."""
    from tqdm import tqdm

    from dashboard.exports.batch import PROFILE_CHART, profile_jobs, run_batch
    from dashboard.exports.deck import DeckOptions
    from dashboard.exports.images import IMAGE_FORMATS
    from dashboard.prepared import prepare

    prepared = prepare(published)  # with the declared indices as indicators "index:<id>"
    known = list(prepared.catalogue.ids)
    if args.indicator != "all" and args.indicator not in known:
        err.write(f"Fehler: unbekannter Indikator „{args.indicator}“. Vorhanden: all, " + ", ".join(known) + "\n")
        return 2
    if args.year not in published.years:
        err.write(f"Fehler: kein Jahr {args.year} im Datenpaket. Vorhanden: "
                  + ", ".join(str(y) for y in published.years) + "\n")
        return 2
    indicators = known if args.indicator == "all" else [args.indicator]
    total = len(indicators)
    if args.chart == PROFILE_CHART and args.fmt in IMAGE_FORMATS:
        total = len(profile_jobs(prepared, indicators, args.view))
        if not total:
            err.write("Fehler: --chart profile braucht ausgewählte Sozialräume, z. B. "
                      "--view \"?areas=05334002-10,05334002-22\".\n")
            return 2
    with tqdm(total=total, desc=f"Export {args.fmt.upper()}", unit="Datei", file=err,
              ncols=80, disable=None) as bar:
        result = run_batch(prepared, indicators, args.year, args.fmt, args.out, args.view, args.chart,
                           DeckOptions(ranking=args.ranking), step=lambda _i: bar.update(1))
    for note in result.skipped + result.failed:
        err.write(f"Hinweis: {note}\n")
    err.write(f"{len(result.written)} Datei(en) geschrieben: {args.out}\n")
    return 1 if result.failed or not result.written else 0
