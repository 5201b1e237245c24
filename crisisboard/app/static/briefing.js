// Briefing mode: arrow keys step through the charts of a page, then to the next or previous page.
// __PAGES__ is replaced by the pages' URL paths, in order ("" is the root: the first page).
const doc = window.document, pages = __PAGES__;
if (!doc.__crisisboardKeys) {
  doc.__crisisboardKeys = {path: null, index: -1};
  doc.addEventListener("keydown", (event) => {
    const forward = ["ArrowRight", "ArrowDown", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
    const tag = (event.target.tagName || "").toLowerCase();
    if ((!forward && !back) || ["input", "textarea", "select"].includes(tag)) return;
    event.preventDefault();
    const state = doc.__crisisboardKeys, loc = window.location;
    if (state.path !== loc.pathname) { state.path = loc.pathname; state.index = -1; }
    const charts = [...doc.querySelectorAll(".js-plotly-plot")];
    const next = state.index + (forward ? 1 : -1);
    if (next >= 0 && next < charts.length) {  // the next chart on this page
      state.index = next;
      charts[next].scrollIntoView({behavior: "smooth", block: "start"});
      return;
    }
    const here = loc.pathname.split("/").filter(Boolean).pop() || "";  // "" is the root: the first page
    const i = pages.indexOf(here), j = forward ? i + 1 : i - 1;
    if (i >= 0 && j >= 0 && j < pages.length) loc.assign("/" + pages[j] + loc.search);
  });
}
