"""The corpus of bad inputs (:mod:`tests.cli.bad_inputs`): every one gets exit status 2, at most
three lines on stderr and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.cli import main

from .bad_inputs import Case, all_cases, classify, materialise

CASES = all_cases()


def test_the_corpus_is_large_and_covers_every_input_kind() -> None:
    assert len(CASES) >= 100
    kinds = {name.split(":")[0] for name, _, _ in CASES}
    assert {"forecast", "import", "series", "front-params", "simulate", "compare", "serve"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_one_clear_line(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = materialise(case, tmp_path / "case")
    try:
        main(argv)
        code: int | None = 0
    except SystemExit as exc:
        code = 0 if exc.code is None else int(exc.code)
    err = capsys.readouterr().err
    verdict = classify(code, err)
    assert verdict == "clean", f"{verdict}: {err[-500:]}"
    assert err.startswith("error: "), err
