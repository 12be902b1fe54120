"""PNGs of every view, rasterised from the SVG by resvg with the machine's fonts.

Real fonts, real resvg, real Graphviz: a Latin, a Cyrillic and a Chinese map
are drawn in every view, the PNGs decoded, and every text checked for .notdef
(the face resvg draws each character with has it, read with fontTools). A test
that needs a font the machine lacks skips with the package to install; under
CI=true (where .ci/run installs them) it fails instead.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
import resvg_py
from fontTools.ttLib import TTCollection, TTFont

from journeycode import i18n, render
from journeycode.compiler import compile_workspace
from journeycode.render import raster
from journeycode.render.graphviz import Cache, Graphviz
from tests.conftest import invoke, write_files

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NAMES = {
    "latin": {
        "journey": "Card blocked abroad",
        "stages": ("Notice the block", "Call the bank"),
        "touchpoints": ("App notification", "Agent unblocks the card"),
        "channels": ("Mobile app", "Service line"),
        "persona": "Card holder",
        "owner": "Contact centre",
    },
    "cyrillic": {
        "journey": "Карта заблокирована за границей",
        "stages": ("Узнать о блокировке", "Позвонить в банк"),
        "touchpoints": ("Уведомление в приложении", "Оператор разблокирует карту"),
        "channels": ("Мобильное приложение", "Горячая линия"),
        "persona": "Держатель карты",
        "owner": "Контакт-центр",
    },
    "chinese": {
        "journey": "境外银行卡被冻结",
        "stages": ("发现卡被冻结", "致电客服"),
        "touchpoints": ("应用内通知", "人工客服解冻"),
        "channels": ("手机银行", "客服热线"),
        "persona": "持卡人",
        "owner": "客户服务中心",
    },
}
SAMPLE = {"latin": "Card", "cyrillic": "Карта", "chinese": "境外银行卡"}


def _maps(root: Path, script: str) -> Path:
    names = NAMES[script]
    catalog = f"""journeycode: 1
channels:
  - {{id: app, name: "{names["channels"][0]}", type: digital, mode: self-service}}
  - {{id: phone, name: "{names["channels"][1]}", type: voice, mode: assisted}}
personas:
  - {{id: holder, name: "{names["persona"]}"}}
owners:
  - {{id: cc, name: "{names["owner"]}"}}
"""
    journey = f"""journeycode: 1
journey:
  id: card
  name: "{names["journey"]}"
  owner: cc
  personas: [holder]
  stages:
    - id: notice
      name: "{names["stages"][0]}"
      owner: cc
      touchpoints:
        - id: push
          name: "{names["touchpoints"][0]}"
          channel: app
          emotion: -1
          escalates_to: [call]
          pain_points:
            - {{id: p1, text: "{names["touchpoints"][0]}", severity: high}}
    - id: call
      name: "{names["stages"][1]}"
      owner: cc
      touchpoints:
        - id: call
          name: "{names["touchpoints"][1]}"
          channel: phone
          moment_of_truth: true
          emotion: 1
"""
    files = {"maps/catalog/catalog.yaml": catalog, "maps/journeys/card.yaml": journey}
    return write_files(root, files) / "maps"


def _require(fonts: raster.Fonts, script: str) -> None:
    """Skip (outside CI) when no installed font draws the script's sample text."""
    if fonts.covering(SAMPLE[script], bold=False, italic=False) is not None:
        return
    package = raster.CJK_PACKAGE if script == "chinese" else raster.OTHER_PACKAGE
    message = f"no installed font draws {script} text: install {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _pixels_decode(png: bytes) -> int:
    """The PNG's image data inflated: its length (it decodes)."""
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    return len(zlib.decompress(b"".join(chunks)))


def _svg_pixels(svg: bytes, scale: float) -> tuple[float, float]:
    """The SVG's size in pixels at 96 per inch (Graphviz writes points), times ``scale``."""
    found = re.search(rb'<svg[^>]*\swidth="([\d.]+)(pt)?"\s+height="([\d.]+)(pt)?"', svg)
    assert found is not None
    unit = 96 / 72 if found.group(2) else 1.0
    return float(found.group(1)) * unit * scale, float(found.group(3)) * unit * scale


@pytest.fixture(scope="module")
def fonts() -> raster.Fonts:
    return raster.Fonts.from_environment()


@pytest.mark.parametrize("script", list(NAMES))
def test_every_view_is_a_png_with_a_glyph_for_every_character(
    script: str, tmp_path: Path, fonts: raster.Fonts
) -> None:
    _require(fonts, script)
    workspace = compile_workspace(_maps(tmp_path, script), "maps").workspace
    items = render.diagrams(workspace)
    program = Graphviz.find()
    svgs = render.render(items, "svg", Cache(None), program).files
    pngs = render.render(items, "png", Cache(None), program, fonts=fonts)
    assert list(pngs.files) == [name.replace(".svg", ".png") for name in svgs]
    assert {n.split(".")[-2] for n in pngs.files} == set(render.VIEWS)
    assert pngs.missing == ()
    for diagram in items:
        png = pngs.files[diagram.filename("png")]
        svg = svgs[diagram.filename("svg")]
        width, height = _size(png)
        expected = _svg_pixels(svg, (diagram.png_dpi or 96) / 96)
        assert abs(width - expected[0]) <= 2 and abs(height - expected[1]) <= 2, diagram.name
        assert _pixels_decode(png) == height * (1 + 4 * width)  # RGBA rows, each with its filter
        _assert_no_notdef(raster.fallback(svg.decode("utf-8"), fonts), fonts, script)


def _assert_no_notdef(svg: str, fonts: raster.Fonts, script: str) -> None:
    """Every character of every text is in the cmap of the face resvg draws it with,
    read here again with fontTools; Chinese is drawn in a Simplified Chinese face."""
    texts = list(raster.texts(svg, fonts))
    assert any(SAMPLE[script] in t.text for t in texts)
    for text in texts:
        for char, face in zip(text.text, text.faces, strict=True):
            assert face is not None, (text.text, char)
            assert ord(char) in _cmap(face.path, face.index), (text.text, char, face)
            if "\u4e00" <= char <= "\u9fff" and "Noto Sans CJK SC" in {
                f.family for f in fonts.faces
            }:
                assert face.family == "Noto Sans CJK SC", (text.text, face)


@functools.cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        font = TTCollection(str(path), lazy=True).fonts[index]
    else:
        font = TTFont(str(path), lazy=True)
    return frozenset(font.getBestCmap())


def test_traditional_chinese_readers_get_a_traditional_chinese_face(fonts: raster.Fonts) -> None:
    """The same characters, two faces: the reader's language picks the glyph forms."""
    _require(fonts, "chinese")
    families = {f.family for f in fonts.faces}
    if not {"Noto Sans CJK SC", "Noto Sans CJK TC"} <= families:
        message = f"no Noto Sans CJK SC and TC: install {raster.CJK_PACKAGE}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    faces = {}
    for tag in ("zh-Hans", "zh-Hant", "en"):
        with i18n.using(tag):
            face = fonts.covering("客服資料", bold=False, italic=False)
        assert face is not None
        faces[tag] = face.family
    assert faces == {
        "zh-Hans": "Noto Sans CJK SC",
        "zh-Hant": "Noto Sans CJK TC",
        "en": "Noto Sans CJK SC",
    }


def test_resvg_falls_back_to_the_face_the_model_predicts(fonts: raster.Fonts) -> None:
    """Left to itself, resvg draws text its font lacks with the first face in file
    order that has it (whole, when that face has all of it): the model in
    ``raster.texts`` says which, and the PNG is the one that face draws."""
    _require(fonts, "chinese")
    text = "card · Контакт · 持卡人"

    def drawn(family: str, weight: int = 400, files: Sequence[Path] = fonts.files) -> bytes:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40">'
            f'<text x="4" y="28" font-family="{family}" font-weight="{weight}" font-size="20">'
            f"{text}</text></svg>"
        )
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=svg,
                skip_system_fonts=True,
                font_files=[str(p) for p in files],
                serif_family=fonts.latin,
                sans_serif_family=fonts.latin,
                dpi=96.0,
            )
        )

    plain = f'<svg><text font-family="Arial">{text}</text></svg>'
    (found,) = raster.texts(plain, fonts)
    assert None not in found.faces
    (fallback,) = set(found.faces)  # one face draws all of it
    latin = fonts.face(["Arial"], bold=False, italic=False)
    assert fallback is not None and latin is not None and fallback != latin
    assert drawn("Arial") == drawn(fallback.family, fallback.weight)
    assert drawn("Arial") != drawn("Arial", files=[latin.path])  # the Latin font's boxes
    # That face is the first in file order (Debian's: Noto Sans CJK JP, bold, for
    # Chinese at the normal weight), so journeycode names the family it wants instead.
    named = raster.fallback(plain, fonts)
    (chosen,) = set(next(raster.texts(named, fonts)).faces)
    assert chosen is not None and not chosen.italic and chosen.weight == 400
    if "Noto Sans CJK SC" in {f.family for f in fonts.faces}:
        assert named == f'<svg><text font-family="Noto Sans CJK SC">{text}</text></svg>'


def _latin_only(folder: Path, fonts: raster.Fonts) -> Path:
    """A folder with one Latin font from this machine (it has no Chinese)."""
    face = fonts.face(["Arial"], bold=False, italic=False)
    if face is None or face.path.suffix.lower() not in (".ttf", ".otf"):
        message = "no Latin font file is installed: install fonts-liberation"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert not face.draws(SAMPLE["chinese"])
    folder.mkdir()
    shutil.copy(face.path, folder / face.path.name)
    return folder


def test_without_a_font_for_chinese_the_png_is_written_and_the_core_says_so(
    tmp_path: Path, fonts: raster.Fonts
) -> None:
    only = raster.Fonts((_latin_only(tmp_path / "fonts", fonts),))
    workspace = compile_workspace(_maps(tmp_path, "chinese"), "maps").workspace
    items = render.diagrams(workspace, ["canvas", "emotion"])
    cache = Cache(tmp_path / "cache")
    for _ in range(2):  # drawn, then from the cache: the warning is kept with the PNG
        rendered = render.render(items, "png", cache, fonts=only)
        assert sorted(rendered.files) == ["card.canvas.png", "card.emotion.png"]
        assert all(_size(png) for png in rendered.files.values())
        assert {(m.file, m.script, m.package) for m in rendered.missing} == {
            ("card.canvas.png", "Han", "fonts-noto-cjk"),
            ("card.emotion.png", "Han", "fonts-noto-cjk"),
        }
        written = "".join(str(v) for v in NAMES["chinese"].values())
        assert all(set(m.characters) <= set(written) for m in rendered.missing)


def test_render_png_without_chinese_fonts_warns_naming_han_and_the_package(
    tmp_path: Path, fonts: raster.Fonts
) -> None:
    """The system's font folders are XDG's: pointed at an empty folder, only
    $JOURNEYCODE_FONTS is left."""
    latin = _latin_only(tmp_path / "fonts", fonts)
    maps = _maps(tmp_path, "chinese")
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        "JOURNEYCODE_FONTS": str(latin),
        "HOME": str(empty),
        "XDG_DATA_HOME": str(empty),
        "XDG_DATA_DIRS": str(empty),
    }
    run = invoke(tmp_path, "render", str(maps), "--out", "out", "--format", "png", env=env)
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "card.blueprint.png",
        "card.canvas.png",
        "card.emotion.png",
        "card.journey.png",
        "portfolio.png",
    ]
    (line,) = [line for line in run.stderr.splitlines() if "warning" in line]
    assert line.startswith("journeycode: warning: no installed font has the Han characters '")
    assert "install fonts-noto-cjk, or put a font that has them in $JOURNEYCODE_FONTS" in line


def test_render_without_view_draws_every_view_it_can_in_the_format(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "latin")
    png = invoke(tmp_path, "render", str(maps), "--out", "png", "--format", "png")
    assert png.exit_code == 0, png.stderr
    assert png.stderr == ""
    assert sorted(p.suffix for p in (tmp_path / "png").iterdir()) == [".png"] * 5
    dot = invoke(tmp_path, "render", str(maps), "--out", "dot", "--format", "dot")
    assert dot.exit_code == 0, dot.stderr
    assert sorted(p.name for p in (tmp_path / "dot").iterdir()) == [
        "card.blueprint.dot",
        "card.canvas.dot",
        "card.emotion.svg",
        "card.journey.dot",
        "portfolio.dot",
    ]
    assert dot.stderr == (
        "journeycode: the emotion curve has no DOT form: written as SVG (card.emotion.svg)\n"
    )
    helped = " ".join(invoke(tmp_path, "render", "--help").stdout.split())
    assert "png: every view, drawn from its SVG with the machine's fonts" in helped
    assert "dot: the emotion curve has no DOT form and is written as SVG" in helped
