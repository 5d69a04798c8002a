"""Results: digest-checked downloads, DataFrames, and the evidence `radmah verify` checks offline."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from conftest import radmah_command
from proxy import Proxy
from radmah_sdk import IntegrityError, RadMahClient


def test_a_download_whose_bytes_differ_from_the_announced_digest_is_refused_and_leaves_no_file(node, api_key, tmp_path: Path) -> None:
    job = RadMahClient(api_key=api_key, base_url=node.base_url).jobs.create(rows=1_000, description="orders").wait(poll_interval=0.1)
    with Proxy(node.base_url, lambda method, path, key, n: None, corrupt_content=True) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        with pytest.raises(IntegrityError, match="digest"):
            client.jobs.get(job_id=job.id).download(tmp_path / "output.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_download_streams_to_the_file_with_the_digest_checked(client, tmp_path: Path) -> None:
    job = client.jobs.create(rows=300_000, description="patients").wait(poll_interval=0.2)
    artifact = job.artifacts()[0]
    written = client.artifacts.download(artifact_id=artifact.id, path=tmp_path / "deep" / "er" / "data.csv")
    data = written.read_bytes()
    assert len(data) == artifact.size_bytes > 1 << 20
    assert "sha256:" + hashlib.sha256(data).hexdigest() == artifact.content_hash


def test_to_dataframe_reads_a_mock_jobs_rows(client) -> None:
    job = client.jobs.create(rows=2_000, description="customer transaction records", seed=3).wait(poll_interval=0.1)
    frame = job.to_dataframe()
    assert frame.shape == (2_000, 10)
    assert list(frame.columns)[:2] == ["transaction_id", "customer_id"]
    assert frame["amount"].dtype.kind == "f"


def test_to_dataframe_reads_the_arrow_artifact_when_pyarrow_is_installed(client) -> None:
    pytest.importorskip("pyarrow")
    job = client.jobs.create(rows=500, description="customer transaction records").wait(poll_interval=0.1)
    assert job.to_dataframe().shape == (500, 10)


def test_download_all_writes_what_radmah_verify_checks_offline(client, tmp_path: Path) -> None:
    job = client.jobs.create(rows=1_000, description="orders").wait(poll_interval=0.1)
    folder = job.download_all(tmp_path / "evidence")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([a.name for a in job.artifacts()] + ["seal-proof.json", "checkpoint.txt", "keys.pem"])
    result = subprocess.run(radmah_command() + ["verify", str(folder / "evidence.dsse.json")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # A changed byte in a result is caught offline.
    csv = folder / "dataset.csv"
    csv.write_bytes(b"x" + csv.read_bytes()[1:])
    tampered = subprocess.run(radmah_command() + ["verify", str(folder / "evidence.dsse.json")], capture_output=True, text=True, timeout=120)
    assert tampered.returncode != 0
