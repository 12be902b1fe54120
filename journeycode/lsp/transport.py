"""The wire: messages read from standard input with limits.

pygls 2 reads a message of whatever length its header declares in one go: a
``Content-Length`` of a terabyte is a MemoryError that ends the server. Here
a message over the limit is read past in chunks, said in the client's log,
and the next one is served.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from journeycode import loader

MAX_MESSAGE_BYTES = 4 * loader.MAX_BYTES
"""The largest message read: an open map is at most the loader's limit, and
its text in JSON (quotes, backslashes and newlines escaped) a few times that."""
_MAX_HEADER_BYTES = 4096  # a header line is "Content-Length: 1234" or a Content-Type
_CHUNK = 1 << 20  # a refused message is read past a megabyte at a time, never held

logger = logging.getLogger(__name__)


async def serve(server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Read and handle messages until standard input ends."""
    protocol = server.protocol
    protocol.set_writer(StdoutWriter(stdout))
    loop = asyncio.get_running_loop()

    async def read(call: Callable[[int], bytes], size: int) -> bytes:
        # In a thread, so the debounced compiles and async handlers run meanwhile.
        return await loop.run_in_executor(server.thread_pool, call, size)

    def log(message: str) -> None:
        server.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Warning, message=f"journeycode: {message}"
            )
        )

    async def header() -> int | None:
        """The Content-Length of the next message; None at the end of input."""
        length = None
        while line := await read(stdin.readline, _MAX_HEADER_BYTES):
            if not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):
                    line = await read(stdin.readline, _MAX_HEADER_BYTES)
                log(f"a header line over {_MAX_HEADER_BYTES:,} bytes was passed over")
            elif not line.strip():
                if length is not None:
                    return length
            else:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length" and value.strip().isdigit():
                    length = int(value)
        return None

    while (length := await header()) is not None:
        if length > MAX_MESSAGE_BYTES:
            log(f"a message of {length:,} bytes was refused; the limit is {MAX_MESSAGE_BYTES:,}")
            while length > 0:
                skipped = await read(stdin.read, min(length, _CHUNK))
                if not skipped:
                    return
                length -= len(skipped)
            continue
        body = await read(stdin.read, length)
        if len(body) < length:
            return
        try:
            protocol.handle_message(json.loads(body, object_hook=protocol.structure_message))
        except Exception:
            logger.exception("a message could not be handled")
