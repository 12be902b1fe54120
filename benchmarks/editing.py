"""The language server's latency: a one-character edit to diagnostics published.

A bare JSON-RPC client over the server's standard input and output (no client
library between the measurement and the server): it opens one journey of the
portfolio, then types one character at a time into it, each time timing
``didChange`` until ``publishDiagnostics`` for that file arrives. The server's
debounce is part of the latency an editor sees, so it is part of the figure.
"""

from __future__ import annotations

import json
import statistics
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
    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            [str(BIN / "journeycode"), "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
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


def latency(root: Path, journey: Path, edits: int) -> tuple[float, float]:
    """Seconds to the first diagnostics, and the median seconds from a
    one-character edit of ``journey`` to its diagnostics."""
    client = Client(root)
    uri = journey.resolve().as_uri()
    start = time.perf_counter()
    ident = client.send(
        "initialize",
        {"processId": None, "rootUri": root.resolve().as_uri(), "capabilities": {}},
        request=True,
    )
    client.wait(lambda m: m.get("id") == ident)
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
    first = time.perf_counter() - start
    timings = []
    for version in range(2, edits + 2):
        text += "#" if version % 2 else "\n"  # a comment, or a blank line: one character
        sent = time.perf_counter()
        client.send(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )
        client.wait(published)
        timings.append(time.perf_counter() - sent)
    client.close()
    return first, statistics.median(timings)
