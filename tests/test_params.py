"""`kg validate`: the shipped files pass; each bad case exits 2 naming the file and the field."""

import subprocess
import sys
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.cli import main
from kunnskapsgrunnlag.params import ParameterError, load_all, load_parameters
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
