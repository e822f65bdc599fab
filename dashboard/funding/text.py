"""German plain-text summaries of the spread (CLI, closing notes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.formatting import format_count
from dashboard.funding.assess import euro, percent

if TYPE_CHECKING:
    from dashboard.funding import FundingResult


def per_resident(value: float) -> str:
    return "–" if value != value else f"{value:.2f} €".replace(".", ",")


def spread_lines(frame, name_column: str, label: str) -> list[str]:
    width = max([len(label)] + [len(str(n)) for n in frame[name_column]])
    lines = [f"{label:<{width}}  {'Mittel':>11}  {'Anteil':>7}  {'Bedarf':>7}  {'Einw. m. Bedarf':>15}  {'€/Einw.':>8}"]
    for _, row in frame.iterrows():
        lines.append(f"{row[name_column]:<{width}}  {euro(row['amount']):>11}  {percent(row['share_funds']):>7}  "
                     f"{percent(row['share_need']):>7}  {format_count(round(row['residents_in_need'])):>15}  "
                     f"{per_resident(row['per_resident']):>8}")
    return lines


def spread_summary(result: FundingResult) -> str:
    """The spread tables of the period as aligned German text."""
    s, cfg = result.spread, result.config
    first = result.year - cfg.period_years + 1
    period = f"{first}–{result.year}" if first != result.year else str(result.year)
    lines = [f"Bewilligte Mittel {period}: {euro(s.total)} ({len(s.approved)} Anträge); Bedarfsdeckung "
             f"{percent(s.coverage)} der Einwohner mit Bedarf (Datenjahr {result.basis.year})", ""]
    lines += spread_lines(s.municipalities, "name", "Kommune") + [""]
    lines += spread_lines(s.associations, "association", "Wohlfahrtsverband")
    return "\n".join(lines)
