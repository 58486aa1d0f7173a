"""The preparation step shared by ``forecast`` and ``validate``: actors without influence."""

from __future__ import annotations

from parley.scenario.importers.deu import load_deu
from parley.scenario.prepare import drop_inactive_actors, summarise_notes

HEADER = (
    '"prnr"\t"isnr"\t"proc"\t"counvte"\t"intro"\t"pcom"\t"scom"\t"pde"\t"sde"\t"pfr"\t"sfr"'
    '\t"pit"\t"sit"\t"rp"\t"out"'
)


def test_zero_salience_actor_is_dropped_and_named() -> None:
    text = (
        HEADER
        + '\n"d1"\t"d1i1"\t"COD"\t"QMV"\t"01-01-00"\t50\t80\t0\t50\t100\t0\t30\t20\t\t40'
        + '\n"d1"\t"d1i2"\t"COD"\t"QMV"\t"01-01-00"\t50\t80\t0\t50\t100\t10\t30\t20\t\t40\n'
    )
    scenarios = load_deu(text, "f.tsv")
    kept, notes = drop_inactive_actors(scenarios)
    # France attaches no importance to issue 1 (salience 0): dropped there, kept on issue 2.
    assert [a.id for a in kept[0].actors] == ["com", "de", "it"]
    assert [a.id for a in kept[1].actors] == ["com", "fr", "de", "it"]  # DEU column order
    assert notes == ["d1i1: dropped fr"]
    line = summarise_notes("smp", notes)
    assert line.startswith("note: smp ran without") and "d1i1: dropped fr" in line
    assert kept[1] is scenarios[1]  # unchanged scenarios are passed through
