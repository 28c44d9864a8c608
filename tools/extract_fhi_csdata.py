"""Write the bundled extracts of FHI's csdata population file (SSB 07459 on the 2024 borders).

One-off tool, not part of the package: needs ``pyreadr`` (not a project dependency) to read
``sysdata.rda``. Values are written unchanged; only rows and columns are chosen.

    python tools/extract_fhi_csdata.py ../shared/data/fhi-csdata-befolkning-b2024 \
        data/snapshot/fhi-csdata-befolkning-b2024

Files written (long CSV ``region,year,sex,age,value``; region = SSB code ``0``/``03``/``0301``,
sex ``1`` menn / ``2`` kvinner, age 0–105 where 105 = 105+; gzip with mtime 0):

* ``befolkning-fylker-kjonn-alder-2010-2026.csv.gz``: Norway and the 15 counties, 2010–2026.
* ``befolkning-kommuner-kjonn-alder-2026.csv.gz``: the 357 municipalities, 2026.
* ``befolkning-kommuner-aldersgrupper-2020-2026.csv.gz``: the 357 municipalities, both sexes
  (female + male) summed into age bands 0, 10, 20, 30, 40, 50, 60, 67, 70, 80, 90, 100 (lower
  bounds), 2020–2026; ``sex`` empty.

Rows with ``imputed == True`` (2027–2036, copies of 2026) are never read.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

BANDS = (0, 10, 20, 30, 40, 50, 60, 67, 70, 80, 90, 100)


def _code(location: str) -> str:
    if location == "nation_nor":
        return "0"
    return location.split("_nor", 1)[1]


def _write(df: pd.DataFrame, path: Path) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    path.write_bytes(buf.getvalue())


def main(src: Path, dst: Path) -> None:
    """Write the three extracts of *src*/sysdata.rda into *dst*."""
    import pyreadr  # noqa: PLC0415 - one-off tool, not a project dependency

    df = pyreadr.read_r(str(src / "sysdata.rda"))["nor_population_by_age_b2024"]
    df = df[(~df["imputed"]) & df["sex"].isin(["female", "male"])]
    df = df[(df["calyear"] <= 2026) & df["granularity_geo"].isin(["nation", "county", "municip"])]
    if df["pop_jan1_n"].isna().any():
        raise SystemExit("cells without a number in the rows used")
    tidy = pd.DataFrame({
        "granularity": df["granularity_geo"].to_numpy(),
        "region": df["location_code"].map(_code).to_numpy(),
        "year": df["calyear"].astype(int).to_numpy(),
        "sex": df["sex"].map({"male": "1", "female": "2"}).to_numpy(),
        "age": df["age"].astype(int).to_numpy(),
        "value": df["pop_jan1_n"].astype(np.int64).to_numpy(),
    })  # fmt: skip
    key = ["year", "region", "sex", "age"]
    cols = ["region", "year", "sex", "age", "value"]
    dst.mkdir(parents=True, exist_ok=True)
    counties = tidy[
        tidy["granularity"].isin(["nation", "county"]) & tidy["year"].between(2010, 2026)
    ]
    _write(counties.sort_values(key)[cols], dst / "befolkning-fylker-kjonn-alder-2010-2026.csv.gz")
    mun = tidy[tidy["granularity"] == "municip"]
    _write(mun[mun["year"] == 2026].sort_values(key)[cols],
           dst / "befolkning-kommuner-kjonn-alder-2026.csv.gz")  # fmt: skip
    m = mun[mun["year"].between(2020, 2026)].copy()
    m["age"] = np.asarray(BANDS)[np.searchsorted(BANDS, m["age"].to_numpy(), side="right") - 1]
    banded = m.groupby(["year", "region", "age"], as_index=False)["value"].sum()
    banded["sex"] = ""
    _write(banded.sort_values(["year", "region", "age"])[cols],
           dst / "befolkning-kommuner-aldersgrupper-2020-2026.csv.gz")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
