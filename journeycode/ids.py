# ruff: noqa: RUF001, RUF002  (Cyrillic letters that look Latin are the point)
"""An id for a text an author wrote where an id goes: Latin letters, digits, '-'.

Cyrillic is transliterated by the table of ICAO Doc 9303 (part 3), the scheme
of machine-readable passports (Russia's since 2013): it writes every letter
with a–z alone, so its result is an id, where ISO 9 needs diacritics and
GOST 7.79 system B apostrophes. Latin letters with diacritics lose them.
Other scripts (Chinese, Arabic, Greek…) have no table here: their authors are
told to write an id themselves and keep the text as the name.
"""

from __future__ import annotations

import re
import unicodedata

# ICAO Doc 9303, part 3, Cyrillic (Russian, Ukrainian, Belarusian, Serbian,
# Macedonian letters); the hard and soft signs: "ie" and nothing.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
    "ђ": "d", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "g",
    "ѕ": "dz", "ќ": "k",
}  # fmt: skip
# Latin letters that decomposition leaves as they are.
_LATIN = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_NOT_ID = re.compile(r"[^a-z0-9]+")


def latin(text: str) -> str:
    """``text`` in lowercase with Cyrillic transliterated and diacritics dropped;
    letters of other scripts are left as they are."""
    # Decomposed first, so that a letter with a mark (ѐ, ѓ) is found in the
    # table as its base letter.
    decomposed = unicodedata.normalize("NFKD", text.lower()).translate(_TABLE)
    composed = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", composed)


def cyrillic(text: str) -> bool:
    """Whether ``text`` holds a Cyrillic letter (which :func:`latin` transliterates)."""
    return any(char in _CYRILLIC for char in text.lower())


def foreign(text: str) -> bool:
    """Whether ``text`` holds a letter no table here writes in Latin letters."""
    return any(
        unicodedata.category(char).startswith("L") and not char.isascii() for char in latin(text)
    )


def suggested(text: str) -> str | None:
    """The id ``text`` reads as (``Бот разблокировка`` → ``bot-razblokirovka``),
    or None when it has letters of another script or nothing an id can keep."""
    if foreign(text):
        return None
    return _NOT_ID.sub("-", latin(text)).strip("-") or None
