"""The languages journeycode writes in: tags, catalogs, messages kept in the
core and said in the reader's language, and numbers, units and dates by CLDR."""

from __future__ import annotations

import datetime
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from journeycode import i18n, values
from journeycode.model import Kpi
from tests import catalogs
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("en", "en"),
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("RU", "ru"),
        ("zh-Hans", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh_CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("en-GB", "en"),
    ],
)
def test_a_tag_names_a_language(tag: str, language: str) -> None:
    assert i18n.resolve(tag).tag == language


@pytest.mark.parametrize(
    ("tag", "hint"),
    [
        ("rus", "did you mean 'ru'?"),
        ("Chinese", "did you mean 'zh-Hans'?"),
        ("zh-Hns", "did you mean 'zh-Hans'?"),
        ("fr", "journeycode writes in en, ru, zh-Hans, zh-Hant"),
        ("de-DE", "journeycode writes in en, ru, zh-Hans, zh-Hant"),
    ],
)
def test_an_unknown_tag_says_what_is_known(tag: str, hint: str) -> None:
    with pytest.raises(i18n.UnknownLanguage) as caught:
        i18n.resolve(tag)
    assert caught.value.hint == hint


def test_every_catalog_translates_every_word() -> None:
    """No word a reader sees is left in English, fuzzy, with other fields than
    its msgid's, or compiled from an older .po (make catalogs says the same)."""
    assert list(catalogs.problems()) == []


def test_a_kept_message_is_english_and_said_again_in_the_readers_language() -> None:
    kept = i18n.msg("{change}, worse", change=i18n.msg("on target"))
    assert kept == "on target, worse"
    assert isinstance(kept, str)
    plain = marshal.loads(marshal.dumps(i18n.stored(kept)))  # a cache entry's round trip
    again = i18n.restored(plain)
    with i18n.using("ru"):
        assert i18n.say(again) == "цель достигнута, хуже"
    with i18n.using("zh-Hans"):
        assert i18n.say(again) == "达标，变差"
    assert i18n.say(again) == "on target, worse"
    assert i18n.say("map text") == "map text"


def test_a_date_is_iso_in_english_and_long_elsewhere() -> None:
    day = datetime.date(2026, 10, 31)
    assert i18n.say(day) == "2026-10-31"
    with i18n.using("ru"):
        assert i18n.say(day).replace("\u202f", " ") == "31 октября 2026 г."
    with i18n.using("zh-Hans"):
        assert i18n.say(day) == "2026年10月31日"


def _kpi(unit: str, **extra: object) -> Kpi:
    return Kpi(id="k", src=None, unit=unit, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tag", "unit", "scale", "number", "shown"),
    [
        ("ru", "seconds", None, 310, "5 мин 10 с"),
        ("ru", "percent", None, 85, "85 %"),
        ("ru", "score", (1, 5), 4.2, "4,2 из 5"),
        ("ru", "count", None, 12400, "12 400"),
        ("ru", "days", None, 30, "30 дн."),
        ("ru", "hours", None, 1.5, "1,5 ч"),
        ("zh-Hans", "seconds", None, 310, "5分钟10秒"),
        ("zh-Hans", "percent", None, 85, "85%"),
        ("zh-Hans", "days", None, 30, "30天"),
        ("zh-Hant", "minutes", None, 15, "15 分鐘"),
        ("en", "days", None, 30, "30 days"),
        ("en", "days", None, 1, "1 day"),
    ],
)
def test_a_value_is_written_in_the_readers_language(
    tag: str, unit: str, scale: tuple[float, float] | None, number: float, shown: str
) -> None:
    with i18n.using(tag):
        # CLDR writes a no-break space between a number and its unit.
        assert values.value(number, _kpi(unit, range=scale)).replace("\xa0", " ") == shown


def test_a_change_and_a_range_read_in_the_readers_language() -> None:
    kpi = _kpi("percent", range=(0, 100), direction="higher")
    with i18n.using("ru"):
        assert values.change(2, kpi).replace("\xa0", " ") == "+2 п. п., лучше"
        assert values.span(kpi).replace("\xa0", " ") == "от 0 % до 100 %"  # type: ignore[union-attr]
        assert str(values.Status.OFF) == "цель не достигнута"
    assert str(values.Status.OFF) == "off target"


def test_the_language_of_other_work_is_not_changed() -> None:
    with i18n.using("ru"), i18n.using(None):
        assert i18n.current().tag == "ru"
    assert i18n.current() is i18n.ENGLISH


@pytest.mark.slow
def test_language_option_says_what_is_known() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "journeycode", "check", "--language", "french", "maps"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "unknown language 'french'" in run.stderr


@pytest.mark.slow
def test_render_and_docs_say_what_they_wrote_in_the_readers_language(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "journeycode", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    rendered = run("render", "examples/zh-telecom", "--format", "dot", "--out", str(tmp_path / "d"))
    assert rendered.returncode == 0, rendered.stderr
    assert "情绪曲线没有 DOT 格式：已写为 SVG（broadband-fault.emotion.svg" in rendered.stderr
    assert rendered.stdout.strip().endswith("中有 9 张图")
    docs = run("docs", "examples/ru-bank", "--out", str(tmp_path / "s"))
    assert docs.returncode == 0, docs.stderr
    assert "51 страница и 10 файлов в " in docs.stdout
    english = run("docs", "examples/ru-bank", "--language", "en", "--out", str(tmp_path / "e"))
    assert "51 page(s) and 10 file(s) in " in english.stdout
