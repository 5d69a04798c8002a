"""Safe retries: one idempotency key per create, reused by the client's own retries; 429 and 503 retried."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from proxy import Proxy
from radmah_sdk import ConflictError, RadMahClient, RateLimitedError, ServiceUnavailableError


def test_twenty_concurrent_creates_with_one_key_give_one_job_and_one_hold(node) -> None:
    client = node.client(credits=10)
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=20) as pool:
        jobs = list(pool.map(lambda _: client.jobs.create(rows=1_000_000, description="orders", idempotency_key=key), range(20)))
    assert len({j.id for j in jobs}) == 1
    assert [j.id for j in client.jobs.list(limit=100)] == [jobs[0].id]
    # One job of 1 credit: held once or captured once, 9 left either way, never 8 or less.
    assert client.account().available == pytest.approx(9.0)


def test_a_key_reused_after_its_job_finished_returns_that_job(client) -> None:
    key = str(uuid.uuid4())
    job = client.jobs.create(rows=1_000, description="orders", idempotency_key=key).wait(poll_interval=0.2)
    again = client.jobs.create(rows=1_000, description="orders", idempotency_key=key)
    assert again.id == job.id and again.status == "succeeded"


def test_a_key_reused_with_another_request_is_a_409_conflict(client) -> None:
    key = str(uuid.uuid4())
    job = client.jobs.create(rows=1_000, description="orders", idempotency_key=key)
    with pytest.raises(ConflictError) as caught:
        client.jobs.create(rows=2_000, description="orders", idempotency_key=key)
    assert caught.value.status_code == 409
    assert job.id in caught.value.message


def test_each_create_sends_a_fresh_key(node, api_key) -> None:
    with Proxy(node.base_url, lambda method, path, key, n: None) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        client.jobs.create(rows=10, description="orders")
        client.jobs.create(rows=10, description="orders")
    keys = [key for method, path, key, status in proxy.seen if method == "POST"]
    assert len(keys) == 2 and all(keys) and keys[0] != keys[1]


def test_a_create_whose_answer_was_lost_is_sent_again_with_its_key_and_makes_one_job(node) -> None:
    api_key = node.new_key()
    # The gateway creates the job, but its answer is lost on the way: a proxy answers 503 instead.
    lost = lambda method, path, key, n: (503, {"Retry-After": "1"}, b"") if method == "POST" and n == 1 else None  # noqa: E731
    with Proxy(node.base_url, lost) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        job = client.jobs.create(rows=1_000, description="orders")
    posts = [(key, status) for method, path, key, status in proxy.seen if method == "POST"]
    assert [status for _, status in posts] == [503, 200]
    assert posts[0][0] == posts[1][0]
    direct = RadMahClient(api_key=api_key, base_url=node.base_url)
    assert [j.id for j in direct.jobs.list(limit=10)] == [job.id]


def test_a_rerun_answered_503_is_not_sent_again(node, api_key) -> None:
    refuse = lambda method, path, key, n: (503, {"Retry-After": "1"}, b"") if path.endswith(":rerun") else None  # noqa: E731
    with Proxy(node.base_url, refuse, forward_refused=False) as proxy:
        client = RadMahClient(api_key=api_key, base_url=proxy.base_url)
        job = client.jobs.create(rows=10, description="orders")
        with pytest.raises(ServiceUnavailableError):
            client.jobs.rerun(job_id=job.id)
    assert len([p for _, p, _, _ in proxy.seen if p.endswith(":rerun")]) == 1


def test_rate_limited_calls_wait_for_retry_after_and_all_succeed(node) -> None:
    # The free plan allows 10 requests a second: 30 at once meet 429s, and the client rides them out.
    with Proxy(node.base_url, lambda method, path, key, n: None) as proxy:
        client = RadMahClient(api_key=node.new_key("free", 10), base_url=proxy.base_url)
        with ThreadPoolExecutor(max_workers=30) as pool:
            accounts = list(pool.map(lambda _: client.account(), range(30)))
    assert len(accounts) == 30 and all(a.plan == "free" for a in accounts)
    assert any(status == 429 for _, _, _, status in proxy.seen)


def test_without_retries_the_rate_limit_is_a_RateLimitedError_with_retry_after(node) -> None:
    client = RadMahClient(api_key=node.new_key("free", 10), base_url=node.base_url, max_retries=0)
    with pytest.raises(RateLimitedError) as caught:
        with ThreadPoolExecutor(max_workers=30) as pool:
            list(pool.map(lambda _: client.account(), range(30)))
    assert caught.value.status_code == 429
    assert caught.value.retry_after >= 1
    assert "rate limit" in caught.value.message
