"""Regenerate ``variants/*.json``: KTAB's own runs of single-parameter variants, through pySMP.

Run from the repository root with pySMP==0.1.3 and its Debian libraries installed (see
``src/parley/negotiation/smp_pysmp.py``)::

    .venv/bin/python tests/data/ktab/make_variants.py

For each input and each non-default value of each of KTAB's nine model parameters (except the
ones smpc cannot run reproducibly: Stochastic transitions and the order-dependent ASymProsp voting
rule, spec section 9), KTAB's library runs the model and this script stores what KTAB reports: the
number of states, the "Fractional change" and "prob :" lines of its log (as printed, 4 decimals)
and the position history returned by ``getPositionHistory`` (float32, 0-100 scale, written with 9
significant digits so the float32 values round-trip exactly). BigRAdjust=Full is recorded as the
error KTAB raises. Nothing here is computed by parley.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from parley.negotiation.smp_pysmp import PARAM_CODES, ktab_codes, pysmp_unavailable, run_ktab
from parley.negotiation.smp_turn import SMPParams

ROOT = Path(__file__).resolve().parents[3]
INPUTS = ("dummyData_3Dim", "bench_a10_d3")
SKIP = {("state_transitions", "Stochastic"), ("voting_rule", "ASymProsp")}


def main() -> None:
    why = pysmp_unavailable()
    if why:
        sys.exit(why)
    out_dir = Path(__file__).resolve().parent / "variants"
    out_dir.mkdir(exist_ok=True)
    for stem in INPUTS:
        csv = ROOT / "src" / "parley" / "data" / "ktab" / f"{stem}.csv"
        runs = []
        for name, values in PARAM_CODES:
            for value in values:
                if value == getattr(SMPParams(), name) or (name, value) in SKIP:
                    continue
                prm = replace(SMPParams(), **{name: value})
                entry: dict[str, object] = {"option": name, "value": value}
                entry["ktab_codes"] = ktab_codes(prm)
                try:
                    r = run_ktab(csv, prm, log=True)
                except RuntimeError as exc:
                    entry["error"] = str(exc)
                    runs.append(entry)
                    print(stem, name, value, "error", flush=True)
                    continue
                assert r.prob is not None and r.fractional_change is not None
                entry["n_states"] = r.n_states
                entry["fractional_change"] = [f"{v:.4f}" for v in r.fractional_change]
                entry["prob"] = [[f"{v:.4f}" for v in row] for row in r.prob.tolist()]
                entry["position"] = [
                    [[float(f"{v:.9g}") for v in actor] for actor in state]
                    for state in r.position.tolist()
                ]
                runs.append(entry)
                print(stem, name, value, r.n_states, flush=True)
        doc = {
            "input": f"src/parley/data/ktab/{stem}.csv",
            "source": "KTAB's library via pySMP==0.1.3 (MIT), deterministic mode",
            "prob_layout": "prob[state][actor]",
            "position_layout": "position[state][actor][dimension], 0-100 scale, float32",
            "runs": runs,
        }
        body = ",\n".join(json.dumps(r, separators=(",", ":")) for r in runs)
        head = json.dumps({k: v for k, v in doc.items() if k != "runs"}, indent=1)[:-2]
        (out_dir / f"{stem}.json").write_text(f'{head},\n "runs": [\n{body}\n]}}\n')


if __name__ == "__main__":
    main()
