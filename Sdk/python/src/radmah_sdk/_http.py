"""HTTP on the standard library: JSON calls, the error envelope as typed errors, bounded retries."""

from __future__ import annotations

import email.utils
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from http.client import HTTPResponse
from typing import IO, Any, Dict, Mapping, Optional, Union

from ._errors import (
    AuthenticationError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    RadMahError,
    RateLimitedError,
    ServiceUnavailableError,
    ValidationError,
)
from ._version import __version__

# Whether a request may be sent again after an answer that does not prove nothing happened.
SAFE = "safe"  # reads, and creates carrying an idempotency key: also 502/503/504 and lost connections
RATE_LIMITED_ONLY = "rate_limited_only"  # could act twice (rerun, cancel, uploads): only 429, refused before anything ran
NEVER = "never"

_MAX_RETRY_DELAY = 30.0
_RETRIED_WHEN_SAFE = (502, 503, 504)

Body = Union[bytes, IO[bytes], None]


class Transport:
    """One API endpoint and key. Safe to share between threads: each call opens its own connection."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float, max_retries: int) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self._api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        # No redirects: a key must never follow one to another host.
        self._opener = urllib.request.build_opener(_NoRedirect)

    def url(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        url = urllib.parse.urljoin(self.base_url, path.lstrip("/"))
        if query:
            pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in query.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        return url

    def json(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        resend: str = SAFE,
    ) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        sent = dict(headers or {})
        if data is not None:
            sent["Content-Type"] = "application/json"
        with self.open(method, path, query=query, body=lambda: data, headers=sent, resend=resend) as response:
            raw = response.read()
        if not raw:
            raise RadMahError("the server sent an empty response.", status_code=response.status)
        return json.loads(raw.decode("utf-8"))

    def text(self, path: str) -> str:
        with self.open("GET", path) as response:
            return response.read().decode("utf-8")

    def open(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        resend: str = SAFE,
        timeout: Optional[float] = None,
        accept: str = "application/json",
    ) -> HTTPResponse:
        """The successful response, open for reading (the caller closes it), or the typed error.

        ``body`` is a callable returning the bytes or file to send, called once per try, so a
        retried request is sent whole again.
        """
        url = self.url(path, query)
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=body() if body else None, method=method)
            request.add_header("X-API-Key", self._api_key)
            request.add_header("Accept", accept)
            request.add_header("User-Agent", f"radmah-sdk-python/{__version__}")
            for name, value in (headers or {}).items():
                request.add_header(name, value)
            try:
                return self._opener.open(request, timeout=timeout or self.timeout)  # type: ignore[no-any-return]
            except urllib.error.HTTPError as error:
                retry_after = _retry_after(error.headers.get("Retry-After"))
                retriable = error.code == 429 or (resend == SAFE and error.code in _RETRIED_WHEN_SAFE)
                if resend != NEVER and retriable and attempt < self.max_retries:
                    error.read()
                    error.close()
                    time.sleep(_delay(retry_after, attempt))
                    attempt += 1
                    continue
                raise _typed(error, retry_after) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout) as error:
                if resend == SAFE and attempt < self.max_retries:
                    time.sleep(_delay(None, attempt))
                    attempt += 1
                    continue
                reason = getattr(error, "reason", error)
                raise ServiceUnavailableError(f"could not reach {self.base_url}: {reason}") from error


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Retry-After in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _delay(retry_after: Optional[float], attempt: int) -> float:
    """What the server asked, else 0.5 s, 1 s, 2 s, ... with +-20% jitter; never over 30 s."""
    if retry_after is not None and retry_after > 0:
        return min(retry_after, _MAX_RETRY_DELAY)
    return min(_MAX_RETRY_DELAY, 0.5 * (2 ** attempt)) * (0.8 + 0.4 * random.random())


def _typed(error: urllib.error.HTTPError, retry_after: Optional[float]) -> RadMahError:
    raw = b""
    try:
        raw = error.read()
    finally:
        error.close()
    status = "UNKNOWN"
    message = f"HTTP {error.code}"
    details: list = []
    try:
        envelope = json.loads(raw.decode("utf-8")) if raw else None
        if isinstance(envelope, dict) and isinstance(envelope.get("error"), dict):
            body: Dict[str, Any] = envelope["error"]
            status = str(body.get("status") or status)
            message = str(body.get("message") or message)
            details = [d for d in body.get("details") or [] if isinstance(d, dict)]
    except (ValueError, UnicodeDecodeError):
        pass  # not the gateway's envelope (a proxy's page): the HTTP status is the message
    common: Dict[str, Any] = {"status_code": error.code, "status": status, "details": details}
    reasons = {str(d.get("reason", "")) for d in details}
    if error.code == 401:
        return AuthenticationError(message, **common)
    if error.code == 404:
        return NotFoundError(message, **common)
    if error.code == 429:
        return RateLimitedError(message, retry_after=retry_after if retry_after is not None else 1.0, **common)
    if error.code == 409:
        return ConflictError(message, **common)
    if error.code in _RETRIED_WHEN_SAFE:
        return ServiceUnavailableError(message, retry_after=retry_after, **common)
    if "INSUFFICIENT_CREDITS" in reasons:
        return InsufficientCreditsError(message, **common)
    if status == "INVALID_ARGUMENT" or error.code == 413:
        return ValidationError(message, **common)
    return RadMahError(message, **common)
