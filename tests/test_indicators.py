"""The indicator registry, the definitions appendix and ``outputs/indicators.csv``.

Also the cross-chapter contract: every indicator any chapter shows (``ch.uses``, figures, tables)
or writes to ``indicators.csv`` has a registry entry in both written standards. Chapters are run
as plain Python (no kernel) with :func:`run_chapter_plain`, which ``test_kostra.py`` reuses.
"""

from __future__ import annotations

import functools
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import matplotlib.figure
import nbformat
import pandas as pd
import pytest

from kunnskapsgrunnlag import contents, indicators, params, paths
from kunnskapsgrunnlag.contents import ChapterSpec
from kunnskapsgrunnlag.indicators import Indicator, RegistryError, load_registry
from kunnskapsgrunnlag.indicators import csv as icsv
from kunnskapsgrunnlag.regions import COUNTIES

KOSTRA_IDS = [
    "netto_driftsutgifter_per_innbygger_fgf7",
    "netto_driftsutgifter_per_innbygger_fgf4",
    "netto_driftsutgifter_per_innbygger_fgf8",
    "netto_driftsutgifter_per_innbygger_fgf1b",
    "netto_driftsutgifter_per_innbygger_fgf3",
]


def _tiny_png() -> bytes:
    """A valid 1×1 white PNG (what the patched savefig writes; Pillow re-encodes it)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, format="PNG")
    return out.getvalue()


TINY_PNG = _tiny_png()


# --------------------------------------------------------------------------- helpers (shared)
def county_parameters() -> list[dict[str, Any]]:
    """The notebook parameters of all 15 counties, from the real parameter files."""
    out = []
    for f in paths.parameter_files():
        p = params.load_parameters(f).notebook_parameters()
        p["data_source"] = "snapshot"
        out.append(p)
    assert sorted(p["county_code"] for p in out) == sorted(COUNTIES)
    return out


def run_chapter_plain(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run a chapter notebook's code cells in plain Python, as papermill would, and return its namespace.

    The ``parameters`` cell runs first with its defaults, then *parameters* override them (as
    papermill's injected cell does). ``Chapter`` needs no kernel, so ``ns["ch"]`` holds what the
    reader would see (``ch.outputs``) and the indicators it shows (``ch.indicators``).
    """
    nb = nbformat.read(notebook, as_version=4)
    ns: dict[str, Any] = {"__name__": "__chapter__"}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"{notebook.name}:cell{i}", "exec"), ns)  # noqa: S102
        if "parameters" in (cell.metadata.get("tags") or []):
            ns.update(parameters)
    return ns


def _tiny_savefig(self: matplotlib.figure.Figure, fname: Any, *args: Any, **kwargs: Any) -> None:
    fname.write(TINY_PNG)


@functools.lru_cache(maxsize=64)
def run_chapter_fast(notebook: Path, county_code: str) -> Any:
    """Run a chapter for one county (real parameter file) in plain Python; return its ``Chapter``.

    PNG rasterising (the slow part) is skipped; every other step of ``Chapter.figure`` runs
    (the figure is built, alt text and source are checked). Cached per process, so the registry
    test and the KOSTRA tests share one run per county.
    """
    p = next(p for p in county_parameters() if p["county_code"] == county_code)
    with mock.patch.object(matplotlib.figure.Figure, "savefig", _tiny_savefig):
        return run_chapter_plain(notebook, p)["ch"]


def write_registry(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "indicators.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def entry(**changes: Any) -> str:
    """One valid registry entry as YAML text, with fields changed or removed (value None)."""
    fields = {
        "id": "testindikator",
        "chapter": "kostra",
        "name": "{nb: Testnavn, nn: Testnamn}",
        "definition": "{nb: Definisjon, nn: Definisjon}",
        "unit": "{nb: kr per innbygger, nn: kr per innbyggjar}",
        "csv_unit": "kr per innbygger",
        "decimals": "0",
        "source": '{table: "12163", source_ids: [], query: "KOKfunksjon0000=FGF7", text: "SSB, tabell 12163"}',
        "polarity": "neither",
        "comparison": "[landet_uten_oslo, counties]",
        "caveats": '{nb: "", nn: ""}',
    }
    fields.update(changes)
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "  - " + "\n    ".join(lines) + "\n"


# --------------------------------------------------------------------------- the real registry
def test_registry_has_the_kostra_entries_with_both_written_standards() -> None:
    reg = indicators.registry()
    for i in KOSTRA_IDS:
        ind = reg[i]
        assert ind.chapter == "kostra"
        assert ind.table == "12163" and "12163" in ind.source_text
        assert ind.polarity == "neither"
        assert {"landet_uten_oslo", "counties"} <= set(ind.comparison)
        assert ind.unit("nb") == "kr per innbygger" and ind.unit("nn") == "kr per innbyggjar"
        assert ind.csv_unit == "kr per innbygger"
        code = i.rsplit("_", 1)[1].upper().replace("B", "b")
        assert f"KOKfunksjon0000={code}" in ind.query and "EAFKUO" in ind.query
        assert "Oslo er både kommune og fylke" in ind.caveats("nb")
        assert "Oslo er både kommune og fylke" in ind.caveats("nn")
        assert "2020" in ind.caveats("nn") and "2024" in ind.caveats("nn")
        assert ind.name("nb") != ind.name("nn")  # innbygger / innbyggjar


def test_every_real_entry_is_complete_in_both_written_standards() -> None:
    for ind in indicators.registry().values():
        for lang in ("nb", "nn"):
            assert (
                ind.name(lang).strip() and ind.definition(lang).strip() and ind.unit(lang).strip()
            )
        assert ind.source_text.strip() and ind.query.strip()


def test_registry_is_cached_and_get_names_the_file_for_unknown_ids() -> None:
    assert indicators.registry() is indicators.registry()
    assert indicators.get(KOSTRA_IDS[0]) is indicators.registry()[KOSTRA_IDS[0]]
    with pytest.raises(KeyError, match=r"finnes_ikke.*indicators\.yaml"):
        indicators.get("finnes_ikke")
    assert indicators.missing([KOSTRA_IDS[0], "x", "x"]) == ["x"]


def test_header_schema_is_kept_in_the_yaml_file() -> None:
    text = indicators.REGISTRY_FILE.read_text(encoding="utf-8")
    assert text.startswith("# The indicator registry")
    assert "# Schema of one entry" in text and "\nindicators:\n" in text


def test_indicator_text_accessors(tmp_path: Path) -> None:
    reg = load_registry(write_registry(tmp_path, "indicators:\n" + entry()))
    ind = reg["testindikator"]
    assert isinstance(ind, Indicator)
    assert ind.name("nb") == "Testnavn" and ind.name("nn") == "Testnamn"
    assert ind.short_name("nn") == "Testnamn"  # falls back to the name
    assert ind.unit("nn") == "kr per innbyggjar"
    assert ind.caveats("nb") == ""
    assert ind.tables == ["12163"]
    assert ind.source_reader("nn") == "Statistisk sentralbyrå (SSB), tabell 12163"
    assert ind.query == "KOKfunksjon0000=FGF7"  # machine-readable, in data-kg-query
    with pytest.raises(ValueError, match="nb.*nn"):
        ind.name("en")


# --------------------------------------------------------------------------- schema errors
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "{nb: Testnavn}"}, "name.nn", "missing"),
        ({"name": '{nb: Testnavn, nn: ""}'}, "name.nn", "must not be empty"),
        ({"definition": None}, "definition", "missing"),
        ({"polarity": "higher"}, "polarity", "higher_is_better"),
        ({"comparison": "[landet]"}, "comparison.0", "landet_uten_oslo"),
        (
            {"colour": "blue"},
            "colour",
            "unknown field; allowed fields are: id, chapter, county, name",
        ),
        ({"source": '{table: 12163, query: "q", text: "t"}'}, "source.table", "int"),
        ({"source": '{table: "1216", query: "q", text: "t"}'}, "source.table", "five-digit"),
        ({"chapter": "ukjent"}, "chapter", "unknown chapter 'ukjent'"),
        ({"id": "Folkemengde"}, "id", "lower_snake_case"),
        ({"caveats": '{nb: "Merk", nn: ""}'}, None, "both nb and nn"),
    ],
)
def test_schema_errors_name_file_entry_and_field(
    tmp_path: Path, changes: dict[str, Any], field: str | None, message: str
) -> None:
    path = write_registry(tmp_path, "indicators:\n" + entry(id="forste") + entry(**changes))
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    text = str(err.value)
    assert str(path) in text
    assert "indicators[1]" in text
    if "id" not in changes:
        assert "(id 'testindikator')" in text
    if field:
        assert f": {field}: " in text
    assert message in text


def test_duplicate_ids_and_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = write_registry(tmp_path, "indicators:\n" + entry() + entry())
    with pytest.raises(
        RegistryError, match=r"indicators\[1\] \(id 'testindikator'\): id: duplicate id"
    ):
        load_registry(path)
    path = write_registry(
        tmp_path, "indicators:\n" + entry(polarity="neither\n    polarity: neither")
    )
    with pytest.raises(RegistryError, match="duplicate key 'polarity'"):
        load_registry(path)


def test_a_file_without_the_indicators_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="expected one top-level key 'indicators:'"):
        load_registry(write_registry(tmp_path, "indikatorer: []\n"))
    with pytest.raises(RegistryError, match="YAML error"):
        load_registry(write_registry(tmp_path, "indicators: [\n"))
    assert load_registry(write_registry(tmp_path, "indicators: []\n")) == {}


# --------------------------------------------------------------------------- definitions appendix
@pytest.mark.parametrize(
    ("lang", "heading", "unit_label", "source_label"),
    [("nb", "Definisjoner", "Enhet", "Kilde"), ("nn", "Definisjonar", "Eining", "Kjelde")],
)
def test_definitions_html(lang: str, heading: str, unit_label: str, source_label: str) -> None:
    page = indicators.definitions_html(KOSTRA_IDS + [KOSTRA_IDS[0]], lang)
    first, second = page.splitlines()[:2]
    assert first == '<section class="kg-definitions">'
    assert second == f'<h2 class="kg-heading kg-chapter" id="definisjoner">{heading}</h2>'
    assert page.rstrip().endswith("</section>")
    assert page.count("<dl ") == 5  # one per indicator, repeats dropped
    order = [m.group(1) for m in re.finditer(r'data-kg-indicator="([^"]+)"', page)]
    assert order == KOSTRA_IDS
    samferdsel = indicators.get(KOSTRA_IDS[1])
    assert f'<dt class="kg-definition-name">{samferdsel.name(lang)}</dt>' in page
    assert f"<dt>{unit_label}</dt><dd>{samferdsel.unit(lang)}</dd>" in page
    # readers see the table; the query (bokmål codes) is machine-readable only (review V1–V5)
    assert f"<dt>{source_label}</dt><dd>Statistisk sentralbyrå (SSB), tabell 12163</dd>" in page
    assert 'data-kg-query="KOKfylkesregion0000=' in page
    assert "Merknader" in page and "Oslo er både kommune og fylke" in page
    # the five share one caveat: said once, then referred to (review T25)
    assert page.count("Oslo er både kommune og fylke") == 1
    assert page.count(f"Som for «{indicators.get(KOSTRA_IDS[0]).name(lang)}» over.") == 4
    other = "innbyggjar" if lang == "nb" else "innbygger</dd>"
    assert other not in page


def test_definitions_html_escapes_and_refuses_unknown_ids() -> None:
    with pytest.raises(KeyError, match="finnes_ikke"):
        indicators.definitions_html(["finnes_ikke"], "nb")
    with pytest.raises(ValueError):
        indicators.definitions_html(KOSTRA_IDS, "en")
    page = indicators.definitions_html(KOSTRA_IDS[:1], "nb")
    assert "&lt;" not in page and "<script" not in page


# --------------------------------------------------------------------------- indicators.csv
def test_write_csv_builds_a_sorted_machine_readable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "indicators.csv"
    try:
        got = indicators.write_csv(target)
    except indicators.IndicatorsCsvError as err:  # another chapter's rows break the contract
        pytest.fail(f"indicators.csv could not be built: {err}")
    assert got == target and target.is_file()
    assert [p.name for p in target.parent.iterdir()] == ["indicators.csv"]  # no temp files left
    raw = target.read_text(encoding="utf-8")
    assert raw.splitlines()[0] == "indicator,region_code,region_name,year,value,status,unit,source"
    df = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert not df.empty
    assert not df["value"].str.contains(",").any()  # dot decimals
    assert set(df["status"]) <= {"", ".", "..", ":", "-"}
    assert set(df["indicator"]) <= set(indicators.registry())
    for code in df["region_code"].unique():
        assert indicators.region_code_kind(code) is not None, code
    key = df.assign(
        _k=df["region_code"].map(lambda c: icsv._KIND_ORDER[indicators.region_code_kind(c)]),
        _y=df["year"].astype(int),
    )
    resorted = key.sort_values(["indicator", "_k", "region_code", "_y"], kind="stable")
    assert list(resorted.index) == list(range(len(df)))
    kostra_rows = df[df["indicator"].isin(KOSTRA_IDS)]
    assert set(kostra_rows["source"]) == {"SSB, tabell 12163"}
    assert set(kostra_rows["unit"]) == {"kr per innbygger"}
    assert set(kostra_rows["region_code"]) == set(COUNTIES) | {"EAFKUO"}
    # a second build is byte-identical (deterministic)
    assert indicators.write_csv(target).read_text(encoding="utf-8") == raw
    # one name per region: Norway is «Hele landet» in every indicator's rows
    assert set(df.loc[df["region_code"] == "0", "region_name"]) == {"Hele landet"}


TEST_ENTRY = """
indicators:
  - id: testindikator
    chapter: kostra
    name: {nb: Testindikator, nn: Testindikator}
    definition: {nb: Ein test., nn: Ein test.}
    unit: {nb: kr per innbygger, nn: kr per innbyggjar}
    csv_unit: kr per innbygger
    decimals: 0
    source: {table: "12163", source_ids: [], query: "test", text: "SSB, tabell 12163"}
    polarity: neither
    comparison: [counties]
    caveats: {nb: "", nn: ""}
    provider: kg_test_rows:rows
"""


def _rows(**changes: Any) -> pd.DataFrame:
    base = {"region": ["46"], "year": [2025], "value": [7753.0], "status": [None]}
    base.update(changes)
    return pd.DataFrame(base)


@pytest.fixture
def test_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A registry of one indicator whose provider returns what the test puts in ``rows``."""
    import importlib

    # the submodules (the package's names `registry` and `series` are the functions)
    registry_module = importlib.import_module("kunnskapsgrunnlag.indicators.registry")
    series_module = importlib.import_module("kunnskapsgrunnlag.indicators.series")

    path = tmp_path / "indicators.yaml"
    path.write_text(TEST_ENTRY, encoding="utf-8")
    reg = load_registry(path)
    module = type(sys)("kg_test_rows")
    monkeypatch.setitem(sys.modules, "kg_test_rows", module)
    monkeypatch.setattr(registry_module, "registry", lambda: reg)
    monkeypatch.setattr(icsv, "registry", lambda: reg)
    series_module.cache_clear()
    yield module
    series_module.cache_clear()


def test_csv_rows_come_from_the_registry_provider(test_registry, tmp_path: Path) -> None:
    test_registry.rows = lambda _id, _ds: _rows(value=[1234.5])
    path = indicators.write_csv(tmp_path / "i.csv")
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        'testindikator,46,Vestland,2025,1234.5,,kr per innbygger,"SSB, tabell 12163"'
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_rows(region=["4600"]), "outside SSB's standard classifications"),
        (_rows(region=["3"]), "'3'"),
        (_rows(region=["0301+9999"]), "'0301+9999'"),
        (_rows(status=["x"]), "SSB symbol or empty"),
        (pd.concat([_rows(), _rows()]), "2 rows for the same cell"),
        (_rows().drop(columns="status"), "returned no column(s) status"),
    ],
)
def test_bad_rows_are_refused(
    test_registry, tmp_path: Path, rows: pd.DataFrame, message: str
) -> None:
    test_registry.rows = lambda _id, _ds: rows
    with pytest.raises(ValueError, match=re.escape(message)):
        indicators.write_csv(tmp_path / "i.csv")
    assert not (tmp_path / "i.csv").exists()


def test_a_first_year_without_figure_or_symbol_gives_no_row(test_registry, tmp_path) -> None:
    test_registry.rows = lambda _id, _ds: _rows(
        year=[2024, 2025], region=["46", "46"], value=[float("nan"), 3.0], status=[None, None]
    )
    lines = indicators.write_csv(tmp_path / "i.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[3] for line in lines[1:]] == ["2025"]


def test_region_code_kinds() -> None:
    kind = indicators.region_code_kind
    assert kind("0") == "norway" and kind("03") == "county" and kind("46") == "county"
    assert (
        kind("4601") == "municipality"
        and kind("EAFKUO") == "aggregate"
        and kind("EKG01") == "aggregate"
    )
    assert kind("1508+1580") == "combined"
    for bad in ("4600", "30", "1201", "K-3103", "3", "", "eafkuo"):
        assert kind(bad) is None, bad


def test_a_failing_import_inside_a_provider_is_not_swallowed(test_registry, tmp_path) -> None:
    def boom(_id: str, _ds: str) -> pd.DataFrame:
        import kunnskapsgrunnlag_dependency_that_is_missing  # noqa: F401

        return _rows()

    test_registry.rows = boom
    with pytest.raises(ModuleNotFoundError):
        indicators.write_csv(tmp_path / "i.csv")


def test_series_spec_reads_the_snapshot_as_the_registry_says() -> None:
    df = indicators.series("netto_driftsutgifter_per_innbygger_fgf7")
    assert list(df.columns) == ["region", "year", "value", "status"]
    assert set(df["region"]) == set(COUNTIES) | {"EAFKUO"}  # XX00 -> XX, EAFKUO kept
    assert df["year"].min() == 2015


# --------------------------------------------------------------------------- the cross-chapter contract
def _available_chapters() -> Iterator[ChapterSpec]:
    yield from contents.chapters(available_only=True)


def test_every_indicator_with_figures_gives_csv_rows() -> None:
    for ind in indicators.registry().values():
        if ind.has_series:
            rows = indicators.indicator_rows(ind.id)
            assert not rows.empty, ind.id


@pytest.mark.parametrize("county_code", sorted(COUNTIES))
@pytest.mark.parametrize("spec", list(_available_chapters()), ids=lambda s: s.id)
def test_every_indicator_shown_in_any_report_is_in_the_registry(
    spec: ChapterSpec, county_code: str
) -> None:
    reg = indicators.registry()
    ch = run_chapter_fast(spec.path, county_code)
    shown = set(ch.indicators)
    for frag in ch.outputs:
        for m in re.finditer(r'data-kg-indicators="([^"]*)"', frag):
            shown |= {i for i in m.group(1).split(",") if i}
    missing = sorted(shown - set(reg))
    assert not missing, f"{spec.notebook} for county {county_code}: no registry entry for {missing}"
    for i in shown:
        for lang in ("nb", "nn"):
            assert reg[i].name(lang) and reg[i].definition(lang) and reg[i].unit(lang)


def test_plain_runner_injects_parameters_after_the_parameters_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('county_code = "03"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("seen = county_code"),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert run_chapter_plain(path, {"county_code": "46"})["seen"] == "46"


def test_csv_value_formatting() -> None:
    fmt = icsv._format_value
    assert fmt(5594340.0) == "5594340" and fmt(1.25) == "1.25" and fmt(-5.0) == "-5"
    assert fmt(float("nan")) == "" and fmt(None) == ""
    assert "e" not in fmt(1e-7) and "e" not in fmt(1.5e16)


def test_csv_is_utf8_with_norwegian_names(tmp_path: Path) -> None:
    path = indicators.write_csv(tmp_path / "i.csv")
    text = path.read_bytes().decode("utf-8")
    assert "Møre og Romsdal" in text and "Trøndelag" in text
    assert io.StringIO(text).readline().count(",") == 7
