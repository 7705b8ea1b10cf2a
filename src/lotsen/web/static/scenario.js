// The scenario page: P10–P90 bands with the median line, drawn with the locally served
// plotly from <script type="application/json" data-band-chart>; each chart has a table
// with the same numbers. Choosing a file or typing text selects that source's radio.
(function () {
  const COLOURS = ["#0b5cad", "#b4530a", "#2f7d32", "#7b3fa0"];

  function fill(hex) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.18)";
  }

  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-band-chart]").forEach(function (node) {
      const spec = JSON.parse(node.textContent);
      const target = document.getElementById(node.dataset.bandChart);
      if (!target) return;
      const traces = [];
      spec.series.forEach(function (s, i) {
        const colour = COLOURS[i % COLOURS.length];
        traces.push({ x: spec.years, y: s.p10, type: "scatter", mode: "lines", line: { width: 0 },
                      hoverinfo: "skip", showlegend: false, legendgroup: s.label });
        traces.push({ x: spec.years, y: s.p90, type: "scatter", mode: "lines", line: { width: 0 },
                      fill: "tonexty", fillcolor: fill(colour), name: s.label + " P10–P90",
                      hoverinfo: "skip", showlegend: false, legendgroup: s.label });
        traces.push({ x: spec.years, y: s.p50, type: "scatter", mode: "lines+markers",
                      line: { color: colour, width: 2 }, marker: { size: 4 },
                      name: s.label, legendgroup: s.label });
      });
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
