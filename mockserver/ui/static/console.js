// shop-sandbox console: the few things a server-rendered page cannot do alone. Every action calls
// the admin JSON API (same origin, application/json), then reloads the page or goes to the new
// record. No framework, no build step.
"use strict";
(() => {
  const NOTE_KEY = "shop-sandbox-note";

  // ---- messages ------------------------------------------------------------------------------
  function toast(text, error) {
    const box = document.getElementById("flash");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast" + (error ? " error" : "");
    item.setAttribute("role", error ? "alert" : "status");
    item.textContent = text;
    box.appendChild(item);
    setTimeout(() => item.remove(), error ? 12000 : 5000);
  }
  function noteForNextPage(text) { try { sessionStorage.setItem(NOTE_KEY, text); } catch (e) { /* private mode */ } }
  function showPendingNote() {
    let text = null;
    try { text = sessionStorage.getItem(NOTE_KEY); sessionStorage.removeItem(NOTE_KEY); } catch (e) { /* none */ }
    if (text) toast(text, false);
  }

  // ---- the admin API -----------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.message || body.error)) || `HTTP ${status}`);
      this.status = status; this.body = body;
    }
  }
  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (response.status === 401 && !path.startsWith("/_sandbox/ui/login")) {  // signed out meanwhile
      location.href = "/_sandbox/ui/login?next=" + encodeURIComponent(location.pathname + location.search);
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
  window.sandboxApi = api;

  // "{a.b}" -> the value at a.b in the answer (for messages and the next page's address).
  function fill(template, data) {
    return template.replace(/\{([\w.]+)\}/g, (_, path) => {
      let value = data;
      for (const key of path.split(".")) value = value == null ? undefined : value[key];
      return value == null ? "" : String(value);
    });
  }

  // What happens after an action succeeded: data-then="reload" (default), "goto:<address>", or
  // "orders:<address of one order>" (one order made: open it; several: reload the list).
  function after(then, message, data) {
    if (message) noteForNextPage(fill(message, data || {}));
    if (then.startsWith("goto:")) { location.href = fill(then.slice(5), data || {}); return; }
    if (then.startsWith("orders:")) {
      if (data && data.created === 1) { location.href = fill(then.slice(7), data); return; }
    }
    if (then === "none") { if (message) showPendingNote(); return; }
    location.reload();
  }

  async function run(element, method, path, body) {
    if (element.dataset.confirm && !window.confirm(element.dataset.confirm)) return;
    const buttons = element.tagName === "FORM" ? element.querySelectorAll("button") : [element];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const data = await api(method, path, body);
      after(element.dataset.then || "reload", element.dataset.message || "", data);
    } catch (error) {
      toast(error instanceof ApiError ? `${error.status} ${error.body && error.body.error ? error.body.error + ": " : ""}${error.message}` : String(error), true);
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  // ---- forms: every named field becomes a JSON field -----------------------------------------
  // data-kind="json" parses the text, type=number sends a number, a checkbox true when ticked;
  // empty fields are left out (the API's defaults apply); data-initial fields only when changed.
  function formBody(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      const raw = field.type === "checkbox" ? field.checked : field.value.trim();
      if (field.dataset.initial !== undefined && raw === field.dataset.initial) continue;
      if (field.type === "checkbox") { if (raw) body[field.name] = true; continue; }
      if (raw === "") continue;
      if (field.dataset.kind === "json") body[field.name] = JSON.parse(raw);
      else if (field.type === "number" || field.dataset.kind === "int") body[field.name] = Number(raw);
      else if (field.dataset.kind === "list") body[field.name] = [raw];
      else body[field.name] = raw;
    }
    return body;
  }

  // The shop page's order form: an item picked -> explicit orders with that item; else generated.
  function ordersBody(body) {
    const count = body.count || 1;
    if (!body.item) return { count, statuses: body.status ? [body.status] : undefined };
    const [itemId, modelId] = body.item.split(":").map(Number);
    const order = { items: [{ item_id: itemId, model_id: modelId, quantity: body.quantity || 1 }] };
    if (body.status) order.status = body.status;
    return { orders: Array.from({ length: count }, () => order) };
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    let body;
    try { body = formBody(form); } catch (error) { toast("Not valid JSON: " + error.message, true); return; }
    if (form.dataset.shape === "orders") body = ordersBody(body);
    if (form.dataset.shape === "changes" && Object.keys(body).length === 0) { toast("Nothing changed", true); return; }
    run(form, form.dataset.method || "POST", form.dataset.api, body);
  });

  // ---- buttons, copy, clickable rows -------------------------------------------------------
  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) { // not a secure context (a host name other than localhost): the old way
      const area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select();
      document.execCommand("copy"); area.remove();
    }
    button.classList.add("done"); button.textContent = "copied";
    setTimeout(() => { button.classList.remove("done"); button.textContent = "copy"; }, 1500);
  }

  document.addEventListener("click", (event) => {
    const copyButton = event.target.closest("[data-copy]");
    if (copyButton) { event.preventDefault(); copy(copyButton.dataset.copy, copyButton); return; }
    const button = event.target.closest("button[data-post]");
    if (button) {
      event.preventDefault();
      const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
      run(button, button.dataset.method || "POST", button.dataset.post, body);
      return;
    }
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input, select")) location.href = row.dataset.href;
  });

  // ---- live parts ----------------------------------------------------------------------------
  // <tbody data-live-rows="url">: its rows come again from the server every so often (webhooks).
  function liveRows(body) {
    let busy = false;
    setInterval(async () => {
      if (busy || document.hidden) return;
      busy = true;
      try {
        const response = await fetch(body.dataset.liveRows, { credentials: "same-origin" });
        if (response.ok) {
          const html = await response.text();
          if (html !== body.dataset.lastHtml) { body.innerHTML = html; body.dataset.lastHtml = html; }
        }
      } catch (e) { /* the sandbox restarts: try again next time */ } finally { busy = false; }
    }, Number(body.dataset.every || 1500));
  }

  // The request journal: GET /_sandbox/requests?after=<last id>, newest rows on top.
  function fmtTime(seconds) {
    return new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19);
  }
  function cell(row, text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text == null ? "" : String(text);
    row.appendChild(td);
    return td;
  }
  function journalRow(entry) {
    const row = document.createElement("tr");
    row.className = "clickable fresh";
    row.dataset.href = "/_sandbox/ui/requests/" + entry.id;
    row.dataset.id = entry.id;
    cell(row, entry.id, "num mono");
    cell(row, fmtTime(entry.at), "nowrap mono");
    cell(row, entry.method, "mono");
    const query = new URLSearchParams(entry.query).toString();
    cell(row, entry.path + (query ? "?" + query : ""), "mono ellipsis").title = entry.path;
    cell(row, entry.platform || "");
    cell(row, entry.tenant || "", "mono");
    const status = cell(row, "");
    const badge = document.createElement("span");
    badge.className = "badge " + (entry.status < 400 ? "badge-good" : entry.status < 500 ? "badge-wait" : "badge-bad");
    badge.textContent = entry.status;
    status.appendChild(badge);
    cell(row, entry.error || "", "mono");
    cell(row, entry.warnings.length ? "⚠ " + entry.warnings.join(" · ") : "", "warn ellipsis").title = entry.warnings.join("\n");
    cell(row, entry.latency_ms.toFixed(1), "num");
    return row;
  }
  function liveJournal(table) {
    const body = table.tBodies[0];
    const toggle = document.getElementById("live");
    let after = Number(table.dataset.after || 0);
    let busy = false;
    setInterval(async () => {
      if (busy || document.hidden || (toggle && !toggle.checked)) return;
      busy = true;
      try {
        const query = new URLSearchParams({ after: String(after), limit: "200" });
        if (table.dataset.method) query.set("method", table.dataset.method);
        if (table.dataset.path) query.set("path", table.dataset.path);
        const data = await api("GET", "/_sandbox/requests?" + query.toString());
        const empty = body.querySelector("tr.empty-row");
        if (data.requests.length && empty) empty.remove();
        for (const entry of data.requests) {  // arrival order: each new one goes on top
          body.insertBefore(journalRow(entry), body.firstChild);
          after = Math.max(after, entry.id);
        }
        while (body.rows.length > 500) body.deleteRow(body.rows.length - 1);
        const counter = document.getElementById("journal-count");
        if (counter) counter.textContent = String(data.total);
      } catch (e) { /* try again next time */ } finally { busy = false; }
    }, 1000);
  }

  // The top bar's sandbox clock ticks while the clock runs (frozen: it stays).
  function tickClock(element) {
    if (element.dataset.frozen === "true") return;
    let now = Number(element.dataset.now);
    setInterval(() => { now += 1; element.textContent = fmtTime(now); }, 1000);
  }

  // The handlers above are in place: a test (or a person's script) may click now.
  document.documentElement.dataset.console = "ready";

  document.addEventListener("DOMContentLoaded", () => {
    showPendingNote();
    document.querySelectorAll("[data-live-rows]").forEach(liveRows);
    document.querySelectorAll("table[data-live-journal]").forEach(liveJournal);
    document.querySelectorAll("[data-clock]").forEach(tickClock);
  });
})();
