"""client.artifacts: a job's stored outputs, downloaded with their digest checked."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import List, Union
from urllib.parse import quote

from ._errors import IntegrityError, ValidationError
from ._http import SAFE, Transport
from ._models import Artifact
from ._progress import Progress

DIGEST_HEADER = "X-Content-SHA256"
_CHUNK = 1 << 16

PathLike = Union[str, "os.PathLike[str]"]


class ArtifactsClient:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(self, job_id: str) -> List[Artifact]:
        """The job's artifacts, its main result first (a mock job's dataset.csv, an analyze job's report.html, ...)."""
        _require_id("job_id", job_id)
        answer = self._transport.json("GET", f"v1/jobs/{quote(job_id, safe='')}/artifacts")
        return [Artifact.from_json(a) for a in answer.get("artifacts", [])]

    def download(self, artifact_id: str, path: PathLike, *, progress: bool = False) -> Path:
        """Streams the artifact to ``path``, hashing while it writes.

        The file appears only when its SHA-256 matches the digest the server announced
        (X-Content-SHA256); otherwise nothing is left behind and IntegrityError is raised.
        Returns the path written.
        """
        _require_id("artifact_id", artifact_id)
        target = Path(os.fspath(path)).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with self._transport.open("GET", f"v1/artifacts/{quote(artifact_id, safe='')}/content", accept="*/*") as response:
            expected = response.headers.get(DIGEST_HEADER)
            if not expected:
                raise IntegrityError(f"the server sent no {DIGEST_HEADER} header for {artifact_id}; nothing was written.")
            length = response.headers.get("Content-Length")
            digest = hashlib.sha256()
            try:
                with open(partial, "wb") as file, Progress(progress, total=float(length) if length else None, description=target.name, unit="B", unit_scale=True) as bar:
                    while True:
                        chunk = response.read(_CHUNK)
                        if not chunk:
                            break
                        digest.update(chunk)
                        file.write(chunk)
                        bar.advance(len(chunk))
                actual = "sha256:" + digest.hexdigest()
                if actual != expected:
                    raise IntegrityError(f"artifact {artifact_id} arrived with digest {actual}, not the announced {expected}; nothing was written.")
                os.replace(partial, target)
            finally:
                if partial.exists():
                    partial.unlink()
        return target


def _require_id(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        message = f"{name} must be a non-empty string, not {value!r}."
        raise ValidationError(message, details=[{"fieldViolations": [{"field": name, "description": message}]}])
