// Field visit: "Catat lokasi saya" asks the browser for the phone's position, only when pressed.
// The position goes into the form's hidden inputs (latitude, longitude, accuracy in metres and
// the time it was taken); the server checks them. Texts come from the page's data-msg-*
// attributes, so they follow the user's language. When the position cannot be had, the page
// says why and the form is sent without one.
(function () {
  "use strict";

  function setup(box) {
    var form = box.closest("form");
    var button = box.querySelector("[data-locate]");
    var clear = box.querySelector("[data-locate-clear]");
    var status = box.querySelector("[data-locate-status]");
    if (!form || !button || !status) return;
    var lang = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    var inputs = {
      latitude: form.querySelector("input[name='latitude']"),
      longitude: form.querySelector("input[name='longitude']"),
      accuracy: form.querySelector("input[name='accuracy']"),
      located_at: form.querySelector("input[name='located_at']"),
    };

    function say(text, kind) {
      status.textContent = text;
      status.className = "small mt-2 mb-0 " + (kind === "error" ? "text-danger" : kind === "ok" ? "text-success" : "text-muted");
    }

    function fill(values) {
      Object.keys(inputs).forEach(function (name) {
        if (inputs[name]) inputs[name].value = values ? values[name] : "";
      });
      if (clear) clear.hidden = !values;
    }

    function number(value, digits) {
      return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
    }

    function describe(lat, lon, accuracy, when) {
      var time = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" }).format(when);
      return box.dataset.msgRecorded
        .replace("{lat}", number(lat, 6))
        .replace("{lon}", number(lon, 6))
        .replace("{acc}", number(accuracy, 0))
        .replace("{time}", time);
    }

    if (!("geolocation" in navigator)) {
      say(box.dataset.msgUnsupported, "error");
      button.disabled = true;
      return;
    }
    if (window.isSecureContext === false) {
      say(box.dataset.msgInsecure, "error");
      button.disabled = true;
      return;
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(box.dataset.msgWaiting, "info");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var c = position.coords;
          var when = new Date(position.timestamp || Date.now());
          fill({
            latitude: c.latitude.toFixed(6),
            longitude: c.longitude.toFixed(6),
            accuracy: Math.max(0, c.accuracy || 0).toFixed(1),
            located_at: when.toISOString(),
          });
          say(describe(c.latitude, c.longitude, c.accuracy || 0, when), "ok");
          button.disabled = false;
        },
        function (error) {
          fill(null);
          var message = {
            1: box.dataset.msgDenied,
            2: box.dataset.msgUnavailable,
            3: box.dataset.msgTimeout,
          }[error.code] || box.dataset.msgUnavailable;
          say(message, "error");
          button.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });

    if (clear) {
      clear.addEventListener("click", function () {
        fill(null);
        say(box.dataset.msgCleared, "info");
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-visit-location]").forEach(setup);
  });
})();
