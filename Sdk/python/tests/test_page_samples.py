"""Every sample of the product page (../shared/seed/running-jobs.txt), as written there, with a real key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from radmah_sdk import RadMahClient


@pytest.fixture()
def page_client(node, api_key, monkeypatch: pytest.MonkeyPatch):
    # The page writes RadMahClient(api_key="sl_live_..."); the key and address come from the environment here.
    monkeypatch.setenv("RADMAH_BASE_URL", node.base_url)
    return lambda: RadMahClient(api_key=api_key)


def test_creating_a_job_runs_as_the_page_shows(page_client, capsys: pytest.CaptureFixture[str]) -> None:
    client = page_client()
    # Generate synthetic data from a description
    job = client.jobs.create(
        rows=100_000,
        description="customer transaction records"
    )
    # Wait for completion (polls every 2s)
    job.wait()
    print(f"Status: {job.status}")
    print(f"Job ID: {job.id}")
    out = capsys.readouterr().out
    assert f"Status: succeeded\nJob ID: {job.id}\n" == out
    assert job.kind == "mock" and job.rows == 100_000 and job.credits_charged == pytest.approx(0.1)


def test_monitoring_jobs_runs_as_the_page_shows(page_client, capsys: pytest.CaptureFixture[str]) -> None:
    client = page_client()
    created = client.jobs.create(rows=1_000, description="orders")
    # Check status
    job = client.jobs.get(job_id=created.id)
    print(job.status)  # "running", "succeeded", etc.
    # List recent jobs
    jobs = client.jobs.list(limit=10)
    for j in jobs:
        print(f"{j.id}: {j.status}")
    # Wait with timeout
    job.wait(timeout_seconds=300)  # raises TimeoutError after 5 min
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] in ("queued", "running", "succeeded")
    assert lines[1].startswith(f"{created.id}: ")
    assert 2 <= len(lines) <= 11
    assert job.status == "succeeded"


def test_downloading_results_runs_as_the_page_shows(page_client, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client = page_client()
    job = client.jobs.create(rows=5_000, description="customer transaction records", seed=11)
    job.wait(poll_interval=0.2)
    # As a pandas DataFrame
    df = job.to_dataframe()
    # Download to a file
    job.download("output.csv")
    # List all artifacts for a job
    artifacts = client.artifacts.list(job_id=job.id)
    for a in artifacts:
        print(f"{a.artifact_type}: {a.content_hash}")
    # Download a specific artifact
    client.artifacts.download(artifact_id=artifacts[0].id, path="artifact.bin")

    assert df.shape[0] == 5_000 and "transaction_id" in df.columns
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"{a.artifact_type}: {a.content_hash}" for a in artifacts]
    assert [a.artifact_type for a in artifacts][:2] == ["dataset.csv", "dataset.arrow"]
    for artifact in artifacts:
        assert artifact.id.startswith("art_") and artifact.size_bytes > 0
    csv_hash = "sha256:" + hashlib.sha256((in_tmp / "output.csv").read_bytes()).hexdigest()
    assert csv_hash == artifacts[0].content_hash
    assert (in_tmp / "artifact.bin").read_bytes() == (in_tmp / "output.csv").read_bytes()


def test_canceling_and_rerunning_runs_as_the_page_shows(page_client) -> None:
    client = page_client()
    running = client.jobs.create(rows=200_000_000, description="orders")
    job = client.jobs.create(rows=20_000, description="orders", seed=5)
    job.wait(poll_interval=0.2)
    # Cancel a running job
    client.jobs.cancel(job_id=running.id)
    # Rerun a completed job (same sealed contract, same seed = identical output)
    rerun = client.jobs.rerun(job_id=job.id)
    rerun.wait()

    assert client.jobs.get(job_id=running.id).status == "canceled"
    assert rerun.status == "succeeded" and rerun.rerun_of == job.id and rerun.id != job.id
    same = lambda j: [(a.artifact_type, a.content_hash) for a in j.artifacts() if a.artifact_type != "evidence.dsse.json"]  # noqa: E731
    assert same(rerun) == same(job)


def test_estimating_credits_gives_the_pages_answer(page_client) -> None:
    client = page_client()
    estimate = client.estimate(rows=1_000_000, kind="synthesize")
    # Response: { "estimated_credits": 1, "training_tier": "GPU-S" }
    assert estimate.estimated_credits == 1
    assert estimate.training_tier == "GPU-S"
    mock = client.estimate(rows=2_500_000, kind="mock")
    assert mock.estimated_credits == pytest.approx(2.5) and mock.training_tier == ""
