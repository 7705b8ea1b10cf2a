// Charts on the start page: data comes from <script type="application/json" data-chart>,
// drawn with the locally served plotly. The same numbers are in a table next to each chart.
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-chart]").forEach(function (node) {
      const spec = JSON.parse(node.textContent);
      const target = document.getElementById(node.dataset.chart);
      if (!target) return;
      if (spec.kind === "bands") {
        window.Plotly.newPlot(target, bandTraces(spec), {
          margin: { l: 50, r: 10, t: 10, b: 40 }, legend: { orientation: "h" },
          font: { family: "system-ui, sans-serif", size: 12 },
        }, { displayModeBar: false, responsive: true });
        return;
      }
      const trace = spec.kind === "line"
        ? { x: spec.x, y: spec.y, type: "scatter", mode: "lines+markers", line: { color: "#1f5fa8" } }
        : { x: spec.y, y: spec.x.map(shorten), type: "bar", orientation: "h",
            marker: { color: "#1f5fa8" }, hovertext: spec.x, hoverinfo: "text+x" };
      const layout = {
        margin: { l: spec.kind === "line" ? 40 : 10, r: 10, t: 10, b: 40 },
        yaxis: spec.kind === "line" ? {} : { autorange: "reversed", automargin: true },
        font: { family: "system-ui, sans-serif", size: 12 },
      };
      window.Plotly.newPlot(target, [trace], layout, { displayModeBar: false, responsive: true });
    });
  }
  // Long occupation names would squeeze the bars out of a phone-wide card: the axis
  // shows the first words, the whole name is in the hover text and the table below.
  function shorten(label) {
    return label.length > 28 ? label.slice(0, 27).trimEnd() + "…" : label;
  }
  // P10 and P90 as a shaded band, P50 as a line, one colour per series.
  function bandTraces(spec) {
    const colours = ["#1f5fa8", "#b35900"];
    const traces = [];
    spec.series.forEach(function (series, i) {
      const colour = colours[i % colours.length];
      traces.push({ x: spec.x, y: series.bands.p10, type: "scatter", mode: "lines",
        line: { width: 0 }, hoverinfo: "skip", showlegend: false });
      traces.push({ x: spec.x, y: series.bands.p90, type: "scatter", mode: "lines",
        fill: "tonexty", line: { width: 0 }, fillcolor: colour + "33",
        name: series.name + " P10–P90" });
      traces.push({ x: spec.x, y: series.bands.p50, type: "scatter", mode: "lines",
        line: { color: colour }, name: series.name + " P50" });
    });
    return traces;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
