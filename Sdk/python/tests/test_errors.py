"""Each type of error, typed, with the server's message; bad input refused before anything is created."""

from __future__ import annotations

import builtins
import sys

import pytest

from radmah_sdk import (
    DEFAULT_BASE_URL,
    AuthenticationError,
    InsufficientCreditsError,
    JobNotSucceededError,
    NotFoundError,
    RadMahClient,
    RadMahError,
    ValidationError,
)


def test_an_unknown_key_is_an_authentication_error_with_the_servers_message(node) -> None:
    client = RadMahClient(api_key="sl_live_not_a_key_at_all", base_url=node.base_url)
    with pytest.raises(AuthenticationError) as caught:
        client.account()
    assert caught.value.status_code == 401
    assert "X-API-Key" in caught.value.message
    assert isinstance(caught.value, RadMahError)


def test_a_job_that_does_not_exist_is_not_found(client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.jobs.get(job_id="job_aaaaaaaaaaaaaaaaaaaa")
    assert "job_aaaaaaaaaaaaaaaaaaaa does not exist" in caught.value.message
    with pytest.raises(NotFoundError):
        client.artifacts.list(job_id="job_aaaaaaaaaaaaaaaaaaaa")


def test_refused_fields_come_back_as_validation_errors_naming_them(client) -> None:
    with pytest.raises(ValidationError) as caught:
        client.jobs.create(rows=0, description="orders")
    assert [v.field for v in caught.value.violations] == ["rows"]
    assert caught.value.status == "INVALID_ARGUMENT"
    with pytest.raises(ValidationError) as refused_kind:
        client.jobs.create(rows=10, description="orders", kind="train")
    assert "train" in refused_kind.value.message
    with pytest.raises(ValidationError):
        client.jobs.get(job_id="not-a-job")
    with pytest.raises(ValidationError):
        client.jobs.list(limit=1, page_token="nonsense")


def test_bad_input_is_refused_before_it_is_sent_and_creates_nothing(node) -> None:
    client = node.client()
    for call in (
        lambda: client.jobs.create(rows="many", description="orders"),  # type: ignore[arg-type]
        lambda: client.jobs.create(rows=True, description="orders"),  # type: ignore[arg-type]
        lambda: client.jobs.create(rows=10, description="orders", params={"n": 3}),  # type: ignore[dict-item]
        lambda: client.jobs.create(rows=10, description="orders", seed=1.5),  # type: ignore[arg-type]
        lambda: client.jobs.get(job_id=""),
        lambda: client.estimate(rows=None, kind="mock"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.status_code is None and caught.value.violations
    assert len(client.jobs.list(limit=100)) == 0


def test_short_credits_are_an_insufficient_credits_error_and_hold_nothing(node) -> None:
    client = node.client(credits=0.01)
    with pytest.raises(InsufficientCreditsError) as caught:
        client.jobs.create(rows=100_000, description="orders")
    assert "credit" in caught.value.message
    account = client.account()
    assert account.held == 0 and account.available == pytest.approx(0.01)
    assert len(client.jobs.list()) == 0


def test_a_wait_past_its_timeout_raises_the_builtin_TimeoutError(node) -> None:
    client = node.client(credits=1000)
    job = client.jobs.create(rows=300_000_000, description="orders")
    with pytest.raises(TimeoutError):
        job.wait(timeout_seconds=0.5, poll_interval=0.1)
    with pytest.raises(TimeoutError):
        job.wait(timeout_seconds=0.5, stream=True)
    assert not job.is_terminal
    job.cancel()
    assert job.status == "canceled"
    with pytest.raises(JobNotSucceededError):
        job.download("never.csv")
    with pytest.raises(JobNotSucceededError):
        job.to_dataframe()


def test_the_key_and_address_come_from_the_environment_and_default_to_the_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADMAH_API_KEY", raising=False)
    monkeypatch.delenv("RADMAH_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="RADMAH_API_KEY"):
        RadMahClient()
    monkeypatch.setenv("RADMAH_API_KEY", "sl_live_from_env")
    assert RadMahClient().base_url == DEFAULT_BASE_URL == "https://api.radmah.ai"
    monkeypatch.setenv("RADMAH_BASE_URL", "http://127.0.0.1:9")
    assert RadMahClient().base_url == "http://127.0.0.1:9"
    with pytest.raises(ValueError):
        RadMahClient(base_url="ftp://example.com")
    with pytest.raises(ValueError):
        RadMahClient(max_retries=-1)


def test_an_unreachable_server_is_a_clear_error_after_the_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    from radmah_sdk import ServiceUnavailableError

    client = RadMahClient(api_key="sl_live_x", base_url="http://127.0.0.1:9", max_retries=1)
    with pytest.raises(ServiceUnavailableError, match="could not reach"):
        client.account()


def test_to_dataframe_without_pandas_names_the_package_to_install(client, monkeypatch: pytest.MonkeyPatch) -> None:
    job = client.jobs.create(rows=100, description="orders").wait(poll_interval=0.2)
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        job.to_dataframe()
