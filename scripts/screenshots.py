#!/usr/bin/env python3
"""Screenshots of the demo's report for the README, taken in headless chromium (as the tests do).

    python scripts/screenshots.py [--out scripts/screenshots]

Stores the bundled letters in a temporary folder, writes the report and saves PNGs of a diff page and a
formulation's page at a desktop width, and of a diff page at a phone's width (the ones the README shows;
the browser tests leave full-page screenshots of every kind of page in build/screenshots/).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from docaudit.examples.demo import store_examples  # noqa: E402
from docaudit.report import build_report  # noqa: E402
from docaudit.store.database import Store  # noqa: E402
from docaudit.testing.browser import Browser  # noqa: E402

SHOTS = {
    "report-diff.png": ("docs/2024D46963/v2.html", 1100, False),
    "report-family.png": (None, 1100, False),  # the widest-used formulation's page
    "report-diff-phone.png": ("docs/2023Z08511/v2.html", 390, True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "scripts" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "audit.db") as store:
            store_examples(store)
            result = build_report(store, Path(tmp) / "site")
        first_family = Path(tmp) / "site" / "phrases.html"
        with Browser() as browser:
            browser.open(first_family)
            family = browser.evaluate("document.querySelector('.canonical a').getAttribute('href')")
            for name, (rel, width, mobile) in SHOTS.items():
                page = result.root / (rel or family)
                browser.open(page, width=width, height=900, mobile=mobile)
                if browser.errors():
                    raise SystemExit(f"{rel}: {browser.errors()}")
                # the README shows the top of each page: one screen and a half is enough to see its shape
                height = min(browser.evaluate("document.documentElement.scrollHeight"), 1400 if not mobile else 1600)
                browser.send(
                    "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile
                )
                path = browser.screenshot(args.out / name, full=False)
                print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
