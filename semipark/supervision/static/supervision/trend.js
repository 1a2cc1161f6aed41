/* Trend chart of one sensor from its rollups, with the setpoints drawn as dashed lines.
   urlPattern: ".../sensors/{id}/series"; ranges: an element holding buttons with data-range. */
function semiparkTrend(element, urlPattern, title, ranges) {
  const chart = echarts.init(element);
  const state = { sensor: null, name: "", range: "24h" };
  const colours = { 1: "#f08c00", 2: "#c92a2a", 0: "#7048e8" };

  function mark(sp) {
    return {
      yAxis: sp.threshold, lineStyle: { color: colours[sp.level] || "#616e7c", type: "dashed" },
      label: { formatter: (sp.kind === "low" ? "▼ " : "▲ ") + "L" + sp.level + " " + Number(sp.threshold.toPrecision(3)) + " " + sp.unit, position: "insideEndTop" },
    };
  }

  function draw(data) {
    const setpoints = data.setpoints.filter(sp => sp.threshold !== null && (sp.kind === "high" || sp.kind === "low"));
    const limits = setpoints.map(sp => sp.threshold);
    chart.setOption({
      animation: false, tooltip: { trigger: "axis" },
      legend: { top: 0 }, grid: { left: 55, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: data.unit, scale: true,
        max: v => Math.max(v.max, ...limits) , min: v => Math.min(v.min, ...limits) },
      series: [
        { type: "line", name: element.dataset.avg || "avg", showSymbol: false, data: data.points.map(p => [p[0], p[1]]),
          markLine: { symbol: "none", silent: true, data: setpoints.map(mark) } },
        { type: "line", name: element.dataset.max || "max", showSymbol: false, lineStyle: { width: 1, opacity: 0.5 }, data: data.points.map(p => [p[0], p[3]]) },
        { type: "line", name: element.dataset.min || "min", showSymbol: false, lineStyle: { width: 1, opacity: 0.5 }, data: data.points.map(p => [p[0], p[2]]) },
      ],
    }, true);
    element.dataset.points = data.points.length;
    element.dataset.setpoints = setpoints.length;
  }

  function load() {
    if (!state.sensor) return Promise.resolve();
    const url = urlPattern.replace("{id}", state.sensor) + "?range=" + encodeURIComponent(state.range);
    return fetch(url, { credentials: "same-origin" }).then(r => r.ok ? r.json() : null).then(d => d && draw(d));
  }

  if (ranges) {
    ranges.querySelectorAll("[data-range]").forEach(button => button.addEventListener("click", () => {
      state.range = button.dataset.range;
      ranges.querySelectorAll("[data-range]").forEach(b => b.classList.toggle("secondary", b !== button));
      load();
    }));
  }
  window.addEventListener("resize", () => chart.resize());
  return {
    show(sensor, name) { state.sensor = sensor; state.name = name; if (title) title.textContent = name; return load(); },
    reload: load,
    get sensor() { return state.sensor; },
  };
}
