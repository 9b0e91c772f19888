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
        if (el.dataset.scope) params.set("scope", el.dataset.scope);
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

// Pages run no inline script (Content-Security-Policy, decision 0010): what templates used to do
// in <script> blocks and onchange attributes is done here, by data attributes and element ids.

// A select with data-autosubmit sends its form when changed (language switch, service point).
document.addEventListener("change", function (e) {
  if (e.target.matches && e.target.matches("select[data-autosubmit]") && e.target.form) {
    e.target.form.submit();
  }
});

// "Tambah anggota": a new member form from the <template id="member-template"> of the page.
document.addEventListener("click", function (e) {
  var button = e.target.closest && e.target.closest("#add-member");
  if (!button) return;
  var total = document.getElementById("id_m-TOTAL_FORMS");
  var template = document.getElementById("member-template");
  if (!total || !template) return;
  var idx = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, idx).replace(/__number__/g, idx + 1);
  var wrap = document.createElement("div"); wrap.innerHTML = html;
  var node = wrap.firstElementChild;
  document.getElementById("members").appendChild(node);
  total.value = idx + 1;
  if (window.htmx) htmx.process(node);
  toggleHeadReason(node);
  initAreaPickers(node);
});

// The decision list's "check all" box.
document.addEventListener("change", function (e) {
  if (e.target.id !== "check-all") return;
  document.querySelectorAll('#decide-items input[name="items"]').forEach(function (c) {
    c.checked = e.target.checked;
  });
});

// Bars and progress bars: their width comes in data-width (a percentage), set here because the
// policy allows no style attribute in the page.
function applyWidths(root) {
  var items = root.querySelectorAll ? root.querySelectorAll("[data-width]") : [];
  if (root.matches && root.matches("[data-width]")) items = [root].concat(Array.from(items));
  Array.prototype.forEach.call(items, function (el) {
    var value = parseFloat(String(el.dataset.width).replace(",", "."));
    if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
  });
}
document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
document.addEventListener("htmx:afterSwap", function (e) { applyWidths(e.target); });
document.addEventListener("htmx:afterSettle", function (e) { applyWidths(e.target); });
