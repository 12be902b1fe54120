"""The explanations of libyaml's errors: one bracket scanner, one line:col helper.

The messages and positions themselves are pinned by the load cases
(tests/cases/load) and tests/test_loader.py."""

from __future__ import annotations

import pytest

from journeycode import loader, plain, positions, yaml_errors
from tests.test_load_cases import LIBYAML


def test_nesting_too_deep_for_libyaml_is_placed_where_journeycode_stops() -> None:
    """libyaml 0.2.6 (PyYAML 6.0.4) gives up at 1,000 flow levels while it scans
    ahead; the problem is still journeycode's, at the level that passes 64.
    Brackets in quotes and comments do not count."""
    text = 'a: "[[[[[["  # {{{{{{\nb: ' + "[" * 2000
    assert yaml_errors.deepest(text, plain.MAX_DEPTH) == (2, 4 + 63)
    assert yaml_errors.deepest("{" * 65, plain.MAX_DEPTH) == (1, 65)
    assert yaml_errors.deepest("a: [[[]]]\n", plain.MAX_DEPTH) is None
    with pytest.raises(loader.LoadError) as raised:
        loader.parse(text)
    assert (raised.value.line, raised.value.col) == (2, 67)
    assert raised.value.message == "nesting is deeper than 64 levels"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: [b, {c: d}]", "[{}]"),
        ('a: "[\\"[" ]', "]"),  # an escaped quote does not end the quoted text
        ("a: '[''[' ]", "]"),  # nor does a doubled single quote
        ('a: "\\\\" [', "["),  # an escaped backslash escapes nothing after it
        ("a: [ # ]\n]", "[]"),  # a comment runs to the end of its line
        ("# [\na: b#[", "["),  # a '#' inside a word starts no comment
    ],
)
def test_one_scanner_passes_over_quoted_text_and_comments(text: str, found: str) -> None:
    assert "".join(char for char, _ in yaml_errors.brackets(text)) == found


def test_the_unclosed_bracket_and_the_deepest_agree_on_what_counts() -> None:
    # Neither counts the bracket after an escaped quote, nor the one in a comment.
    text = 'a: ["x\\"]", {b: [c]  # ]\n'
    assert yaml_errors.unclosed(text, len(text)) == ("{", (1, 13))
    assert yaml_errors.deepest(text, 3) == (1, 17)


@pytest.mark.parametrize(
    ("text", "index", "at"),
    [
        ("abc", 0, (1, 1)),
        ("abc", 2, (1, 3)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\ncd\n", 5, (2, 3)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\rcd\rx", 6, (3, 1)),
    ],
    ids=["first", "third", "after a line", "end of a line", "after a CRLF", "after two CRs"],
)
def test_position_counts_lines_and_columns_from_one(
    text: str, index: int, at: tuple[int, int]
) -> None:
    assert positions.position(text, index) == at


@pytest.mark.parametrize(
    "text",
    [
        "a: @x\n",
        "a: `x\n",
        'a: "\\q"\n',
        "%FOO\na: b\n",
        "a: b\n- c\n",
        "a: {b: c d: e}\n",
        "a: [b, c\n",
        "a: &\n",
        "a: !\n",
        "a: *\n",
        "a: b\n c: d\n",
        "- a\nb: c\n",
        "a: 'b\n",
        "a: |x\n",
        "a:\n  - b\n - c\n",
        "a: {b:, c}\n",
        "? [a\n",
        "a: b\n...\nc\n",
    ],
)
def test_no_explanation_uses_libyamls_words(text: str) -> None:
    """What no load case pins still says what is wrong in the author's words."""
    with pytest.raises(loader.LoadError) as raised:
        loader.parse(text)
    said = f"{raised.value.message} {raised.value.hint or ''}"
    assert not [words for words in LIBYAML if words in said], said
