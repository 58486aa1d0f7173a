"""Parity of parley's SMP with KTAB's ``smpc`` on every KTAB input that has a reference output.

The expected values are KTAB's own printed output (``tests/data/ktab/*.txt``, produced by ``smpc``
built from github lsyaseen/KTAB @3b5b0635 with default parameters; see PROVENANCE.md there), parsed
here line by line. parley's numbers are formatted with smpc's own precision (positions on the 0-100
scale with one decimal, probabilities and fractional changes with four) and compared as text, so a
test passes only if every printed digit agrees, together with the number of states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from parley.negotiation.smp import smp_model
from parley.negotiation.smp_turn import SMPParams
from parley.scenario.arrays import stakeholder_batch
from parley.scenario.importers.ktab import load_ktab

REF_DIR = Path(__file__).resolve().parents[1] / "data" / "ktab"
REFERENCES = sorted(p.stem for p in REF_DIR.glob("*.txt"))
#: Inputs without a reference output (too large for smpc's reference set): run but not compared.
UNREFERENCED = ("dummyData-a040", "dummyData-a080")


@dataclass
class Reference:
    """What smpc printed for one run."""

    fractional_change: list[str]
    n_states: int
    positions: list[tuple[str, list[str]]]  # (actor, values), one line per actor and dimension
    prob: dict[str, list[str]]


def parse_reference(text: str) -> Reference:
    """Parse smpc's "Fractional change", "There were N states", position and "prob :" lines."""
    frac = re.findall(r"^Fractional change compared to first step: ([\d.]+)", text, flags=re.M)
    states = re.search(r"^There were (\d+) states, with (\d+) steps", text, flags=re.M)
    assert states is not None
    assert int(states.group(2)) == int(states.group(1)) - 1
    positions: list[tuple[str, list[str]]] = []
    prob: dict[str, list[str]] = {}
    in_positions = False
    for line in text.splitlines():
        if line.startswith("History of actor positions"):
            in_positions = True
            continue
        m = re.match(r"^(.+?), prob :((?: +[\d.]+)+) *$", line)
        if m:
            prob[m.group(1)] = m.group(2).split()
            in_positions = False
            continue
        m = re.match(r"^(.+?), [^,:]+:((?: +[\d.]+)+) *$", line)
        if m and in_positions:
            positions.append((m.group(1), m.group(2).split()))
    return Reference(frac, int(states.group(1)), positions, prob)


def ktab_input(stem: str) -> str:
    return (resources.files("parley.data") / "ktab" / f"{stem}.csv").read_text()


def run(stem: str, **options: object):
    (sc,) = load_ktab(ktab_input(stem), f"{stem}.csv")
    batch = stakeholder_batch([sc])
    return batch, smp_model(batch, **options)


def test_every_input_has_a_reference() -> None:
    inputs = sorted(
        p.name[:-4]
        for p in (resources.files("parley.data") / "ktab").iterdir()
        if p.name.endswith(".csv")
    )
    assert len(REFERENCES) == 19
    assert sorted(set(inputs) - set(REFERENCES)) == list(UNREFERENCED)


def test_parser_reads_a_known_file() -> None:
    # bench_a5_d1.txt, quoted: "Fractional change compared to first step: 0.9999", "There were 6
    # states", "A000, Pstn1:  48.5  48.4  95.7  95.7  90.7  90.7",
    # "A004, prob : 0.3263 0.3304 0.0780 0.2835 0.2770 0.2676"
    ref = parse_reference((REF_DIR / "bench_a5_d1.txt").read_text())
    assert ref.n_states == 6
    assert ref.fractional_change == ["0.9999", "1.5720", "0.4510", "0.0645", "0.0058"]
    assert ref.positions[0] == ("A000", ["48.5", "48.4", "95.7", "95.7", "90.7", "90.7"])
    assert ref.prob["A004"] == ["0.3263", "0.3304", "0.0780", "0.2835", "0.2770", "0.2676"]


@pytest.mark.slow
@pytest.mark.parametrize("stem", REFERENCES)
def test_smpc_parity(stem: str) -> None:
    ref = parse_reference((REF_DIR / f"{stem}.txt").read_text())
    batch, res = run(stem)
    actors = batch.actor_ids[0]
    n_dims = len(batch.issue_ids[0])
    n = int(res.extra["n_states"][0])
    assert n == ref.n_states
    assert len(ref.fractional_change) == n - 1
    frac = res.extra["fractional_change"][0, : n - 1]
    assert [f"{v:.4f}" for v in frac] == ref.fractional_change
    assert len(ref.prob) == len(actors)
    for actor, printed in ref.prob.items():
        mine = res.extra["prob"][0, :n, actors.index(actor)]
        assert [f"{v:.4f}" for v in mine] == printed, actor
    assert len(ref.positions) == len(actors) * n_dims
    seen: dict[str, int] = {}
    assert res.history is not None
    for actor, printed in ref.positions:
        k = seen.get(actor, 0)
        seen[actor] = k + 1
        mine = res.history[0, :n, actors.index(actor), k].copy()
        # state 0 is the input itself; smpc prints it as 100 * (value / 100), its [0, 1] reading
        assert mine[0] == batch.position[0, actors.index(actor), k]
        mine[0] = 100.0 * (mine[0] / 100.0)
        assert [f"{v:5.1f}".strip() for v in mine] == printed, (actor, k)
    # the run ends where smpc's ends: nothing after the last state
    assert np.isnan(res.history[0, n:]).all()


def test_cycling_run_stops_at_100_turns() -> None:
    # smpc ran bench_a5_d3 to its 100-iteration limit (101 states, spec section 6)
    _, res = run("bench_a5_d3")
    assert int(res.extra["n_states"][0]) == 101


def test_batched_references_equal_single_runs() -> None:
    # all 10-actor references in one call: same trajectories as run alone (and as smpc printed)
    stems = [s for s in REFERENCES if s.startswith("bench_a10_")]
    scs = [load_ktab(ktab_input(s), f"{s}.csv")[0] for s in stems]
    res = smp_model(stakeholder_batch(scs))
    for b, stem in enumerate(stems):
        ref = parse_reference((REF_DIR / f"{stem}.txt").read_text())
        n = int(res.extra["n_states"][b])
        assert n == ref.n_states
        frac = res.extra["fractional_change"][b, : n - 1]
        assert [f"{v:.4f}" for v in frac] == ref.fractional_change


# One-parameter-at-a-time sweep on dummyData_3Dim: number of states smpc produced for each variant
# (smp-spec section 8, "A sweep changed one parameter at a time on 3Dim; states in brackets").
SPEC_SWEEP = [
    ("victory_prob_model", "Square", 6),
    ("victory_prob_model", "Quartic", 6),
    ("victory_prob_model", "Octic", 6),
    ("victory_prob_model", "Binary", 15),
    ("pce_model", "MarkovIncentive", 9),
    ("pce_model", "MarkovUniform", 17),
    ("voting_rule", "Binary", 10),
    ("voting_rule", "PropBin", 8),
    ("voting_rule", "PropCbc", 20),
    ("voting_rule", "Cubic", 13),
    ("big_r_adjust", "None", 8),
    ("big_r_adjust", "Half", 49),
    ("big_r_adjust", "TwoThirds", 23),
    ("big_r_range", "Min", 11),
    ("big_r_range", "Max", 21),
    ("third_party_commit", "NoCommit", 13),
    ("third_party_commit", "FullCommit", 13),
    ("inter_vec_brgn", "S1P1", 10),
    ("inter_vec_brgn", "S2PMax", 10),
    ("bargn_model", "InitRcvrInterp", 11),
    ("bargn_model", "PWCompInterp", 7),
]


def test_default_3dim_has_11_states() -> None:
    ref = parse_reference((REF_DIR / "dummyData_3Dim.txt").read_text())
    assert ref.n_states == 11
    _, res = run("dummyData_3Dim")
    assert int(res.extra["n_states"][0]) == 11


@pytest.mark.parametrize(("option", "value", "states"), SPEC_SWEEP)
def test_parameter_sweep_state_counts(option: str, value: str, states: int) -> None:
    assert getattr(SMPParams(), option) != value  # a real change from the default
    _, res = run("dummyData_3Dim", **{option: value})
    assert int(res.extra["n_states"][0]) == states


def test_no_and_full_commit_are_identical_runs() -> None:
    # spec section 4.2: under NoCommit and FullCommit third parties never matter
    _, a = run("dummyData_3Dim", third_party_commit="NoCommit")
    _, b = run("dummyData_3Dim", third_party_commit="FullCommit")
    assert a.history is not None and b.history is not None
    np.testing.assert_array_equal(a.history, b.history)
    np.testing.assert_array_equal(a.extra["prob"], b.extra["prob"])


def test_ktab_parameter_names_are_accepted() -> None:
    _, a = run("dummyData_3Dim", VotingRule="PropCbc")
    assert int(a.extra["n_states"][0]) == 20  # the spec's PropCbc count
    _, b = run("dummyData_3Dim", voting_rule="PropCbc")
    assert a.history is not None and b.history is not None
    np.testing.assert_array_equal(a.history, b.history)
