/* The dashboard's charts: each <canvas data-chart="ID"> is drawn from the JSON in the
   <script type="application/json" id="ID"> beside it (written by Django's json_script, so no
   inline script is needed under our Content-Security-Policy). The table under each chart holds
   the same numbers for screen readers and for copying.

   Series are told apart not by colour alone: lines differ in dash and point shape, bars in
   fill pattern (solid, stripes, dots). The colours have at least 4.5 : 1 contrast on white. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var COLOURS = ["#1d4f91", "#a14000", "#2b6b2f"];
  var DASHES = [[], [8, 4], [2, 3]];
  var POINTS = ["circle", "rect", "triangle"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.color = "#212529";
  Chart.defaults.font.size = 13;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  function pattern(colour, kind) {
    if (kind === 0) {
      return colour;
    }
    var tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 8, 8);
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    if (kind === 1) {
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(-2, 10);
      ctx.lineTo(10, -2);
      ctx.moveTo(-2, 2);
      ctx.lineTo(2, -2);
      ctx.moveTo(6, 10);
      ctx.lineTo(10, 6);
      ctx.stroke();
    } else {
      ctx.beginPath();
      ctx.arc(4, 4, 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.type === "hbar";
    var line = spec.type === "line";
    var box = canvas.parentElement;
    if (horizontal) {
      // Room for every label: long names get their own line on a phone.
      var perLabel = 14 + 16 * spec.datasets.length;
      box.style.height = Math.max(180, spec.labels.length * perLabel + 70) + "px";
    }
    var datasets = spec.datasets.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      if (line) {
        return {
          label: series.label,
          data: series.data,
          borderColor: colour,
          backgroundColor: colour,
          borderDash: DASHES[index % DASHES.length],
          pointStyle: POINTS[index % POINTS.length],
          pointRadius: 4,
          borderWidth: 2,
          tension: 0,
        };
      }
      return {
        label: series.label,
        data: series.data,
        backgroundColor: pattern(colour, index % 3),
        borderColor: colour,
        borderWidth: 1.5,
      };
    });
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: {
            display: datasets.length > 1,
            position: "bottom",
            labels: { usePointStyle: line, boxWidth: 24 },
          },
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, autoSkip: !horizontal } },
          y: { beginAtZero: true, ticks: { precision: 0, autoSkip: horizontal ? false : true } },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
