/* Draws the site plan (plots as polygons, roads as lines, optional points) with ECharts.
   plan = {plots: [{code, label, colour, status, coordinates: [[x, y], ...]}], roads: [{name, coordinates}],
           points: [{name, x, y, colour, state}]} in metres. Returns the chart so pages can add series. */
function semiparkSitePlan(element, plan) {
  const chart = echarts.init(element);
  const xs = [], ys = [];
  plan.plots.forEach(p => p.coordinates.forEach(([x, y]) => { xs.push(x); ys.push(y); }));
  const pad = 40;
  const extent = { xmin: Math.min(...xs) - pad, xmax: Math.max(...xs) + pad, ymin: Math.min(...ys) - pad, ymax: Math.max(...ys) + pad };
  const series = [{
    type: "custom", name: "plots", coordinateSystem: "cartesian2d",
    data: plan.plots.map((p, i) => ({ value: [i], name: p.label, itemStyle: { color: p.colour } })),
    renderItem: (params, api) => {
      const plot = plan.plots[params.dataIndex];
      const points = plot.coordinates.map(c => api.coord(c));
      const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
      const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
      return { type: "group", children: [
        { type: "polygon", shape: { points }, style: { fill: plot.colour, stroke: "#52606d", lineWidth: 1 } },
        { type: "text", style: { x: cx, y: cy, text: plot.code + "\n" + plot.label, fill: "#1f2933",
          align: "center", verticalAlign: "middle", font: "12px sans-serif" } },
      ] };
    },
    tooltip: { formatter: p => plan.plots[p.dataIndex].code + " " + plan.plots[p.dataIndex].label + " · " + plan.plots[p.dataIndex].status },
  }, {
    type: "lines", name: "roads", coordinateSystem: "cartesian2d", polyline: true, silent: true,
    lineStyle: { color: "#cbd2d9", width: 10, opacity: 0.8 },
    data: (plan.roads || []).map(r => ({ name: r.name, coords: r.coordinates })),
  }];
  if (plan.points) {
    series.push({
      type: "scatter", name: "points", symbolSize: 14, z: 10,
      data: plan.points.map(p => ({ name: p.name, value: [p.x, p.y], itemStyle: { color: p.colour }, state: p.state, id: p.id })),
      tooltip: { formatter: p => p.name + (p.data.state ? " · " + p.data.state : "") },
    });
  }
  chart.setOption({
    animation: false, tooltip: {},
    grid: { left: 10, right: 10, top: 10, bottom: 10 },
    xAxis: { type: "value", min: extent.xmin, max: extent.xmax, show: false },
    yAxis: { type: "value", min: extent.ymin, max: extent.ymax, show: false },
    series,
  });
  window.addEventListener("resize", () => chart.resize());
  return chart;
}
