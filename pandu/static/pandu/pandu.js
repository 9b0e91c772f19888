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

// The under-age head's reason only matters for the head of household: show it for relationship 1
// (or when it already holds a value or an error).
function toggleHeadReason(root) {
  (root.matches && root.matches(".member-form") ? [root] : root.querySelectorAll(".member-form")).forEach(function (card) {
    var rel = card.querySelector("select[name$='relationship']");
    var box = card.querySelector(".head-reason");
    if (!rel || !box) return;
    var input = box.querySelector("input");
    var keep = (input && input.value) || box.querySelector(".invalid-feedback");
    box.style.display = rel.value === "1" || keep ? "" : "none";
  });
}
document.addEventListener("DOMContentLoaded", function () { toggleHeadReason(document); });
document.addEventListener("change", function (e) {
  if (e.target.matches && e.target.matches("select[name$='relationship']")) {
    toggleHeadReason(e.target.closest(".member-form"));
  }
});
