"""The report's first screen: the answer in words, a small table, and how far to trust it.

Every sentence is generated from the run's tables (the robustness tables of
:mod:`parley.analysis.robustness` and the cells of :mod:`parley.analysis.war_analysis`), so a different run
gives different words; nothing is canned apart from the sentence frames. Policies and assumption
sets appear by name (``metadata.report.policy_names``, :func:`parley.report.assumption_sets.plain_name`),
never by identifier.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from parley.report.assumption_sets import plain_name, policy_name
from parley.report.formatting import fmt_estimate, fmt_percent, fmt_value
from parley.scenario.report_settings import BASELINE_SET

#: The three key outcomes of the small table: measure, label, unit.
KEY_OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("territory_after_km2", "territory under {A} after the war", "km2"),
    ("casualties_total", "killed and wounded, both sides", "people"),
    ("p_settle_12m", "P(settlement within 12 months)", "share"),
)

#: The two camps, when the scenario names them so (``metadata.report.combos``).
CAMPS = ("advocates", "critics")


def _km(x: float) -> str:
    return fmt_value(x, "km2")


def _regret_phrase(war: Any, aset: str) -> str:
    r = war.regret[war.regret["assumptions"] == aset]
    if r.empty:
        return ""
    best = str(r["best_policy"].iloc[0])
    rest = r[r["policy"] != best].sort_values("regret")
    b = r[r["policy"] == best].iloc[0]
    who = war.side_names[0]
    text = (
        f"under the {plain_name(aset)}' assumptions, {policy_name(war, best)} leaves {who} the "
        f"least territory ({_km(b['mean'])} on average)"
    )
    if rest.empty:
        return text
    nxt = rest.iloc[0]
    if nxt["lo"] <= 0:
        text += (
            f", but {policy_name(war, str(nxt['policy']))} cannot be told apart from it at "
            f"this run count ({_km(nxt['regret'])} more, interval {_km(nxt['lo'])} to "
            f"{_km(nxt['hi'])})"
        )
    else:
        text += (
            f", {_km(nxt['regret'])} less than the next best, "
            f"{policy_name(war, str(nxt['policy']))} (interval {_km(nxt['lo'])} to "
            f"{_km(nxt['hi'])})"
        )
    return text


def _flips(war: Any, reference: str) -> tuple[list[str], list[str]]:
    """Sets (other than the reference and the baseline) whose best policy differs from the
    reference set's, and those where it is the same."""
    best = war.regret.groupby("assumptions", sort=False)["best_policy"].first()
    if reference not in best.index:
        return [], []
    ref = best[reference]
    others = [s for s in best.index if s not in (reference, BASELINE_SET, *CAMPS)]
    return [s for s in others if best[s] != ref], [s for s in others if best[s] == ref]


def answer_paragraph(war: Any) -> str:
    """One paragraph: what the model finds, under which assumptions it flips, what is robust."""
    sets = list(war.regret["assumptions"].unique())
    camps = [c for c in CAMPS if c in sets] or [s for s in sets if s != BASELINE_SET][:2]
    parts = [_regret_phrase(war, c) for c in camps]
    text = "; ".join(p for p in parts if p)
    text = (text[0].upper() + text[1:] + ".") if text else ""
    if camps:
        text += _flip_sentence(war, camps[0])
    text += " " + _robust_sentence(war)
    return text.strip()


def _flip_sentence(war: Any, reference: str) -> str:
    """Where the reference camp's choice stops being the best, and by how much."""
    flipped, kept = _flips(war, reference)
    reg = war.regret
    ref_best = str(reg[reg["assumptions"] == reference]["best_policy"].iloc[0])
    if not flipped:
        return (
            f" The {plain_name(reference)}' choice ({policy_name(war, ref_best)}) stays the best "
            f"when any one of their assumptions is wrong ({_or(kept)})."
            if kept
            else ""
        )
    parts = []
    for s in flipped:
        r = reg[(reg["assumptions"] == s) & (reg["policy"] == ref_best)].iloc[0]
        clear = "" if r["lo"] > 0 else ", a difference this run count cannot resolve"
        parts.append(
            f"{plain_name(s)}, {policy_name(war, str(r['best_policy']))} does best and "
            f"{policy_name(war, ref_best)} leaves {_km(r['regret'])} more ({_km(r['lo'])} to "
            f"{_km(r['hi'])}{clear})"
        )
    text = (
        f" The {plain_name(reference)}' choice ({policy_name(war, ref_best)}) stops being the best "
        f"in {len(flipped)} of the {len(flipped) + len(kept)} cases with one assumption wrong: "
        + "; ".join(f"with the {p}" for p in parts)
    )
    return text + (f"; it stays the best with the {_or(kept)}." if kept else ".")


def _or(sets: Sequence[str]) -> str:
    words = [plain_name(s) for s in sets]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _robust_sentence(war: Any) -> str:
    reg = war.regret[war.regret["assumptions"] != BASELINE_SET]
    if reg.empty:
        return ""
    worst = reg.groupby("policy", sort=False)["regret"].max().sort_values(kind="stable")
    p, r = str(worst.index[0]), float(worst.iloc[0])
    text = (
        f"Across the {reg['assumptions'].nunique()} assumption sets, {policy_name(war, p)} has "
        f"the smallest worst-case regret: at most {_km(r)} more territory lost than the best "
        "policy of any set."
    )
    sat = war.satisficing[war.satisficing["assumptions"] != BASELINE_SET]
    if not sat.empty and war.thresholds:
        low = sat.groupby("policy", sort=False)["share"].min().sort_values(ascending=False)
        mean = sat.groupby("policy", sort=False)["share"].mean().sort_values(ascending=False)
        q, s = str(low.index[0]), float(low.iloc[0])
        text += f" Judged by the thresholds ({threshold_words(war)}), "
        if s > 0:
            text += (
                f"{policy_name(war, q)} meets them in at least {fmt_percent(s)} of the futures "
                "of every set; "
            )
        else:
            text += "no policy meets them in every set; "
        m, v = str(mean.index[0]), float(mean.iloc[0])
        text += (
            f"{policy_name(war, m)} meets them most often on average over the sets "
            f"({fmt_percent(v)} of the futures)."
        )
    return text


def threshold_words(war: Any) -> str:
    """The satisficing thresholds in words."""
    words = []
    for measure, limit in war.thresholds.items():
        if measure == "territory_after_km2":
            words.append(f"{war.side_names[0]} holds at most {_km(limit)}")
        elif measure == "casualties_total":
            words.append(f"fewer than {limit:,.0f} more killed and wounded")
        else:
            words.append(f"{measure} at most {limit:g}")
    return " and ".join(words)


def key_table(war: Any, sets: Sequence[str] | None = None) -> pd.DataFrame:
    """Policies (in words) x assumption sets, each cell three outcomes with their intervals."""
    sets = [s for s in (sets or CAMPS) if s in set(war.cells["assumptions"])]
    if not sets:
        sets = [s for s in dict.fromkeys(war.cells["assumptions"]) if s != BASELINE_SET][:2]
    rows = []
    for pol in dict.fromkeys(war.cells["policy"]):
        row = {"policy": policy_name(war, str(pol))}
        for s in sets:
            lines = []
            for measure, label, unit in KEY_OUTCOMES:
                c = war.cells[
                    (war.cells.assumptions == s) & (war.cells.policy == pol)
                    & (war.cells.measure == measure)
                ]  # fmt: skip
                if c.empty:
                    continue
                r = c.iloc[0]
                value = fmt_estimate(r.estimate, r.lo, r.hi, unit)
                lines.append(f"{label.format(A=war.side_names[0])}: {value}")
            # "advocates' assumptions" for the camps; any other set by its name in words
            header = f"{plain_name(s)}' assumptions" if s in CAMPS else plain_name(s)
            row[header] = "\n".join(lines)
        rows.append(row)
    return pd.DataFrame(rows)


def trust_sentences(trust: Any, war: Any) -> list[str]:
    """The box "how far to trust this": the backtest skill and the reference-class check."""
    out = []
    sk = trust.skill.set_index("model") if not trust.skill.empty else trust.skill
    if trust.skill.empty:
        out.append("Front forecasts: the scenario names no data series to backtest its front on.")
    elif "front" in sk.index:
        f = sk.loc["front"]
        clim = sk["wis_ratio_rw"].get("climatology", math.nan)
        out.append(
            f"Front forecasts: refitted at {trust.origins} rolling origins (June–October 2022, "
            f"{trust.sizes.backtest_runs} runs each) and scored on the following weeks up to "
            f"8 November 2022, the front process's weighted interval score is "
            f"{f['wis_ratio_rw']:.2f}× a random walk's (below 1 is better; climatology "
            f"{clim:.2f}×); its 90 % intervals held {fmt_percent(f['cover90'])} of the observed "
            "values (nominal 90 %)."
        )
    ref = trust.reference
    if ref.empty:
        out.append(
            "War duration: the scenario does not say when its war began "
            "(metadata.war_start_date), so no reference class of wars of the same age applies."
        )
    else:
        r12 = ref[ref["after_months"] == ref["after_months"].min()]
        inside = int(((r12["model"] >= r12["cow_lo"]) & (r12["model"] <= r12["cow_hi"])).sum())
        c = r12.iloc[0]
        models = ", ".join(
            f"{policy_name(war, str(r.policy))} {fmt_percent(r.model)}" for r in r12.itertuples()
        )
        out.append(
            f"War duration: of inter-state wars already {trust.age_days} days old (Correlates of "
            f"War), {fmt_percent(c['cow'])} were still going {int(c['after_months'])} months later "
            f"(90 % band {fmt_percent(c['cow_lo'])} to {fmt_percent(c['cow_hi'])}); the model "
            f"({trust.sizes.reference_runs} runs per policy, both camps' ranges) says {models} — "
            f"{inside} of {len(r12)} inside the band."
        )
    out.append(
        "Settlements, their terms and their durability cannot be backtested here: no negotiation "
        "of this war had ended by 8 November 2022. They rest on the stated assumptions and on the "
        "cross-war sources cited in the parameter table."
    )
    return out
