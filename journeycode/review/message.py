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

The words are :class:`Sentence` parts, whole sentences of the catalogs with
named fields (``sentence("{subject} added to stage {stage}", ...)``),
translated when the message is rendered, in the language of the run
(:func:`journeycode.i18n.using`): a review compared in one language reads in
any other. A plain ``str`` part is a value (map text, a number), never translated.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from journeycode import kinds
from journeycode.i18n import N_, gettext, ngettext
from journeycode.model import Entity
from journeycode.quoting import markdown_code, markdown_inline

UNSET = N_("not set")
"""What a message says for a value that is not set (a :func:`word`)."""


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


@dataclass(frozen=True)
class Sentence:
    """Words of the catalogs: ``msgid`` (English, with ``{name}`` fields; its
    ``plural`` chosen by ``count``), said in the reader's language when
    rendered, each field put in where the translation has it."""

    msgid: str
    fields: tuple[tuple[str, Message], ...] = ()
    plural: str | None = None
    count: int = 0

    def words(self) -> str:
        if self.plural is None:
            return gettext(self.msgid)
        return ngettext(self.msgid, self.plural, self.count)

    def ordered(self) -> Iterator[Message]:
        """The fields in the order the English sentence has them."""
        by_name = dict(self.fields)
        for _, name, _, _ in string.Formatter().parse(self.msgid):
            if name is not None and name in by_name:
                yield by_name[name]


@dataclass(frozen=True)
class Value:
    """A value written in the reader's language when the message is rendered
    (a KPI's value in its unit, a status): ``function(*args)``."""

    function: Callable[..., str]
    args: tuple[Any, ...] = ()


Part = str | Mention | Ref | Sentence | Value
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
        """The entities named, in the order the English message names them."""
        found: list[Mention] = []
        for part in self.parts:
            if isinstance(part, Mention):
                found.append(part)
            elif isinstance(part, Sentence):
                for inner in part.ordered():
                    found += inner.mentions
        return tuple(found)

    def resolved(self, names: Names) -> Message:
        """Each :class:`Ref` made a :class:`Mention` with the name ``names`` gives it."""
        return Message(tuple(_resolved(part, names) for part in self.parts), self.subject)


def _resolved(part: Part, names: Names) -> Part:
    if isinstance(part, Ref):
        return _mention(part.kind, part.id, names(part.kind, part.id))
    if isinstance(part, Sentence):
        fields = tuple((name, value.resolved(names)) for name, value in part.fields)
        return Sentence(part.msgid, fields, part.plural, part.count)
    return part


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
    label = kinds.of(item).label
    kind = word(KIND_WORDS.get(label, label))
    return Message(
        (Sentence(N_("{kind} {entity}"), (("kind", kind), ("entity", say(subject)))),), subject
    )


KIND_WORDS = {
    "persona": N_("persona"),
    "channel": N_("channel"),
    "owner": N_("owner"),
    "system": N_("system"),
    "KPI": N_("KPI"),
    "journey": N_("journey"),
    "stage": N_("stage"),
    "touchpoint": N_("touchpoint"),
    "pain point": N_("pain point"),
    "opportunity": N_("opportunity"),
}
"""Each kind's label (:attr:`journeycode.kinds.Kind.label`) marked for the
catalogs, as :func:`named` says it in the reader's language."""


def ref(kind: str, ident: str) -> Ref:
    return Ref(kind, ident)


Field = str | int | Part | Message


def _field(value: Field) -> Message:
    if isinstance(value, Message):
        return value
    return say(str(value) if isinstance(value, int) else value)


def sentence(msgid: str, /, **fields: Field) -> Message:
    """Words of the catalogs with named fields: ``sentence("{subject} added",
    subject=named(stage))``; its subject is that of the first field (in the
    English order) that has one."""
    return _sentence(Sentence(msgid, tuple((k, _field(v)) for k, v in fields.items())))


def sentences(singular: str, plural: str, count: int, /, **fields: Field) -> Message:
    """As :func:`sentence`, its words chosen by ``count`` (``{count}`` in them)."""
    given = {"count": count, **fields}
    parts = tuple((k, _field(v)) for k, v in given.items())
    return _sentence(Sentence(singular, parts, plural, count))


def _sentence(part: Sentence) -> Message:
    subject = next((m.subject for m in part.ordered() if m.subject is not None), None)
    return Message((part,), subject)


def later(function: Callable[..., str], *args: Any) -> Message:
    """``function(*args)``, written when the message is rendered (:class:`Value`)."""
    return Message((Value(function, args),))


def word(msgid: str) -> Message:
    """A word of the catalogs alone (:data:`UNSET`, a field's name)."""
    return Message((Sentence(msgid),))


def say(*parts: str | Part | Message) -> Message:
    """A message of parts and messages one after the other (a ``str`` part is
    a value, not translated); its subject is that of the first
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


def listed(items: Iterable[Part | Message], empty: str = N_("none"), sep: str = ", ") -> Message:
    """Entities or values joined by ``sep`` (``, `` as the reader's language
    lists things); the word ``empty`` for none."""
    joiner = Sentence(_LIST) if sep == ", " else sep
    parts: list[str | Part | Message] = []
    for index, item in enumerate(items):
        parts += [joiner, item] if index else [item]
    return say(*parts) if parts else word(empty)


_LIST = N_(", ")
"""Between the items of a list (``、`` in Chinese)."""


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
    """The message in ``style`` and the reader's language, with words escaped
    for it in Markdown; text is returned as is, for the caller's
    :func:`~journeycode.quoting.terminal` or annotation to quote."""
    written: list[str] = []
    _render(message, style, written)
    return "".join(written)


def _render(message: Message, style: Style, written: list[str]) -> None:
    for part in message.parts:
        if isinstance(part, Sentence):
            fields = dict(part.fields)
            for literal, name, _, _ in string.Formatter().parse(part.words()):
                if literal:
                    _text(literal, style, written)
                if name is not None:
                    _render(fields[name], style, written)
        elif isinstance(part, str):
            _text(part, style, written)
        elif isinstance(part, Value):
            _text(part.function(*part.args), style, written)
        else:
            written.append(mention_text(part, style))


def _text(text: str, style: Style, written: list[str]) -> None:
    """Words or a value; in Markdown escaped, as the start of a line when nothing is before it."""
    if style is MARKDOWN:
        text = markdown_inline(text, line_start=not any(written))
    written.append(text)
