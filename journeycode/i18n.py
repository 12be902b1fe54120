"""The languages journeycode writes in, and the one way a word reaches a reader.

A workspace's ``language`` setting (``maps/journeycode.yaml``), a command's
``--language`` or the MkDocs theme's ``language`` picks one of
:data:`LANGUAGES`; the words are gettext catalogs (``journeycode/locale``, made
with Babel: ``make catalogs``), the numbers, units and dates Babel's CLDR data.

Two kinds of text:

* words written for a reader now (a page, a diagram, a review): ``_("Journeys")``,
  ``ngettext(...)``, in the language :func:`using` set for the work at hand;
* words the core makes once and keeps (a problem's message, cached on disk):
  :func:`msg` and :func:`msgs` make a :class:`Msg`, a ``str`` that reads as
  English wherever it is used as one, and that :func:`say` puts into the
  reader's language when it is shown. Its parts are kept as plain data, so a
  cache written in one language serves every other.

English is the catalogs' source: in English every word is the msgid itself,
and output is what it was before there were other languages.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import gettext as _gettext
import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "journeycode"


@dataclass(frozen=True)
class Language:
    tag: str
    """The BCP 47 tag, as the settings name it: ``ru``, ``zh-Hans``."""
    name: str
    """The language's own name for itself."""
    locale: str
    """Babel's (and the catalog folder's) name: ``zh_Hans``."""

    @property
    def english(self) -> bool:
        return self.tag == "en"


ENGLISH = Language("en", "English", "en")
LANGUAGES: Mapping[str, Language] = {
    language.tag: language
    for language in (
        ENGLISH,
        Language("ru", "Русский", "ru"),
        Language("zh-Hans", "简体中文", "zh_Hans"),
        Language("zh-Hant", "繁體中文", "zh_Hant"),
    )
}
"""Every language journeycode writes in, by tag."""

ALIASES: Mapping[str, str] = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "zh-hant-tw": "zh-Hant",
}
"""Other tags for the same written language (regions that write it)."""


_NAMES = {
    "english": "en",
    "russian": "ru",
    "русский": "ru",
    "chinese": "zh-Hans",
    "simplified chinese": "zh-Hans",
    "traditional chinese": "zh-Hant",
    "中文": "zh-Hans",
    "简体中文": "zh-Hans",
    "繁體中文": "zh-Hant",
}
"""Languages named instead of tagged, for the did-you-mean only: a setting is a tag."""


class UnknownLanguage(ValueError):
    """A tag journeycode does not write in; ``hint`` names the closest it does."""

    def __init__(self, tag: str):
        # Here, not at the top: suggest's hints are messages of this module.
        from journeycode import suggest

        self.tag = tag
        lower = tag.strip().lower()
        close = (
            _NAMES.get(lower)
            or suggest.closest(tag, LANGUAGES)
            or suggest.closest(lower, ALIASES)
            or suggest.closest(lower, _NAMES)
        )
        close = ALIASES.get(close, _NAMES.get(close, close)) if close else None
        self.suggestion = close
        self.hint = suggest.hint(close) or msg(
            "journeycode writes in {languages}", languages=", ".join(LANGUAGES)
        )
        self.message = msg("unknown language {tag}", tag=suggest.show(tag))
        super().__init__(self.message)


def resolve(tag: str) -> Language:
    """The language a BCP 47 tag names: ``ru-RU`` is ``ru``, ``zh-CN``
    ``zh-Hans``; case and ``_`` for ``-`` do not matter."""
    if not isinstance(tag, str):
        raise UnknownLanguage(str(tag))
    key = tag.strip().replace("_", "-").lower()
    by_lower = {t.lower(): t for t in LANGUAGES}
    if key in by_lower:
        return LANGUAGES[by_lower[key]]
    if key in ALIASES:
        return LANGUAGES[ALIASES[key]]
    base = key.split("-", 1)[0]
    # A region of a language written one way everywhere (ru-RU, en-GB).
    if base in by_lower and base != "zh":
        return LANGUAGES[by_lower[base]]
    raise UnknownLanguage(tag)


_current: contextvars.ContextVar[Language] = contextvars.ContextVar("language", default=ENGLISH)


def current() -> Language:
    """The language of the work at hand (English unless :func:`using` says)."""
    return _current.get()


@contextlib.contextmanager
def using(language: Language | str | None) -> Iterator[Language]:
    """Write in ``language`` (a :class:`Language` or a tag; None: as before)
    within the block."""
    chosen = current() if language is None else language
    if isinstance(chosen, str):
        chosen = resolve(chosen)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@cache
def _translations(locale: str) -> _gettext.NullTranslations:
    if locale == ENGLISH.locale:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale])


def gettext(message: str) -> str:
    return _translations(current().locale).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations(current().locale).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _translations(current().locale).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return _translations(current().locale).npgettext(context, singular, plural, count)


def N_(message: str) -> str:
    """Marks a word for the catalogs where it is defined (a table); it is
    translated where it is shown, with :func:`gettext`."""
    return message


def babel_locale() -> Locale:
    """The reader's language as Babel's CLDR data knows it (numbers, units, dates)."""
    return _locale(current().locale)


def load_formats() -> None:
    """What writing numbers, units, dates and lists in the current language
    imports on first use, imported now, before a second thread writes in it
    too: two threads importing one package at once can each meet the other's
    module half made, and fail. Nothing in English, which does not use Babel."""
    if not current().english:
        babel_locale()
        for module in ("babel.numbers", "babel.units", "babel.dates", "babel.lists"):
            importlib.import_module(module)


@cache
def _locale(name: str) -> Locale:
    # Babel is imported when a number is first written in another language:
    # a check in English does not pay for loading it.
    from babel import Locale

    return Locale.parse(name)


@dataclass(frozen=True)
class Figure:
    """A KPI's figure in its unit (``≥ 75 %``, ``7 min 30 s``), kept as numbers
    and written the reader's way when said (:func:`journeycode.values.written`)."""

    number: float
    unit: str
    scale: tuple[float, float] | None = None
    """A score's range: ``4.2 / 5``."""
    way: str = ""
    """``≤ `` or ``≥ `` before a target."""


Arg = Any
"""A part of a :class:`Msg`: map text or a number (kept as it is), a date
(written as the reader's language writes dates), a :class:`Figure` or another
:class:`Msg`."""


class Msg(str):
    """A message the core made: English text, with the msgid and the parts to
    say it again in another language (:func:`say`)."""

    msgid: str
    plural: str | None
    number: int | None
    args: tuple[tuple[str, Arg], ...]

    def __new__(
        cls,
        msgid: str,
        args: Mapping[str, Arg],
        plural: str | None = None,
        count: int | None = None,
    ) -> Msg:
        parts = tuple(args.items())
        if _current.get().english:  # most messages are made so: no block to enter
            text = _said(msgid, plural, count, parts)
        else:
            with using(ENGLISH):
                text = _said(msgid, plural, count, parts)
        made = super().__new__(cls, text)
        made.msgid, made.plural, made.number, made.args = msgid, plural, count, parts
        return made

    def plain(self) -> tuple[Any, ...]:
        """The message as plain values (a cache's ``marshal``)."""
        return (self.msgid, self.plural, self.number, tuple((k, _plain(v)) for k, v in self.args))

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> Msg:
        msgid, plural, count, args = plain
        return cls(msgid, {k: _unplain(v) for k, v in args}, plural, count)


def _plain(value: Arg) -> Any:
    if isinstance(value, Msg):
        return ("msg", value.plain())
    if isinstance(value, datetime.date):
        return ("date", value.isoformat())
    if isinstance(value, Figure):
        return ("figure", (value.number, value.unit, value.scale, value.way))
    return value


def _unplain(value: Any) -> Arg:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "msg":
        return Msg.from_plain(value[1])
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "date":
        return datetime.date.fromisoformat(value[1])
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "figure":
        number, unit, scale, way = value[1]
        return Figure(number, unit, None if scale is None else (scale[0], scale[1]), way)
    return value


def stored(text: str | None) -> Any:
    """A message or hint as plain values for a cache; :func:`restored` reverses it."""
    return ("msg", text.plain()) if isinstance(text, Msg) else text


def restored(plain: Any) -> Any:
    return _unplain(plain) if isinstance(plain, tuple) else plain


def msg(msgid: str, /, **args: Arg) -> Msg:
    """A message to keep: ``msg("unknown channel '{id}'", id=ident)``."""
    return Msg(msgid, args)


def msgs(singular: str, plural: str, count: int, /, **args: Arg) -> Msg:
    """A message to keep whose words follow a count (``{count}`` in them)."""
    return Msg(singular, {"count": count, **args}, plural, count)


def _said(
    msgid: str, plural: str | None, count: int | None, args: tuple[tuple[str, Arg], ...]
) -> str:
    words = gettext(msgid) if plural is None else ngettext(msgid, plural, count or 0)
    return words.format(**{name: say(value) for name, value in args}) if args else words


def say(text: Any) -> str:
    """``text`` in the reader's language: a :class:`Msg` said again, a date
    written the reader's way; map text and anything else as it is."""
    if isinstance(text, Msg):
        if current().english:
            return str.__str__(text)
        return _said(text.msgid, text.plural, text.number, text.args)
    if isinstance(text, datetime.date):
        return date(text)
    if isinstance(text, Figure):
        # Here, not at the top: values writes its words with this module.
        from journeycode import values

        return text.way + values.written(text.number, text.unit, text.scale)
    return str(text)


def date(day: datetime.date) -> str:
    """A date: ISO 8601 in English (as journeycode always wrote it), the
    language's own long form otherwise (``31 октября 2026 г.``, ``2026年10月31日``)."""
    if current().english:
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale())
