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


#: Options the area picker lists before the user types: a dropdown indexes every option it holds
#: (Dash 4 builds an all-substrings search index on mount, about 3 s for 10,000 areas in headless
#: Chromium), so a large bundle lists the first ones and assets/clientside.js ``areaOptions``
#: searches all areas in the browser as the user types.
AREA_OPTION_LIMIT = 200


def area_order(published: Published) -> tuple[tuple[str, str], ...]:
    """(id, label 'Name (Kommune)') of every area, sorted by municipality, name and id: the area
    picker's order. Twin of ``allOptions`` in assets/areas.js."""
    a = published.areas
    rows = sorted(zip(a["municipality_name"].astype(str), a["area_name"].astype(str), a["area_id"].astype(str),
                      strict=True))
    return tuple((i, f"{n} ({m})") for m, n, i in rows)


def area_options(order: tuple[tuple[str, str], ...], selected: tuple[str, ...] | list[str] = (),
                 limit: int = AREA_OPTION_LIMIT) -> list[dict]:
    """The picker's options: the selected areas (a dropdown shows only values it has options for,
    and drops the others) and the first ``limit`` of the others, in ``order``."""
    chosen = set(selected)
    out, others = [], 0
    for value, label in order:
        if value not in chosen:
            if others >= limit:
                continue
            others += 1
        out.append({"label": label, "value": value})
    return out


def lists_all(order: tuple[tuple[str, str], ...], areas: tuple[str, ...], limit: int = AREA_OPTION_LIMIT) -> bool:
    """Whether the picker's first ``limit`` options hold every area in ``areas``."""
    listed = {value for value, _ in order[:limit]}
    return all(a in listed for a in areas)


def municipality_options(published: Published) -> list[dict]:
    m = published.municipalities
    return [{"label": str(n), "value": str(i)} for i, n in zip(m["municipality_id"], m["municipality_name"], strict=True)]
