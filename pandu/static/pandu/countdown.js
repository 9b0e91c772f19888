/* Clocks that count down (a breach's 3×24-hour notice, a request's answer): every element with
   data-countdown="<ISO moment>" shows the time left, in the page's language, once a minute.
   Without JavaScript the server's text stays, true at the time the page was made. */
(function () {
  "use strict";
  var id = document.documentElement.lang !== "en";
  function say(ms) {
    var late = ms < 0, m = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60, parts = [];
    if (d) parts.push(d + (id ? " hari" : (d === 1 ? " day" : " days")));
    if (h) parts.push(h + (id ? " jam" : (h === 1 ? " hour" : " hours")));
    if (mm && !d) parts.push(mm + (id ? " menit" : (mm === 1 ? " minute" : " minutes")));
    var text = parts.join(" ") || (id ? "kurang dari 1 menit" : "under a minute");
    if (late) return (id ? "terlambat " : "late by ") + text;
    return (id ? "sisa " : "") + text + (id ? "" : " left");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(due)) return;
      el.textContent = say(due - now);
      if (due < now) el.classList.add("text-danger");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 60000);
  });
})();
