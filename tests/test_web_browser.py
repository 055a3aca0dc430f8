"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright.

Search, open a story, click a citation and see its evidence lit, compare two articles, upload a
file and see its new story appear. Skipped where ``/usr/bin/chromium`` is absent (``make test``
installs it where apt is usable).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_web import UPLOAD, LiveServer, analysed, db  # noqa: F401 (fixtures)

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture()
def browser_page(db: Path) -> Iterator[tuple[Any, str]]:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with LiveServer(db) as live, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page, live.url
        finally:
            browser.close()
        assert not errors, errors  # no script error on any page


def test_search_open_story_and_light_a_citation(browser_page: tuple[Any, str]) -> None:
    page, url = browser_page
    page.goto(f"{url}/")
    page.fill("input[name=q]", "ferry")
    page.click("form.filters button")
    page.wait_for_url("**/?q=ferry*")
    headline = page.locator("ol.stories a.headline")
    assert headline.count() == 1 and headline.inner_text() == "Ferry sinks off Karsvik"
    headline.click()
    page.wait_for_selector("h1:text('Ferry sinks off Karsvik')")
    cite = page.locator("a.cite").first
    target = cite.get_attribute("data-target")
    evidence = page.locator(f"#{target}")
    assert not evidence.is_visible()  # folded away until asked for
    cite.click()
    assert evidence.is_visible()
    assert "hl" in (evidence.get_attribute("class") or "")
    assert evidence.inner_text().strip()  # the supporting sentence itself


def test_compare_two_articles_from_the_reuse_tree(browser_page: tuple[Any, str]) -> None:
    page, url = browser_page
    page.goto(f"{url}/?q=ferry")
    page.click("ol.stories a.headline")
    page.click("#reuse + ul a.compare")
    page.wait_for_url("**/compare?a=*")
    assert page.locator(".pairs .side").count() >= 2
    verdict = page.locator(".verdict").inner_text()
    assert "similarity" in verdict and "likely source" in verdict


def test_upload_a_file_and_see_its_story_appear(browser_page: tuple[Any, str]) -> None:
    page, url = browser_page
    page.goto(f"{url}/ingest")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "bridge.txt", "mimeType": "text/plain", "buffer": UPLOAD.encode()}],
    )
    page.click("form.upload button")
    page.wait_for_url("**/jobs/*")
    link = page.locator("#job-stories a").first
    link.wait_for(timeout=300_000)  # the page follows the analysis and shows its story
    link.click()
    page.wait_for_selector("h1:text('Bridge closes in Tarnwick')")
    page.goto(f"{url}/?q=Tarnwick")
    assert page.locator("ol.stories a.headline").inner_text() == "Bridge closes in Tarnwick"
