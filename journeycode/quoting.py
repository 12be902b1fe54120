"""All escaping of user text, in one place.

Every string from a map that enters DOT, an SVG, a Mermaid diagram or a site
page goes through a function here; nothing else builds those strings from
user text.
Node ids are generated (``n0``, ``n1`` …), never taken from the maps.

DOT strings are double-quoted with backslashes and quotes escaped, so
Graphviz's own escapes (``\\N``, ``\\G``, ``\\l`` …) show literally; HTML-like
labels are entity-escaped with backslashes doubled (Graphviz expands its
escapes there too); SVG text is entity-escaped; Mermaid text has look-alikes
for the characters Mermaid reads (and a word joiner before a keyword that
starts it); Markdown text has every character
Markdown or HTML could read as syntax written as an HTML entity; titles (of
pages and navigation entries) hold no HTML syntax character at all. A
journey's name on a site page is a token until the page is converted, then put
in escaped for HTML (or for Markdown, for pages written out as Markdown); map
text cannot make a token, since Markdown text escapes its characters too.
Terminal text (reports, logs, errors) stays on its line and never starts one
with a workflow command.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

# Characters that Mermaid reads (see mermaid_text), each made a look-alike:
# RATIO, REVERSED SEMICOLON, and the FULLWIDTH forms of # % < >. The byte
# order mark is white space to Mermaid's lexer (JavaScript's \s), not to
# Python's str.split.
_MERMAID = str.maketrans(
    {
        ":": "\u2236",
        ";": "\u204f",
        "#": "\uff03",
        "%": "\uff05",
        "<": "\uff1c",
        ">": "\uff1e",
        "\ufeff": " ",
    }
)
# Persona names are listed after a task, separated by commas: a comma in one
# becomes SINGLE LOW-9 QUOTATION MARK, which every font draws as a comma.
_MERMAID_ACTOR = str.maketrans({",": "\u201a"})
# Mermaid's journey lexer tries its keyword rules before a task's name, case
# insensitively: a task named "title X" becomes the diagram's title, "accTitle"
# or "accDescr {" its accessible title or description (the latter swallowing
# the lines up to a "}"), "section X" or "journey" a syntax error. A WORD
# JOINER (invisible, and neither white space nor a word character to the
# lexer) in front makes the line a task again.
_MERMAID_KEYWORD = re.compile("journey|title|section|acctitle|accdescr", re.IGNORECASE)
# What a diagram and its heading show for a name with nothing visible in it:
# Mermaid would drop such a line, or fail on it.
UNNAMED = "(no name)"


# Themes print titles raw, in attributes, escaped, or through ``striptags``,
# which turns entities back into markup: only a title with no HTML syntax
# character is safe in all of them. Each becomes a look-alike.
_TITLE = str.maketrans(
    {"<": "\uff1c", ">": "\uff1e", "&": "\uff06", '"': "\u201d", "'": "\u2019", "`": "\u02cb"}
)


def dot_string(text: str) -> str:
    """A DOT quoted string that Graphviz displays exactly as ``text``. Graphviz
    reads HTML entities in quoted labels too (``&amp;`` shows as ``&``), so
    ``&`` is written as one."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


def html(text: str) -> str:
    """Text for a Graphviz HTML-like label: entities escaped, line breaks as
    ``<BR/>``. Graphviz expands ``\\N``, ``\\G`` … in HTML labels too, even when
    written as ``&#92;N``; only a doubled backslash stays one backslash."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\t", " ")
    )
    return "<BR/>".join(escaped.splitlines()) if "\n" in escaped else escaped


def xml_text(text: str) -> str:
    """Text or attribute content for an SVG document we write ourselves."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\n", " ")
    )


# What XML 1.0 does not allow in a document, even as a character reference.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_CONTENT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        # An attribute's tab would be read as a space.
        "\t": "&#9;",
    }
)


def xml_content(text: str) -> str:
    """Text or attribute content of an XML report, exactly as written but on
    one line of the document: line breaks and tabs are character references,
    and what XML 1.0 does not allow at all is a visible ``\\uXXXX``."""
    visible = _XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    # The runner's older commands, "##[command]", count anywhere in a line.
    return visible.translate(_XML_CONTENT).replace("##[", "##&#91;")


def uri_reference(path: str) -> str:
    """A file's ``/``-separated path as a URI reference: a ``file:`` URI when
    absolute, else relative, with every character a URI may not hold as it is
    percent-encoded, and ``:`` too, so that no file name reads as a scheme."""
    posix = PurePosixPath(path)
    return posix.as_uri() if posix.is_absolute() else quote(path)


# A journey's name written late: a page that names a journey holds this token
# (private-use characters, which no map text keeps: see _MARKDOWN), and the name
# is put in after the page is converted, so renaming a journey changes no page
# but its own. Ids are [A-Za-z0-9_-]: nothing in one needs escaping.
_LATE = re.compile("\ue000([A-Za-z0-9][A-Za-z0-9_-]*)\ue001")


def late_name(ident: str) -> str:
    """The token that stands for the name of the journey ``ident``."""
    return f"\ue000{ident}\ue001"


def named(text: str, names: Mapping[str, str], escape: Callable[[str], str]) -> str:
    """``text`` with each token of a known journey replaced by its name, escaped
    for where the text goes (:func:`markdown_text`, :func:`html_text`)."""
    if "\ue000" not in text:
        return text
    return _LATE.sub(lambda m: escape(names[m[1]]) if m[1] in names else m[0], text)


def html_text(text: str) -> str:
    """Text for an HTML page, shown literally, on one line."""
    return xml_text(" ".join(text.split()))


# Markdown and HTML syntax characters, braces (template and attribute syntax),
# and the delimiters of a late name's token.
_MARKDOWN = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|<>&~\"'$:=\ue000\ue001"}
_LIST_START = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)")


# GitHub links "@name", "@org/team", "#123", "org/repo#123" and "GH-123" in
# comments, and notifies who is named; a WORD JOINER after the sign,
# invisible, keeps each plain text. An e-mail address (a word character before
# the @, as GitHub reads one: ASCII) links no one and is left as it is.
_REFERENCE = re.compile(r"(?<![A-Za-z0-9_])(@)(?=\w)|(#)(?=\w)|\b(GH)(?=-\d)")


def markdown_text(text: str) -> str:
    """Text for a Markdown page, shown literally: no link, emphasis, HTML,
    table cell break, template, mention or issue reference can come from it.
    Line breaks become spaces."""
    plain = _REFERENCE.sub(lambda m: m[0] + "\u2060", " ".join(text.split()))
    escaped = plain.translate(_MARKDOWN)
    # "- x" or "1. x" would start a list where the text begins a line.
    return _LIST_START.sub(
        lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)) + m.group(3), escaped
    )


# What Markdown (GitHub's, CommonMark with its extensions) reads as syntax
# inside a line, each backslash-escaped where it would: an HTML tag, comment
# or autolink needs "<" before a letter, "/", "!" or "?"; a link or image needs
# brackets; emphasis, strikethrough, code, math and table cells their signs; a
# "_" between two letters or digits is text already, as is "&" that starts no
# entity and "\" before no punctuation.
_INLINE = re.compile(
    r"<(?=[A-Za-z/!?])|[\[\]*~`|$]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)"
    r"|\\(?=[!-/:-@\[-`{-~])"
)
# GitHub's Markdown (cmark-gfm's autolink extension) links a bare URL (a
# scheme's "://", a "www." host) and an e-mail address with no brackets round
# it; a backslash before the "." or ":" keeps such text plain (shown as it is),
# and an e-mail address, which a backslash does not stop, gets a word joiner
# after its "@".
_AUTOLINK = re.compile(r"(?i)(?<=www)\.|:(?=//)|(?<=[\w.+-])@(?!\u2060)")


def _unlinked(match: re.Match[str]) -> str:
    return match[0] + "\u2060" if match[0] == "@" else "\\" + match[0]


# What starts a block where a line begins: a heading, a quote, a list item, a
# thematic break or setext underline, an indented code block is left out (the
# text starts with no space).
_BLOCK_START = re.compile(r">|#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|[-=](?=[-=\s]*$)")


def markdown_inline(text: str, *, line_start: bool = True) -> str:
    """Text for a line of a Markdown comment (a list item, a table cell, a
    paragraph), shown literally and left as written where Markdown would read
    it as text: only what would make HTML, a link, an image, emphasis, code,
    math, a cell break or a block is backslash-escaped (``KPI 'fcr': 75 % → 70 %``
    is unchanged); a mention or an issue reference gets a word joiner so it
    notifies no one and links nothing. On one line, its spaces kept at its ends
    (it may be one piece of a line: ``line_start=False`` for a piece after the
    first, which cannot start a block or a workflow command)."""
    lead, core, trail = _ends(" ".join(text.splitlines()))
    plain = _REFERENCE.sub(lambda m: m[0] + "\u2060", core)
    escaped = _AUTOLINK.sub(_unlinked, _INLINE.sub(lambda m: "\\" + m[0], plain))
    if lead or not line_start:
        return lead + escaped + trail
    start = _BLOCK_START.match(escaped)
    if start:
        escaped = "\\" + escaped if start.end() == 1 else _escape_last(escaped, start.end())
    # Nor may it start a line of the comment (or of a log it is printed to)
    # with a workflow command.
    skipped = _LINE_START.match(escaped)
    if skipped and escaped.startswith(":", skipped.end()):
        escaped = escaped[: skipped.end()] + "\\" + escaped[skipped.end() :]
    return lead + escaped + trail


# An ATX heading's closing sequence: "#"s at its end after a space, which
# Markdown drops.
_CLOSING = re.compile(r"(?<!\S)#+(?=\s*$)")


def markdown_heading(text: str) -> str:
    """Text after a Markdown heading's ``## ``, as :func:`markdown_inline`
    shows it, with no ``#`` at its end that the heading would drop."""
    return _CLOSING.sub(lambda m: "\\" + m[0], markdown_inline(text, line_start=False))


def _ends(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return (" " if text else ""), "", ""
    start = text.index(core[0])
    return (" " if start else ""), core, (" " if len(text) > start + len(core) else "")


def _escape_last(text: str, end: int) -> str:
    """``1. x`` as ``1\\. x``: the list number's sign escaped."""
    return text[: end - 1] + "\\" + text[end - 1 :]


def markdown_link_target(url: str) -> str | None:
    """An http(s) URL as the target of a Markdown link, ``[text](…)``, with
    what could end the target or be read in it (a space, a bracket, an angle
    bracket, a backslash, a quote, any character a URL may not hold) percent-encoded;
    None for a URL of any other scheme, or with no host."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" of an IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe="/:?#@!$&*+,;=%~-._[]")


def markdown_html(text: str) -> str:
    """Text inside an HTML block of a Markdown comment (a ``<summary>``), where
    Markdown is not read but HTML is: entities for ``<`` ``>`` ``&`` ``"``
    and for the ``[`` of the runner's ``##[`` command; mentions and issue
    references neutralised as in :func:`markdown_inline`."""
    plain = _REFERENCE.sub(lambda m: m[0] + "\u2060", " ".join(text.split()))
    escaped = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace('"', "&quot;").replace(_LEGACY_COMMAND, "##&#91;")


def markdown_code(text: str) -> str:
    """Text as a Markdown code span, on one line: fenced by one backtick more
    than its longest run of them, padded where it starts or ends with one
    (CommonMark strips one space each side). Not for a table cell, where a
    ``|`` would end the cell even in a code span."""
    plain = " ".join(text.split()) or " "
    fence = "`" * (max((len(run) for run in re.findall("`+", plain)), default=0) + 1)
    pad = " " if plain[0] == "`" or plain[-1] == "`" else ""
    return f"{fence}{pad}{plain}{pad}{fence}"


_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()#+!|<>&~])")


def markdown_escaped(text: str) -> str:
    """Text for Markdown that an editor shows (a hover): every syntax character
    backslash-escaped, which reads as the text itself where the Markdown is
    shown raw too, unlike the entities of :func:`markdown_text`. On one line."""
    return _ESCAPABLE.sub(r"\\\1", " ".join(text.split()))


def title(text: str) -> str:
    """A page or navigation title that any theme may print as HTML, in an
    attribute or through ``striptags``: on one line, with look-alikes for
    ``<`` ``>`` ``&`` and quotes."""
    return " ".join(text.translate(_TITLE).split())


def front_matter(page_title: str) -> str:
    """The YAML front matter that gives a generated page its title, so a site
    generator never derives one from the page's (escaped) heading."""
    return f"---\ntitle: {json.dumps(title(page_title), ensure_ascii=False)}\n---\n\n"


# What could end a line (or move the cursor, or recolour what follows) on a
# terminal, in a log or where GitHub Actions reads commands: control
# characters but the tab, and Unicode's line and paragraph separators.
_TERMINAL_BREAK = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_TERMINAL_NAMED = {"\n": "\\n", "\r": "\\r"}


def terminal(text: str) -> str:
    """Text for a terminal, a log or a CI job's output, on the line it is put
    on: line breaks and other control characters are shown escaped (``\\n``,
    ``\\x1b``, ``\\u2028``); a text that would start a line with ``::`` (a
    workflow command; the runner skips white space, and a byte order mark at
    the start of its input) shows its first colon as ``\\x3a``, and every
    ``##[`` (the runner's older commands, read anywhere in a line) shows as
    ``##\\x5b``. Visible escapes, not invisible characters: the runner
    compares text in ways that may skip those."""
    escaped = _TERMINAL_BREAK.sub(
        lambda m: _TERMINAL_NAMED.get(m[0]) or m[0].encode("unicode_escape").decode("ascii"),
        text,
    ).replace(_LEGACY_COMMAND, "##\\x5b")
    start = _LINE_START.match(escaped)
    if start and escaped.startswith("::", start.end()):
        return escaped[: start.end()] + "\\x3a" + escaped[start.end() + 1 :]
    return escaped


# What a reader may skip before a command: white space, and characters that
# show nothing (zero-width spaces and joiners, the byte order mark, soft hyphen).
_LINE_START = re.compile("[\\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]*")
# GitHub Actions' runner still reads "##[command]data" anywhere in a line.
_LEGACY_COMMAND = "##["


def spreadsheet_cell(text: str) -> str:
    """A text cell of a CSV export: spreadsheets run a cell that starts with
    ``=`` ``+`` ``-`` ``@`` as a formula, so such a cell starts with ``'``; and
    it is terminal text, since the export is printed where CI reads commands
    (a line break in a cell would start an output line with map text)."""
    value = terminal(text)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def json_document(document: object) -> str:
    """A JSON report or export: strict JSON (never ``NaN``), text as written.
    A ``##[`` (only ever inside a string) is written ``##\\u005b``, the same
    text to a JSON reader and no command to the runner."""
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return text.replace(_LEGACY_COMMAND, "##\\u005b")


def mermaid_text(text: str) -> str:
    """Text for a Mermaid journey title, section or task, on one line, shown
    as written except for look-alikes of the characters Mermaid would read:
    ``:`` ``;`` ``#`` (the journey syntax), ``%`` (comments and ``%%{init}%%``
    directives, anywhere in the diagram), ``<`` ``>`` (HTML, which Mermaid
    sanitises out of a title and breaks a task at ``<br>``). A name
    that starts with a keyword gets a word joiner in front; a blank one is
    :data:`UNNAMED`."""
    if not _shows(text):
        return UNNAMED
    escaped = " ".join(text.translate(_MERMAID).split())
    return "\u2060" + escaped if _MERMAID_KEYWORD.match(escaped) else escaped


def mermaid_actor(text: str) -> str:
    """A persona's name in a Mermaid journey task's list of actors: as
    :func:`mermaid_text`, with no comma to split it into two."""
    return mermaid_text(text).translate(_MERMAID_ACTOR)


def mermaid_heading(text: str) -> str:
    """The Markdown heading above a journey's Mermaid diagram: the name as
    :func:`markdown_text` writes it, or :data:`UNNAMED` as the diagram shows it."""
    return markdown_text(text if _shows(text) else UNNAMED)


# A flowchart's label is a quoted string: a quote would end it, a backtick
# make it a Markdown string, an entity ("&lt;", "#quot;") be decoded.
_MERMAID_LABEL = str.maketrans({'"': "\u201d", "`": "\u02cb", "&": "\uff06"})


def mermaid_label(text: str) -> str:
    """Text for a quoted Mermaid flowchart label (``n0["…"]``) or subgraph
    title: as :func:`mermaid_text`, with look-alikes for ``"`` `` ` `` and ``&``
    too, and mentions and issue references neutralised as in a comment's text
    (the chart's source is in the comment)."""
    plain = _REFERENCE.sub(lambda m: m[0] + "\u2060", text)
    return mermaid_text(plain).translate(_MERMAID_LABEL)


def _shows(text: str) -> bool:
    """Whether anything of ``text`` is visible: a character that is neither
    white space nor a control or format character (zero width space, joiners)."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf") for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken between words (and between
    CJK characters, which count two columns); a longer word is cut."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        # A line's width is the sum of its characters': kept as it grows, not
        # counted again for every word (long texts of wide characters).
        current, current_width = "", 0
        for word, spaced in _pieces(paragraph):
            gap = " " if spaced and current else ""
            word_width = display_width(word)
            if current_width + len(gap) + word_width <= width or not current:
                current, current_width = current + gap + word, current_width + len(gap) + word_width
            else:
                lines.append(current)
                current, current_width = word, word_width
            while current_width > width and len(current) > 1:
                cut = _cut(current, width)
                lines.append(current[:cut])
                current = current[cut:]
                current_width = display_width(current)
        lines.append(current)
    return lines


def display_width(text: str) -> int:
    if text.isascii():  # the common case, without a Unicode lookup per character
        return len(text)
    return sum(2 if _is_wide(c) else 1 for c in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _pieces(paragraph: str) -> list[tuple[str, bool]]:
    """Break opportunities: (piece, preceded by a space). Each wide character is
    its own piece; runs of other characters are split at spaces."""
    if paragraph.isascii():
        return [(word, True) for word in paragraph.split()]
    pieces: list[tuple[str, bool]] = []
    for word in paragraph.split():
        spaced = True
        run = ""
        for char in word:
            if _is_wide(char):
                if run:
                    pieces.append((run, spaced))
                    spaced, run = False, ""
                pieces.append((char, spaced))
                spaced = False
            else:
                run += char
        if run:
            pieces.append((run, spaced))
    return pieces


def _cut(text: str, width: int) -> int:
    used = 0
    for index, char in enumerate(text):
        used += 2 if _is_wide(char) else 1
        if used > width:
            return max(index, 1)
    return len(text)
