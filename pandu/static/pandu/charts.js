/* Draws every <canvas data-chart-source="ID"> from the JSON spec in <script id="ID"
   type="application/json"> ({type, labels, values, series}) with Chart.js, served from
   node_modules like the other libraries. No inline script: the CSP allows none. */
(function () {
  'use strict';
  var PALETTE = ['#198754', '#0d6efd', '#fd7e14', '#6f42c1', '#dc3545',
                 '#20c997', '#ffc107', '#6c757d', '#0dcaf0', '#d63384'];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart-source'));
    if (!source || typeof window.Chart === 'undefined') { return; }
    var spec = JSON.parse(source.textContent);
    var round = spec.type === 'doughnut';
    var type = spec.type === 'hbar' ? 'bar' : spec.type;
    var colours = round ? spec.labels.map(function (_, i) { return PALETTE[i % PALETTE.length]; })
                        : PALETTE[0];
    var options = {
      // Tooltips and axes write numbers the reader's way: 12,5 and 1.500 (id-ID), 12.5 (en).
      locale: document.documentElement.lang === 'en' ? 'en' : 'id-ID',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.type === 'hbar' ? 'y' : 'x',
      plugins: { legend: { display: round, position: 'right' } }
    };
    if (!round) {
      var counts = { beginAtZero: true, ticks: { precision: 0 } };
      options.scales = spec.type === 'hbar' ? { x: counts } : { y: counts };
    }
    canvas.setAttribute('data-chart-drawn', 'true');
    return new window.Chart(canvas, {
      type: type,
      data: {
        labels: spec.labels,
        datasets: [{
          label: spec.series,
          data: spec.values,
          backgroundColor: colours,
          borderColor: round ? '#ffffff' : PALETTE[0],
          tension: 0.25,
          fill: false
        }]
      },
      options: options
    });
  }

  function drawAll() {
    document.querySelectorAll('canvas[data-chart-source]').forEach(draw);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
})();
