"""`kg validate`: the shipped files pass; each bad case exits 2 naming the file and the field."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.cli import main
from kunnskapsgrunnlag.params import Comparison, ParameterError, load_all, load_parameters
from kunnskapsgrunnlag.regions import COUNTIES

GOOD = 'county_code: "46"\ncounty_name: Vestland\nwritten_standard: nn\ncomparison:\n  kind: all_counties\n'

BAD_CASES = {
    # name: (file content as bytes, field named or None, words the message must hold)
    "empty": (b"", None, "empty"),
    "comments-only": (b"# nothing here\n", None, "empty"),
    "syntax": (b'county_code: "46"\ncounty_name: [Vestland\n', None, "YAML syntax error: line 3"),
    "unknown-key": (GOOD.encode() + b"colour: blue\n", "colour", "unknown key"),
    "duplicate-key": (
        GOOD.encode() + b"written_standard: nb\n",
        "written_standard",
        "duplicate key",
    ),
    "python-tag": (
        b'county_code: !!python/object/apply:os.system ["echo owned"]\n',
        "county_code",
        "tags are not allowed",
    ),
    "set-tag": (
        GOOD.replace("comparison:\n  kind: all_counties\n", "comparison: !!set {a, b}\n").encode(),
        "comparison",
        "tags are not allowed",
    ),
    "latin-1": (GOOD.replace("Vestland", "Møre og Romsdal").encode("latin-1"), None, "not UTF-8"),
    "viken": (
        GOOD.replace('"46"', '"30"').encode(),
        "county_code",
        "31 Østfold, 32 Akershus, 33 Buskerud",
    ),
    "sor-trondelag": (GOOD.replace('"46"', '"16"').encode(), "county_code", "50 Trøndelag"),
    "troms-og-finnmark": (
        GOOD.replace('"46"', '"54"').encode(),
        "county_code",
        "55 Troms, 56 Finnmark",
    ),
    "vestfold-og-telemark": (
        GOOD.replace('"46"', '"38"').encode(),
        "county_code",
        "39 Vestfold, 40 Telemark",
    ),
    "not-a-county": (
        GOOD.replace('"46"', '"99"').encode(),
        "county_code",
        "not one of the 15 counties",
    ),
    "bare-number": (GOOD.replace('"46"', "46").encode(), "county_code", "bare number 46"),
    "leading-zero": (GOOD.replace('"46"', "03").encode(), "county_code", "bare number 3"),
    "octal": (GOOD.replace('"46"', "0301").encode(), "county_code", "bare number 193"),
    "written-standard": (GOOD.replace("nn", "en").encode(), "written_standard", "'nb' or 'nn'"),
    "written-standard-no": (GOOD.replace("nn", "no").encode(), "written_standard", "unquoted no"),
    "wrong-name": (
        GOOD.replace("county_name: Vestland", "county_name: Hordaland").encode(),
        "county_name",
        "expected 'Vestland'",
    ),
    "missing-comparison": (GOOD.split("comparison")[0].encode(), "comparison", "missing"),
    "peer-abolished": (
        GOOD.replace(
            "kind: all_counties", 'kind: other_counties\n  counties: ["11", "30"]'
        ).encode(),
        "comparison.counties",
        "Viken",
    ),
    "peer-self": (
        GOOD.replace("kind: all_counties", 'kind: other_counties\n  counties: ["46"]').encode(),
        "comparison.counties",
        "itself",
    ),
    "not-a-mapping": (b"- 46\n- Vestland\n", None, "expected a mapping"),
}


def test_shipped_files_are_valid():
    files = paths.parameter_files()
    assert [f.name for f in files] == sorted(f"{c.code}-{c.slug}.yaml" for c in COUNTIES.values())
    good, errors = load_all()
    assert errors == []
    assert len(good) == 15
    by_code = {p.county_code: p for p in good}
    assert by_code["46"].written_standard == "nn"
    assert {p.written_standard for c, p in by_code.items() if c != "46"} == {"nb"}
    assert "03" not in by_code["11"].comparison_counties()  # Rogaland: all counties without Oslo
    assert main(["validate"]) == 0


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_exits_2_naming_file_and_field(case, tmp_path, capsys):
    content, field, words = BAD_CASES[case]
    f = tmp_path / "46-vestland.yaml"
    f.write_bytes(content)
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert "46-vestland.yaml" in err
    if field:
        assert f": {field}: " in err
    assert words in err
    assert "Traceback" not in err


def test_wrong_file_name(tmp_path):
    f = tmp_path / "46-hordaland.yaml"
    f.write_text(GOOD, encoding="utf-8")
    with pytest.raises(ParameterError, match="must be named 46-vestland.yaml"):
        load_parameters(f)


def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "owned"
    f = tmp_path / "46-vestland.yaml"
    f.write_text(
        f'county_code: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    assert main(["validate", str(f)]) == 2
    assert not marker.exists()


def test_cli_process_reports_without_traceback(tmp_path):
    bad = tmp_path / "46-vestland.yaml"
    bad.write_text(GOOD.replace("nn", "en"), encoding="utf-8")
    good = paths.PARAMETERS / "03-oslo.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "kunnskapsgrunnlag", "validate", str(good), str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "written_standard" in proc.stderr and "Traceback" not in proc.stderr
    assert "1 invalid file(s), 1 valid" in proc.stderr


def test_papermill_import_does_not_change_our_loader(tmp_path):
    import papermill  # noqa: F401  (papermill alters yaml.SafeLoader globally)

    f = tmp_path / "46-vestland.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert load_parameters(f).county_code == "46"


def test_notebook_parameters_are_plain_data():
    p = load_parameters(Path(paths.PARAMETERS / "18-nordland.yaml"))
    nbp = p.notebook_parameters()
    assert nbp == {
        "county_code": "18",
        "county_name": "Nordland",
        "written_standard": "nb",
        "comparison": {"kind": "other_counties", "counties": ["55", "56", "50"]},
    }


# ------------------------------------------------------------------ bounded parsing (issue 17.5)
def _validate(tmp_path, content: bytes, capsys) -> tuple[int, str, float]:
    f = tmp_path / "46-vestland.yaml"
    f.write_bytes(content)
    start = time.perf_counter()
    code = main(["validate", str(f)])
    elapsed = time.perf_counter() - start
    return code, capsys.readouterr().err, elapsed


def _one_short_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and "Traceback" not in err
    assert len(lines[0]) < 600, "the message must not echo the value whole"
    return lines[0]


LAUGHS = (
    'county_code: "46"\n'
    + "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" if i else 'l0: &l0 ["lol"]\n'
        for i in range(10)
    )
    + "county_name: *l9\nwritten_standard: nn\ncomparison:\n  kind: all_counties\n"
)


def test_billion_laughs_is_refused_at_once(tmp_path):
    f = tmp_path / "46-vestland.yaml"
    f.write_text(LAUGHS, encoding="utf-8")
    script = (
        "import sys, time\nfrom kunnskapsgrunnlag.cli import main\n"
        "t = time.perf_counter()\ncode = main(['validate', sys.argv[1]])\n"
        "print(f'{time.perf_counter() - t:.3f}')\nsys.exit(code)\n"
    )
    # a subprocess with a timeout, so that a regression fails instead of hanging the suite
    proc = subprocess.run(
        [sys.executable, "-c", script, str(f)], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 2
    line = _one_short_line(proc.stderr)
    assert "46-vestland.yaml: l0: " in line and "anchors and aliases" in line
    assert float(proc.stdout) < 0.5


@pytest.mark.parametrize(
    ("case", "content", "field", "words"),
    [
        ("deep-nesting", GOOD + "x: " + "[" * 5000 + "]" * 5000 + "\n", "x", "nested more than"),
        ("long-number", GOOD.replace('"46"', "4" * 5000), "county_code", "too long (at most 30)"),
        ("long-float", GOOD.replace('"46"', "4." + "4" * 5000), "county_code", "too long"),
        ("comments", GOOD + "# comment\n" * 100_000, None, "larger than 16 KiB"),
        (
            "many-peers",
            GOOD.replace("all_counties", "other_counties\n  counties: [" + '"11", ' * 20_000 + "]"),
            None,
            "larger than 16 KiB",
        ),
        (
            "fifteen-peers",
            GOOD.replace("all_counties", "other_counties\n  counties: [" + '"11", ' * 15 + "]"),
            "comparison.counties",
            "lists 15 counties; at most 14",
        ),
        ("long-name", GOOD.replace("Vestland", "V" * 15_000), "county_name", "'VVVV"),
        ("long-code", GOOD.replace('"46"', '"' + "4" * 15_000 + '"'), "county_code", "'4444"),
        ("long-list", GOOD.replace("nn", "[" + "1, " * 5_000 + "]"), "written_standard", "items"),
    ],
)
def test_unbounded_input_is_refused_quickly(tmp_path, capsys, case, content, field, words):
    code, err, elapsed = _validate(tmp_path, content.encode(), capsys)
    assert code == 2
    line = _one_short_line(err)
    assert "46-vestland.yaml: " + (f"{field}: " if field else "") in line
    assert words in line
    assert elapsed < 0.5


def test_duplicate_peer_check_is_linear():
    start = time.perf_counter()
    with pytest.raises(ValueError, match="at most 14"):
        Comparison.model_validate({"kind": "other_counties", "counties": ["11"] * 20_000})
    assert time.perf_counter() - start < 0.5
    with pytest.raises(ValueError, match="county listed twice: 11, 18"):
        Comparison.model_validate({"kind": "other_counties", "counties": ["11", "18", "11", "18"]})


def test_echoed_values_are_cut_to_80_characters(tmp_path, capsys):
    _, err, _ = _validate(tmp_path, GOOD.replace("Vestland", "V" * 15_000).encode(), capsys)
    assert "'" + "V" * 79 + "…" in err and "V" * 81 not in err


# ------------------------------------------------------------- nothing skipped (issue 17.6)
def _folder(tmp_path) -> Path:
    folder = tmp_path / "parameters"
    folder.mkdir()
    for f in paths.parameter_files():
        shutil.copy(f, folder / f.name)
    shutil.copy(paths.PARAMETERS / "README.md", folder / "README.md")
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("46-vestland.yml", "not a parameter file name"),
        ("notes.txt", "not a parameter file name"),
        ("46-vestland.yaml/", "is a directory"),
        ("46-vestland.yaml@", "is a symbolic link"),
    ],
)
def test_every_entry_of_the_folder_is_a_parameter_file_or_an_error(tmp_path, capsys, entry, words):
    folder = _folder(tmp_path)
    name = entry.rstrip("/@")
    if entry.endswith("/"):
        (folder / name).unlink()
        (folder / name).mkdir()
    elif entry.endswith("@"):
        (folder / name).unlink()
        (folder / name).symlink_to(folder / "11-rogaland.yaml")
    else:
        shutil.copy(folder / "46-vestland.yaml", folder / name)
    files = paths.parameter_files(folder)
    assert {f.name for f in files} >= {name} and "README.md" not in {f.name for f in files}
    good, errors = load_all(files)
    assert [str(e) for e in errors] == [f"{folder / name}: {errors[0].message}"]
    assert words in errors[0].message and "11-rogaland.yaml" not in str(errors[0])
    assert len(good) == 14 + (not entry.endswith(("/", "@")))
    assert main(["validate", *map(str, files)]) == 2
    assert name in capsys.readouterr().err


def test_kg_run_refuses_a_directory_in_parameters(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    folder = _folder(root)
    (root / "notebooks").mkdir()
    (folder / "46-vestland.yaml").unlink()
    (folder / "46-vestland.yaml").mkdir()
    env = {**os.environ, "KG_ROOT": str(root), "KG_OUTPUTS": str(root / "outputs")}
    for command in (["validate"], ["run", "--county", "03"]):
        proc = subprocess.run(
            [sys.executable, "-m", "kunnskapsgrunnlag", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert "46-vestland.yaml: is a directory" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (root / "outputs").exists()
