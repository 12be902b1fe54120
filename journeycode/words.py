"""How the schema's fixed values read: a channel's mode, a pain point's
severity, a journey's and an opportunity's status.

The value is what maps write and what behaviour keys on (a colour, an order);
a reader sees its word here, translated where it is shown (:func:`word`), so a
translation never changes what is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

from journeycode import i18n
from journeycode.i18n import N_, _

WORDS: Mapping[str, str] = {
    # channel modes
    "self-service": N_("self-service"),
    "automated": N_("automated"),
    "assisted": N_("assisted"),
    # pain point severities
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    # journey statuses
    "draft": N_("draft"),
    "review": N_("review"),
    "published": N_("published"),
    "retired": N_("retired"),
    # opportunity statuses
    "idea": N_("idea"),
    "planned": N_("planned"),
    "in-progress": N_("in-progress"),
    "done": N_("done"),
}
"""Each fixed value's words, in English (the catalogs' msgids)."""


def word(value: str) -> str:
    """``value`` as the reader's language says it; a value the schema does not
    fix (it cannot reach here from a valid map) as it is."""
    return _(WORDS[value]) if value in WORDS else value


def listed(names: list[str]) -> str:
    """Names one after another: ``a, b`` in English as journeycode always wrote
    them, the language's own way otherwise (``a и b``, ``a和b``)."""
    if i18n.current().english:
        return ", ".join(names)
    from babel.lists import format_list

    return format_list(names, style="standard", locale=i18n.babel_locale())
