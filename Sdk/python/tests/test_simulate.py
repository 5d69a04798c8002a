"""simulate through the Python SDK: a scenario as a dict, the plant data as a DataFrame, refusals with the JSON path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radmah_sdk import ValidationError


SCENARIO = {
    "duration": "20m",
    "initial_levels_mm": {"T101": 700, "T301": 300},
    "events": [
        {"id": "A1", "type": "sensor_spoof", "targets": ["LIT101"], "start": "5m", "duration": "10m", "mode": "constant", "value": 1000},
    ],
}


def test_a_scenario_dict_runs_and_its_wide_table_carries_the_attack_labels(node, tmp_path: Path) -> None:
    client = node.client()
    job = client.jobs.create(kind="simulate", seed=3, params={"scenario": SCENARIO}).wait(poll_interval=0.2)
    assert job.status == "succeeded", job.error
    assert job.rows == 1_200
    frame = job.to_dataframe()
    assert list(frame.columns[:3]) == ["Timestamp", "FIT101", "LIT101"]
    assert (frame["Normal/Attack"] == "Attack").sum() == 600
    assert set(frame.loc[frame["Normal/Attack"] == "Attack", "event_id"]) == {"A1"}
    labels_artifact = next(a for a in job.artifacts() if a.artifact_type == "labels.json")
    labels = json.loads(client.artifacts.download(labels_artifact.id, tmp_path / "labels.json").read_text())
    assert "MV101" in [d["tag"] for d in labels["events"][0]["deviations"]]

    # The same scenario from a file, compacted by json.load + the SDK, is the same contract.
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(SCENARIO, indent=2))
    again = client.jobs.create(kind="simulate", seed=3, params={"scenario": json.loads(path.read_text())})
    assert again.contract_digest == job.contract_digest


def test_a_bad_scenario_is_refused_with_its_json_path(node) -> None:
    client = node.client()
    bad = dict(SCENARIO, events=[dict(SCENARIO["events"][0], targets=["LIT999"])])
    with pytest.raises(ValidationError) as refused:
        client.jobs.create(kind="simulate", params={"scenario": bad})
    assert "$.events[0].targets[0]: 'LIT999' is not a tag of the plant" in str(refused.value)
    with pytest.raises(ValidationError):
        client.jobs.create(kind="simulate", params={"scenario": 12})
