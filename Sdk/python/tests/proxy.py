"""A loopback HTTP proxy in front of the real gateway that can lose, refuse or corrupt answers,
to show what the client does when the network between it and the server misbehaves."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, Optional, Tuple

# (method, path, idempotency key) -> an answer of our own (status, headers, body), or None to pass the real one on.
Rule = Callable[[str, str, Optional[str], int], Optional[Tuple[int, dict, bytes]]]


class Proxy:
    def __init__(self, upstream: str, rule: Rule, *, forward_refused: bool = True, corrupt_content: bool = False) -> None:
        self.upstream = upstream.rstrip("/")
        self.rule = rule
        self.forward_refused = forward_refused
        self.corrupt_content = corrupt_content
        self.seen: List[Tuple[str, str, Optional[str], int]] = []
        self._lock = threading.Lock()
        self._count = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                key = self.headers.get("Idempotency-Key")
                with proxy._lock:
                    proxy._count += 1
                    n = proxy._count
                own = proxy.rule(self.command, self.path, key, n)
                status, headers, payload = (0, {}, b"")
                if own is None or proxy.forward_refused:
                    request = urllib.request.Request(proxy.upstream + self.path, data=body, method=self.command)
                    for name in ("X-API-Key", "Content-Type", "Accept", "Idempotency-Key"):
                        if self.headers.get(name):
                            request.add_header(name, self.headers[name])
                    try:
                        with urllib.request.urlopen(request, timeout=60) as answer:
                            status, headers, payload = answer.status, dict(answer.headers), answer.read()
                    except urllib.error.HTTPError as error:
                        status, headers, payload = error.code, dict(error.headers), error.read()
                if own is not None:
                    status, headers, payload = own
                elif proxy.corrupt_content and self.path.endswith("/content") and payload:
                    payload = bytes([payload[0] ^ 0x01]) + payload[1:]
                with proxy._lock:
                    proxy.seen.append((self.command, self.path, key, status))
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _handle
            do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Proxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
