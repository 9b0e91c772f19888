// Area pickers: a select with data-area-picker autocompletes from /wilayah/cari/ (83k villages
// never go into one dropdown). data-level limits the level, data-within the ancestor code.
function initAreaPickers(root) {
  if (typeof TomSelect === "undefined") return;
  root.querySelectorAll("select[data-area-picker]:not(.tomselected)").forEach(function (el) {
    new TomSelect(el, {
      valueField: "code", labelField: "label", searchField: ["label", "code"],
      maxOptions: 30, loadThrottle: 250, preload: false,
      load: function (query, callback) {
        var params = new URLSearchParams({ q: query });
        if (el.dataset.level) params.set("level", el.dataset.level);
        if (el.dataset.within) params.set("within", el.dataset.within);
        fetch(el.dataset.areaPicker + "?" + params.toString(), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (j) { callback(j.results); })
          .catch(function () { callback(); });
      },
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { initAreaPickers(document); });
document.addEventListener("htmx:afterSwap", function (e) { initAreaPickers(e.target); });
