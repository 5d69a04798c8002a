"""What the API returns, as small immutable records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Optional

from ._timefmt import parse_timestamp


@dataclass(frozen=True)
class Artifact:
    """One stored output of a job. ``content_hash`` is ``sha256:<hex>`` of its bytes."""

    id: str
    job_id: str
    artifact_type: str
    content_hash: str
    size_bytes: int
    media_type: str
    name: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Artifact":
        return cls(
            id=str(data["id"]),
            job_id=str(data.get("job_id", "")),
            artifact_type=str(data.get("artifact_type", "")),
            content_hash=str(data.get("content_hash", "")),
            size_bytes=int(data.get("size_bytes", 0)),
            media_type=str(data.get("media_type", "")),
            name=str(data.get("name", "")),
        )


@dataclass(frozen=True)
class Dataset:
    """An uploaded file: what analyze, fit and lift jobs read."""

    id: str
    name: str
    format: str
    content_hash: str
    size_bytes: int
    artifact_id: str
    created_at: Optional[datetime]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Dataset":
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            format=str(data.get("format", "")),
            content_hash=str(data.get("content_hash", "")),
            size_bytes=int(data.get("size_bytes", 0)),
            artifact_id=str(data.get("artifact_id", "")),
            created_at=parse_timestamp(data.get("created_at")),
        )


@dataclass(frozen=True)
class Account:
    """The account behind the API key: plan and credits (balance, held by running jobs, available)."""

    id: str
    plan: str
    balance: float
    held: float
    available: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Account":
        return cls(
            id=str(data["id"]),
            plan=str(data.get("plan", "")),
            balance=float(data.get("balance", 0)),
            held=float(data.get("held", 0)),
            available=float(data.get("available", 0)),
        )


@dataclass(frozen=True)
class Estimate:
    """What a job would cost. ``training_tier`` is empty unless training is involved."""

    estimated_credits: float
    training_tier: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Estimate":
        return cls(estimated_credits=float(data.get("estimated_credits", 0)), training_tier=str(data.get("training_tier", "")))
