"""Typed errors. Every error the server answers becomes one of these, carrying its message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class FieldViolation:
    """A request field the server refused, and why."""

    field: str
    description: str


class RadMahError(Exception):
    """Base of every error this package raises about the API.

    ``message`` is the server's message; ``status_code`` the HTTP status (None for errors found on
    this side); ``status`` the API's status name (``INVALID_ARGUMENT``, ``NOT_FOUND``, ...);
    ``details`` the google.rpc details the server attached.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: Optional[int] = None,
        status: Optional[str] = None,
        details: Optional[List[Dict[str, Any]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.status = status
        self.details: List[Dict[str, Any]] = list(details or [])

    def __str__(self) -> str:
        if self.status_code is None:
            return self.message
        return f"{self.message} (HTTP {self.status_code} {self.status or ''})".rstrip()


class AuthenticationError(RadMahError):
    """The API key is missing, malformed, unknown or revoked (401)."""


class NotFoundError(RadMahError):
    """No such job, artifact or dataset for this account (404)."""


class ValidationError(RadMahError):
    """The request was refused as invalid (400); ``violations`` names the fields and why."""

    @property
    def violations(self) -> List[FieldViolation]:
        found: List[FieldViolation] = []
        for detail in self.details:
            for violation in detail.get("fieldViolations", []) or []:
                found.append(FieldViolation(str(violation.get("field", "")), str(violation.get("description", ""))))
        return found


class InsufficientCreditsError(RadMahError):
    """The account's available credits do not cover the job's estimate."""


class ConflictError(RadMahError):
    """The request clashes with one made before (409): an idempotency key sent with a different request."""


class RateLimitedError(RadMahError):
    """The plan's rate limit was exceeded (429) and the retries ran out; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailableError(RadMahError):
    """The service stayed briefly unavailable (503, 502, 504 or no connection) through the retries."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class JobNotSucceededError(RadMahError):
    """Results were asked of a job that has not succeeded (still running, failed or canceled)."""


class IntegrityError(RadMahError):
    """A download's SHA-256 differs from the digest the server announced; nothing was written."""
