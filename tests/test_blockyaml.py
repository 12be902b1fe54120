"""The fast reader (journeycode.blockyaml) against the reference, the event
walk of journeycode.loader (``loader.events``): whatever the fast one
accepts, it reads exactly as the reference does — the same data, value types
included, and the same ``line:col`` for every node and every key — and what
it does not accept, the reference reads (or explains). Checked on the sample
maps, the examples, the test cases, the official YAML test suite
(tests/yaml-test-suite: its ``in.yaml`` inputs, MIT licence, see its
LICENSE), documents of every shape, the fuzz tests' mutations of the sample
maps, and a generated portfolio; and, for the maps, the whole check's
problems with and without the fast reader.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import portfolio
from journeycode import blockyaml, loader
from journeycode.compiler import compile_workspace
from tests.conftest import CASES, EXAMPLES, ROOT
from tests.test_fuzz import mutated
from tests.test_robustness import _DOCUMENTS

SUITE = Path(__file__).resolve().parent / "yaml-test-suite"
MAPS = sorted([*(ROOT / "maps").rglob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")])


def _decodes(path: Path) -> bool:
    """Bytes that are not UTF-8 are refused before either reader sees them."""
    try:
        path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


CORPUS = sorted(
    p
    for p in [*MAPS, *CASES.rglob("*.yaml"), *EXAMPLES.rglob("*.yaml"), *SUITE.glob("*.yaml")]
    if _decodes(p)
)

# What the subset's edges look like, each read both ways.
EDGES = [
    "a: 1\nb:\n  c: [x, 'y', \"z\"]\n  d: {e: 1, f: 'g'}\n",
    "a:\n- 1\n- - 2\n  - 3\n- x: 1\n  y:\n  - z\nb: ~\n",
    "- - - a\n    - b\n  - c\n- d\n",
    "k: |\n  one\n    two\n\n  three\n\n\nn: 1\n",
    "k: >-\n  one\n  two\n\n  three\nn: 1\n",
    "- >\n  folded\n  text\n- |-\n  literal\n",
    "k: |\n  # not a comment\n# a comment\nn: 2\n",
    "k: >\n\n  leading empty line\n",
    "k: |\n  a\n   \n  b\n",
    "a: x # comment\nb: 'it''s' # c\nc: \"q\"   \nd: C# and F#\ne: 10:30\nf: http://x\n",
    "a: -1\nb: -x\nc: - x\n",
    "a :b\n",
    "a : b\n",
    "key with spaces: v\n'quoted': v\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n  b: 2\n",
    "a: line one\n  continued\n",
    "a:\n",
    "a:   # empty\nb:\n",
    "- \n- a\n",
    "-\n  a: 1\n",
    "a: [ ]\nb: {}\nc: [a, b, ]\nd: [a: b]\ne: {a, b}\nf: {a: }\n",
    "a: [1, -2, .5, 0x1F, 0o17, 0755, true, ~, null]\n",
    "a: 99999999999999999999\n",
    "a: 1\na: 2\n",
    "<<: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a:\tb\n",
    "# only a comment\n",
    "",
    "plain scalar\n",
    "[a, b]\n",
    "  a: 1\n  b: 2\n",
    "a:\n    - 1\n    - 2\nb: 3\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\n"\n',
    "a: '#'\nb: x#y\nc: x #y\n",
    "a: b: c\n",
    "a: 'x' y\n",
    "a: [x] y\n",
    "留学生: 留学生\nимя: Контакт-центр\n😀: 😀 ok\n",
    "a: x\u00a0#y\n",
    "? a\n: b\n",
    "a: >+\n  x\n\n",
    "a: |2\n   x\n",
    "- a\n-b\n",
    "a:\n- b\nc: d\n- e\n",
]


def same(one: Any, other: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0 nor True)."""
    if type(one) is not type(other):
        return False
    if type(one) is dict:
        return list(one) == list(other) and all(same(one[k], other[k]) for k in one)
    if type(one) is list:
        return len(one) == len(other) and all(same(a, b) for a, b in zip(one, other, strict=True))
    if type(one) is float and math.isnan(one):
        return math.isnan(other)
    return bool(one == other)


def pointers(node: Any, at: loader.Pointer = ()) -> Iterator[loader.Pointer]:
    yield at
    if type(node) is dict:
        for key, value in node.items():
            yield from pointers(value, (*at, key))
    elif type(node) is list:
        for index, item in enumerate(node):
            yield from pointers(item, (*at, index))


def reference(text: str) -> tuple[Any, loader.Positions]:
    """Today's loader: the event walk alone."""
    loader._check_printable(text)
    data, lines, columns, bare, _ = loader.events(text)
    # Without the sizes the walk noted, so that they are checked too.
    return data, loader.Positions(data, lines, columns, bare)


def agree(text: str) -> bool:
    """Read ``text`` both ways and hold them to the same result; whether the
    fast reader took it."""
    try:
        expected = reference(text)
    except loader.LoadError as error:
        with pytest.raises(loader.LoadError) as raised:
            loader.parse(text)
        got = raised.value
        assert (got.message, got.line, got.col, got.hint) == (
            error.message,
            error.line,
            error.col,
            error.hint,
        )
        if not loader._NON_PRINTABLE.search(text):  # the loader refuses those before
            assert blockyaml.scan(text) is None, "the fast reader accepted a mistake"
        return False
    data, positions = loader.parse(text)
    assert same(data, expected[0])
    for pointer in pointers(data):
        assert positions.locate(pointer) == expected[1].locate(pointer), pointer
        assert positions.locate(pointer, key=True) == expected[1].locate(pointer, key=True)
    assert positions.locate(("no", "such", 1)) == expected[1].locate(("no", "such", 1))
    return blockyaml.scan(text) is not None


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_reads_the_same(path: Path) -> None:
    agree(path.read_bytes().decode("utf-8-sig"))


@pytest.mark.parametrize("text", EDGES)
def test_edges_read_the_same(text: str) -> None:
    agree(text)


def test_the_fast_reader_takes_the_sample_maps() -> None:
    """The usual files take the fast way (or it would be fast for nothing)."""
    for path in MAPS:
        assert blockyaml.scan(path.read_text("utf-8")) is not None, path


def test_the_fast_reader_takes_a_share_of_the_test_suite() -> None:
    """The suite is mostly what the fast reader leaves to the reference; of
    the rest, it reads the same (the test above) and a good share is taken."""
    taken = sum(agree(p.read_text("utf-8")) for p in SUITE.glob("*.yaml"))
    assert taken >= 20


def test_a_generated_portfolio_reads_the_same(tmp_path: Path) -> None:
    for path in portfolio.write(tmp_path, 4, 12):
        assert agree(path.read_text("utf-8")), path


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutated())
def test_mutated_sample_maps_read_the_same(mutation: tuple[Path, str]) -> None:
    agree(mutation[1])


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENTS, width=st.sampled_from([20, 80, 1000]), flow=st.booleans())
def test_documents_of_every_shape_read_the_same(
    document: dict[str, Any], width: int, flow: bool
) -> None:
    text = yaml.safe_dump(
        document, allow_unicode=True, width=width, default_flow_style=None if flow else False
    )
    agree(text)


@pytest.mark.parametrize("folder", ["maps", "examples/ru-bank", "examples/zh-telecom"])
def test_a_check_finds_the_same_with_either_reader(
    folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = compile_workspace(ROOT / folder, folder).result.problems
    monkeypatch.setattr(blockyaml, "scan", lambda text: None)
    assert compile_workspace(ROOT / folder, folder).result.problems == fast
