// parley dashboard: runs — start, follow, view, compare, the run store (loaded after app.js).
"use strict";

// --- runs ---------------------------------------------------------------------------------------
async function loadModels() {
  const r = await api("/models");
  const box = $("model-choice");
  box.textContent = "Models: ";
  for (const m of r.body.models) {
    const cb = el("input", { type: "checkbox", value: m.id, name: "model", disabled: !m.available });
    cb.checked = m.available && r.body.default.includes(m.id);
    box.append(el("label", { title: m.available ? "" : "not available in this installation" }, cb, " " + m.id));
  }
  if (!r.body.analysis) {
    $("kind-analysis").disabled = true;
    $("kind-analysis").parentElement.title = "the report pipeline is not installed";
  }
}

// The scenario schema, and, when the war panel is shown, the war run's own check of its choices.
async function checkScenario() {
  const r = await api("/scenarios/check", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: state.scenario }) });
  const result = $("check-result");
  if (!r.ok) {
    showErrors(r.body.errors || [{ message: message(r.body, "invalid") }], $("scenario-errors"));
    result.textContent = "please correct the marked fields";
    result.className = "error";
    return false;
  }
  showErrors([], $("scenario-errors"));
  const warShown = !$("war-panel").classList.contains("hidden") && checked("war-policy").length >= 2;
  if (warShown && !(await checkWar())) {
    result.textContent = "the war run would refuse these assumptions: see the marked fields";
    result.className = "error";
    return false;
  }
  result.textContent = warShown ? "all assumptions valid, and the chosen war run accepts them" : "all assumptions valid";
  result.className = "ok";
  return true;
}

async function startRun() {
  const models = [...document.querySelectorAll("input[name=model]:checked")].map((c) => c.value);
  const kind = document.querySelector("input[name=kind]:checked").value;
  const label = $("run-label").value.trim();
  const body = { kind, label, scenario_key: state.key, scenario: state.scenario, models };
  if (kind === "analysis") body.n_runs = Number($("run-n").value) || 200;
  if (kind === "compare") body.compare_with = [{ name: "library", scenario: state.original }];
  if (kind === "compare" && !label) body.label = "my assumptions";
  $("run-message").className = "";
  $("run-message").textContent = "starting…";
  const r = await api("/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) {
    $("run-message").className = "error";
    if (r.body && r.body.errors) { showErrors(r.body.errors, $("scenario-errors")); $("run-message").textContent = "please correct the marked fields"; }
    else $("run-message").textContent = message(r.body, `could not start (HTTP ${r.status})`);
    return;
  }
  state.awaiting = r.body.id;
  $("run-message").textContent = `run ${r.body.id} queued`;
  await refreshRuns();
}

function runRow(run) {
  const selected = el("input", { type: "checkbox", class: "run-select", value: run.id });
  const active = run.status === "queued" || run.status === "running";
  const cancel = active ? el("button", { type: "button", class: "cancel-btn", onclick: async () => { await api(`/runs/${run.id}/cancel`, { method: "POST" }); refreshRuns(); } }, "Cancel") : null;
  const view = run.status === "done" ? el("button", { type: "button", class: "view-btn", onclick: () => showRun(run.id) }, "View") : null;
  const remove = active ? null : el("button", { type: "button", class: "delete-btn", title: "delete this run and its outputs", onclick: async () => {
    const r = await api(`/runs/${run.id}`, { method: "DELETE" });
    if (!r.ok) { $("run-message").className = "error"; $("run-message").textContent = message(r.body, "cannot delete"); }
    refreshRuns();
  } }, "Delete");
  const prog = el("progress", { max: 1, value: run.progress });
  return el("tr", { "data-run": run.id, "data-status": run.status },
    el("td", {}, selected), el("td", {}, run.id), el("td", {}, run.scenario_name || ""),
    el("td", {}, `${run.kind}${run.label ? ": " + run.label : ""}`), el("td", {}, (run.models || []).join(", ")),
    el("td", { class: "status-" + run.status }, run.status, el("span", { class: "hint" }, run.error || run.message || "")),
    el("td", {}, prog, ` ${Math.round(run.progress * 100)} %`), el("td", {}, cancel, view, remove));
}

async function refreshRuns() {
  const r = await api("/runs");
  if (!r.ok) { $("server-status").textContent = message(r.body, "cannot list runs"); return; }
  state.runs = r.body.runs;
  const checked = new Set([...document.querySelectorAll(".run-select:checked")].map((c) => c.value));
  const t = $("runs-table");
  t.textContent = "";
  t.append(el("tr", {}, ...["", "run", "scenario", "kind", "models", "status", "progress", ""].map((h) => el("th", {}, h))));
  for (const run of state.runs) t.append(runRow(run));
  document.querySelectorAll(".run-select").forEach((c) => { c.checked = checked.has(c.value); });
  $("runs-count").textContent = `${state.runs.length} stored · ${r.body.running} running · ${r.body.queued} waiting`;
  const awaited = state.runs.find((x) => x.id === state.awaiting);
  if (awaited && !["queued", "running"].includes(awaited.status)) {
    state.awaiting = null;
    $("run-message").className = awaited.status === "done" ? "ok" : "error";
    $("run-message").textContent = `run ${awaited.id} ${awaited.status}${awaited.error ? ": " + awaited.error : ""}`;
    if (awaited.status === "done") await showRun(awaited.id);
  }
  const busy = r.body.running + r.body.queued > 0;
  clearTimeout(state.polling);
  state.polling = setTimeout(refreshRuns, busy ? 600 : 4000);
}

function showDownloads(id) {
  const d = $("downloads");
  d.textContent = "Download: ";
  const links = [["report (HTML)", `/api/runs/${id}/report.html`, "download-report"], ["data (CSV)", `/api/runs/${id}/data.csv`, "download-csv"],
    ["data (Parquet)", `/api/runs/${id}/data.parquet`, "download-parquet"], ["input stances (CSV)", `/api/runs/${id}/data.csv?table=positions`, "download-positions"],
    ["scenario file", `/api/runs/${id}/scenario.yaml`, "download-scenario"]];
  for (const [text, href, cls] of links) d.append(el("a", { href, class: cls, download: "" }, text));
}

async function showRun(id) {
  const r = await api(`/runs/${id}/figures`);
  if (!r.ok) { $("run-message").textContent = message(r.body, "cannot load figures"); return; }
  state.selectedRun = id;
  $("results").classList.remove("hidden");
  $("result-title").textContent = `run ${id}`;
  const rec = state.runs.find((x) => x.id === id);
  $("war-results").classList.add("hidden");
  if (rec && rec.kind === "war") renderWarResult(id, rec); else showDownloads(id);
  const box = $("figures");
  box.textContent = "";
  r.body.figures.forEach((item, k) => {
    const div = el("div", { class: "figure", id: `figure-${k}`, "data-run": id, "data-figure": item.id });
    if (item.title) box.append(el("h3", {}, item.title));
    box.append(div);
    if (item.caption) box.append(el("p", { class: "muted" }, item.caption));
    Plotly.react(div, item.figure.data, item.figure.layout, { responsive: true, displaylogo: false });
  });
  box.setAttribute("data-run", id);
}

async function compareSelected() {
  const ids = [...document.querySelectorAll(".run-select:checked")].map((c) => c.value);
  const done = ids.filter((id) => (state.runs.find((r) => r.id === id) || {}).status === "done");
  if (done.length < 2) { $("run-message").className = "error"; $("run-message").textContent = "select at least two finished runs to compare"; return; }
  const r = await api("/compare?" + done.map((i) => "ids=" + encodeURIComponent(i)).join("&"));
  if (!r.ok) { $("run-message").textContent = message(r.body, "cannot compare"); return; }
  $("compare-panel").classList.remove("hidden");
  const cols = $("compare-cols");
  cols.textContent = "";
  for (const run of r.body.runs) {
    const rows = Object.entries(run.summary.forecasts).map(([k, v]) =>
      el("tr", {}, el("td", {}, k), el("td", {}, Object.entries(v).map(([i, x]) => `${i}: ${x === null ? "–" : Number(x).toPrecision(3)}`).join(", "))));
    cols.append(el("div", {}, el("h3", {}, `${run.id} — ${run.scenario_name}`), el("p", { class: "muted" }, `${run.kind}${run.label ? ": " + run.label : ""}; models ${run.models.join(", ")}`), el("table", {}, ...rows)));
  }
  Plotly.react($("compare-figure"), r.body.figure.data, r.body.figure.layout, { responsive: true, displaylogo: false });
  $("compare-panel").scrollIntoView();
}

// Sweeps of the run store: their scenario (when it is in the library) and their data.
async function loadStore() {
  const r = await api("/store");
  if (!r.ok || !r.body.runs.length) { $("store-panel").classList.add("hidden"); return; }
  $("store-panel").classList.remove("hidden");
  $("store-folder").textContent = r.body.folder;
  const t = $("store-table");
  t.textContent = "";
  t.append(el("tr", {}, ...["run", "kind", "scenario", "model", "status", "chunks", "created", ""].map((h) => el("th", {}, h))));
  for (const run of r.body.runs) {
    const open = run.scenario_key ? el("button", { type: "button", onclick: async () => { $("library-select").value = run.scenario_key; await openScenario(run.scenario_key); $("editor").scrollIntoView(); } }, "Open scenario") : el("span", { class: "hint" }, "scenario not in the library");
    t.append(el("tr", { "data-store-run": run.run_id },
      el("td", {}, run.run_id), el("td", {}, run.kind), el("td", {}, run.scenario_id), el("td", {}, run.model || ""),
      el("td", {}, run.status), el("td", {}, `${run.n_done ?? 0}/${run.n_chunks ?? "?"}`), el("td", {}, run.created || ""),
      el("td", {}, open, " ", el("a", { href: `/api/store/${encodeURIComponent(run.run_id)}/data.csv`, download: "" }, "CSV"), " ",
        el("a", { href: `/api/store/${encodeURIComponent(run.run_id)}/data.parquet`, download: "" }, "Parquet"), " ",
        el("a", { href: `/api/store/${encodeURIComponent(run.run_id)}/manifest.json`, target: "_blank" }, "manifest"))));
  }
}
