// blocwatch dashboard: plain DOM, no libraries. Article text is only ever set as text
// (textContent), never parsed as HTML; the network and timeline pictures are SVG the server
// builds with every name escaped.
"use strict";

const $ = (sel) => document.querySelector(sel);
const state = { since: "", until: "", actor: "", type: "", modality: "", cursor: null,
                first: null, last: null, current: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== "" && v !== null && v !== undefined) q.append(k, v);
  }
  const url = "api/" + path + (q.toString() ? "?" + q : "");
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${path}: ${body.detail || res.status}`);
  return body;
}

function showError(err) {
  const box = $("#error");
  box.textContent = String(err.message || err);
  box.hidden = false;
}

function period() { return { since: state.since, until: state.until }; }

function codes(side) {
  return side.map((a) => a.code || "?").join("+") || "–";
}

function names(side) {
  return side.map((a) => a.actor || a.text).join(", ");
}

// -- date range and counts ---------------------------------------------------------------
async function loadCounts() {
  const net = await api("views/network", period());
  const c = net.counts;
  // the days where events are dense: a few old ones ("in 1978") must not set the halves
  state.first = net.span.first;
  state.last = net.span.last;
  $("#counts").textContent = `${c.documents} documents · ${c.events} events · ${c.stories} ` +
    `stories · ${c.actors} actors · ${c.first_day || "?"} to ${c.last_day || "?"}`;
  return net;
}

// -- network -------------------------------------------------------------------------------
function drawNetwork(net) {
  const box = $("#network-box");
  box.innerHTML = net.svg;  // server-built SVG, names escaped there
  for (const node of box.querySelectorAll(".node")) {
    const code = node.dataset.code;
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", `${node.querySelector("title")?.textContent || code}`);
    node.classList.toggle("selected", code === state.actor);
    node.addEventListener("click", () => chooseActor(code));
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); chooseActor(code); }
    });
  }
  const list = $("#blocs");
  list.replaceChildren(...net.blocs.map((b) => el("li", {},
    el("span", { class: "swatch", style: `background:${b.colour}` }),
    `Bloc ${b.label}: `, b.members.map((m) => m.code).join(", "))));
  if (net.alone.length) list.append(el("li", {}, "Unaligned: ", net.alone.join(", ")));
}

function markActor() {
  for (const n of document.querySelectorAll("#network-box .node")) {
    n.classList.toggle("selected", n.dataset.code === state.actor);
  }
}

function chooseActor(code) {
  state.actor = state.actor === code ? "" : code;
  $("#f-actor").value = state.actor;
  markActor();
  loadEvents(true).catch(showError);
}

// -- what changed --------------------------------------------------------------------------
function halves() {
  const a = state.since || state.first, b = state.until || state.last;
  if (!a || !b || a >= b) return null;
  const start = new Date(a + "T00:00:00Z"), end = new Date(b + "T00:00:00Z");
  const mid = new Date((start.getTime() + end.getTime()) / 2);
  const next = new Date(mid.getTime() + 86400000);
  const iso = (d) => d.toISOString().slice(0, 10);
  return [`${a}..${iso(mid)}`, `${iso(next)}..${b}`];
}

async function loadChanges() {
  const list = $("#changes");
  const p = halves();
  if (!p) {
    $("#changes-periods").textContent = "Too few dated events to compare two periods.";
    list.replaceChildren();
    return;
  }
  const r = await api("shifts", { from: p[0], to: p[1], top: 8 });
  $("#changes-periods").textContent = `From ${r.from.label} to ${r.to.label} (first half of ` +
    "the range against the second).";
  const items = [];
  for (const c of r.changed_bloc || []) {
    items.push(el("li", {}, el("strong", {}, c.code), " changed bloc",
      c.left.length ? ` (left ${c.left.join(", ")})` : "",
      c.joined.length ? ` (joined ${c.joined.join(", ")})` : ""));
  }
  for (const d of r.dyads) {
    const up = d.change >= 0;
    const quote = d.evidence?.[0]?.sentences?.[0]?.text;
    items.push(el("li", {},
      el("button", { type: "button", class: "linklike",
                     onclick: () => setDyad(d.source, d.target) },
        `${d.source} → ${d.target}`), ": ",
      `${d.score_from.toFixed(1)} → ${d.score_to.toFixed(1)} `,
      el("span", { class: up ? "up" : "down" }, `${up ? "+" : ""}${d.change.toFixed(1)}`),
      quote ? el("div", { class: "quote" }, `“${quote}”`) : null));
  }
  if (!items.length) items.push(el("li", {}, "No dyad changed between the two periods."));
  list.replaceChildren(...items);
}

// -- dyad timeline -------------------------------------------------------------------------
function setDyad(source, target) {
  $("#dyad-source").value = source;
  $("#dyad-target").value = target;
  loadTimeline().catch(showError);
}

async function loadTimeline() {
  const source = $("#dyad-source").value, target = $("#dyad-target").value;
  if (!source || !target || source === target) {
    $("#timeline").replaceChildren(el("p", { class: "empty" }, "Choose two different actors."));
    $("#timeline-summary").textContent = "";
    return;
  }
  const r = await api("views/timeline", { source, target, ...period() });
  $("#timeline").innerHTML = r.svg;  // server-built SVG
  const stories = r.series.reduce((n, x) => n + x.stories, 0);
  const score = r.series.reduce((n, x) => n + x.score, 0);
  $("#timeline-summary").textContent = `${r.source_name} → ${r.target_name}: ${stories} ` +
    `stories, net ${score.toFixed(1)}, per ${r.window}.`;
}

// -- events ----------------------------------------------------------------------------------
async function loadEvents(reset) {
  if (reset) { state.cursor = null; $("#events tbody").replaceChildren(); }
  const r = await api("events", { actor: state.actor, type: state.type,
    modality: state.modality, ...period(), order: "newest", limit: 50, cursor: state.cursor });
  const rows = r.items.map((e) => el("tr", { "data-id": e.id, "data-doc": e.evidence.doc_id },
    el("td", {}, e.date || "?"),
    el("td", { title: names(e.source) }, codes(e.source)),
    el("td", {}, el("span", { class: "type " + (e.quad <= 2 ? "pos" : "neg") }, e.type),
      e.mode ? ` ${e.mode}` : ""),
    el("td", { title: names(e.target) }, codes(e.target)),
    el("td", {}, e.modality + (e.background ? " (background)" : "")),
    el("td", { class: "ev" }, el("button", { type: "button",
      onclick: () => openDocument(e) }, e.evidence.text))));
  $("#events tbody").append(...rows);
  state.cursor = r.next;
  $("#more").hidden = !r.next;
  const n = $("#events tbody").children.length;
  const who = state.actor ? ` with ${state.actor}` : "";
  $("#events-caption").textContent = `${n}${r.next ? "+" : ""} events${who}` +
    (state.type ? `, ${state.type}` : "") + (state.modality ? `, ${state.modality}` : "");
}

// -- document --------------------------------------------------------------------------------
async function openDocument(event) {
  state.current = event.id;
  for (const tr of document.querySelectorAll("#events tbody tr")) {
    tr.classList.toggle("current", tr.dataset.id === event.id);
  }
  const doc = await api("documents/" + encodeURIComponent(event.evidence.doc_id));
  const meta = [doc.title, doc.outlet, doc.published].filter(Boolean).join(" · ");
  $("#document-meta").textContent = meta || doc.id;
  const text = doc.text || "";
  const spans = [];  // [start, end, class, title]
  spans.push([event.evidence.start, event.evidence.end, "evidence", "the event's sentence"]);
  for (const m of doc.mentions) {
    spans.push([m.start_char, m.end_char, "actor", m.code ? `${m.code} ${m.sector || ""}` : "uncoded"]);
  }
  for (const e of doc.events) {
    if (e.trigger) spans.push([e.trigger.start, e.trigger.end, "trigger",
      `${e.type} ${codes(e.source)} → ${codes(e.target)} (${e.modality})`]);
  }
  const cuts = new Set([0, text.length]);
  for (const [s, e] of spans) { cuts.add(Math.max(0, s)); cuts.add(Math.min(text.length, e)); }
  const points = [...cuts].sort((a, b) => a - b);
  const parts = [];
  let evidenceNode = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const on = spans.filter(([s, e]) => s <= a && b <= e);
    if (!on.length) { parts.push(document.createTextNode(text.slice(a, b))); continue; }
    const node = el("span", { class: on.map((x) => x[2]).join(" "),
      title: on.filter((x) => x[2] !== "evidence").map((x) => x[3]).join("; ") || null },
      text.slice(a, b));
    if (!evidenceNode && on.some((x) => x[2] === "evidence")) evidenceNode = node;
    parts.push(node);
  }
  const box = $("#document");
  box.replaceChildren(...parts);
  if (evidenceNode) evidenceNode.scrollIntoView({ block: "center" });
}

// -- set-up ----------------------------------------------------------------------------------
async function fillChoices() {
  const [actors, vocab] = await Promise.all([api("actors", { limit: 500 }), api("vocabulary")]);
  const opts = actors.items.map((a) => [a.code, `${a.code} ${a.name || ""} (${a.events})`]);
  for (const id of ["#f-actor", "#dyad-source", "#dyad-target"]) {
    const sel = $(id);
    for (const [v, label] of opts) sel.append(el("option", { value: v }, label));
  }
  for (const t of vocab.types) $("#f-type").append(el("option", { value: t }, t));
  for (const m of vocab.modalities) $("#f-modality").append(el("option", { value: m }, m));
}

async function refresh() {
  $("#error").hidden = true;
  const net = await loadCounts();
  drawNetwork(net);
  const top = await api("dyads", { ...period(), limit: 1 });
  if (top.items.length && !$("#dyad-source").dataset.touched) {
    $("#dyad-source").value = top.items[0].source;
    $("#dyad-target").value = top.items[0].target;
  }
  await Promise.all([loadChanges(), loadTimeline(), loadEvents(true)]);
}

function wire() {
  $("#range").addEventListener("submit", (e) => {
    e.preventDefault();
    state.since = $("#since").value;
    state.until = $("#until").value;
    refresh().catch(showError);
  });
  $("#all-dates").addEventListener("click", () => {
    $("#since").value = ""; $("#until").value = "";
    state.since = state.until = "";
    refresh().catch(showError);
  });
  for (const [id, key] of [["#f-actor", "actor"], ["#f-type", "type"], ["#f-modality", "modality"]]) {
    $(id).addEventListener("change", () => {
      state[key] = $(id).value;
      if (key === "actor") markActor();
      loadEvents(true).catch(showError);
    });
  }
  for (const id of ["#dyad-source", "#dyad-target"]) {
    $(id).addEventListener("change", () => {
      $("#dyad-source").dataset.touched = "1";
      loadTimeline().catch(showError);
    });
  }
  $("#dyad-swap").addEventListener("click", () => {
    const s = $("#dyad-source").value;
    setDyad($("#dyad-target").value, s);
  });
  $("#more").addEventListener("click", () => loadEvents(false).catch(showError));
}

document.addEventListener("DOMContentLoaded", async () => {
  wire();
  try {
    await fillChoices();
    await refresh();
    document.body.dataset.ready = "1";
  } catch (err) {
    showError(err);
  }
});
