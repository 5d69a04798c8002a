"""client.datasets: streamed uploads, listing, and a job over an upload."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import pytest

from radmah_sdk import NotFoundError, ValidationError


def _table(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.write("id,city,amount,visited\n")
        cities = ["Lyon", "Oslo", "Quito", "Pune", "Accra"]
        for i in range(rows):
            out.write(f"{i},{cities[i % 5]},{(i * 37) % 1000 / 10:.1f},{2020 + i % 5}-0{1 + i % 9}-1{i % 9}\n")
    return path


def test_an_upload_is_listed_found_and_analyzed(node, tmp_path: Path) -> None:
    client = node.client()
    path = _table(tmp_path / "visits.csv", 2_000)
    dataset = client.datasets.upload(path)
    assert dataset.id.startswith("ds_") and dataset.name == "visits.csv" and dataset.format == "csv"
    assert dataset.content_hash == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert dataset.size_bytes == path.stat().st_size
    assert [d.id for d in client.datasets.list()] == [dataset.id]
    assert client.datasets.get(dataset.id) == dataset
    job = client.jobs.create(kind="analyze", dataset_id=dataset.id).wait(poll_interval=0.2)
    assert job.status == "succeeded"
    assert "report.html" in [a.artifact_type for a in job.artifacts()]


def test_a_weka_arff_file_uploads_as_arff_and_trains_and_samples_in_one_job(client, tmp_path: Path) -> None:
    path = tmp_path / "beans.arff"
    with open(path, "w", encoding="utf-8") as out:
        out.write("% beans, as Weka writes a table\n@relation beans\n")
        out.write("@attribute variety {arcadia, borlotti}\n@attribute length_mm numeric\n@data\n")
        for i in range(300):
            out.write(f"{['arcadia', 'borlotti'][i % 2]},{10 + 5 * (i % 2) + (i * 7) % 13 / 10:.1f}\n")
    dataset = client.datasets.upload(path, format="arff")
    assert dataset.format == "arff"
    job = client.jobs.create(kind="synthesize", dataset_id=dataset.id, rows=400, seed=3).wait(poll_interval=0.2)
    assert job.status == "succeeded", job.error
    lines = job.download(tmp_path / "synthetic.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "variety,length_mm" and len(lines) == 401
    assert {line.split(",")[0] for line in lines[1:]} == {"arcadia", "borlotti"}


def test_an_upload_is_streamed_not_read_into_memory_whole(client, tmp_path: Path) -> None:
    path = _table(tmp_path / "big.csv", 600_000)
    size = path.stat().st_size
    assert size > 15 << 20
    tracemalloc.start()
    try:
        dataset = client.datasets.upload(path, name="big.csv", format="csv")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert dataset.size_bytes == size
    assert peak < size // 8, f"peak Python allocation {peak} bytes for a {size}-byte upload"


def test_bad_uploads_are_refused_clearly(client, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        client.datasets.upload(tmp_path / "missing.csv")
    with pytest.raises(ValidationError):
        client.datasets.upload(_table(tmp_path / "t.csv", 10), format="xlsx")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError):
        client.datasets.upload(empty)
    with pytest.raises(NotFoundError):
        client.datasets.get("ds_aaaaaaaaaaaaaaaaaaaa")


def test_a_model_is_trained_on_an_upload_and_rows_are_synthesized_from_it(node, tmp_path: Path) -> None:
    client = node.client()
    dataset = client.datasets.upload(_table(tmp_path / "visits.csv", 1_500))
    train = client.jobs.create(kind="train", dataset_id=dataset.id, params={"model": "gaussian_copula"}).wait(poll_interval=0.2)
    assert train.status == "succeeded", train.error
    assert [a.artifact_type for a in train.artifacts()][:3] == ["model.json", "training-report.json", "training-report.html"]
    synth = client.jobs.create(kind="synthesize", rows=800, params={"model_job_id": train.id}).wait(poll_interval=0.2)
    assert synth.status == "succeeded", synth.error
    frame = synth.to_dataframe()
    assert list(frame.columns) == ["id", "city", "amount", "visited"]
    assert len(frame) == 800
    assert set(frame["city"]) <= {"Lyon", "Oslo", "Quito", "Pune", "Accra"}
    with pytest.raises(ValidationError) as refused:
        client.jobs.create(kind="train", dataset_id=dataset.id, params={"model": "ctgan", "pac": "3"})
    assert "batch_size must be even and a multiple of pac (3)" in str(refused.value)
