"""axe-core (npm `axe-core`, installed into tests/a11y by `make test`) run in a Playwright page.

Only WCAG 2.0, 2.1 and 2.2 level A and AA rules are run; :func:`serious_violations` names each serious or
critical finding by rule, impact, element (its CSS path and opening HTML) and axe's summary of what fails.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERIOUS = ("serious", "critical")


@lru_cache(maxsize=1)
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]


def run_axe(page) -> dict:  # noqa: ANN001 - a Playwright page
    """axe's results for the page as it is now (axe injected by evaluation, so no page policy can refuse it)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA)


def describe(violation: dict, node: dict) -> str:
    summary = " ".join((node.get("failureSummary") or "").split())
    return (f"{violation['id']} ({violation['impact']}): {' > '.join(map(str, node['target']))} "
            f"{node['html'][:160]!r}: {summary[:300]}")


def serious_violations(page) -> list[str]:  # noqa: ANN001
    """Every serious or critical WCAG A/AA violation axe finds, one line per element."""
    results = run_axe(page)
    return [describe(v, node) for v in results["violations"] if v["impact"] in SERIOUS for node in v["nodes"]]
