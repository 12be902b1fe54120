"""The language server's latency: from start to the first diagnostics, and
from an edit to its diagnostics.

A bare JSON-RPC client over the server's standard input and output (no client
library between the measurement and the server): it opens one journey of the
portfolio, then edits it (a name, an id reference, a new touchpoint, a broken
line, in turn), each time timing ``didChange`` until ``publishDiagnostics``
for that file arrives. The server's debounce is part of the latency an
editor sees, so it is part of the figure.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import IO, Any

BIN = Path(sys.executable).parent


def read_messages(stream: IO[bytes], into: Queue[dict[str, Any]]) -> None:
    """Each message a language server writes on ``stream``, put ``into`` the
    queue, until the stream ends."""
    while True:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if not line:
            return
        into.put(json.loads(stream.read(length)))


class Client:
    def __init__(self, root: Path, env: dict[str, str] | None = None):
        self.process = subprocess.Popen(
            [str(BIN / "journeycode"), "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
            env=env,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        assert self.process.stdout is not None
        threading.Thread(
            target=read_messages, args=(self.process.stdout, self.messages), daemon=True
        ).start()
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()
        return ident

    def wait(self, test: Any, seconds: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            try:
                message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
            except Empty:
                raise SystemExit("the language server did not answer in time") from None
            if test(message):
                return message

    def close(self) -> None:
        ident = self.send("shutdown", None, request=True)
        self.wait(lambda m: m.get("id") == ident)
        self.send("exit", None)
        self.process.wait(timeout=30)


def _edits(text: str) -> list[str]:
    """Edited versions of a journey's text, of four kinds in turn: a name
    changed, an id reference changed (to an id nothing defines, then back), a
    new touchpoint, and a broken line; each from the text as it was."""
    name = re.search(r"^  name: .*$", text, re.MULTILINE)
    channel = re.search(r"^      channel: .*$", text, re.MULTILINE)
    stage = text.index("    touchpoints:\n") + len("    touchpoints:\n")
    assert name is not None and channel is not None
    new_touchpoint = (
        "    - id: tp-new\n      name: A new step\n      channel: web\n"
        "      action: Reads the new page\n"
    )
    versions = []
    for step in range(4):
        versions.append(text[: name.end()] + f" (edit {step})" + text[name.end() :])
        reference = "      channel: webx" if step % 2 else "      channel: web"
        versions.append(text[: channel.start()] + reference + text[channel.end() :])
        versions.append(text[:stage] + new_touchpoint + text[stage:])
        versions.append(text[: name.end()] + "\n  owner: [unclosed" + text[name.end() :])
    return versions


def latency(
    root: Path, journey: Path, edits: int, env: dict[str, str] | None = None
) -> tuple[float, float, list[float]]:
    """Seconds from start to the first diagnostics, of which after the answer
    to ``initialize`` (the server up, its imports done), and the seconds from
    each of ``edits`` edits of ``journey`` (of the kinds :func:`_edits` makes)
    to its diagnostics."""
    client = Client(root, env)
    uri = journey.resolve().as_uri()
    start = time.perf_counter()
    ident = client.send(
        "initialize",
        {"processId": None, "rootUri": root.resolve().as_uri(), "capabilities": {}},
        request=True,
    )
    client.wait(lambda m: m.get("id") == ident)
    up = time.perf_counter()
    client.send("initialized", {})
    text = journey.read_text("utf-8")
    client.send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
    )

    def published(message: dict[str, Any]) -> bool:
        return bool(
            message.get("method") == "textDocument/publishDiagnostics"
            and message["params"]["uri"] == uri
        )

    client.wait(published)
    first, after_up = time.perf_counter() - start, time.perf_counter() - up
    # The first compile's diagnostics, after those of the last check, if any.
    client.wait(published)
    versions = _edits(text)
    timings = []
    for version in range(2, edits + 2):
        edited = versions[(version - 2) % len(versions)]
        sent = time.perf_counter()
        client.send(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}],
            },
        )
        client.wait(published)
        timings.append(time.perf_counter() - sent)
    client.close()
    return first, after_up, timings


def percentile(timings: list[float], share: float) -> float:
    """The value below which ``share`` of the timings lie (nearest rank)."""
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
