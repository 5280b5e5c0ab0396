// planner serve: the page's small progressive layer. Every change goes through the JSON API
// (same-origin fetch, so the server's Origin check passes), then the page reloads from the
// server, which renders the grid, the clashes and the agenda. Program text is only ever put
// in the page with textContent, never as markup.
"use strict";

(function () {
  const body = document.body;
  const zone = body.dataset.zone;
  const flash = document.getElementById("flash");
  const FLASH_KEY = "planner-flash";

  function withZone(path) {
    return path + (path.includes("?") ? "&" : "?") + "tz=" + encodeURIComponent(zone);
  }

  function api(method, path, data) {
    const options = { method: method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (data !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data);
    }
    return fetch(withZone(path), options).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || response.statusText);
        return answer;
      });
    });
  }

  function showFlash(lines, isError) {
    flash.textContent = "";
    lines.forEach(function (line) {
      const p = document.createElement("p");
      p.textContent = line;
      if (isError || line.startsWith("Warning:")) p.className = "error-message";
      flash.appendChild(p);
    });
  }

  const saved = sessionStorage.getItem(FLASH_KEY);
  if (saved) {
    sessionStorage.removeItem(FLASH_KEY);
    try { showFlash(JSON.parse(saved)); } catch (ignored) { /* a stale entry */ }
  }

  function done(report) {
    const lines = report.messages.concat(
      report.notes.map(function (n) { return "Note: " + n; }),
      report.warnings.map(function (w) { return "Warning: " + w; })
    );
    sessionStorage.setItem(FLASH_KEY, JSON.stringify(lines));
    window.location.reload();
  }

  function failed(error) {
    showFlash([String(error.message || error)], true);
  }

  // Search and filters: the list shows the matches; the grid dims the rest.
  if (body.dataset.filtered) {
    const matches = new Set(body.dataset.matches.split(" ").filter(Boolean));
    document.querySelectorAll("#grid .block[data-id]").forEach(function (block) {
      const hit = matches.has(block.dataset.id);
      block.classList.toggle("match", hit);
      block.classList.toggle("dim", !hit);
    });
  }

  // The zone selector and the filters apply as soon as they change.
  ["tz", "kind", "room", "track", "language"].forEach(function (id) {
    const field = document.getElementById(id);
    if (field) field.addEventListener("change", function () { document.getElementById("controls").submit(); });
  });

  // Details of an item, with Pick / Drop.
  const details = document.getElementById("details");
  let shown = null;

  function setText(id, text) {
    const node = document.getElementById(id);
    node.textContent = text || "";
    return node;
  }

  function clock(iso) { return iso ? iso.slice(11, 16) : ""; }

  function openDetails(id) {
    Promise.all([api("GET", "/api/items/" + encodeURIComponent(id)), api("GET", "/api/agenda")])
      .then(function (answers) {
        const item = answers[0];
        const agenda = answers[1];
        shown = item.id;
        setText("d-title", item.title);
        const when = item.start ? item.start.slice(0, 10) + " " + clock(item.start) + "–" + clock(item.end) : "time to be announced";
        setText("d-when", [when, item.room || "room not given", item.kind].join(" · "));
        setText("d-speakers", item.speakers.length ? "Speakers: " + item.speakers.join(", ") : "");
        const estimate = setText("d-estimate", item.estimated ? "~ estimated: " + (item.note || "time or room inferred") : "");
        estimate.hidden = !item.estimated;
        const mine = agenda.clashes.filter(function (c) { return c.items.indexOf(item.id) >= 0; });
        setText("d-clashes", mine.map(function (c) { return "⚠ " + c.message; }).join("\n"));
        const url = document.getElementById("d-url");
        url.textContent = "";
        if (item.url && /^https?:\/\//i.test(item.url)) {
          const link = document.createElement("a");
          link.href = item.url;
          link.rel = "noopener noreferrer";
          link.target = "_blank";
          link.textContent = item.url;
          url.appendChild(link);
        } else if (item.url) {
          url.textContent = item.url;
        }
        setText("d-abstract", item.abstract);
        const entry = agenda.items.find(function (e) { return e.id === item.id; });
        document.getElementById("d-pick").hidden = Boolean(entry);
        document.getElementById("d-drop").hidden = !entry;
        details.hidden = false;
        details.dataset.id = item.id;
      })
      .catch(failed);
  }

  document.addEventListener("click", function (event) {
    const target = event.target.closest("#grid .block[data-id], #list .row[data-id]");
    if (!target) return;
    event.preventDefault();
    openDetails(target.dataset.id);
  });
  document.addEventListener("keydown", function (event) {
    const row = event.target.closest && event.target.closest("#list .row[data-id]");
    if (row && event.key === "Enter") openDetails(row.dataset.id);
  });
  document.getElementById("details-close").addEventListener("click", function () { details.hidden = true; });
  document.getElementById("d-pick").addEventListener("click", function () {
    api("POST", "/api/picks", { ids: [shown] }).then(done, failed);
  });
  document.getElementById("d-drop").addEventListener("click", function () {
    api("DELETE", "/api/picks/" + encodeURIComponent(shown)).then(done, failed);
  });

  // The agenda panel: drop a pick or a personal event, add one.
  document.querySelectorAll("#agenda button.drop").forEach(function (button) {
    button.addEventListener("click", function () {
      api("DELETE", "/api/" + button.dataset.kind + "/" + encodeURIComponent(button.dataset.id)).then(done, failed);
    });
  });
  document.getElementById("add-event").addEventListener("submit", function (event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const data = { title: form.get("title"), start: form.get("start"), end: form.get("end") };
    if (form.get("location")) data.location = form.get("location");
    api("POST", "/api/events", data).then(done, failed);
  });
})();
