"""The project's site in a real headless Chromium (Debian's, driven by Playwright).

In CI (CI=true) a missing Chromium fails these tests; elsewhere it skips them.
A screenshot of a journey page is left in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from journeycode.compiler import compile_workspace
from tests.conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORKSPACE = compile_workspace(ROOT / "maps", "maps").workspace


def _chromium() -> str:
    found = os.environ.get("JOURNEYCODE_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    message = "Chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "JOURNEYCODE_CACHE_DIR": str(folder.parent / "diagram-cache"),
    }
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class _Visit:
    """A page in the browser, with every console error and page error it logged."""

    def __init__(self, browser: object, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.failed: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, url

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        self.page.close()


def test_index_lists_every_journey(browser: object, site_url: str) -> None:
    visit = _Visit(browser, f"{site_url}/journeys/")
    names = visit.page.locator("article table a").all_inner_texts()
    for journey in WORKSPACE.journeys:
        assert journey.name in names
    visit.close()


def test_journey_page_shows_its_diagrams(browser: object, site_url: str) -> None:
    visit = _Visit(browser, f"{site_url}/journeys/billing-dispute/")
    page = visit.page
    assert page.locator("h1").inner_text().rstrip("¶") == "Resolve a billing dispute"
    images = page.locator("article img")
    assert images.count() == 3
    for index in range(images.count()):
        size = images.nth(index).evaluate(
            "img => [img.complete, img.naturalWidth, img.naturalHeight]"
        )
        assert size[0] and size[1] > 0 and size[2] > 0, images.nth(index).get_attribute("src")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "journey-billing-dispute.png"), full_page=True)
    page.locator("article img").first.screenshot(path=str(SCREENSHOTS / "journey-diagram.png"))
    visit.close()


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/journeys/personas/retiree/", "Resolve a billing dispute"),
        ("/journeys/owners/billing-support/", "Resolve a billing dispute"),
    ],
    ids=["persona", "owner"],
)
def test_persona_and_owner_pages_link_back_to_journeys(
    browser: object, site_url: str, path: str, link: str
) -> None:
    visit = _Visit(browser, site_url + path)
    visit.page.locator("article").get_by_role("link", name=link).first.click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url == f"{site_url}/journeys/billing-dispute/"
    assert visit.page.locator("h1").inner_text().rstrip("¶") == link
    visit.close()


def test_every_generated_page_loads_cleanly(browser: object, site_url: str) -> None:
    for path in ("/", "/journeys/coverage/", "/journeys/rules/", "/journeys/kpis/fcr/"):
        visit = _Visit(browser, site_url + path)
        assert visit.page.locator("h1").count() == 1
        visit.close()
