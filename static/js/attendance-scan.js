// Teacher's card scanner: the camera via BarcodeDetector (native, or the vendored ZXing polyfill
// in static/vendor/barcode-detector/), or a USB scanner typing into the field. Each code is
// posted to the card check-in API; the page works without JavaScript through the form.
(function () {
  "use strict";
  var root = document.getElementById("att-scan");
  if (!root) return;
  var api = root.getAttribute("data-api");
  var polyfill = root.getAttribute("data-polyfill");
  var result = document.getElementById("att-scan-result");
  var form = document.getElementById("att-card-form");
  var input = document.getElementById("att-card");
  var video = document.getElementById("att-video");
  var start = document.getElementById("att-camera-start");
  var recent = {};

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function show(ok, text) {
    var p = document.createElement("p");
    p.className = ok ? "result-ok" : "result-bad";
    p.textContent = text;
    result.replaceChildren(p);
  }

  function submit(code) {
    code = (code || "").trim();
    if (!code) return;
    var now = Date.now();
    if (recent[code] && now - recent[code] < 4000) return; // the camera sees a card many times
    recent[code] = now;
    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ card: code }),
    })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (res) {
        if (res.ok) {
          var prefix = res.data.code === "checked_in" ? root.getAttribute("data-msg-ok") : root.getAttribute("data-msg-again");
          show(true, prefix + " " + res.data.name);
        } else {
          show(false, res.data.detail || res.data.code);
        }
      })
      .catch(function () { show(false, "…"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit(input.value);
    input.value = "";
    input.focus();
  });

  function loadPolyfill() {
    return new Promise(function (resolve, reject) {
      if ("BarcodeDetector" in window) { resolve(); return; }
      var s = document.createElement("script");
      s.src = polyfill;
      s.onload = function () {
        var base = polyfill.slice(0, polyfill.lastIndexOf("/") + 1);
        if (window.BarcodeDetectionAPI && window.BarcodeDetectionAPI.setZXingModuleOverrides) {
          window.BarcodeDetectionAPI.setZXingModuleOverrides({
            locateFile: function (path) { return base + path; },
          });
        }
        resolve();
      };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function scanLoop(detector) {
    detector.detect(video).then(function (codes) {
      codes.forEach(function (c) { submit(c.rawValue); });
    }).catch(function () {}).then(function () {
      window.setTimeout(function () { scanLoop(detector); }, 300);
    });
  }

  start.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show(false, root.getAttribute("data-msg-nocam"));
      return;
    }
    loadPolyfill()
      .then(function () {
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        return video.play();
      })
      .then(function () {
        scanLoop(new window.BarcodeDetector({ formats: ["qr_code"] }));
      })
      .catch(function () { show(false, root.getAttribute("data-msg-nocam")); });
  });
})();
