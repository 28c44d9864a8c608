"""Every data-file read names the file: a truncated or corrupt JSON file gives an error with its path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.data import manifest, shape, snapshot
from kunnskapsgrunnlag.data.errors import JSONStatError, SnapshotError
from kunnskapsgrunnlag.regions import klass


def truncated_copy(src: Path, dst: Path) -> Path:
    """Copy *src* to *dst* cut in the middle (as an interrupted download leaves it)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


NAMES_FILE_AND_POSITION = r"not valid JSON \(line \d+, column \d+"


def test_read_json_names_the_file_line_and_column(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1,\n "b": }', encoding="utf-8")
    with pytest.raises(
        paths.DataFileError, match=re.escape(f"{bad}: not valid JSON (line 2, column 7")
    ):
        paths.read_json(bad)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"navn": "Bærum"}'.encode("latin-1"))
    with pytest.raises(paths.DataFileError, match=re.escape(f"{latin}: not valid UTF-8")):
        paths.read_json(latin)
    with pytest.raises(
        paths.DataFileError, match=re.escape(f"{tmp_path / 'missing.json'}: cannot be read")
    ):
        paths.read_json(tmp_path / "missing.json")


def test_truncated_municipality_boundaries_name_the_file(tmp_path, monkeypatch):
    from kunnskapsgrunnlag.charts import maps

    bad = truncated_copy(
        paths.KART / "2024" / "Kommuner-S.geojson", tmp_path / "2024" / "Kommuner-S.geojson"
    )
    monkeypatch.setattr(paths, "KART", tmp_path)
    with pytest.raises(
        maps.MapDataError, match=re.escape(str(bad)) + ": " + NAMES_FILE_AND_POSITION
    ):
        maps._read("Kommuner-S.geojson", "kommunenummer", 4)


@pytest.fixture
def klass_in(tmp_path, monkeypatch):
    """A copy of data/klass/131 in tmp_path that the KLASS readers use (caches cleared)."""
    folder = tmp_path / "131"
    shutil.copytree(paths.KLASS / "131", folder)
    monkeypatch.setattr(paths, "KLASS", tmp_path)
    caches = (klass._versions, klass._load_version, klass._changes, shape.klass_versions)
    for c in caches:
        c.cache_clear()
    yield folder
    for c in caches:
        c.cache_clear()


def test_truncated_klass_changes_file_names_the_file(klass_in):
    bad = truncated_copy(
        klass_in / "klass-131-changes-1971-2025.json", klass_in / "klass-131-changes-1971-2025.json"
    )
    with pytest.raises(
        klass.KlassDataError, match=re.escape(str(bad)) + ": " + NAMES_FILE_AND_POSITION
    ):
        klass._changes()


def test_truncated_klass_version_file_names_the_file(klass_in):
    bad = truncated_copy(
        klass_in / "kommuneinndeling-2024.json", klass_in / "kommuneinndeling-2024.json"
    )
    with pytest.raises(
        klass.KlassDataError, match=re.escape(str(bad)) + ": " + NAMES_FILE_AND_POSITION
    ):
        klass._versions()
    with pytest.raises(SnapshotError, match=re.escape(str(bad)) + ": " + NAMES_FILE_AND_POSITION):
        shape.klass_versions(str(klass_in))


def test_truncated_snapshot_manifest_and_jsonstat_file_name_the_file(tmp_path):
    snap = tmp_path / "snapshot"
    shutil.copytree(paths.SNAPSHOT, snap, ignore=shutil.ignore_patterns("fetched"))
    bad = truncated_copy(paths.SNAPSHOT_MANIFEST, snap / "manifest.json")
    with pytest.raises(SnapshotError, match=re.escape(str(bad)) + ": " + NAMES_FILE_AND_POSITION):
        manifest.manifest(snap)
    shutil.copy(paths.SNAPSHOT_MANIFEST, snap / "manifest.json")
    entry = snapshot.source_info("07459-kommuner-2022-jsonstat", snap)
    stat_file = snap / entry["files"][0]["path"]
    truncated_copy(stat_file, stat_file)
    from kunnskapsgrunnlag.data.jsonstat import read_jsonstat

    with pytest.raises(
        JSONStatError, match=re.escape(str(stat_file)) + ": " + NAMES_FILE_AND_POSITION
    ):
        read_jsonstat(stat_file)
