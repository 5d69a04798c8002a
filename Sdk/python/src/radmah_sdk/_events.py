"""GET /v1/jobs/{job_id}:watch read as server-sent events."""

from __future__ import annotations

import json
import socket
from http.client import HTTPResponse
from typing import Any, Dict, Optional

from ._http import SAFE, Transport

# The server sends a comment at least every 15 s: a stream silent this long is taken for lost.
SILENCE_SECONDS = 45.0


class JobEventStream:
    """The job states of one watch, as dicts shaped like GET /v1/jobs/{job_id}'s answer."""

    def __init__(self, transport: Transport, job_id: str, read_timeout: float = SILENCE_SECONDS) -> None:
        from urllib.parse import quote

        self._response: HTTPResponse = transport.open(
            "GET", f"v1/jobs/{quote(job_id, safe='')}:watch", resend=SAFE, timeout=read_timeout, accept="text/event-stream"
        )
        content_type = self._response.headers.get("Content-Type", "")
        if not content_type.startswith("text/event-stream"):
            self._response.close()
            raise ConnectionError("the server answered the watch with something other than an event stream")

    def next(self) -> Optional[Dict[str, Any]]:
        """The next job state, or None when the stream ended (or reported a failure) first."""
        name: Optional[str] = None
        data: list = []
        while True:
            try:
                raw = self._response.readline()
            except (socket.timeout, OSError):
                return None
            if not raw:
                return None
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                if name == "error":
                    return None
                if data and name in (None, "job"):
                    parsed = json.loads("\n".join(data))
                    return parsed if isinstance(parsed, dict) else None
                name, data = None, []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))

    def close(self) -> None:
        self._response.close()
