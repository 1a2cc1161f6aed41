/* The live console: the site plan with every monitoring point coloured by state, the active alarm list
   and the trend, kept current by server-sent events. Events only say that something changed; the page
   then asks the server for the list and the points, so the rendering stays in one place. */
function semiparkConsole(opts) {
  const status = document.getElementById("live-status");
  const plan = opts.plan;
  const sitePlan = semiparkSitePlan(document.getElementById("site-plan"), plan);
  const trend = semiparkTrend(document.getElementById("trend"), opts.series,
    document.getElementById("trend-title"), document.getElementById("trend-ranges"));
  window.semiparkConsoleChart = sitePlan;

  sitePlan.on("click", p => { if (p.seriesName === "points") trend.show(p.data.id, p.name); });
  document.body.addEventListener("click", e => {
    const row = e.target.closest("tr[data-sensor]");
    if (row && !e.target.closest("a, button, input, form")) trend.show(row.dataset.sensor, row.querySelector("a").textContent);
  });

  function drawPoints(points) {
    const reading = p => (p.value === null ? "" : " · " + Number(p.value.toPrecision(4)) + " " + p.unit);
    sitePlan.setOption({ series: [{ name: "points", data: points.map(p => ({ name: p.name, value: [p.x, p.y],
      itemStyle: { color: p.colour }, state: p.state + reading(p), code: p.code, id: p.id })) }] });
  }
  drawPoints(plan.points);
  const reloadPoints = () => fetch(opts.points, { credentials: "same-origin" }).then(r => r.json()).then(d => drawPoints(d.points));

  let pending = null;
  function refresh() {
    clearTimeout(pending);
    pending = setTimeout(() => {
      document.body.dispatchEvent(new CustomEvent("alarms-changed"));
      reloadPoints();
      if (trend.sensor) trend.reload();
    }, 250);
  }

  const source = new EventSource(opts.events);
  source.addEventListener("alarm", refresh);
  source.addEventListener("notification", refresh);
  source.onopen = () => { status.textContent = opts.labels.live; status.dataset.state = "live"; };
  source.onerror = () => { status.textContent = opts.labels.reconnecting; status.dataset.state = "reconnecting"; };
  // Colours of silent sensors change without any event: look again every minute.
  setInterval(reloadPoints, 60000);
}
