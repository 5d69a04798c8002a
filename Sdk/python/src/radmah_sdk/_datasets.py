"""client.datasets: uploaded files that analyze, fit and lift jobs read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any, Iterator, List, Optional, Union
from urllib.parse import quote

from ._artifacts import _require_id
from ._errors import ValidationError
from ._http import RATE_LIMITED_ONLY, Transport
from ._models import Dataset
from ._progress import Progress

FORMATS = ("csv", "tsv", "parquet", "arrow", "jsonl", "json", "arff")


class DatasetsClient:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def upload(self, path: Union[str, "os.PathLike[str]"], *, name: Optional[str] = None, format: Optional[str] = None, progress: bool = False) -> Dataset:
        """Uploads a file (CSV, TSV, Parquet, Arrow IPC or JSON Lines), streamed from disk: it is
        never read into memory whole. The format is detected from the content unless ``format`` says.
        Refused for the rate limit (429), it is sent again from the file's start.
        """
        file_path = Path(os.fspath(path))
        if not file_path.is_file():
            raise FileNotFoundError(f"no file at {file_path}")
        if format is not None and format not in FORMATS:
            message = f"format must be one of {', '.join(FORMATS)}, not {format!r}."
            raise ValidationError(message, details=[{"fieldViolations": [{"field": "format", "description": message}]}])
        size = file_path.stat().st_size
        bar = Progress(progress, total=float(size), description=file_path.name, unit="B", unit_scale=True)

        def body() -> IO[bytes]:
            return _CountingReader(open(file_path, "rb"), bar)

        try:
            with self._transport.open(
                "POST",
                "v1/datasets",
                query={"name": name or file_path.name, "format": format},
                body=body,
                headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
                resend=RATE_LIMITED_ONLY,
            ) as response:
                import json

                return Dataset.from_json(json.loads(response.read().decode("utf-8")))
        finally:
            bar.close()

    def list(self) -> List[Dataset]:
        """The account's datasets, newest first."""
        return [Dataset.from_json(d) for d in self._transport.json("GET", "v1/datasets").get("datasets", [])]

    def get(self, dataset_id: str) -> Dataset:
        _require_id("dataset_id", dataset_id)
        return Dataset.from_json(self._transport.json("GET", f"v1/datasets/{quote(dataset_id, safe='')}"))


class _CountingReader:
    """A file read in blocks by http.client, moving the progress bar as it goes; closed at its end."""

    def __init__(self, file: IO[bytes], bar: Progress) -> None:
        self._file = file
        self._bar = bar

    def read(self, size: int = -1) -> bytes:
        block = self._file.read(size)
        if block:
            self._bar.advance(len(block))
        else:
            self._file.close()
        return block

    def __iter__(self) -> Iterator[bytes]:
        while True:
            block = self.read(1 << 16)
            if not block:
                return
            yield block

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)
