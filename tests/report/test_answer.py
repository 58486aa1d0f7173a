"""The generated first screen (parley.report.answer) on hand-made robustness tables."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from parley.report.answer import answer_paragraph, key_table, trust_sentences


def _regret(rows: list[tuple[str, str, float, str, float, float, float]]) -> pd.DataFrame:
    cols = ["assumptions", "policy", "mean", "best_policy", "regret", "lo", "hi"]
    return pd.DataFrame(rows, columns=cols)


def _war() -> SimpleNamespace:
    # advocates: p best (100,000 km2), q 5,000 km2 worse (interval 1,000-9,000: resolved);
    # critics: q best, p 2,000 km2 worse (interval -1,000-5,000: not resolved);
    # advocates_but_battlefield_wrong: q best, p 3,000 km2 worse (1,000-5,000).
    regret = _regret(
        [
            ("advocates", "p", 100000, "p", 0, 0, 0),
            ("advocates", "q", 105000, "p", 5000, 1000, 9000),
            ("critics", "p", 110000, "q", 2000, -1000, 5000),
            ("critics", "q", 108000, "q", 0, 0, 0),
            ("advocates_but_battlefield_wrong", "p", 90000, "q", 3000, 1000, 5000),
            ("advocates_but_battlefield_wrong", "q", 87000, "q", 0, 0, 0),
        ]
    )
    sat = pd.DataFrame(
        {
            "assumptions": ["advocates", "advocates", "critics", "critics"],
            "policy": ["p", "q", "p", "q"],
            "share": [0.5, 0.2, 0.1, 0.3],
            "lo": [0.4, 0.1, 0.05, 0.2],
            "hi": [0.6, 0.3, 0.2, 0.4],
        }
    )
    cells = pd.DataFrame(
        {
            "assumptions": ["advocates"] * 2,
            "policy": ["p", "q"],
            "measure": ["territory_after_km2"] * 2,
            "estimate": [100000.0, 105000.0],
            "lo": [99000.0, 104000.0],
            "hi": [101000.0, 106000.0],
        }
    )
    return SimpleNamespace(
        regret=regret, satisficing=sat, cells=cells, side_names=("Russia", "Ukraine"),
        thresholds={"territory_after_km2": 113286.0}, policy_names={"p": "push", "q": "wait"},
    )  # fmt: skip


def test_answer_names_the_best_policy_per_camp_and_the_flip() -> None:
    text = answer_paragraph(_war())
    assert text.startswith(
        "Under the advocates' assumptions, push leaves Russia the least territory "
        "(100,000 km² on average), 5,000 km² less than the next best, wait (interval 1,000 km² "
        "to 9,000 km²)"
    )
    # the critics' best cannot be told apart from the runner-up (interval includes 0)
    assert (
        "wait leaves Russia the least territory (108,000 km² on average), but push cannot be "
        "told apart from it at this run count (2,000 km² more" in text
    )
    # with the battlefield assumption wrong the advocates' choice is 3,000 km² worse
    assert "stops being the best in 1 of the 1 cases with one assumption wrong" in text
    assert "wait does best and push leaves 3,000 km² more" in text
    # worst-case regret: p 3,000 (battlefield wrong), q 5,000 (advocates) -> p
    assert "push has the smallest worst-case regret: at most 3,000 km²" in text
    # satisficing: worst-set shares p 0.1, q 0.2 -> wait in at least 20 %
    assert "wait meets them in at least 20 % of the futures of every set" in text
    assert "_" not in text.replace("advocates_but", "")


def test_key_table_has_policies_in_words() -> None:
    t = key_table(_war(), ["advocates"])
    assert list(t["policy"]) == ["push", "wait"]
    assert (
        t.iloc[0, 1]
        == "territory under Russia after the war: 100,000 km² [99,000 km², 101,000 km²]"
    )


def test_trust_sentences_report_skill_and_the_reference_band() -> None:
    skill = pd.DataFrame(
        {"model": ["front", "rw", "climatology"], "wis_ratio_rw": [0.8, 1.0, 1.5],
         "cover90": [0.7, 0.5, 0.2]}
    )  # fmt: skip
    ref = pd.DataFrame(
        {"policy": ["p", "q"], "after_months": [12, 12], "model": [0.5, 0.65],
         "cow": [0.44, 0.44], "cow_lo": [0.3, 0.3], "cow_hi": [0.6, 0.6]}
    )  # fmt: skip
    trust = SimpleNamespace(
        skill=skill, origins=6, reference=ref, age_days=257,
        sizes=SimpleNamespace(backtest_runs=100, reference_runs=50),
    )  # fmt: skip
    s = trust_sentences(trust, _war())
    assert "0.80× a random walk's" in s[0] and "climatology 1.50×" in s[0]
    assert "held 70 % of the observed values" in s[0]
    assert "already 257 days old" in s[1] and "44 % were still going 12 months later" in s[1]
    assert "push 50 %, wait 65 %" in s[1] and "1 of 2 inside the band" in s[1]


def test_trust_box_says_what_it_cannot_check() -> None:
    trust = SimpleNamespace(
        skill=pd.DataFrame(), origins=0, reference=pd.DataFrame(), age_days=0,
        sizes=SimpleNamespace(backtest_runs=100, reference_runs=50),
    )  # fmt: skip
    s = trust_sentences(trust, _war())
    assert s[0] == "Front forecasts: the scenario names no data series to backtest its front on."
    assert "metadata.war_start_date" in s[1]
    assert "cannot be backtested" in s[2]


def test_key_table_headers_read_as_words() -> None:
    war = _war()
    war.cells = pd.concat(
        [war.cells, war.cells.assign(assumptions="advocates_but_battlefield_wrong")]
    )
    t = key_table(war, ["advocates", "advocates_but_battlefield_wrong"])
    assert list(t.columns) == [
        "policy",
        "advocates' assumptions",
        "advocates' case but the critics' battlefield assumption",
    ]
