// A search box above every <select data-search>: typing filters the options by any part of
// their label (name, birth date, number). Without JavaScript the select works as before.
(function () {
  "use strict";
  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function attach(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.setAttribute("aria-label", select.dataset.searchLabel || "Search");
    box.placeholder = select.dataset.searchLabel || "";
    if (select.id) box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = normalise(box.value).split(/\s+/).filter(Boolean);
      var found = [];
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var label = normalise(option.textContent);
        var match = words.every(function (w) { return label.indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match && !option.selected;
        if (match) found.push(option);
      });
      var current = select.options[select.selectedIndex];
      // one match: choose it; several: leave the choice to the person
      if (found.length === 1 && current !== found[0]) {
        found[0].selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-search]").forEach(attach);
  });
})();
