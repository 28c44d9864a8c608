import math

import pandas as pd

from kunnskapsgrunnlag.status import group_sum


def test_group_sum_keeps_symbols_and_never_lets_a_gap_vanish():
    df = pd.DataFrame(
        {
            "g": ["conf", "conf", "plain", "plain", "nil", "nil", "gap", "gap"],
            "value": [1.0, float("nan"), 2.0, 3.0, float("nan"), float("nan"), 4.0, float("nan")],
            "status": [None, ":", None, None, "-", "-", None, None],
        }
    )
    out = group_sum(df, ["g"]).set_index("g")
    assert out.loc["plain", "value"] == 5.0 and out.loc["plain", "status"] is None
    assert math.isnan(out.loc["conf", "value"]) and out.loc["conf", "status"] == ":"
    assert out.loc["nil", "value"] == 0.0 and out.loc["nil", "status"] == "-"
    # 4 + (NaN without a symbol) is not 4: the missing cell makes the sum "..".
    assert math.isnan(out.loc["gap", "value"]) and out.loc["gap", "status"] == ".."
