"""The documentation of every rule: the pipeline's own checks (from
:mod:`journeycode.pipeline_rules`), then the rule modules, from their docstrings.

A doc is translated a block at a time: each paragraph, list or example map
is one message of the catalogs (``make catalogs`` extracts them with
:func:`prose`); an example's translation keeps its ids and keys, and the
tests check it as they check the English one.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import cast

from journeycode import i18n, pipeline_rules
from journeycode.problems import Level
from journeycode.rules import REGISTRY

_FENCE = re.compile(r"^```")


def blocks(text: str) -> Iterator[str]:
    """The blocks of a Markdown doc: paragraphs, lists, and fenced examples
    whole, blank lines and all."""
    block: list[str] = []
    fenced = False
    for line in text.strip().split("\n"):
        if _FENCE.match(line):
            if block and not fenced:
                yield "\n".join(block)
                block = []
            block.append(line)
            if fenced:
                yield "\n".join(block)
                block = []
            fenced = not fenced
        elif fenced or line.strip():
            block.append(line)
        elif block:
            yield "\n".join(block)
            block = []
    if block:
        yield "\n".join(block)


def worded(block: str) -> bool:
    """Whether a block has words to translate: prose and example maps do; a
    contact flow's export (``json``) is the platform's, as it was exported."""
    return not block.startswith("```") or block.startswith("```yaml\n")


def translated(text: str) -> str:
    """``text`` in the reader's language, block by block; English as written."""
    if i18n.current().english:
        return text
    return "\n\n".join(i18n.gettext(b) if worded(b) else b for b in blocks(text))


@dataclass(frozen=True)
class Doc:
    id: str
    level: Level
    text: str

    @property
    def summary(self) -> str:
        return self.text.strip().splitlines()[0]

    @property
    def said(self) -> str:
        """The text in the reader's language."""
        return translated(self.text)

    @property
    def said_summary(self) -> str:
        """The summary in the reader's language (the first block is its line)."""
        return i18n.gettext(self.summary)


DOCS: dict[str, Doc] = {
    **{rule: Doc(rule, pipeline_rules.LEVEL, text) for rule, text in pipeline_rules.DOCS.items()},
    **{
        rule.ID: Doc(rule.ID, rule.LEVEL, inspect.cleandoc(rule.__doc__ or ""))
        for rule in REGISTRY.values()
    },
}


def prose() -> Iterator[tuple[str, str]]:
    """Every block of the docs, with the file it is written in, for the catalogs."""
    for doc in DOCS.values():
        # A rule is its module (rules.base.Rule); the pipeline's checks are documented together.
        module = cast("ModuleType", REGISTRY.get(doc.id, pipeline_rules))
        where = inspect.getsourcefile(module)
        for block in filter(worded, blocks(doc.text)):
            yield block, str(where)
