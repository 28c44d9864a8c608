from kunnskapsgrunnlag import formatting as f

NB = "\u00a0"


def test_numbers_the_norwegian_way():
    assert f.number(5594340) == f"5{NB}594{NB}340"
    assert f.percent(1.234) == f"1,2{NB}%"
    assert f.percent(0.85, sign=True) == f"+0,9{NB}%"
    assert f.number(-1234.5, 1) == f"\u22121{NB}234,5"
    assert f.kroner(12345.4) == f"12{NB}345{NB}kr"
    assert f.number(float("nan")) == ".."
    assert f.number(-0.04, 1) == "0,0"


def test_half_up_rounding_as_ssb():
    assert f.round_half_up(2.5) == 3
    assert f.round_half_up(0.125, 2) == 0.13
    assert f.round_half_up(-2.5) == -3
    assert f.number(0.5) == "1"
    assert f.percent(1.25) == f"1,3{NB}%"


def test_cell_keeps_symbols():
    assert f.cell(float("nan"), ":") == ":"
    assert f.cell(3.0, None, unit="%", decimals=1) == f"3,0{NB}%"
    assert f.cell(float("nan"), "..") == ".."


def test_join_words():
    assert f.join_words(["Bergen", "Stord", "Voss"]) == "Bergen, Stord og Voss"


def test_years_text_gives_runs_of_three_or_more_as_spans():
    from kunnskapsgrunnlag.formatting import years_text

    assert years_text([2013, 2009, 2011, *range(2015, 2025)]) == "2009, 2011, 2013 og 2015–2024"
    assert years_text([2020, 2019]) == "2019 og 2020" and years_text([2024]) == "2024"
