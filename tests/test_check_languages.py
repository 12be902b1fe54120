"""``check`` in Russian and Chinese: every rule's message and hint, the levels,
the summary and each report format speak the reader's language, the rule ids
and the ids from the maps stay as written, and a disk cache filled in one
language serves another (a problem keeps its message as data)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from journeycode import i18n, kinds
from journeycode.compiler import compile_workspace
from journeycode.coverage import coverage
from journeycode.lsp import edits
from journeycode.lsp.index import Index
from journeycode.model import Journey
from journeycode.problems import Result
from journeycode.report import github, json_report, junit, sarif, text
from journeycode.report.coverage_report import markdown
from journeycode.report.coverage_report import text as coverage_text
from journeycode.rules import REGISTRY
from journeycode.rules.docs import DOCS
from tests.conftest import ENV, EXAMPLES, ROOT, invoke

LANGUAGES = ("ru", "zh-Hans", "zh-Hant")
_LINE = re.compile(
    r"^(?P<where>\S+:\d+:\d+): (?P<level>[^:]+): (?P<message>.*) \[(?P<rule>[a-z-]+)\]$"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_PATH = re.compile(r"[\w./-]+\.(?:yaml|yml|csv)(?::\d+)*")


def _schema_words() -> set[str]:
    """The maps' own words a message names: every key and enumerated value of the schema."""
    schema = json.loads((ROOT / "journeycode" / "journeycode.schema.json").read_text("utf-8"))
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    found.update(value)
                if key == "enum":
                    found.update(str(v) for v in value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return found


def _ids(folder: Path) -> set[str]:
    workspace = compile_workspace(folder, str(folder)).workspace
    found = {e.id for kind in kinds.CATALOG for e in workspace.entities(kind.model)}
    for journey in workspace.entities(Journey):
        found.update(e.id for e in kinds.within(journey))
    return found


# Names, not words: acronyms the glossary keeps, and a date's placeholder.
_NAMES = {"KPI", "CSAT", "NPS", "CES", "ID", "YYYY-MM-DD"}


def _english(message: str, allowed: set[str]) -> list[str]:
    """The words of ``message`` that are neither map text (quoted ids), ids,
    the maps' keys and values, files, nor names."""
    bare = _PATH.sub(" ", _QUOTED.sub(" ", message))
    return [w for w in _WORD.findall(bare) if w not in allowed and w.strip("-") not in allowed]


def _check(language: str, folder: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeycode", "check", "--language", language, folder.name],
        cwd=folder.parent,
        env={**os.environ, **ENV, "JOURNEYCODE_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("folder", [ROOT / "maps", EXAMPLES / "bad"], ids=["maps", "bad"])
def test_check_speaks_the_language_of_the_reader(
    language: str, folder: Path, tmp_path: Path
) -> None:
    run = _check(language, folder, tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    allowed = _ids(folder) | _schema_words() | _NAMES
    lines = run.stdout.splitlines()
    seen = set()
    for number, line in enumerate(lines[:-1]):
        found = _LINE.match(line)
        if found is None:
            continue
        rule = found["rule"]
        if rule not in REGISTRY:
            continue  # the loader's and the schema's own checks
        seen.add(rule)
        with i18n.using(language):
            assert found["level"] in {text.level(level) for level in text.LEVELS}
        assert _english(found["message"], allowed) == [], line
        after = lines[number + 1]
        if after.startswith("    ") and not _LINE.match(after):
            hint = after.strip().split("：" if language != "ru" else ": ", 1)[1]
            assert _english(hint, allowed) == [], after
    assert seen, run.stdout
    # The summary, the one line of the report's own words.
    assert _english(lines[-1].replace("--min-level", ""), set()) == [], lines[-1]


@pytest.mark.slow
def test_a_cache_filled_in_english_serves_russian(tmp_path: Path) -> None:
    """The disk cache keeps problems' messages as data: the Russian check that
    reads the cache the English one wrote says what a cold Russian check says."""
    maps = ROOT / "maps"
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    english = _check("en", maps, warm)
    assert "is off target" in english.stdout
    assert any(warm.rglob("*")), "the English check filled no cache"
    russian = _check("ru", maps, warm)
    assert russian.stdout == _check("ru", maps, cold).stdout
    assert "не достигнута" in russian.stdout and "is off target" not in russian.stdout
    # And back: English from the cache the Russian check used is today's English.
    assert _check("en", maps, warm).stdout == english.stdout


def _result(folder: Path) -> Result:
    return compile_workspace(folder, folder.name).result


def test_each_format_says_messages_in_russian_and_keeps_its_keys() -> None:
    result = _result(EXAMPLES / "bad")
    english = {
        "json": json.loads(json_report.report(result)),
        "sarif": json.loads(sarif.report(result)),
    }
    with i18n.using("ru"):
        document = json.loads(json_report.report(result))
        log = json.loads(sarif.report(result))
        xml = junit.report(result)
        annotations = github.report(result)
    messages = {p["message"] for p in document["problems"]}
    assert "нигде не используется: канал 'ivr'" in messages
    assert [(p["rule"], p["level"], p["path"]) for p in document["problems"]] == [
        (p["rule"], p["level"], p["path"]) for p in english["json"]["problems"]
    ]
    assert document.keys() == english["json"].keys()
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any(t.startswith("неизвестная ссылка: канал 'ivrr' (возможно") for t in texts)
    # Code scanning keeps its alerts whatever the language: the fingerprints are the same.
    assert [r["partialFingerprints"] for r in log["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in english["sarif"]["runs"][0]["results"]
    ]
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == [
        r["ruleId"] for r in english["sarif"]["runs"][0]["results"]
    ]
    assert "ошибка: неизвестная ссылка: канал 'ivrr' [unknown-reference]" in xml
    assert "подсказка: возможно, имелось в виду 'ivr'?" in xml
    assert "title=unknown-reference::неизвестная ссылка: канал 'ivrr'%0Aвозможно" in annotations
    assert all(line.startswith("::") for line in annotations.splitlines())


def test_the_summary_counts_in_each_language() -> None:
    result = _result(ROOT / "maps")
    assert text.summary(result) == "47 problems (0 errors, 22 warnings, 25 info) in 13 files."
    with i18n.using("ru"):
        assert text.summary(result) == (
            "47 замечаний (0 ошибок, 22 предупреждения, 25 сведений) в 13 файлах."
        )
    with i18n.using("zh-Hans"):
        assert (
            text.summary(result)
            == "在 13 个文件中共有 47 个问题（0 个错误，22 个警告，25 条提示）。"
        )
    with i18n.using("zh-Hant"):
        assert (
            text.summary(result)
            == "在 13 個檔案中共有 47 個問題（0 個錯誤，22 個警告，25 條提示）。"
        )


def test_a_kpi_figure_is_written_when_said() -> None:
    """An off-target KPI's value, date and target are kept as data, so the
    Russian message writes them as Russian does."""
    result = _result(ROOT / "maps")
    (aht,) = [p for p in result.problems if p.rule == "kpi-off-target" and "'aht'" in p.message]
    assert aht.message == "KPI 'aht' is off target: 7 min 21 s on 2026-10-31, target ≤ 7 min"
    with i18n.using("ru"):
        said = i18n.say(aht.message).replace("\u202f", " ").replace("\xa0", " ")
    assert said == "цель по KPI 'aht' не достигнута: 7 мин 21 с на 31 октября 2026 г., цель ≤ 7 мин"
    with i18n.using("zh-Hans"):
        assert "2026年10月31日" in i18n.say(aht.message)


def test_coverage_reports_speak_the_language() -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    cov = coverage(compiled.workspace)
    with i18n.using("ru"):
        said = coverage_text(cov)
        page = markdown(cov)
    assert "Точки контакта с ответственным" in said and "Touchpoints with an owner" not in said
    assert "Состояние KPI: цель достигнута:" in said
    assert page.startswith("# Покрытие\n")
    with i18n.using("zh-Hans"):
        assert "有负责人的触点" in coverage_text(cov)


def test_sarif_documents_each_rule_in_the_language() -> None:
    """Code scanning shows a rule's help beside each alert: in the reader's language."""
    result = _result(EXAMPLES / "bad")
    english = json.loads(sarif.report(result))["runs"][0]["tool"]["driver"]["rules"]
    with i18n.using("ru"):
        rules = json.loads(sarif.report(result))["runs"][0]["tool"]["driver"]["rules"]
        said = DOCS["escalation-path"].said_summary
    assert [r["id"] for r in rules] == [r["id"] for r in english]
    rule = next(r for r in rules if r["id"] == "escalation-path")
    assert rule["shortDescription"]["text"] == said != DOCS["escalation-path"].summary
    assert "(уровень по умолчанию: error)" in rule["help"]["markdown"]
    assert "A self-service" not in rule["fullDescription"]["text"]


def test_a_refused_rename_says_why_in_the_language(tmp_path: Path) -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    index = Index(compiled.workspace, lambda path: None)
    key = next(k for k in index.entities if k[0] == "channel")
    other = next(k for k in index.entities if k[0] == "channel" and k != key)
    said = []
    for new in ("Not An Id", other[2]):
        with pytest.raises(edits.Refused) as refused:
            edits.rename(index, key, new)
        with i18n.using("ru"):
            said.append(i18n.say(refused.value.args[0]))
    assert said == [
        "'Not An Id' — недопустимый идентификатор: нужны строчные латинские буквы, цифры и дефисы",
        f"канал '{other[2]}' уже существует",
    ]


def test_the_coverage_threshold_is_said_in_the_language(tmp_path: Path) -> None:
    run = invoke(
        ROOT,
        *("coverage", "maps", "--fail-under", "99.5", "--language", "ru"),
        env={"JOURNEYCODE_CACHE_DIR": str(tmp_path)},
    )
    assert run.exit_code == 1, run.stderr
    line = run.stderr.strip().splitlines()[-1]
    # CLDR: a decimal comma, and a no-break space before the percent sign.
    assert re.fullmatch(r"journeycode: общее покрытие \d+(,\d)?\xa0% ниже 99,5\xa0%", line), line
