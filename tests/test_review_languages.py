"""The review in the team's language: ``journeycode diff`` of two real folders
(copies of the sample maps, HEAD's settings saying ``language:``) in Russian
and Chinese, in every format a reader sees. Every word journeycode writes is
the language's; map text, ids, paths and the machine fields of JSON stay as
they are. The Markdown still renders as GitHub renders it (cmark-gfm), and the
pictures of the change still parse as Mermaid (in Chromium, with the mermaid
package: tests/test_mermaid.py's page)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from journeycode import i18n
from journeycode.compiler import compile_workspace
from journeycode.naming import counted
from journeycode.review import diagram, report
from journeycode.review.changes import KINDS
from journeycode.review.compare import review
from journeycode.review.message import KIND_WORDS
from journeycode.review.renames import follow
from journeycode.rules import REGISTRY
from tests.conftest import invoke
from tests.test_mermaid import READ_FLOWCHART, mermaid_page  # noqa: F401  (a fixture)
from tests.test_review_comment import as_github_renders

ROOT = Path(__file__).resolve().parent.parent

# What each language's review says, word for word, for the changes below.
SAID = {
    "ru": [
        "Изменения в 1 пути клиента и каталоге: 1 критичное, 3 заметных, 1 незначительное",
        "| Путь клиента | Критичные | Заметные | Незначительные |",
        "#### Критичные изменения (1)",
        "почему это важно: Цель KPI стала менее требовательной",
        "цель ослаблена, 75 % → 70 % (чем выше, тем лучше)",
        "теперь момент истины",
        "эскалации: удалено:",
        "прежнее название «Bill breakdown in the app»",
        "покрытие:",
        "~ изменено",
    ],
    "zh-Hans": [
        "1个客户旅程和目录中有1项破坏性、3项值得注意的、1项次要变更",
        "| 客户旅程 | 破坏性 | 值得注意 | 次要 |",
        "#### 破坏性变更（1）",
        "影响：KPI 目标值的要求降低了（考虑方向）。",
        "目标值放宽，75% → 70%（越高越好）",
        "现在是关键时刻",
        "的升级：删除",
        "原名称为“Bill breakdown in the app”",
        "覆盖率：",
        "~ 已变更",
    ],
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BASE and HEAD: the sample maps, and a copy with a loosened target, a
    touchpoint renamed, an escalation dropped and a new moment of truth."""
    folder = tmp_path_factory.mktemp("review")
    shutil.copytree(ROOT / "maps", folder / "BASE")
    head = folder / "HEAD"
    shutil.copytree(ROOT / "maps", head)
    _edit(head / "catalog" / "kpis.yaml", "target: 75", "target: 70")
    journey = head / "journeys" / "billing-dispute.yaml"
    _edit(journey, "name: Bill breakdown in the app", "name: Bill breakdown in the mobile app")
    _edit(
        journey,
        "escalates_to: [billing-agent-call, billing-callback]",
        "escalates_to: [billing-agent-call]",
    )
    _edit(
        journey,
        "name: Bill breakdown in the mobile app\n",
        "name: Bill breakdown in the mobile app\n          moment_of_truth: true\n",
    )
    return folder


def _diff(folder: Path, language: str, *args: str) -> str:
    (folder / "HEAD" / "journeycode.yaml").write_text(f"language: {language}\n", "utf-8")
    result = invoke(folder, "diff", "BASE", "HEAD", *args)
    assert result.exit_code == 1, result.output  # the loosened target is breaking
    return result.output


def _map_words(folder: Path) -> set[str]:
    """Every word of the maps on both sides (names, ids, paths), and of what
    the CLI is and the rules and change kinds are called: none of it is
    journeycode's to translate."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    text = " ".join(p.read_text("utf-8") + " " + p.relative_to(folder).as_posix() for p in files)
    text += " journeycode diff BASE HEAD yaml KPI GitHub " + " ".join([*KINDS, *REGISTRY])
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def _english(output: str, folder: Path) -> set[str]:
    """English words in ``output`` that are not map text, ids or names. The
    problems' own messages are the rules' (said by i18n.say): left out."""
    kept = [
        line
        for line in output.splitlines()
        if not re.match(r"\s*[-+~] ", line) and "`kpi-off-target`" not in line
    ]
    shown = re.sub(r"#[0-9a-f]{6}\b", "", "\n".join(kept))
    words = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", shown)}
    return words - _map_words(folder) - {"br", "flowchart", "lr", "subgraph", "end"} - {
        "linkstyle", "stroke", "classdef", "class", "fill", "width", "px", "dasharray",
        "changed", "added", "removed", "same", "mermaid", "details", "summary", "open",
    }  # fmt: skip


@pytest.mark.parametrize("language", ["ru", "zh-Hans"])
def test_the_review_comment_is_in_the_heads_language(sides: Path, language: str) -> None:
    comment = _diff(sides, language, "--format", "markdown")
    for said in SAID[language]:
        assert said in comment, (said, comment)
    assert _english(comment, sides) == set(), comment
    html = as_github_renders(comment)
    assert "<table>" in html and "<h3>" in html and "<details" in html
    assert '<pre lang="mermaid">' in html


@pytest.mark.parametrize("language", ["ru", "zh-Hans"])
def test_the_text_review_is_in_the_heads_language(sides: Path, language: str) -> None:
    text = _diff(sides, language, "--format", "text")
    headline = SAID[language][0]
    assert text.splitlines()[1] == headline
    assert _english(text, sides) == set(), text


def test_json_keeps_its_machine_fields_and_says_its_messages(sides: Path) -> None:
    document = json.loads(_diff(sides, "ru", "--format", "json"))
    english = json.loads(_diff(sides, "en", "--format", "json"))
    assert document["summary"] == english["summary"] == {"info": 1, "notable": 3, "breaking": 1}
    for said, plain in zip(document["changes"], english["changes"], strict=True):
        assert (said["kind"], said["level"], said["mentions"]) == (
            plain["kind"],
            plain["level"],
            plain["mentions"],
        )
        assert said["message"] != plain["message"]
    assert "цель ослаблена" in document["changes"][0]["message"]


def test_language_option_overrides_the_settings(sides: Path) -> None:
    (sides / "HEAD" / "journeycode.yaml").write_text("language: ru\n", "utf-8")
    result = invoke(sides, "diff", "BASE", "HEAD", "--language", "zh-Hant")
    assert "1個客戶旅程和目錄中有1項破壞性" in result.output, result.output


@pytest.mark.parametrize(
    ("language", "level", "summary"),
    [
        (
            "ru",
            "критичное",
            "Шаг самообслуживания или автоматический шаг больше не ведёт к оператору.",
        ),
        ("zh-Hans", "破坏性", "自助服务或自动化步骤已无法转接人工客服。"),
    ],
)
def test_list_kinds_says_the_kinds_in_the_language(
    tmp_path: Path, language: str, level: str, summary: str
) -> None:
    result = invoke(tmp_path, "diff", "--list-kinds", "--language", language)
    lines = result.output.splitlines()
    assert lines[0].split(None, 2) == ["way-out-lost", level, summary]
    assert len(lines) == len(KINDS)
    english = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", result.output)}
    allowed = {w for kind in KINDS for w in kind.split("-")} | {"kpi", "id"}
    assert english <= allowed, english - allowed


def test_counts_take_russian_s_three_forms() -> None:
    with i18n.using("ru"):
        said = [counted(n, "file") for n in (1, 3, 5, 21)]
    assert said == ["1 файл", "3 файла", "5 файлов", "21 файл"]
    assert [counted(n, "file") for n in (1, 3)] == ["1 file", "3 files"]


def test_every_kind_a_message_names_is_in_the_catalogs() -> None:
    from journeycode import kinds

    assert {kind.label for kind in kinds.KINDS.values()} == set(KIND_WORDS)


def test_every_value_row_names_its_field_in_the_catalogs() -> None:
    from journeycode.review import fields

    named = {row.field for row in fields.FIELDS if row.compare is fields.value}
    assert named <= set(fields.WORDS), named - set(fields.WORDS)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("language", ["ru", "zh-Hans"])
def test_the_pictures_of_the_change_parse_in_the_language(
    mermaid_page: tuple[Any, list[str]],  # noqa: F811
    sides: Path,
    language: str,
) -> None:
    page, ran = mermaid_page
    base = compile_workspace(sides / "BASE", "maps")
    head = compile_workspace(sides / "HEAD", "maps")
    found = review(base, head)
    with i18n.using(language):
        pictures = diagram.mermaid(
            follow(base.workspace, found.renames), head.workspace, found.changes
        )
        comment = report.markdown(report.Reviewed(found, report.Sides("a", "b", pictures=pictures)))
    charts = re.findall(r"^```mermaid\n(.*?)^```$", comment, re.M | re.S)
    assert charts
    for index, text in enumerate(charts):
        read = page.evaluate(READ_FLOWCHART, [text, f"{language}{index}"])
        labels = " ".join(read["nodes"])
        assert ("изменено" if language == "ru" else "已变更") in labels, labels
    assert ran == []


def test_a_cut_comment_says_so_in_the_language(sides: Path) -> None:
    comment = _diff(sides, "ru", "--format", "markdown", "--max-chars", "1000")
    assert len(comment) <= 1000
    assert "лимит GitHub: весь обзор изменений выводит `journeycode diff`._" in comment
    assert "1\u00a0000 символов" in comment, comment
    assert _english(comment, sides) == set(), comment
