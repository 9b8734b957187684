// The live message log: the event journal as Server-Sent Events (/console/log/stream), newest
// first, filtered by kind and by a search text in the browser. No build step, no library.
"use strict";

const MAX_ROWS = 2000; // the oldest rows go, so a long-open page stays light

function detailCells(details) {
  const cell = document.createElement("td");
  cell.className = "details";
  for (const [key, value] of Object.entries(details)) {
    const span = document.createElement("span");
    const name = document.createElement("b");
    name.textContent = key;
    span.append(name, " " + value);
    cell.append(span, " ");
  }
  return cell;
}

function eventRow(event) {
  const row = document.createElement("tr");
  row.className = "kind-" + event.kind;
  row.dataset.kind = event.kind;
  for (const text of [String(event.sequence), event.at.slice(0, 19), event.kind, event.summary]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    row.append(cell);
  }
  row.append(detailCells(event.details));
  return row;
}

function startLiveLog(section) {
  const rows = section.querySelector("[data-log-rows]");
  const search = section.querySelector("[data-log-search]");
  const state = section.querySelector("[data-log-state]");
  const kinds = Array.from(section.querySelectorAll("[data-log-kind]"));

  function visible(row) {
    const shown = kinds.some((box) => box.checked && box.value === row.dataset.kind);
    const needle = search.value.trim().toLowerCase();
    return shown && (!needle || row.textContent.toLowerCase().includes(needle));
  }
  function refilter() {
    for (const row of rows.rows) row.hidden = !visible(row);
  }
  search.addEventListener("input", refilter);
  for (const box of kinds) box.addEventListener("change", refilter);
  refilter();

  const source = new EventSource("/console/log/stream?after=" + encodeURIComponent(section.dataset.after));
  source.onopen = () => { state.textContent = "live"; };
  source.onerror = () => { state.textContent = "reconnecting…"; };
  source.onmessage = (message) => {
    for (const event of JSON.parse(message.data)) {
      const row = eventRow(event);
      row.hidden = !visible(row);
      rows.prepend(row);
    }
    while (rows.rows.length > MAX_ROWS) rows.deleteRow(-1);
  };
}

document.addEventListener("DOMContentLoaded", () => {
  for (const section of document.querySelectorAll("[data-live-log]")) startLiveLog(section);
});
