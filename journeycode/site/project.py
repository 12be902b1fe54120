"""The site of a workspace folder, as the MkDocs plugin builds it: compiled
through the file cache, refused when the maps have problems at the level the
project fails on, and built with the maps' git history and the diagram cache."""

from __future__ import annotations

from pathlib import Path

from journeycode import compiler, filecache, i18n
from journeycode.problems import Level, WorkspaceError
from journeycode.quoting import terminal
from journeycode.render.graphviz import Cache, RenderError, default_cache_dir
from journeycode.report import text
from journeycode.site import aside, history
from journeycode.site.generator import Drawing, Site, build_site

FAILING = {"error": {Level.ERROR}, "warning": {Level.ERROR, Level.WARNING}, "never": set()}
"""The levels of problem that stop the build, by the plugin's ``fail_on``."""


class SiteError(Exception):
    """Why there is no site, as the user reads it."""


def site(
    root: Path,
    maps: str,
    fail_on: str,
    section: str,
    theme_language: str | None = None,
    draw: Drawing = aside.on_a_thread,
) -> tuple[Site, i18n.Language]:
    """The site of the maps in ``root`` (written ``maps`` in messages), its
    pages in ``section``, and the language it is written in: the workspace's
    setting, else the theme's ``language`` where journeycode writes it, else
    English. Raises SiteError."""
    disk, caches = filecache.kept(default_cache_dir(), root)
    try:
        compiled = filecache.compile_cached(
            disk, caches, lambda kept: compiler.compile_workspace(root, maps, caches=kept)
        )
    except WorkspaceError as error:
        raise SiteError(terminal(error.message)) from None
    disk.save()
    language = compiled.settings.language or _theme(theme_language)
    with i18n.using(language):
        if any(p.level in FAILING[fail_on] for p in compiled.result.problems):
            raise SiteError(i18n._("the maps have problems") + "\n" + text.report(compiled.result))
        files = [f.path for f in compiled.workspace.files]
        try:
            built = build_site(
                compiled,
                cache=Cache(default_cache_dir() / "diagrams"),
                history=history.history(root, files),
                section=section,
                draw=draw,
            )
        except RenderError as error:
            raise SiteError(terminal(str(error))) from None
    return built, language


def _theme(tag: str | None) -> i18n.Language:
    """The theme's language, where journeycode writes in it (``theme.language``
    of MkDocs' own themes and Material); English otherwise."""
    try:
        return i18n.resolve(tag) if tag else i18n.ENGLISH
    except i18n.UnknownLanguage:
        return i18n.ENGLISH
