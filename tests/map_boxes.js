() => {
  // Every label's and marker's box on the map, in page pixels, and the plot's box (for tests/test_map_layout.py)
  const gd = document.querySelector('.js-plotly-plot');
  const size = gd._fullLayout._size, page = gd.getBoundingClientRect();
  const plot = {x0: page.left + size.l, y0: page.top + size.t, x1: page.left + size.l + size.w, y1: page.top + size.t + size.h};
  const box = (el) => { const r = el.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const visible = (b) => b.x1 > plot.x0 && b.x0 < plot.x1 && b.y1 > plot.y0 && b.y0 < plot.y1 && b.x1 > b.x0 && b.y1 > b.y0;
  const labels = [];
  document.querySelectorAll('.js-plotly-plot .scatterlayer .textpoint text').forEach((el) => {
    if (el.textContent.trim()) labels.push({text: el.textContent, ...box(el)}); });
  document.querySelectorAll('.js-plotly-plot .annotation').forEach((el) => {
    const t = el.querySelector('text'); if (t && t.textContent.trim()) labels.push({text: t.textContent, annotation: true, ...box(t)}); });
  const markers = [];
  document.querySelectorAll('.js-plotly-plot .scatterlayer .trace .points path.point').forEach((el, order) => {
    const opacity = parseFloat(getComputedStyle(el).opacity || '1'), fill = getComputedStyle(el).fillOpacity;
    if (opacity > 0) markers.push({order, ...box(el)}); });
  return {plot, labels: labels.filter(visible), markers: markers.filter(visible)};
}
