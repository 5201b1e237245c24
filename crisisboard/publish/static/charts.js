/* crisisboard published edition: draws a chart page's figure with the edition's own plotly.min.js (no request
   leaves the server), opens a claim's card when a mark is clicked, and keeps the view in the URL fragment:
     #hide=low,unjudged     reliability tiers hidden (the tier toggles, or a click on a tier in the legend)
     #metric=displaced_total   on a per-metric chart: that metric's page of the same chart (with the same #hide)
   A copied link with its fragment reopens the same view. */
(function () {
  "use strict";
  var chart = document.getElementById("chart");
  var figureNode = document.getElementById("chart-figure");
  var stateNode = document.getElementById("chart-state");
  if (!chart || !figureNode || !stateNode || !window.Plotly) { return; }
  var figure = JSON.parse(figureNode.textContent);
  var page = JSON.parse(stateNode.textContent);
  var traceTiers = page.tiers || [];
  var tiers = page.tier_names || [];
  var keys = page.keys || [];

  function readFragment() {
    var state = { hide: [], metric: null };
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var pair = part.split("=");
      var value = decodeURIComponent(pair.slice(1).join("=") || "");
      if (pair[0] === "hide") {
        state.hide = value.split(",").filter(function (t) { return tiers.indexOf(t) >= 0; });
      } else if (pair[0] === "metric" && value) {
        state.metric = value;
      }
    });
    return state;
  }

  function fragmentOf(hidden) {
    return hidden.length ? "#hide=" + hidden.map(encodeURIComponent).join(",") : "";
  }

  function hiddenTiers() {
    var boxes = document.querySelectorAll("input.tier-toggle");
    var hidden = [];
    for (var i = 0; i < boxes.length; i++) { if (!boxes[i].checked) { hidden.push(boxes[i].value); } }
    return hidden;
  }

  function showLink() {
    var field = document.getElementById("view-link");
    if (field) { field.value = location.href; }
  }

  function apply(hidden) {
    var boxes = document.querySelectorAll("input.tier-toggle");
    for (var i = 0; i < boxes.length; i++) { boxes[i].checked = hidden.indexOf(boxes[i].value) < 0; }
    var visible = [], opacity = [], indices = [];
    for (var t = 0; t < figure.data.length; t++) {
      var tier = traceTiers[t];
      if (!tier) { continue; }
      var off = hidden.indexOf(tier) >= 0;
      var key = keys.indexOf(t) >= 0;  // a legend entry stays, greyed, so that it can be clicked back
      indices.push(t);
      visible.push(key ? true : !off);
      opacity.push(key ? (off ? 0.3 : 1) : (figure.data[t].opacity === undefined ? 1 : figure.data[t].opacity));
    }
    if (indices.length && chart.data) { Plotly.restyle(chart, { visible: visible, opacity: opacity }, indices); }
    var fragment = fragmentOf(hidden);
    if (fragment !== location.hash && !(fragment === "" && location.hash === "#")) {
      history.replaceState(null, "", location.pathname + location.search + fragment);
    }
    showLink();
  }

  function goToMetric(metric, hidden) {
    var target = (page.metrics || {})[metric];
    if (target && metric !== page.metric) { location.replace(target + fragmentOf(hidden)); return true; }
    return false;
  }

  function fileName(id) {  // as crisisboard.publish.pages.file_name: percent-encoded, "-" and "_" kept
    return encodeURIComponent(id).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    }) + ".html";
  }

  function openCard(data) {
    var point = data && data.points && data.points[0];
    if (!point || point.customdata === undefined || point.customdata === null) { return; }
    var id = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
    if (typeof id !== "string" || !id) { return; }
    var url = page.claims + fileName(id).replace(/%/g, "%25");
    if (page.embed) { window.open(url, "_blank", "noopener"); } else { location.href = url; }
  }

  var start = readFragment();
  if (start.metric && goToMetric(start.metric, start.hide)) { return; }
  var config = { displaylogo: false, showSendToCloud: false, showEditInChartStudio: false, responsive: true,
                 typesetMath: false };  // no button that posts the chart to Plotly's servers
  Plotly.newPlot(chart, { data: figure.data, layout: figure.layout, frames: figure.frames || [],
                          config: config }).then(function () {
    apply(start.hide);
    chart.on("plotly_click", openCard);
    chart.on("plotly_legendclick", function (event) {
      var tier = traceTiers[event.curveNumber];
      if (!tier) { return true; }
      var hidden = hiddenTiers();
      var at = hidden.indexOf(tier);
      if (at >= 0) { hidden.splice(at, 1); } else { hidden.push(tier); }
      apply(hidden);
      return false;
    });
    chart.setAttribute("data-drawn", "1");
  });
  var boxes = document.querySelectorAll("input.tier-toggle");
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function () { apply(hiddenTiers()); });
  }
  var select = document.getElementById("metric-switch");
  if (select) {
    select.addEventListener("change", function () {
      location.hash = "metric=" + encodeURIComponent(select.value) + fragmentOf(hiddenTiers()).replace("#", "&");
    });
  }
  window.addEventListener("hashchange", function () {
    var state = readFragment();
    if (!(state.metric && goToMetric(state.metric, state.hide))) { apply(state.hide); }
  });
})();
