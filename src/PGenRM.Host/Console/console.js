// PGenRM console: plain JavaScript over the service's HTTP API (/v1). The key lives in sessionStorage only and is
// sent as the X-Api-Key header, never in a URL. API data is written with textContent (never as HTML).
"use strict";

(() => {
  const KEY = "pgenrm.key";
  const KIND = "pgenrm.kind";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // ---- session --------------------------------------------------------------------------------------------------
  const session = {
    get key() { return sessionStorage.getItem(KEY); },
    get kind() { return sessionStorage.getItem(KIND); },
    // A tenant key is "{tenant}.{secret}".
    get tenant() { const k = sessionStorage.getItem(KEY) || ""; const i = k.indexOf("."); return i > 0 ? k.slice(0, i) : ""; },
    set(key, kind) { sessionStorage.setItem(KEY, key); sessionStorage.setItem(KIND, kind); },
    clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(KIND); },
  };

  /** An API error: the problem-details body's title and detail. */
  class ApiError extends Error {
    constructor(status, title, detail) { super(`${status} ${title}: ${detail}`); this.status = status; this.title = title; this.detail = detail; }
  }

  async function api(method, path, body, key = session.key) {
    const headers = { Accept: "application/json" };
    if (key) headers["X-Api-Key"] = key;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, "Network error", `The service did not answer (${e.message}).`);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      throw new ApiError(response.status, json?.title || response.statusText || "Error", json?.detail || text || "(no detail)");
    }
    return json;
  }

  const enc = encodeURIComponent;
  const tenantPath = (rest) => `/v1/tenants/${enc(session.tenant)}${rest}`;

  // ---- errors ---------------------------------------------------------------------------------------------------
  function showError(e) {
    const box = $("error");
    if (e instanceof ApiError) {
      $("error-title").textContent = e.title;
      $("error-status").textContent = e.status ? `(HTTP ${e.status})` : "";
      $("error-detail").textContent = e.detail;
    } else {
      $("error-title").textContent = "Error";
      $("error-status").textContent = "";
      $("error-detail").textContent = String(e?.message || e);
    }
    box.hidden = false;
    box.focus?.();
  }
  function clearError() { $("error").hidden = true; }

  /** Runs an action with the error box cleared first, the form's buttons disabled while it runs, and errors shown. */
  async function run(form, action) {
    clearError();
    const buttons = form ? [...form.querySelectorAll("button")] : [];
    buttons.forEach((b) => { b.disabled = true; });
    try { await action(); } catch (e) { showError(e); } finally { buttons.forEach((b) => { b.disabled = false; }); }
  }

  // ---- small DOM helpers ----------------------------------------------------------------------------------------
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      // style through the CSSOM: the page's Content-Security-Policy refuses style attributes.
      if (k === "text") node.textContent = v; else if (k === "class") node.className = v; else if (k === "style") node.style.cssText = v; else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  const fmt = (x, digits = 3) => (typeof x === "number" ? x.toFixed(digits) : String(x));
  function bar(fraction, label, cls = "") {
    const f = Math.max(0, Math.min(1, fraction));
    return el("span", { class: `bar ${cls}`, role: "img", "aria-label": label },
      el("span", { class: "fill", style: `width:${(f * 100).toFixed(1)}%` }));
  }
  function table(caption, headers, rows) {
    const t = el("table", {}, el("caption", { text: caption }));
    const head = el("tr");
    headers.forEach((h) => head.append(el("th", { scope: "col", text: h })));
    t.append(el("thead", {}, head));
    const body = el("tbody");
    rows.forEach((r) => {
      const tr = el("tr");
      r.forEach((c, i) => tr.append(i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c)));
      body.append(tr);
    });
    t.append(body);
    return t;
  }

  // ---- navigation -----------------------------------------------------------------------------------------------
  const pages = ["signin", "score", "profile", "feedback", "map", "tenant", "admin"];
  function route() {
    const signedIn = !!session.key;
    let page = location.hash.replace("#", "") || "";
    if (!signedIn) page = "signin";
    else if (session.kind === "admin") page = "admin";
    else if (!pages.includes(page) || page === "signin" || page === "admin") page = "score";
    pages.forEach((p) => { $(`page-${p}`).hidden = p !== page; });
    $("nav").hidden = !signedIn;
    $("who").hidden = !signedIn;
    document.querySelectorAll("#nav li").forEach((li) => { li.hidden = li.dataset.mode !== session.kind; });
    document.querySelectorAll("#nav a").forEach((a) => {
      if (a.getAttribute("href") === `#${page}`) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    $("who-text").textContent = session.kind === "admin" ? "Signed in with the admin key" : `Tenant ${session.tenant}`;
    document.title = `PGenRM console: ${$(`page-${page}`).querySelector("h2").textContent}`;
    if (page === "map") loadMap();
    if (page === "tenant") loadTenant();
    if (page === "feedback") loadCount();
  }
  window.addEventListener("hashchange", () => { clearError(); route(); $("main").focus(); });

  // ---- sign in --------------------------------------------------------------------------------------------------
  $("signin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    run(form, async () => {
      const key = $("signin-key").value.trim();
      const kind = form.querySelector("input[name=kind]:checked").value;
      if (kind === "admin") {
        // No admin read endpoint: an empty create request is refused with 401 for a wrong key and 400 (nothing
        // created) for the admin key.
        try {
          await api("POST", "/v1/tenants", {}, key);
        } catch (e) {
          if (!(e instanceof ApiError) || e.status !== 400) throw e;
        }
      } else {
        const i = key.indexOf(".");
        if (i <= 0) throw new ApiError(400, "Not a tenant key", "A tenant key looks like '{tenant}.{secret}'.");
        await api("GET", `/v1/tenants/${enc(key.slice(0, i))}`, undefined, key);
      }
      session.set(key, kind);
      $("signin-key").value = "";
      location.hash = kind === "admin" ? "#admin" : "#score";
      route();
    });
  });
  $("sign-out").addEventListener("click", () => { session.clear(); location.hash = ""; clearError(); route(); });

  // ---- score ----------------------------------------------------------------------------------------------------
  $("score-add").addEventListener("click", () => {
    const box = $("score-candidates");
    const i = box.querySelectorAll("textarea").length;
    box.append(el("label", { for: `score-c${i}`, text: `Candidate ${i + 1}` }), el("textarea", { id: `score-c${i}`, class: "candidate", rows: "2" }));
    $(`score-c${i}`).focus();
  });

  $("score-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(ev.currentTarget, async () => {
      const candidates = [...document.querySelectorAll("#score-candidates textarea")].map((t) => t.value).filter((t) => t.trim() !== "");
      const body = { query: $("score-query").value, candidates, explain: true };
      if ($("score-m").value !== "") body.m = Number($("score-m").value);
      if ($("score-n").value !== "") body.n = Number($("score-n").value);
      const result = await api("POST", tenantPath(`/users/${enc($("score-user").value.trim())}/score`), body);
      renderScore(result, candidates);
    });
  });

  function renderScore(r, candidates) {
    const out = $("score-result");
    out.replaceChildren();
    const chain = r.chain;
    const summary = el("div", { class: "card", id: "score-summary" },
      el("h3", { text: "Rewards" }),
      el("p", {}, r.coldStart ? el("span", { class: "badge", text: "cold start" }) : null,
        ` prototype ${r.prototype ?? "none"} · model ${r.modelVersion}`));
    const max = Math.max(...r.rewards.map(Math.abs), 1e-9);
    const rewards = el("ol", { class: "rewards" });
    r.rewards.forEach((reward, i) => {
      rewards.append(el("li", { class: i === r.preferredIndex ? "preferred" : "" },
        el("span", { class: "cand", text: candidates[i] }),
        el("span", { class: "num", text: fmt(reward, 4) }),
        bar((reward / max + 1) / 2, `reward ${fmt(reward, 4)}`, reward >= 0 ? "pos" : "neg"),
        i === r.preferredIndex ? el("span", { class: "badge", text: "preferred" }) : null));
    });
    summary.append(rewards);
    out.append(summary);
    if (!chain) return;

    out.append(el("div", { class: "card", id: "chain-persona" }, el("h3", { text: `Persona (${chain.scenarioName} scenario)` }), el("p", { text: chain.persona })));

    const rubric = el("div", { class: "card", id: "chain-rubric" }, el("h3", { text: "Rubric (weights sum to 100)" }));
    const list = el("ul", { class: "rubric" });
    chain.rubric.forEach((c) => {
      list.append(el("li", {},
        el("span", { class: "name", text: c.name, title: c.description }),
        bar(c.weightPercent / 100, `${c.name}: weight ${c.weightPercent} of 100`),
        el("span", { class: "num", text: `${c.weightPercent}` }),
        el("span", { class: "desc muted", text: c.description })));
    });
    rubric.append(list);
    out.append(rubric);

    const rows = chain.responses.map((resp) => [
      `Candidate ${resp.index + 1}${resp.index === chain.preferredIndex ? " (preferred)" : ""}`,
      ...resp.criterionScores.map((s) => el("span", { class: "score" }, bar(s / 10, `${s} of 10`, "thin"), ` ${fmt(s, 1)}`)),
      fmt(resp.finalScore, 2),
      fmt(resp.reward, 4),
    ]);
    out.append(el("div", { class: "card", id: "chain-scores" },
      table("Criterion scores (1–10) per response", ["Response", ...chain.rubric.map((c) => c.name), "Final", "Reward"], rows)));

    const s = chain.scaling;
    const scaling = el("div", { class: "card", id: "chain-scaling" }, el("h3", { text: "Test-time scaling: what contributed" }));
    scaling.append(table("Levels", ["Level", "What", "Value"], [
      ["Individual", "schemes fitted on query-relevant subsamples of the user's history (m)", String(s.m)],
      ["Prototype", "most similar users of the user's prototype consulted (n)", `${s.n}${s.neighbours.length ? ` (${s.neighbours.join(", ")})` : ""}`],
      ["Fusion", "agreement of the scaled schemes on the preferred response", fmt(s.agreement, 2)],
    ]));
    scaling.append(el("p", { text: "Share of the score from each part of the model:" }),
      el("div", { class: "split", role: "img", "aria-label": `content ${fmt(s.contentShare * 100, 0)} percent, collaborative ${fmt(s.collaborativeShare * 100, 0)} percent` },
        el("span", { class: "content", style: `width:${(s.contentShare * 100).toFixed(1)}%`, text: `content ${fmt(s.contentShare * 100, 0)}%` }),
        el("span", { class: "collab", style: `width:${(s.collaborativeShare * 100).toFixed(1)}%`, text: s.collaborativeShare > 0.08 ? `collaborative ${fmt(s.collaborativeShare * 100, 0)}%` : "" })));
    if (s.coldStart) scaling.append(el("p", { class: "muted", text: "Cold start: the user has no feedback yet; the prior carries the score." }));
    out.append(scaling);
  }

  // ---- profile --------------------------------------------------------------------------------------------------
  $("profile-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(ev.currentTarget, async () => {
      const p = await api("GET", tenantPath(`/users/${enc($("profile-user").value.trim())}/profile`));
      const out = $("profile-result");
      out.replaceChildren(el("div", { class: "card", id: "profile-counts" },
        table(`User ${p.user}`, ["Count", "Value"], [
          ["Feedback items", String(p.feedbackCount)],
          ["Pairs in history", String(p.historyCount)],
          ["Pairs folded into statistics", String(p.foldedCount)],
          ["Stated preference", p.hasStatedPreference ? "yes" : "no"],
          ["Prototype", p.prototype === null || p.prototype === undefined ? "none" : String(p.prototype)],
          ["Prior strength", fmt(p.priorScale, 1)],
          ["Collaborative prior strength (the tenant's)",
            p.collaborativeScale === null || p.collaborativeScale === undefined ? "none yet (own choice)" : fmt(p.collaborativeScale, 1)],
          ["Cold start", p.coldStart ? "yes" : "no"],
        ])));
      for (const s of p.scenarios) {
        const list = el("ul", { class: "rubric" });
        s.rubric.forEach((c) => list.append(el("li", {},
          el("span", { class: "name", text: c.name, title: c.description }),
          bar(c.weight / 100, `${c.name}: weight ${c.weight} of 100`),
          el("span", { class: "num", text: String(c.weight) }))));
        out.append(el("details", { class: "card" }, el("summary", { text: `${s.name}: ${s.persona}` }), list));
      }
    });
  });

  // ---- feedback -------------------------------------------------------------------------------------------------
  async function loadCount() {
    const user = $("feedback-user").value.trim();
    if (!user || !session.key || session.kind !== "tenant") return;
    try {
      const p = await api("GET", tenantPath(`/users/${enc(user)}/profile`));
      $("feedback-count").textContent = String(p.feedbackCount);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) $("feedback-count").textContent = "0"; else showError(e);
    }
  }
  $("feedback-user").addEventListener("change", loadCount);

  function sendFeedback(aIsBetter) {
    const form = $("feedback-form");
    if (!form.reportValidity()) return;
    run(form, async () => {
      const a = $("feedback-a").value, b = $("feedback-b").value;
      const body = { id: `console-${crypto.randomUUID()}`, query: $("feedback-query").value, chosen: aIsBetter ? a : b, rejected: aIsBetter ? b : a };
      const user = $("feedback-user").value.trim();
      const receipt = await api("POST", tenantPath(`/users/${enc(user)}/feedback`), body);
      $("feedback-count").textContent = String(receipt.feedbackCount);
      $("feedback-result").replaceChildren(el("p", { class: "card ok", id: "feedback-receipt",
        text: `Stored (${receipt.status}): ${user} prefers response ${aIsBetter ? "A" : "B"}. Feedback count is now ${receipt.feedbackCount}.` }));
    });
  }
  $("feedback-choose-a").addEventListener("click", () => sendFeedback(true));
  $("feedback-choose-b").addEventListener("click", () => sendFeedback(false));

  // ---- prototype map --------------------------------------------------------------------------------------------
  async function loadMap(recluster = false) {
    await run(null, async () => {
      const map = await api(recluster ? "POST" : "GET", tenantPath(recluster ? "/prototypes/recluster" : "/prototypes/map"));
      drawMap(map);
    });
  }
  $("map-refresh").addEventListener("click", () => loadMap(false));
  $("map-recluster").addEventListener("click", () => loadMap(true));

  function drawMap(map) {
    const out = $("map-result");
    out.replaceChildren();
    if (!map.points.length) {
      out.append(el("p", { class: "card", id: "map-empty", text: "No prototypes yet: they form when users have given feedback and a re-clustering pass has run (after the tenant's reclusterAfterMoves moves, on a timer, or with \"Re-cluster now\")." }));
      return;
    }
    const W = 720, H = 440, pad = 60;
    const xs = map.points.map((p) => p.x), ys = map.points.map((p) => p.y);
    // One scale for both axes, so distances on the picture are distances between centroids (the second component
    // usually spans far less than the first).
    const lo = (v) => Math.min(...v), hi = (v) => Math.max(...v);
    const xr = hi(xs) - lo(xs), yr = hi(ys) - lo(ys);
    const cx = (lo(xs) + hi(xs)) / 2, cy = (lo(ys) + hi(ys)) / 2;
    const fit = Math.min(xr > 0 ? (W - 2 * pad) / xr : Infinity, yr > 0 ? (H - 2 * pad) / yr : Infinity);
    const scale = Number.isFinite(fit) ? fit : 1; // one prototype (or all at one point): centred
    const sx = (x) => W / 2 + (x - cx) * scale;
    const sy = (y) => H / 2 - (y - cy) * scale;
    const maxSize = Math.max(...map.points.map((p) => p.size), 1);
    const total = map.points.reduce((a, p) => a + p.size, 0);
    const pic = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "map-title map-desc", id: "map-svg", class: "map" });
    pic.append(svg("title", { id: "map-title" }, `Prototype map: ${map.points.length} prototypes, ${total} users`));
    pic.append(svg("desc", { id: "map-desc" }, map.points.map((p) => `prototype ${p.index}: ${p.size} members`).join("; ")));
    pic.append(svg("rect", { x: 0, y: 0, width: W, height: H, class: "bg" }));
    pic.append(svg("line", { x1: pad / 2, y1: H - pad / 2, x2: W - pad / 2, y2: H - pad / 2, class: "axis" }));
    pic.append(svg("line", { x1: pad / 2, y1: pad / 2, x2: pad / 2, y2: H - pad / 2, class: "axis" }));
    pic.append(svg("text", { x: W / 2, y: H - 8, "text-anchor": "middle", class: "axis-label" }, `component 1 (${fmt(map.explainedVariance[0] * 100, 0)}% of variance)`));
    pic.append(svg("text", { x: 14, y: H / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${H / 2})`, class: "axis-label" }, `component 2 (${fmt(map.explainedVariance[1] * 100, 0)}%)`));
    const palette = ["#2f6fb0", "#d1495b", "#2e933c", "#8f5bb3", "#e08e0b", "#1b998b", "#6c757d", "#b5651d"];
    // Largest first, so small circles stay visible on top.
    const labels = [];
    [...map.points].sort((a, b) => b.size - a.size).forEach((p) => {
      const r = 8 + 32 * Math.sqrt(p.size / maxSize);
      const g = svg("g", { class: "proto", "data-index": p.index });
      g.append(svg("circle", { cx: sx(p.x), cy: sy(p.y), r, fill: palette[p.index % palette.length] }));
      // Above the circle unless another label is there already; then below, then further down.
      let ly = sy(p.y) - r - 6;
      for (let k = 0; labels.some((l) => Math.abs(l.x - sx(p.x)) < 95 && Math.abs(l.y - ly) < 16); k++) ly = sy(p.y) + r + 18 + 16 * k;
      labels.push({ x: sx(p.x), y: ly });
      g.append(svg("text", { x: sx(p.x), y: ly, "text-anchor": "middle", class: "label" }, `P${p.index} · ${p.size} ${p.size === 1 ? "user" : "users"}`));
      g.append(svg("title", {}, `prototype ${p.index}: ${p.size} members`));
      pic.append(g);
    });
    out.append(el("div", { class: "card" }, pic, el("p", { class: "muted", text: `Centroid version ${map.centroidVersion}. ${map.points.length} prototypes, ${total} users.` })));
    out.append(table("Prototypes", ["Prototype", "Members", "x", "y"], map.points.map((p) => [`P${p.index}`, String(p.size), fmt(p.x, 4), fmt(p.y, 4)])));
  }

  // ---- tenant settings ------------------------------------------------------------------------------------------
  async function loadTenant() {
    await run(null, async () => {
      const t = await api("GET", tenantPath(""));
      $("tenant-result").replaceChildren(settingsTable(`Tenant ${t.tenant} (created ${t.createdAt})`, t.settings),
        el("p", { class: "muted", text: `${t.prototypes} prototypes, centroid version ${t.centroidVersion}. Settings are set by an admin when the tenant is created.` }));
    });
  }
  function settingsTable(caption, settings) {
    return table(caption, ["Setting", "Value"], Object.entries(settings).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]));
  }

  // ---- admin ----------------------------------------------------------------------------------------------------
  $("admin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(ev.currentTarget, async () => {
      const settings = {};
      document.querySelectorAll("#admin-form [data-setting]").forEach((input) => {
        if (input.value !== "") settings[input.dataset.setting] = Number(input.value);
      });
      const created = await api("POST", "/v1/tenants", { tenant: $("admin-tenant").value.trim(), settings });
      $("admin-result").replaceChildren(el("div", { class: "card ok", id: "admin-created" },
        el("h3", { text: `Tenant ${created.tenant} created` }),
        el("p", {}, "Its API key (shown only this once; copy it now): ", el("code", { id: "admin-key", text: created.apiKey })),
        settingsTable("Settings", created.settings)));
    });
  });

  route();
})();
