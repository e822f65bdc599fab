"""Command line: ``python -m dashboard.demo [--out DIR] [--src DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.demo.generate import DEFAULT_OUT, DEFAULT_SRC, generate_bundle


def main(argv: list[str] | None = None) -> int:
    """Generate the demo bundle and print a short summary."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.demo",
                                     description="Erzeugt das Demo-Datenpaket StädteRegion Aachen.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Zielordner")
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC,
                        help="Ordner mit den Geodaten-Quellen (geodata-src)")
    parser.add_argument("--applications-only", action="store_true",
                        help="nur antraege.csv und foerderung.toml aus der vorhandenen areas.geojson neu schreiben")
    args = parser.parse_args(argv)
    if args.applications_only:
        from dashboard.demo.applications import write_demo_applications

        write_demo_applications(args.out)
        return 0
    summary = generate_bundle(args.out, args.src)
    print(f"{summary.out}: {summary.municipalities} Kommunen, {summary.areas} Sozialräume, "  # noqa: T201
          f"{summary.indicators} Indikatoren, {summary.values} Werte")
    for name, size in summary.sizes.items():
        print(f"  {name}: {size / 1024:.0f} KiB")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
