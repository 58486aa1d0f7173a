"""The DEU importer: counts, capabilities from Council voting weights, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("text", "spreadsheet", "date", "regime"),
    [
        ("26-01-00", False, "2000-01-26", "v15"),  # dd-mm-yy
        ("26-01-2000", False, "2000-01-26", "v15"),  # dd-mm-yyyy: EU15 weights, not 2004's
        ("14-12-1999", True, "1999-12-14", "v15"),
        ("14-09-2016", False, "2016-09-14", "dm"),  # was year 3916
        ("2017-04-18", False, "2017-04-18", "dm"),  # ISO date, was None
        ("31-10-2014", False, "2014-10-31", "v25"),  # last day of the Nice weights
        ("01-11-2014", False, "2014-11-01", "dm"),  # first day of the double majority
        # A spreadsheet read "29-09-04" as yy-mm-dd: 2029-09-04 is 29 September 2004 (EU25
        # transitional weights), "30-05-05" became 1930-05-05 (30 May 2005).
        ("2029-09-04", True, "2004-09-29", "v25t"),
        ("1930-05-05", True, "2005-05-30", "v25"),
        ("31-02-2001", False, None, "v25"),
    ],
)
def test_dates_of_both_layouts_and_their_regime(
    text: str, spreadsheet: bool, date: str | None, regime: str
) -> None:
    got = parse_intro(text, spreadsheet)
    assert (got.isoformat() if got else None) == date
    assert regime_for(got) == regime


def test_shipped_file_dates_are_read_back_from_the_spreadsheet() -> None:
    # 26-01-00, 14-12-1999 and the mangled 2029-09-04 all occur in the shipped file; every
    # proposal was introduced 1996-2008 (data README), so no date may fall outside.
    dates = [s.metadata["intro"] for s in load_shipped_deu()]
    assert all(d is not None and "1996-01-01" <= d <= "2008-12-31" for d in dates)


def test_double_majority_capability_by_hand() -> None:
    # Germany: 80,523,700 of 505,572,500 inhabitants (Council figures for 2014) and 1 of 28
    # members; capability = 100 * (1/28 + 80523700/505572500) / 2.
    de = 100 * (1 / 28 + 80523700 / 505572500) / 2
    assert deu_capability_rule("de", "dm", "COD") == pytest.approx(de, rel=1e-12)
    malta = 100 * (1 / 28 + 421400 / 505572500) / 2
    assert deu_capability_rule("mt", "dm", "COD") == pytest.approx(malta, rel=1e-12)
    # The Commission gets the mean member capability: 100/28.
    assert deu_capability_rule("com", "dm", "COD") == pytest.approx(100 / 28)


RELEASE = (
    '"prnrnmc"\t"isnrnmc"\t"prnr"\t"isnr"\t"issues"\t"proc"\t"counvte"\t"intro"'
    '\t"pcom"\t"pde"\t"pfr"\t"scom"\t"sde"\t"sfr"\t"rp"\t"out"'
)


def test_release_layout_names_issues_by_their_own_id() -> None:
    text = (
        RELEASE
        + '\n1\t7\t"d2"\t"d2i1"\t2\t"COD"\t"QMV"\t"14-09-2016"\t10\t20\t30\t50\t50\t50\t\t20'
        + '\n1\t8\t"d2"\t"d2i2"\t2\t"COD"\t"QMV"\t"14-09-2016"\t10\t20\t30\t50\t50\t50\t\t20\n'
    )
    sc = load_deu(text, "r.tsv")
    assert [s.issues[0].name for s in sc] == ["d2 issue 1", "d2 issue 2"]
    assert sc[0].source.startswith("DEU III") and "release layout" in sc[0].source
    assert sc[0].metadata["weights_regime"] == "dm"
    # without the release's columns: the plain layout, a DEU I/II proposal by its date
    plain = load_deu(
        HEADER + '\n"d1"\t"d1i1"\t"COD"\t"QMV"\t"01-01-00"\t50\t80\t0\t50\t0\t10\t\t40\n'
    )
    assert plain[0].source.startswith("DEU I/II") and "DEU layout" in plain[0].source


def test_capability_row_on_line_two_is_read() -> None:
    text = (
        RELEASE
        + '\n\t\t""\t""\t\t""\t""\t""\t5\t29\t29\t\t\t\t\t'
        + '\n1\t1\t"d2"\t"d2i1"\t1\t"COD"\t"QMV"\t"14-09-2016"\t10\t20\t30\t50\t50\t50\t\t20\n'
    )
    sc = load_deu(text, "r.tsv")
    assert len(sc) == 1
    assert {a.id: a.capability for a in sc[0].actors} == {"com": 5.0, "de": 29.0, "fr": 29.0}
    assert sc[0].metadata["weights_regime"] == "file"
    bad = text.replace("\t29\t29\t", "\tx\t29\t", 1)
    with pytest.raises(ScenarioError) as info:
        load_deu(bad, "r.tsv")
    assert info.value.line == 2 and info.value.field == "pde"


def test_unknown_format_hint_names_the_real_option(tmp_path: Path) -> None:
    p = tmp_path / "f.weird"
    p.write_text("x")
    with pytest.raises(ScenarioError, match="--input-format"):
        load_scenarios(p)


@given(st.dates(dt.date(1950, 1, 1), dt.date(2049, 12, 31)))
def test_every_date_layout_parses_back(d: dt.date) -> None:
    yy = d.year % 100
    assert parse_intro(f"{d.day:02d}-{d.month:02d}-{yy:02d}") == d
    assert parse_intro(f"{d.day:02d}-{d.month:02d}-{d.year}") == d
    assert parse_intro(d.isoformat()) == d
    # A spreadsheet reads "dd-mm-yy" as yy-mm-dd (two-digit years 00-29 are 20xx, 30-99 19xx) and
    # writes yyyy-mm-dd; where that is a calendar date, the importer reads it back.
    year = 2000 + d.day if d.day < 30 else 1900 + d.day
    try:
        shown = dt.date(year, d.month, yy).isoformat()
    except ValueError:
        assume(False)
    assert parse_intro(shown, spreadsheet_iso=True) == d


#: Line 2 of the upstream DEU III release copy (blksv/predictioneers_game deu3.csv @21b97375): 13
#: empty fields, then one capability per actor in the p<actor> columns, quoted, in column order.
UPSTREAM_CAPABILITIES = (
    "4.1 4.1 0.48 0.58 0.09 0.08 0.03 0.31 0.37 0.04 0.28 2.8 4.1 0.22 0.2 0.5 2.09 0.04 0.07 "
    "0.08 0.02 1.03 0.75 0.27 0.32 0.06 0.12 1.46 0.55 2.64"
).split()


def test_upstream_capability_row_layout() -> None:
    shipped = (Path(__file__).parents[2] / "src/parley/data/deu/deu_waves_I_II.tsv").read_text()
    header, first = shipped.splitlines()[:2]
    n_columns = len(header.split("\t"))
    cells = [""] * 13 + [f'"{v}"' for v in UPSTREAM_CAPABILITIES]
    row2 = "\t".join(cells + [""] * (n_columns - len(cells)))
    sc = load_deu("\n".join([header, row2, first]) + "\n", "deu3.csv")
    assert len(sc) == 1 and sc[0].id == "d00032i1"
    caps = {a.id: a.capability for a in sc[0].actors}
    assert caps["com"] == 4.1 and caps["de"] == 4.1 and caps["fr"] == 2.8 and caps["uk"] == 2.64
    assert sc[0].metadata["weights_regime"] == "file"
    assert sc[0].issues[0].name == "d00032 issue 1"
