"""What a MkDocs site needs installed besides journeycode: the package of the
theme its ``mkdocs.yml`` names, for CI to install before ``mkdocs build``.

A team that switches ``theme: {name: mkdocs}`` to ``material`` would
otherwise have a site that builds on their machines and fails in CI.
"""

from __future__ import annotations

from typing import Any

import yaml

from journeycode.problems import WorkspaceError

BUILT_IN = frozenset({"mkdocs", "readthedocs"})
"""Themes that come with MkDocs itself."""
PACKAGES = {
    "material": "mkdocs-material",
    "windmill": "mkdocs-windmill",
    "cinder": "mkdocs-cinder",
    "ivory": "mkdocs-ivory",
    "bootstrap": "mkdocs-bootstrap",
    "bootswatch": "mkdocs-bootswatch",
}
"""Themes by name, and the package on PyPI that provides each."""


class _Lenient(yaml.SafeLoader):
    """Reads past ``!!python/name:`` and ``!ENV`` tags (Material's emoji
    settings use them) without running anything: their values do not matter here."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_Lenient.add_multi_constructor("", _untagged)


def requirements(text: str, name: str = "mkdocs.yml") -> list[str]:
    """The pip requirements the configuration ``text`` (the file ``name``)
    needs beyond journeycode and MkDocs. Raises WorkspaceError."""
    try:
        config = yaml.load(text, Loader=_Lenient)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise WorkspaceError(f"{where}: not YAML MkDocs can read: {error.problem}") from None
    except yaml.YAMLError as error:  # a character YAML does not allow: no mark
        raise WorkspaceError(f"{name}: not YAML MkDocs can read: {error}") from None
    theme = config.get("theme", "mkdocs") if isinstance(config, dict) else "mkdocs"
    if isinstance(theme, dict):
        theme = theme.get("name", "mkdocs")
    if theme is None or str(theme) in BUILT_IN:
        return []
    theme = str(theme)
    if theme not in PACKAGES:
        raise WorkspaceError(
            f"{name}: the theme {theme!r} is not one journeycode knows the package of",
            f"install it in the workflow before the site is built; known: {', '.join(PACKAGES)}",
        )
    return [PACKAGES[theme]]
