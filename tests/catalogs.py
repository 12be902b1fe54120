"""The message catalogs, made with Babel: ``make catalogs`` (``python -m
tests.catalogs``) extracts every marked word from the package (and the prose
that is data: the rules' docs, the schema's descriptions), updates each
language's ``.po`` and compiles its ``.mo``, the file the wheel ships;
tests/test_catalogs.py fails on a word a language has not translated.

The options are here once, for ``pybabel`` and the test alike: ``.po`` files
sorted by msgid and located by file only, so that two branches that mark
different words touch different lines.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from journeycode import i18n

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "journeycode"
KEYWORDS = ("msg", "msgs:1,2", "sentence", "sentences:1,2")
"""journeycode's own markers (:mod:`journeycode.i18n`), beside gettext's."""
LOCALES = tuple(language.locale for language in i18n.LANGUAGES.values() if not language.english)


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


MAPPING = """\
[python: **.py]
[jinja2: **/templates/**.j2]
"""
"""Where the words are: the package's Python, and the site's page templates
(Jinja2's own extractor: ``{{ _("Journeys") }}``, ``{% trans %}``)."""


def extract(template: Path) -> None:
    keywords = [flag for keyword in KEYWORDS for flag in ("-k", keyword)]
    mapping = template.with_name("babel.cfg")
    mapping.write_text(MAPPING, "utf-8")
    _pybabel(
        "extract",
        "-F",
        str(mapping),
        *keywords,
        "--sort-output",
        "--add-location=file",
        "--no-wrap",
        "--project=journeycode",
        "--copyright-holder=the journeycode authors",
        "-o",
        str(template),
        str(PACKAGE.relative_to(Path.cwd()) if PACKAGE.is_relative_to(Path.cwd()) else PACKAGE),
    )
    catalog = read(template)
    for text, where in prose():
        catalog.add(text, locations=[(where, 0)])  # by file only, as the rest
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False)
    template.write_bytes(out.getvalue())


def prose() -> Iterator[tuple[str, str]]:
    """The words that are data rather than code: each block of the rules'
    docs, and the schema's descriptions (the field reference), with the file
    each is written in."""
    from journeycode.rules import docs
    from journeycode.site import reference

    for text, where in docs.prose():
        yield text, Path(where).resolve().relative_to(ROOT).as_posix()
    schema = (PACKAGE / "journeycode.schema.json").relative_to(ROOT).as_posix()
    for text in reference.prose():
        yield text, schema


def po_path(locale: str) -> Path:
    return i18n.LOCALE_DIR / locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def update() -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / f"{i18n.DOMAIN}.pot"
        extract(template)
        for locale in LOCALES:
            command = "update" if po_path(locale).exists() else "init"
            extra = ["--ignore-pot-creation-date", "--no-fuzzy-matching", "--ignore-obsolete"]
            _pybabel(
                command,
                "-i",
                str(template),
                "-d",
                str(i18n.LOCALE_DIR),
                "-D",
                i18n.DOMAIN,
                "-l",
                locale,
                "--no-wrap",
                *(extra if command == "update" else []),
            )
            _sort(po_path(locale))
            # Compiled here, not by ``pybabel compile``: its python-format check
            # takes the "8% of" of a rule's doc for a placeholder; problems()
            # checks the fields journeycode's messages really have.
            po = po_path(locale)
            po.with_suffix(".mo").write_bytes(compiled(read(po)))


def _sort(path: Path) -> None:
    """``pybabel update`` keeps the template's order but not its sorting flag:
    write the catalog again sorted, without line numbers."""
    catalog = read(path)
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False)
    path.write_bytes(out.getvalue())


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def template() -> Catalog:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{i18n.DOMAIN}.pot"
        extract(path)
        return read(path)


_FIELD = re.compile(r"\{(\w*)[^{}]*\}|%\((\w+)\)s")


def fields(text: str) -> set[str]:
    """The fields a message names: ``str.format``'s, and the ``%(name)s`` of
    Jinja2's ``{% trans %}``."""
    return {brace or percent for brace, percent in _FIELD.findall(text)}


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def problems() -> Iterator[str]:
    """What each language's catalog lacks or gets wrong, one line each."""
    wanted = template()
    ids = {message.id for message in wanted if message.id}
    for locale in LOCALES:
        path = po_path(locale)
        if not path.exists():
            yield f"{locale}: no catalog (make catalogs)"
            continue
        catalog = read(path)
        have = {message.id: message for message in catalog if message.id}
        for key in sorted(ids - have.keys(), key=str):
            yield f"{locale}: {key!r} is not in the catalog (make catalogs)"
        for key in sorted(have.keys() - ids, key=str):
            yield f"{locale}: {key!r} is no longer used (make catalogs)"
        for key, message in have.items():
            sources = [str(key)] if isinstance(key, str) else [str(k) for k in key]
            given = message.string
            strings = [given] if isinstance(given, str) else [str(s or "") for s in given or ()]
            if message.fuzzy:
                yield f"{locale}: {key!r} is fuzzy"
            if not all(strings):
                yield f"{locale}: {key!r} is not translated"
                continue
            for string in strings:
                if fields(string) != fields(sources[-1]):
                    yield f"{locale}: {key!r}: the translation names {sorted(fields(string))}"
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            yield f"{locale}: {mo.name} is not compiled from the .po (make catalogs)"


if __name__ == "__main__":
    update()
    found = list(problems())
    print("\n".join(found) or "every catalog is complete", file=sys.stderr)
    sys.exit(1 if found else 0)
