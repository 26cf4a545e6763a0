// Rotating check-in QR on the teacher's screen: fetch a fresh signed token before the old one
// expires and swap the SVG. Served as a static file (strict CSP, no inline script).
(function () {
  "use strict";
  var box = document.getElementById("att-qr");
  if (!box) return;
  var url = box.getAttribute("data-token-url");
  var rotate = parseInt(box.getAttribute("data-rotate"), 10) || 15;
  var status = document.getElementById("att-qr-status");
  var failures = 0;

  function schedule(seconds) {
    window.setTimeout(refresh, Math.max(1, seconds) * 1000);
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (data) {
        failures = 0;
        box.innerHTML = data.svg;
        box.setAttribute("data-url", data.url);
        box.classList.remove("is-stale");
        schedule(data.expires_in || rotate);
      })
      .catch(function () {
        failures += 1;
        box.classList.add("is-stale");
        if (status) status.textContent = status.getAttribute("data-offline") || "…";
        schedule(Math.min(rotate, 2 * failures));
      });
  }

  schedule(1);
})();
