"""Screenshot a page of a running crisisboard with Debian's Chromium (for the README and reviews).

usage: python scripts/screenshot.py URL OUT.png [--width 1600] [--height 1000] [--full]
Waits until Streamlit has finished running the page before taking the picture.
"""

from __future__ import annotations

import argparse

import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="the whole page, not only the window")
    parser.add_argument("--plots", type=int, default=1, help="wait until this many charts are drawn")
    parser.add_argument("--wait-for-text", default="Dataset version",
                        help="text that shows the page has finished drawing (default: the footer's)")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        start = time.perf_counter()
        page.goto(args.url, wait_until="domcontentloaded")
        page.locator("h1").first.wait_for(timeout=60_000)
        page.get_by_text(args.wait_for_text).first.wait_for(timeout=60_000)
        page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {args.plots}",
                               timeout=60_000)
        drawn = time.perf_counter() - start
        page.wait_for_timeout(1000)
        page.screenshot(path=args.out, full_page=args.full)
        print(f"{args.url}: drawn {drawn:.2f} s after navigation", file=sys.stderr)
        browser.close()


if __name__ == "__main__":
    main()
