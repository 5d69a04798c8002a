"""Waiting without polling: job.watch() over the server-sent events of GET /v1/jobs/{id}:watch."""

from __future__ import annotations

import pytest

from proxy import Proxy
from radmah_sdk import RadMahClient


def test_watch_streams_each_change_until_the_job_is_terminal_and_updates_the_job(client) -> None:
    job = client.jobs.create(rows=3_000_000, description="orders")
    seen = [(j.status, j.rows_done) for j in job.watch()]
    assert seen[-1] == ("succeeded", 3_000_000)
    assert job.status == "succeeded" and job.finished_at is not None
    statuses = [s for s, _ in seen]
    assert statuses.index("succeeded") == len(statuses) - 1
    done = [d for _, d in seen]
    assert done == sorted(done)


def test_watch_uses_the_stream_and_does_not_poll(node, api_key) -> None:
    # Streams pass this proxy only once they are over, so the test watches a job already finished.
    with Proxy(node.base_url, lambda method, path, key, n: None) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        job = client.jobs.create(rows=10, description="orders")
        client.jobs.get(job_id=job.id).wait(poll_interval=0.1)
        before = len(proxy.seen)
        assert [j.status for j in job.watch()] == ["succeeded"]
    after = proxy.seen[before:]
    assert [p for _, p, _, _ in after] == [f"/v1/jobs/{job.id}:watch"]


def test_watch_falls_back_to_polling_where_the_server_has_no_stream(node, api_key) -> None:
    no_stream = lambda method, path, key, n: (404, {"Content-Type": "application/json"}, b'{"error":{"code":404,"status":"NOT_FOUND","message":"no such route."}}') if path.endswith(":watch") else None  # noqa: E731
    with Proxy(node.base_url, no_stream, forward_refused=False) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        job = client.jobs.create(rows=500_000, description="orders")
        states = [j.status for j in job.watch(poll_interval=0.1)]
    assert states[-1] == "succeeded"
    assert any(p == f"/v1/jobs/{job.id}" for _, p, _, _ in proxy.seen)


def test_wait_polls_by_default_and_streams_when_asked(node, api_key) -> None:
    with Proxy(node.base_url, lambda method, path, key, n: None) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        job = client.jobs.create(rows=10, description="orders")
        job.wait(poll_interval=0.1)
    assert job.status == "succeeded"
    assert not any(p.endswith(":watch") for _, p, _, _ in proxy.seen)
    streamed = RadMahClient(api_key=api_key, base_url=node.base_url).jobs.create(rows=200_000, description="orders")
    assert streamed.wait(stream=True).status == "succeeded"


def test_a_progress_bar_follows_the_wait_when_tqdm_is_installed(client, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    job = client.jobs.create(rows=500_000, description="orders")
    job.wait(poll_interval=0.1, progress=True)
    assert job.status == "succeeded"
    assert "succeeded" in capsys.readouterr().err


def test_asking_for_progress_without_tqdm_names_the_package(client, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import sys

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)

    for name in [m for m in sys.modules if m == "tqdm" or m.startswith("tqdm.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    job = client.jobs.create(rows=10, description="orders")
    with pytest.raises(ImportError, match="pip install tqdm"):
        job.wait(progress=True)
    assert job.wait(poll_interval=0.1).status == "succeeded"
