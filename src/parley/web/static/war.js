// parley dashboard: assumption sets, policies and war runs (loaded after app.js; uses its helpers).
"use strict";

const war = { choices: null };
// Fields of each kind of value a form row can hold (the distributions of the experiment section).
const DISTS = { number: ["value"], uniform: ["low", "high"], normal: ["mean", "sd"],
  truncnormal: ["mean", "sd", "low", "high"], triangular: ["low", "mode", "high"],
  beta: ["a", "b", "low", "high"], lognormal: ["mu", "sigma"] };
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function post(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}
function clone(x) { return JSON.parse(JSON.stringify(x)); }
function checked(name) { return [...document.querySelectorAll(`input[name=${name}]:checked`)].map((c) => c.value); }
function say(box, text, ok) { box.className = ok ? "ok" : "error"; box.textContent = text; }

// --- form rows: a parameter path and its value (a number or a distribution) ----------------------
function valueRow(table, path, value, withDists) {
  const pathBox = el("input", { class: "row-path", list: "war-paths", size: 34, placeholder: "war.renege.B.probability" });
  pathBox.value = path || "";
  const kinds = withDists ? Object.keys(DISTS) : ["number"];
  const kind = el("select", { class: "row-kind" }, ...kinds.map((k) => el("option", { value: k }, k === "number" ? "fixed value" : k)));
  // a distribution these fields do not cover (choice, empirical) is kept as written
  const other = value && typeof value === "object" && !DISTS[value.dist];
  if (other) kind.prepend(el("option", { value: "keep" }, `${value.dist} (as written)`));
  const params = el("span", { class: "row-params" });
  const about = el("span", { class: "hint row-about" });
  const remove = el("button", { type: "button", class: "row-remove", title: "remove this row" }, "Remove");
  const tr = el("tr", { class: "value-row" }, el("td", {}, pathBox, about), el("td", {}, kind), el("td", {}, params), el("td", {}, remove));
  const draw = (v) => {
    params.textContent = "";
    if (kind.value === "keep") { params.append(el("span", { class: "hint" }, JSON.stringify(value))); return; }
    for (const p of DISTS[kind.value]) {
      const box = el("input", { type: "number", step: "any", class: "row-param", "data-param": p });
      const x = kind.value === "number" ? v : v && typeof v === "object" ? v[p] : undefined;
      box.value = typeof x === "number" ? x : "";
      params.append(el("label", {}, p === "value" ? "" : p + " ", box));
    }
  };
  kind.value = other ? "keep" : value && typeof value === "object" ? value.dist : "number";
  if (other) tr.dataset.original = JSON.stringify(value);
  draw(value);
  kind.addEventListener("change", () => draw(null));
  const describePath = () => { about.textContent = describeTarget(pathBox.value.trim()); };
  pathBox.addEventListener("change", describePath);
  describePath();
  remove.addEventListener("click", () => tr.remove());
  table.append(tr);
}

// The rows of a table as {path: value}; ``fields`` collects [field path, input] pairs for errors.
function readRows(table, base, fields) {
  const values = {};
  for (const tr of table.querySelectorAll("tr.value-row")) {
    const pathBox = tr.querySelector(".row-path");
    const path = pathBox.value.trim();
    if (!path) continue;
    const field = keyPath(base, path);
    fields.push([field, pathBox]);
    const kind = tr.querySelector(".row-kind").value;
    if (kind === "keep") { values[path] = JSON.parse(tr.dataset.original); continue; }
    const boxes = [...tr.querySelectorAll(".row-param")];
    const num = (box) => (box.value.trim() === "" ? null : Number(box.value));
    if (kind === "number") { values[path] = num(boxes[0]); fields.push([field, boxes[0]]); continue; }
    const v = { dist: kind };
    for (const box of boxes) { if (box.value.trim() !== "") v[box.dataset.param] = num(box); fields.push([keyPath(field, box.dataset.param), box]); }
    values[path] = v;
  }
  return values;
}

// Put each server error next to the form input whose field path is the longest prefix of it.
function placeErrors(form, errors, fields, box) {
  form.querySelectorAll(".field-error").forEach((e) => e.remove());
  form.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
  box.textContent = "";
  for (const err of errors) {
    const f = err.field || "";
    let best = null;
    for (const [path, input] of fields) {
      const hit = f === path || f.startsWith(path + ".") || f.startsWith(path + "[");
      if (hit && (!best || path.length >= best[0].length)) best = [path, input];
    }
    if (best) {
      best[1].classList.add("invalid");
      best[1].parentElement.append(el("span", { class: "field-error" }, err.message));
    } else box.append(el("div", { class: "error" }, describe(err)));
  }
}

// Validate a candidate scenario on the server: the schema, then the war run's own check.
async function serverCheck(candidate, policies, sets) {
  let r = await post("/scenarios/check", { scenario: candidate });
  if (!r.ok) return r.body.errors || [{ message: message(r.body, "invalid") }];
  if (candidate.war && policies.length >= 2) {
    r = await post("/war/check", { scenario: candidate, policies, assumptions: sets, n_runs: warRuns(), seed: warSeed() });
    if (!r.ok) return r.body.errors || [{ message: message(r.body, "invalid") }];
  }
  return [];
}

function warRuns() { return Number($("war-n").value) || 100; }
function warSeed() { return $("war-seed").value === "" ? (war.choices ? war.choices.default_seed : 0) : Number($("war-seed").value); }

// --- the assumption-set and policy forms --------------------------------------------------------
function fillSelect(select, names, what) {
  const keep = select.value;
  select.textContent = "";
  select.append(el("option", { value: "" }, `— a new ${what} —`), ...names.map((n) => el("option", { value: n }, n)));
  select.value = names.includes(keep) ? keep : "";
}

function renderWarForms() {
  const sc = state.scenario;
  const has = Boolean(sc && sc.war);
  $("forms-panel").classList.toggle("hidden", !has);
  $("war-panel").classList.toggle("hidden", !has);
  if (!has) return;
  const exp = sc.experiment || { assumptions: {}, policies: {} };
  fillSelect($("set-select"), Object.keys(exp.assumptions || {}), "set");
  fillSelect($("policy-select"), Object.keys(exp.policies || {}), "policy");
  fillSetForm();
  fillPolicyForm();
  loadWarChoices();
}

function fillSetForm() {
  const name = $("set-select").value;
  const exp = state.scenario.experiment || {};
  const set = name ? exp.assumptions[name] : { description: "", overrides: {} };
  $("set-name").value = name;
  $("set-description").value = set.description || "";
  const sources = ((state.scenario.metadata || {}).assumption_sources || {})[name] || {};
  $("set-source").value = Object.values(sources)[0] || "";
  const table = $("set-overrides");
  table.textContent = "";
  table.append(el("tr", {}, ...["parameter", "value", "", ""].map((h) => el("th", {}, h))));
  const rows = Object.entries(set.overrides || {});
  if (!rows.length) valueRow(table, "", null, true);
  for (const [path, v] of rows) valueRow(table, path, v, true);
  const groups = $("combo-groups");
  groups.textContent = "";
  $("combo-name").value = "";
  for (const g of [...Object.keys(exp.assumptions || {}).filter((g) => g !== name), "__this__"]) {
    groups.append(el("label", {}, el("input", { type: "checkbox", name: "combo-group", value: g }), " " + (g === "__this__" ? "this set" : g)));
  }
}

function fillPolicyForm() {
  const name = $("policy-select").value;
  const exp = state.scenario.experiment || {};
  const pol = name ? exp.policies[name] : { description: "", levers: {} };
  $("policy-name").value = name;
  $("policy-description").value = pol.description || "";
  $("policy-words").value = (((state.scenario.metadata || {}).report || {}).policy_names || {})[name] || "";
  const table = $("policy-levers");
  table.textContent = "";
  table.append(el("tr", {}, ...["lever", "value", "", ""].map((h) => el("th", {}, h))));
  const rows = Object.entries(pol.levers || {});
  if (!rows.length) valueRow(table, "war.policy.concession", null, false);
  for (const [path, v] of rows) valueRow(table, path, v, false);
}

function ensureExperiment(sc) {
  sc.experiment = sc.experiment || {};
  for (const k of ["uncertainties", "assumptions", "policies"]) sc.experiment[k] = sc.experiment[k] || {};
  sc.metadata = sc.metadata || {};
  return sc.experiment;
}

async function saveSet() {
  const form = $("set-form"), box = $("set-message");
  const name = $("set-name").value.trim(), old = $("set-select").value;
  const fields = [["experiment.assumptions", $("set-name")]];
  if (!NAME.test(name)) { placeErrors(form, [{ field: "experiment.assumptions", message: "a name of letters, digits and _, not starting with a digit" }], fields, box); return; }
  const candidate = clone(state.scenario);
  const exp = ensureExperiment(candidate);
  const base = keyPath("experiment.assumptions", name);
  fields.push([keyPath(base, "description"), $("set-description")]);
  const overrides = readRows($("set-overrides"), keyPath(base, "overrides"), fields);
  if (old && old !== name) delete exp.assumptions[old];
  exp.assumptions[name] = { description: $("set-description").value.trim(), overrides };
  const source = $("set-source").value.trim();
  if (source) {
    candidate.metadata.assumption_sources = candidate.metadata.assumption_sources || {};
    candidate.metadata.assumption_sources[name] = Object.fromEntries(Object.keys(overrides).map((p) => [p, source]));
  }
  const combo = $("combo-name").value.trim();
  const sets = [name];
  if (combo) {
    if (!NAME.test(combo)) { placeErrors(form, [{ field: "combo", message: "a name of letters, digits and _" }], [["combo", $("combo-name")]], box); return; }
    const report = (candidate.metadata.report = candidate.metadata.report || {});
    report.combos = report.combos || {};
    report.combos[combo] = checked("combo-group").map((g) => (g === "__this__" ? name : g));
    sets.push(combo);
  }
  const errors = await serverCheck(candidate, Object.keys(exp.policies), sets);
  if (errors.length) { placeErrors(form, errors, fields, box); return; }
  await adopt(candidate, { set: name, sets });
  say($("set-message"), `saved '${name}': valid, and every draw of it passes the war run's checks`, true);
}

async function savePolicy() {
  const form = $("policy-form"), box = $("policy-message");
  const name = $("policy-name").value.trim(), old = $("policy-select").value;
  const fields = [["experiment.policies", $("policy-name")]];
  if (!NAME.test(name)) { placeErrors(form, [{ field: "experiment.policies", message: "a name of letters, digits and _, not starting with a digit" }], fields, box); return; }
  const candidate = clone(state.scenario);
  const exp = ensureExperiment(candidate);
  const base = keyPath("experiment.policies", name);
  fields.push([keyPath(base, "description"), $("policy-description")]);
  const levers = readRows($("policy-levers"), keyPath(base, "levers"), fields);
  if (old && old !== name) delete exp.policies[old];
  exp.policies[name] = { description: $("policy-description").value.trim(), levers };
  const words = $("policy-words").value.trim();
  if (words) {
    const report = (candidate.metadata.report = candidate.metadata.report || {});
    report.policy_names = { ...(report.policy_names || {}), [name]: words };
  }
  const others = Object.keys(exp.policies).filter((p) => p !== name);
  const errors = await serverCheck(candidate, [name, ...others.slice(0, 1)], ["baseline"]);
  if (errors.length) { placeErrors(form, errors, fields, box); return; }
  await adopt(candidate, { policy: name });
  say($("policy-message"), `saved '${name}': valid, and the war run accepts its levers`, true);
}

// Make a checked candidate the edited scenario; keep the new set or policy selected.
async function adopt(candidate, pick) {
  const keep = { policies: checked("war-policy"), sets: checked("war-set") };
  state.scenario = candidate;
  renderEditor();
  if (pick.set) { $("set-select").value = pick.set; fillSetForm(); keep.sets.push(...pick.sets); }
  if (pick.policy) { $("policy-select").value = pick.policy; fillPolicyForm(); keep.policies.push(pick.policy); }
  await loadWarChoices(keep);
}

// --- choosing and running -----------------------------------------------------------------------
async function loadWarChoices(keep) {
  const r = await post("/war/choices", { scenario: state.scenario });
  if (!r.ok || !r.body.war) return;
  const first = !war.choices;
  war.choices = r.body;
  if (first || $("war-seed").value === "") $("war-seed").value = r.body.default_seed;
  $("war-paths").textContent = "";
  for (const p of r.body.parameters) $("war-paths").append(el("option", { value: p.path }, `${p.path} = ${p.value}`));
  const prev = keep || { policies: checked("war-policy"), sets: checked("war-set") };
  const groups = new Set(r.body.groups);
  const combos = r.body.assumptions.filter((s) => s.name !== "baseline" && !groups.has(s.name)).map((s) => s.name);
  const wantSets = prev.sets.length ? prev.sets : combos.length ? combos.slice(0, 2) : r.body.assumptions.slice(1, 3).map((s) => s.name);
  const wantPols = prev.policies.length ? prev.policies : r.body.policies.map((p) => p.name);
  const choice = (name, item, want) => el("label", { title: item.groups ? item.groups.join(" + ") || "no set: the scenario's own ranges" : item.name },
    el("input", { type: "checkbox", name, value: item.name, checked: want.includes(item.name) }), " " + item.label);
  $("war-policies").replaceChildren(...r.body.policies.map((p) => choice("war-policy", p, wantPols)));
  $("war-sets").replaceChildren(...r.body.assumptions.map((s) => choice("war-set", s, wantSets)));
}

function warRequest() {
  return { scenario: state.scenario, policies: checked("war-policy"), assumptions: checked("war-set"), n_runs: warRuns(), seed: warSeed() };
}

async function checkWar() {
  const r = await post("/war/check", warRequest());
  if (r.ok) { showErrors([], $("war-message")); say($("war-message"), `valid: ${r.body.cells} policy × set cells, ${r.body.runs.toLocaleString("en")} runs`, true); return true; }
  showErrors(r.body.errors || [{ message: message(r.body, "invalid") }], $("war-message"));
  $("war-message").className = "error";
  return false;
}

async function runWar() {
  const body = { kind: "war", scenario_key: state.key, label: $("run-label").value.trim(), ...warRequest() };
  say($("war-message"), "starting…", true);
  const r = await post("/runs", body);
  if (!r.ok) {
    if (r.body && r.body.errors) { showErrors(r.body.errors, $("war-message")); $("war-message").className = "error"; }
    else say($("war-message"), message(r.body, `could not start (HTTP ${r.status})`), false);
    return;
  }
  state.awaiting = r.body.id;
  say($("war-message"), `run ${r.body.id} queued`, true);
  await refreshRuns();
}

// --- results of a war run -----------------------------------------------------------------------
const km = (x) => `${Math.round(x).toLocaleString("en")} km²`;
const pct = (x) => `${Math.round(100 * x)} %`;

function tableOf(rows, cells) {
  const cols = rows.length ? Object.keys(rows[0]) : [];
  return [el("tr", {}, ...cols.map((c) => el("th", {}, c))), ...rows.map((r) => el("tr", {}, ...cols.map((c) => (cells ? cells(r, c) : el("td", {}, r[c] === null ? "–" : String(r[c]))))))];
}

function renderWarResult(id, rec) {
  const s = rec.summary;
  const d = $("downloads");
  d.textContent = "Download: ";
  const links = [["report (HTML)", "report.html", "download-report"], ["per-run outcomes (CSV)", "data.csv?table=runs", "download-runs-csv"],
    ["per-run outcomes (Parquet)", "data.parquet?table=runs", "download-runs-parquet"], ["comparison (CSV)", "data.csv?table=comparison", "download-comparison"],
    ["regret (CSV)", "data.csv?table=regret", "download-regret"], ["satisficing (CSV)", "data.csv?table=satisficing", "download-satisficing"],
    ["scenario file", "scenario.yaml", "download-scenario"]];
  for (const [text, href, cls] of links) d.append(el("a", { href: `/api/runs/${id}/${href}`, class: cls, download: "" }, text));
  $("war-results").classList.remove("hidden");
  $("war-answer").textContent = s.answer;
  $("war-key-table").replaceChildren(...tableOf(s.key_table));
  $("war-robustness-caption").textContent = s.robustness_caption;
  $("war-robustness-table").replaceChildren(...tableOf(s.holds_up.map(({ best_policy, ...r }) => r), (r, c) => {
    if (c === "assumptions") return el("td", {}, r[c]);
    const v = r[c];
    const best = s.holds_up.find((h) => h.assumptions === r.assumptions).best_policy === c;
    const regret = best ? "best for this set" : `${km(v.regret)} more [${km(v.lo)}, ${km(v.hi)}]`;
    return el("td", { class: best ? "best" : null }, `${regret}\nmeets thresholds in ${pct(v.share)} [${pct(v.share_lo)}, ${pct(v.share_hi)}]`);
  }));
  $("war-comparison-table").replaceChildren(...tableOf(s.comparison));
}

function initWar() {
  $("set-select").addEventListener("change", fillSetForm);
  $("policy-select").addEventListener("change", fillPolicyForm);
  $("set-add-row").addEventListener("click", () => valueRow($("set-overrides"), "", null, true));
  $("policy-add-row").addEventListener("click", () => valueRow($("policy-levers"), "", null, false));
  $("set-save").addEventListener("click", saveSet);
  $("policy-save").addEventListener("click", savePolicy);
  $("war-check-btn").addEventListener("click", checkWar);
  $("war-run-btn").addEventListener("click", runWar);
}

initWar();
