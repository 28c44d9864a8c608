"""One name per region (``regions.names``) and the package's light, flat face."""

import re
import subprocess
import sys

import pytest

from kunnskapsgrunnlag import regions as r


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norway_is_ssbs_own_label_in_both_standards(lang):
    assert r.NORWAY == "0"
    assert r.region_name("0", lang) == {"nb": "Hele landet", "nn": "Heile landet"}[lang]


def test_landet_uten_oslo_in_nb_and_nn():
    assert r.LANDET_UTEN_OSLO == "EAFKUO"
    assert r.region_name("EAFKUO") == "Landet uten Oslo"
    assert r.region_name("EAFKUO", "nb") == "Landet uten Oslo"
    assert r.region_name("EAFKUO", "nn") == "Landet utanom Oslo"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_counties(lang):
    assert r.region_name("46", lang) == "Vestland"
    assert r.region_name("55", lang) == "Troms"  # not the official "Troms - Romsa - Tromssa"
    assert {c: r.region_name(c, lang) for c in r.COUNTIES} == {
        c: county.name for c, county in r.COUNTIES.items()
    }
    assert r.region_name("30", lang) == "Viken (2020–2023)"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("4601", "Bergen"),
        ("0301", "Oslo"),
        ("1833", "Rana"),  # KLASS: "Rana - Raane"
        ("5001", "Trondheim"),  # "Trondheim - Tråante"
        ("5512", "Tjeldsund"),  # "Dielddanuorri - Tjeldsund"
        ("5538", "Storfjord"),  # "Storfjord - Omasvuotna - Omasvuono"
        ("5612", "Kautokeino"),  # "Guovdageaidnu - Kautokeino"
        ("1508", "Ålesund"),
    ],
)
def test_municipalities_by_their_norwegian_2024_name(code, name):
    assert r.region_name(code) == name
    assert r.region_name(code, "nn") == name


def test_every_2024_municipality_has_a_plain_name_from_its_klass_name():
    m = r.municipalities(2024)
    for code, klass_name in zip(m["code"], m["name"], strict=True):
        name = r.region_name(code)
        assert " - " not in name
        assert name in klass_name.split(" - ")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("1508+1580", "Ålesund og Haram"),
        ("5055+5056+5059", "Heim, Hitra og Orkland"),
        ("1806+1875", "Narvik og Hamarøy"),
    ],
)
def test_combined_units_join_the_names(code, name):
    assert r.region_name(code) == name
    assert r.region_name(code, "nn") == name
    assert code in set(r.split_units(2017)["unit_2024"])


@pytest.mark.parametrize(
    "code", ["9999", "1507", "47", "4600", "1508+1508", "1508+", "+1508", "1508+1507", "", "eafkuo"]
)
def test_unknown_code_names_the_code(code):
    with pytest.raises(ValueError, match=re.escape(f"unknown region code {code!r}")):
        r.region_name(code)


def test_bad_lang_and_non_string_code():
    with pytest.raises(ValueError, match="'en'"):
        r.region_name("46", "en")
    with pytest.raises(TypeError, match="46"):
        r.region_name(46)


def test_reference_aggregates():
    assert r.REFERENCE_AGGREGATES[r.NORWAY] == tuple(r.COUNTIES)
    assert r.REFERENCE_AGGREGATES[r.LANDET_UTEN_OSLO] == tuple(c for c in r.COUNTIES if c != "03")


def test_flat_face_has_every_public_name():
    for name in r.__all__:
        assert getattr(r, name) is not None, name
    from kunnskapsgrunnlag.regions import aggregate_to_counties, segments
    from kunnskapsgrunnlag.regions.aggregate import aggregate_to_counties as direct
    from kunnskapsgrunnlag.regions.history import segments as seg

    assert aggregate_to_counties is direct and segments is seg
    with pytest.raises(AttributeError, match="no_such_name"):
        r.no_such_name  # noqa: B018


def test_importing_regions_does_not_import_pandas():
    code = (
        "import sys, kunnskapsgrunnlag.regions as r; "
        "assert r.region_name('1833') == 'Rana'; "
        "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
