"""RadMahClient, the entry point of the product page."""

from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import urlparse

from ._artifacts import ArtifactsClient
from ._datasets import DatasetsClient
from ._http import Transport
from ._jobs import JobsClient, _integer, _string
from ._models import Account, Estimate

API_KEY_VARIABLE = "RADMAH_API_KEY"
BASE_URL_VARIABLE = "RADMAH_BASE_URL"
# The product's public address, as the product page's curl example prints it.
DEFAULT_BASE_URL = "https://api.radmah.ai"


class RadMahClient:
    """``RadMahClient(api_key="sl_live_...")``.

    With no ``api_key`` it reads RADMAH_API_KEY; ``base_url`` defaults to RADMAH_BASE_URL, then to
    https://api.radmah.ai. Answers 429 (and, for reads and creates, 502/503/504 and lost
    connections) are retried up to ``max_retries`` times, after the Retry-After the server asks.
    ``timeout`` bounds each network read, in seconds.
    """

    def __init__(self, api_key: Optional[str] = None, *, base_url: Optional[str] = None, timeout: float = 60.0, max_retries: int = 3) -> None:
        key = api_key if api_key is not None else os.environ.get(API_KEY_VARIABLE)
        if not key or not key.strip():
            raise ValueError(f"an API key is needed: pass api_key='sl_live_...' or set {API_KEY_VARIABLE}.")
        if any(c in key for c in "\r\n"):
            raise ValueError("the API key must be a single line.")
        url = base_url if base_url is not None else os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"{url!r} is not an http(s) URL.")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be a non-negative integer.")
        if timeout <= 0:
            raise ValueError("timeout must be positive.")
        self.base_url = url
        self._transport = Transport(url, key.strip(), timeout=timeout, max_retries=max_retries)
        self.artifacts = ArtifactsClient(self._transport)
        self.jobs = JobsClient(self._transport, self.artifacts)
        self.datasets = DatasetsClient(self._transport)

    def estimate(self, rows: int, kind: str = "mock") -> Estimate:
        """What a job of ``kind`` over ``rows`` rows would cost: ``estimated_credits`` and ``training_tier``."""
        answer = self._transport.json("POST", "v1/client/estimate", body={"rows": _integer("rows", rows), "kind": _string("kind", kind)})
        return Estimate.from_json(answer)

    def account(self) -> Account:
        """The account behind the API key: plan, balance, held and available credits."""
        return Account.from_json(self._transport.json("GET", "v1/account"))

    def close(self) -> None:
        """Nothing stays open between calls; here so the client can be used in a with block."""

    def __enter__(self) -> "RadMahClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RadMahClient(base_url={self.base_url!r})"
