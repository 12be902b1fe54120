"""``journeycode lsp``: the language server, over stdio, built on pygls.

The workspace is compiled as ``journeycode check`` compiles it, with the
editor's unsaved text in place of the files on disk, a short while after the
last keystroke; parsed and validated files are kept by the digest of their
bytes, so an edit parses and validates one file again and reruns the rules on
the model. Diagnostics are published for every file of the workspace. At the
start, before anything is compiled, what the last command found in each file
unchanged since is published at once (from the commands' disk cache, which
the first compile reads too); the compile corrects it. The
features (completion, definition, references, hover, code actions, rename)
answer from the index of the last compile (:mod:`journeycode.lsp.index`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from journeycode import __version__, discover, i18n, kinds, values
from journeycode.compiler import (
    Caches,
    Compiled,
    compile_workspace,
    gc_paused,
    pinned_today,
    stamp,
)
from journeycode.filecache import DiskCache, compile_cached
from journeycode.i18n import _, ngettext
from journeycode.loader import LoadError, read_bytes
from journeycode.lsp import cursor, edits, transport
from journeycode.lsp.index import Index, Key, Site, scope_of
from journeycode.model import Entity, Journey, Kpi
from journeycode.problems import Fix, Level, Problem, WorkspaceError
from journeycode.quoting import markdown_escaped
from journeycode.render.graphviz import default_cache_dir
from journeycode.rules import unknown_reference

# Long enough to take the changes an editor sends at once (or a fast typist's
# keys) in one compile; every millisecond of it is waited for after each edit.
DEBOUNCE_SECONDS = 0.03
# The diagnostics of this many files (a few milliseconds) are sent between
# reads of the editor's messages, when most files' problems changed at once.
_FILES_AT_ONCE = 10
SOURCE = "journeycode"
_LEVELS = {
    Level.ERROR: types.DiagnosticSeverity.Error,
    Level.WARNING: types.DiagnosticSeverity.Warning,
    Level.INFO: types.DiagnosticSeverity.Information,
}
_TOKEN = re.compile(r"""(?:"[^"]*"?|'[^']*'?|[^\s,\]}#]+)""")


@functools.lru_cache(maxsize=4096)
def uri_of(path: str) -> str:
    """A file's URI (each publish names every file with problems: worked out once)."""
    return from_fs_path(path) or path


class JourneyServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("journeycode", __version__, protocol_cls=transport.Protocol)
        self.root: Path | None = None
        self.disk: DiskCache | None = None
        """The commands' cache of the workspace, read but never written here."""
        self.caches = Caches(stamps={})
        self.compiled: Compiled | None = None
        self.index: Index | None = None
        self.published: dict[str, list[Problem]] = {}
        """The problems of each file as its diagnostics were last sent."""
        self.unsent: dict[str, list[Problem]] = {}
        """Each file's problems not yet sent, by URI (:meth:`publish`)."""
        self.sending: asyncio.Handle | None = None
        self.dirty = True
        self.pending: asyncio.TimerHandle | None = None
        self.compiles = 0
        self.options: Any = None
        self.failed: str | None = None
        self.language = i18n.ENGLISH
        """The workspace's language (its settings'): diagnostics and quick fixes speak it."""

    # --- compiling --------------------------------------------------------------------

    def text(self, path: Path) -> str | None:
        """A file's text: the editor's if it is open, else the disk's, if it
        is a map file the loader would read: a URI may name a FIFO (opening
        it would wait for a writer), a device (``/dev/zero`` never ends) or
        any file outside the maps."""
        document = self.workspace.text_documents.get(uri_of(str(path)))
        if document is not None:
            return str(document.source)
        if self.root is None or not path.resolve().is_relative_to(self.root):
            return None
        try:
            return read_bytes(path).decode("utf-8")
        except (OSError, LoadError, UnicodeDecodeError):
            return None

    def lines(self, path: Path) -> list[str]:
        return (self.text(path) or "").splitlines()

    def recompile(self) -> None:
        """Compile the workspace with the open documents' text and publish."""
        # The cycle collector scans what the compile made once the open
        # files' diagnostics are out, not before.
        with gc_paused():
            self._recompile()

    def _recompile(self) -> None:
        self.pending = None
        if self.root is None:
            return
        overlay = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path is not None:
                overlay[Path(path)] = document.source.encode("utf-8")
        root = self.root

        def run(caches: Caches) -> Compiled:
            return compile_workspace(
                root, str(root), today=pinned_today(), overlay=overlay, caches=caches
            )

        try:
            if self.disk is None:
                compiled = run(self.caches)
            else:
                compiled = compile_cached(self.disk, self.caches, run)
                if not self.disk.files.reading:  # its entries were discarded: so are ours
                    self.caches = self.disk.caches(stamps={})
        except WorkspaceError as error:
            with i18n.using(self.language):
                message = f"journeycode: {i18n.say(error.message)}"
            if message != self.failed:  # once, not at every keystroke
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=message)
                )
            self.failed = message
            return
        self.failed = None
        self.compiled = compiled
        self.index = None  # built when a feature asks: typing needs only diagnostics
        self.dirty = False
        self.compiles += 1
        language = compiled.settings.language or i18n.ENGLISH
        if language != self.language:
            # Every file's diagnostics read otherwise now, though its problems are the same.
            self.published = {}
            self.language = language
        with i18n.using(language):
            self.publish(compiled.result.problems)

    def publish_last_found(self) -> None:
        """What the last command found in each file that has not changed
        since, published before the first compile (which corrects it)."""
        last = None if self.disk is None else self.disk.last_found()
        if last is None:
            return
        language, files = last
        problems: list[Problem] = []
        for path, then, found in files:
            with contextlib.suppress(OSError):
                if found and stamp(Path(path)) == then:
                    # The command named the file as its user did; here it is by its path.
                    problems.extend(dataclasses.replace(p, path=path) for p in found)
        self.language = language or i18n.ENGLISH
        with i18n.using(self.language):
            # At once: the compile that corrects them comes straight after.
            self.publish(problems, at_once=True)

    def soon(self) -> None:
        """Recompile once the typing has paused."""
        self.dirty = True
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.recompile)

    def fresh(self) -> Index | None:
        """The index, compiled again first if an edit is waiting."""
        if self.dirty:
            if self.pending is not None:
                self.pending.cancel()
            self.recompile()
        if self.index is None and self.compiled is not None:
            self.index = Index(self.compiled.workspace, self.text)
        return self.index

    def publish(self, problems: Sequence[Problem], *, at_once: bool = False) -> None:
        """Diagnostics for every file whose problems changed, and for every
        open one (its editor waits for them after an edit); a file whose
        problems did not change is not even read. The open files' go first;
        the others' follow a few files at a time between the editor's
        messages (unless ``at_once``): a line broken while typing changes
        the problems of most files, whose diagnostics would otherwise hold
        up the next keystroke's compile, and what a newer compile finds
        before they are sent replaces them."""
        by_file: dict[str, list[Problem]] = {}
        for problem in problems:
            uri = uri_of(problem.path)
            by_file.setdefault(uri, []).append(problem)
        opened = self.workspace.text_documents.keys()
        cleared = (self.published.keys() | opened) - by_file.keys()
        changed: dict[str, list[Problem]] = {uri: [] for uri in cleared}
        changed.update(
            (uri, found)
            for uri, found in by_file.items()
            if uri in opened or self.published.get(uri) != found
        )
        self.unsent = {}
        for uri, found in changed.items():
            if uri in opened:
                self.send(uri, found)
            else:
                self.unsent[uri] = found
        if at_once:
            unsent, self.unsent = self.unsent, {}
            for uri, found in unsent.items():
                self.send(uri, found)
        elif self.unsent and self.sending is None:
            self.sending = asyncio.get_running_loop().call_soon(self.send_some)

    def send_some(self) -> None:
        """A few of the files' diagnostics still to send, and the rest after
        the editor's next messages are read."""
        self.sending = None
        with i18n.using(self.language):
            for _ in range(_FILES_AT_ONCE):
                if not self.unsent:
                    return
                uri = next(iter(self.unsent))
                self.send(uri, self.unsent.pop(uri))
        if self.unsent:
            self.sending = asyncio.get_running_loop().call_soon(self.send_some)

    def send(self, uri: str, found: list[Problem]) -> None:
        """One file's diagnostics, which the editor then has."""
        lines = self.lines(Path(found[0].path)) if found else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[self.diagnostic(lines, problem) for problem in found]
            )
        )
        if found:
            self.published[uri] = found
        else:
            self.published.pop(uri, None)

    def diagnostic(self, lines: list[str], problem: Problem) -> types.Diagnostic:
        line, start = problem.line - 1, problem.col - 1
        end = start
        if 0 <= line < len(lines):
            token = _TOKEN.match(lines[line], start)
            end = token.end() if token and token.end() > start else len(lines[line])
        message = i18n.say(problem.message) + (
            f"\n{i18n.say(problem.hint)}" if problem.hint else ""
        )
        return types.Diagnostic(
            range=self.range(lines, line, start, line, end),
            message=message,
            severity=_LEVELS[problem.level],
            code=problem.rule,
            source=SOURCE,
            data=_data(problem),
        )

    # --- positions --------------------------------------------------------------------

    def range(
        self, lines: Sequence[str], line: int, start: int, end_line: int, end: int
    ) -> types.Range:
        """A range in code points, in the client's units."""
        if 0 <= line < len(lines) and 0 <= end_line < len(lines):
            first, last = lines[line], lines[end_line]
            if first.isascii() and last.isascii():
                # A character of ASCII is one unit in every encoding: the codec
                # would count them one by one (a third of a publish's time).
                return types.Range(
                    start=types.Position(line=line, character=min(start, len(first))),
                    end=types.Position(line=end_line, character=min(end, len(last))),
                )
        span = types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=end_line, character=end),
        )
        return self.workspace.position_codec.range_to_client_units(lines, span)

    def site_range(self, site: Site) -> types.Range:
        col = site.col - 1
        return self.range(
            self.lines(site.path), site.line - 1, col, site.line - 1, col + site.length
        )

    def location(self, site: Site) -> types.Location:
        return types.Location(uri=uri_of(str(site.path)), range=self.site_range(site))

    def at(self, uri: str, position: types.Position) -> Site | None:
        """The id at a position, defined or referred to there."""
        path = Path(to_fs_path(uri) or uri)
        here = self.workspace.position_codec.position_from_client_units(self.lines(path), position)
        index = self.fresh()
        return index.at(path, here.line + 1, here.character + 1) if index else None

    def edit(self, changes: Sequence[edits.Edit]) -> types.WorkspaceEdit:
        by_uri: dict[str, list[types.TextEdit]] = {}
        for change in changes:
            lines = self.lines(change.path)
            span = self.range(lines, change.line, change.start, change.end_line, change.end)
            uri = uri_of(str(change.path))
            by_uri.setdefault(uri, []).append(types.TextEdit(range=span, new_text=change.text))
        return types.WorkspaceEdit(changes=by_uri)

    def journey_of(self, path: Path) -> str:
        if self.compiled is None:
            return ""
        return next(
            (j.id for j in self.compiled.workspace.entities(Journey) if j.src.file.path == path), ""
        )


server = JourneyServer()


def _maps_folder(root: Path, options: Any) -> tuple[Path, str | None]:
    """The maps: ``initializationOptions.maps`` (relative to the workspace, and
    inside it: a workspace's own editor settings may name it), else the
    workspace journeycode finds from the editor's folder, as a command run
    there does (:func:`journeycode.discover.workspace_above`), else the editor's
    folder itself; and why a named folder was not used, if it was not."""
    maps = options.get("maps") if isinstance(options, dict) else None
    refused = None
    if isinstance(maps, str):
        named = (root / maps).resolve()
        if named.is_relative_to(root.resolve()):
            return named, None
        refused = f"journeycode: the maps folder {maps!r} is outside the workspace; not used"
    return (discover.workspace_above(root) or root).resolve(), refused


@server.feature(types.INITIALIZED)
def initialized(ls: JourneyServer, params: types.InitializedParams) -> None:
    ls.root, refused = _maps_folder(Path(ls.workspace.root_path or "."), ls.options)
    if refused:
        ls.window_log_message(
            types.LogMessageParams(type=types.MessageType.Warning, message=refused)
        )
    ls.disk = DiskCache(default_cache_dir(), ls.root)
    ls.caches = ls.disk.caches(stamps={})
    ls.publish_last_found()
    ls.recompile()


@server.feature(types.INITIALIZE)
def initialize(ls: JourneyServer, params: types.InitializeParams) -> None:
    ls.options = params.initialization_options


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def changed(ls: JourneyServer, params: Any) -> None:
    """A document opened, edited or closed, or a file changed on disk."""
    ls.soon()


@server.feature(types.SHUTDOWN)
@server.feature(types.EXIT)
def stopping(ls: JourneyServer, params: Any) -> None:
    """Nothing more is compiled or sent: after ``exit`` the output is closed,
    and a write to it is an error pygls reports by writing again, for ever."""
    for handle in (ls.pending, ls.sending):
        if handle is not None:
            handle.cancel()
    ls.pending = ls.sending = None
    ls.unsent = {}


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: JourneyServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.dirty = True
    ls.fresh()


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", ",", "["])
)
def completion(ls: JourneyServer, params: types.CompletionParams) -> types.CompletionList:
    path = Path(to_fs_path(params.text_document.uri) or "")
    lines = ls.lines(path)
    here = ls.workspace.position_codec.position_from_client_units(lines, params.position)
    found = cursor.at(lines, here.line, here.character)
    items: list[types.CompletionItem] = []
    index = ls.fresh()
    if found is None or index is None:
        return types.CompletionList(is_incomplete=False, items=items)
    span = ls.range(lines, here.line, found.start, here.line, here.character)
    target = found.target
    if target is not None:
        scope = scope_of(target, ls.journey_of(path))
        for ident, entity in sorted(index.ids(target, scope).items()):
            items.append(
                types.CompletionItem(
                    label=ident,
                    kind=types.CompletionItemKind.Reference,
                    detail=_name(entity),
                    documentation=getattr(entity, "description", None),
                    text_edit=types.TextEdit(range=span, new_text=ident),
                )
            )
    elif found.kind is not None:
        with i18n.using(ls.language):
            choices = edits.choices(found.kind, found.field)
        for value, description in choices:
            items.append(
                types.CompletionItem(
                    label=value,
                    kind=types.CompletionItemKind.EnumMember,
                    documentation=description,
                    text_edit=types.TextEdit(range=span, new_text=value),
                )
            )
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: JourneyServer, params: types.DefinitionParams) -> list[types.Location]:
    site = ls.at(params.text_document.uri, params.position)
    if site is None or ls.index is None:
        return []
    return [ls.location(s) for s in ls.index.definitions(site.key)]


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: JourneyServer, params: types.ReferenceParams) -> list[types.Location]:
    site = ls.at(params.text_document.uri, params.position)
    if site is None or ls.index is None:
        return []
    found = ls.index.references(site.key)
    if params.context.include_declaration:
        found = [*ls.index.definitions(site.key), *found]
    return [ls.location(s) for s in found]


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: JourneyServer, params: types.HoverParams) -> types.Hover | None:
    site = ls.at(params.text_document.uri, params.position)
    if site is None or ls.index is None:
        return None
    entity = ls.index.entities.get(site.key)
    with i18n.using(ls.language):
        text = _describe(ls, site.key, entity)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=ls.site_range(site),
    )


def _name(entity: Entity) -> str:
    return str(getattr(entity, "name", "") or getattr(entity, "text", "") or entity.id)


def _describe(ls: JourneyServer, key: Key, entity: Entity | None) -> str:
    """The entity at a hover: its name, kind and id, description, a KPI's
    target and latest value, and where it is defined and used."""
    kind, _scope, ident = key
    label = _(kinds.KINDS[kind].label)
    if entity is None:
        return _("{kind} `{id}`: not defined").format(kind=label, id=ident)
    assert ls.index is not None and ls.root is not None
    root = ls.root
    # Ids match [a-z0-9-]+, so they are safe in a code span; all else is escaped.
    lines = [f"**{markdown_escaped(_name(entity))}** · {label} `{ident}`"]
    description = getattr(entity, "description", None)
    if description:
        lines.append(markdown_escaped(description))
    if isinstance(entity, Kpi):
        last = values.latest(entity)
        target = values.target(entity)
        facts = [_("target {target}").format(target=target) if target else _("target none")]
        if last is not None:
            facts.append(
                _("latest {value} ({date})").format(
                    value=values.value(last.value, entity),
                    date=i18n.date(datetime.date.fromisoformat(last.date)),
                )
            )
        status = values.status(entity)
        if status:
            facts.append(str(status))
        lines.append(markdown_escaped(" · ".join(facts)))
    used = ls.index.uses(key)
    defined = ls.index.definitions(key)
    places = ", ".join(_where(root, s) for s in defined)
    lines.append(markdown_escaped(_("Defined in {places}").format(places=places)))
    if used:
        shown = ", ".join(_where(root, s) for s in ls.index.references(key, most=8))
        if used > 8:
            shown = _("{places} and {count} more").format(places=shown, count=used - 8)
        words = ngettext("Used {count} time: {places}", "Used {count} times: {places}", used)
        lines.append(markdown_escaped(words.format(count=used, places=shown)))
    else:
        lines.append(_("Not used anywhere"))
    return "\n\n".join(lines)


def _where(root: Path, site: Site) -> str:
    return f"{_relative(root, site.path)}:{site.line}"


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: JourneyServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    path = Path(to_fs_path(params.text_document.uri) or "")
    text = ls.text(path) or ""
    lines = text.splitlines()
    actions: list[types.CodeAction] = []
    index = ls.fresh()
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE:
            continue
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        rule = str(diagnostic.code or data.get("rule", ""))
        start = ls.workspace.position_codec.position_from_client_units(
            lines, diagnostic.range.start
        )
        fix = _fix(data.get("fix"))
        if fix is not None:
            change = edits.replacement(path, lines, start.line, start.character, fix)
            if change is not None:
                title = i18n.msg("Change to '{new}'", new=fix.new)
                actions.append(_action(ls, title, [change], diagnostic, True))
        if diagnostic.severity == types.DiagnosticSeverity.Warning and rule:
            waive = edits.waiver(path, text, start.line + 1, rule)
            if waive is not None:
                actions.append(
                    _action(
                        ls,
                        i18n.msg("Waive {rule} here, with a reason", rule=rule),
                        [waive],
                        diagnostic,
                    )
                )
        missing = _missing(ls, data.get("subject")) if rule == unknown_reference.ID else None
        if missing is not None and index is not None and ls.compiled is not None:
            kind, ident = missing
            for file in ls.compiled.workspace.files:
                if kind.section in file.data:
                    catalog_text = ls.text(file.path) or ""
                    entry = edits.catalog_entry(file.path, catalog_text, kind.name, ident)
                    if entry is not None:
                        title = i18n.msg(
                            "Create {kind} '{id}' in {file}",
                            kind=i18n.msg(kind.label),
                            id=ident,
                            file=file.path.name,
                        )
                        actions.append(_action(ls, title, [entry], diagnostic))
                        break
    return actions


def _data(problem: Problem) -> dict[str, Any]:
    """What a code action needs of a problem, carried in its diagnostic: its
    rule, its subject and its fix, never read back from the message."""
    subject, fix = problem.subject, problem.fix
    return {
        "rule": problem.rule,
        "level": problem.level.value,
        "subject": None if subject is None else {"kind": subject.kind, "id": subject.id},
        "fix": None if fix is None else {"old": fix.old, "new": fix.new},
    }


def _fix(data: Any) -> Fix | None:
    """The fix a diagnostic carries, as the client sent it back."""
    if not isinstance(data, dict):
        return None
    old, new = data.get("old"), data.get("new")
    return Fix(old, new) if isinstance(old, str) and isinstance(new, str) else None


def _missing(ls: JourneyServer, subject: Any) -> tuple[kinds.Kind, str] | None:
    """The kind and id of the catalog entity a diagnostic is about, when nothing defines it."""
    if not isinstance(subject, dict) or ls.compiled is None:
        return None
    kind, ident = subject.get("kind"), subject.get("id")
    if not (isinstance(kind, str) and isinstance(ident, str)) or kind not in kinds.KINDS:
        return None
    found = kinds.KINDS[kind]
    if found.section is None or ident in ls.compiled.workspace.by_id(found.model):
        return None
    return found, ident


def _action(
    ls: JourneyServer,
    title: str,
    changes: list[edits.Edit],
    diagnostic: types.Diagnostic,
    preferred: bool = False,
) -> types.CodeAction:
    with i18n.using(ls.language):
        said = i18n.say(title)
    return types.CodeAction(
        title=said,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=ls.edit(changes),
        is_preferred=preferred or None,
    )


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(
    ls: JourneyServer, params: types.PrepareRenameParams
) -> types.PrepareRenamePlaceholder | None:
    site = ls.at(params.text_document.uri, params.position)
    if site is None:
        return None
    return types.PrepareRenamePlaceholder(range=ls.site_range(site), placeholder=site.key[2])


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: JourneyServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    site = ls.at(params.text_document.uri, params.position)
    if site is None or ls.index is None:
        return None
    try:
        changes = edits.rename(ls.index, site.key, params.new_name)
    except edits.Refused as refused:
        with i18n.using(ls.language):
            said = i18n.say(refused.args[0])
        raise JsonRpcInvalidParams(said) from None
    return ls.edit(changes)


def main() -> None:
    # The editor went away, or stopped the server: nothing to say.
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        asyncio.run(transport.serve(server, sys.stdin.buffer, sys.stdout.buffer))
