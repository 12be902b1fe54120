"""Diagrams with real Graphviz: hostile text, determinism, cache, failures, goldens."""

from __future__ import annotations

import html as html_module
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from journeycode import config, digest, render
from journeycode.cli import main
from journeycode.compiler import compile_workspace
from journeycode.model import Journey
from journeycode.problems import ExitCode
from journeycode.quoting import (
    dot_string,
    front_matter,
    html,
    html_text,
    late_name,
    markdown_code,
    markdown_escaped,
    markdown_heading,
    markdown_html,
    markdown_inline,
    markdown_link_target,
    markdown_text,
    mermaid_text,
    named,
    terminal,
    title,
    wrap,
)
from journeycode.render.emotion import emotion_svg
from journeycode.render.graphviz import Cache, Graphviz
from tests.conftest import (
    CASES,
    COMMENT_TAGS,
    ROOT,
    UPDATE_GOLDEN,
    comment_html,
    comment_tags,
    compare_golden,
    write_files,
)

HOSTILE: list[str] = yaml.safe_load((CASES / "render" / "hostile.yaml").read_text("utf-8"))[
    "strings"
]
GOLDEN = Path(__file__).resolve().parent / "golden" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"


def _workspace(text: str) -> dict[str, str]:
    quoted = yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()
    return {
        "maps.yaml": f"""\
personas:
  - {{id: p, name: {quoted}}}
channels:
  - {{id: c, name: {quoted}, type: voice, mode: assisted}}
  - {{id: bot, name: {quoted}, type: messaging, mode: self-service}}
owners:
  - {{id: o, name: {quoted}}}
systems:
  - {{id: s, name: {quoted}}}
journey:
  id: j
  name: {quoted}
  owner: o
  personas: [p]
  stages:
    - id: st
      name: {quoted}
      owner: o
      touchpoints:
        - id: t1
          name: {quoted}
          channel: bot
          action: {quoted}
          frontstage: {quoted}
          backstage: [{quoted}]
          systems: [s]
          emotion: 1
          escalates_to: [t2]
        - {{id: t2, name: {quoted}, channel: c, emotion: -1, moment_of_truth: true}}
"""
    }


def _texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return "".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def graphviz() -> Graphviz:
    return Graphviz.find()


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_renders_literally(text: str, tmp_path: Path, graphviz: Graphviz) -> None:
    compiled = compile_workspace(write_files(tmp_path, _workspace(text)))
    assert not [p for p in compiled.result.problems if p.rule in ("load", "schema")]
    items = render.diagrams(compiled.workspace)
    files = render.render(items, "svg", Cache(None), graphviz).files
    expected_nodes = {"j.journey.svg": 3, "j.blueprint.svg": 1, "portfolio.svg": 5}
    for name, svg in files.items():
        root = ET.fromstring(svg)  # well-formed
        for element in root.iter():
            for attribute in element.attrib:
                assert not attribute.lower().startswith("on"), (name, attribute)
                assert "href" not in attribute.lower(), (name, attribute)
            assert element.tag not in (f"{SVG}script", f"{SVG}a", f"{SVG}foreignObject")
        for line in text.splitlines():
            assert _squash(line) in _squash(_texts(svg)), (name, line)
        if name in expected_nodes:
            nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
            assert len(nodes) == expected_nodes[name], name


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('a"b', '"a\\"b"'),
        ("a\\", '"a\\\\"'),
        ("\\N", '"\\\\N"'),
        ("x\ny", '"x\\ny"'),
        ("node", '"node"'),
        ("&amp; &#x41;", '"&amp;amp; &amp;#x41;"'),
    ],
)
def test_dot_string(text: str, quoted: str) -> None:
    assert dot_string(text) == quoted


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_quoted_label_shows_exactly_its_text(text: str, graphviz: Graphviz) -> None:
    """Before, a stage named ``&amp; &#x41;`` was shown as ``& A``."""
    svg = graphviz.run(f"digraph {{ n [label={dot_string(text)}] }}", "svg")
    shown = list(ET.fromstring(svg).iter(f"{SVG}text"))
    assert [t.text for t in shown] == text.splitlines()


def test_html_and_mermaid_escaping() -> None:
    assert html("<b>&\"'\\N") == "&lt;b&gt;&amp;&quot;&#39;\\\\N"
    assert html("a\nb") == "a<BR/>b"
    assert ":" not in mermaid_text("a:b; #c\nd") and "\n" not in mermaid_text("a\nb")


def test_markdown_escaped_keeps_every_syntax_character_literal() -> None:
    """As the language server's hover shows map text: escaped, on one line."""
    shown = markdown_escaped("[x](javascript:1) *b* `c` <i>\n# h")
    assert shown == "\\[x\\]\\(javascript:1\\) \\*b\\* \\`c\\` \\<i\\> \\# h"


def test_a_late_name_is_put_in_escaped_and_cannot_be_forged() -> None:
    names = {"j": "<b>A & [b](javascript:1)</b>"}
    page = f"[{late_name('j')}](j.md) and {late_name('gone')}"
    assert named(page, names, html_text) == (
        f"[&lt;b&gt;A &amp; [b](javascript:1)&lt;/b&gt;](j.md) and {late_name('gone')}"
    )
    assert named(page, names, markdown_text).startswith("[&#60;b&#62;A &#38; &#91;b&#93;")
    # Map text that holds a token's characters keeps them, escaped: it names nothing.
    forged = markdown_text(late_name("j"))
    assert named(forged, names, html_text) == forged == "&#57344;j&#57345;"


def test_wrap_counts_wide_characters_twice() -> None:
    assert wrap("客户旅程地图", 6) == ["客户旅", "程地图"]
    assert wrap("one two three", 7) == ["one two", "three"]


def _render(
    out: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeycode", "render", "maps", "--out", str(out), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    first = _render(tmp_path / "a", "--no-cache", env={"PYTHONHASHSEED": "1"})
    second = _render(tmp_path / "b", "--no-cache", env={"PYTHONHASHSEED": "31337"})
    assert first.returncode == second.returncode == 0, first.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(names) == 4 * len(render.JOURNEY_VIEWS) + 1
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _counting_graphviz(tmp_path: Path, real: str) -> tuple[Path, Path]:
    log = tmp_path / "calls.log"
    script = tmp_path / "counting-dot"
    script.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


@pytest.mark.slow  # a second process, so that only the disk cache can spare Graphviz
def test_a_second_render_runs_no_graphviz(tmp_path: Path, graphviz: Graphviz) -> None:
    script, log = _counting_graphviz(tmp_path, graphviz.program)
    env = {"JOURNEYCODE_DOT": str(script), "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    assert _render(tmp_path / "one", env=env).returncode == 0
    calls = log.read_text(encoding="utf-8").count("run")
    assert calls == 4 * 3 + 1  # canvas, journey and blueprint per journey, and the portfolio
    assert _render(tmp_path / "two", env=env).returncode == 0
    assert log.read_text(encoding="utf-8").count("run") == calls
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 1\n", "failed (exit 1): syntax error"),
        ("#!/bin/sh\ncat > /dev/null\nexit 0\n", "produced no output"),
        (None, "is not an executable program"),
    ],
    ids=["fails", "empty", "missing"],
)
@pytest.mark.parametrize("optimize", [False, True], ids=["", "python -O"])
@pytest.mark.slow
def test_graphviz_failure_exits_2_and_leaves_files_alone(
    program: str | None, message: str, optimize: bool, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "billing-dispute.journey.svg").write_text("previous", encoding="utf-8")
    fake = tmp_path / "fake-dot"
    if program is not None:
        fake.write_text(program, encoding="utf-8")
        fake.chmod(0o755)
    run = subprocess.run(
        [
            sys.executable,
            *(["-O"] if optimize else []),
            *("-m", "journeycode", "render", "maps", "--out", str(out), "--no-cache"),
        ],
        cwd=ROOT,
        env={**os.environ, "JOURNEYCODE_DOT": str(fake)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == ExitCode.FAILURE
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert [p.name for p in out.iterdir()] == ["billing-dispute.journey.svg"]
    assert (out / "billing-dispute.journey.svg").read_text(encoding="utf-8") == "previous"


def test_graphviz_is_found_beside_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOURNEYCODE_DOT", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert Graphviz.find().program == str(Path(sys.executable).with_name("graphviz-pure"))


def test_views_journey_filter_and_formats(tmp_path: Path) -> None:
    runner = CliRunner(env={"JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")})
    args = ["render", str(ROOT / "maps"), "--out", str(tmp_path / "d"), "--journey", "onboarding"]
    run = runner.invoke(main, [*args, "--view", "blueprint", "--format", "dot"])
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["onboarding.blueprint.dot"]
    # The emotion curve has no DOT form: asked for by name, a clear error.
    refused = runner.invoke(main, [*args, "--view", "emotion", "--format", "dot"])
    assert refused.exit_code == ExitCode.FAILURE
    assert "journeycode: the emotion view has no DOT form\n" in refused.stderr
    assert "use --format svg or png" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["onboarding.blueprint.dot"]
    png = runner.invoke(main, [*args, "--view", "emotion", "--format", "png"])
    assert png.exit_code == 0, png.stderr
    assert (tmp_path / "d" / "onboarding.emotion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = runner.invoke(main, [*args[:-1], "onbaording"])
    assert unknown.exit_code == ExitCode.FAILURE
    assert "did you mean 'onboarding'?" in unknown.stderr


def _sample_files(graphviz: Graphviz) -> dict[str, bytes]:
    compiled = compile_workspace(ROOT / "maps", "maps")
    return render.render(render.diagrams(compiled.workspace), "svg", Cache(None), graphviz).files


def test_sample_diagrams_match_golden_files(graphviz: Graphviz) -> None:
    """graphviz-pure is byte-stable and font-independent: a changed diagram is a
    reviewed change of its golden file (JOURNEYCODE_UPDATE_GOLDEN=1 rewrites them)."""
    files = _sample_files(graphviz)
    if UPDATE_GOLDEN:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
    else:
        assert sorted(files) == sorted(p.name for p in GOLDEN.iterdir())
    for name, data in files.items():
        compare_golden(data.decode("utf-8"), GOLDEN / name)


def test_no_version_comment(graphviz: Graphviz) -> None:
    files: dict[str, Any] = _sample_files(graphviz)
    assert all(b"Generated by" not in data for data in files.values())


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "</title>&lt;b&gt;", "a\"b'c`d"])
def test_titles_hold_no_html_syntax(text: str) -> None:
    shown = title(text)
    assert not set(shown) & set("<>&\"'`")
    assert len(shown) == len(text)
    assert yaml.safe_load(front_matter(text).split("---")[1]) == {"title": shown}


def test_cache_keys_change_with_every_module_of_the_package(tmp_path: Path) -> None:
    """Diagrams depend on the model, the queries and coverage too, not only on
    render/ and site/: an edit to any module must miss the cache."""
    package = tmp_path / "journeycode"
    shutil.copytree(
        Path(digest.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    before = digest.package_digest(package)
    modules = sorted(package.rglob("*.py"))
    assert {"queries.py", "coverage.py", "model.py", "schema.py"} <= {m.name for m in modules}
    for module in modules:
        original = module.read_text("utf-8")
        module.write_text(original + "\n# edited\n", "utf-8")
        assert digest.package_digest(package) != before, module
        module.write_text(original, "utf-8")
    assert digest.package_digest(package) == before


def test_cache_keys_change_with_the_settings() -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    journey = compiled.workspace.entities(Journey)[0]
    plain = digest.Inputs(compiled.workspace, compiled.settings).journey(journey)
    other = config.Config(fail_under=50.0)
    assert digest.Inputs(compiled.workspace, other).journey(journey) != plain


def test_the_emotion_curve_joins_stages_never_alternatives(tmp_path: Path) -> None:
    """Two touchpoints of one stage are alternatives: one point for the stage (their
    mean) with a bar from lowest to highest, no line between them; a stage the
    persona does not pass leaves a gap."""
    root = write_files(
        tmp_path,
        {
            "j.yaml": """
personas: [{id: p, name: P}, {id: q, name: Q}]
channels: [{id: c, name: C, type: voice, mode: assisted}]
journey:
  id: j
  name: J
  personas: [p, q]
  stages:
    - {id: a, name: A, touchpoints: [{id: a1, name: A1, channel: c, emotion: -2},
                                     {id: a2, name: A2, channel: c, emotion: 2}]}
    - {id: b, name: B, touchpoints: [{id: b1, name: B1, channel: c, personas: [q], emotion: 0}]}
    - {id: c, name: C, touchpoints: [{id: c1, name: C1, channel: c, emotion: 1}]}
""",
        },
    )
    workspace = compile_workspace(root).workspace
    svg = emotion_svg(workspace, workspace.entities(Journey)[0])
    stage_points = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="5"', svg)
    # p: stages a and c (b is not on its path); q: all three.
    assert len(stage_points) == 5
    # p's line breaks at b, so only q's three stage points are joined.
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(lines) == 1 and len(lines[0].split()) == 3
    # Stage a's point is the mean (0) in the middle of the stage, with a bar from -2 to +2.
    a_center = 110 + 96  # LEFT + one column: the middle of a two-column stage
    assert any(float(x) == a_center for x, _ in stage_points)
    assert svg.count('rx="3"') == 2  # one bar per persona for stage a


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("two\nlines", "two\\nlines"),
        ("cr\r\n", "cr\\r\\n"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("a\u2028b\u2029c\x85d", "a\\u2028b\\u2029c\\x85d"),
        ("tab\tstays", "tab\tstays"),
        ("::error::x", "\\x3a:error::x"),
        ("  ::warning::y", "  \\x3a:warning::y"),
        ("\ufeff::error::after a byte order mark", "\ufeff\\x3a:error::after a byte order mark"),
        ("\u200b\u2060 ::error::z", "\u200b\u2060 \\x3a:error::z"),
        ("older ##[add-mask]x", "older ##\\x5badd-mask]x"),
        ("a :: b", "a :: b"),
        ("Путь клиента", "Путь клиента"),
    ],
)
def test_terminal_text_stays_on_its_line(text: str, shown: str) -> None:
    assert terminal(text) == shown


def test_markdown_text_neither_mentions_nor_references() -> None:
    assert markdown_text("@someone @org/team #123 org/repo#4 GH-5 a@b.c é@octocat") == (
        "@\u2060someone @\u2060org/team &#35;\u2060123 org/repo&#35;\u20604 GH\u2060-5 a@b.c "
        "é@\u2060octocat"
    )


# Ordinary text a review says, and what Markdown leaves as written.
ORDINARY = [
    "KPI 'fcr': 75 % → 70 % (higher)",
    'touchpoint "Why is my bill higher?" article: target ≤ 6 %, 5.7 % → 8.9 %',
    "snake_case, AT&T, 1.0.0, a < b, x > y, C:\\temp, Москва: Казань",
]
# Hostile text, and a word of it that must be shown as text.
HOSTILE_MARKDOWN = [
    ("</details><img src=x onerror=alert(1)>", "onerror"),
    ("<script>alert(1)</script>", "alert"),
    ("[x](javascript:alert(1)) ![i](i.png) [r][1]\n\n[1]: javascript:x", "javascript"),
    ("a | b || c", "b"),
    ("a `tick` and ```fence```", "tick"),
    ("# heading", "heading"),
    ("> quoted", "quoted"),
    ("- item", "item"),
    ("1. first", "first"),
    ("+ plus", "plus"),
    ("**bold** _em_ ~~gone~~ $x^2$", "bold"),
    ("&lt;b&gt; &#60;i&#62; <!-- hidden", "hidden"),
    ("\\<b>x</b> \\*", "x"),
    ("===", "==="),
    ("<b onmouseover=x>hover</b> <?php ?> <!DOCTYPE>", "hover"),
    # GitHub links bare URLs and e-mail addresses (cmark-gfm's autolinks).
    ("log in at www.evil.example/login", "evil"),
    ("http://evil.example HTTPS://e.x ftp://e.x (www.e.x) *www.e.x*", "evil"),
    ("write to a@b.co, mailto:x.y+z@e.co or xmpp:u@e.co/r", "co"),
]


@pytest.mark.parametrize("text", ORDINARY)
def test_markdown_inline_leaves_ordinary_text_as_written(text: str) -> None:
    assert markdown_inline(text) == text
    assert html_module.unescape(comment_html(markdown_inline(text))) == f"<p>{text}</p>\n"


@pytest.mark.parametrize(("text", "word"), HOSTILE_MARKDOWN)
def test_markdown_inline_makes_hostile_text_inert(text: str, word: str) -> None:
    """Rendered by GitHub's renderer, alone, in a list item, a table cell and
    after a word: one paragraph (item, cell) of plain text that says it all."""
    said = markdown_inline(text)
    for line in (said, f"- `kind` {said}", f"| {said} | 1 |\n|---|---:|", f"x {said}"):
        assert comment_tags(line) <= COMMENT_TAGS - {"h3", "blockquote", "pre", "hr", "em"}
        rendered = comment_html(line)
        assert "href" not in rendered and "<code>" not in rendered.replace("<code>kind</code>", "")
        assert word in rendered
        assert "<strong>" not in rendered and "<del>" not in rendered, rendered
    table = comment_html(f"| {said} | 1 |\n|---|---:|")
    assert len(re.findall("<th[ >]", table)) == 2, table


def test_markdown_inline_neither_mentions_nor_references() -> None:
    said = markdown_inline("@someone @org/team #123 org/repo#4 GH-5 a@b.c é@octocat")
    assert said == (
        "@\u2060someone @\u2060org/team #\u2060123 org/repo#\u20604 GH\u2060-5 a@\u2060b.c "
        "é@\u2060octocat"
    )


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://github.com/o/r/actions/runs/7", "https://github.com/o/r/actions/runs/7"),
        ("HTTP://h.example/a?b=c&d=%20#e", "HTTP://h.example/a?b=c&d=%20#e"),
        ("https://h.example/a b)(<x>\\\"'`", "https://h.example/a%20b%29%28%3Cx%3E%5C%22%27%60"),
        ("https://h.example/é\n", "https://h.example/%C3%A9%0A"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("//h.example/x", None),
        ("https:///x", None),
        ("http://[::1/x", None),
    ],
)
def test_markdown_link_target_is_an_http_url_that_ends_no_link_early(
    url: str, target: str | None
) -> None:
    assert markdown_link_target(url) == target
    if target is not None:
        rendered = comment_html(f"[the job summary]({target}) after")
        assert rendered.count("href") == 1 and "the job summary</a> after" in rendered


@pytest.mark.parametrize("text", ["Tier #", "#", "Tier ## ", "a # b", "C#", "## x ##"])
def test_markdown_heading_keeps_every_sign_of_its_text(text: str) -> None:
    rendered = comment_html(f"## {markdown_heading(text)}")
    assert html_module.unescape(rendered) == f"<h2>{text.strip()}</h2>\n", rendered


def test_markdown_inline_keeps_one_space_at_its_ends_and_stays_on_one_line() -> None:
    assert markdown_inline("  on\nan  edge  ") == " on an  edge "
    assert markdown_inline("") == ""


@pytest.mark.parametrize("text", ["ivr-menu", "a`b", "`", "``x`` y", "a|b", "two\nlines"])
def test_markdown_code_holds_any_text(text: str) -> None:
    rendered = comment_html(markdown_code(text))
    shown = " ".join(text.split())
    assert html_module.unescape(rendered) == f"<p><code>{shown}</code></p>\n"


def test_markdown_html_is_text_inside_an_html_block() -> None:
    said = markdown_html('</summary></details><img src=x onerror=alert(1)> "q" @me #1')
    rendered = comment_html(f"<details><summary>{said}</summary>\n\nx\n\n</details>")
    assert comment_tags(f"<details><summary>{said}</summary>\n\n</details>") == {
        "details",
        "summary",
    }
    assert rendered.count("</details>") == 1 and "@\u2060me" in rendered
