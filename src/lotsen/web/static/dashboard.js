// Charts on the start page: data comes from <script type="application/json" data-chart>,
// drawn with the locally served plotly. The same numbers are in a table next to each chart.
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-chart]").forEach(function (node) {
      const spec = JSON.parse(node.textContent);
      const target = document.getElementById(node.dataset.chart);
      if (!target) return;
      const trace = spec.kind === "line"
        ? { x: spec.x, y: spec.y, type: "scatter", mode: "lines+markers", line: { color: "#1f5fa8" } }
        : { x: spec.y, y: spec.x, type: "bar", orientation: "h", marker: { color: "#1f5fa8" } };
      const layout = {
        margin: { l: spec.kind === "line" ? 40 : 220, r: 10, t: 10, b: 40 },
        yaxis: spec.kind === "line" ? {} : { autorange: "reversed", automargin: true },
        font: { family: "system-ui, sans-serif", size: 12 },
      };
      window.Plotly.newPlot(target, [trace], layout, { displayModeBar: false, responsive: true });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
