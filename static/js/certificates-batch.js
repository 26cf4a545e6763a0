// Polls a certificate batch's progress and shows the download link when it is done.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var finished = { done: true, failed: true };
  if (finished[box.getAttribute("data-status")]) { return; }
  function show(state) {
    document.getElementById("batch-status").textContent = state.status_label;
    document.getElementById("batch-done").textContent = state.done;
    document.getElementById("batch-total").textContent = state.total;
    var bar = document.getElementById("batch-progress");
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    if (state.pdf_url) {
      document.getElementById("batch-link").href = state.pdf_url;
      document.getElementById("batch-download").hidden = false;
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (state) {
        show(state);
        if (!finished[state.status]) { window.setTimeout(poll, 1500); }
        else if (state.status === "failed") { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
