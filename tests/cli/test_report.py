"""``parley report``: writes the HTML and figures; user mistakes exit 2 with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.cli import main
from parley.report.war_figures import WAR_FIGURE_IDS

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine-2022-11.yaml"


@pytest.mark.slow
def test_report_on_flagship_writes_html_and_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "report",
                str(FLAGSHIP),
                "--out",
                str(out),
                "--figures",
                str(tmp_path / "fig"),
                "--runs",
                "4",
                "--war-runs",
                "6",
                "--seed",
                "1",
            ]
        )
    assert exc.value.code == 0
    page = out.read_text(encoding="utf-8")
    # answer first: the question, the generated answer, the trust box, the robustness table
    assert page.index("What the model finds") < page.index("How far to trust this")
    assert page.index("How far to trust this") < page.index("Which policy holds up")
    assert page.index("Which policy holds up") < page.index("Details: summary")
    assert "Ending the war in Ukraine" in page
    # the territorial scale's labelled lines are explained in the question section
    assert "24 February 2022 line" in page and "43,980 km²" in page
    pngs = sorted(p.stem for p in (tmp_path / "fig").glob("*.png"))
    svgs = sorted(p.stem for p in (tmp_path / "fig").glob("*.svg"))
    assert pngs == svgs and "stakeholder-forecasts" in pngs
    # every figure of the war part, as PNG and SVG (Sobol' indices only when stable; at this
    # size they are not, and the report says so)
    assert set(WAR_FIGURE_IDS) - {"sobol"} <= set(pngs)
    assert "sobol" in pngs or "not estimable at this size" in page
    assert "Where the conclusion flips and what drives it" in page
    assert "wrote" in capsys.readouterr().out


def test_missing_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "r.html")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "nope.yaml" in err and "\n" not in err


def test_bad_range_in_scenario_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = FLAGSHIP.read_text(encoding="utf-8").replace(
        "territory: {position_range: [0, 43980], salience_range: [0.9, 1.0]",
        "territory: {position_range: [5000, 43980], salience_range: [0.9, 1.0]",
        1,
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["report", str(bad), "--out", str(tmp_path / "r.html"), "--runs", "5"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "metadata.stances.UKR.territory.position_range" in err
    assert "does not contain the scenario's value 0" in err
    assert "\n" not in err
