"""``parley demo``: the flagship analysis end to end, at a tiny size."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.cli import main


def test_demo_writes_report_and_figures(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--out", str(tmp_path / "out"), "--runs", "8", "--seed", "3"])
    assert exc.value.code == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "ukraine-2022-11" in page and "8 runs" in page
    figs = list((tmp_path / "out" / "figures").glob("*.png"))
    assert figs, "the demo writes static figures"
