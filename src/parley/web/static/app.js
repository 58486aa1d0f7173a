// parley dashboard: plain JavaScript, no build step, no network beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { key: null, filename: null, scenario: null, original: null, schema: null,
  runs: [], selectedRun: null, awaiting: null, polling: null };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

async function api(path, options = {}) {
  const resp = await fetch("/api" + path, { credentials: "same-origin", ...options });
  let body = null;
  try { body = await resp.json(); } catch (_) { body = null; }
  return { ok: resp.ok, status: resp.status, body };
}

function message(body, fallback) {
  if (!body) return fallback;
  if (body.error) return describe(body.error);
  if (typeof body.detail === "string") return body.detail;
  if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
  if (body.errors) return body.errors.map(describe).join("; ");
  return fallback;
}

function describe(err) {
  const where = [err.line ? "line " + err.line : null, err.field].filter(Boolean).join(", ");
  return where ? where + ": " + err.message : err.message;
}

// --- paths into the scenario object ("actors[1].positions.territory.salience") ---------------
function splitPath(path) {
  const parts = [];
  path.replace(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g, (_, quoted, idx, name) => {
    parts.push(quoted !== undefined ? JSON.parse(quoted) : idx !== undefined ? Number(idx) : name);
  });
  return parts;
}
// The path of key ``k`` of the mapping at ``base``: ``base.k``, or ``base["k"]`` for keys such as
// "war.front.drift_km2_per_day" (the server renders error locations the same way).
function keyPath(base, k) {
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k);
  return plain ? (base ? `${base}.${k}` : k) : `${base}[${JSON.stringify(k)}]`;
}
const LAST_SEGMENT = /(\.[^.[\]]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;
function getAt(obj, path) { return splitPath(path).reduce((o, p) => (o == null ? undefined : o[p]), obj); }
function setAt(obj, path, value) {
  const parts = splitPath(path);
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (o[parts[i]] == null) o[parts[i]] = typeof parts[i + 1] === "number" ? [] : {};
    o = o[parts[i]];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete o[last]; else o[last] = value;
}

// --- form inputs -------------------------------------------------------------------------------
function input(path, kind, opts = {}) {
  const value = getAt(state.scenario, path);
  const attrs = { "data-path": path, type: kind === "number" ? "number" : "text", step: "any",
    title: opts.title || path, min: opts.min, max: opts.max };
  const box = el("input", attrs);
  box.value = value === null || value === undefined ? "" : value;
  box.addEventListener("change", () => {
    let v = box.value.trim();
    if (kind === "number") v = v === "" ? (opts.optional ? null : undefined) : Number(v);
    if (opts.onSet) opts.onSet(v); else setAt(state.scenario, path, v);
    clearError(box);
  });
  const cell = el("span", {}, box);
  if (opts.hint) cell.append(el("span", { class: "hint" }, opts.hint));
  return cell;
}

function clearError(box) {
  box.classList.remove("invalid");
  const next = box.parentElement.querySelector(".field-error");
  if (next) next.remove();
}

function showErrors(errors, box) {
  document.querySelectorAll(".field-error").forEach((e) => e.remove());
  document.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
  box.textContent = "";
  for (const err of errors) {
    let target = null;
    let path = err.field || "";
    while (path && !target) {
      target = document.querySelector(`[data-path="${CSS.escape(path)}"]`);
      if (!target) path = LAST_SEGMENT.test(path) ? path.replace(LAST_SEGMENT, "") : "";
    }
    if (target) {
      target.classList.add("invalid");
      target.parentElement.append(el("span", { class: "field-error" }, err.message));
    } else {
      box.append(el("div", {}, describe(err)));
    }
  }
  const first = document.querySelector(".invalid");
  if (first) first.scrollIntoView({ block: "center" });
}

// --- the editor ----------------------------------------------------------------------------------
function renderEditor() {
  const sc = state.scenario;
  $("editor").classList.remove("hidden");
  $("run-panel").classList.remove("hidden");
  $("scenario-title").textContent = `${sc.name || sc.id} (${state.filename || state.key})`;
  $("scenario-description").textContent = sc.description || "";
  $("scenario-errors").textContent = "";
  const it = $("issues-table");
  it.textContent = "";
  it.append(el("tr", {}, ...["id", "name", "unit", "scale min", "scale max", "status quo", "actual outcome", "source"].map((h) => el("th", {}, h))));
  sc.issues.forEach((issue, k) => {
    const p = `issues[${k}]`;
    it.append(el("tr", {},
      el("td", {}, issue.id),
      el("td", {}, input(`${p}.name`, "text")),
      el("td", {}, input(`${p}.unit`, "text")),
      el("td", {}, input(`${p}.scale_min`, "number")),
      el("td", {}, input(`${p}.scale_max`, "number")),
      el("td", {}, input(`${p}.reference_point`, "number", { optional: true })),
      el("td", {}, input(`${p}.outcome`, "number", { optional: true })),
      el("td", {}, input(`${p}.source`, "text"))));
  });
  const at = $("actors-table");
  at.textContent = "";
  at.append(el("tr", {}, ...["id", "name", "capability (≥ 0)", "source"].map((h) => el("th", {}, h))));
  sc.actors.forEach((actor, a) => {
    const p = `actors[${a}]`;
    at.append(el("tr", {},
      el("td", {}, actor.id),
      el("td", {}, input(`${p}.name`, "text")),
      el("td", {}, input(`${p}.capability`, "number", { min: 0 })),
      el("td", {}, input(`${p}.source`, "text"))));
  });
  const pt = $("positions-table");
  pt.textContent = "";
  pt.append(el("tr", {}, el("th", {}, "actor"), ...sc.issues.map((i) =>
    el("th", {}, `${i.name || i.id}`, el("span", { class: "hint" }, `position ${i.scale_min}–${i.scale_max}${i.unit ? " " + i.unit : ""} · salience 0–1`)))));
  sc.actors.forEach((actor, a) => {
    pt.append(el("tr", {}, el("td", {}, actor.name || actor.id), ...sc.issues.map((issue) => {
      const base = keyPath(`actors[${a}].positions`, issue.id);
      const stanceSetter = (field) => (v) => {
        const stance = getAt(state.scenario, base) || {};
        if (v === null || v === undefined || Number.isNaN(v)) delete stance[field]; else stance[field] = v;
        if (Object.keys(stance).length === 0) setAt(state.scenario, base, undefined);
        else setAt(state.scenario, base, stance);
      };
      return el("td", {},
        input(`${base}.position`, "number", { min: issue.scale_min, max: issue.scale_max, optional: true, onSet: stanceSetter("position"), title: `${actor.id} position on ${issue.id}` }),
        input(`${base}.salience`, "number", { min: 0, max: 1, optional: true, onSet: stanceSetter("salience"), title: `${actor.id} salience on ${issue.id}` }));
    })));
  });
  renderExtraSections();
  annotateParameters();
  renderWarForms();
}

function fmt(x) { return x === null || x === undefined ? "–" : Number(x).toLocaleString("en", { maximumSignificantDigits: 6 }); }

// Stated ranges and sources of every input (from the scenario's metadata), shown next to each field.
async function annotateParameters() {
  const r = await api("/scenarios/parameters", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: state.scenario }) });
  const table = $("parameters-table");
  table.textContent = "";
  if (!r.ok || !r.body.parameters.length) { $("parameters-panel").classList.add("hidden"); return; }
  $("parameters-panel").classList.remove("hidden");
  table.append(el("tr", {}, ...["parameter", "value", "low", "high", "source"].map((h) => el("th", {}, h))));
  for (const p of r.body.parameters) {
    table.append(el("tr", {}, el("td", {}, p.parameter), el("td", {}, fmt(p.value)), el("td", {}, fmt(p.low)), el("td", {}, fmt(p.high)), el("td", {}, p.source || "")));
    for (const path of p.paths || (p.path ? [p.path] : [])) annotate(path, p);
  }
}

// Show a parameter's stated range and source next to its field (and in the field's tooltip).
function annotate(path, p) {
  const box = document.querySelector(`[data-path="${CSS.escape(path)}"]`);
  if (!box) return;
  // an assumption set's overrides share the set's source, shown once in its own field
  if (/\.overrides\[/.test(path)) p = { ...p, source: "" };
  const ranged = p.low !== null && p.high !== null && (p.low !== p.value || p.high !== p.value);
  const text = (ranged ? `range ${fmt(p.low)}–${fmt(p.high)}` : "") + (p.source ? `${ranged ? " · " : ""}source: ${p.source}` : "");
  if (!text) return;
  box.title = `${p.parameter} · ${text}`;
  const holder = box.tagName === "FIELDSET" ? box : box.parentElement;
  if (holder.querySelector(":scope > .range-hint")) return;
  const hint = el("span", { class: "hint range-hint", title: text });
  if (ranged) hint.append(`${fmt(p.low)}–${fmt(p.high)}`);
  if (p.source) hint.append(el("abbr", { class: "src", title: p.source }, ranged ? " · source" : "source"));
  if (box.tagName === "FIELDSET" || box.closest(".param")) {
    hint.textContent = text.length > 160 ? text.slice(0, 157) + "…" : text;
  }
  holder.append(hint);
}

// Generic forms for the war and experiment sections, driven by the scenario JSON schema.
// ``value`` picks the member of a union: the distribution named by its ``dist``, or a plain number.
function resolve(schema, value) {
  if (!schema) return {};
  if (schema.$ref) return resolve(state.schema.$defs[schema.$ref.split("/").pop()], value);
  const alts = schema.anyOf || schema.oneOf;
  if (alts) {
    let real = alts.filter((s) => s.type !== "null");
    if (real.length > 1 && value !== null && typeof value === "object" && value.dist !== undefined) {
      const hit = real.map((s) => resolve(s, value)).find((s) => s.properties && s.properties.dist && s.properties.dist.const === value.dist);
      if (hit) real = [hit];
    } else if (real.length > 1 && typeof value === "number") {
      real = real.filter((s) => s.type === "number" || s.type === "integer");
    }
    if (real.length === 1) return { ...resolve(real[0], value), description: schema.description || real[0].description, title: schema.title || real[0].title };
  }
  return schema;
}

// The schema of a model parameter named by a dotted path ("war.front.drift_km2_per_day",
// "war.supporters.0.aid_high_bn_per_year"): how uncertainties, overrides and levers refer to it.
function schemaAt(dotted) {
  let s = { properties: (state.schema || {}).properties || {} };
  for (const part of dotted.split(".")) {
    s = resolve(s, undefined);
    if (/^\d+$/.test(part) && s.items) s = s.items;
    else if (s.properties && s.properties[part]) s = s.properties[part];
    else return null;
  }
  return resolve(s, undefined);
}

// "Initiator's pre-concession, share of the stakes. · range 0…1" for a parameter path.
function describeTarget(dotted) {
  const t = dotted.startsWith("war.") ? schemaAt(dotted) : null;
  if (!t) return "";
  const lo = t.minimum ?? t.exclusiveMinimum, hi = t.maximum ?? t.exclusiveMaximum;
  const range = lo !== undefined || hi !== undefined ? `range ${lo ?? "−∞"}…${hi ?? "∞"}` : "";
  return [t.description, range].filter(Boolean).join(" · ");
}

function renderParam(path, schema, name, isKey = false) {
  const value = getAt(state.scenario, path);
  const s = resolve(schema, value);
  if (s.type === "object" || s.properties) {
    const isDist = Boolean(s.properties && s.properties.dist && value && value.dist);
    const legend = isDist ? `${name}: ${value.dist}` : isKey ? name : (s.title || name);
    const fs = el("fieldset", { "data-path": path, class: isDist ? "dist" : null }, el("legend", {}, legend));
    const about = isKey ? describeTarget(name) : "";
    if (about) fs.append(el("span", { class: "hint" }, about));
    else if (s.description && !isDist) fs.append(el("span", { class: "hint" }, s.description));
    for (const [k, sub] of Object.entries(s.properties || {})) {
      if (isDist && k === "dist") continue;
      fs.append(renderParam(keyPath(path, k), sub, k));
    }
    const extra = s.additionalProperties && typeof s.additionalProperties === "object" ? s.additionalProperties : {};
    if (value && typeof value === "object" && (s.additionalProperties || !s.properties)) {
      for (const k of Object.keys(value)) {
        if (!(s.properties || {})[k]) fs.append(renderParam(keyPath(path, k), extra, k, true));
      }
    }
    return fs;
  }
  if (s.type === "array" && Array.isArray(value)) {
    const fs = el("fieldset", { "data-path": path }, el("legend", {}, isKey ? name : (s.title || name)));
    value.forEach((_, k) => fs.append(renderParam(`${path}[${k}]`, s.items || {}, `${name} ${k + 1}`)));
    return fs;
  }
  const label = isKey ? name : (s.title || name);
  const isNum = s.type === "number" || s.type === "integer" || (s.type === undefined && typeof value === "number");
  const lo = s.minimum ?? s.exclusiveMinimum, hi = s.maximum ?? s.exclusiveMaximum;
  const range = lo !== undefined || hi !== undefined ? ` range ${lo ?? "−∞"}…${hi ?? "∞"}` : "";
  const hint = (isKey && describeTarget(name)) || [s.description, range || null].filter(Boolean).join(" · ");
  if (s.type === "boolean") {
    const box = el("input", { type: "checkbox", "data-path": path });
    box.checked = Boolean(value);
    box.addEventListener("change", () => setAt(state.scenario, path, box.checked));
    return el("div", { class: "param" }, el("label", {}, box, " " + label), el("span", { class: "hint" }, hint));
  }
  if (s.enum) {
    const box = el("select", { "data-path": path }, ...s.enum.map((v) => el("option", { value: v }, String(v))));
    box.value = value ?? "";
    box.addEventListener("change", () => { setAt(state.scenario, path, box.value); clearError(box); });
    return el("div", { class: "param" }, el("label", {}, label), el("span", {}, box, el("span", { class: "hint" }, hint)));
  }
  if (typeof value === "string" && value.length > 40) {
    const area = el("textarea", { "data-path": path, rows: 2, title: path });
    area.value = value;
    area.addEventListener("change", () => { setAt(state.scenario, path, area.value); clearError(area); });
    return el("div", { class: "param wide" }, el("label", {}, label), el("span", {}, area));
  }
  return el("div", { class: "param" }, el("label", {}, label),
    input(path, isNum ? "number" : "text", { min: lo, max: hi, hint, optional: true }));
}

function renderExtraSections() {
  const box = $("extra-sections");
  box.textContent = "";
  const props = (state.schema && state.schema.properties) || {};
  const sections = [["experiment", "Uncertainties, assumption sets and policies", true], ["war", "War model assumptions", false]];
  for (const [section, title, open] of sections) {
    const details = el("details", { id: `section-${section}`, open: open && state.scenario[section] != null }, el("summary", {}, title));
    box.append(details);
    if (state.scenario[section] == null) {
      details.append(el("p", { class: "muted" }, `This scenario has no ${section} section.`));
      continue;
    }
    details.append(renderParam(section, props[section] || {}, section));
  }
}

// --- library and uploads ------------------------------------------------------------------------
async function loadLibrary(selectKey) {
  const r = await api("/scenarios");
  if (!r.ok) { $("server-status").textContent = message(r.body, "cannot list scenarios"); return; }
  const sel = $("library-select");
  sel.textContent = "";
  for (const e of r.body.entries) {
    sel.append(el("option", { value: e.key }, `${e.name} — ${e.n_actors} actors, ${e.n_issues} issues [${e.origin}: ${e.file}]`));
  }
  if (selectKey) sel.value = selectKey;
  $("library-broken").textContent = r.body.broken.length
    ? "Files that could not be read: " + r.body.broken.map((b) => `${b.file} (${describe(b.error)})`).join("; ") : "";
}

async function openScenario(key) {
  const r = await api("/scenarios/item?key=" + encodeURIComponent(key));
  if (!r.ok) { $("server-status").textContent = message(r.body, "cannot load scenario"); return; }
  state.key = key;
  state.filename = r.body.filename;
  state.scenario = r.body.scenario;
  state.original = JSON.parse(JSON.stringify(r.body.scenario));
  const link = $("scenario-download");
  link.href = "/api/scenarios/file?key=" + encodeURIComponent(key);
  link.classList.remove("hidden");
  renderEditor();
}

// Select line ``line`` (1-based) of a text box, so the user sees where the problem is.
function selectLine(box, line) {
  if (!line) return;
  const lines = box.value.split("\n");
  if (line > lines.length) return;
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  box.focus();
  box.setSelectionRange(start, start + lines[line - 1].length);
}

async function sendUpload(save) {
  $("upload-error").textContent = "";
  $("upload-ok").textContent = "";
  $("upload-text").classList.remove("invalid");
  const body = { filename: $("upload-name").value || "scenario.yaml", text: $("upload-text").value, save };
  const r = await api("/scenarios/parse", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) {
    $("upload-text").classList.add("invalid");
    $("upload-error").textContent = message(r.body, "the file was refused");
    selectLine($("upload-text"), r.body && r.body.error ? r.body.error.line : null);
    return;
  }
  const names = r.body.scenarios.map((s) => s.name).join(", ");
  $("upload-ok").textContent = `valid: ${names}` + (save ? " — added to the library" : "");
  if (save && r.body.entries.length) {
    await loadLibrary(r.body.entries[0].key);
    await openScenario(r.body.entries[0].key);
  }
}

// --- start --------------------------------------------------------------------------------------
async function main() {
  $("load-btn").addEventListener("click", () => openScenario($("library-select").value));
  $("upload-check").addEventListener("click", () => sendUpload(false));
  $("upload-save").addEventListener("click", () => sendUpload(true));
  $("upload-file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    $("upload-name").value = f.name;
    $("upload-text").value = await f.text();
    await sendUpload(false);
  });
  $("check-btn").addEventListener("click", checkScenario);
  $("reset-btn").addEventListener("click", () => { state.scenario = JSON.parse(JSON.stringify(state.original)); renderEditor(); });
  $("run-btn").addEventListener("click", startRun);
  $("compare-btn").addEventListener("click", compareSelected);
  $("store-refresh").addEventListener("click", loadStore);
  const schema = await api("/schema");
  if (!schema.ok) { $("server-status").textContent = message(schema.body, "cannot reach the server"); return; }
  state.schema = schema.body;
  await Promise.all([loadLibrary(), loadModels(), refreshRuns(), loadStore()]);
  const first = $("library-select").value;
  if (first) await openScenario(first);
  $("server-status").textContent = "connected";
  document.body.setAttribute("data-ready", "1");
}

document.addEventListener("DOMContentLoaded", main);
