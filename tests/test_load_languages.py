"""What reading a workspace finds, said in Russian and Chinese: the YAML,
schema and measurement problems (kept as messages, said in the reader's
language wherever they are shown), and the settings and workspace errors the
command line reports, in the --language given (English without one: a
settings error is found while the settings that would name a language are
read). Places (file:line:col) and the English text are as they always were."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeycode import compiler, i18n, pipeline_rules
from journeycode.problems import ExitCode
from tests.conftest import invoke

KPIS = "kpis:\n  - {id: aht, name: AHT, kind: operational, unit: seconds}\n"
BROKEN = "personas:\n  - id: p\n    name: [a, b\n"
MISSPELT = "channels:\n  - id: phone\n    name: Phone\n    type: voice\n    descripton: x\n"
CELL = "kpi,period_end,value\naht,2026-10-31,fast\n"


def _workspace(tmp_path: Path, settings: str | None = None) -> Path:
    maps = tmp_path / "maps"
    (maps / "measurements").mkdir(parents=True)
    (maps / "kpis.yaml").write_text(KPIS, "utf-8")
    (maps / "broken.yaml").write_text(BROKEN, "utf-8")
    (maps / "channels.yaml").write_text(MISSPELT, "utf-8")
    (maps / "measurements" / "m.csv").write_text(CELL, "utf-8")
    if settings is not None:
        (maps / "journeycode.yaml").write_text(settings, "utf-8")
    return maps


SAID = {
    "en": [
        (
            "broken.yaml:3:11",
            "'[' is never closed, or a ',' is missing between its items",
            "add the missing ']', or a ',' between items",
        ),
        (
            "channels.yaml:5:5",
            "unknown key 'descripton' in channel 'phone'",
            "did you mean 'description'?",
        ),
        ("measurements/m.csv:2:16", "'fast' is not a number", None),
    ],
    "ru": [
        (
            "broken.yaml:3:11",
            "скобка '[' не закрыта, или между элементами не хватает ','",
            "добавьте недостающую скобку ']' или ',' между элементами",
        ),
        (
            "channels.yaml:5:5",
            "неизвестный ключ 'descripton' (канал 'phone')",
            "возможно, имелось в виду 'description'?",
        ),
        ("measurements/m.csv:2:16", "'fast' — не число", None),
    ],
    "zh-Hans": [
        (
            "broken.yaml:3:11",
            "'[' 没有闭合，或其中各项之间缺少 ','",
            "补上缺少的 ']'，或在各项之间加上 ','",
        ),
        (
            "channels.yaml:5:5",
            "未知的键 'descripton'（渠道 'phone'）",
            "您是不是要写 'description'？",
        ),
        ("measurements/m.csv:2:16", "'fast' 不是数字", None),
    ],
}


@pytest.mark.parametrize("tag", list(SAID))
def test_the_problems_of_reading_are_said_in_the_readers_language(tmp_path: Path, tag: str) -> None:
    """A YAML syntax error, a schema error with its did-you-mean and a bad
    measurement cell, at the places they always had."""
    result = compiler.check(_workspace(tmp_path), "")
    read = [p for p in result.problems if p.rule in pipeline_rules.DOCS]
    with i18n.using(tag):
        said = [(p.location, i18n.say(p.message), p.hint and i18n.say(p.hint)) for p in read]
    assert [s for s in said if s[0] in {where for where, _, _ in SAID[tag]}] == SAID[tag]
    # Kept in English: what compares or prints a problem's message as text.
    assert [p.message for p in read if p.location == "broken.yaml:3:11"] == [SAID["en"][0][1]]


SETTING = "language: ru\nrules:\n  stale-reviw: off\n"


@pytest.mark.parametrize(
    ("given", "message", "hint"),
    [
        (
            (),
            "unknown rule 'stale-reviw'",
            "    hint: did you mean 'stale-review'?",
        ),
        (
            ("--language", "ru"),
            "неизвестное правило 'stale-reviw'",
            "    подсказка: возможно, имелось в виду 'stale-review'?",
        ),
        (
            ("--language", "zh-Hans"),
            "未知的规则 'stale-reviw'",
            "    建议：您是不是要写 'stale-review'？",
        ),
    ],
)
def test_a_bad_setting_is_said_in_the_language_given(
    tmp_path: Path, given: tuple[str, ...], message: str, hint: str
) -> None:
    """The settings' own language (ru here) cannot be known from settings
    that failed: English, unless --language says otherwise."""
    _workspace(tmp_path, SETTING)
    run = invoke(tmp_path, "check", *given, "maps")
    assert run.exit_code == ExitCode.FAILURE
    assert run.stderr == f"journeycode: maps/journeycode.yaml:3:3: {message}\n{hint}\n"


@pytest.mark.parametrize(
    ("tag", "message", "hint"),
    [
        (
            "ru",
            "скобка '[' не закрыта, или между элементами не хватает ','",
            "добавьте недостающую скобку ']' или ',' между элементами",
        ),
        ("zh-Hans", "'[' 没有闭合，或其中各项之间缺少 ','", "补上缺少的 ']'，或在各项之间加上 ','"),
    ],
)
def test_a_yaml_error_in_the_settings_is_said_in_the_language_given(
    tmp_path: Path, tag: str, message: str, hint: str
) -> None:
    _workspace(tmp_path, "rules: [stale-review\n")
    run = invoke(tmp_path, "coverage", "--language", tag, "maps")
    assert run.exit_code == ExitCode.FAILURE
    separator = "：" if tag.startswith("zh") else ": "
    assert run.stderr == (
        f"journeycode: maps/journeycode.yaml:1:8: {message}\n"
        f"    {'建议' if tag.startswith('zh') else 'подсказка'}{separator}{hint}\n"
    )


def test_a_workspace_not_found_is_said_in_the_language_given(tmp_path: Path) -> None:
    run = invoke(tmp_path, "check", "--language", "ru", "nowhere")
    assert run.exit_code == ExitCode.FAILURE
    assert run.stderr == "journeycode: nowhere: нет такого файла или папки\n"
    run = invoke(tmp_path, "check", "--language", "zh-Hans", "nowhere")
    assert run.stderr == "journeycode: nowhere：没有这个文件或文件夹\n"
