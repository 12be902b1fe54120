"""``journeycode site-requirements``: what CI installs before ``mkdocs build``,
read from the mkdocs.yml that init writes, switched to another theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeycode import init as starter
from tests.conftest import invoke

MATERIAL = starter.MKDOCS.replace("  name: mkdocs\n", "  name: material\n")


@pytest.mark.parametrize(
    ("config", "printed"),
    [
        (starter.MKDOCS, ""),
        (MATERIAL, "mkdocs-material\n"),
        ("site_name: S\ntheme: material\n", "mkdocs-material\n"),
        ("site_name: S\ntheme: {name: readthedocs}\n", ""),
        ("site_name: S\n", ""),
        # Material's own settings carry Python tags: they are read past, never run.
        (
            MATERIAL + "markdown_extensions:\n  - pymdownx.emoji:\n"
            "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
            "mkdocs-material\n",
        ),
    ],
)
def test_the_theme_named_is_the_package_printed(tmp_path: Path, config: str, printed: str) -> None:
    assert starter.MKDOCS != MATERIAL
    (tmp_path / "mkdocs.yml").write_text(config, "utf-8")
    run = invoke(tmp_path, "site-requirements")
    assert (run.exit_code, run.stdout) == (0, printed)
    invoke(tmp_path, "site-requirements", "mkdocs.yml", "-o", "needed.txt")
    assert (tmp_path / "needed.txt").read_text("utf-8") == printed


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, "journeycode: cannot read mkdocs.yml: No such file or directory"),
        ("theme: [\n", "journeycode: mkdocs.yml:2:1: not YAML MkDocs can read"),
        ("theme: \x07\n", "journeycode: mkdocs.yml: not YAML MkDocs can read"),
        (
            'theme: {name: "odd\\e[31m"}\n',
            "journeycode: mkdocs.yml: the theme 'odd\\x1b[31m' is not one journeycode knows",
        ),
    ],
)
def test_what_it_cannot_tell_stops_it_with_the_place(
    tmp_path: Path, config: str | None, message: str
) -> None:
    if config is not None:
        (tmp_path / "mkdocs.yml").write_text(config, "utf-8")
    run = invoke(tmp_path, "site-requirements")
    assert run.exit_code == 2 and run.stderr.startswith(message), run.stderr
