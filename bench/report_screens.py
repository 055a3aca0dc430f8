"""Screenshots of the HTML report, for a person to look at: desktop and phone widths.

Builds the demo corpus's report (``newsfold run demo/corpus``) in a temporary folder, opens its
index and its largest story page in headless Chromium (Debian's ``chromium``, driven by
Playwright; opened from disk, no server, no network) at 1280 and 390 pixels wide, and saves
full-page JPEGs to ``bench/screens/``. The section lists them with the page sizes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import report

SCREENS = Path(__file__).with_name("screens")
DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {"desktop": 1280, "phone": 390}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def run(quick: bool) -> str:
    head = "## HTML report screenshots\n\n" + report.facts(quick=quick) + "\n"
    if not CHROMIUM.is_file():
        return head + f"Skipped: `{CHROMIUM}` is absent (`apt-get install chromium`).\n"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        subprocess.run(
            [sys.executable, "-m", "newsfold", "run", str(DEMO), "--db", f"{tmp}/d.db",
             "--out", str(out), "-q"],
            check=True,
        )  # fmt: skip
        data = json.loads((out / "report.json").read_text(encoding="utf-8"))
        biggest = max(data["stories"], key=lambda s: s["counts"]["articles"])
        pages = {"index": out / "index.html", "story": out / "stories" / f"{biggest['id']}.html"}
        SCREENS.mkdir(exist_ok=True)
        for old in [*SCREENS.glob("index-*.jpg"), *SCREENS.glob("story-*.jpg")]:
            old.unlink()  # this section's own screenshots only (web_speed saves web-*.jpg)
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for device, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in pages.items():
                    page.goto(path.as_uri())
                    shot = SCREENS / f"{name}-{device}.jpg"
                    page.screenshot(path=str(shot), full_page=True, type="jpeg", quality=60)
                    height = page.evaluate("document.body.scrollHeight")
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    rows.append(
                        [f"`bench/screens/{shot.name}`", f"{width}", f"{wide}", f"{height}"]
                    )
                page.close()
            browser.close()
    return head + (
        f"The demo report's index and its largest story ('{biggest['headline']}'), opened from "
        "disk in headless Chromium. A page wider than its viewport would scroll sideways on a "
        "phone.\n\n"
        + report.table(("screenshot", "viewport px", "page width px", "page height px"), rows)
    )
