// Briefing mode: arrow keys step through the charts of a page, then to the next or previous page.
// __PAGES__ is replaced by the pages' URL paths, in order ("" is the root: the first page).
const doc = window.document, pages = __PAGES__;
if (!doc.__crisisboardKeys) {
  doc.__crisisboardKeys = {path: null, index: -1};
  doc.addEventListener("keydown", (event) => {
    const forward = ["ArrowRight", "ArrowDown", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
    // Only where no control wants the arrow keys: the page itself, a link, or a chart this script focused.
    // Fields, buttons, radio groups, sliders, tabs, menus and the scrolling data tables keep them, so the keys
    // never trap the focus of someone working by keyboard.
    const target = event.target;
    const free = target === doc.body || target === doc.documentElement || target.tagName === "A" ||
                 (target.dataset && target.dataset.testid === "stPlotlyChart");
    if ((!forward && !back) || !free || event.altKey || event.ctrlKey || event.metaKey) return;
    // while Streamlit is still drawing the page its charts may not be there yet: a key then would skip the page
    const app = doc.querySelector('[data-testid="stApp"]');
    if (app && app.dataset.testScriptState === "running") { event.preventDefault(); return; }
    // and Plotly draws each chart after the run has ended: a chart still being drawn holds the key too
    const drawing = [...doc.querySelectorAll('[data-testid="stPlotlyChart"]')].some((box) => !box.querySelector(".main-svg"));
    if (drawing) { event.preventDefault(); return; }
    event.preventDefault();
    const state = doc.__crisisboardKeys, loc = window.location;
    if (state.path !== loc.pathname) { state.path = loc.pathname; state.index = -1; }
    const charts = [...doc.querySelectorAll(".js-plotly-plot")];
    const next = state.index + (forward ? 1 : -1);
    if (next >= 0 && next < charts.length) {  // the next chart on this page
      state.index = next;
      const box = charts[next].closest('[data-testid="stPlotlyChart"]') || charts[next];
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "-1");  // focusable by script only
      box.focus({preventScroll: true});  // a screen reader reads the chart's name: its summary
      box.scrollIntoView({behavior: "smooth", block: "start"});
      return;
    }
    const here = loc.pathname.split("/").filter(Boolean).pop() || "";  // "" is the root: the first page
    const i = pages.indexOf(here), j = forward ? i + 1 : i - 1;
    if (i >= 0 && j >= 0 && j < pages.length) loc.assign("/" + pages[j] + loc.search);
  });
}
