"""The MkDocs plugin: a thin adapter over :func:`journeycode.site.generator.build_site`.

``plugins: [journeycode]`` with ``maps`` (the workspace folder, relative to
mkdocs.yml), ``path`` (the site section, default ``journeys``) and ``fail_on``
(``error``, ``warning`` or ``never``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from journeycode import cachedir, compiler, filecache
from journeycode.problems import Level, WorkspaceError
from journeycode.quoting import terminal
from journeycode.render.graphviz import Cache, RenderError, default_cache_dir
from journeycode.report import text
from journeycode.site import history
from journeycode.site.generator import CSS, Site, build_site
from journeycode.site.pagecache import PageCache, named_page

_FAILING = {"error": {Level.ERROR}, "warning": {Level.ERROR, Level.WARNING}, "never": set()}


_LOG = get_plugin_logger("journeycode")


class JourneycodeConfig(base.Config):
    maps = c.Type(str, default="maps")
    path = c.Type(str, default="journeys")
    fail_on = c.Choice(("error", "warning", "never"), default="error")


class JourneycodePlugin(BasePlugin[JourneycodeConfig]):
    site: Site | None = None
    pages = PageCache(None)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent / self.config.maps
        disk, caches = filecache.kept(default_cache_dir(), root)
        try:
            compiled = filecache.compile_cached(
                disk,
                caches,
                lambda kept: compiler.compile_workspace(root, self.config.maps, caches=kept),
            )
        except WorkspaceError as error:
            raise PluginError(f"journeycode: {terminal(error.message)}") from None
        disk.save()
        failing = [p for p in compiled.result.problems if p.level in _FAILING[self.config.fail_on]]
        if failing:
            raise PluginError(
                "journeycode: the maps have problems\n" + text.report(compiled.result)
            )
        files = [f.path for f in compiled.workspace.files]
        section = self.config.path.strip("/")
        try:
            self.site = build_site(
                compiled,
                cache=Cache(default_cache_dir() / "diagrams"),
                history=history.history(root, files),
                section=section,
            )
        except RenderError as error:
            raise PluginError(f"journeycode: {terminal(str(error))}") from None
        self.pages = PageCache(default_cache_dir() / "pages")
        for notice in cachedir.NOTICES:
            _LOG.info("journeycode: %s", terminal(notice))
        cachedir.NOTICES.clear()  # said once per build of a serve, not once per page
        config.extra_css.append(f"{section}/{CSS}")
        if config.nav is not None:
            config.nav.append({"Journeys": self.site.nav_under(section)})
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
            config.nav = [*home, *theirs, {"Journeys": self.site.nav_under(section)}]
        for path, markdown in self.site.pages.items():
            files.append(File.generated(config, f"{section}/{path}", content=markdown))
        for path, data in self.site.assets.items():
            files.append(File.generated(config, f"{section}/{path}", content=data))
        extensions = [config.use_directory_urls, config.markdown_extensions, config.mdx_configs]
        self.pages.start_build((f.src_uri for f in files), extensions)
        return files

    def _ours(self, page: Page) -> bool:
        return page.file.src_uri.startswith(self.config.path.strip("/") + "/")

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: Any, files: Files) -> str:
        return self.pages.before(page, markdown) if self._ours(page) else markdown

    def on_page_content(self, html: str, /, *, page: Page, config: Any, files: Files) -> str:
        assert self.site is not None
        html = self.pages.after(page, html, files) if self._ours(page) else html
        return named_page(page, html, self.site.names)  # the home page has names too

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(Path(config.config_file_path or ".").parent / self.config.maps))
        return server
