// Copies a value of an InGe report to the clipboard, so staff paste it into InGe-Online
// instead of re-typing it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.inge-copy");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) { return; }
    var label = button.textContent;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied");
      window.setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
})();
