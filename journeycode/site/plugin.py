"""The MkDocs plugin: a thin adapter over :func:`journeycode.site.project.site`.

``plugins: [journeycode]`` with ``maps`` (the workspace folder, relative to
mkdocs.yml), ``path`` (the site section, default ``journeys``) and ``fail_on``
(``error``, ``warning`` or ``never``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.localization import parse_locale
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load

from journeycode import cachedir, discover, i18n
from journeycode.compiler import frozen_at_exit
from journeycode.quoting import terminal
from journeycode.render.graphviz import RenderError, default_cache_dir
from journeycode.site import aside, prerender, project
from journeycode.site.generator import CSS, Site
from journeycode.site.pagecache import PageCache, named_page

_LOG = get_plugin_logger("journeycode")

# How the themes name our languages: Material's ``theme.language`` (its
# partials/languages/*.html), MkDocs' own themes' ``theme.locale`` (their
# locales/ folders). Traditional Chinese is Taiwan's, as our catalog is.
_MATERIAL = {"ru": "ru", "zh-Hans": "zh", "zh-Hant": "zh-TW"}
_LOCALE = {"ru": "ru", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}


class JourneycodeConfig(base.Config):
    maps = c.Type(str, default=discover.MAPS)
    path = c.Type(str, default="journeys")
    fail_on = c.Choice(tuple(project.FAILING), default="error")


class JourneycodePlugin(BasePlugin[JourneycodeConfig]):
    site: Site | None = None
    language: i18n.Language = i18n.ENGLISH
    pages = PageCache(None)
    child = prerender.Child()
    drawing = aside.InAChild()
    assets: dict[str, File]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        frozen_at_exit()
        root = Path(config.config_file_path or ".").parent / self.config.maps
        section = self.config.path.strip("/")
        self.drawing, self.assets = aside.InAChild(), {}
        try:
            self.site, self.language = project.site(
                root,
                self.config.maps,
                self.config.fail_on,
                section,
                config.theme.get("language"),
                self.drawing,
            )
        except project.SiteError as error:
            raise PluginError(f"journeycode: {error}") from None
        _theme_speaks(config, self.language)
        self.pages = PageCache(default_cache_dir() / "pages")
        for notice in cachedir.NOTICES:
            _LOG.info("journeycode: %s", terminal(notice))
        cachedir.NOTICES.clear()  # said once per build of a serve, not once per page
        config.extra_css.append(f"{section}/{CSS}")
        if config.nav is not None:
            config.nav.append({self._journeys(): self.site.nav_under(section)})
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        section = self.config.path.strip("/")
        theirs = sorted(f.src_uri for f in files.documentation_pages())
        if not {"index.md", "README.md"} & set(theirs) and self.site.home is not None:
            # No home page in docs/ (or no docs at all): the portfolio is the home.
            files.append(File.generated(config, "index.md", content=self.site.home))
        if config.nav is None:
            # MkDocs would title sections after folder names ("Kpis"): give ours.
            home = [] if "index.md" in theirs else ["index.md"]
            config.nav = [*home, *theirs, {self._journeys(): self.site.nav_under(section)}]
        for path, markdown in self.site.pages.items():
            files.append(File.generated(config, f"{section}/{path}", content=markdown))
        # The diagrams may still be drawn: their content comes at on_env.
        self.assets = {
            path: File.generated(config, f"{section}/{path}", content=b"")
            for path in self.site.assets
        }
        for file in self.assets.values():
            files.append(file)
        extensions = [config.use_directory_urls, config.markdown_extensions, config.mdx_configs]
        self.pages.start_build((f.src_uri for f in files), extensions)
        return files

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.child = prerender.Child()  # (what a forked child sees)
        ours = [f.page for f in files.documentation_pages() if f.page and self._ours(f.page)]

        def settle() -> None:
            # A drawing on a thread: waited for only where a child is forked,
            # else it goes on beside MkDocs' reading of the pages.
            with _drawing():
                self.drawing.settle()

        missing = [p for p in ours if self.pages.missing(p)]
        self.child = prerender.start(missing, config, files, settle)
        return nav

    def _journeys(self) -> str:
        """The title of the section the site's pages are in."""
        with i18n.using(self.language):
            return i18n._("Journeys")

    def _ours(self, page: Page) -> bool:
        return page.file.src_uri.startswith(self.config.path.strip("/") + "/")

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: Any, files: Files) -> str:
        if not self._ours(page):
            return markdown
        markdown = self.pages.before(page, markdown)
        self.child.before(page, self.pages.hit(page))
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: Any, files: Files) -> str:
        assert self.site is not None
        html = self.pages.after(page, html, files) if self._ours(page) else html
        return named_page(page, html, self.site.names)  # the home page has names too

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """The assets' content, before MkDocs copies them: the drawings done."""
        assert self.site is not None
        with _drawing():
            for path, file in self.assets.items():
                file.content_bytes = self.site.assets[path]
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.child.end()
        self.pages.end_build()

    def on_build_error(self, *, error: Exception) -> None:
        self.drawing.end(stop=True)
        self.child.end(stop=True)
        self.pages.end_build()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(Path(config.config_file_path or ".").parent / self.config.maps))
        return server


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """A Graphviz that fails, as the build's error."""
    try:
        yield
    except RenderError as error:
        raise PluginError(f"journeycode: {terminal(str(error))}") from None


def _theme_speaks(config: MkDocsConfig, language: i18n.Language) -> None:
    """The theme's own words (search, previous, next) in the site's language,
    unless mkdocs.yml chose the theme's language itself."""
    if language.english:
        return
    chosen = _theme_settings(config)
    if config.theme.name == "material":
        if "language" not in chosen:
            config.theme["language"] = _MATERIAL[language.tag]
    elif "locale" not in chosen:
        config.theme["locale"] = parse_locale(_LOCALE[language.tag])


def _theme_settings(config: MkDocsConfig) -> set[str]:
    """The theme settings mkdocs.yml gives (the theme object holds its
    defaults too: ``locale: en`` would read as chosen)."""
    if not config.config_file_path:
        return set()
    with Path(config.config_file_path).open("rb") as file:
        written = yaml_load(file)
    theme = written.get("theme")
    return set(theme) if isinstance(theme, dict) else set()
