"""A fake SSB PxWebApi server for tests and benchmarks (no network: 127.0.0.1, port 0).

``FakeSSB`` is a threading ``http.server`` that answers

* ``GET``/``POST /api/pxwebapi/v2/tables/{id}/data`` (PxWebApi v2),
* ``GET /api/pxwebapi/v2/tables/{id}/metadata`` (for tables it has a fixture of),
* ``POST /api/v0/{lang}/table/{id}`` and ``GET`` of the same path (PxWebApi v1),

by replaying real SSB answers: the JSON-stat fixtures in ``tests/fixtures/jsonstat/`` verbatim
(table ``07221``, ``08655``, ``13861``, ``12191``, ``12367``), the raw 07459 response of 2022 in
``data/snapshot/ssb-07459-jsonstat-2022/`` verbatim, and the bundled StatBank/KOSTRA CSV files
re-encoded as JSON-stat cubes (real numbers; codes as PxWebApi gives them where known). Table
``11713`` is re-encoded from the bundled workbook (real values and labels, made-up industry and
measure codes). The county indicators (09280, 11842, 11844, 11961; 12971 synthetic) come from
:mod:`fakessb_indicators`, which also applies the selection. ``14288`` (population projections)
has no real file anywhere in the project: its cube is **synthetic** (made-up numbers of the right shape, labelled as such) and only exercises the path.

Failure modes are scripted per request with :meth:`FakeSSB.enqueue` (:class:`Fail`, :class:`Slow`,
:class:`Corrupt`, :class:`BadJSONStat`, :class:`Hangup`); every request is recorded, so tests and
``kg bench`` can count what a batch sent (:attr:`FakeSSB.request_count`,
:attr:`FakeSSB.distinct_queries`).
"""

from __future__ import annotations

import functools
import json
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd

import fakessb_indicators

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "jsonstat"
SNAPSHOT = ROOT / "data" / "snapshot"

COUNTY_LABELS = {
    "03": "Oslo - Oslove",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland - Nordlánnda",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag - Trööndelage",
    "55": "Troms - Romsa - Tromssa",
    "56": "Finnmark - Finnmárku - Finmarkku",
}


# --------------------------------------------------------------------------------------------
# Scripted failure modes (each applies to one data request, in order)
# --------------------------------------------------------------------------------------------


@dataclass
class Fail:
    """Answer with *status* (problem+json body by default) instead of the data."""

    status: int
    title: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Slow:
    """Wait *seconds* before answering normally (the client may time out first)."""

    seconds: float


@dataclass
class Corrupt:
    """Answer 200 with truncated JSON."""


@dataclass
class BadJSONStat:
    """Answer 200 with valid JSON whose ``size`` does not match its ``value``."""


@dataclass
class Hangup:
    """Close the connection without an answer."""


@dataclass
class Drip:
    """Answer 200 with the data, but one byte every *interval* seconds (a dripping server)."""

    interval: float


Action = Fail | Slow | Corrupt | BadJSONStat | Hangup | Drip


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: str
    body: bytes
    kind: str
    at: float

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...], str]:
        """Identity of the query (method, path, sorted parameters, canonical body)."""
        body = ""
        if self.body:
            try:
                body = json.dumps(json.loads(self.body), sort_keys=True)
            except ValueError:
                body = self.body.decode("utf-8", "replace")
        return (self.method, self.path.lower(), tuple(sorted(parse_qsl(self.query))), body)


# --------------------------------------------------------------------------------------------
# JSON-stat encoding (independent of the code under test)
# --------------------------------------------------------------------------------------------


def encode_cube(
    *,
    table: str,
    label: str,
    dims: list[tuple[str, str, list[str], list[str]]],
    values: np.ndarray,
    status: dict[int, str] | None = None,
    updated: str = "2025-02-20T07:00:00Z",
    unit: dict[str, dict[str, Any]] | None = None,
) -> bytes:
    """Return a JSON-stat 2.0 dataset as PxWebApi writes it.

    Args:
        table: Table id (``extension.px.tableid``).
        label: Dataset label.
        dims: ``(id, label, codes, code labels)`` per dimension, in order.
        values: Float array in row-major order (NaN = null).
        status: Cell index -> symbol.
        updated: ``updated`` timestamp.
        unit: ContentsCode unit objects.
    """
    dimension = {}
    for dim_id, dim_label, codes, labels in dims:
        cat: dict[str, Any] = {
            "index": {c: i for i, c in enumerate(codes)},
            "label": dict(zip(codes, labels, strict=True)),
        }
        if dim_id == "ContentsCode" and unit:
            cat["unit"] = unit
        dimension[dim_id] = {"label": dim_label, "category": cat}
    vals: list[Any] = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            vals.append(None)
        elif float(v).is_integer():
            vals.append(int(v))
        else:
            vals.append(v)
    body: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": "Statistisk sentralbyrå",
        "updated": updated,
        "id": [d[0] for d in dims],
        "size": [len(d[2]) for d in dims],
        "dimension": dimension,
        "value": vals,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "extension": {"px": {"tableid": table, "decimals": 0}},
    }
    if status:
        body["status"] = {str(k): v for k, v in sorted(status.items())}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fill(
    frame: pd.DataFrame, keys: list[str], dims: list[tuple[str, str, list[str], list[str]]]
) -> np.ndarray:
    index = pd.MultiIndex.from_product([d[2] for d in dims])
    return frame.set_index(keys)["value"].reindex(index).to_numpy(dtype=float)


def _age_code(text: str) -> tuple[str, str]:
    n = int(re.match(r"\d+", text).group(0))
    return (f"{n:03d}+", f"{n} år eller eldre") if "older" in text else (f"{n:03d}", f"{n} år")


_SEX = {"Males": ("1", "Menn"), "Females": ("2", "Kvinner")}


@functools.lru_cache(maxsize=8)
def municipal_cube(year: int) -> bytes:
    """Table 07459 for one year by municipality, sex and age, from the bundled StatBank CSV."""
    folder = SNAPSHOT / "ssb-07459-kommuner-2019-2022"
    if year == 2019:
        raw = pd.read_csv(folder / "07459-befolkning-kommune-alder-2019.csv", dtype=str)
        raw["code"] = raw["region"].str[:4]
        raw["name"] = raw["region"].str[5:]
    else:
        path = folder / f"07459-befolkning-kommune-kjonn-alder-{year}.csv"
        raw = pd.read_csv(path, sep=";", skiprows=2, encoding="latin-1", dtype=str)
        uniq = pd.Series(pd.unique(raw["region"]))
        parts = uniq.str.extract(r"^(\S+)\s+(.*)$")
        raw["code"] = raw["region"].map(dict(zip(uniq, parts[0], strict=True)))
        raw["name"] = raw["region"].map(dict(zip(uniq, parts[1], strict=True)))
    raw["value"] = pd.to_numeric(raw[f"Persons {year}"]).astype(float)
    ages = list(pd.unique(raw["age"]))
    age_codes = {a: _age_code(a) for a in ages}
    raw["age_code"] = raw["age"].map({a: c[0] for a, c in age_codes.items()})
    regions = list(pd.unique(raw["code"]))
    names = dict(
        zip(
            raw["code"].drop_duplicates(),
            raw["name"][raw["code"].drop_duplicates().index],
            strict=True,
        )
    )
    dims = [("Region", "region", regions, [names[r] for r in regions])]
    keys = ["code"]
    if "sex" in raw.columns:
        raw["sex_code"] = raw["sex"].map({k: v[0] for k, v in _SEX.items()})
        dims.append(("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"]))
        keys.append("sex_code")
    dims.append(
        ("Alder", "alder", [age_codes[a][0] for a in ages], [age_codes[a][1] for a in ages])
    )
    keys.append("age_code")
    values = _fill(raw, keys, dims)
    dims += [
        ("ContentsCode", "statistikkvariabel", ["Personer1"], ["Personer"]),
        ("Tid", "år", [str(year)], [str(year)]),
    ]
    label = (
        "07459: Befolkning, etter region, "
        + ("kjønn, " if "sex" in raw.columns else "")
        + "alder, statistikkvariabel og år"
    )
    return encode_cube(
        table="07459",
        label=label,
        dims=dims,
        values=values,
        unit={"Personer1": {"base": "personer", "decimals": 0}},
    )


@functools.lru_cache(maxsize=2)
def county_cube(whole_country: bool) -> bytes:
    """Table 07459 by county (2024) or for the whole country, sex and 10-year group, 2023–2025."""
    raw = pd.read_csv(SNAPSHOT / "ssb-07459-fylker-2023-2025" / "Norway_input.csv", dtype=str)
    raw = raw[(raw["Region"] == "The whole country") == whole_country].copy()
    by_label = {v: k for k, v in COUNTY_LABELS.items()}
    if whole_country:
        raw["code"] = "0"
        regions, region_labels = ["0"], ["Hele landet"]
    else:
        raw["code"] = raw["Region"].map(lambda r: f"F-{by_label[r]}")
        regions = [f"F-{c}" for c in COUNTY_LABELS]
        region_labels = list(COUNTY_LABELS.values())
    groups = list(dict.fromkeys(raw["Age"]))

    def group_code(g: str) -> str:
        nums = re.findall(r"\d+", g)
        return (
            f"{int(nums[0]):03d}-{int(nums[1]):03d}" if len(nums) == 2 else f"{int(nums[0]):03d}+"
        )

    def group_label(g: str) -> str:
        nums = re.findall(r"\d+", g)
        return f"{nums[0]}-{nums[1]} år" if len(nums) == 2 else f"{nums[0]} år eller eldre"

    raw["sex_code"] = raw["Gender"].map({"Males": "1", "Females": "2"})
    raw["age_code"] = raw["Age"].map(group_code)
    raw["value"] = pd.to_numeric(raw["Value"]).astype(float)
    years = sorted(raw["Year"].unique())
    dims = [
        ("Region", "region", regions, region_labels),
        ("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"]),
        ("Alder", "alder", [group_code(g) for g in groups], [group_label(g) for g in groups]),
        ("ContentsCode", "statistikkvariabel", ["Personer1"], ["Personer"]),
        ("Tid", "år", years, years),
    ]
    raw["content"] = "Personer1"
    values = _fill(raw, ["code", "sex_code", "age_code", "content", "Year"], dims)
    return encode_cube(
        table="07459",
        label="07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
        dims=dims,
        values=values,
    )


@functools.lru_cache(maxsize=1)
def kostra_cube() -> bytes:
    """Table 12163 (net operating expenditure per inhabitant) from the bundled KOSTRA CSV.

    Cells the CSV lacks (counties before they existed) are null with status ``.``, as SSB does.
    """
    raw = pd.read_csv(
        SNAPSHOT
        / "ssb-12163-kostra-fylker"
        / "kostra-12163-netto-driftsutgifter-per-innbygger.csv",
        dtype=str,
        keep_default_na=False,
    )
    raw["value"] = pd.to_numeric(raw["value"]).astype(float)
    regions = list(dict.fromkeys(raw["region_code"]))
    rnames = dict(zip(raw["region_code"], raw["region_name"], strict=False))
    funcs = sorted(raw["function_code"].unique())
    fnames = dict(zip(raw["function_code"], raw["function_name"], strict=False))
    years = [str(y) for y in range(2015, 2026)]
    raw["art"] = "AGD2"
    raw["content"] = "KOSbelopinnbygge0000"
    dims = [
        ("KOKfylkesregion0000", "region", regions, [rnames[r] for r in regions]),
        ("KOKfunksjon0000", "funksjon", funcs, [fnames[f] for f in funcs]),
        ("KOKart0000", "art", ["AGD2"], ["Netto driftsutgifter"]),
        (
            "ContentsCode",
            "statistikkvariabel",
            ["KOSbelopinnbygge0000"],
            ["Utgifter per innbygger, i kroner"],
        ),
        ("Tid", "år", years, years),
    ]
    values = _fill(raw, ["region_code", "function_code", "art", "content", "year"], dims)
    status = {i: "." for i in np.flatnonzero(np.isnan(values)).tolist()}
    return encode_cube(
        table="12163",
        label="12163: Utgifter til tjenesteområdene, fylkeskommunekonsern, etter region, funksjon, art, statistikkvariabel og år",
        dims=dims,
        values=values,
        status=status,
        unit={"KOSbelopinnbygge0000": {"base": "kr", "decimals": 0}},
    )


@functools.lru_cache(maxsize=1)
def projection_cube() -> bytes:
    """SYNTHETIC table 14288 (made-up numbers of the right shape; SSB's file is not bundled)."""
    regions = ["0", *COUNTY_LABELS]
    labels = ["Hele landet", *COUNTY_LABELS.values()]
    ages = [f"{a:03d}" for a in range(105)] + ["105+"]
    age_labels = [f"{a} år" for a in range(105)] + ["105 år eller eldre"]
    years = ["2024", "2025", "2030", "2035", "2040", "2045", "2050"]
    r = np.arange(len(regions))[:, None, None, None]
    s = np.arange(2)[None, :, None, None]
    a = np.arange(len(ages))[None, None, :, None]
    y = np.array([int(v) for v in years])[None, None, None, :]
    scale = np.where(r == 0, 30_000.0, 2_000.0)
    values = np.round(scale * (1 + 0.005 * (y - 2024)) * np.exp(-a / 70.0) * (1 + 0.02 * s))
    values = values.reshape(len(regions), 2, len(ages), 1, len(years))
    dims = [
        ("Region", "region", regions, labels),
        ("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"]),
        ("Alder", "alder", ages, age_labels),
        ("ContentsCode", "statistikkvariabel", ["Personer"], ["Hovedalternativet (MMMM)"]),
        ("Tid", "år", years, years),
    ]
    return encode_cube(
        table="14288",
        label="14288: SYNTETISK TESTTABELL (ikke SSB-tall) - framskrevet folkemengde, etter region, kjønn, alder, statistikkvariabel og år",
        dims=dims,
        values=values.ravel(),
    )


B2024 = SNAPSHOT / "fhi-csdata-befolkning-b2024"


@functools.lru_cache(maxsize=4)
def b2024_cube(kind: str) -> bytes:
    """Table 07459 in the shape of SSB's aggregations, with the bundled FHI csdata numbers.

    ``kind``: ``"F"`` the counties as ``codelist[Region]=agg_KommFylker`` answers (``F-03`` …
    ``F-56``), ``"0"`` Norway, ``"K2026"`` the municipalities of 2026 as ``agg_KommSummer``
    answers (``K-0301`` …), ``"Kbands"`` the municipalities 2020–2026 without sex (ages = the
    bands' lower bounds, the only ages the bundled extract has).
    """
    from kunnskapsgrunnlag.regions import region_name

    name = {"F": "befolkning-fylker-kjonn-alder-2010-2026.csv.gz",
            "0": "befolkning-fylker-kjonn-alder-2010-2026.csv.gz",
            "K2026": "befolkning-kommuner-kjonn-alder-2026.csv.gz",
            "Kbands": "befolkning-kommuner-aldersgrupper-2020-2026.csv.gz"}[kind]  # fmt: skip
    raw = pd.read_csv(B2024 / name, dtype={"region": str, "sex": str}, keep_default_na=False)
    raw = raw[raw["region"] == "0"] if kind == "0" else raw[raw["region"] != "0"]
    prefix = {"F": "F-", "0": "", "K2026": "K-", "Kbands": "K-"}[kind]
    raw = raw.assign(code=prefix + raw["region"], content="Personer1", year=raw["year"].astype(str))
    codes = list(dict.fromkeys(raw["code"]))
    from kunnskapsgrunnlag.data.shape import klass_names

    k24 = klass_names(2024) or {}
    labels = [region_name(c.split("-")[-1]) if len(c.split("-")[-1]) <= 2
              else k24[c.split("-")[-1]] for c in codes]  # fmt: skip
    ages = sorted(raw["age"].unique())
    raw["age_code"] = [f"{a:03d}+" if a == 105 else f"{a:03d}" for a in raw["age"]]
    age_codes = [f"{a:03d}+" if a == 105 else f"{a:03d}" for a in ages]
    age_labels = [f"{a} år eller eldre" if a == 105 else f"{a} år" for a in ages]
    years = sorted(raw["year"].unique())
    dims = [("Region", "region", codes, labels)]
    keys = ["code"]
    if kind != "Kbands":
        dims.append(("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"]))
        keys.append("sex")
    dims += [("Alder", "alder", age_codes, age_labels),
             ("ContentsCode", "statistikkvariabel", ["Personer1"], ["Personer"]),
             ("Tid", "år", years, years)]  # fmt: skip
    values = _fill(raw, [*keys, "age_code", "content", "year"], dims)
    return encode_cube(table="07459", dims=dims, values=values,
                       label="07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år")  # fmt: skip


@functools.lru_cache(maxsize=1)
def projection_14746_cube() -> bytes:
    """SYNTHETIC table 14746 (made-up numbers; plain region codes, three alternatives)."""
    regions = ["0", *COUNTY_LABELS]
    labels = ["Hele landet", *COUNTY_LABELS.values()]
    ages = [f"{a:03d}" for a in range(105)] + ["105+"]
    age_labels = [f"{a} år" for a in range(105)] + ["105 år eller eldre"]
    years = [str(y) for y in (2026, 2030, 2040, 2050)]
    r = np.arange(len(regions))[:, None, None, None, None]
    a = np.arange(len(ages))[None, None, :, None, None]
    c = np.arange(3)[None, None, None, :, None]
    y = np.array([int(v) for v in years])[None, None, None, None, :]
    scale = np.where(r == 0, 30_000.0, 2_000.0)
    values = np.round(scale * (1 + (0.004 + 0.002 * c) * (y - 2026)) * np.exp(-a / 70.0))
    values = np.broadcast_to(values, (len(regions), 2, len(ages), 3, len(years)))
    dims = [
        ("Region", "region", regions, labels),
        ("Kjonn", "kjønn", ["1", "2"], ["Menn", "Kvinner"]),
        ("Alder", "alder", ages, age_labels),
        ("ContentsCode", "statistikkvariabel", ["Personer", "Personer1", "Personer2"],
         ["Hovedalternativet (MMMM)", "Lav nasjonal vekst (LLML)", "Høy nasjonal vekst (HHMH)"]),
        ("Tid", "år", years, years),
    ]  # fmt: skip
    return encode_cube(
        table="14746",
        label="14746: SYNTETISK TESTTABELL (ikke SSB-tall) - framskrevet folkemengde",
        dims=dims,
        values=values.ravel(),
    )


@functools.lru_cache(maxsize=1)
def accounts_cube() -> bytes:
    """Table 11713 (regional accounts) from the bundled StatBank workbook (real numbers and labels).

    SSB's codes for the industries and the two measures were not seen in a real answer: the
    industry codes here are made up (``N01`` …) and the measure codes are their labels' first
    word; the loader reads both by label.
    """
    from kunnskapsgrunnlag.data import snapshot

    raw = snapshot.load("11713-fylkesfordelt")
    regions = list(dict.fromkeys(raw["region"]))
    rnames = dict(zip(raw["region"], raw["region_name"], strict=False))
    inds = list(dict.fromkeys(raw["industry"]))
    codes = {n: f"N{i:02d}" for i, n in enumerate(inds, start=1)}
    measures = {
        "bruttoprodukt": ("Bruttoprodukt", "Bruttoprodukt i basisverdi. Løpende priser (mill. kr)"),
        "sysselsatte": ("Sysselsatte", "Sysselsatte personer (1 000 personer)"),
    }
    raw = raw.assign(
        ind=raw["industry"].map(codes), content=raw["measure"].map(lambda m: measures[m][0])
    )
    years = [str(y) for y in sorted(raw["year"].unique())]
    raw["year"] = raw["year"].astype(str)
    dims = [
        ("Region", "region", regions, [rnames[r] for r in regions]),
        ("NACE2007", "næring", [codes[n] for n in inds], inds),
        ("ContentsCode", "statistikkvariabel", [m[0] for m in measures.values()], [m[1] for m in measures.values()]),
        ("Tid", "år", years, years),
    ]  # fmt: skip
    keys = ["region", "ind", "content", "year"]
    values = _fill(raw, keys, dims)
    st = raw.set_index(keys)["status"].reindex(pd.MultiIndex.from_product([d[2] for d in dims]))
    status = {i: s for i, s in enumerate(st.tolist()) if isinstance(s, str)}
    return encode_cube(
        table="11713",
        label="11713: Fylkesfordelt nasjonalregnskap, etter region, næring, statistikkvariabel og år",
        dims=dims,
        values=values,
        status=status,
    )


@functools.lru_cache(maxsize=1)
def fixture_tables() -> dict[str, bytes]:
    """Real JSON-stat 2.0 fixtures by table id (served verbatim for any selection)."""
    out = {}
    for path in sorted(FIXTURES.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("class") != "dataset" or "id" not in data:
            continue
        table = (data.get("extension") or {}).get("px", {}).get("tableid")
        if table:
            out[str(table)] = path.read_bytes()
    return out


def real_07459_2022() -> bytes:
    """The verbatim SSB response for 07459, 2022, all municipalities (v1 agg:KommSummer)."""
    return (
        SNAPSHOT / "ssb-07459-jsonstat-2022" / "07459-befolkning-kommuner-2022.json"
    ).read_bytes()


def _problem(status: int, title: str) -> bytes:
    return json.dumps({"type": "Parameter error", "title": title, "status": status}).encode()


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeSSB/1.0"
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.server.fake._handle(self, "GET")  # type: ignore[attr-defined]

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        self.server.fake._handle(self, "POST")  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server API
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up (timeout) is not an error here


Selection = dict[str, tuple[str | None, list[str]]]


class FakeSSB:
    """A local fake of SSB's PxWebApi v2/v1; use as a context manager.

    Attributes:
        requests: Every request received, in order.
        max_cells: Answers with more cells than this get 403 (SSB's cell limit).
    """

    def __init__(self, *, max_cells: int = 800_000) -> None:
        self.requests: list[Recorded] = []
        self.max_cells = max_cells
        self._script: deque[Action] = deque()
        self._extra: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FakeSSB:
        """Start serving on 127.0.0.1 at a free port."""
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="FakeSSB", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSSB:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """PxWebApi v2 base URL of this server."""
        return f"http://127.0.0.1:{self.port}/api/pxwebapi/v2"

    @property
    def v1_base_url(self) -> str:
        """PxWebApi v1 base URL of this server."""
        return f"http://127.0.0.1:{self.port}/api/v0"

    # -- scripting and counting --------------------------------------------------------------

    def enqueue(self, *actions: Action) -> None:
        """Apply *actions* to the next data requests, one each, in order."""
        with self._lock:
            self._script.extend(actions)

    def add_table(self, table: str, body: bytes | dict[str, Any] | Path) -> None:
        """Serve *body* (JSON-stat) for every data query of *table*."""
        if isinstance(body, Path):
            body = body.read_bytes()
        elif isinstance(body, dict):
            body = json.dumps(body).encode()
        self._extra[str(table)] = body

    def reset(self) -> None:
        """Forget recorded requests and pending actions."""
        with self._lock:
            self.requests.clear()
            self._script.clear()

    def data_requests(self) -> list[Recorded]:
        """The data requests (v2 data and v1 POST) received."""
        return [r for r in self.requests if r.kind in ("data", "v1")]

    @property
    def request_count(self) -> int:
        """Number of data requests received (v2 data + v1 POST)."""
        return len(self.data_requests())

    @property
    def distinct_queries(self) -> int:
        """Number of distinct data queries received."""
        return len({r.key for r in self.data_requests()})

    # -- request handling ----------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        path = parts.path
        m_v2 = re.fullmatch(r"/api/pxwebapi/v2/tables/([^/]+)/(data|metadata)", path, re.IGNORECASE)
        m_v1 = re.fullmatch(r"/api/v0/(no|en)/table/([^/]+)/?", path, re.IGNORECASE)
        kind = "other"
        if m_v2:
            kind = "data" if m_v2.group(2).lower() == "data" else "metadata"
        elif m_v1:
            kind = "v1" if method == "POST" else "metadata"
        with self._lock:
            self.requests.append(Recorded(method, path, parts.query, body, kind, time.monotonic()))
            action = self._script.popleft() if kind in ("data", "v1") and self._script else None
        if isinstance(action, Hangup):
            h.close_connection = True
            return
        if isinstance(action, Slow):
            time.sleep(action.seconds)
        if isinstance(action, Fail):
            payload = (
                action.body
                if action.body is not None
                else _problem(action.status, action.title or "Error")
            )
            self._write(
                h,
                action.status,
                payload,
                {"Content-Type": "application/problem+json", **action.headers},
            )
            return
        if isinstance(action, Corrupt):
            self._write(
                h,
                200,
                b'{"class":"dataset","version":"2.0","id":["Region"],"size":[2],"value":[1,',
                {},
            )
            return
        if isinstance(action, BadJSONStat):
            bad = {
                "class": "dataset",
                "version": "2.0",
                "id": ["Region"],
                "size": [3],
                "dimension": {"Region": {"category": {"index": ["a", "b", "c"]}}},
                "value": [1, 2],
            }
            self._write(h, 200, json.dumps(bad).encode(), {})
            return
        try:
            if m_v2 and kind == "data":
                status, payload = self._v2_data(m_v2.group(1), method, parts.query, body)
            elif m_v2:
                status, payload = self._metadata(m_v2.group(1))
            elif m_v1 and method == "POST":
                status, payload = self._v1_data(m_v1.group(2), body)
            elif m_v1:
                status, payload = self._v1_metadata(m_v1.group(2))
            else:
                status, payload = 404, _problem(404, "Not found")
        except Exception as exc:  # noqa: BLE001 - a fake must answer, not die
            status, payload = 500, _problem(500, f"fake server error: {exc}")
        ctype = "application/json; charset=utf-8" if status == 200 else "application/problem+json"
        if isinstance(action, Drip):
            self._drip(h, payload, action.interval)
            return
        self._write(h, status, payload, {"Content-Type": ctype})

    @staticmethod
    def _drip(h: BaseHTTPRequestHandler, payload: bytes, interval: float) -> None:
        """Send the headers, then the body one byte at a time until done or the client leaves."""
        try:
            h.send_response(200)
            h.send_header("Content-Type", "application/json; charset=utf-8")
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.flush()
            for i in range(len(payload)):
                h.wfile.write(payload[i : i + 1])
                h.wfile.flush()
                time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _write(
        h: BaseHTTPRequestHandler, status: int, payload: bytes, headers: dict[str, str]
    ) -> None:
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _cells_ok(self, payload: bytes) -> bool:
        data = json.loads(payload)
        size = (
            data.get("size") or (data.get("dataset") or {}).get("dimension", {}).get("size") or []
        )
        return math.prod(size) <= self.max_cells

    def _v2_data(self, table: str, method: str, query: str, body: bytes) -> tuple[int, bytes]:
        sel: Selection = {}
        params = parse_qsl(query, keep_blank_values=True)
        if method == "POST":
            spec = json.loads(body or b"{}")
            for s in spec.get("selection", []):
                sel[s["variableCode"]] = (
                    s.get("codelist"),
                    [str(v) for v in s.get("valueCodes", [])],
                )
        else:
            codelists = {
                m.group(1): v for k, v in params if (m := re.fullmatch(r"codelist\[(.+)\]", k))
            }
            for k, v in params:
                m = re.fullmatch(r"valueCodes\[(.+)\]", k)
                if m:
                    sel[m.group(1)] = (codelists.get(m.group(1)), [x for x in v.split(",") if x])
        payload = self._route(table, sel)
        if payload is None:
            return 404, _problem(404, "Non-existent table")
        if isinstance(payload, tuple):
            return payload
        if not self._cells_ok(payload):
            return 403, _problem(403, "Too many cells selected")
        return 200, payload

    def _route(self, table: str, sel: Selection) -> bytes | tuple[int, bytes] | None:
        if table in self._extra:
            return self._extra[table]
        if table == "07459":
            return self._route_07459(sel)
        if table == "12163":
            return kostra_cube()
        if table == "14288":
            return projection_cube()
        if table == "11713":
            return accounts_cube()
        if table == "14746":
            return projection_14746_cube()
        if table in fakessb_indicators.TABLES:
            return fakessb_indicators.select(fakessb_indicators.cube(table), sel)
        fixtures = fixture_tables()
        if table in fixtures:
            return self._check_selection(fixtures[table], sel) or fixtures[table]
        return None

    @staticmethod
    def _check_selection(payload: bytes, sel: Selection) -> tuple[int, bytes] | None:
        """Answer 400 like SSB for an unknown variable or a plain value code the table lacks."""
        data = json.loads(payload)
        dims = {k.lower(): v for k, v in data["dimension"].items()}
        for var, (codelist, values) in sel.items():
            dim = dims.get(var.lower())
            if dim is None:
                return 400, _problem(400, "Non-existent variable")
            if codelist:
                continue
            known = {str(c).lower() for c in dim["category"]["index"]}
            for v in values:
                if re.search(r"[*?]|\(", v):
                    continue
                if v.lower() not in known:
                    return 400, _problem(400, "Non-existent value")
        return None

    @staticmethod
    def _route_07459(sel: Selection) -> bytes | tuple[int, bytes]:
        region_list, regions = sel.get("Region", (None, []))
        years = [v for v in sel.get("Tid", (None, []))[1]]
        single_age = "Alder" in sel and sel["Alder"][0] is None
        if region_list == "agg_KommSummer":
            return b2024_cube("K2026" if "Kjonn" in sel else "Kbands")
        if single_age and years and years[0].startswith("from("):
            if region_list == "agg_KommFylker":
                return b2024_cube("F")
            if regions == ["0"]:
                return b2024_cube("0")
        if region_list and ("fylke" in region_list.lower()):
            return county_cube(False)
        if regions == ["0"]:
            return county_cube(True)
        plain = [y for y in years if y.isdigit()]
        if len(plain) != 1:
            return 400, _problem(400, "Illegal selection expression")
        year = int(plain[0])
        if "Alder" not in sel and "Kjonn" not in sel:
            if year == 2022:
                return real_07459_2022()
            return 400, _problem(400, "Non-existent value")
        if year not in (2019, 2020, 2021, 2022):
            return 400, _problem(400, "Non-existent value")
        if year == 2019 and "Kjonn" in sel:
            return 400, _problem(400, "Non-existent value")
        return municipal_cube(year)

    def _metadata(self, table: str) -> tuple[int, bytes]:
        fixtures = fixture_tables()
        if table not in fixtures:
            return 404, _problem(404, "Non-existent table")
        data = json.loads(fixtures[table])
        data.pop("value", None)
        data.pop("status", None)
        return 200, json.dumps(data, ensure_ascii=False).encode()

    def _v1_data(self, table: str, body: bytes) -> tuple[int, bytes]:
        spec = json.loads(body or b"{}")
        if table == "07459":
            filters = {q["code"]: q["selection"] for q in spec.get("query", [])}
            if filters.get("Tid", {}).get("values") == ["2022"] and "Kjonn" not in filters:
                return 200, real_07459_2022()
            return 400, b"Bad request"
        fixtures = fixture_tables()
        if table in fixtures:
            return 200, fixtures[table]
        return 404, b"Not found"

    def _v1_metadata(self, table: str) -> tuple[int, bytes]:
        fixtures = fixture_tables()
        if table not in fixtures:
            return 404, b"Not found"
        data = json.loads(fixtures[table])
        variables = [
            {
                "code": d,
                "text": data["dimension"][d].get("label", d),
                "values": list(data["dimension"][d]["category"]["index"]),
                "valueTexts": list(data["dimension"][d]["category"]["label"].values()),
            }
            for d in data["id"]
        ]
        return 200, json.dumps(
            {"title": data.get("label"), "variables": variables}, ensure_ascii=False
        ).encode()


class FakeClock:
    """A clock whose ``sleep`` advances time instantly (for throttle and backoff tests)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record *seconds* and advance the clock by them."""
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
