"""Every diagram in Russian and Chinese, with real Graphviz: journeycode's words
translated, none of today's English ones left, and a pinned Russian canvas."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeycode import i18n, render, words
from journeycode.compiler import compile_workspace
from journeycode.render.graphviz import Cache, Graphviz
from tests.conftest import CASES, ROOT, UPDATE_GOLDEN, compare_golden, write_files

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = Path(__file__).resolve().parent / "golden" / "diagrams-ru"
ENGLISH = set(
    re.findall(
        r"\S+",
        """
    Stage Customer goal actions Touchpoints Touchpoint Emotion Pain points Opportunities
    Journey-wide KPIs Legend Channel modes Personas for no stages touchpoints moment of truth
    self-service automated assisted high medium low medium/low draft review published retired
    idea planned in-progress done status data measurement vs delighted neutral frustrated
    mean bar lowest highest alternatives steps latest target Large dot small dots curve
    next step grey escalation human dashed red thick border pain point Frontstage Backstage
    Support systems line interaction visibility Service blueprint Journey portfolio canvas
    journey ON OFF TARGET min s h pp days
""",
    )
)
"""Every English word journeycode writes in a diagram today (map text aside)."""
WORDS = {
    "ru": [
        "Цель клиента",
        "Действия клиента",
        "Точки контакта",
        "Эмоции",
        "Болевые точки",
        "Возможности улучшения",
        "На всём пути",
        "Условные обозначения",
        "Режимы каналов",
        "самообслуживание",
        "с оператором",
        "+2 восторг",
        "-2 раздражение",
        "♦ момент истины",
        "▲ высокая",
        "в работе",
        "без статуса",
        "5 мин 10 с, цель ≤ 7 мин",
        "ЦЕЛЬ ДОСТИГНУТА",
        "ЦЕЛЬ НЕ ДОСТИГНУТА",
        "НЕТ ДАННЫХ",
        "на согласовании",
        "персоны: Клиент банка и Предприниматель",
        "▲ 2 болевые точки (серьёзность: высокая)",
        "▲ 1 болевая точка (серьёзность: средняя/низкая)",
        "эскалация на оператора",
        "Фронт-офис",
        "линия видимости",
        "Сервисный блюпринт: Карта заблокирована за границей",
        "Портфель путей клиентов",
        "Кривая эмоций: Карта заблокирована за границей",
        "Крупная точка",
    ],
    "zh-Hans": [
        "客户目标",
        "客户行为",
        "触点",
        "情绪",
        "痛点",
        "改进机会",
        "全旅程",
        "图例",
        "渠道模式",
        "自助服务",
        "人工服务",
        "+2 非常满意",
        "-2 非常不满",
        "♦ 关键时刻",
        "▲ 高",
        "进行中",
        "无状态",
        "5分钟10秒（目标值≤ 7分钟）",
        "达标",
        "未达标",
        "无数据",
        "评审中",
        "适用客户画像：Клиент банка和Предприниматель",
        "▲ 2 个痛点（严重程度：高）",
        "升级至人工客服",
        "前台",
        "可视分界线",
        "服务蓝图：Карта заблокирована за границей",
        "客户旅程总览",
        "情绪曲线：Карта заблокирована за границей",
        "大圆点",
    ],
}


def _shown(svg: bytes) -> str:
    """What a reader sees: the document's title and every text, one per line."""
    root = ET.fromstring(svg)
    title = root.find(f".//{SVG}title")
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    return "\n".join([title.text or "" if title is not None else "", *texts])


@pytest.fixture(scope="module")
def graphviz() -> Graphviz:
    return Graphviz.find()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("ru")
    text = (CASES / "render" / "russian.yaml").read_text("utf-8")
    compiled = compile_workspace(write_files(folder, {"maps.yaml": text}))
    assert not [p for p in compiled.result.problems if p.rule in ("load", "schema")]
    return compiled.workspace


@pytest.mark.parametrize("language", sorted(WORDS))
def test_every_diagram_speaks_the_language(
    language: str, workspace: object, graphviz: Graphviz
) -> None:
    with i18n.using(language):
        items = render.diagrams(workspace)  # type: ignore[arg-type]
        files = render.render(items, "svg", Cache(None), graphviz).files
    assert sorted(files) == sorted(
        [f"k.{view}.svg" for view in render.JOURNEY_VIEWS] + ["portfolio.svg"]
    )
    shown = "\n".join(_shown(data) for data in files.values())
    flat = re.sub(r"\s+", " ", shown)
    for expected in WORDS[language]:
        assert expected in flat, (language, expected)
    # The journey id (k), "KPI" (a term each language keeps) and a version's "v" aside,
    # no Latin word is left: map text here is all Russian.
    left = set(re.findall(r"[A-Za-z][A-Za-z/-]*", shown)) - {"k", "KPI", "v"}
    assert not left & ENGLISH, sorted(left & ENGLISH)
    assert not left, sorted(left)


def test_the_cache_tells_languages_apart(
    workspace: object, graphviz: Graphviz, tmp_path: Path
) -> None:
    """A Russian render after an English one, with one cache, is Russian."""
    cache = Cache(tmp_path / "cache")
    items = render.diagrams(workspace, ["canvas"])  # type: ignore[arg-type]
    english = render.render(items, "svg", cache, graphviz).files["k.canvas.svg"]
    with i18n.using("ru"):
        items = render.diagrams(workspace, ["canvas"])  # type: ignore[arg-type]
        russian = render.render(items, "svg", cache, graphviz).files["k.canvas.svg"]
    assert "Customer goal" in _shown(english)
    assert "Цель клиента" in _shown(russian)


def test_a_russian_canvas_of_the_sample_maps_matches_its_golden_file(graphviz: Graphviz) -> None:
    """The sample maps (English text) drawn in Russian: a changed picture is a
    reviewed change of the golden file (JOURNEYCODE_UPDATE_GOLDEN=1 rewrites it)."""
    compiled = compile_workspace(ROOT / "maps", "maps")
    with i18n.using("ru"):
        items = render.diagrams(compiled.workspace, ["canvas"], ["onboarding"])
        files = render.render(items, "svg", Cache(None), graphviz).files
    if UPDATE_GOLDEN:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
    assert sorted(files) == ["onboarding.canvas.svg"]
    compare_golden(files["onboarding.canvas.svg"].decode("utf-8"), GOLDEN / "onboarding.canvas.svg")


def test_every_fixed_value_a_diagram_shows_has_its_words() -> None:
    """A value the schema adds to these enums needs its words (or it would be
    shown in English in every language)."""
    schema = json.loads((ROOT / "journeycode" / "journeycode.schema.json").read_text("utf-8"))
    shown = [
        ("channel", "mode"),
        ("painPoint", "severity"),
        ("journey", "status"),
        ("opportunity", "status"),
    ]
    enums = {v for kind, field in shown for v in schema["$defs"][kind]["properties"][field]["enum"]}
    assert enums == set(words.WORDS)
