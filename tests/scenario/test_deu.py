"""The DEU importer: counts, capabilities from Council voting weights, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.scenario import ScenarioError, load_scenarios
from parley.scenario.importers.deu import (
    deu_capability_rule,
    load_deu,
    load_shipped_deu,
    parse_intro,
    regime_for,
)

HEADER = '"prnr"\t"isnr"\t"proc"\t"counvte"\t"intro"\t"pcom"\t"scom"\t"pde"\t"sde"\t"pfr"\t"sfr"\t"rp"\t"out"'


def test_shipped_counts_match_the_data_readme() -> None:
    scenarios = load_shipped_deu()
    # 331 issues in the file; every one has at least one actor with position and salience
    assert len(scenarios) == 331
    scoreable = [s for s in scenarios if s.issues[0].outcome is not None and len(s.actors) >= 3]
    assert len(scoreable) == 322  # "Known facts" in the shared data README


def test_first_issue_by_hand() -> None:
    sc = load_shipped_deu()[0]
    # row 1 of the file: d00032i1, pcom=100 scom=50, rp=0, intro 26-01-00 (EU15 weights), out=100
    assert sc.id == "d00032i1"
    assert sc.issues[0].outcome == 100.0
    com = sc.actor("com")
    assert com.positions["d00032i1"].position == 100.0
    assert com.positions["d00032i1"].salience == pytest.approx(0.5)
    assert sc.issues[0].reference_point == 0.0
    # 17 actors have both a position and a salience in that row (EU15 plus Commission and EP)
    assert len(sc.actors) == 17
    assert sc.metadata["weights_regime"] == "v15"
    # Germany and France had 10 votes under the EU15 weighting (Treaty of Amsterdam, art. 205)
    assert sc.actor("de").capability == 10.0
    # EU15 weights sum to 87 over 15 states: the Commission gets the mean, 87/15
    assert com.capability == pytest.approx(87 / 15)


def test_regimes_and_dates() -> None:
    assert parse_intro("26-01-00").isoformat() == "2000-01-26"
    assert parse_intro("05-11-97").isoformat() == "1997-11-05"
    assert parse_intro("garbage") is None
    assert regime_for(parse_intro("01-05-04")) == "v15"
    assert regime_for(parse_intro("02-05-04")) == "v25t"
    assert regime_for(parse_intro("01-11-04")) == "v25"
    # Nice weights: Germany 29, Poland 27, Malta 3
    assert deu_capability_rule("de", "v25", "COD") == 29
    assert deu_capability_rule("pl", "v25", "COD") == 27
    # Poland had no EU15 weight: it gets its weight of the first regime listing it (EU25 transition: 8)
    assert deu_capability_rule("pl", "v15", "COD") == 8


def test_wrong_header(tmp_path: Path) -> None:
    p = tmp_path / "d.tsv"
    p.write_text('"prnr"\t"isnr"\t"foo"\n1\t2\t3\n')
    with pytest.raises(ScenarioError) as info:
        load_scenarios(p, "deu")
    assert "missing column(s) proc, counvte, intro, rp, out" in info.value.message
    assert info.value.line == 1 and info.value.file == str(p)


def test_non_numeric_cell_names_line_and_column() -> None:
    text = HEADER + '\n"d1"\t"d1i1"\t"COD"\t"QMV"\t"01-01-00"\t50\t80\tabc\t50\t0\t10\t\t40\n'
    with pytest.raises(ScenarioError) as info:
        load_deu(text, "f.tsv")
    assert info.value.line == 2 and info.value.field == "pde"


def test_value_out_of_scale() -> None:
    text = HEADER + '\n"d1"\t"d1i1"\t"COD"\t"QMV"\t"01-01-00"\t50\t180\t0\t50\t0\t10\t\t40\n'
    with pytest.raises(ScenarioError, match="0–100 scale"):
        load_deu(text, "f.tsv")


def test_ragged_row() -> None:
    text = HEADER + '\n"d1"\t"d1i1"\t"COD"\n'
    with pytest.raises(ScenarioError, match="fields"):
        load_deu(text, "f.tsv")


def test_actor_needs_position_and_salience() -> None:
    text = HEADER + '\n"d1"\t"d1i1"\t"CNS"\t"QMV"\t"01-01-00"\t50\t80\t0\t\t100\t30\t\t40\n'
    sc = load_deu(text, "f.tsv")[0]
    assert [a.id for a in sc.actors] == ["com", "fr"]
