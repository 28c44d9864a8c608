"""maps.py: Kartverket's 2024 boundaries (made valid) and choropleths in the house style."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely

from kunnskapsgrunnlag import paths, regions
from kunnskapsgrunnlag.charts import maps

CREDIT = "Kartdata: © Kartverket, CC BY 4.0"
SOURCE = f"Kilde: Statistisk sentralbyrå (SSB), tabell 07459. {CREDIT}"


def raw_features(name: str) -> list[dict]:
    with open(paths.KART / "2024" / name, encoding="utf-8") as fh:
        return json.load(fh)["features"]


def test_the_bundled_file_really_has_invalid_polygons():
    """Otherwise the next test could pass without make_valid() doing anything."""
    raw = gpd.GeoDataFrame.from_features(raw_features("Kommuner-S.geojson"), crs="EPSG:4326")
    assert (~raw.is_valid).sum() > 10


def test_municipalities_are_the_357_of_2024_valid_and_projected():
    gdf = maps.municipalities_2024()
    assert len(gdf) == 357
    assert gdf.crs.to_epsg() == 25833
    assert gdf.is_valid.all()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(gdf["region"]) == set(regions.municipalities(2024)["code"])
    # data/kart/SOURCE.md: total municipal area ≈ 323 055 km² in EPSG:25833 after make_valid()
    assert gdf.area.sum() / 1e6 == pytest.approx(323_055, abs=1)


def test_counties_are_the_15_of_2024():
    gdf = maps.counties_2024()
    assert sorted(gdf["region"]) == sorted(regions.COUNTIES)
    assert gdf.is_valid.all()


def test_loaders_are_cached_and_hand_out_copies():
    a = maps.municipalities_2024()
    a["region"] = "x"
    assert maps.municipalities_2024()["region"].iloc[0] != "x"
    hits = maps._municipalities.cache_info().hits
    maps.municipalities_2024()
    assert maps._municipalities.cache_info().hits == hits + 1


def test_combined_unit_is_one_area_covering_both_municipalities():
    u = maps.unit_geometries(["1508+1580", "1508", "1580"]).set_index("region")
    assert list(u.index) == ["1508+1580", "1508", "1580"]
    assert u.loc["1508+1580", "geometry"].area == pytest.approx(
        u.loc["1508", "geometry"].area + u.loc["1580", "geometry"].area, rel=1e-6
    )
    assert shapely.is_valid(u.loc["1508+1580", "geometry"])


def test_unknown_municipality_code_is_refused():
    with pytest.raises(maps.MapDataError, match="1507"):
        maps.unit_geometries(["1507"])  # Ålesund's 2020 code, gone in 2024


def vestland_values() -> dict[str, float]:
    codes = sorted(c for c in regions.municipalities(2024)["code"] if c.startswith("46"))
    return {c: float(i) - 10.0 for i, c in enumerate(codes)}


def test_choropleth_has_title_source_credit_and_norwegian_colour_bar():
    fig = maps.choropleth(
        vestland_values(),
        title="Befolkningsvekst i kommunane",
        source=SOURCE,
        legend_label="Endring (%)",
        lang="nn",
        labels={"4601": "Bergen"},
    )
    try:
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(plt.Text)]
        assert "Befolkningsvekst i kommunane" in texts
        assert SOURCE in texts and "Bergen" in texts
        bar = [ax for ax in fig.axes if ax.axison]
        assert len(bar) == 1 and bar[0].get_ylabel() == "Endring (%)"
        ticks = [t.get_text() for t in bar[0].get_yticklabels() if t.get_text()]
        assert ticks and all(re.fullmatch(r"[−]?\d+,\d\u00a0%", t) for t in ticks), ticks
        assert "−10,0\u00a0%" in ticks or any(t.startswith("−") for t in ticks)
    finally:
        plt.close(fig)


def test_choropleth_refuses_a_source_without_kartverket_credit():
    with pytest.raises(ValueError, match="Kartverket"):
        maps.choropleth(vestland_values(), title="t", source="Kilde: SSB", legend_label="%")
    assert not plt.get_fignums()


def test_missing_values_need_a_legend_label_and_get_one():
    values = vestland_values()
    values["4601"] = np.nan
    with pytest.raises(ValueError, match="missing_label"):
        maps.choropleth(values, title="t", source=SOURCE, legend_label="%")
    plt.close("all")
    fig = maps.choropleth(
        values, title="t", source=SOURCE, legend_label="%", missing_label="Ikkje tilgjengeleg"
    )
    try:
        legend = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        assert [t.get_text() for t in legend[0].get_texts()] == ["Ikkje tilgjengeleg"]
    finally:
        plt.close(fig)


def test_map_height_follows_the_shape_of_the_area():
    tall = maps.choropleth(vestland_values(), title="t", source=SOURCE, legend_label="%")
    wide = maps.choropleth(
        {c: 1.0 for c in regions.municipalities(2024)["code"] if c.startswith("15")},
        title="t",
        source=SOURCE,
        legend_label="%",
        diverging=False,
    )
    try:
        assert tall.get_figheight() > wide.get_figheight()
    finally:
        plt.close(tall)
        plt.close(wide)
