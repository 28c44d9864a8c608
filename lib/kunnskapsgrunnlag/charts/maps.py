"""Maps: Kartverket's 2024 boundaries and choropleths in the house style.

The boundaries are the simplified Kartverket files in ``data/kart/2024/`` (see
``data/kart/SOURCE.md``): 357 municipalities (``Kommuner-S.geojson``) and 15 counties
(``Fylker-S.geojson``) of the 2024 division, in WGS84. About 8 % of the simplified polygons
self-intersect, so every loader runs ``make_valid()`` before anything else touches the
geometry, and keeps only the polygonal parts. Maps are drawn in EPSG:25833 (UTM zone 33N, the
projection Kartverket uses for Norway), so shapes and areas look right.

Every map carries the credit ``Kartdata: © Kartverket, CC BY 4.0`` in its source line
(:func:`kunnskapsgrunnlag.charts.style.source_line` with ``map_data=True``).

Combined units (``"1508+1580"``, see :func:`kunnskapsgrunnlag.regions.split_units`) are drawn as
one area: the union of their 2024 municipalities, never split.

Chart kind ``map`` (a :class:`~kunnskapsgrunnlag.charts.FigureSpec` drawn by :func:`choropleth`):
``data`` columns ``region`` (2024 municipality or combined unit), ``value`` (NaN: missing) and
optional ``label`` (text printed at the unit; empty for none). Options: ``legend_label``,
``unit``, ``decimals``, ``diverging``, ``outline_county``, ``missing_label``, ``width``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.charts import style
from kunnskapsgrunnlag.charts.render import kind
from kunnskapsgrunnlag.charts.spec import FigureSpec
from kunnskapsgrunnlag.formatting import axis_formatter

CRS_PLOT = "EPSG:25833"
"""Projection maps are drawn in (ETRS89 / UTM zone 33N)."""

MISSING_COLOUR = "#f0f0f0"
"""Fill of areas without a value (hatched, explained in the legend)."""

KARTVERKET_CREDIT = "Kartdata: © Kartverket, CC BY 4.0"
"""The attribution every map carries (data/kart/SOURCE.md)."""


class MapDataError(RuntimeError):
    """The bundled boundary files are missing or not what this module expects."""


def _kart_file(name: str) -> Path:
    return paths.KART / "2024" / name


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Keep only the polygon parts of a (made valid) geometry."""
    if geom is None or geom.is_empty:
        return geom
    if geom.geom_type in {"Polygon", "MultiPolygon"}:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in {"Polygon", "MultiPolygon"}]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def _read(name: str, code_field: str, width: int) -> gpd.GeoDataFrame:
    path = _kart_file(name)
    if not path.is_file():
        raise MapDataError(f"boundary file missing: {path} (see data/kart/SOURCE.md)")
    try:
        raw = paths.read_json(path)
    except paths.DataFileError as exc:
        raise MapDataError(f"boundary file {exc} (see data/kart/SOURCE.md)") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("features"), list):
        raise MapDataError(f"{path}: not a GeoJSON FeatureCollection (no 'features' list)")
    gdf = gpd.GeoDataFrame.from_features(raw["features"], crs="EPSG:4326")
    if code_field not in gdf.columns:
        raise MapDataError(f"{path}: no property {code_field!r} (found {list(gdf.columns)})")
    codes = gdf[code_field].astype(str).str.zfill(width)
    out = gpd.GeoDataFrame(
        {"region": codes.astype(object), "name": gdf["name"].astype(object)},
        geometry=gdf.geometry.make_valid().map(_polygonal),
        crs="EPSG:4326",
    ).to_crs(CRS_PLOT)
    return out.sort_values("region", ignore_index=True)


@lru_cache(maxsize=1)
def _municipalities() -> gpd.GeoDataFrame:
    gdf = _read("Kommuner-S.geojson", "kommunenummer", 4)
    if gdf["region"].duplicated().any():
        raise MapDataError("Kommuner-S.geojson: duplicate municipality numbers")
    return gdf


@lru_cache(maxsize=1)
def _counties() -> gpd.GeoDataFrame:
    return _read("Fylker-S.geojson", "fylkesnummer", 2)


def municipalities_2024() -> gpd.GeoDataFrame:
    """Return the 357 municipalities of 2024, made valid, in EPSG:25833.

    Returns:
        A new GeoDataFrame with columns ``region`` (4-digit str), ``name`` (Kartverket's short
        name) and ``geometry``, sorted by code. Loaded once per process.
    """
    return _municipalities().copy()


def counties_2024() -> gpd.GeoDataFrame:
    """Return the 15 counties of 2024, made valid, in EPSG:25833.

    Returns:
        A new GeoDataFrame with columns ``region`` (2-digit str), ``name``, ``geometry``.
    """
    return _counties().copy()


def unit_geometries(units: Iterable[str]) -> gpd.GeoDataFrame:
    """Return one geometry per 2024 municipality or combined unit.

    A combined unit such as ``"1508+1580"`` gets the union of its municipalities' (valid)
    polygons, so it is drawn as the one area its figures describe.

    Args:
        units: 4-digit 2024 codes or ``+``-joined combined-unit codes.

    Returns:
        A new GeoDataFrame with columns ``region`` (the unit code as given) and ``geometry``,
        in the order of *units*.

    Raises:
        MapDataError: A code is not a 2024 municipality of the boundary file.
    """
    base = _municipalities().set_index("region")["geometry"]
    rows = []
    for unit in units:
        codes = str(unit).split("+")
        missing = [c for c in codes if c not in base.index]
        if missing:
            raise MapDataError(
                f"unit {unit!r}: municipalities {missing} are not in Kommuner-S.geojson (2024)"
            )
        geom = base[codes[0]] if len(codes) == 1 else shapely.union_all(list(base[codes]))
        rows.append({"region": str(unit), "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["region", "geometry"], geometry="geometry", crs=CRS_PLOT)


def _height(bounds: np.ndarray, width: float) -> float:
    """Figure height from the map's shape: ~75 % of the width is map (colour bar beside it)."""
    dx, dy = bounds[2] - bounds[0], bounds[3] - bounds[1]
    ratio = dy / dx if np.isfinite(dx) and dx > 0 else 1.0
    return float(min(9.0, max(4.5, width * 0.75 * ratio + 1.2)))


def _colour_layer(
    fig: Figure,
    ax: object,
    present: gpd.GeoDataFrame,
    legend_label: str,
    lang: str,
    unit: str,
    decimals: int,
    diverging: bool,
) -> None:
    """Fill the units with values and add the colour bar (diverging around 0, or sequential)."""
    if not len(present):
        return
    lo, hi = float(present["value"].min()), float(present["value"].max())
    if diverging:
        span = max(abs(lo), abs(hi), 10.0 ** (-decimals))
        norm: Normalize = TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span)
        cmap = style.DIVERGING
    else:
        norm = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1)
        cmap = style.SEQUENTIAL
    present.plot(column="value", ax=ax, cmap=cmap, norm=norm, edgecolor="white", linewidth=0.4)
    cbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.02)
    cbar.set_label(legend_label)
    cbar.ax.yaxis.set_major_formatter(axis_formatter(decimals, unit, lang))
    cbar.outline.set_visible(False)


def _missing_layer(ax: object, missing: gpd.GeoDataFrame, label: str | None) -> None:
    """Units without a value: light grey, hatched, explained in the legend."""
    if not len(missing):
        return
    missing.plot(ax=ax, color=MISSING_COLOUR, edgecolor="#999999", linewidth=0.4, hatch="///")
    handle = Patch(facecolor=MISSING_COLOUR, edgecolor="#999999", hatch="///", label=label)
    ax.legend(handles=[handle], loc="lower right", fontsize=8)


def _unit_labels(ax: object, gdf: gpd.GeoDataFrame, labels: Mapping[str, str]) -> None:
    for code, text in labels.items():
        match = gdf[gdf["region"] == code]
        if match.empty:
            continue
        point = match.geometry.iloc[0].representative_point()
        ax.annotate(text, xy=(point.x, point.y), ha="center", va="center", fontsize=8,
                    color="#111111", bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                           "ec": "none", "alpha": 0.75})  # fmt: skip


def _frame(ax: object, bounds: np.ndarray, outline_county: str | None) -> None:
    """Draw the county border on top (if asked), hide the axes and fit the map with a margin."""
    if outline_county:
        border = _counties()
        border = border[border["region"] == outline_county]
        border.boundary.plot(ax=ax, color="#333333", linewidth=0.8)
    ax.set_axis_off()
    ax.set_aspect("equal")
    if np.all(np.isfinite(bounds)):
        dx, dy = bounds[2] - bounds[0], bounds[3] - bounds[1]
        pad = 0.03 * max(dx, dy, 1.0)
        ax.set_xlim(bounds[0] - pad, bounds[2] + pad)
        ax.set_ylim(bounds[1] - pad, bounds[3] + pad)


def choropleth(
    values: Mapping[str, float] | pd.Series,
    *,
    title: str,
    source: str,
    legend_label: str,
    lang: str = "nb",
    unit: str = "%",
    decimals: int = 1,
    diverging: bool = True,
    outline_county: str | None = None,
    labels: Mapping[str, str] | None = None,
    missing_label: str | None = None,
    width: float = 7.0,
    height: float | None = None,
) -> Figure:
    """Draw a choropleth of 2024 municipalities or combined units in the house style.

    Args:
        values: Unit code (``"4601"`` or ``"1508+1580"``) → value; NaN is drawn as missing
            (light grey, hatched, with *missing_label* in the legend).
        title: Chart title (Norwegian).
        source: Source line; must carry the Kartverket credit (use
            ``style.source_line(..., map_data=True)``).
        legend_label: Colour bar label with unit, e.g. ``"Endring 2020–2022 (%)"``.
        lang: ``"nb"`` or ``"nn"`` for number formatting.
        unit: Unit for the colour bar ticks (``"%"`` or ``""``).
        decimals: Decimals on the colour bar ticks.
        diverging: Centre a diverging palette on 0 (growth vs decline); else sequential.
        outline_county: Draw this 2024 county's border on top.
        labels: Unit code → label text to print at the unit (e.g. the largest municipalities).
        missing_label: Legend text for missing areas (required if any value is NaN).
        width: Figure width in inches.
        height: Figure height in inches (default: from the map's shape, 4.5–9).

    Returns:
        The matplotlib Figure (not shown; hand it to ``Chapter.figure``).

    Raises:
        ValueError: The source line lacks the Kartverket credit, or values are missing
            without *missing_label*.
    """
    if KARTVERKET_CREDIT not in source:
        raise ValueError(f"a map's source line must credit Kartverket: {KARTVERKET_CREDIT!r}")
    series = pd.Series(values, dtype=float)
    gdf = unit_geometries(series.index)
    gdf["value"] = series.to_numpy()
    missing = gdf[gdf["value"].isna()]
    if len(missing) and not missing_label:
        raise ValueError("some units have no value: give missing_label for the legend")
    bounds = np.asarray(gdf.total_bounds, dtype=float)
    fig, ax = style.new_figure(width, _height(bounds, width) if height is None else height)
    _colour_layer(fig, ax, gdf[gdf["value"].notna()], legend_label, lang, unit, decimals,
                  diverging)  # fmt: skip
    _missing_layer(ax, missing, missing_label)
    _unit_labels(ax, gdf, labels or {})
    _frame(ax, bounds, outline_county)
    return style.finish(fig, ax, title=title, source=source)


@kind("map")
def draw(spec: FigureSpec) -> Figure:
    """Draw a ``map`` spec with :func:`choropleth` (see the module docstring)."""
    data = spec.data
    values = pd.Series(data["value"].to_numpy(dtype=float), index=list(data["region"]))
    labels = {}
    if "label" in data:
        labels = {r: t for r, t in zip(data["region"], data["label"], strict=True) if t}
    return choropleth(
        values,
        title=spec.option("chart_title", spec.title),
        source=spec.source,
        legend_label=spec.option("legend_label", ""),
        lang=spec.lang,
        unit=spec.option("unit", "%"),
        decimals=spec.option("decimals", 1),
        diverging=spec.option("diverging", True),
        outline_county=spec.option("outline_county"),
        labels=labels,
        missing_label=spec.option("missing_label"),
        width=spec.option("width", 7.0),
    )
