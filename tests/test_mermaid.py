"""The Mermaid export read by the real mermaid package in a headless Chromium.

Each diagram of `journeycode export --format mermaid`, of the sample maps and of
a workspace whose every name is hostile, goes through ``mermaid.parse`` and
``mermaid.render``: what Mermaid reads back (title, sections, tasks, actors)
must be the model's names, and the SVG must show them as text, with no script run.
mermaid comes from npm, pinned by tests/mermaid/package-lock.json (`make mermaid`);
in CI (CI=true) a missing mermaid or Chromium fails these tests, elsewhere it skips them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeycode.compiler import Compiled, compile_workspace
from journeycode.export import mermaid
from journeycode.model import Journey, Persona
from journeycode.quoting import UNNAMED
from journeycode.review import diagram, flow_diagram, report
from journeycode.review.compare import review
from journeycode.review.report import Reviewed, Sides
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM_FLAGS, _chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BUNDLE = ROOT / "tests" / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

# Every name of the hostile workspace is one of these, in turn: Mermaid's
# keywords and comments, blanks, actor and task separators, HTML, Markdown,
# a directive that would restyle the diagram, and a GitHub Actions command.
HOSTILE = [
    "title X",
    "section X",
    "%%x",
    " ",
    "Parent, busy",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "two\nlines\nand\ta tab",
    "a: b; c # d",
    "`code` and ``more``",
    "::error::x",
    "journey",
    "accTitle",
    "accDescr { x",
    "TITLE upper case",
    "\u200b",
    "50% & x%%y <br> z",
    "%%{init: {'theme': 'forest'}}%%",
    "\ufeffsection after a byte order mark",
    "&lt;b&gt; &amp; &copy",
]

# What Mermaid shows for the characters quoting replaces with look-alikes;
# the word joiner that keeps a keyword a name is invisible.
LOOK_ALIKES = str.maketrans(
    {
        "\u2236": ":",
        "\u204f": ";",
        "\uff03": "#",
        "\uff05": "%",
        "\uff1c": "<",
        "\uff1e": ">",
        "\u201a": ",",
        "\u2060": None,
        "\ufeff": " ",
    }
)

# Reads a diagram as Mermaid does, renders it into the page, and returns
# what Mermaid's journey database holds and what the SVG shows and carries.
READ_AND_RENDER = """async ([text, id, level]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: level});
  await mermaid.parse(text);
  const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
  const read = {
    title: db.getDiagramTitle(),
    sections: db.getSections(),
    tasks: db.getTasks().map(t => [t.section, t.task, t.people]),
    actors: db.getActors(),
  };
  const {svg} = await mermaid.render(id, text);
  const holder = document.createElement("div");
  holder.innerHTML = svg;
  document.body.append(holder);
  const elements = [...holder.querySelectorAll("*")];
  read.texts = [...holder.querySelectorAll("text, foreignObject")].map(t => t.textContent);
  read.handlers = elements.flatMap(el => [...el.attributes]
    .filter(a => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value))
    .map(a => el.localName + " " + a.name));
  // Mermaid draws a task's name as HTML in a <div>: any other element came from a name.
  read.markup = [...holder.querySelectorAll("foreignObject *")].map(el => el.localName)
    .filter(name => !["div", "span"].includes(name));
  return read;
}"""


def _bundle() -> Path:
    if BUNDLE.is_file():
        return BUNDLE
    message = f"{BUNDLE} is missing: `make mermaid` installs it (npm ci in tests/mermaid)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def mermaid_page() -> Iterator[tuple[Any, list[str]]]:
    """A blank page with mermaid's bundle loaded from its file, and what ran
    there that should not have: every dialog (alert, confirm …) a script
    opened, every uncaught error."""
    bundle, executable = _bundle(), _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        ran: list[str] = []

        def on_dialog(dialog: Any) -> None:
            ran.append(f"dialog: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: ran.append(f"error: {error}"))
        page.set_content("<!doctype html><html><head></head><body></body></html>")
        page.add_script_tag(path=str(bundle))
        yield page, ran
        browser.close()


def _hostile_workspace(folder: Path) -> Compiled:
    """A journey per hostile text, named with it; its stages and touchpoints
    are named with the texts that follow, and every journey has a persona per
    text (each with its own emotion, so a touchpoint gets several task lines):
    every text is a title, a section, a task and an actor. The channel, owner,
    system and KPI, which the export does not show, are hostile too."""
    count = len(HOSTILE)
    catalog = {
        "personas": [{"id": f"p{i}", "name": text} for i, text in enumerate(HOSTILE)],
        "channels": [{"id": "c", "name": HOSTILE[0], "type": "voice", "mode": "assisted"}],
        "owners": [{"id": "o", "name": HOSTILE[1]}],
        "systems": [{"id": "s", "name": HOSTILE[2]}],
        "kpis": [{"id": "k", "name": HOSTILE[3], "kind": "outcome", "unit": "count"}],
    }
    files: dict[str, object] = {"catalog.yaml": catalog}
    emotions = {f"p{i}": i % 5 - 2 for i in range(count)}
    for i, text in enumerate(HOSTILE):
        stages = [
            {
                "id": f"s{k}",
                "name": HOSTILE[(i + k + 1) % count],
                "owner": "o",
                "touchpoints": [
                    {
                        "id": f"t{k}{n}",
                        "name": HOSTILE[(i + 2 * k + n) % count],
                        "channel": "c",
                        "systems": ["s"],
                        "kpis": ["k"],
                        "emotion": dict(emotions),
                    }
                    for n in range(2)
                ],
            }
            for k in range(3)
        ]
        journey = {"id": f"j{i}", "name": text, "personas": [*emotions], "stages": stages}
        files[f"journeys/j{i}.yaml"] = {"journey": journey}
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    compiled = compile_workspace(folder)
    workspace = compiled.workspace
    # Every hostile text reached the model, in each role.
    assert {j.name for j in workspace.entities(Journey)} == set(HOSTILE)
    assert {s.name for j in workspace.entities(Journey) for s in j.stages} == set(HOSTILE)
    assert {tp.name for j in workspace.entities(Journey) for _, tp in j.touchpoints()} == set(
        HOSTILE
    )
    assert {p.name for p in workspace.entities(Persona)} == set(HOSTILE)
    return compiled


@pytest.fixture(scope="module", params=["sample", "hostile"])
def compiled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    if request.param == "sample":
        return compile_workspace(ROOT / "maps", "maps")
    return _hostile_workspace(tmp_path_factory.mktemp("hostile") / "maps")


def _read(text: str) -> str:
    """A name as a reader sees it in the diagram: look-alikes as what they
    stand for, white space collapsed."""
    return " ".join(text.translate(LOOK_ALIKES).split())


def _expected(name: str) -> str:
    """A name of the model as the diagram must show it: on one line, and
    the placeholder where nothing of it would show."""
    text = _read(name)
    return text if text.replace("\u200b", "") else UNNAMED


def _bare(text: str) -> str:
    # Mermaid wraps long names over several text lines: compare without spaces.
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("level", ["strict", "loose"])
def test_every_diagram_reads_back_as_the_model(
    mermaid_page: tuple[Any, list[str]], compiled: Compiled, level: str
) -> None:
    page, ran = mermaid_page
    workspace = compiled.workspace
    diagrams = re.findall(r"^```mermaid\n(.*?)^```$", mermaid(compiled), re.M | re.S)
    journeys = list(workspace.by_id(Journey).values())
    assert len(diagrams) == len(journeys)
    persona_names = {p.id: p.name for p in workspace.by_id(Persona).values()}
    for index, (text, journey) in enumerate(zip(diagrams, journeys, strict=True)):
        read = page.evaluate(READ_AND_RENDER, [text, f"d{level}{index}", level])
        assert _read(read["title"]) == _expected(journey.name), text
        assert [_read(s) for s in read["sections"]] == [_expected(s.name) for s in journey.stages]
        # Each (touchpoint, persona) is one actor of one task of its stage:
        # no task is lost to a keyword or a comment, no actor split at a comma.
        uses = [
            (stage, tp, persona_names.get(p, p))
            for stage in journey.stages
            for tp in stage.touchpoints
            for p in journey.personas_at(tp)
        ]
        assert Counter(
            (_read(section), _read(task), _read(actor))
            for section, task, actors in read["tasks"]
            for actor in actors
        ) == Counter((_expected(s.name), _expected(tp.name), _expected(p)) for s, tp, p in uses)
        assert len(read["tasks"]) == sum(line.startswith(" " * 6) for line in text.splitlines())
        assert sorted(map(_read, read["actors"])) == sorted({_expected(p) for _, _, p in uses})
        assert read["handlers"] == [] and read["markup"] == [], read
        shown = _bare(_read("".join(read["texts"])))
        names = {journey.name, *(s.name for s in journey.stages)}
        names |= {tp.name for _, tp, _ in uses} | {p for _, _, p in uses}
        for name in names:
            assert _bare(_expected(name)) in shown, (name, read["texts"])
    assert ran == []


# Reads a review's flowchart as Mermaid does and renders it: its nodes'
# labels, its subgraphs' titles, its edges, and what the SVG shows and carries.
READ_FLOWCHART = """async ([text, id]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  await mermaid.parse(text);
  const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
  const read = {
    nodes: [...db.getVertices().values()].map(v => v.text),
    stages: db.getSubGraphs().map(s => s.title),
    edges: db.getEdges().length,
  };
  const {svg} = await mermaid.render(id, text);
  const holder = document.createElement("div");
  holder.innerHTML = svg;
  document.body.append(holder);
  read.texts = [...holder.querySelectorAll("text, foreignObject")].map(t => t.textContent);
  read.handlers = [...holder.querySelectorAll("*")].flatMap(el => [...el.attributes]
    .filter(a => a.name.startsWith("on") || /^\\s*javascript:/i.test(a.value))
    .map(a => el.localName + " " + a.name));
  // A label is HTML of Mermaid's own (div, span, p) and the <br> between a
  // name and what changed: any other element came from a name.
  read.markup = [...holder.querySelectorAll("foreignObject *")].map(el => el.localName)
    .filter(name => !["div", "span", "p", "br"].includes(name));
  return read;
}"""


# What a flowchart label shows for the characters its quoting replaces too.
LABEL_LOOK_ALIKES = str.maketrans({"\u201d": '"', "\u02cb": "`", "\uff06": "&"})


def _changed(folder: Path, edit: Any) -> tuple[Compiled, Compiled]:
    """The maps of ``folder`` as BASE, and a copy edited by ``edit`` (a function
    of each journey's data) as HEAD."""
    head = folder.parent / f"{folder.name}-head"
    shutil.copytree(folder, head)
    for path in sorted((head / "journeys").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        edit(data["journey"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return compile_workspace(folder, "maps"), compile_workspace(head, "maps")


def _edit_every_kind(journey: dict[str, Any]) -> None:
    """A touchpoint removed, one renamed, one added, an escalation dropped."""
    stages = journey["stages"]
    first = stages[0]["touchpoints"]
    first.pop(0)
    first[0]["name"] = f"{first[0]['name']} (renamed)"
    first[0].pop("escalates_to", None)
    stages[-1]["touchpoints"].append(
        {"id": "added-tp", "name": stages[0]["name"], "channel": first[0]["channel"]}
    )


@pytest.fixture(scope="module", params=["sample", "hostile"])
def changed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Compiled, Compiled]:
    folder = tmp_path_factory.mktemp(request.param) / "maps"
    if request.param == "sample":
        shutil.copytree(ROOT / "maps", folder)
    else:
        _hostile_workspace(folder)
    return _changed(folder, _edit_every_kind)


def test_the_review_s_pictures_read_back_as_the_changed_touchpoints(
    mermaid_page: tuple[Any, list[str]], changed: tuple[Compiled, Compiled], tmp_path: Path
) -> None:
    """Each changed journey's flowchart, in the Markdown review as GitHub gets
    it, parses and renders: a node per touchpoint it draws, named as the model
    names it, each stage's title, no markup or handler from a name."""
    page, ran = mermaid_page
    base, head = changed
    found = review(base, head)
    sides = Sides(
        "base", "head", pictures=diagram.mermaid(base.workspace, head.workspace, found.changes)
    )
    comment = report.markdown(Reviewed(found, sides))
    charts = re.findall(r"^```mermaid\n(.*?)^```$", comment, re.M | re.S)
    journeys = {**base.workspace.by_id(Journey), **head.workspace.by_id(Journey)}
    assert len(charts) == len(journeys) == len(sides.pictures)
    for index, text in enumerate(charts):
        read = page.evaluate(READ_FLOWCHART, [text, f"review{index}"])
        names = [
            _read(re.split("<br/?>", label)[0].translate(LABEL_LOOK_ALIKES))
            for label in read["nodes"]
        ]
        assert len(names) == text.count('"]') - len(read["stages"]), text
        journey = journeys[next(j for j, chart in sides.pictures.items() if chart in text)]
        everything = {
            _expected(tp.name)
            for j in (base.workspace.by_id(Journey).get(journey.id), journey)
            if j is not None
            for _, tp in j.touchpoints()
        }
        assert set(names) <= everything and names, (names, everything)
        assert any("(renamed)" in n for n in names) and "removed" in text and "added" in text
        assert read["edges"] == text.count("linkStyle")
        assert read["handlers"] == [] and read["markup"] == [], read
        shown = _bare(_read("".join(read["texts"])))
        for name in names:
            assert _bare(name) in shown.translate(LABEL_LOOK_ALIKES), (name, read["texts"])
    assert ran == []


RENDER_ERROR = """async ([text, id]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
  try {
    await mermaid.render(id, text);
    return "";
  } catch (error) {
    return String(error && error.message || error);
  }
}"""


def _many_steps(journey: dict[str, Any]) -> None:
    """Onboarding gets 190 new touchpoints, each a next step of the three
    before it: 570 edges; the other journeys a touchpoint renamed."""
    if journey["id"] != "onboarding":
        journey["stages"][0]["touchpoints"][0]["name"] += " (renamed)"
        return
    ids = [f"step-{n}" for n in range(190)]
    journey["stages"][0]["touchpoints"] += [
        {"id": ident, "name": f"Step {n}", "channel": "webchat", "next": ids[n + 1 : n + 4]}
        for n, ident in enumerate(ids)
    ]


def test_a_picture_too_large_for_github_is_left_out_with_a_note(
    mermaid_page: tuple[Any, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mermaid, with the defaults GitHub draws with, refuses the flowchart of
    570 edges; the review leaves it out, says so, and draws the others."""
    page, ran = mermaid_page
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    base, head = _changed(tmp_path / "maps", _many_steps)
    found = review(base, head)
    pictures = diagram.mermaid(base.workspace, head.workspace, found.changes)
    assert pictures["onboarding"] is None
    with monkeypatch.context() as unlimited:
        unlimited.setattr(diagram, "MERMAID_MAX_EDGES", 10**6)
        whole = diagram.mermaid(base.workspace, head.workspace, found.changes)["onboarding"]
    assert whole is not None and whole.count("linkStyle") > diagram.MERMAID_MAX_EDGES
    refused = page.evaluate(RENDER_ERROR, [whole, "too-large"])
    assert "Edge limit exceeded" in refused, refused
    # Its 754 new problems are not cut.
    sides = Sides("base", "head", pictures=pictures, limit=10**7)
    comment = report.markdown(Reviewed(found, sides))
    section = comment[comment.index("<summary>Join and get connected") :]
    section = section[: section.index("</details>")]
    assert "```mermaid" not in section and "too large for GitHub to draw" in section
    charts = re.findall(r"^```mermaid\n(.*?)^```$", comment, re.M | re.S)
    assert charts and len(charts) == sum(chart is not None for chart in pictures.values())
    for index, text in enumerate(charts):
        assert page.evaluate(RENDER_ERROR, [text, f"fits{index}"]) == ""
    assert ran == []


def _flow_states(names: list[str], end: str | None) -> dict[str, Any]:
    """A Studio flow whose steps, named ``names``, follow each other to a
    transfer (or, with ``end`` None, to the end of the flow)."""
    states: list[dict[str, Any]] = [
        {"name": name, "type": "say-play", "transitions": [{"event": "x", "next": after}]}
        for name, after in zip(names, [*names[1:], end or ""], strict=True)
    ]
    if end is None:
        states[-1]["transitions"] = [{"event": "x"}]
    else:
        states.append({"name": end, "type": "send-to-flex", "properties": {"workflow": end}})
    return {"initial_state": names[0], "states": states}


# Seven steps and the transfer: a lost path the review draws whole (it draws
# the last eight steps of a longer one); three flows name every hostile text.
@pytest.mark.parametrize("first", [0, 8, 12])
def test_the_flow_pictures_read_back_as_the_changed_steps(
    mermaid_page: tuple[Any, list[str]], tmp_path: Path, first: int
) -> None:
    """A flow whose every step is named with a hostile text loses its
    transfer (a breaking change, drawn red): its flowchart in the Markdown
    review parses and renders, a node per step and end, each named as the
    flow names it, no markup or handler from a name."""
    page, ran = mermaid_page
    steps, end = HOSTILE[first : first + 7], HOSTILE[first + 7]
    base_folder = tmp_path / "base"
    shutil.copytree(ROOT / "maps", base_folder)
    flow = base_folder / "flows" / "hostile.json"
    flow.write_text(json.dumps(_flow_states(steps, end)), "utf-8")
    head_folder = tmp_path / "head"
    shutil.copytree(base_folder, head_folder)
    head_flow = head_folder / "flows" / "hostile.json"
    head_flow.write_text(json.dumps(_flow_states(steps, None)), "utf-8")
    base, head = compile_workspace(base_folder, "maps"), compile_workspace(head_folder, "maps")
    found = review(base, head)
    assert next(c.kind for c in found.changes if c.flow == "hostile") == "flow-way-out-lost"
    pictures = flow_diagram.mermaid(base.workspace, head.workspace, found.changes)
    comment = report.markdown(Reviewed(found, Sides("base", "head", flow_pictures=pictures)))
    (text,) = re.findall(r"^```mermaid\n(.*?)^```$", comment, re.M | re.S)
    read = page.evaluate(READ_FLOWCHART, [text, "flow"])
    names = [
        _read(re.split("<br/?>", label)[1].translate(LABEL_LOOK_ALIKES))
        for label in read["nodes"]
        if "<br" in label
    ]
    assert len(read["nodes"]) == text.count('"]')  # the steps and the end
    assert names == [_expected(n) for n in [*steps, end]], names
    assert "no longer reaches a person" in text and "stroke:#b03a2e" in text
    assert read["edges"] == text.count("linkStyle")
    assert read["handlers"] == [] and read["markup"] == [], read
    shown = _bare(_read("".join(read["texts"]))).translate(LABEL_LOOK_ALIKES)
    assert all(_bare(name) in shown for name in names), read["texts"]
    assert ran == []
