() => {
  // The boxes of an exported map's labels and markers (tests/test_map_layout.py), the plot being its background
  const box = (el) => { const r = el.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const plot = box(document.querySelector('.bglayer rect.bg'));
  const visible = (b) => b.x1 > plot.x0 && b.x0 < plot.x1 && b.y1 > plot.y0 && b.y0 < plot.y1 && b.x1 > b.x0 && b.y1 > b.y0;
  const labels = [], markers = [];
  document.querySelectorAll('.scatterlayer .textpoint text').forEach((el) => {
    if (el.textContent.trim()) labels.push({text: el.textContent, ...box(el)}); });
  document.querySelectorAll('.scatterlayer .trace .points path.point').forEach((el, order) => {
    if (parseFloat(getComputedStyle(el).opacity || '1') > 0) markers.push({order, ...box(el)}); });
  return {plot, labels: labels.filter(visible), markers: markers.filter(visible)};
}
