"""A corpus of bad inputs to ``parley``: files of every kind and option values of every command.

Each case is ``(id, argv, files)``: ``argv`` may contain ``{d}`` (a scratch folder holding
``files``), ``{war}`` (a valid war scenario), ``{toy}`` (a valid scenario with an experiment
section) and ``{tiny}`` (a valid stakeholder scenario). Every case is a mistake a user can make;
the clean answer to each is exit status 2, at most three lines on stderr and no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

DATA = Path(__file__).parents[1] / "data"
WAR = DATA / "war_minimal.yaml"
TOY = Path(__file__).parents[1] / "experiments" / "data" / "toy.yaml"
TINY = Path(__file__).parents[1] / "web" / "tiny.yaml"

Case = tuple[str, list[str], dict[str, str | bytes]]

BASE: dict[str, object] = yaml.safe_load(TINY.read_text(encoding="utf-8"))


def _doc(**changes: object) -> str:
    """The tiny scenario with top-level keys replaced, as YAML."""
    doc = json.loads(json.dumps(BASE))
    doc.update(changes)
    return yaml.safe_dump(doc, sort_keys=False)


def _actor(**changes: object) -> str:
    """The tiny scenario with the first actor's fields replaced (YAML literals kept as text)."""
    doc = json.loads(json.dumps(BASE))
    doc["actors"][0].update(changes)  # type: ignore[index]
    return yaml.safe_dump(doc, sort_keys=False)


def _raw_actor_field(field: str, literal: str) -> str:
    """The tiny scenario with ``field: <literal>`` written verbatim into the first actor."""
    return (
        TINY.read_text(encoding="utf-8")
        .replace("  - id: a\n", f"  - id: a\n    {field}: {literal}\n", 1)
        .replace("    capability: 2\n", "", 1 if field == "capability" else 0)
    )


def _issue(**changes: object) -> str:
    doc = json.loads(json.dumps(BASE))
    doc["issues"][0].update(changes)  # type: ignore[index]
    return yaml.safe_dump(doc, sort_keys=False)


def _stance(position: object, salience: object) -> str:
    doc = json.loads(json.dumps(BASE))
    doc["actors"][0]["positions"]["border"] = {"position": position, "salience": salience}  # type: ignore[index]
    return yaml.safe_dump(doc, sort_keys=False)


def _war(**section: object) -> str:
    doc = yaml.safe_load(WAR.read_text(encoding="utf-8"))
    for path, value in section.items():
        node = doc["war"]
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return yaml.safe_dump(doc, sort_keys=False)


BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "id: bomb\n"
)
HUGE = "x" * (1 << 20)
FRONT_OK = json.loads(
    (DATA.parent.parent / "src/parley/data/ukraine/front_fit_2022-11-08.json").read_text()
)


def _front(**params: object) -> str:
    doc = json.loads(json.dumps(FRONT_OK))
    doc["params"].update(params)
    return json.dumps(doc)


def _series(rows: list[str], header: str = "date,occupied_total_km2") -> str:
    return "\n".join([header, *rows]) + "\n"


GOOD_ROWS = [f"2022-10-{d:02d},{110000 + 10 * d}" for d in range(1, 31)]


def _fc(name: str, content: str | bytes, *extra: str) -> Case:
    """forecast on one file."""
    return (
        name,
        ["forecast", "{d}/" + name.split(":")[-1], *extra],
        {name.split(":")[-1]: content},
    )


def scenario_cases() -> list[Case]:
    """Scenario files (YAML, JSON) with every kind of mistake, read by ``parley forecast``."""
    y: list[tuple[str, str | bytes]] = [
        ("malformed.yaml", "id: [unclosed\n"),
        ("tab.yaml", "id: x\n\tissues: []\n"),
        ("bomb.yaml", BOMB),
        ("deep.yaml", "id: x\nmetadata: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("deep_map.yaml", "id: x\nmetadata:\n" + "".join(" " * k + f"k{k}:\n" for k in range(300))),
        ("toplist.yaml", "- 1\n- 2\n"),
        ("scalar.yaml", "hello\n"),
        ("pytag.yaml", "!!python/object/apply:os.system ['echo hi']\n"),
        ("empty.yaml", ""),
        ("comment.yaml", "# nothing here\n"),
        ("binary.yaml", b"\x00\x01\x02\xff"),
        ("latin1.yaml", "id: caf\xe9\n".encode("latin-1")),
        ("noid.yaml", _doc(id=None).replace("id: null\n", "", 1)),
        ("noissues.yaml", _doc(issues=[])),
        ("noactors.yaml", _doc(actors=[])),
        ("unknown.yaml", _doc(colour="red")),
        ("cap_nan.yaml", _raw_actor_field("capability", ".nan")),
        ("cap_inf.yaml", _raw_actor_field("capability", ".inf")),
        ("cap_neg.yaml", _raw_actor_field("capability", "-1")),
        ("cap_1e308.yaml", _raw_actor_field("capability", "1e308")),
        ("cap_text.yaml", _raw_actor_field("capability", "strong")),
        ("cap_bigint.yaml", _raw_actor_field("capability", "1" + "0" * 400)),
        ("sal_high.yaml", _stance(10, 1.5)),
        ("sal_neg.yaml", _stance(10, -0.1)),
        ("sal_nan.yaml", _stance(10, float("nan"))),
        ("pos_out.yaml", _stance(150, 0.5)),
        ("pos_nan.yaml", _stance(float("nan"), 0.5)),
        ("pos_1e308.yaml", _stance(1e308, 0.5)),
        ("scale_inv.yaml", _issue(scale_min=100, scale_max=0)),
        ("scale_huge.yaml", _issue(scale_min=-1e308, scale_max=1e308)),
        ("scale_inf.yaml", _issue(scale_min=float("-inf"))),
        ("ref_out.yaml", _issue(reference_point=120)),
        ("outcome_out.yaml", _issue(outcome=-5)),
        ("label_out.yaml", _issue(labels=[{"value": 200, "label": "far"}])),
        ("dup_actor.yaml", _actor(id="b")),
        ("dup_issue.yaml", _doc(issues=[BASE["issues"][0], BASE["issues"][0]])),  # type: ignore[index]
        ("unk_issue.yaml", _actor(positions={"sea": {"position": 1, "salience": 1}})),
        ("nopos.yaml", _actor(positions={})),
        ("name_1mb.yaml", _actor(name=HUGE)),
        ("desc_1mb.yaml", _doc(description=HUGE)),
        ("id_long.yaml", _doc(id="i" * 300)),
        ("pos_list.yaml", _actor(positions=[1, 2])),
        ("actors_map.yaml", _doc(actors={"a": 1})),
        ("id_list.yaml", _doc(id=[1, 2])),
        ("bad_date.yaml", _doc(start_date="someday")),
        ("dupkey.yaml", "id: one\nid: two\n" + _doc().split("\n", 1)[1]),
        (
            "issue_centric.yaml",
            _doc(
                issues=[{**BASE["issues"][0], "positions": {"zz": {"position": 1, "salience": 1}}}]  # type: ignore[index, dict-item]
            ),
        ),
    ]
    j: list[tuple[str, str | bytes]] = [
        ("malformed.json", '{"id": "x",'),
        ("deep.json", '{"id": "x", "metadata": ' + "[" * 2000 + "]" * 2000 + "}"),
        (
            "nan.json",
            json.dumps(json.loads(json.dumps(BASE))).replace(
                '"capability": 2', '"capability": NaN'
            ),
        ),
        ("infinity.json", json.dumps(BASE).replace('"capability": 2', '"capability": Infinity')),
        ("e400.json", json.dumps(BASE).replace('"capability": 2', '"capability": 1e400')),
        ("bigint.json", json.dumps(BASE).replace('"capability": 2', '"capability": 1' + "0" * 400)),
        ("toplist.json", "[1, 2]"),
        ("trailing.json", json.dumps(BASE) + " garbage"),
        ("emptyobj.json", "{}"),
        ("name_1mb.json", json.dumps({**BASE, "name": HUGE})),
    ]
    out = [_fc("forecast:" + n, c) for n, c in y + j]
    out += [
        ("forecast:missing", ["forecast", "{d}/nope.yaml"], {}),
        ("forecast:directory", ["forecast", "{d}"], {}),
        ("forecast:extension", ["forecast", "{d}/s.xyz"], {"s.xyz": "id: x\n"}),
        ("forecast:input-format", ["forecast", "{tiny}", "--input-format", "bogus"], {}),
        ("forecast:model", ["forecast", "{tiny}", "--model", "bogus"], {}),
        ("forecast:format", ["forecast", "{tiny}", "--format", "bogus"], {}),
    ]
    return out


def importer_cases() -> list[Case]:
    """CSV/TSV formats: EUM, KTAB, exchange, DEU."""
    ktab_head = "Bench,Random,3,1,\nActor,Description,Power,Pstn1,Sal1,\n"
    ktab_c = "C,z,5,50,50,\n"
    files: list[tuple[str, str, str]] = [
        ("eum_header.csv", "eum", "Stakeholder,Resources,Position,Salience\n"),
        (
            "eum_text.csv",
            "eum",
            "Stakeholder,Resources,Position,Salience\nA,lots,25,50\nB,90,15,80\n",
        ),
        (
            "eum_nan.csv",
            "eum",
            "Stakeholder,Resources,Position,Salience\nA,nan,25,50\nB,90,15,80\n",
        ),
        (
            "eum_huge.csv",
            "eum",
            "Stakeholder,Resources,Position,Salience\nA,80,1e308,50\nB,90,15,80\n",
        ),
        ("eum_cols.csv", "eum", "Who,What\nA,1\n"),
        (
            "eum_negsal.csv",
            "eum",
            "Stakeholder,Resources,Position,Salience\nA,80,25,-50\nB,9,1,8\n",
        ),
        ("eum_oneline.csv", "eum", "a\n"),
        (
            "eum_name.csv",
            "eum",
            f"Stakeholder,Resources,Position,Salience\n{HUGE},80,25,50\nB,9,1,8\n",
        ),
        ("ktab_trunc.csv", "ktab", ktab_head),
        ("ktab_text.csv", "ktab", ktab_head + "A,x,lots,10,50,\nB,y,20,90,50,\n" + ktab_c),
        ("ktab_huge.csv", "ktab", ktab_head + "A,x,1e308,10,50,\nB,y,20,90,50,\n" + ktab_c),
        ("ktab_inf.csv", "ktab", ktab_head + "A,x,inf,10,50,\nB,y,20,90,50,\n" + ktab_c),
        ("exch_garbage.csv", "exchange", "'#Z'\tnonsense\n"),
        ("exch_noissue.csv", "exchange", "'#A'\t'a'\t'a'\t''\n'#A'\t'b'\t'b'\t''\n"),
        (
            "exch_nan.csv",
            "exchange",
            "'#A'\t'a'\t'a'\t''\n'#A'\t'b'\t'b'\t''\n'#P'\t'p'\t'p'\t'p'\n'#M'\t'p'\t0\n"
            "'#M'\t'p'\t100\n'#D'\t'a'\t'p'\tnan\t0.5\t0.5\n'#D'\t'b'\t'p'\t50\t0.5\t0.5\n",
        ),
        ("deu_header.tsv", "deu", '"prnr"\t"isnr"\t"pcom"\n'),
        ("deu_garbage.tsv", "deu", '"prnr"\t"isnr"\t"pcom"\nx\ty\tz\tw\tv\n'),
    ]
    return [
        (f"import:{n}", ["forecast", "{d}/" + n, "--input-format", fmt], {n: text})
        for n, fmt, text in files
    ]


def front_series_cases() -> list[Case]:
    """``parley calibrate front``: the series CSV and the options."""
    cmd = ["calibrate", "front", "{d}/s.csv", "--until", "2022-10-30", "--from", "2022-10-01"]
    out = "{d}/out.json"

    def c(name: str, text: str, *extra: str) -> Case:
        return (f"series:{name}", [*cmd, "--out", out, *extra], {"s.csv": text})

    return [
        c("empty", ""),
        c("header", "date,occupied_total_km2\n"),
        c("nodate", _series(GOOD_ROWS, header="day,occupied_total_km2")),
        c("baddate", _series(["2022-13-45,1000", *GOOD_ROWS])),
        c("text", _series([*GOOD_ROWS[:5], "2022-10-31,lots"])),
        c("huge", _series([*GOOD_ROWS[:-1], "2022-10-30,1e308"])),
        c("inf", _series([*GOOD_ROWS[:-1], "2022-10-30,inf"])),
        c("dup", _series([*GOOD_ROWS, GOOD_ROWS[0]])),
        c("allnan", _series([f"2022-10-{d:02d},nan" for d in range(1, 31)])),
        c("until", _series(GOOD_ROWS), "--until", "yesterday"),
        c("order", _series(GOOD_ROWS), "--from", "2022-11-01"),
        c("jumps", _series(GOOD_ROWS), "--jumps", "sometimes"),
        c("minsd", _series(GOOD_ROWS), "--min-jump-sd", "nan"),
        ("series:outdir", [*cmd, "--out", "{d}"], {"s.csv": _series(GOOD_ROWS)}),
        ("series:isdir", ["calibrate", "front", "{d}", "--until", "2022-10-30", "--out", out], {}),
    ]


def front_params_cases() -> list[Case]:
    """``parley simulate --front-params``: the JSON written by ``calibrate front``, edited badly."""
    only = json.dumps({"params": {"drift_positional": 1.0}})

    def c(name: str, text: str) -> Case:
        argv = [
            "simulate",
            "{war}",
            "--runs",
            "5",
            "--out",
            "{d}/o",
            "--front-params",
            "{d}/f.json",
        ]
        return (f"front-params:{name}", argv, {"f.json": text})

    return [
        c("empty", "{}"),
        c("missing", only),
        c("huge", _front(sigma_positional=1e308)),
        c(
            "nan",
            _front(sigma_positional=0.0).replace(
                '"sigma_positional": 0.0', '"sigma_positional": NaN'
            ),
        ),
        c("negative", _front(sigma_positional=-3.0)),
        c("list", "[1, 2, 3]"),
        c("malformed", '{"params": '),
        c("unknown", _front(colour=1.0)),
        c("text", _front(drift_positional="fast")),
        c("deep", '{"params": ' + "[" * 3000 + "]" * 3000 + "}"),
        c("psum", _front(p_positional_to_manoeuvre=0.8, p_manoeuvre_to_positional=0.7)),
        c("cov", json.dumps({**FRONT_OK, "metadata": {**FRONT_OK["metadata"], "theta_cov": "x"}})),
    ]


def option_cases() -> list[Case]:
    """Option values of every command that does work."""
    sim = ["simulate", "{war}", "--out", "{d}/o"]
    cmp_ = ["compare", "{toy}", "--policy", "hold", "--policy", "concede", "--results", "{d}/r"]
    sens = ["sensitivity", "{toy}", "--results", "{d}/r", "--model", "stakeholder:compromise"]
    disc = ["discover", "{toy}", "--results", "{d}/r", "--outcome", "terms.territory > 50"]
    rep = ["report", "{tiny}", "--runs", "2", "--war-runs", "2"]
    f = {"file.txt": "not a folder\n"}
    return [
        ("simulate:runs0", [*sim, "--runs", "0"], {}),
        ("simulate:runsneg", [*sim, "--runs", "-5"], {}),
        ("simulate:runs1e20", [*sim, "--runs", "99999999999999999999"], {}),
        ("simulate:runs1e11", [*sim, "--runs", "100000000000"], {}),
        ("simulate:runstext", [*sim, "--runs", "many"], {}),
        ("simulate:horizon-nan", [*sim, "--runs", "5", "--horizon", "nan"], {}),
        ("simulate:horizon-inf", [*sim, "--runs", "5", "--horizon", "inf"], {}),
        ("simulate:horizon-neg", [*sim, "--runs", "5", "--horizon", "-7"], {}),
        ("simulate:horizon-huge", [*sim, "--runs", "5", "--horizon", "1e12"], {}),
        ("simulate:seedneg", [*sim, "--runs", "5", "--seed", "-1"], {}),
        ("simulate:patheach0", [*sim, "--runs", "5", "--path-every", "0"], {}),
        ("simulate:format", [*sim, "--runs", "5", "--format", "excel"], {}),
        ("simulate:start", [*sim, "--runs", "5", "--start", "tomorrow"], {}),
        ("simulate:outfile", ["simulate", "{war}", "--runs", "5", "--out", "{d}/file.txt"], f),
        ("simulate:nowar", ["simulate", "{tiny}", "--runs", "5", "--out", "{d}/o"], {}),
        ("simulate:noout", ["simulate", "{war}"], {}),
        (
            "war:lever",
            ["simulate", "{d}/w.yaml", "--runs", "5", "--out", "{d}/o"],
            {"w.yaml": _war(policy__concession=0.3)},
        ),
        (
            "war:area",
            ["simulate", "{d}/w.yaml", "--runs", "5", "--out", "{d}/o"],
            {"w.yaml": _war(region__initial_area_km2=1e308)},
        ),
        (
            "war:side",
            ["simulate", "{d}/w.yaml", "--runs", "5", "--out", "{d}/o"],
            {"w.yaml": _war(sides={"A": "nobody", "B": "south"})},
        ),
        (
            "war:costnan",
            ["simulate", "{d}/w.yaml", "--runs", "5", "--out", "{d}/o"],
            {"w.yaml": _war(costs__A__per_month=float("nan"))},
        ),
        ("compare:runs1e14", [*cmp_, "--runs", "100000000000000"], {}),
        ("compare:runs1", [*cmp_, "--runs", "1"], {}),
        ("compare:seedneg", [*cmp_, "--runs", "4", "--seed", "-1"], {}),
        ("compare:conf", [*cmp_, "--runs", "4", "--conf", "1.5"], {}),
        ("compare:confnan", [*cmp_, "--runs", "4", "--conf", "nan"], {}),
        (
            "compare:resultsfile",
            [
                "compare",
                "{toy}",
                "-p",
                "hold",
                "-p",
                "concede",
                "--runs",
                "4",
                "--results",
                "{d}/file.txt",
            ],
            f,
        ),
        ("compare:chunk0", [*cmp_, "--runs", "4", "--chunk-runs", "0"], {}),
        ("compare:workers0", [*cmp_, "--runs", "4", "--workers", "0"], {}),
        ("compare:executor", [*cmp_, "--runs", "4", "--executor", "cloud"], {}),
        (
            "compare:policy",
            ["compare", "{toy}", "-p", "hold", "-p", "nope", "--runs", "4", "--results", "{d}/r"],
            {},
        ),
        (
            "compare:onepolicy",
            ["compare", "{toy}", "-p", "hold", "--runs", "4", "--results", "{d}/r"],
            {},
        ),
        (
            "compare:noexperiment",
            ["compare", "{tiny}", "-p", "a", "-p", "b", "--runs", "4", "--results", "{d}/r"],
            {},
        ),
        ("sensitivity:n3", [*sens, "--n", "3"], {}),
        ("sensitivity:method", [*sens, "--method", "guess"], {}),
        ("sensitivity:rpp0", [*sens, "--runs-per-point", "0"], {}),
        ("sensitivity:nhuge", [*sens, "--n", str(1 << 50)], {}),
        ("discover:alpha", [*disc, "--alpha", "2"], {}),
        ("discover:expr", ["discover", "{toy}", "--results", "{d}/r", "--outcome", "((("], {}),
        ("report:outdir", [*rep, "--out", "{d}"], {}),
        ("report:runs0", ["report", "{tiny}", "--runs", "0", "--out", "{d}/r.html"], {}),
        ("report:seedneg", [*rep, "--seed", "-1", "--out", "{d}/r.html"], {}),
        ("report:missing", ["report", "{d}/nope.yaml", "--out", "{d}/r.html"], {}),
        ("report:figfile", [*rep, "--out", "{d}/r.html", "--figures", "{d}/file.txt"], f),
        ("demo:runs0", ["demo", "--runs", "0", "--out", "{d}/o"], {}),
        ("demo:outfile", ["demo", "--out", "{d}/file.txt", "--scenario", "{tiny}"], f),
        ("serve:port", ["serve", "--port", "70000"], {}),
        ("serve:portneg", ["serve", "--port", "-1"], {}),
        ("serve:upload0", ["serve", "--max-upload-kb", "0"], {}),
        ("serve:jobs0", ["serve", "--jobs", "0"], {}),
        ("serve:token", ["serve", "--host", "0.0.0.0", "--token", "short"], {}),
        ("serve:results", ["serve", "--results", "{d}/file.txt"], f),
        ("runs:show", ["runs", "show", "nosuch", "--results", "{d}/r"], {}),
        ("runs:exportdir", ["runs", "export", "nosuch", "--out", "{d}", "--results", "{d}/r"], {}),
        ("runs:listfile", ["runs", "list", "--results", "{d}/file.txt"], f),
        ("runs:compare", ["runs", "compare", "a", "b", "--results", "{d}/r"], {}),
        ("runs:format", ["runs", "list", "--results", "{d}/r", "--format", "xml"], {}),
        ("validate:bootstrap", ["validate", "deu", "--bootstrap", "0"], {}),
        ("schema:outdir", ["schema", "--out", "{d}"], {}),
        ("usage:command", ["frobnicate"], {}),
        ("usage:option", ["forecast", "{tiny}", "--bogus"], {}),
        ("usage:argument", ["forecast"], {}),
    ]


def all_cases() -> list[Case]:
    """The whole corpus."""
    return (
        scenario_cases()
        + importer_cases()
        + front_series_cases()
        + front_params_cases()
        + option_cases()
    )


def materialise(case: Case, folder: Path) -> list[str]:
    """Write the case's files into ``folder`` and return its argv with placeholders filled."""
    _, argv, files = case
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        p = folder / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    subs = {"{d}": str(folder), "{war}": str(WAR), "{toy}": str(TOY), "{tiny}": str(TINY)}
    out = []
    for a in argv:
        for k, v in subs.items():
            a = a.replace(k, v)
        out.append(a)
    return out


def classify(code: int | None, stderr: str) -> str:
    """``clean`` (exit 2, at most three lines, no traceback), ``traceback``, ``accepted``, ``box``
    (a longer message) or ``exit <code>``."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if "Traceback" in stderr:
        return "traceback"
    if code == 0:
        return "accepted"
    if code == 2:
        return "clean" if len(lines) <= 3 else "box"
    return f"exit {code}"


def main() -> None:  # pragma: no cover - a measuring script, run by hand
    """Run every case in a subprocess (4 GB address space, 120 s) and count the answers."""
    import collections
    import resource
    import subprocess
    import sys
    import tempfile

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    counts: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k, case in enumerate(all_cases()):
            argv = materialise(case, Path(tmp) / f"c{k}")
            try:
                proc = subprocess.run(
                    [sys.executable, "-m", "parley", *argv],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    preexec_fn=limit,
                )
                verdict = classify(proc.returncode, proc.stderr)
                last = (proc.stderr.strip().splitlines() or [""])[-1][:150]
            except subprocess.TimeoutExpired:
                verdict, last = "timeout", ""
            counts[verdict] += 1
            print(f"{verdict:10s} {case[0]:32s} {last}", flush=True)
    print(dict(counts), "of", sum(counts.values()))


if __name__ == "__main__":  # pragma: no cover
    main()
