// What every page with charts shares (dashboard.js, scenario.js): the data comes from
// <script type="application/json" data-…> nodes and is drawn with the locally served
// plotly; the same numbers are in a table next to each chart.
window.LotsenCharts = {
  // draw(target, spec) for every spec node with the data attribute `name`, whose value
  // is the id of the element to draw in.
  each: function (name, draw) {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-" + name + "]").forEach(function (node) {
      const target = document.getElementById(node.getAttribute("data-" + name));
      if (target) draw(target, JSON.parse(node.textContent));
    });
  },
  // P10 and P90 as a shaded band, P50 as a line, one colour per series ({name, p10, p50,
  // p90}). `look` is the page's: colours, fill(colour), median(colour) (the P50 line's
  // mode and style), and grouped (one legend entry per series instead of two).
  bandTraces: function (x, series, look) {
    const traces = [];
    series.forEach(function (s, i) {
      const colour = look.colours[i % look.colours.length];
      const group = look.grouped ? { legendgroup: s.name } : {};
      traces.push(Object.assign({ x: x, y: s.p10, type: "scatter", mode: "lines",
        line: { width: 0 }, hoverinfo: "skip", showlegend: false }, group));
      traces.push(Object.assign({ x: x, y: s.p90, type: "scatter", mode: "lines",
        fill: "tonexty", line: { width: 0 }, fillcolor: look.fill(colour),
        name: s.name + " P10–P90" },
        look.grouped ? { hoverinfo: "skip", showlegend: false, legendgroup: s.name } : {}));
      traces.push(Object.assign({ x: x, y: s.p50, type: "scatter",
        name: look.grouped ? s.name : s.name + " P50" }, look.median(colour), group));
    });
    return traces;
  },
};
