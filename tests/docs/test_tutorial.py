"""docs/tutorial.md, followed as a reader would: its YAML edits applied to a copy of the flagship,
then its commands run (at smaller sizes, so the suite stays fast). Fails if the tutorial drifts
from what parley accepts or does."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
FLAGSHIP = ROOT / "scenarios" / "ukraine-2022-11.yaml"

#: smaller sizes than the tutorial's, same commands otherwise
SMALLER = {"--war-runs": "12", "--runs": "40", "--n": "8", "-r": "1"}


def _blocks(lang: str) -> list[str]:
    """The fenced code blocks of the tutorial whose info string is ``lang`` (``""``: none)."""
    blocks, current, info = [], [], None
    for line in TUTORIAL.splitlines():
        if line.startswith("```"):
            if info is None:
                info, current = line[3:].strip(), []
            else:
                if info == lang:
                    blocks.append("\n".join(current) + "\n")
                info = None
        elif info is not None:
            current.append(line)
    return blocks


def _indent(block: str, anchor: str, text: str) -> str:
    """Insert ``block`` (indented as in the tutorial) right after the line ``anchor``."""
    i = text.index(anchor) + len(anchor)
    return text[:i] + "\n" + block.rstrip("\n") + text[i:]


@pytest.fixture(scope="module")
def my_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    group, combo = _blocks("yaml")[:2]
    text = FLAGSHIP.read_text(encoding="utf-8")
    text = _indent(group, "\n  assumptions:", text)  # "find `experiment: assumptions:`"
    text = _indent(combo, "\n    combos:", text)  # "under `metadata: report: combos:`"
    path = tmp_path_factory.mktemp("tutorial") / "my-scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _commands() -> list[list[str]]:
    """The tutorial's ``.venv/bin/parley`` commands (continuation lines joined)."""
    out = []
    for block in _blocks(""):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            if line.strip().startswith(".venv/bin/parley"):
                out.append(shlex.split(line.strip())[1:])
    return out


def _run(argv: list[str], scenario: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one tutorial command on the edited copy, with the sizes of :data:`SMALLER`."""
    args = [str(scenario) if a == "my-scenario.yaml" else a for a in argv]
    args = [SMALLER.get(args[k - 1], a) if k else a for k, a in enumerate(args)]
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )


def test_the_tutorial_names_the_commands_it_explains() -> None:
    names = [c[0] for c in _commands()]
    # the demo (step 1) is tested by tests/cli/test_demo.py; the rest run below
    assert names == ["demo", "report", "compare", "sensitivity", "discover"]


@pytest.mark.slow
def test_the_tutorial_runs_end_to_end(my_scenario: Path) -> None:
    cwd = my_scenario.parent
    commands = [c for c in _commands() if c[0] != "demo"]
    report = _run(commands[0], my_scenario, cwd)
    assert report.returncode == 0, report.stderr
    page = (cwd / "my-report.html").read_text(encoding="utf-8")
    # "The new combination appears as a row of the robustness table (named ... in words)"
    assert "<td>advocates but my reciprocity</td>" in page
    assert (cwd / "my-figures").is_dir()
    for argv in commands[1:]:
        done = _run(argv, my_scenario, cwd)
        assert done.returncode == 0, f"{argv[0]}: {done.stderr}"
        assert done.stdout.strip(), argv[0]
