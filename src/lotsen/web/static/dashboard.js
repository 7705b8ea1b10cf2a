// Charts on the start page: data comes from <script type="application/json" data-chart>,
// drawn with the locally served plotly. The same numbers are in a table next to each chart.
(function () {
  function draw() {
    window.LotsenCharts.each("chart", function (target, spec) {
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
  // The start page's look: two colours, a legend entry for each band and median.
  const LOOK = {
    colours: ["#1f5fa8", "#b35900"],
    fill: function (colour) { return colour + "33"; },
    median: function (colour) { return { mode: "lines", line: { color: colour } }; },
    grouped: false,
  };
  function bandTraces(spec) {
    return window.LotsenCharts.bandTraces(spec.x, spec.series.map(function (s) {
      return { name: s.name, p10: s.bands.p10, p50: s.bands.p50, p90: s.bands.p90 };
    }), LOOK);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
