"""The wire: messages read from standard input with limits, and an answer to
every request.

pygls 2 reads a message of whatever length its header declares in one go (a
``Content-Length`` of a terabyte is a MemoryError that ends the server),
drops a request whose params do not fit the protocol's types without an
answer (the editor waits for ever) and serves a request sent before
``initialize`` with a traceback. Here a message over the limit is read past
in chunks and said in the client's log, a request that cannot be read gets
a JSON-RPC error, and one before ``initialize`` gets ServerNotInitialized.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, BinaryIO

from lsprotocol import types
from lsprotocol.types import ResponseError
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from journeycode import loader

MAX_MESSAGE_BYTES = 4 * loader.MAX_BYTES
"""The largest message read: an open map is at most the loader's limit, and
its text in JSON (quotes, backslashes and newlines escaped) a few times that."""
_MAX_HEADER_BYTES = 4096  # a header line is "Content-Length: 1234" or a Content-Type
_CHUNK = 1 << 20  # a refused message is read past a megabyte at a time, never held

logger = logging.getLogger(__name__)


class Protocol(LanguageServerProtocol):
    """pygls' protocol, answering what it would leave unanswered."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.started = False

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        if message.jsonrpc != self.VERSION:
            refusal: JsonRpcException | None = JsonRpcInvalidRequest(
                f"jsonrpc must be {self.VERSION}"
            )
        else:
            refusal = self.refusal(method)
        if refusal is not None:
            # The spec: such a request gets an error, such a notification is dropped.
            if method is not None and hasattr(message, "id"):
                self.answer(message.id, refusal)
            return
        if method == types.INITIALIZE:
            self.started = True
        super().handle_message(message)

    def refusal(self, method: object) -> JsonRpcException | None:
        """Why a message is not served at this point of the session, if it is not."""
        method = str(method)[:100]  # a name for the message, not an echo of megabytes
        if not self.started and method not in (types.INITIALIZE, types.EXIT):
            return JsonRpcServerNotInitialized(
                f"the server is not initialized: send initialize before {method}"
            )
        if self._shutdown and method != types.EXIT:
            return JsonRpcInvalidRequest(f"the server is shut down: {method} is not served")
        return None

    def _send_response(
        self, msg_id: Any, result: Any | None = None, error: ResponseError | None = None
    ) -> None:
        # pygls answers a handler's exception with its traceback as the error's
        # data; the editor gets one line, as the command line gives, and the log
        # (standard error) keeps the traceback.
        if error is not None and error.code == JsonRpcInternalError.CODE:
            error = ResponseError(
                code=error.code,
                message=f"journeycode: internal error ({error.message[:200]}); this is a bug: "
                "please report it",
            )
        super()._send_response(msg_id, result, error)

    def answer(self, ident: Any, error: JsonRpcException) -> None:
        # An id that is neither a number nor a string cannot be echoed: JSON-RPC
        # answers null, which pygls' converter would leave out, so a dict is sent.
        valid = isinstance(ident, int | str) and not isinstance(ident, bool)
        self._send_data(
            {
                "jsonrpc": self.VERSION,
                "id": ident if valid else None,
                "error": {"code": error.code, "message": error.message},
            }
        )

    def refuse(self, body: bytes, error: Exception) -> None:
        """Answer a body that is not a message the protocol can serve, if it
        is a request (nobody waits for an answer to a notification)."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            self.answer(None, JsonRpcParseError("the message is not JSON"))
            return
        if not isinstance(data, dict) or "id" not in data or "method" not in data:
            logger.warning("a message that is not a request was passed over: %s", error)
            return
        refusal = self.refusal(data["method"])
        method = str(data["method"])[:100]
        if refusal is None and isinstance(error, JsonRpcInvalidParams):
            refusal = JsonRpcInvalidParams(f"invalid params for {method}")
        self.answer(
            data["id"], refusal or JsonRpcInvalidRequest(f"not a JSON-RPC 2.0 request: {method}")
        )


async def serve(server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Read and handle messages until standard input ends."""
    protocol = server.protocol
    assert isinstance(protocol, Protocol)
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
            if len(line) < _MAX_HEADER_BYTES and not line.endswith(b"\n"):
                return None  # the input ended inside a header
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
            message = json.loads(body, object_hook=protocol.structure_message)
        except Exception as error:
            protocol.refuse(body, error)
            continue
        if not hasattr(message, "jsonrpc"):  # JSON, but no JSON-RPC message
            protocol.refuse(body, JsonRpcInvalidRequest())
            continue
        try:
            protocol.handle_message(message)
        except Exception:
            logger.exception("a message could not be handled")
