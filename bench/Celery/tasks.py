"""The reference task for the lifecycle benchmark: Celery's cheapest job, a no-op, acknowledged late
(after it ran, so a worker killed mid-task leaves it for another) with its result stored in Redis."""
import os

from celery import Celery

broker = os.environ.get("RADMAH_CELERY_REDIS", "redis://127.0.0.1:6379/0")
app = Celery("radmah_reference", broker=broker, backend=broker)
app.conf.update(
    task_acks_late=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
)


@app.task(name="noop")
def noop():
    return None
