"""What a user can choose in one bundle: valid choices for ``ViewState`` and dropdown options."""

from __future__ import annotations

from dashboard.publish import Published
from dashboard.state import Choices


def indicator_years(published: Published) -> dict[str, tuple[int, ...]]:
    """Per indicator the years in which at least one area has a value or a hidden cell.

    A year without any area cell cannot be picked (its map would be empty), so titles and the year
    control name only years that hold data.
    """
    c = published.cells
    areas = c[(c["level"] == "area") & (c["status"] != "missing")]
    years = areas.groupby("indicator_id")["year"].unique()
    return {str(i): tuple(sorted(int(y) for y in ys)) for i, ys in years.items()}


def view_choices(published: Published) -> Choices:
    """Valid indicators, years, areas and municipalities; the default is the bundle's
    ``default_indicator`` or the first share/rate (never a count) in its latest year."""
    catalogue = published.catalogue
    per_indicator = indicator_years(published)
    all_years = tuple(int(y) for y in published.years)
    default = catalogue.default_id(published.config.default_indicator)
    default_years = per_indicator.get(default) or all_years
    return Choices(
        indicators=catalogue.ids,
        years=all_years,
        areas=frozenset(str(a) for a in published.areas["area_id"]),
        municipalities=frozenset(str(m) for m in published.municipalities["municipality_id"]),
        default_indicator=default,
        default_year=int(max(default_years)),
        indicator_years={i: per_indicator.get(i, ()) for i in catalogue.ids},
    )


def theme_of(published: Published, indicator_id: str) -> str:
    return published.catalogue[indicator_id].theme


def indicator_options(published: Published, theme: str) -> list[dict]:
    """Dropdown options of one theme's indicators (label = German name)."""
    return [{"label": i.name, "value": i.id} for i in published.catalogue.in_theme(theme)]


def all_indicator_options(published: Published) -> list[dict]:
    """Every indicator, labelled with its theme (for the compare control)."""
    return [{"label": f"{i.name} ({i.theme})", "value": i.id} for i in published.catalogue]


def year_options(choices: Choices, indicator_id: str) -> list[dict]:
    """The years of one indicator; years without data are listed but cannot be picked."""
    have = set(choices.years_of(indicator_id))
    return [{"label": str(y) if y in have else f"{y} (keine Daten)", "value": y, "disabled": y not in have}
            for y in choices.years]


def area_options(published: Published) -> list[dict]:
    """Every Sozialraum labelled 'Name (Kommune)', sorted by municipality and name."""
    a = published.areas.sort_values(["municipality_name", "area_name"])
    return [{"label": f"{n} ({m})", "value": str(i)}
            for i, n, m in zip(a["area_id"], a["area_name"], a["municipality_name"], strict=True)]


def municipality_options(published: Published) -> list[dict]:
    m = published.municipalities
    return [{"label": str(n), "value": str(i)} for i, n in zip(m["municipality_id"], m["municipality_name"], strict=True)]
