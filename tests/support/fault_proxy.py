"""A fault-injecting HTTP proxy for the sync tests. Each request meets, at random, one of: dropped before the
server sees it; dropped after the server answered (it committed, the client never hears); sent twice; delayed;
answered 503 with Retry-After without reaching the server; answered 500 after reaching it; the connection reset;
or passed through. It counts what it did."""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("pass", "drop_request", "drop_response", "duplicate", "delay", "unavailable", "error_after", "reset")


class FaultProxy:
    """Listens on 127.0.0.1 and forwards to `upstream`; `rate` is the share of requests that meet a fault."""

    def __init__(self, upstream: str, rate: float = 0.5, seed: int = 0) -> None:
        self.upstream = urlsplit(upstream)
        self.rate = rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy.choose()
                if fault == "drop_request":
                    self.close_connection = True
                    return
                if fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if fault == "unavailable":
                    self._reply(
                        503, b'{"error": {"code": "unavailable", "message": "try later"}}', {"Retry-After": "1"}
                    )
                    return
                if fault == "delay":
                    time.sleep(proxy.rng.uniform(0.05, 0.4))
                status, headers, payload = proxy.forward(self.command, self.path, dict(self.headers), body)
                if fault == "duplicate":
                    status, headers, payload = proxy.forward(self.command, self.path, dict(self.headers), body)
                if fault == "drop_response":
                    self.close_connection = True
                    return
                if fault == "error_after":
                    self._reply(500, b'{"error": {"code": "internal", "message": "boom"}}', {})
                    return
                self._reply(
                    status,
                    payload,
                    {k: v for k, v in headers if k.lower() in ("content-type", "retry-after", "idempotent-replayed")},
                )

            def _reply(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def choose(self) -> str:
        with self.lock:
            fault = "pass" if self.rng.random() >= self.rate else self.rng.choice(FAULTS[1:])
            self.counts[fault] += 1
            return fault

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
            connection.request(method, path, body=body, headers=forwarded)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
