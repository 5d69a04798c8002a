"""CLIENTS clients, each in its own process with its own connection, submit JOBS no-op tasks back to
back, then wait for every result; the rate is all tasks / the time until the last client has seen its
last result. The same shape as `LoadGen lifecycle` (bench/LoadGen/Lifecycle.cs) measures the node with."""
import multiprocessing
import sys
import time


def client(jobs, start, done):
    from tasks import noop

    start.wait()
    results = [noop.delay() for _ in range(jobs)]
    for result in results:
        result.get(timeout=600)
    done.put(time.monotonic())


def round_(clients, jobs):
    start = multiprocessing.Event()
    done = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=client, args=(jobs, start, done)) for _ in range(clients)]
    for w in workers:
        w.start()
    time.sleep(1.0)  # every client has imported and connected
    t0 = time.monotonic()
    start.set()
    ends = [done.get(timeout=900) for _ in workers]
    for w in workers:
        w.join()
        if w.exitcode != 0:
            raise SystemExit(f"a client failed ({w.exitcode})")
    seconds = max(ends) - t0
    return clients * jobs, seconds


def main():
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    total, seconds = round_(clients, max(1, min(jobs, 1000) // clients))
    print(f"warm-up: {total} tasks in {seconds:.2f} s = {total / seconds:,.0f} tasks/s", flush=True)
    rates = []
    for r in range(rounds):
        total, seconds = round_(clients, jobs)
        rates.append(total / seconds)
        print(f"round {r + 1}: {total} tasks in {seconds:.2f} s = {total / seconds:,.0f} tasks/s", flush=True)
    print(f"celery: {clients} client(s) x {jobs} no-op tasks, 2 prefork workers, acks_late, Redis broker and results: "
          + ", ".join(f"{r:,.0f}" for r in rates) + " tasks/s")


if __name__ == "__main__":
    main()
