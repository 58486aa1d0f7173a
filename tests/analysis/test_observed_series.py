"""Reading the observed series a scenario declares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from parley.analysis.observed_series import observed_series, observed_source
from parley.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"


def test_the_flagship_front_is_the_shipped_deepstate_series() -> None:
    sc = load_scenario(FLAGSHIP)
    obs = observed_series(sc, "front", sc.start_date)
    assert obs["date"].iloc[-1] <= "2022-11-08"
    # DeepState occupied_total_km2 on 2022-11-08 (the scenario's initial area) and the peak of
    # 29 August 2022, both quoted in scenarios/README.md
    assert obs["value"].iloc[-1] == pytest.approx(113286.1, abs=1)
    assert obs["value"].max() == pytest.approx(125201, abs=1)
    week = observed_series(sc, "front", "2022-11-08", days_before=7)
    assert week["date"].iloc[0] >= "2022-11-01" and len(week) <= 8


def test_rows_not_kept_and_undeclared_series(tmp_path: Path) -> None:
    csv = tmp_path / "front.csv"
    pd.DataFrame(
        {"date": ["2022-01-01", "2022-01-02", "2022-01-03"], "km2": [1.0, 2.0, 3.0],
         "fresh": [True, False, True]}
    ).to_csv(csv, index=False)  # fmt: skip
    src = FLAGSHIP.read_text(encoding="utf-8")
    text = src[: src.index("\nobserved:")] + (
        "\nobserved:\n  front: {file: front.csv, column: km2, keep_where: fresh}\n"
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    sc = load_scenario(tmp_path / "s.yaml")
    obs = observed_series(sc, "front")
    assert obs["date"].tolist() == ["2022-01-01", "2022-01-03"]  # the false row left out
    assert obs["value"].tolist() == [1.0, 3.0]
    assert observed_series(sc, "losses").empty


def test_observed_source_is_the_declared_citation() -> None:
    sc = load_scenario(FLAGSHIP)
    assert "DeepState" in observed_source(sc, "front")
    assert observed_source(sc, "no_such_series") == ""
