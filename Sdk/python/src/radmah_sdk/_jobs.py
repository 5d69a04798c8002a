"""client.jobs and the Job object of the product page."""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Union
from urllib.parse import quote

from ._artifacts import ArtifactsClient, _require_id
from ._errors import AuthenticationError, JobNotSucceededError, RadMahError, ValidationError
from ._events import SILENCE_SECONDS, JobEventStream
from ._http import RATE_LIMITED_ONLY, SAFE, Transport
from ._models import Artifact
from ._progress import Progress
from ._timefmt import parse_timestamp

if TYPE_CHECKING:  # pragma: no cover
    import pandas

TERMINAL = ("succeeded", "failed", "canceled")
IDEMPOTENCY_HEADER = "Idempotency-Key"

# What `radmah verify` reads beside the artifacts (the CLI's --download-all writes the same names).
PROOF_FILE = "seal-proof.json"
CHECKPOINT_FILE = "checkpoint.txt"
KEYS_FILE = "keys.pem"


class Job:
    """A job as last seen. ``wait()``, ``watch()`` and ``refresh()`` update it in place."""

    def __init__(self, client: "JobsClient", data: Mapping[str, Any]) -> None:
        self._client = client
        self._data: Dict[str, Any] = dict(data)

    # -- what the API says about the job -------------------------------------------------------
    @property
    def id(self) -> str:
        return str(self._data["id"])

    @property
    def kind(self) -> str:
        return str(self._data.get("kind", ""))

    @property
    def status(self) -> str:
        """created, queued, running, succeeded, failed or canceled."""
        return str(self._data.get("status", ""))

    @property
    def rows(self) -> int:
        return int(self._data.get("rows", 0))

    @property
    def rows_done(self) -> int:
        return int(self._data.get("rows_done", 0))

    @property
    def training(self) -> dict | None:
        """While a neural model trains: {"epoch", "epochs", "losses": {name: value}}; None otherwise."""
        value = self._data.get("training")
        return dict(value) if value else None

    @property
    def seed(self) -> int:
        return int(self._data.get("seed", 0))

    @property
    def description(self) -> str:
        return str(self._data.get("description", ""))

    @property
    def contract_digest(self) -> str:
        """sha256:... of the sealed contract: the same contract and seed give the same output."""
        return str(self._data.get("contract_digest", ""))

    @property
    def credits_charged(self) -> float:
        return float(self._data.get("credits_charged", 0))

    @property
    def error(self) -> Optional[str]:
        """Why the job failed; None otherwise."""
        return self._data.get("error") or None

    @property
    def warnings(self) -> List[str]:
        return list(self._data.get("warnings") or [])

    @property
    def rerun_of(self) -> Optional[str]:
        return self._data.get("rerun_of") or None

    @property
    def tier(self) -> Optional[str]:
        """The queue the job was routed to (radmah-default, radmah-free, ...)."""
        return self._data.get("tier") or None

    @property
    def created_at(self) -> Optional[datetime]:
        return parse_timestamp(self._data.get("created_at"))

    @property
    def queued_at(self) -> Optional[datetime]:
        return parse_timestamp(self._data.get("queued_at"))

    @property
    def started_at(self) -> Optional[datetime]:
        return parse_timestamp(self._data.get("started_at"))

    @property
    def finished_at(self) -> Optional[datetime]:
        return parse_timestamp(self._data.get("finished_at"))

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    def to_dict(self) -> Dict[str, Any]:
        """The job as the API last returned it."""
        return dict(self._data)

    def __repr__(self) -> str:
        return f"Job(id={self.id!r}, kind={self.kind!r}, status={self.status!r}, rows={self.rows})"

    # -- following the job ---------------------------------------------------------------------
    def refresh(self) -> "Job":
        self._data = self._client._get_data(self.id)
        return self

    def wait(self, timeout_seconds: Optional[float] = None, *, poll_interval: float = 2.0, stream: bool = False, progress: bool = False) -> "Job":
        """Waits until the job is succeeded, failed or canceled, polling every 2 s (``poll_interval``)
        or, with ``stream=True``, following ``watch()``. Raises the built-in TimeoutError when
        ``timeout_seconds`` pass first. Returns the job, whose ``status`` is then final.
        """
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive.")
        if timeout_seconds is not None and timeout_seconds < 0:
            raise ValueError("timeout_seconds must not be negative.")
        deadline = None if timeout_seconds is None else time.monotonic() + timeout_seconds
        with Progress(progress, total=float(max(1, self.rows)), description=self.status, unit="row", unit_scale=True) as bar:
            states = self._follow(poll_interval, stream, deadline)
            try:
                for job in states:
                    bar.update_to(float(job.rows if job.status == "succeeded" else job.rows_done), job.status)
            finally:
                states.close()
        return self

    def watch(self, *, poll_interval: float = 2.0) -> Iterator["Job"]:
        """The job now, then each change until it is terminal, updating this object as they come.

        It follows the server's event stream (GET /v1/jobs/{id}:watch). A stream that breaks is
        opened again; after three breaks, or where the server has none, it polls every
        ``poll_interval`` seconds instead and yields when the status or the progress moved.
        """
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive.")
        return self._follow(poll_interval, True, None)

    def _follow(self, poll_interval: float, stream: bool, deadline: Optional[float]) -> Iterator["Job"]:
        breaks = 0 if stream else 3
        events: Optional[JobEventStream] = None
        first = True
        try:
            while first or not self.is_terminal:
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError(f"job {self.id} is still {self.status} after the wait's timeout.")
                if events is None and breaks < 3:
                    # A wait with a deadline reads no longer than the time it has left.
                    read_timeout = SILENCE_SECONDS if deadline is None else max(0.05, min(SILENCE_SECONDS, deadline - time.monotonic()))
                    try:
                        events = JobEventStream(self._client._transport, self.id, read_timeout)
                    except AuthenticationError:
                        raise
                    except (RadMahError, OSError):
                        breaks = 3  # no stream here: polling says what is wrong, if anything
                if events is not None:
                    try:
                        data = events.next()
                    except ValueError:
                        data = None
                    if data is not None:
                        self._data = data
                        first = False
                        yield self
                        continue
                    events.close()
                    events = None
                    breaks += 1
                before = (self.status, self.rows_done, (self.training or {}).get("epoch"))
                if not first:
                    pause = poll_interval if deadline is None else min(poll_interval, max(0.0, deadline - time.monotonic()))
                    time.sleep(pause)
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"job {self.id} is still {self.status} after the wait's timeout.")
                self.refresh()
                if first or (self.status, self.rows_done, (self.training or {}).get("epoch")) != before:
                    yield self
                first = False
        finally:
            if events is not None:
                events.close()

    # -- results -------------------------------------------------------------------------------
    def artifacts(self) -> List[Artifact]:
        return self._client._artifacts.list(self.id)

    def _require_succeeded(self) -> None:
        if self.status != "succeeded":
            raise JobNotSucceededError(f"job {self.id} is {self.status}; only a succeeded job has results.")

    def download(self, path: Union[str, "os.PathLike[str]"], *, progress: bool = False) -> Path:
        """Writes the job's main result to ``path``, digest checked: the first artifact listed
        (a mock job's dataset.csv, an analyze job's report.html, ...)."""
        self._require_succeeded()
        artifacts = self.artifacts()
        if not artifacts:
            raise JobNotSucceededError(f"job {self.id} has no result to download.")
        return self._client._artifacts.download(artifacts[0].id, path, progress=progress)

    def download_all(self, directory: Union[str, "os.PathLike[str]"], *, progress: bool = False) -> Path:
        """Everything `radmah verify` needs, in one directory, as the CLI's --download-all writes
        it: every artifact by name, the seal proof (seal-proof.json), its checkpoint
        (checkpoint.txt) and the public keys (keys.pem). Check it offline with
        ``radmah verify DIR/evidence.dsse.json``."""
        self._require_succeeded()
        target = Path(os.fspath(directory))
        artifacts = self.artifacts()
        for artifact in artifacts:
            if Path(artifact.name).name != artifact.name or artifact.name in (".", ".."):
                raise RadMahError(f"artifact name {artifact.name!r} is not a plain file name; nothing more was written.")
        target.mkdir(parents=True, exist_ok=True)
        for artifact in artifacts:
            self._client._artifacts.download(artifact.id, target / artifact.name, progress=progress)
        proof = self._client._transport.text(f"v1/seals/{quote(self.id, safe='')}")
        import json

        checkpoint = json.loads(proof).get("checkpoint")
        if not checkpoint:
            raise RadMahError("the server's seal proof carries no checkpoint.")
        (target / PROOF_FILE).write_text(proof, encoding="utf-8")
        (target / CHECKPOINT_FILE).write_text(checkpoint, encoding="utf-8")
        keys = self._client._transport.json("GET", "v1/keys").get("keys", [])
        (target / KEYS_FILE).write_text("".join(k["public_key_pem"].rstrip() + "\n" for k in keys), encoding="utf-8")
        return target

    def to_dataframe(self) -> "pandas.DataFrame":
        """The job's rows as a pandas DataFrame: read from the Arrow artifact when pyarrow is
        installed (column types as generated), otherwise from the CSV; digests checked either way."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas (or radmah-sdk[pandas])") from None
        self._require_succeeded()
        by_type = {a.artifact_type: a for a in self.artifacts()}
        try:
            import pyarrow.ipc as arrow_ipc
        except ImportError:
            arrow_ipc = None
        with tempfile.TemporaryDirectory(prefix="radmah-") as scratch:
            if arrow_ipc is not None and "dataset.arrow" in by_type:
                path = self._client._artifacts.download(by_type["dataset.arrow"].id, Path(scratch) / "dataset.arrow")
                with arrow_ipc.open_file(str(path)) as reader:
                    return reader.read_all().to_pandas()
            if "dataset.csv" in by_type:
                path = self._client._artifacts.download(by_type["dataset.csv"].id, Path(scratch) / "dataset.csv")
                return pandas.read_csv(path)
        kinds = ", ".join(sorted(by_type)) or "none"
        raise JobNotSucceededError(f"job {self.id} ({self.kind}) has no table to read: its artifacts are {kinds}.")

    # -- the page's shortcuts ------------------------------------------------------------------
    def cancel(self) -> "Job":
        self._data = self._client.cancel(job_id=self.id)._data
        return self

    def rerun(self) -> "Job":
        return self._client.rerun(job_id=self.id)


class JobPage:
    """One page of ``client.jobs.list()``, newest first: iterate it, index it, or ask for the next page."""

    def __init__(self, client: "JobsClient", jobs: List[Job], next_page_token: Optional[str], limit: int) -> None:
        self._client = client
        self.jobs = jobs
        self.next_page_token = next_page_token
        self._limit = limit

    def __iter__(self) -> Iterator[Job]:
        return iter(self.jobs)

    def __len__(self) -> int:
        return len(self.jobs)

    def __getitem__(self, index: int) -> Job:
        return self.jobs[index]

    @property
    def has_more(self) -> bool:
        return self.next_page_token is not None

    def next_page(self) -> Optional["JobPage"]:
        """The page after this one, or None at the end."""
        if self.next_page_token is None:
            return None
        return self._client.list(limit=self._limit, page_token=self.next_page_token)

    def __repr__(self) -> str:
        return f"JobPage({len(self.jobs)} jobs, has_more={self.has_more})"


def _params(params: Any) -> Dict[str, str]:
    """Params are strings; a document (a dict or list, such as a simulate scenario) is sent as one line of JSON."""
    if not isinstance(params, Mapping) or not all(isinstance(k, str) for k in params):
        raise _invalid("params", "params must map names to strings, e.g. {'job_id': 'job_...'}.")
    out: Dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, str):
            out[key] = value
        elif isinstance(value, (Mapping, list)):
            out[key] = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        else:
            raise _invalid("params", f"params[{key!r}] must be a string, or a dict or list sent as JSON (a scenario document).")
    return out


class JobsClient:
    def __init__(self, transport: Transport, artifacts: ArtifactsClient) -> None:
        self._transport = transport
        self._artifacts = artifacts

    def create(
        self,
        rows: Optional[int] = None,
        description: Optional[str] = None,
        *,
        kind: Optional[str] = None,
        seed: Optional[int] = None,
        dataset_id: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        interactive: bool = False,
        idempotency_key: Optional[str] = None,
    ) -> Job:
        """Submits a job (mock unless ``kind`` says; seed 42 unless given). The server says which
        fields and params a kind takes; its refusals come back as ValidationError.

        The request carries an Idempotency-Key (``idempotency_key``, or a fresh one) that this
        client's retries reuse: a create retried after a lost answer returns the job it created,
        never a second one, and holds its credits once.
        """
        body: Dict[str, Any] = {}
        if rows is not None:
            body["rows"] = _integer("rows", rows)
        if description is not None:
            body["description"] = _string("description", description)
        if kind is not None:
            body["kind"] = _string("kind", kind)
        if seed is not None:
            body["seed"] = _integer("seed", seed)
        if dataset_id is not None:
            body["dataset_id"] = _string("dataset_id", dataset_id)
        if params:
            body["params"] = _params(params)
        if interactive:
            body["interactive"] = True
        key = idempotency_key if idempotency_key is not None else str(uuid.uuid4())
        data = self._transport.json("POST", "v1/jobs", body=body, headers={IDEMPOTENCY_HEADER: _string("idempotency_key", key)}, resend=SAFE)
        return Job(self, data)

    def get(self, job_id: str) -> Job:
        return Job(self, self._get_data(job_id))

    def _get_data(self, job_id: str) -> Dict[str, Any]:
        _require_id("job_id", job_id)
        return dict(self._transport.json("GET", f"v1/jobs/{quote(job_id, safe='')}"))

    def list(self, limit: int = 10, *, page_token: Optional[str] = None) -> JobPage:
        """The most recent jobs, newest first (``limit`` 1 to 100); ``.next_page()`` pages further."""
        answer = self._transport.json("GET", "v1/jobs", query={"limit": _integer("limit", limit), "page_token": page_token})
        return JobPage(self, [Job(self, j) for j in answer.get("jobs", [])], answer.get("next_page_token") or None, limit)

    def list_all(self, page_size: int = 100) -> Iterator[Job]:
        """Every job of the account, newest first, fetched a page at a time as you iterate."""
        page: Optional[JobPage] = self.list(limit=page_size)
        while page is not None:
            yield from page
            page = page.next_page()

    def cancel(self, job_id: str) -> Job:
        _require_id("job_id", job_id)
        return Job(self, self._transport.json("POST", f"v1/jobs/{quote(job_id, safe='')}:cancel", resend=RATE_LIMITED_ONLY))

    def rerun(self, job_id: str) -> Job:
        """A new job from the same sealed contract and seed: identical output."""
        _require_id("job_id", job_id)
        return Job(self, self._transport.json("POST", f"v1/jobs/{quote(job_id, safe='')}:rerun", resend=RATE_LIMITED_ONLY))


def _invalid(field: str, message: str) -> ValidationError:
    """Bad input found before sending: the same error the server would give, without a status code."""
    return ValidationError(message, details=[{"fieldViolations": [{"field": field, "description": message}]}])


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(name, f"{name} must be an integer, not {value!r}.")
    return value


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid(name, f"{name} must be a string, not {value!r}.")
    return value
