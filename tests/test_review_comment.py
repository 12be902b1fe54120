"""The review as a contact-centre manager reads it: in the pull request.

A repository made by ``journeycode init`` gets a branch of the changes a real
one brings — an escalation removed, a target loosened, a persona's id renamed,
a measurement that takes a KPI off target — and ``journeycode diff --format
markdown`` is rendered as GitHub renders a comment: cmark-gfm (GitHub's own
Markdown, from the ``cmarkgfm`` wheel), HTML sanitised to an allowlist like
GitHub's (``nh3``), and each ``mermaid`` block drawn by the real mermaid
package, in headless Chromium. What the page shows is read back from the DOM,
and a screenshot of it is kept in ``build/screenshots/review-comment.png``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cmarkgfm
import nh3
import pytest
from cmarkgfm.cmark import Options

from tests.conftest import invoke
from tests.test_browser import CHROMIUM_FLAGS, SCREENSHOTS, _chromium
from tests.test_mermaid import _bundle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# GitHub's allowlist for comments; attributes as
# GitHub keeps them on these tags (lang on pre is how a mermaid block is known).
GITHUB_TAGS = """h1 h2 h3 h4 h5 h6 br b i strong em a pre code img tt div ins del sup sub p
ol ul table thead tbody tfoot blockquote dl dt dd kbd q samp var hr li tr td th s strike summary
details caption figure figcaption abbr bdo cite dfn mark small span time wbr"""
TAGS = set(GITHUB_TAGS.split())
ATTRIBUTES = {"a": {"href"}, "pre": {"lang"}, "th": {"align"}, "td": {"align"}, "details": {"open"}}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository from ``init`` and a branch with four realistic changes, committed."""
    repo = tmp_path_factory.mktemp("team")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "cx@example.com")
    _git(repo, "config", "user.name", "CX")
    assert invoke(repo, "init", ".").exit_code == 0
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "journeys")
    _git(repo, "checkout", "-qb", "change")
    maps = repo / "maps"
    journey = maps / "journeys" / "billing-question.yaml"
    # The IVR menu loses its way to an agent.
    _edit(
        journey,
        "          emotion: -1\n          escalates_to: [billing-call]\n",
        "          emotion: -1\n",
    )
    # First contact resolution asks for less.
    _edit(maps / "catalog" / "kpis.yaml", "target: 75", "target: 70")
    # The phone-first persona gets another id; its name and research stay.
    for path in (maps / "catalog" / "personas.yaml", journey):
        _edit(path, "phone-first", "caller")
    # This month's CSAT is off target.
    kpis = maps / "catalog" / "kpis.yaml"
    text = kpis.read_text("utf-8")
    last = re.findall(r'      - \{date: "([\d-]+)", value: 87\}\n', text)
    assert last, "the starter CSAT has a last measurement of 87"
    _edit(
        kpis,
        f'      - {{date: "{last[0]}", value: 87}}\n',
        f'      - {{date: "{last[0]}", value: 87}}\n      - {{date: "2026-11-01", value: 80}}\n',
    )
    _git(repo, "commit", "-qam", "A realistic change")
    return repo


@pytest.fixture(scope="module")
def review(branch: Path) -> str:
    result = invoke(branch, "diff", "main", "--format", "markdown")
    assert result.exit_code == 1, result.output  # the removed escalation is breaking
    return result.output


def as_github_renders(markdown: str) -> str:
    """A comment's HTML as GitHub makes it: cmark-gfm with raw HTML, then sanitised."""
    html = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
    )
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, link_rel=None)


# Draws every mermaid block as GitHub does (in place of the code) and opens the
# folded sections, so the screenshot shows all; returns what could not be drawn.
DRAW = """async () => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  const failed = [];
  let n = 0;
  for (const pre of [...document.querySelectorAll('pre[lang="mermaid"]')]) {
    const text = pre.textContent;
    try {
      await mermaid.parse(text);
      const {svg} = await mermaid.render("review-" + n++, text);
      const holder = document.createElement("div");
      holder.className = "mermaid-drawn";
      holder.innerHTML = svg;
      pre.replaceWith(holder);
    } catch (error) {
      failed.push(String(error) + "\\n" + text);
    }
  }
  document.querySelectorAll("details").forEach(d => d.open = true);
  return failed;
}"""

STYLE = """body {font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial,
sans-serif; max-width: 880px; margin: 24px auto; color: #1f2328}
table {border-collapse: collapse} td, th {border: 1px solid #d1d9e0; padding: 6px 13px}
code {background: #eff1f3; padding: .2em .4em; border-radius: 6px; font-size: 85%}
summary {cursor: pointer; font-weight: 600}"""


@pytest.fixture(scope="module")
def comment(review: str) -> Iterator[Any]:
    """The rendered comment in a Chromium page, with every diagram drawn."""
    bundle, executable = _bundle(), _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        ran: list[str] = []

        def on_dialog(dialog: Any) -> None:
            ran.append(f"dialog: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: ran.append(str(error)))
        page.set_content(
            f"<!doctype html><html><head><meta charset=utf-8><style>{STYLE}</style></head>"
            f"<body>{as_github_renders(review)}</body></html>"
        )
        page.add_script_tag(path=str(bundle))
        failed = page.evaluate(DRAW)
        assert failed == [], failed
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-comment.png"), full_page=True)
        yield page
        assert ran == [], ran
        browser.close()


def test_changes_name_what_the_maps_call_things_and_never_none(comment: Any) -> None:
    shown = comment.inner_text("body")
    for name in (
        "Billing line menu (ivr-menu)",
        "Phone-first customer (caller)",
        "First contact resolution (fcr)",
        "Customer satisfaction (CSAT) (csat)",
    ):
        assert name in shown
    assert not re.search(r"\bnone\b", shown, re.IGNORECASE), shown


def test_a_renamed_persona_is_one_change(comment: Any) -> None:
    shown = comment.inner_text("body")
    assert shown.count("renamed") == 1, shown
    assert "id changed from phone-first" in shown
    for echo in ("catalog-removed", "catalog-added", "personas-changed", "emotion-changed"):
        assert echo not in shown
    assert "0 fixed" in shown  # no problem of the old id listed as fixed and again as new


def test_the_breaking_changes_come_first_with_why_they_matter(comment: Any) -> None:
    shown = comment.inner_text("body")
    assert shown.startswith(
        "journeycode: 2 breaking, 4 notable changes in 1 journey and the catalog"
    )
    breaking = shown[shown.index("Breaking changes (2)") : shown.index("Catalog:")]
    assert "target loosened, 75 % → 70 %" in breaking
    assert "Billing line menu (ivr-menu) on IVR (ivr) no longer reaches a human" in breaking
    assert breaking.count("why it matters") == 2


def test_the_kpi_going_off_target_is_a_notable_change(comment: Any) -> None:
    shown = comment.inner_text("body")
    assert (
        "notable kpi-went-off-target KPI Customer satisfaction (CSAT) (csat) went off target: "
        "87 % → 80 %, target ≥ 85 %" in shown
    )


def test_the_changed_part_of_the_journey_is_drawn(comment: Any) -> None:
    drawn = comment.query_selector_all(".mermaid-drawn svg")
    assert len(drawn) == 1
    labels = drawn[0].text_content() or ""
    assert "Billing line menu" in labels and "Billing call" in labels
    assert comment.query_selector_all('pre[lang="mermaid"]') == []


def test_the_markdown_is_clean_and_pings_no_one(review: str, comment: Any) -> None:
    assert not re.search(r"&#?\w+;", review), review
    assert "\\[" not in comment.inner_text("body")
    assert comment.query_selector_all("a, img") == []
    assert len(review) < 65_535
