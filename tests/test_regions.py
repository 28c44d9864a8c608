import math

import pandas as pd
import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag import regions as r
from kunnskapsgrunnlag.regions import klass, mapping

POP = paths.SNAPSHOT / "ssb-07459-kommuner-2019-2022"


@pytest.fixture(scope="module")
def pop2022() -> pd.DataFrame:
    df = pd.read_csv(
        POP / "07459-befolkning-kommune-kjonn-alder-2022.csv",
        sep=";",
        skiprows=2,
        encoding="latin-1",
    )
    return pd.DataFrame(
        {
            "region": df["region"].str[2:6],
            "sex": df["sex"],
            "age": df["age"],
            "value": df["Persons 2022"].astype(float),
        }
    )


@pytest.fixture(scope="module")
def pop2019() -> pd.DataFrame:
    df = pd.read_csv(POP / "07459-befolkning-kommune-alder-2019.csv", encoding="utf-8")
    return pd.DataFrame(
        {"region": df["region"].str[:4], "age": df["age"], "value": df["Persons 2019"]}
    )


def one_per_municipality(year: int, value: float = 1.0) -> pd.DataFrame:
    m = r.municipalities(year)
    return pd.DataFrame({"region": m["code"], "value": value, "status": None})


# ---------------------------------------------------------------------------- KLASS versions


@pytest.mark.parametrize(
    ("year", "n", "version"),
    [
        (2017, 426, 2017),
        (2018, 422, 2018),
        (2019, 422, 2019),
        (2020, 356, 2020),
        (2021, 356, 2020),
        (2022, 356, 2022),
        (2023, 356, 2023),
        (2024, 357, 2024),
        (2025, 357, 2024),
    ],
)
def test_municipalities_per_year(year, n, version):
    m = r.municipalities(year)
    assert list(m.columns) == ["code", "name"]
    assert len(m) == n and m["code"].is_unique
    assert "9999" not in set(m["code"])
    assert m["code"].str.fullmatch(r"\d{4}").all()
    assert r.klass_version(year) == version


def test_years_outside_range_are_refused():
    for year in (2016, 2026):
        with pytest.raises(ValueError, match=str(year)):
            r.municipalities(year)
    with pytest.raises(ValueError, match="2030"):
        r.county_2024("0301", 2030)


def test_code_changes_columns_and_content():
    ch = r.code_changes()
    assert list(ch.columns) == ["old_code", "old_name", "new_code", "new_name", "date"]
    assert len(ch) == 594
    assert pd.api.types.is_datetime64_any_dtype(ch["date"])
    halden = ch[ch["old_code"].eq("3001") & ch["date"].eq("2024-01-01")]
    assert halden["new_code"].tolist() == ["3101"]
    alesund = ch[ch["old_code"].eq("1507") & ch["date"].eq("2024-01-01")]
    assert sorted(alesund["new_code"]) == ["1508", "1580"]


def test_2024_changes_applied_to_2020_list_give_the_2024_list():
    ch = r.code_changes()
    step = ch[ch["date"].eq("2024-01-01")]
    new_of: dict[str, set[str]] = {}
    for old, new in zip(step["old_code"], step["new_code"], strict=True):
        new_of.setdefault(old, set()).add(new)
    assert set(new_of) <= set(r.municipalities(2023)["code"])
    result: set[str] = set()
    for code in r.municipalities(2020)["code"]:
        result |= new_of.get(code, {code})
    codes_2024 = set(r.municipalities(2024)["code"])
    assert len(codes_2024) == 357
    assert result == codes_2024


# ---------------------------------------------------------------------------- mapping


@pytest.mark.parametrize("year", range(2017, 2026))
def test_mapping_covers_every_code_once_and_reaches_all_2024_municipalities(year):
    m = r.mapping_to_2024(year)
    assert m["code"].tolist() == r.municipalities(year)["code"].tolist()
    assert set(m["kind"]) <= set(r.KINDS)
    assert set(m["county_2024"]) == set(r.COUNTIES)
    reached = set().union(*m["successors_2024"])
    assert reached == set(r.municipalities(2024)["code"])
    split = m["kind"].eq("split")
    assert m.loc[split, "municipality_2024"].isna().all()
    assert (m.loc[split, "successors_2024"].map(len) > 1).all()
    plain = m.loc[~split]
    assert (plain["municipality_2024"] == plain["successors_2024"].map(lambda s: s[0])).all()


@pytest.mark.parametrize("year", [2019, 2020])
def test_every_code_maps_to_exactly_one_2024_county(year):
    m = r.mapping_to_2024(year)
    for code, succ, county in zip(m["code"], m["successors_2024"], m["county_2024"], strict=True):
        assert {s[:2] for s in succ} == {county}, code
        assert county in r.COUNTIES
        assert r.county_2024(code, year) == county


def test_county_changing_municipalities_land_in_trondelag():
    assert r.county_2024("1571", 2019) == "50"  # Halsa → Heim 5055 (2020)
    assert r.municipality_2024("1571", 2019) == "5055"
    assert r.county_2024("1567", 2018) == "50"  # Rindal → 5061 (2019)
    assert r.municipality_2024("1567", 2018) == "5061"
    assert r.county_2024("5061", 2019) == "50"
    m = r.mapping_to_2024(2019).set_index("code")
    assert m.loc["1571", "county"] == "15"
    assert m.loc["1571", "kind"] == "merged"


def test_code_changing_several_times():
    for year in (2017, 2019):
        assert r.municipality_2024("0101", year) == "3101"
        assert r.county_2024("0101", year) == "31"
    assert r.municipality_2024("3001", 2020) == "3101"
    row = r.mapping_to_2024(2019).set_index("code").loc["0101"]
    assert row["kind"] == "renumbered"
    assert row["successors_2024"] == ("3101",)


def test_kinds():
    m = r.mapping_to_2024(2019).set_index("code")
    assert m.loc["0301", "kind"] == "unchanged"  # Oslo
    assert m.loc["1833", "kind"] == "unchanged"  # Rana, renamed "Rana - Raane" in 2024
    assert m.loc["0101", "kind"] == "renumbered"
    assert m.loc["1504", "kind"] == "split"  # Ålesund 2019 → 1507 → 1508 + 1580
    assert m.loc["5012", "kind"] == "split"  # Snillfjord
    assert m.loc["5011", "kind"] == "merged"  # Hemne → Heim
    assert set(r.mapping_to_2024(2024)["kind"]) == {"unchanged"}


def test_alesund_2022_is_split():
    assert r.municipality_2024("1507", 2022) is None
    assert r.county_2024("1507", 2022) == "15"
    row = r.mapping_to_2024(2022).set_index("code").loc["1507"]
    assert row["kind"] == "split"
    assert row["successors_2024"] == ("1508", "1580")
    assert row["unit_2024"] == "1508+1580"
    assert row["unit_name_2024"] == "Ålesund og Haram (samla før 2024)"


def test_snillfjord_and_tysfjord_splits_2019():
    m = r.mapping_to_2024(2019).set_index("code")
    assert m.loc["5012", "successors_2024"] == ("5055", "5056", "5059")
    assert m.loc["1850", "successors_2024"] == ("1806", "1875")
    units = r.split_units(2019).set_index("unit_2024")
    assert set(units.index) == {"1508+1580", "1806+1875", "5055+5056+5059"}
    heim = units.loc["5055+5056+5059"]
    # Everything sharing a successor with Snillfjord is in the unit, Halsa (Møre og Romsdal) too.
    assert set(heim["members"]) == {"1571", "5011", "5012", "5013", "5016", "5023", "5024"}
    assert heim["split"] == ("5012",)
    assert heim["county_2024"] == "50"
    assert set(units.loc["1806+1875", "members"]) == {"1805", "1849", "1850", "1854"}
    assert r.split_units(2024).empty


def test_unknown_code_raises_clear_error():
    with pytest.raises(ValueError, match=r"'1567'.*2019"):
        r.county_2024("1567", 2019)  # Rindal had become 5061
    with pytest.raises(ValueError, match=r"'9999'.*2022"):
        r.municipality_2024("9999", 2022)
    with pytest.raises(ValueError, match=r"'3101'.*2020"):
        r.municipality_2024("3101", 2020)


def test_cached_frames_cannot_be_corrupted():
    m = r.mapping_to_2024(2020)
    m.loc[:, "county_2024"] = "99"
    m.loc[:, "successors_2024"] = None
    assert len(r.mapping_to_2024(2020)) == 356
    assert r.county_2024("3001", 2020) == "31"
    k = r.municipalities(2024)
    k.loc[0, "name"] = "X"
    assert r.municipalities(2024).loc[0, "name"] != "X"
    c = r.code_changes()
    c.loc[:, "new_code"] = "0000"
    assert (r.code_changes()["new_code"] != "0000").all()


def test_split_across_counties_would_raise(monkeypatch):
    # Pretend part of Ålesund 1507 went to Trondheim 5001 (Trøndelag) in 2024.
    cross = ("1507", "Ålesund", "5001", "Trondheim - Tråante", r.TARGET_DATE)
    fake = (*klass._changes(), cross)
    mapping._mapping_frame.cache_clear()
    mapping._lookup.cache_clear()
    monkeypatch.setattr(klass, "_changes", lambda: fake)
    try:
        with pytest.raises(r.KlassDataError, match="1507"):
            r.mapping_to_2024(2022)
    finally:
        monkeypatch.undo()
        mapping._mapping_frame.cache_clear()
        mapping._lookup.cache_clear()
    assert r.county_2024("1507", 2022) == "15"


# ---------------------------------------------------------------------------- counties


def test_county_helpers():
    assert [c.code for c in r.counties()] == sorted(r.COUNTIES)
    assert len(r.counties()) == 15
    assert r.county_name("46") == "Vestland"
    assert r.county_name("55", official=True) == "Troms - Romsa - Tromssa"
    assert r.county_name("30") == "Viken (2020–2023)"
    assert r.county_by_slug("more-og-romsdal").code == "15"
    assert r.COUNTIES["46"].kostra_code == "4600"
    with pytest.raises(ValueError, match="'99'"):
        r.county_name("99")
    with pytest.raises(ValueError, match="'viken'"):
        r.county_by_slug("viken")


def test_abolished_counties_agree_with_klass():
    seen = set()
    for year in range(2017, 2026):
        seen |= {c[:2] for c in r.municipalities(year)["code"]}
    assert set(r.ABOLISHED_COUNTIES) == seen - set(r.COUNTIES)
    for code, (_, successors) in r.ABOLISHED_COUNTIES.items():
        assert r.successors_of_abolished(code) == successors, code
    assert r.successors_of_abolished("30") == ("31", "32", "33")
    assert r.successors_of_abolished("05") == ("32", "34")  # Jevnaker, Lunner → Akershus
    assert r.successors_of_abolished("14") == ("15", "46")  # Hornindal → Volda
    assert set(r.successors_of_abolished("54")) == {"55", "56"}
    assert r.successors_of_abolished("16") == ("50",)
    with pytest.raises(ValueError, match="46"):
        r.successors_of_abolished("46")


# ---------------------------------------------------------------------------- aggregation


def test_population_2022_to_counties(pop2022):
    out = r.aggregate_to_counties(pop2022, 2022)
    assert list(out.columns) == ["region", "name", "value", "status"]
    assert out["region"].tolist() == sorted(r.COUNTIES)
    assert out["value"].sum() == 5_425_270
    assert out["status"].isna().all()
    assert out.set_index("region").loc["03", "value"] == 699_827
    by_sex = r.aggregate_to_counties(pop2022, 2022, by=["sex"])
    assert len(by_sex) == 30
    assert by_sex.groupby("sex")["value"].sum().to_dict() == {
        "Females": 2_687_938,
        "Males": 2_737_332,
    }


def test_population_2019_to_counties(pop2019):
    # The 2019 file has "1567 Rindal (-2018)" with 0 everywhere: dropped, not an error.
    assert "1567" in set(pop2019["region"])
    out = r.aggregate_to_counties(pop2019, 2019)
    assert len(out) == 15
    assert out["value"].sum() == 5_328_212
    assert out.set_index("region").loc["03", "value"] == 681_071


def test_population_to_2024_municipalities(pop2022, pop2019):
    m22 = r.aggregate_to_municipalities_2024(pop2022, 2022)
    assert m22["value"].sum() == 5_425_270
    assert len(m22) == 356
    assert m22["region"].is_unique
    assert "1508+1580" in set(m22["region"])
    assert not {"1507", "1508", "1580"} & set(m22["region"])
    row = m22.set_index("region").loc["1508+1580"]
    assert row["name"] == "Ålesund og Haram (samla før 2024)"
    assert m22.set_index("region").loc["3101", "name"] == "Halden"

    m19 = r.aggregate_to_municipalities_2024(pop2019, 2019, by="age")
    totals = m19.groupby("region")["value"].sum()
    assert totals.sum() == 5_328_212
    assert {"1508+1580", "1806+1875", "5055+5056+5059"} <= set(totals.index)
    # Units never overlap: a 2024 code is either alone or inside exactly one combined unit.
    parts = [p for unit in totals.index for p in unit.split("+")]
    assert len(parts) == len(set(parts)) == 357
    # Summing the 2024 units to counties gives the same as summing the 2019 municipalities.
    units = totals.rename_axis("unit").reset_index()
    units["county"] = units["unit"].str[:2]
    direct = r.aggregate_to_counties(pop2019, 2019).set_index("region")["value"]
    assert units.groupby("county")["value"].sum().to_dict() == direct.to_dict()


def test_confidential_municipality_makes_its_county_confidential():
    df = one_per_municipality(2020)
    df.loc[df["region"].eq("4601"), ["value", "status"]] = [float("nan"), ":"]
    out = r.aggregate_to_counties(df, 2020).set_index("region")
    assert out.loc["46", "status"] == ":"
    assert math.isnan(out.loc["46", "value"])
    assert out.loc["50", "status"] is None
    assert out.loc["50", "value"] == (r.mapping_to_2024(2020)["county_2024"] == "50").sum()
    muni = r.aggregate_to_municipalities_2024(df, 2020).set_index("region")
    assert muni.loc["4601", "status"] == ":"
    assert muni.loc["1508+1580", "status"] is None


def test_nil_and_missing_values_keep_their_meaning():
    df = one_per_municipality(2024)
    oslo = df["region"].eq("0301")
    df.loc[oslo, ["value", "status"]] = [0.0, "-"]
    df.loc[df["region"].eq("1101"), "value"] = float("nan")  # NaN without a symbol
    out = r.aggregate_to_counties(df, 2024).set_index("region")
    assert out.loc["03", "status"] == "-" and out.loc["03", "value"] == 0
    assert out.loc["11", "status"] == ".." and math.isnan(out.loc["11", "value"])


def test_non_municipality_rows_dropped_only_when_zero_or_nan():
    df = one_per_municipality(2022)
    extra = pd.DataFrame(
        {
            "region": ["21-2", "23 C", "Rest", "9999"],
            "value": [0.0, float("nan"), 0.0, 0.0],
            "status": [None, ":", None, None],
        }
    )
    out = r.aggregate_to_counties(pd.concat([df, extra], ignore_index=True), 2022)
    assert out["value"].sum() == 356
    assert out["status"].isna().all()

    bad = pd.concat([df, pd.DataFrame({"region": ["0"], "value": [5.0]})], ignore_index=True)
    with pytest.raises(ValueError, match=r"\['0'\].*2022"):
        r.aggregate_to_counties(bad, 2022)
    with pytest.raises(ValueError, match=r"'3101'.*2022"):
        r.aggregate_to_counties(one_per_municipality(2024), 2022)


def test_incomplete_input_is_refused_unless_asked():
    df = one_per_municipality(2024)
    df = df[df["region"].ne("4601")]
    with pytest.raises(ValueError, match=r"'46'.*4601"):
        r.aggregate_to_counties(df, 2024)
    out = r.aggregate_to_counties(df, 2024, complete=False).set_index("region")
    assert out.loc["46", "value"] == (r.municipalities(2024)["code"].str[:2] == "46").sum() - 1

    two = pd.concat([df.assign(sex="1"), one_per_municipality(2024).assign(sex="2")])
    with pytest.raises(ValueError, match=r"'46' in group \{'sex': '1'\}"):
        r.aggregate_to_counties(two, 2024, by=["sex"])
    # A combined unit needs all its members: Haram 1534 (2019) is part of "1508+1580".
    with pytest.raises(ValueError, match=r"'1508\+1580'.*1534"):
        r.aggregate_to_municipalities_2024(
            one_per_municipality(2019).query("region != '1534'"), 2019
        )


def test_region_codes_must_be_strings():
    df = pd.DataFrame({"region": [301], "value": [1.0]})
    with pytest.raises(TypeError, match="strings"):
        r.aggregate_to_counties(df, 2024)


def test_aggregate_options():
    df = one_per_municipality(2023).rename(columns={"region": "kommune", "value": "n"})
    out = r.aggregate_to_counties(df, 2023, region="kommune", value="n", name=None)
    assert list(out.columns) == ["kommune", "n", "status"]
    assert out["n"].sum() == 356
    assert (
        r.aggregate_to_counties(df.drop(columns="status"), 2023, "kommune", value="n")["status"]
        .isna()
        .all()
    )


def test_one_comparison_rule_for_parameters_and_chapters():
    from kunnskapsgrunnlag.params import file_for, load_parameters
    from kunnskapsgrunnlag.publish import Chapter

    assert r.comparison_set("11", {"kind": "all_counties_without_oslo"}) == [
        c for c in r.COUNTIES if c not in {"11", "03"}
    ]
    assert r.comparison_set("46", None) == [c for c in r.COUNTIES if c != "46"]
    assert r.comparison_set("18", {"kind": "other_counties", "counties": ["55", "18"]}) == ["55"]
    for code in r.COUNTIES:
        p = load_parameters(file_for(code))
        ch = Chapter(
            "befolkning", code, p.written_standard, p.comparison.model_dump(), display=False
        )
        assert ch.comparison_counties() == p.comparison_counties()
    with pytest.raises(ValueError, match="'30' is not a 2024 county code"):
        r.check_county("30")
