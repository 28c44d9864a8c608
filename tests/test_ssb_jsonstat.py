"""read_jsonstat / write_jsonstat on the real SSB fixtures, and status symbols through transformations."""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kunnskapsgrunnlag import status as st
from kunnskapsgrunnlag.data import JSONStatError, read_jsonstat, status_counts, write_jsonstat

pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "jsonstat"
REAL_FILES = sorted(
    [p for p in FIXTURES.glob("*/*.json") if "query" not in p.name]
    + [
        ROOT
        / "data"
        / "snapshot"
        / "ssb-07459-jsonstat-2022"
        / "07459-befolkning-kommuner-2022.json"
    ]
)
F12367 = FIXTURES / "ssb-jsonstat-kostra-ks" / "12367-kostra-driftsregnskap.json"
F12191 = FIXTURES / "ssb-jsonstat-kostra-ks" / "12191-kommunehelse.json"
F08655 = FIXTURES / "ssb-jsonstat-diverse" / "08655-byggjekostnadsindeks-bustadblokk.json"
F07221 = FIXTURES / "ssb-jsonstat-pxwebpy" / "07221-boligprisindeks-response.json"
F07459 = (
    ROOT / "data" / "snapshot" / "ssb-07459-jsonstat-2022" / "07459-befolkning-kommuner-2022.json"
)
F1120 = FIXTURES / "ssb-jsonstat1-samples" / "1120-laks-eksport-en.json"
FFISK = FIXTURES / "ssb-jsonstat1-samples" / "fiskeoppdrett-lonn-en.json"


def dims_of(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in ("value", "status") and not c.endswith("_label")]


def pyjstat_frame(data: dict | str) -> pd.DataFrame:
    from pyjstat import pyjstat

    text = data if isinstance(data, str) else json.dumps(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyjstat.Dataset.read(text).write("dataframe", naming="id")


def assert_values_match_pyjstat(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    dims = dims_of(ours)
    assert dims == [c for c in theirs.columns if c != "value"]
    theirs = theirs.astype({d: str for d in dims})
    merged = ours[dims + ["value"]].merge(
        theirs, on=dims, how="outer", suffixes=("", "_pj"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), "dimension codes differ from pyjstat's"
    assert len(merged) == len(ours) == len(theirs)
    a = merged["value"].to_numpy(dtype=float)
    b = pd.to_numeric(merged["value_pj"]).to_numpy(dtype=float)
    np.testing.assert_array_equal(a, b)  # NaN-aware: NaN == NaN here


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_values_equal_pyjstat_on_every_real_fixture(path: Path) -> None:
    ours = read_jsonstat(path)
    assert_values_match_pyjstat(ours, pyjstat_frame(path.read_text(encoding="utf-8")))
    # every null value carries NaN; symbols only where SSB put them
    assert ours["status"].map(lambda s: s is None or isinstance(s, str)).all()
    assert ours["value"].dtype == np.float64


def test_status_counts_survive_12367() -> None:
    df = read_jsonstat(F12367)
    assert len(df) == 1250
    assert status_counts(df) == {".": 400, ":": 85}
    assert df.loc[df["status"].notna(), "value"].isna().all()


def test_status_counts_other_fixtures() -> None:
    assert status_counts(read_jsonstat(F12191)) == {".": 90, ":": 1, "..": 1}
    s08655 = read_jsonstat(F08655)
    assert status_counts(s08655) == {"..": 25}
    assert (s08655["value"].isna() == s08655["status"].notna()).all()
    assert status_counts(read_jsonstat(FFISK)) == {"..": 390}


def test_attrs_metadata() -> None:
    df = read_jsonstat(F07459)
    assert df.attrs["table_id"] == "07459"
    assert df.attrs["label"].startswith("07459: Befolkning")
    assert df.attrs["updated"] == "2022-02-24T07:00:00Z"
    assert df.attrs["source"] == "Statistisk sentralbyrå"
    assert df.attrs["units"] == {"Personer1": {"base": "personer", "decimals": 0}}
    assert df.attrs["role"]["geo"] == ["Region"]
    assert df["value"].sum() == 5_425_270
    assert df.loc[df["Region"] == "K-0301", "value"].item() == 699_827
    assert df.loc[df["Region"] == "K-0301", "Region_label"].item() == "Oslo"


def test_jsonstat1_bundle() -> None:
    df = read_jsonstat(F1120)
    assert dims_of(df) == ["VareGrupper2", "Tid", "ContentsCode"]
    assert df.attrs["jsonstat_version"] == "1.x"
    assert len(df) == 8
    assert df.attrs["units"]  # unit without decimals kept


def test_input_kinds_agree() -> None:
    text = F08655.read_text(encoding="utf-8")
    frames = [
        read_jsonstat(F08655),
        read_jsonstat(str(F08655)),
        read_jsonstat(text),
        read_jsonstat(text.encode()),
        read_jsonstat(json.loads(text)),
    ]
    for f in frames[1:]:
        pd.testing.assert_frame_equal(f, frames[0])


def test_labels_optional() -> None:
    df = read_jsonstat(F07221, labels=False)
    assert not [c for c in df.columns if c.endswith("_label")]
    assert dims_of(df) == ["Region", "Boligtype", "ContentsCode", "Tid"]


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index(drop=True)


def test_dimension_without_index_single_category() -> None:
    data = json.loads(F07459.read_text(encoding="utf-8"))
    modified = copy.deepcopy(data)
    for dim in ("ContentsCode", "Tid"):
        del modified["dimension"][dim]["category"]["index"]
    ours = read_jsonstat(modified)
    pd.testing.assert_frame_equal(ours, read_jsonstat(data))
    # pyjstat 2.4.0 cannot read the modified copy on pandas 3; compare with its reading of the original
    assert_values_match_pyjstat(ours, pyjstat_frame(data))


def test_index_as_list_and_status_as_array_or_string() -> None:
    data = json.loads(F07221.read_text(encoding="utf-8"))
    original = read_jsonstat(data)
    as_list = copy.deepcopy(data)
    for dim in as_list["id"]:
        index = as_list["dimension"][dim]["category"]["index"]
        as_list["dimension"][dim]["category"]["index"] = sorted(index, key=index.get)
    n = len(data["value"])
    as_list["status"] = [data["status"].get(str(i)) for i in range(n)]
    pd.testing.assert_frame_equal(read_jsonstat(as_list), original)

    one = copy.deepcopy(data)
    one["status"] = ".."
    assert status_counts(read_jsonstat(one)) == {"..": n}


def test_sparse_value_object() -> None:
    data = json.loads(F08655.read_text(encoding="utf-8"))
    sparse = copy.deepcopy(data)
    sparse["value"] = {str(i): v for i, v in enumerate(data["value"]) if v is not None}
    pd.testing.assert_frame_equal(read_jsonstat(sparse), read_jsonstat(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.__setitem__("value", d["value"][:-1]), "multiply to"),
        (lambda d: d["size"].__setitem__(0, d["size"][0] + 1), "size"),
        (lambda d: d.__setitem__("status", ["."] * 3), "'status' has 3 entries"),
        (lambda d: d.__setitem__("value", {"99999": 1.0}), "outside"),
        (lambda d: d.__setitem__("id", d["id"][:-1]), "dimensions"),
        (lambda d: d["dimension"].pop("Tid"), "missing"),
    ],
)
def test_rejects_bodies_whose_sizes_do_not_match(change, message: str) -> None:
    data = json.loads(F08655.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(JSONStatError, match=message):
        read_jsonstat(data)


def test_rejects_non_json() -> None:
    with pytest.raises(JSONStatError, match="not valid JSON"):
        read_jsonstat('{"class": "dataset", "value": [1,')
    with pytest.raises(JSONStatError):
        read_jsonstat({"hello": 1})


def test_write_jsonstat_round_trip_keeps_status_and_labels(tmp_path: Path) -> None:
    df = read_jsonstat(F12367)
    out = tmp_path / "out.json"
    text = write_jsonstat(df, out, role={"time": ["Tid"], "metric": ["ContentsCode"]})
    assert out.read_text(encoding="utf-8") == text
    back = read_jsonstat(text)
    pd.testing.assert_frame_equal(back[df.columns], df, check_dtype=True)
    assert status_counts(back) == {".": 400, ":": 85}
    assert back.attrs["table_id"] == "12367"
    # pyjstat reads what we wrote (values; it drops status)
    assert_values_match_pyjstat(back, pyjstat_frame(text))


def test_write_jsonstat_fills_the_cube_and_keeps_short_column_names() -> None:
    # pyjstat silently drops dimension columns whose name is a substring of "value" ("a", "v")
    df = pd.DataFrame(
        {
            "a": ["x", "x", "y"],
            "v": ["1", "2", "1"],
            "value": [1.0, 2.0, 3.0],
            "status": [None, None, ":"],
        }
    )
    back = read_jsonstat(write_jsonstat(df))
    assert dims_of(back) == ["a", "v"]
    assert len(back) == 4  # (y, 2) filled as null
    row = back[(back["a"] == "y") & (back["v"] == "2")]
    assert row["value"].isna().all() and row["status"].isna().all()
    assert back.loc[(back["a"] == "y") & (back["v"] == "1"), "status"].item() == ":"
    with pytest.raises(JSONStatError):
        write_jsonstat(pd.concat([df, df]))


# --------------------------------------------------------------------------------------------
# Symbols carried through transformations (kunnskapsgrunnlag.status)
# --------------------------------------------------------------------------------------------


def test_group_sum_carries_symbols_on_real_data() -> None:
    df = read_jsonstat(F12367)
    out = st.group_sum(df, ["KOKkommuneregion0000", "Tid"])
    confidential = df[df["status"] == ":"].groupby(["KOKkommuneregion0000", "Tid"]).size()
    for (region, year), _ in confidential.items():
        row = out[(out["KOKkommuneregion0000"] == region) & (out["Tid"] == year)]
        assert row["status"].item() == ":"
        assert np.isnan(row["value"].item())
    plain = out[out["status"].isna()]
    assert plain["value"].notna().all()


def test_status_helpers() -> None:
    assert st.normalise([None, float("nan"), " : ", "", ".."]).tolist() == [
        None,
        None,
        ":",
        None,
        "..",
    ]
    assert st.counts([".", ":", None, ".", "-"]) == {".": 2, ":": 1, "-": 1}
    values, statuses = st.apply_binary(
        np.divide,
        [1.0, 2.0, 5.0, np.nan, 0.0],
        [None, ":", None, "-", None],
        [2.0, 2.0, 0.0, 4.0, np.nan],
        [None, None, None, None, ".."],
    )
    np.testing.assert_array_equal(values, [0.5, np.nan, np.nan, 0.0, np.nan])
    assert statuses.tolist() == [None, ":", ".", None, ".."]
    assert st.combine_pairwise([":", None, "-"], ["..", None, "-"]).tolist() == [":", None, "-"]
    assert st.legend([":", "."]) == [f".  {st.SYMBOLS['.']['nb']}", f":  {st.SYMBOLS[':']['nb']}"]
