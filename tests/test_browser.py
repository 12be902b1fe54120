"""The project's site in a real headless Chromium (Debian's, driven by Playwright).

In CI (CI=true) a missing Chromium fails these tests; elsewhere it skips them.
A screenshot of a journey page is left in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeycode import i18n
from journeycode.compiler import compile_workspace
from journeycode.model import Channel, Journey, Kpi, Owner, Persona
from journeycode.rules.docs import DOCS
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
pytestmark = [pytest.mark.browser, pytest.mark.slow]
WORKSPACE = compile_workspace(ROOT / "maps", "maps").workspace


def _chromium() -> str:
    found = os.environ.get("JOURNEYCODE_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    message = "Chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _build(project: Path, folder: Path) -> None:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "JOURNEYCODE_CACHE_DIR": str(folder.parent / "diagram-cache"),
    }
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(folder)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("site")
    _build(ROOT, folder)
    with _served(folder) as url:
        yield url


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

    def __init__(self, browser: object, url: str, width: int = 1400):
        self.page = browser.new_page(viewport={"width": width, "height": 1000})  # type: ignore[attr-defined]
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
    for journey in WORKSPACE.entities(Journey):
        assert journey.name in names
    visit.close()


def test_journey_page_shows_its_diagrams(browser: object, site_url: str) -> None:
    visit = _Visit(browser, f"{site_url}/journeys/billing-dispute/")
    page = visit.page
    assert page.locator("h1").inner_text().rstrip("¶") == "Resolve a billing dispute"
    images = page.locator("article img")
    assert images.count() == 4
    assert images.first.get_attribute("src").endswith("billing-dispute.canvas.svg")
    for index in range(images.count()):
        size = images.nth(index).evaluate(
            "img => [img.complete, img.naturalWidth, img.naturalHeight]"
        )
        assert size[0] and size[1] > 0 and size[2] > 0, images.nth(index).get_attribute("src")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "journey-billing-dispute.png"), full_page=True)
    page.locator("article img").nth(1).screenshot(path=str(SCREENSHOTS / "journey-diagram.png"))
    visit.close()


# Every text of a grid cell of the canvas, as the browser lays it out, and the cell's box.
SPILLS = """() => {
  const spills = [];
  for (const node of document.querySelectorAll("g.node")) {
    const cell = node.querySelector("polygon");
    if (!cell) continue;
    const box = cell.getBBox();
    for (const text of node.querySelectorAll("text")) {
      const t = text.getBBox();
      if (t.x < box.x - 1 || t.x + t.width > box.x + box.width + 1 ||
          t.y < box.y - 1 || t.y + t.height > box.y + box.height + 1) {
        spills.push([text.textContent, t.x + t.width - (box.x + box.width)]);
      }
    }
  }
  return [document.querySelectorAll("g.node text").length, spills];
}"""


def test_canvas_text_stays_inside_its_cells(browser: object, site_url: str) -> None:
    """The canvas sizes its cells from the wrapped text; drawn by Chromium with
    its own fonts, no line of any sample journey runs out of its cell."""
    page = browser.new_page(viewport={"width": 1760, "height": 1300})  # type: ignore[attr-defined]
    for journey in WORKSPACE.entities(Journey):
        # The SVG itself, as a document: a page of the site would need a fetch.
        response = page.goto(f"{site_url}/journeys/diagrams/{journey.id}.canvas.svg")
        assert response is not None and response.ok
        count, spills = page.evaluate(SPILLS)
        assert count > 50
        assert spills == [], (journey.id, spills)
        if journey.id == "billing-dispute":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "canvas-billing-dispute.png"))
    page.close()


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


# Each breaks out of a different place a theme may print a title: element text,
# an attribute, <title> after striptags (which turns entities back into tags).
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</title><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "' onmouseover='alert(4)' x='",
    "&lt;img src=x onerror=alert(5)&gt;",
    '<a href="javascript:alert(6)">six</a>',
]


def _hostile_names(node: Any, counter: list[int]) -> None:
    """Every entity's name (and a pain point's text) becomes a payload."""
    if isinstance(node, dict):
        for key in ("name", "text"):
            if isinstance(node.get(key), str):
                node[key] = f"{PAYLOADS[counter[0] % len(PAYLOADS)]} #{counter[0]}"
                counter[0] += 1
        for value in node.values():
            _hostile_names(value, counter)
    elif isinstance(node, list):
        for item in node:
            _hostile_names(item, counter)


@pytest.fixture(scope="module", params=["material", "mkdocs"])
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    project = tmp_path_factory.mktemp("hostile")
    counter = [0]
    for source in sorted((ROOT / "maps").rglob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        _hostile_names(data, counter)
        target = project / "maps" / source.relative_to(ROOT / "maps")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    theme = "{name: material, font: false}" if request.param == "material" else "{name: mkdocs}"
    (project / "mkdocs.yml").write_text(
        f"site_name: hostile\ntheme: {theme}\nplugins: [search, {{journeycode: "
        "{maps: maps, fail_on: never}}]\nnav:\n  - Home: index.md\n",
        encoding="utf-8",
    )
    folder = project / "site"
    _build(project, folder)
    pages = sorted(p.relative_to(folder) for p in folder.rglob("index.html"))
    with _served(folder) as url:
        yield url, pages, counter[0]


def test_hostile_names_run_no_script_on_any_page(browser: Any, hostile_site: Any) -> None:
    url, pages, named = hostile_site
    assert named > 100 and len(pages) > 60
    dialogs: list[str] = []
    page = browser.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    seen_in_nav = False
    for path in pages:
        page.goto(f"{url}/{path.parent.as_posix()}/", wait_until="load")
        handlers = page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(el =>
                [...el.attributes].filter(a => a.name.startsWith('on')
                    || /^\\s*javascript:/i.test(a.value)).map(a => el.tagName + ' ' + a.name))"""
        )
        assert handlers == [], (path, handlers)
        assert page.locator("script:has-text('alert(')").count() == 0, path
        seen_in_nav = seen_in_nav or "\uff1cimg src=x onerror=alert(1)\uff1e" in page.evaluate(
            "() => [...document.querySelectorAll('nav, .navbar')].map(n => n.textContent).join()"
        )
    # The names reached the navigation, shown as text.
    assert seen_in_nav
    page.goto(f"{url}/", wait_until="load")
    search = page.locator("input[type=search], #mkdocs-search-query").first
    if search.count() and search.is_visible():
        search.fill("onerror")
        page.wait_for_timeout(1500)
    page.close()
    assert dialogs == []


# The smallest font, in CSS pixels, that the diagrams' text is drawn at on a page.
SMALLEST_FONT = """async img => {
  const svg = new DOMParser().parseFromString(
    await (await fetch(img.src)).text(), "image/svg+xml").documentElement;
  const box = svg.viewBox.baseVal;
  const sizes = [...svg.querySelectorAll("text")].map(t => parseFloat(
    t.getAttribute("font-size") || (t.closest("[font-size]") || svg).getAttribute("font-size")));
  const shown = img.getBoundingClientRect().width;
  const holder = img.parentElement.parentElement;  // the paragraph around the link
  return [Math.min(...sizes) * shown / box.width, shown, img.naturalWidth,
          holder.scrollWidth > holder.clientWidth];
}"""


def test_diagrams_are_never_shrunk_below_a_readable_size(browser: object, site_url: str) -> None:
    """At 1280 px, a journey page's diagrams keep their natural size (a wide one
    scrolls sideways) and their smallest text is at least 10 px."""
    visit = _Visit(browser, f"{site_url}/journeys/billing-dispute/", width=1280)
    images = visit.page.locator("article img")
    scrolled = []
    for index in range(images.count()):
        image = images.nth(index)
        smallest, shown, natural, scrolls = image.evaluate(SMALLEST_FONT)
        assert shown >= natural - 1, (image.get_attribute("src"), shown, natural)
        assert smallest >= 10, (image.get_attribute("src"), smallest)
        scrolled.append(scrolls)
        # A click opens the diagram full size.
        assert image.evaluate("img => img.closest('a').href") == image.evaluate("img => img.src")
    assert any(scrolled)  # the blueprint of this journey is wider than the page
    visit.close()


def test_the_scorecard_shows_every_kpi_with_its_trend(browser: object, site_url: str) -> None:
    visit = _Visit(browser, f"{site_url}/journeys/scorecard/", width=1280)
    page = visit.page
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(WORKSPACE.entities(Kpi))
    measured = [k for k in WORKSPACE.entities(Kpi) if k.measurements]
    sparks = page.locator("article table svg.jc-spark")
    assert sparks.count() == len(measured)
    for index in range(sparks.count()):
        box = sparks.nth(index).bounding_box()
        assert box is not None and box["width"] == 120 and box["height"] == 28
    # Off target first: the first row's badge says so.
    assert rows.first.locator(".jc-badge").inner_text() == "off target"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scorecard.png"), full_page=True)
    chart = _Visit(browser, f"{site_url}/journeys/kpis/aht/", width=1280)
    aht = WORKSPACE.by_id(Kpi)["aht"]
    charts = chart.page.locator("svg.jc-chart")
    assert charts.count() == 2  # the KPI, then by channel
    assert charts.first.locator("circle").count() == len(aht.measurements)
    channels = {m.channel or "" for m in aht.breakdown}
    assert charts.nth(1).locator("polyline").count() == len(channels) == 2
    assert charts.nth(1).locator("circle").count() == len(aht.breakdown)
    names = [WORKSPACE.by_id(Channel)[c].name for c in sorted(channels)]
    assert all(
        charts.nth(1).get_by_text(name, exact=True).count() == 1 for name in names
    )  # the legend
    charts.first.screenshot(path=str(SCREENSHOTS / "kpi-chart.png"))
    charts.nth(1).screenshot(path=str(SCREENSHOTS / "kpi-chart-by-channel.png"))
    chart.close()
    visit.close()


# --- the site in Russian and Chinese --------------------------------------------------

EXAMPLES = {"ru": "ru-bank", "zh-Hans": "zh-telecom"}
"""The sample workspace written in each language (examples/)."""


def _language_pages(maps: Path) -> list[str]:
    """The pages of a site to read in its language: each page of the portfolio,
    and the first entity's page of each kind."""
    workspace = compile_workspace(maps, "maps").workspace
    pages = ["", "coverage/", "scorecard/", "rules/", "changes/", "format/"]
    pages.append(f"{workspace.entities(Journey)[0].id}/")
    for model, folder in ((Persona, "personas"), (Channel, "channels"), (Owner, "owners")):
        pages.append(f"{folder}/{workspace.entities(model)[0].id}/")
    pages.append(f"kpis/{workspace.entities(Kpi)[0].id}/")
    return pages


ALLOWED = {
    "KPI",
    "CSAT",
    "IVR",
    "NPS",
    "FCR",
    "AHT",
    "CES",
    "SLA",
    "journeycode",
    "id",
    "ID",
    "git",
    "ACD",
    "CRM",
    "SMS",
    "MB",
    "CSV",
    "JSON",
    "Schema",
    "ISO",
    "YAML",
    "yaml",
    "yml",
    "UTF",
    "YYYY-MM-DD",
    "true",
    "false",
    "False",
    "ARN",
    "Amazon",
    "Connect",
    "Twilio",
    "Studio",
    "Terraform",
    "CloudFormation",
}
"""Words that stay as they are in every language: abbreviations the trade uses
everywhere, the platforms' names (Amazon Connect, Twilio Studio, Terraform),
the standards' names (JSON Schema, UTF-8, ISO weeks), the literal values of the format that
its docs name (YAML's true and false, a date's YYYY-MM-DD, the maps' file
extensions), the tool's name (and the rule ids, which are the public contract)."""

# The page's text but its code (ids, keys, values and example maps, which stay
# as they are written): code is hidden while the text is read, then shown again.
PROSE = """() => {
  const code = [...document.querySelectorAll("code, pre")];
  const shown = code.map((el) => el.style.display);
  code.forEach((el) => { el.style.display = "none"; });
  const text = document.body.innerText;
  code.forEach((el, i) => { el.style.display = shown[i]; });
  return text;
}"""

# Whether Chromium draws each character with a real glyph: the character drawn
# on a canvas in the font the page gives its element, compared with a code
# point no font has (U+10FFFD, private use, plane 16), drawn the same way. A
# character no installed font has comes out as that same .notdef (or blank).
TOFU = """([samples, probes]) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (text, font) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font;
    ctx.textBaseline = "top";
    ctx.fillText(text, 4, 4);
    return ctx.getImageData(0, 0, 48, 48).data.join();
  };
  const missing = [];
  for (const [chars, font] of samples) {
    const notdef = draw(probes[0], font);
    for (const c of chars) if (draw(c, font) === notdef) missing.push(c + " in " + font);
  }
  return missing;
}"""
TEXT_AND_FONTS = """() => {
  const found = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none") continue;
    const font = `${s.fontStyle} ${s.fontWeight} 32px ${s.fontFamily}`;
    found[font] = (found[font] || "") + node.textContent.replace(/\\s+/g, "");
  }
  return Object.entries(found).map(([font, text]) => [[...new Set(text)].join(""), font]);
}"""


def _map_texts(maps: Path) -> list[str]:
    """Every string of the maps (names, descriptions, ids …), longest first."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            found.add(node)

    for source in maps.rglob("*.yaml"):
        walk(yaml.safe_load(source.read_text("utf-8")))
    for source in maps.rglob("*.csv"):
        for line in source.read_text("utf-8").splitlines():
            found.update(line.split(","))
    return sorted(found, key=len, reverse=True)


def _untranslated(maps: Path, tag: str) -> list[str]:
    """The problems' messages and hints no catalog says in the language yet:
    their words are the rules' and the loader's to translate (the site shows
    each through i18n.say, so a translated one must appear translated)."""
    found = []
    with i18n.using(tag):
        for problem in compile_workspace(maps, "maps").result.problems:
            for text in (problem.message, problem.hint):
                msgid = str(getattr(text, "msgid", text or ""))
                if msgid and i18n.gettext(msgid) == msgid:
                    found.append(i18n.say(text))
    return found


def _english_words(text: str, map_texts: list[str]) -> set[str]:
    text = " ".join(text.split())  # as the browser lays text out, so is map text
    for known in sorted([*map_texts, *DOCS], key=len, reverse=True):  # a name inside a message
        if len(known) > 1:
            text = text.replace(" ".join(known.split()), " ")
    words = set(re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", text))
    return {w for w in words if w not in ALLOWED}


@pytest.fixture(scope="module", params=["ru", "zh-Hans"])
def language_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """The language's sample workspace's site, built like the project's own
    (Material, no web fonts), with its map texts and the pages to read."""
    tag = request.param
    project = tmp_path_factory.mktemp(f"site-{tag}")
    shutil.copytree(ROOT / "examples" / EXAMPLES[tag], project / "maps")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# journeycode\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        # Material's credit line ("Made with Material for MkDocs") is in its
        # template, in no language: off, as Material documents (extra.generator).
        "site_name: journeycode\ntheme: {name: material, font: false}\n"
        "extra: {generator: false}\n"
        "plugins: [{journeycode: {maps: maps, path: journeys, fail_on: error}}]\n",
        encoding="utf-8",
    )
    folder = project / "site"
    _build(project, folder)
    with _served(folder) as url:
        maps = project / "maps"
        yield tag, url, _map_texts(maps) + _untranslated(maps, tag), _language_pages(maps)


def test_the_site_in_the_language_has_no_english_and_no_tofu(
    browser: object, language_site: tuple[str, str, list[str], list[str]]
) -> None:
    """At 1280 px in Chromium: no English word on the pages but map text and
    the allowed names, and every character drawn with a real glyph."""
    tag, url, map_texts, pages = language_site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in pages:
        visit = _Visit(browser, f"{url}/journeys/{path}", width=1280)
        page = visit.page
        assert page.evaluate("() => document.documentElement.lang") == tag.split("-")[0]
        text = page.evaluate(PROSE)
        english = _english_words(text, map_texts)
        assert english == set(), (path, " ".join(sorted(english)))
        samples = page.evaluate(TEXT_AND_FONTS)
        # The check can fail: a code point no font has is found missing, a letter is not.
        probe = "\U0010fffd"
        assert page.evaluate(TOFU, [[["\U0010fffeA", samples[0][1]]], [probe]]) == [
            f"\U0010fffe in {samples[0][1]}"
        ]
        assert page.evaluate(TOFU, [samples, [probe]]) == [], path
        name = path.strip("/").replace("/", "-") or "index"
        page.screenshot(path=str(SCREENSHOTS / f"site-{tag}-{name}.png"), full_page=True)
        visit.close()
