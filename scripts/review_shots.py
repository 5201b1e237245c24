"""Screenshots of every page, at both review sizes and in both modes, for looking at what users see.

usage: python scripts/review_shots.py BASE_URL OUT_DIR [--pages overview,timeline,...] [--sizes 1920x1080,1366x768]
                                      [--modes normal,briefing] [--full]
Each picture is OUT_DIR/PAGE-WIDTHxHEIGHT-MODE.png; the page is taken once Streamlit has drawn it (its
footer is attached and its charts are drawn). A page's extra query parameters can be given as PAGE?QUERY.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
PAGES = ("overview", "timeline", "who_says_what", "map", "sources", "add_release")


def shoot(page, url: str, out: Path, full: bool) -> None:  # noqa: ANN001 - a Playwright page
    page.goto(url, wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=60_000)
    page.get_by_text(re.compile("Dataset version")).first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2500)  # charts finish drawing
    page.screenshot(path=str(out), full_page=full)
    print(out, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--sizes", default="1920x1080,1366x768")
    parser.add_argument("--modes", default="normal,briefing")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in args.sizes.split(","):
            width, height = map(int, size.split("x"))
            page = browser.new_page(viewport={"width": width, "height": height})
            for name in args.pages.split(","):
                path, _, query = name.partition("?")
                for mode in args.modes.split(","):
                    params = "&".join(p for p in (query, "briefing=1" if mode == "briefing" else "") if p)
                    url = f"{args.base.rstrip('/')}/{'' if path == 'overview' else path}" + (f"?{params}" if params else "")
                    label = path + (f"_{query.replace('=', '-').replace('&', '_')}" if query else "")
                    shoot(page, url, args.out / f"{label}-{size}-{mode}.png", args.full)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
