// The scenario page: P10–P90 bands with the median line, drawn with the locally served
// plotly from <script type="application/json" data-band-chart>; each chart has a table
// with the same numbers. Choosing a file or typing text selects that source's radio.
(function () {
  const COLOURS = ["#0b5cad", "#b4530a", "#2f7d32", "#7b3fa0"];

  function fill(hex) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.18)";
  }

  // The scenario page's look: up to four series, band and median toggled together.
  const LOOK = {
    colours: COLOURS,
    fill: fill,
    median: function (colour) {
      return { mode: "lines+markers", line: { color: colour, width: 2 }, marker: { size: 4 } };
    },
    grouped: true,
  };

  function draw() {
    window.LotsenCharts.each("band-chart", function (target, spec) {
      const traces = window.LotsenCharts.bandTraces(spec.years, spec.series.map(function (s) {
        return { name: s.label, p10: s.p10, p50: s.p50, p90: s.p90 };
      }), LOOK);
      const layout = {
        margin: { l: 55, r: 10, t: 10, b: 40 },
        legend: { orientation: "h", y: -0.2 },
        separators: ", ",
        font: { family: "system-ui, sans-serif", size: 12 },
      };
      window.Plotly.newPlot(target, traces, layout, { displayModeBar: false, responsive: true });
    });
  }

  function linkSources() {
    document.querySelectorAll("[data-source]").forEach(function (field) {
      const radio = document.getElementById(field.dataset.source);
      if (!radio) return;
      const pick = function () { radio.checked = true; };
      field.addEventListener("change", pick);
      field.addEventListener("input", pick);
    });
  }

  function start() { draw(); linkSources(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
