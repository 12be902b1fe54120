"""The one shape of a report format, for check, coverage, diff and export alike.

A command's formats are a :class:`Formats` table of :class:`Format` entries:
the name ``--format`` takes, the words its help gives it, whether it takes
colour or ``--strict``, and a function from that command's results and the
:class:`Options` to text. Every function takes the options, as every format
of a command is called alike; it reads only those its entry says it takes.
The command line reads its choices and help from the table and decides the
options once for every command; adding a format is one function and one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

Subject = TypeVar("Subject")


@dataclass(frozen=True)
class Options:
    """What the command line decides for a report: a format reads those it takes."""

    color: bool = False
    """ANSI colours: standard output is a terminal and ``NO_COLOR`` is not set."""
    strict: bool = False
    """Warnings fail the check (``--strict``)."""
    shows_all: str | None = None
    """``check --errors-first``: the command that lists the problems the text
    report only counts."""

    def paint(self, code: str, text: str) -> str:
        """``text`` in the ANSI style ``code`` (``31`` red, ``1`` bold) when colour is on."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text


PLAIN = Options()


@dataclass(frozen=True)
class Format(Generic[Subject]):
    """One ``--format`` choice."""

    name: str
    summary: str
    """Its words in ``--help``, after its name: ``text for people``."""
    render: Callable[[Subject, Options], str]
    color: bool = False
    """It paints for a terminal when ``Options.color`` says so."""
    strict: bool = False
    """It says what fails the check, which ``--strict`` changes, so ``--min-level``
    may not hide warnings from it then."""


class Formats(Generic[Subject]):
    """A command's formats by name, in the order ``--help`` lists them."""

    def __init__(self, *formats: Format[Subject]) -> None:
        self._by_name = {f.name: f for f in formats}

    def __getitem__(self, name: str) -> Format[Subject]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def help(self) -> str:
        """``text for people, json for tools.``"""
        return ", ".join(f"{f.name} {f.summary}" for f in self._by_name.values()) + "."
