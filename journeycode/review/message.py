"""A change's message: words and the entities it names, written once and
rendered for each format by :func:`render`.

The table (:mod:`journeycode.review.fields`) and the walker
(:mod:`journeycode.review.compare`) build a :class:`Message` with :func:`say`
from plain words and entities (:func:`named` for ``touchpoint «Billing line
menu» (ivr-menu)``, :func:`mention` for the entity alone, :func:`ref` for an id
whose name the comparer looks up). Every format names an entity the way the
maps do, by its name first and its id after it:

* text, annotations and JSON's ``message`` (:data:`TEXT`): ``«Billing line
  menu» (ivr-menu)``;
* Markdown (:data:`MARKDOWN`): ``Billing line menu (`ivr-menu`)``.

An entity without a name, or whose name is its id, is shown once, by its id.
A value that is not set is said so (:data:`UNSET`), never shown as ``None``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from journeycode import kinds
from journeycode.model import Entity
from journeycode.quoting import markdown_code, markdown_inline

UNSET = "not set"
"""What a message says for a value that is not set."""


@dataclass(frozen=True)
class Mention:
    """An entity a message names."""

    kind: str
    """Its kind's name in :data:`journeycode.kinds.KINDS`."""
    id: str
    name: str | None = None
    """Its name; None when it has none, or it is its id."""

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class Ref:
    """An entity named by its id alone, until the comparer, which has both
    sides' workspaces, looks its name up (:meth:`Message.resolved`)."""

    kind: str
    id: str


Part = str | Mention | Ref
Names = Callable[[str, str], str | None]
"""(kind, id) → its name, or None when there is no such entity or it has none."""


@dataclass(frozen=True)
class Message:
    parts: tuple[Part, ...]
    subject: Mention | None = None
    """What the change is about; None when no one entity is."""

    def __str__(self) -> str:
        return render(self, TEXT)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(part for part in self.parts if isinstance(part, Mention))

    def resolved(self, names: Names) -> Message:
        """Each :class:`Ref` made a :class:`Mention` with the name ``names`` gives it."""
        return Message(
            tuple(
                _mention(part.kind, part.id, names(part.kind, part.id))
                if isinstance(part, Ref)
                else part
                for part in self.parts
            ),
            self.subject,
        )


def _mention(kind: str, ident: str, name: str | None) -> Mention:
    shown = name if name and name.strip() and name != ident else None
    return Mention(kind, ident, shown)


def mention(item: Entity) -> Mention:
    """The entity as a message names it (its name, or its id alone)."""
    return _mention(kinds.of(item).name, item.id, getattr(item, "name", None))


def named(item: Entity) -> Message:
    """The entity with its kind in front, the subject of the message it starts:
    ``touchpoint «Billing line menu» (ivr-menu)``."""
    subject = mention(item)
    return Message((f"{kinds.of(item).label} ", subject), subject)


def ref(kind: str, ident: str) -> Ref:
    return Ref(kind, ident)


def say(*parts: str | Part | Message) -> Message:
    """A message of words and entities; its subject is that of the first
    :class:`Message` among ``parts`` (:func:`named`), else None."""
    flat: list[Part] = []
    subject = None
    for part in parts:
        if isinstance(part, Message):
            subject = subject or part.subject
            flat.extend(part.parts)
        elif part != "":
            flat.append(part)
    return Message(tuple(flat), subject)


def listed(items: Iterable[Part], empty: str = "none", sep: str = ", ") -> Message:
    """Entities or words joined by ``sep``; ``empty`` for none."""
    parts: list[Part] = []
    for index, item in enumerate(items):
        parts += [sep, item] if index else [item]
    return Message(tuple(parts) or (empty,))


class Style(enum.Enum):
    TEXT = "text"
    MARKDOWN = "markdown"


TEXT, MARKDOWN = Style.TEXT, Style.MARKDOWN


def mention_text(mention: Mention | Ref, style: Style) -> str:
    """One entity in ``style``: in Markdown its name escaped and its id in a
    code span; in text its name in guillemets and its id in brackets."""
    name = mention.name if isinstance(mention, Mention) else None
    if style is MARKDOWN:
        code = markdown_code(mention.id)
        return code if name is None else f"{markdown_inline(name)} ({code})"
    return mention.id if name is None else f"«{name}» ({mention.id})"


def render(message: Message, style: Style) -> str:
    """The message in ``style``, with words escaped for it in Markdown; text is
    returned as is, for the caller's :func:`~journeycode.quoting.terminal` or
    annotation to quote."""
    return "".join(
        mention_text(part, style)
        if not isinstance(part, str)
        else (markdown_inline(part, line_start=not index) if style is MARKDOWN else part)
        for index, part in enumerate(message.parts)
    )
