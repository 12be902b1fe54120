"""CONTRIBUTING.md's recipes stay true: each "Adding …" section lists the files a
change of that kind touches, one bullet each, then its test case; every path it
names exists, and no recipe needs more than three files besides its test."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

TEXT = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
SECTION = re.compile(r"^## (.+?)\n(.*?)(?=^## |\Z)", re.M | re.S)
BULLET = re.compile(r"^- (.*?)(?=^- |^\S|\Z)", re.M | re.S)
PATH = re.compile(r"`((?:journeycode|tests|schema)/[^`\s]*|README\.md|Makefile)`")
RECIPES = {
    title: body
    for title, body in SECTION.findall(TEXT)
    if title.startswith("Adding ") or title.startswith("A finding")
}
EXPECTED = {
    "Adding a touchpoint field",
    "Adding an entity kind",
    "Adding a rule",
    "A finding with a quick fix",
    "Adding a report format",
    "Adding a diff change kind",
    "Adding a site page",
}


def _bullets(body: str) -> list[str]:
    return [" ".join(item.split()) for item in BULLET.findall(body)]


def test_the_recipes_the_issue_asks_for_are_there() -> None:
    assert set(RECIPES) == EXPECTED


@pytest.mark.parametrize("title", sorted(EXPECTED))
def test_a_recipe_is_at_most_three_files_and_a_test_case(title: str) -> None:
    bullets = _bullets(RECIPES[title])
    files = [b for b in bullets if not b.startswith("Test case:")]
    tests = [b for b in bullets if b.startswith("Test case:")]
    assert len(tests) == 1, f"{title}: one 'Test case:' bullet, last"
    assert bullets[-1] == tests[0]
    assert 1 <= len(files) <= 3, f"{title}: {len(files)} files"
    for bullet in bullets:
        assert PATH.search(bullet), f"{title}: a bullet names no file: {bullet}"


@pytest.mark.parametrize("path", sorted(set(PATH.findall(TEXT))))
def test_every_path_named_exists(path: str) -> None:
    """A placeholder (``<rule_id>``) stands for any name in that folder."""
    pattern = re.sub(r"<[^>]+>", "*", path)
    assert list(ROOT.glob(pattern)), f"CONTRIBUTING.md names {path}, which does not exist"
