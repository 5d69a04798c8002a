"""Where a .NET process's CPU went, from a dotnet-trace speedscope file (`dotnet-trace collect -p PID
--format Speedscope`): samples of threads that were running (not waiting), by inclusive frame and by
the categories given as `NAME=REGEX` arguments (a sample counts for the first category one of whose
frames matches, from the leaf up). Usage: cpu_breakdown.py FILE.speedscope.json [--managed] [--top=N] [NAME=REGEX ...]"""
import json
import re
import sys
from collections import Counter

# Frames of a thread that is not using the CPU: blocked, parked, or in the runtime's idle loops.
WAITING = re.compile(
    r"WaitHandle\.Wait|WaitOneNoCheck|LowLevelLifoSemaphore\.Wait|LowLevelSpinWaiter|Monitor\.Wait|Thread\.Sleep|"
    r"SocketAsyncEngine\.EventLoop|WaitForSignal|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|"
    r"Interop\+Sys\.WaitForSocketEvents|PortableThreadPool\+GateThread|TimerQueue\.TimerThread|"
    r"WaitSubsystem|Thread\.SleepInternal|Interop\+Sys\.Poll|EventPipe|DiagnosticServer|CLR_THREAD_POOL_WAIT|"
    r"Interop\+Sys\.Read\b|Console|ThreadPoolWorkQueue\.Dispatch.*Wait")


def main():
    path = sys.argv[1]
    top = 40
    managed_only = False
    categories = []
    for arg in sys.argv[2:]:
        if arg == "--managed":
            managed_only = True
        elif arg.startswith("--top="):
            top = int(arg.split("=", 1)[1])
        elif "=" in arg:
            name, pattern = arg.split("=", 1)
            categories.append((name, re.compile(pattern)))
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    inclusive, leaf, by_category = Counter(), Counter(), Counter()
    running = 0
    def record(names, weight):
        nonlocal running
        if not names or any(WAITING.search(n) for n in names):
            return
        # The thread-time profile marks a running managed frame with a CPU_TIME leaf; with
        # --managed, time in native code (SQLite, system calls, waits not recognised above) is left out.
        if managed_only and names[-1] != "CPU_TIME":
            return
        names = [n for n in names if n not in ("CPU_TIME", "UNMANAGED_CODE_TIME")]
        if not names:
            return
        running += weight
        for name in set(names):
            inclusive[name] += weight
        leaf[names[-1]] += weight
        for cat, pattern in categories:
            if any(pattern.search(n) for n in reversed(names)):
                by_category[cat] += weight
                return
        if categories:
            by_category["other"] += weight

    for profile in doc["profiles"]:
        if profile.get("type") == "sampled":
            for stack, weight in zip(profile["samples"], profile["weights"]):
                record([frames[i] for i in stack], weight)
        elif profile.get("type") == "evented":
            # dotnet-trace writes each thread's stacks as open/close events; the time between two
            # events belongs to the stack open then.
            stack, last = [], None
            for event in profile["events"]:
                if last is not None and stack:
                    record([frames[i] for i in stack], event["at"] - last)
                last = event["at"]
                if event["type"] == "O":
                    stack.append(event["frame"])
                else:
                    while stack and stack.pop() != event["frame"]:
                        pass
    print(f"running time: {running:.0f} ms")
    if categories:
        print("\nby category (first match from the leaf up):")
        for cat, w in by_category.most_common():
            print(f"  {100 * w / running:5.1f}%  {cat}")
    print(f"\ninclusive, top {top}:")
    for name, w in inclusive.most_common(top):
        print(f"  {100 * w / running:5.1f}%  {name[:160]}")
    print(f"\nleaf (exclusive), top {top}:")
    for name, w in leaf.most_common(top):
        print(f"  {100 * w / running:5.1f}%  {name[:160]}")


if __name__ == "__main__":
    main()
