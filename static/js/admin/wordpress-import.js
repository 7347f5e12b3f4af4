/*
 * Import from WordPress: the job page follows the background worker.
 * Polls the job's progress endpoint every 1.5 s while it runs, updates the
 * status, the bar and the count, and reloads the page when a phase ends so the
 * report is rendered by the server. Without scripts the page has a refresh link.
 */
(function () {
  "use strict";

  const box = document.getElementById("wordpress-import");
  if (!box || box.dataset.running !== "true") {
    return;
  }
  const url = box.dataset.progressUrl;
  const status = document.getElementById("import-status");
  const bar = document.getElementById("import-progress-bar");
  const text = document.getElementById("import-progress-text");
  const INTERVAL = 1500;

  function show(data) {
    if (status && status.textContent !== data.status_label) {
      status.textContent = data.status_label;
    }
    if (bar) {
      if (data.total) {
        bar.max = data.total;
        bar.value = Math.min(data.done, data.total);
      } else {
        bar.removeAttribute("value");
      }
    }
    if (text && !data.waiting) {
      text.textContent = data.total
        ? data.done + " of " + data.total + " items"
        : data.done + " items so far";
    }
  }

  async function poll() {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      if (response.ok) {
        const data = await response.json();
        if (!data.running || data.status !== box.dataset.status) {
          window.location.reload();
          return;
        }
        show(data);
      }
    } catch (error) {
      // A dropped request: try again at the next tick.
    }
    window.setTimeout(poll, INTERVAL);
  }

  window.setTimeout(poll, INTERVAL);
})();
