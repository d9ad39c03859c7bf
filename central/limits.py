"""The size limit of request bodies, applied before anything reads them: 1 MiB for JSON, 20 MiB for an
attachment's bytes. A body over its limit gets 413 `too_large` in the API's error shape, whether it declares its
length or streams in chunks. (Starlette's own limiter answers in plain text, outside the documented shape.)"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.wire.errors import error_body
from app.wire.exchange import MAX_ATTACHMENT_BYTES

MAX_JSON_BYTES = 1024 * 1024
ATTACHMENTS = "/v1/attachments/"


class TooLarge(HTTPException):
    """The body went over its limit while it was being read (an HTTPException, so the body readers of FastAPI
    pass it on and the API's handler answers 413 in the error shape)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The body is larger than {limit // (1024 * 1024)} MiB.")


def limit_of(scope: Scope) -> int:
    """The largest body the request's route takes."""
    path = str(scope.get("path", ""))
    return MAX_ATTACHMENT_BYTES if scope.get("method") == "PUT" and path.startswith(ATTACHMENTS) else MAX_JSON_BYTES


class BodyLimit:
    """ASGI middleware: see the module's promise."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_of(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except TooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(error_body("too_large", f"The body is larger than {limit // (1024 * 1024)} MiB.")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
