"""PNGs: the SVG journeycode draws, rasterised by resvg with the machine's fonts.

Graphviz's own PNG writer knows only its bundled raster fonts (no Chinese), so
every view is drawn as SVG first and resvg turns that into pixels, with the
fonts of :class:`Fonts`: ``$JOURNEYCODE_FONTS`` (folders, ``os.pathsep``
apart) first, then the system's font folders. resvg is handed exactly those
files, in that order, and nothing else (no fontconfig), so what a PNG shows
depends only on them.

Font choice follows resvg's own (usvg's ``FontResolver``): the first family of
a text's ``font-family`` that is installed, else the generic family, which is
set to the first installed of :data:`LATIN`. A text that font cannot draw
whole is given the first face of :data:`FALLBACK` (then any other) that draws
all of it: resvg would draw all of it in such a face anyway (its fallback
reshapes the whole text when one font covers it), but its own fallback takes
the first face in file order (Noto Sans CJK *JP* for Chinese) and ignores the
weight; naming the family lets resvg pick the bold face for bold text. A
character no installed font has is a :class:`Missing`, reported with the
package that brings it, and drawn as the font's box: the PNG is still written.
"""

from __future__ import annotations

import functools
import html
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from journeycode import digest, i18n
from journeycode.quoting import xml_text

LATIN = ("Arial", "Liberation Sans", "Arimo", "Helvetica", "DejaVu Sans", "Noto Sans")
"""What the diagrams' Arial is drawn with, in this order of preference."""
FALLBACK = (
    *LATIN,
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans CJK TC",
    "Source Han Sans TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
"""Families tried, in order, for a text the chosen font cannot draw whole."""
READS_BEST = {"zh-Hant": ("Noto Sans CJK TC", "Source Han Sans TC")}
"""Families tried before FALLBACK's for a reader's language: the same Han
character is drawn differently in Taiwan and the mainland, and a Simplified
Chinese face gives Traditional text the mainland's forms."""
CJK_PACKAGE = "fonts-noto-cjk"
OTHER_PACKAGE = "fonts-dejavu-core or fonts-noto-core"
_CJK_SCRIPTS = {"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"}
_EXTENSIONS = {".ttf", ".otf", ".ttc", ".otc"}
_GENERIC = {"serif", "sans-serif", "cursive", "fantasy", "monospace"}
# One <text> element: Graphviz and the emotion curve write its content on one line, no tspans.
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'\s([\w:-]+)="([^"]*)"')
_ROOT_FAMILY = re.compile(r'<svg\b[^>]*\sfont-family="([^"]*)"')


@dataclass(frozen=True)
class Face:
    """One face of a font file (a collection holds several)."""

    path: Path
    index: int
    family: str
    weight: int
    italic: bool

    @property
    def characters(self) -> frozenset[int]:
        return _coverage(self.path, self.index, *_stamp(self.path))

    def draws(self, text: str) -> bool:
        return all(ord(c) in self.characters for c in text)


@dataclass(frozen=True)
class Missing:
    """Characters of one diagram that no installed font has, by script."""

    file: str
    script: str
    characters: str

    @property
    def package(self) -> str:
        """The Debian package that brings a font with them."""
        return CJK_PACKAGE if self.script in _CJK_SCRIPTS else OTHER_PACKAGE


@dataclass(frozen=True)
class Fonts:
    """Where PNGs take their fonts from: font files in these folders (recursively).
    A test (or a caller that wants no system font) passes its own folders."""

    folders: tuple[Path, ...]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Fonts:
        """``$JOURNEYCODE_FONTS``, then the system's font folders."""
        own = [Path(p) for p in environ.get("JOURNEYCODE_FONTS", "").split(os.pathsep) if p]
        return cls(tuple(own + system_folders(environ)))

    @functools.cached_property
    def files(self) -> tuple[Path, ...]:
        """Every font file, folder by folder, sorted within each; each once."""
        seen: dict[Path, None] = {}
        for folder in self.folders:
            found = [
                p
                for p in _walk(folder)
                if p.suffix.lower() in _EXTENSIONS and p.resolve() not in seen
            ]
            seen.update((p.resolve(), None) for p in sorted(found))
        return tuple(seen)

    @property
    def identity(self) -> str:
        """What a cached PNG depends on of the fonts."""
        return digest.of([(str(p), *_stamp(p)) for p in self.files])

    @functools.cached_property
    def faces(self) -> tuple[Face, ...]:
        return tuple(face for path in self.files for face in _faces(path, *_stamp(path)))

    @functools.cached_property
    def latin(self) -> str | None:
        """The family resvg's generic families (and so an uninstalled Arial) become."""
        families = {f.family for f in self.faces}
        return next(
            (f for f in LATIN if f in families), self.faces[0].family if self.faces else None
        )

    def face(self, families: Sequence[str], bold: bool, italic: bool) -> Face | None:
        """The face resvg takes for a ``font-family`` list (fontdb's query)."""
        for family in [*families, "serif"]:
            name = self.latin if family in _GENERIC else family
            candidates = [f for f in self.faces if f.family == name]
            if candidates:
                wanted = 700 if bold else 400
                return min(candidates, key=lambda f: (f.italic != italic, abs(f.weight - wanted)))
        return None

    def covering(self, text: str, bold: bool, italic: bool) -> Face | None:
        """The first face that draws all of ``text``: the reader's language's
        families (READS_BEST), FALLBACK's, then the rest."""
        first = READS_BEST.get(i18n.current().tag, ())
        order = {name: rank for rank, name in enumerate(dict.fromkeys([*first, *FALLBACK]))}
        families = sorted({f.family for f in self.faces}, key=lambda n: order.get(n, len(order)))
        for family in families:
            face = self.face([family], bold, italic)
            if face is not None and face.draws(text):
                return face
        return None


@dataclass(frozen=True)
class Text:
    """A text of an SVG and the face resvg draws each of its characters with
    (None: no installed font has it)."""

    text: str
    faces: tuple[Face | None, ...]


def system_folders(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where this system keeps fonts: the XDG data folders' ``fonts`` (Linux, BSD),
    the Library's (macOS), Windows' Fonts folders."""
    home = Path(environ.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    if sys.platform == "win32":
        local = environ.get("LOCALAPPDATA", "")
        return [Path(environ.get("WINDIR", r"C:\Windows")) / "Fonts"] + (
            [Path(local) / "Microsoft/Windows/Fonts"] if local else []
        )
    data_home = environ.get("XDG_DATA_HOME") or str(home / ".local/share")
    data_dirs = (environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    return [
        Path(data_home) / "fonts",
        home / ".fonts",
        *(Path(d) / "fonts" for d in data_dirs if d),
    ]


def png(svg: str, fonts: Fonts, file: str, scale: float = 1.0) -> tuple[bytes, list[Missing]]:
    """The PNG of ``svg`` (``scale`` times its size at 96 pixels per inch), and
    what of its text no installed font draws."""
    import resvg_py  # a compiled extension: loaded only when a PNG is drawn

    source = fallback(svg, fonts)
    data = resvg_py.svg_to_bytes(
        svg_string=source,
        skip_system_fonts=True,
        font_files=[str(p) for p in fonts.files],
        serif_family=fonts.latin or "serif",
        sans_serif_family=fonts.latin or "sans-serif",
        font_family=fonts.latin or "serif",
        dpi=96.0,
        zoom=scale,
        background="white",
    )
    return bytes(data), missing(source, fonts, file)


def fallback(svg: str, fonts: Fonts) -> str:
    """``svg`` with each text its font cannot draw whole set in a family that can."""

    def one(match: re.Match[str]) -> str:
        attributes, content = match.group(1), match.group(2)
        families, bold, italic = _style(dict(_ATTRIBUTE.findall(attributes)), root)
        text = html.unescape(content)
        face = fonts.face(families, bold, italic)
        if face is None or face.draws(text):
            return match.group(0)
        cover = fonts.covering(text, bold, italic)
        if cover is None:
            return match.group(0)
        kept = re.sub(r'\sfont-family="[^"]*"', "", attributes)
        return f'<text{kept} font-family="{xml_text(cover.family)}">{content}</text>'

    root = _root_families(svg)
    return _TEXT.sub(one, svg)


def texts(svg: str, fonts: Fonts) -> Iterator[Text]:
    """Every text of ``svg`` and the faces resvg draws it with: its font, then
    for each character still missing the first other face in file order that
    has it, the whole text in that face when it draws all of it (usvg's
    ``shape_text``)."""
    root = _root_families(svg)
    for match in _TEXT.finditer(svg):
        families, bold, italic = _style(dict(_ATTRIBUTE.findall(match.group(1))), root)
        text = html.unescape(match.group(2))
        face = fonts.face(families, bold, italic)
        if face is None:
            yield Text(text, tuple(None for _ in text))
            continue
        chosen: list[Face | None] = [face if face.draws(c) else None for c in text]
        used = [face]
        while None in chosen:
            wanted = ord(text[chosen.index(None)])
            other = next((f for f in fonts.faces if f not in used and wanted in f.characters), None)
            if other is None:
                break
            if other.draws(text):
                chosen = [other for _ in text]
                break
            chosen = [
                c if c is not None or not other.draws(t) else other
                for c, t in zip(chosen, text, strict=True)
            ]
            used.append(other)
        yield Text(text, tuple(chosen))


def missing(svg: str, fonts: Fonts, file: str) -> list[Missing]:
    """What of ``svg``'s text resvg finds in no font, by script (first seen first)."""
    from fontTools import unicodedata

    by_script: dict[str, str] = {}
    for found in texts(svg, fonts):
        for char, face in zip(found.text, found.faces, strict=True):
            if face is None and not char.isspace():
                script = unicodedata.script_name(unicodedata.script(char))
                if char not in by_script.get(script, ""):
                    by_script[script] = by_script.get(script, "") + char
    return [Missing(file, script, chars) for script, chars in by_script.items()]


def _root_families(svg: str) -> str:
    found = _ROOT_FAMILY.search(svg)
    return found.group(1) if found else "serif"


def _style(attributes: dict[str, str], root: str) -> tuple[list[str], bool, bool]:
    families = html.unescape(attributes.get("font-family", root))
    names = [f.strip().strip("'\"") for f in families.split(",") if f.strip()]
    weight = attributes.get("font-weight", "normal")
    bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    return names, bold, attributes.get("font-style", "normal") in ("italic", "oblique")


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for top, _, names in os.walk(folder, followlinks=True):
        found.extend(Path(top) / n for n in names)
    return found


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_size, info.st_mtime_ns)


@functools.cache
def _faces(path: Path, size: int, mtime: int) -> tuple[Face, ...]:
    """The faces of one font file (size and mtime: a changed file is read again)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = list(TTCollection(str(path), lazy=True).fonts)
        else:
            fonts = [TTFont(str(path), lazy=True)]
        faces = []
        for index, font in enumerate(fonts):
            name = font["name"]
            family = name.getDebugName(16) or name.getDebugName(1)
            os2 = font.get("OS/2")
            weight = os2.usWeightClass if os2 is not None else 400
            italic = bool(os2.fsSelection & 1) if os2 is not None else False
            if family:
                faces.append(Face(path, index, family, weight, italic))
        return tuple(faces)
    except (OSError, TTLibError, KeyError, AssertionError):
        return ()  # not a font fontTools can read: resvg cannot draw with it either


@functools.cache
def _coverage(path: Path, index: int, size: int, mtime: int) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            font = TTCollection(str(path), lazy=True).fonts[index]
        else:
            font = TTFont(str(path), lazy=True)
        return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError, KeyError, AssertionError):
        return frozenset()
